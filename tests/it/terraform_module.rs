//! The two Terraform roots of a hand-built model (`terraform/`, the infra;
//! `terraform-auth/`, Authentik's objects, applied after Authentik runs),
//! each proven with Terraform itself (fmt -check, validate) and a
//! reference check over HashiCorp's parse of every file (hcl2json).

use crate::support::fixture;
use crate::support::tf_refs;
use crate::support::tools;

use eosc::emit::{self, terraform};
use serde_json::Value;
use tools::{hcl2json, hclfmt, run, tool, TempDir};

/// A dns.tf like the one the DNS emitter writes into the same module.
const DNS_TF: &str = r#"resource "hcloud_zone" "example_com" {
  name = "example.com"
  mode = "primary"
  ttl  = 3600
}

resource "hcloud_zone_rrset" "example_com_apex_a" {
  zone    = hcloud_zone.example_com.name
  name    = "@"
  type    = "A"
  ttl     = 300
  records = [{ value = hcloud_server.edge[0].ipv4_address }]
}
"#;

/// The whole output tree of the fixture (jobs and module) in a temp dir.
fn write_tree(extra: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new("tf-module");
    for a in emit::emit_all(&fixture::model()) {
        dir.write(&a.path, &a.contents);
    }
    for (path, text) in extra {
        dir.write(path, text);
    }
    dir
}

/// The roots, each a module of its own with its own state.
const ROOTS: [&str; 2] = ["terraform", "terraform-auth"];

fn tf_files(dir: &TempDir, root: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir.0.join(root))
        .expect("terraform dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    files
}

/// Errors of `terraform validate -json` in a root, as (summary, detail).
fn validate(dir: &TempDir, root: &str) -> Option<Vec<(String, String)>> {
    let tf = tool("terraform")?;
    let out = run(
        &tf,
        &["validate", "-json", "-no-color"],
        Some(&dir.0.join(root)),
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "validate -json printed no JSON ({e}): {}{}",
            out.stdout, out.stderr
        )
    });
    Some(
        json["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["summary"].as_str().unwrap_or("").to_string(),
                    d["detail"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect(),
    )
}

/// The reference check over every .tf file of each root (a root sees
/// only its own declarations).
fn reference_problems(dir: &TempDir) -> Option<Vec<String>> {
    let parser = tool("hcl2json")?;
    let mut problems = Vec::new();
    for root in ROOTS {
        // One body for the whole root (one parser start; duplicate
        // declarations are validate's to find).
        let all: String = tf_files(dir, root)
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("read .tf"))
            .collect();
        let json = hcl2json(&parser, &dir.write(&format!("{root}.tf.txt"), &all))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut module = tf_refs::Module::default();
        module.add(&format!("{root}/"), &json);
        problems.extend(module.problems());
    }
    Some(problems)
}

#[test]
fn terraform_fmt_accepts_every_file() {
    let (Some(tf), Some(fmt)) = (tool("terraform"), tool("hclfmt")) else {
        return;
    };
    let dir = write_tree(&[]);
    let files: Vec<_> = ROOTS.iter().flat_map(|r| tf_files(&dir, r)).collect();
    assert_eq!(files.len(), 8, "{files:?}");
    for root in ROOTS {
        let out = run(
            &tf,
            &["fmt", "-check", "-diff", "-no-color", root],
            Some(&dir.0),
        );
        assert!(
            out.ok,
            "terraform fmt -check wants changes in {root}:\n{}{}",
            out.stdout, out.stderr
        );
    }
    let all: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read"))
        .collect();
    let joined = dir.write("all.tf.txt", &all);
    assert_eq!(
        hclfmt(&fmt, &joined),
        all,
        "a .tf file is not hclwrite-canonical"
    );
}

#[test]
fn terraform_validate_reports_only_the_missing_providers() {
    for extra in [vec![], vec![("terraform/dns.tf", DNS_TF)]] {
        let dir = write_tree(&extra);
        // Each root needs only its own provider: hcloud for the infra,
        // authentik for the auth root.
        for (root, want) in ROOTS
            .into_iter()
            .zip(["hetznercloud/hcloud", "goauthentik/authentik"])
        {
            let Some(errors) = validate(&dir, root) else {
                return;
            };
            let providers: Vec<&str> = errors
                .iter()
                .map(|(summary, detail)| {
                    assert_eq!(
                        summary, "Missing required provider",
                        "unexpected diagnostic: {summary}: {detail}"
                    );
                    ["hetznercloud/hcloud", "goauthentik/authentik"]
                        .into_iter()
                        .find(|p| detail.contains(p))
                        .unwrap_or_else(|| panic!("unknown provider in {detail}"))
                })
                .collect();
            // No nomad provider: Terraform registers no job (Salt runs them).
            assert_eq!(providers, [want], "{root}");
        }
    }
}

#[test]
fn terraform_validate_catches_a_broken_configuration() {
    // The configuration loader runs before the providers are needed: a
    // misplaced block or unknown meta-argument is reported.
    let model = fixture::model();
    let mut files = terraform::emit(&model);
    let main = files
        .iter_mut()
        .find(|a| a.path == "terraform/main.tf")
        .expect("main.tf");
    main.contents = main
        .contents
        .replacen("required_providers {", "required_provider {", 1);
    let dir = TempDir::new("tf-broken");
    for a in emit::emit_all(&model)
        .iter()
        .filter(|a| !a.path.starts_with("terraform/"))
        .chain(files.iter())
    {
        dir.write(&a.path, &a.contents);
    }
    let Some(errors) = validate(&dir, "terraform") else {
        return;
    };
    assert!(
        errors.iter().any(|(s, _)| s != "Missing required provider"),
        "{errors:#?}"
    );
}

#[test]
fn every_reference_in_the_module_is_declared() {
    let dir = write_tree(&[("terraform/dns.tf", DNS_TF)]);
    let Some(problems) = reference_problems(&dir) else {
        return;
    };
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_broken_reference_is_caught() {
    let model = fixture::model();
    let mutations: [(&str, &str, &str, &str); 3] = [
        (
            "terraform/main.tf",
            "var.hcloud_token",
            "var.hcloud_tokn",
            "var.hcloud_tokn",
        ),
        (
            "terraform-auth/auth.tf",
            "data.authentik_flow.invalidation.id",
            "data.authentik_flow.invalidaton.id",
            "data.authentik_flow.invalidaton",
        ),
        (
            "terraform/servers.tf",
            "hcloud_firewall.web.id",
            "hcloud_firewall.webb.id",
            "hcloud_firewall.webb",
        ),
    ];
    if tool("hcl2json").is_none() {
        return;
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = mutations
            .iter()
            .map(|(path, from, to, want)| {
                let model = &model;
                scope.spawn(move || {
                    let dir = TempDir::new("tf-badref");
                    for a in emit::emit_all(model) {
                        let text = if a.path == *path {
                            assert!(a.contents.contains(from), "{from} not in {path}");
                            a.contents.replacen(from, to, 1)
                        } else {
                            a.contents
                        };
                        dir.write(&a.path, &text);
                    }
                    let problems = reference_problems(&dir).expect("hcl2json present");
                    assert!(
                        problems.iter().any(|p| p.contains(&format!("`{want}`"))),
                        "{want} not caught: {problems:#?}"
                    );
                })
            })
            .collect();
        for h in handles {
            h.join().expect("mutation");
        }
    });
}

#[test]
fn providers_are_pinned_and_tokens_are_sensitive_without_defaults() {
    let files = terraform::emit(&fixture::model());
    let text =
        |name: &str| -> &str { &files.iter().find(|a| a.path == name).expect(name).contents };
    for (root, source, version) in [
        ("terraform", "hetznercloud/hcloud", "~> 1.56"),
        ("terraform-auth", "goauthentik/authentik", "~> 2025.10"),
    ] {
        let main = text(&format!("{root}/main.tf"));
        assert!(
            main.contains(&format!(
                "source  = \"{source}\"\n      version = \"{version}\""
            )),
            "{source} not pinned:\n{main}"
        );
    }
    for (root, token) in [
        ("terraform", "hcloud_token"),
        ("terraform-auth", "authentik_token"),
    ] {
        let vars = text(&format!("{root}/variables.tf"));
        let block = vars
            .split(&format!("variable \"{token}\" {{"))
            .nth(1)
            .and_then(|b| b.split("\n}").next())
            .expect(token);
        assert!(
            block.contains("sensitive   = true") && !block.contains("default"),
            "{token}: {block}"
        );
    }
}

/// One owner per Nomad job: Terraform declares no `nomad_job` (nor the
/// nomad provider), and every job file the Nomad emitter wrote is run by
/// exactly one `nomad job run` of Salt's orchestration, which reads it
/// where `files.sls` puts it.
#[test]
fn salt_alone_runs_the_nomad_jobs() {
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    let model = fixture::model();
    let all = emit::emit_all(&model);
    let dir = TempDir::new("tf-owner");
    for a in all.iter().filter(|a| a.path.starts_with("terraform")) {
        let json = hcl2json(&parser, &dir.write(&a.path, &a.contents))
            .unwrap_or_else(|e| panic!("{}: {e}", a.path));
        assert!(
            json["resource"].get("nomad_job").is_none(),
            "{} declares a nomad_job",
            a.path
        );
        assert!(json["provider"].get("nomad").is_none(), "{}", a.path);
    }
    let orch = &all
        .iter()
        .find(|a| a.path == "salt/hecate/orchestrate.sls")
        .expect("orchestrate.sls")
        .contents;
    let runs: Vec<&str> = orch
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- \"nomad job run "))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    let root = eosc::emit::names::deploy_root(&model);
    let mut jobs: Vec<String> = all
        .iter()
        .filter(|a| a.path.starts_with("nomad/"))
        .map(|a| format!("{root}/{}", a.path))
        .collect();
    jobs.sort();
    let mut ran: Vec<String> = runs.iter().map(|s| s.to_string()).collect();
    ran.sort();
    assert_eq!(ran, jobs, "every job file run exactly once by Salt");
    assert!(jobs.iter().any(|j| j.ends_with("/hecate-proxy.nomad.hcl")));
}

#[test]
fn cloud_init_joins_the_node_class_with_the_volumes_its_apps_mount() {
    let model = fixture::model();
    let files = terraform::emit(&model);
    let servers = &files
        .iter()
        .find(|a| a.path == "terraform/servers.tf")
        .expect("servers.tf")
        .contents;
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    let dir = TempDir::new("tf-cloudinit");
    let json =
        hcl2json(&parser, &dir.write("servers.tf", servers)).unwrap_or_else(|e| panic!("{e}"));
    let edge = &json["resource"]["hcloud_server"]["edge"][0];
    let user_data = edge["user_data"].as_str().expect("user_data");
    assert!(user_data.starts_with("#cloud-config\n"));
    assert!(user_data.contains("node_class = \"edge\""));
    assert!(user_data.contains("retry_join = ${jsonencode(var.nomad_servers)}"));
    assert!(user_data.contains("host_volume \"authentik-media\""));
    assert!(
        !user_data.contains("postgres-authentik"),
        "db volumes stay on db nodes"
    );
    assert_eq!(edge["lifecycle"][0]["ignore_changes"][0], "${user_data}");
    // As cloud-init will see it once Terraform has filled in the join list:
    // valid YAML whose agent config is valid HCL.
    let rendered = tools::unescape_markers(
        &user_data.replace("${jsonencode(var.nomad_servers)}", "[\"10.0.0.2\"]"),
    );
    let yaml: serde_yaml::Value = serde_yaml::from_str(&rendered)
        .unwrap_or_else(|e| panic!("user_data is not YAML: {e}\n{rendered}"));
    let agent = yaml["write_files"][0]["content"]
        .as_str()
        .expect("agent config");
    let agent_json =
        hcl2json(&parser, &dir.write("nomad.hcl", agent)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(agent_json["client"][0]["node_class"], "edge");
    assert_eq!(
        agent_json["client"][0]["server_join"][0]["retry_join"][0],
        "10.0.0.2"
    );
    assert!(yaml["runcmd"]
        .as_sequence()
        .is_some_and(|c| c.iter().all(|x| x.is_string())));
    assert_eq!(edge["firewall_ids"][0], "${hcloud_firewall.web.id}");
}

#[test]
fn output_is_deterministic() {
    let m = fixture::model();
    assert_eq!(terraform::emit(&m), terraform::emit(&m));
}

/// Each environment keeps its own Terraform state: over every example and
/// ok case, the `backend "consul"` path of main.tf (as HashiCorp's parser
/// reads it) differs between environments, so applying staging can never
/// plan against production's resources; `terraform_backend = "local"`
/// writes no backend block.
#[test]
fn every_environment_has_its_own_state_path() {
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    let dir = TempDir::new("tf-state");
    let mut seen = 0;
    for (case, path) in crate::support::specs::spec_cases() {
        let mut paths = std::collections::BTreeMap::new();
        for m in crate::support::specs::models(&path) {
            // Both roots (the auth root where the spec has one), each its
            // own state: no two of any environment's roots share one.
            for main in terraform::emit(&m)
                .into_iter()
                .filter(|a| a.path.ends_with("/main.tf"))
            {
                let root = main.path.trim_end_matches("/main.tf").to_string();
                let file = dir.0.join(format!(
                    "{}-{}-{root}.tf",
                    case.replace('/', "_"),
                    m.env.name
                ));
                std::fs::write(&file, &main.contents).expect("write");
                let json = hcl2json(&parser, &file).unwrap_or_else(|e| panic!("{e}"));
                let state = json["terraform"][0]["backend"]["consul"][0]["path"]
                    .as_str()
                    .unwrap_or_else(|| {
                        panic!("{case}/{}/{root}: no consul backend: {json}", m.env.name)
                    })
                    .to_string();
                let who = format!("{}/{root}", m.env.name);
                if let Some(other) = paths.insert(state.clone(), who.clone()) {
                    panic!("{case}: {other} and {who} share the state {state}");
                }
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "only {seen} environments");
    let mut m = fixture::model();
    m.project.terraform_backend = eosc::sema::model::TerraformBackend::Local;
    let main = terraform::emit(&m)
        .into_iter()
        .find(|a| a.path == "terraform/main.tf")
        .expect("main.tf");
    assert!(!main.contents.contains("backend"), "{}", main.contents);
}
