//! The SLS files as Salt itself sees them (`salt-call --local`, no network):
//! every state file compiles to low data (which rejects requisites naming a
//! missing ID, recursive requisites and missing includes), every state
//! function and argument exists, the top file and pillar render, and user
//! text reaches the pillar literally.

use crate::support;

use crate::support::salt::real::{check_chunks, requisites, salt_info, SaltTree};
use crate::support::salt::{graph_requisites, model, verify_ids, NASTY};
use eosc::sema::model::{Kind, Model};
use serde_json::Value;
use std::collections::BTreeSet;

/// Compiles every SLS of one environment; returns the problems found.
pub fn check_environment(model: &Model) -> Vec<String> {
    let artifacts = eosc::emit::salt::emit(model);
    let Some(tree) = SaltTree::new(model, &artifacts) else {
        return vec![];
    };
    let info = salt_info(&tree);
    let files = tree.state_files();
    assert!(files.contains(&"hecate.orchestrate".to_string()));
    let mut errors = Vec::new();
    let results: Vec<(String, Result<Vec<Value>, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(files.len().div_ceil(2).max(1))
            .map(|part| {
                s.spawn(|| {
                    // Each worker has its own minion dirs.
                    let own = SaltTree::new(model, &artifacts).expect("salt-call");
                    part.iter()
                        .map(|sls| {
                            let r = own.low_sls(sls);
                            let chunks = r.json["local"].as_array().cloned().unwrap_or_default();
                            if r.ok && !chunks.is_empty() && chunks.iter().all(Value::is_object) {
                                (sls.clone(), Ok(chunks))
                            } else {
                                (sls.clone(), Err(format!("{}{}", r.stdout, r.stderr)))
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    for (sls, r) in &results {
        match r {
            Err(e) => errors.push(format!("{} {sls}: {e}", model.env.name)),
            Ok(chunks) => errors.extend(check_chunks(info, sls, chunks)),
        }
    }
    // The orchestration's requisites, as Salt compiled them, follow the graph.
    if let Some((_, Ok(chunks))) = results.iter().find(|(s, _)| s == "hecate.orchestrate") {
        let got: BTreeSet<(String, String)> = requisites(chunks, "require")
            .into_iter()
            .filter(|(a, b)| is_entity_state(a) && is_entity_state(b))
            .collect();
        let verify = verify_ids(model);
        let want = graph_requisites(model, &verify);
        if got != want {
            errors.push(format!(
                "orchestrate requisites differ from the graph:\n  extra: {:?}\n  missing: {:?}",
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
    }
    let high = tree.call(&[
        "state.show_highstate",
        &format!("saltenv={}", model.env.name),
        &format!("pillarenv={}", model.env.name),
    ]);
    let files_in_high = high.json["local"]
        .as_object()
        .map(|m| m.keys().filter(|k| k.starts_with("hecate_file_")).count())
        .unwrap_or(0);
    if !high.ok || files_in_high == 0 {
        errors.push(format!("highstate: {}{}", high.stdout, high.stderr));
    }
    let pillar = tree.call(&[
        "pillar.items",
        &format!("pillarenv={}", model.env.name),
        "unmask=True",
    ]);
    let hecate = &pillar.json["local"]["hecate"];
    if !pillar.ok || !hecate.is_object() {
        errors.push(format!("pillar: {}{}", pillar.stdout, pillar.stderr));
    }
    for (k, v) in &model.vars {
        if &hecate["vars"][k] != v {
            errors.push(format!("pillar var {k}: {} != {v}", hecate["vars"][k]));
        }
    }
    errors
}

fn is_entity_state(id: &str) -> bool {
    id.starts_with("hecate_nomad_") || id.starts_with("hecate_verify_")
}

#[test]
fn fixture_compiles_in_salt() {
    for env in ["staging", "production"] {
        let mut m = model(env);
        // The header names the spec; its name must not break the YAML.
        m.source_name = NASTY.to_string();
        let errors = check_environment(&m);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

#[test]
fn requisite_to_a_missing_id_fails() {
    let m = model("staging");
    let mut artifacts = eosc::emit::salt::emit(&m);
    let orch = artifacts
        .iter_mut()
        .find(|a| a.path == "salt/hecate/orchestrate.sls")
        .expect("orchestrate.sls");
    let before = orch.contents.clone();
    orch.contents = before.replacen(
        "- salt: hecate_nomad_postgres",
        "- salt: hecate_nomad_nosuchapp",
        1,
    );
    assert_ne!(orch.contents, before, "mutation applied");
    let Some(tree) = SaltTree::new(&m, &artifacts) else {
        return;
    };
    let r = tree.low_sls("hecate.orchestrate");
    assert!(
        !r.ok,
        "salt accepted a requisite to a missing ID: {}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Referenced state does not exist")
            && r.stdout.contains("hecate_nomad_nosuchapp"),
        "{}",
        r.stdout
    );
}

#[test]
fn requisite_cycle_fails() {
    let m = model("staging");
    let mut artifacts = eosc::emit::salt::emit(&m);
    let orch = artifacts
        .iter_mut()
        .find(|a| a.path == "salt/hecate/orchestrate.sls")
        .expect("orchestrate.sls");
    // postgres now also requires authentik, which requires postgres. (A
    // second `require` key would not do: Salt keeps only the last one.)
    let at = orch
        .contents
        .find("hecate_nomad_postgres:")
        .expect("postgres state");
    let line = "        - salt: hecate_terraform_apply\n";
    let pos = at + orch.contents[at..].find(line).expect("its require") + line.len();
    orch.contents
        .insert_str(pos, "        - salt: hecate_nomad_authentik\n");
    let Some(tree) = SaltTree::new(&m, &artifacts) else {
        return;
    };
    let r = tree.low_sls("hecate.orchestrate");
    assert!(
        !r.ok && r.stdout.contains("Recursive requisites"),
        "salt accepted a requisite cycle: {}",
        r.stdout
    );
}

#[test]
fn misspelt_argument_is_caught() {
    let m = model("staging");
    let mut artifacts = eosc::emit::salt::emit(&m);
    let orch = artifacts
        .iter_mut()
        .find(|a| a.path == "salt/hecate/orchestrate.sls")
        .expect("orchestrate.sls");
    orch.contents = orch
        .contents
        .replacen("- tgt_type: grain", "- tgt_typ: grain", 1);
    let Some(tree) = SaltTree::new(&m, &artifacts) else {
        return;
    };
    let r = tree.low_sls("hecate.orchestrate");
    let chunks = r.json["local"].as_array().cloned().unwrap_or_default();
    let errors = check_chunks(salt_info(&tree), "hecate.orchestrate", &chunks);
    assert!(errors.iter().any(|e| e.contains("tgt_typ")), "{errors:?}");
}

#[test]
fn pillar_keeps_template_text_literal() {
    let m = model("staging");
    let artifacts = eosc::emit::salt::emit(&m);
    let Some(tree) = SaltTree::new(&m, &artifacts) else {
        return;
    };
    let r = tree.call(&["pillar.items", "pillarenv=staging", "unmask=True"]);
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(r.json["local"]["hecate"]["vars"]["nasty"], NASTY);
    assert_eq!(r.json["local"]["hecate"]["vars"]["on"], "on");
    assert_eq!(r.json["local"]["hecate"]["vars"]["time"], "1:20");
    assert_eq!(r.json["local"]["hecate"]["vars"]["version"], "2026-11-22");
    assert_eq!(r.json["local"]["hecate"]["vars"]["ratio"], 0.5);
    assert_eq!(
        r.json["local"]["hecate"]["secrets"]["authentik_secret_key"]["sdb"],
        "sdb://vault/secret/hecate/authentik/secret_key/value"
    );
}

/// Spec numbers are f64 in the model (HCL has one number type); the pillar
/// writes whole ones as integers, so Salt's YAML loader (PyYAML) reads ints
/// (`edge_count: 2`, a port `5432`), and a fraction stays a float.
#[test]
fn pillar_numbers_keep_their_kind() {
    let mut m = model("staging");
    m.vars
        .insert("edge_count".into(), serde_json::Value::from(2.0_f64));
    m.vars
        .insert("port".into(), serde_json::Value::from(5432.0_f64));
    m.vars
        .insert("neg".into(), serde_json::Value::from(-3.0_f64));
    let artifacts = eosc::emit::salt::emit(&m);
    let pillar = &artifacts
        .iter()
        .find(|a| a.path == "salt/pillar/hecate.sls")
        .expect("pillar")
        .contents;
    assert!(pillar.contains("edge_count: 2\n"), "{pillar}");
    let Some(tree) = SaltTree::new(&m, &artifacts) else {
        return;
    };
    let r = tree.call(&["pillar.items", "pillarenv=staging", "unmask=True"]);
    assert!(r.ok, "{}", r.stderr);
    let vars = &r.json["local"]["hecate"]["vars"];
    // Python's json writes a float as `2.0`, an int as `2`.
    for (k, want) in [("edge_count", 2), ("port", 5432), ("neg", -3)] {
        assert_eq!(vars[k].as_i64(), Some(want), "{k}: {}", vars[k]);
        assert!(vars[k].is_i64(), "{k} read as {}", vars[k]);
    }
    assert!(vars["ratio"].is_f64(), "{}", vars["ratio"]);
    assert_eq!(vars["ratio"], 0.5);
}

/// The renderer line is what keeps Jinja out: without it, Salt renders the
/// same pillar through Jinja and the text is no longer what the user wrote.
#[test]
fn without_renderer_line_jinja_would_run() {
    let m = model("staging");
    let mut artifacts = eosc::emit::salt::emit(&m);
    let pillar = artifacts
        .iter_mut()
        .find(|a| a.path == "salt/pillar/hecate.sls")
        .expect("pillar");
    pillar.contents = pillar.contents.replacen("#!yaml\n", "", 1);
    let Some(tree) = SaltTree::new(&m, &artifacts) else {
        return;
    };
    let r = tree.call(&["pillar.items", "pillarenv=staging", "unmask=True"]);
    assert_ne!(
        r.json["local"]["hecate"]["vars"]["nasty"], NASTY,
        "{}",
        r.stdout
    );
}

#[test]
fn graph_kinds_in_fixture() {
    // Guard for the fixture itself: it has app→app edges to compare.
    let m = model("staging");
    assert!(m
        .graph
        .edges
        .iter()
        .any(|(a, b)| a.kind == Kind::App && b.kind == Kind::App));
}

#[test]
fn examples_and_ok_cases_compile_in_salt() {
    let mut errors = Vec::new();
    let mut checked = 0;
    for spec in support::specs::all() {
        for m in support::specs::models(&spec) {
            errors.extend(
                check_environment(&m)
                    .into_iter()
                    .map(|e| format!("{}: {e}", spec.display())),
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Variables reach the pillar with their types, as Salt's own YAML loader
/// reads them: a whole number stays an integer (`2`, not `2.0`), and a
/// variable holding a secret reference is the secret's SDB URI (which
/// `config.get` resolves on the minion), never `null` and never a value.
#[test]
fn variables_keep_their_types_and_secret_references_in_the_pillar() {
    let spec = r#"
project "demo" {
  datacenters = ["dc1"]
  vault       = "https://vault.example.com"
}
environment "staging" {}
secret "db" {
  vault = "secret/demo/db"
}
variable "replicas" {
  type    = number
  default = 2
}
variable "ratio" {
  type    = number
  default = 0.5
}
variable "dbpw" {
  default = secret.db
}
"#;
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), spec.to_string())]);
    let checked = eosc::check("hecate.hcl", &loader).expect("root file");
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let m = &checked.models[0];
    let artifacts = eosc::emit::salt::emit(m);
    let Some(tree) = SaltTree::new(m, &artifacts) else {
        return;
    };
    let r = tree.call(&["pillar.items", "pillarenv=staging", "unmask=True"]);
    assert!(r.ok, "{}", r.stderr);
    let vars = &r.json["local"]["hecate"]["vars"];
    assert!(vars["replicas"].is_i64(), "{vars}");
    assert_eq!(vars["replicas"], 2);
    assert_eq!(vars["ratio"], 0.5);
    assert_eq!(vars["dbpw"], "sdb://vault/secret/demo/db/value");
}
