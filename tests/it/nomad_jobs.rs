//! Nomad jobs of a hand-built model, proven with HashiCorp's HCL parser
//! (hcl2json), hclwrite's formatter (hclfmt, what `nomad fmt` runs) and the
//! project's jobspec structural check.

use crate::support::fixture;
use crate::support::nomad_jobspec;
use crate::support::tools;

use eosc::emit::{nomad, Artifact};
use serde_json::{json, Value};
use std::sync::OnceLock;
use tools::{hcl2json, hclfmt, tool, unescape_markers, TempDir};

fn jobs() -> Vec<Artifact> {
    nomad::emit(&fixture::model())
}

fn job<'a>(jobs: &'a [Artifact], app: &str) -> &'a str {
    &jobs
        .iter()
        .find(|a| a.path == format!("nomad/{app}.nomad.hcl"))
        .expect("job emitted")
        .contents
}

/// All fixture jobs parsed by hcl2json in one file (each tool start costs
/// seconds), by job name; None when the tool is missing.
fn parsed_jobs() -> Option<&'static serde_json::Map<String, Value>> {
    static PARSED: OnceLock<Option<serde_json::Map<String, Value>>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            let text: String = jobs().iter().map(|a| a.contents.as_str()).collect();
            parse_many(&text).map(|v| v["job"].as_object().cloned().unwrap_or_default())
        })
        .as_ref()
}

/// One job's parse as a job file of its own would give it.
fn parsed(app: &str) -> Option<Value> {
    let body = parsed_jobs()?.get(app).cloned().expect("job parsed");
    Some(json!({ "job": { app: body } }))
}

fn parse_many(text: &str) -> Option<Value> {
    let bin = tool("hcl2json")?;
    let dir = TempDir::new("nomad-parse");
    let file = dir.write("jobs.nomad.hcl", text);
    Some(hcl2json(&bin, &file).unwrap_or_else(|e| panic!("{e}\n--- jobs ---\n{text}")))
}

#[test]
fn every_job_parses_is_canonical_and_passes_the_jobspec_check() {
    let (Some(_), Some(fmt)) = (tool("hcl2json"), tool("hclfmt")) else {
        return;
    };
    let dir = TempDir::new("nomad-jobs");
    let jobs = jobs();
    assert_eq!(jobs.len(), 5, "the fixture's four apps and the proxy's job");
    // One file for all jobs (each tool start costs seconds): the jobs are
    // independent top-level blocks, each opened by its header comment.
    let all: String = jobs.iter().map(|a| a.contents.as_str()).collect();
    let file = dir.write("all.nomad.hcl", &all);
    if hclfmt(&fmt, &file) != all {
        for a in &jobs {
            let one = dir.write(&a.path, &a.contents);
            assert_eq!(
                hclfmt(&fmt, &one),
                a.contents,
                "{} is not canonically formatted",
                a.path
            );
        }
    }
    let by_name = parsed_jobs().expect("hcl2json present");
    assert_eq!(by_name.len(), jobs.len());
    for (name, body) in by_name {
        let errors = nomad_jobspec::check(&serde_json::json!({ "job": { name.clone(): body } }));
        assert!(errors.is_empty(), "job {name}: {errors:#?}");
    }
}

#[test]
fn the_checker_catches_a_wrong_attribute_a_missing_label_and_a_missing_driver() {
    let jobs = jobs();
    let good = job(&jobs, "authentik");
    let pg = job(&jobs, "postgres");
    let cases = [
        (
            good.replacen("min_healthy_time", "min_healty_time", 1),
            "unknown attribute or block `min_healty_time`",
        ),
        (
            pg.replacen("port \"db\" {", "port {", 1),
            "expected a block with 1 label",
        ),
        (
            good.replacen("update {", "update \"x\" {", 1),
            "expected a block without labels",
        ),
        (
            good.replacen("driver = \"docker\"", "user   = \"docker\"", 1),
            "missing required attribute `driver`",
        ),
        (
            good.replacen(
                "destination = \"secrets/server.env\"",
                "dest        = \"secrets/server.env\"",
                1,
            ),
            "unknown attribute or block `dest`",
        ),
        (
            good.replacen("update {", "update {\n    }\n    update {", 1),
            "`update` may appear only once",
        ),
    ];
    // Every mutant renamed `m<i>` and parsed in one file.
    let mut text = String::new();
    for (i, (bad, want)) in cases.iter().enumerate() {
        assert!(
            bad != good && bad != pg,
            "mutation did not apply for {want}"
        );
        let renamed = bad
            .replacen("job \"authentik\" {", &format!("job \"m{i}\" {{"), 1)
            .replacen("job \"postgres\" {", &format!("job \"m{i}\" {{"), 1);
        text.push_str(&renamed);
    }
    let Some(all) = parse_many(&text) else { return };
    for (i, (_, want)) in cases.iter().enumerate() {
        let name = format!("m{i}");
        let errors =
            nomad_jobspec::check(&json!({ "job": { name.clone(): all["job"][&name].clone() } }));
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "expected `{want}` in {errors:#?}"
        );
    }
}

#[test]
fn user_strings_come_back_exactly() {
    let Some(json) = parsed("authentik") else {
        return;
    };
    let server = &json["job"]["authentik"][0]["group"]["authentik"][0]["task"]["server"][0];
    let hostile = server["env"][0]["HOSTILE"].as_str().expect("HOSTILE env");
    assert_eq!(unescape_markers(hostile), fixture::HOSTILE);
    // `${node.class}` is Nomad's interpolation and must stay one.
    let constraint = &json["job"]["authentik"][0]["constraint"][0];
    assert_eq!(constraint["attribute"], "${node.class}");
    // A user-written `${NOMAD_PORT_http}` reaches Nomad as literal text.
    let Some(json) = parsed("helen") else {
        return;
    };
    let args =
        &json["job"]["helen"][0]["group"]["helen"][0]["task"]["helen"][0]["config"][0]["args"];
    assert_eq!(
        unescape_markers(args[1].as_str().unwrap_or_default()),
        "${NOMAD_PORT_http}"
    );
    // Env names that are not identifiers use the documented map form.
    let Some(json) = parsed("authentik") else {
        return;
    };
    let worker = &json["job"]["authentik"][0]["group"]["authentik"][0]["task"]["worker"][0];
    assert_eq!(worker["env"]["discovery.type"], "single-node");
}

#[test]
fn secrets_template_reads_vault_paths_and_holds_no_value() {
    let jobs = jobs();
    let Some(json) = parsed("authentik") else {
        return;
    };
    let server = &json["job"]["authentik"][0]["group"]["authentik"][0]["task"]["server"][0];
    let template = &server["template"][0];
    assert_eq!(template["destination"], "secrets/server.env");
    assert_eq!(template["env"], true);
    assert_eq!(template["change_mode"], "restart");
    let data = unescape_markers(template["data"].as_str().expect("template data"));
    let want = concat!(
        "AUTHENTIK_EMAIL__USERNAME={{ with secret \"secret/hecate/authentik/email\" }}{{ index .Data.data \"user-name\" }}{{ end }}\n",
        "AUTHENTIK_POSTGRESQL__PASSWORD={{ with secret \"secret/hecate/authentik/db_password\" }}{{ .Data.data.value }}{{ end }}\n",
        "AUTHENTIK_SECRET_KEY={{ with secret \"secret/hecate/authentik/secret_key\" }}{{ .Data.data.value }}{{ end }}\n",
        // `{{` in a name is printed by an action; the path is a Go string literal.
        "ODD{{\"{{\"}}NAME={{ with secret \"secret/we\\\"ird\\\\${path}\" }}{{ .Data.data.value }}{{ end }}\n",
    );
    assert_eq!(data, want);
    assert!(
        server["vault"].is_array(),
        "a task reading Vault has a vault block"
    );
    // Only references: every line is NAME=<secret read>, nothing else, and
    // no plain env value leaks into the secrets file.
    for line in data.lines() {
        let (_, read) = line.split_once('=').expect("NAME=value line");
        assert!(
            read.starts_with("{{ with secret \"") && read.ends_with("{{ end }}"),
            "{line}"
        );
    }
    assert!(!data.contains("info") && !data.contains(fixture::HOSTILE));
    // A task without secrets has neither a template nor a vault block.
    assert!(
        !job(&jobs, "helen").contains("template {") && !job(&jobs, "helen").contains("vault {")
    );
}

#[test]
fn rollouts_become_update_blocks_and_canary_tags() {
    let jobs = jobs();
    let canary = job(&jobs, "authentik");
    assert!(
        canary.contains("canary           = 1\n      auto_promote     = false"),
        "{canary}"
    );
    assert!(canary.contains("tags        = [\"stable\"]\n      canary_tags = [\"canary\"]"));
    let blue_green = job(&jobs, "helen");
    assert!(
        blue_green.contains("canary           = 3"),
        "blue/green canaries = count:\n{blue_green}"
    );
    let rolling = job(&jobs, "postgres");
    assert!(
        rolling.contains("update {") && !rolling.contains("canary"),
        "{rolling}"
    );
    let batch = job(&jobs, "backup");
    assert!(!batch.contains("update {"));
    assert!(
        batch.contains(
            "periodic {\n    crons            = [\"0 3 * * *\"]\n    prohibit_overlap = true\n  }"
        ),
        "{batch}"
    );
}

#[test]
fn placement_ports_and_volumes() {
    let jobs = jobs();
    let pg = job(&jobs, "postgres");
    assert!(pg.contains("attribute = \"${node.class}\"\n    value     = \"db\""));
    assert!(pg.contains("port \"db\" {\n        static = 5432\n        to     = 5432\n      }"));
    assert!(pg.contains(
        "volume \"data\" {\n      type      = \"host\"\n      source    = \"postgres-authentik\""
    ));
    assert!(pg.contains("volume_mount {\n        volume      = \"data\"\n        destination = \"/var/lib/postgresql/data\""));
    // An app placed anywhere has no constraint.
    assert!(!job(&jobs, "helen").contains("constraint"));
    // Every port registers a service; the default port under the app's service name.
    let ak = job(&jobs, "authentik");
    assert!(ak.contains("name        = \"authentik-server\"\n      port        = \"http\""));
    assert!(ak.contains("name        = \"authentik-server-metrics\""));
}

#[test]
fn output_is_deterministic() {
    assert_eq!(jobs(), jobs());
}

#[test]
fn progress_deadline_is_emitted_only_where_set() {
    let mut model = fixture::model();
    let jobs = nomad::emit(&model);
    assert!(!job(&jobs, "postgres").contains("progress_deadline"));
    for r in model.rollouts.values_mut() {
        r.progress_deadline = Some(std::time::Duration::from_secs(900));
    }
    let jobs = nomad::emit(&model);
    let text = job(&jobs, "postgres");
    assert!(text.contains("progress_deadline = \"15m\""), "{text}");
    if let Some(v) = parse_many(text) {
        let update = &v["job"]["postgres"][0]["group"]["postgres"][0]["update"][0];
        assert_eq!(update["progress_deadline"], json!("15m"), "{v}");
    }
}
