//! dns.tf in the Terraform module it is written into (main.tf, servers.tf,
//! … from the Terraform emitter), for every example and ok case:
//! `terraform validate` loads the whole configuration (only the providers,
//! which cannot be downloaded here, are missing), and every reference in
//! it (`hcloud_server.edge[0]`, `hcloud_zone.x`, `data.hcloud_zone.x`)
//! names something declared, per HashiCorp's own parse of each file.

use crate::support;
use crate::support::tf_refs;
use crate::support::tools;

use crate::support::caddy::{spec, spec_cases};
use tools::{hcl2json, run, tool, TempDir};

/// Every terraform/*.tf artifact of one environment, dns.tf edited by `edit`.
fn module(model: &eosc::Model, edit: &dyn Fn(&str) -> String) -> TempDir {
    let dir = TempDir::new("dns-module");
    for a in eosc::emit::emit_all(model) {
        if a.path.starts_with("terraform/") && a.path.ends_with(".tf") {
            let text = if a.path == eosc::emit::dns::TF_PATH {
                edit(&a.contents)
            } else {
                a.contents
            };
            dir.write(&a.path, &text);
        }
    }
    dir
}

fn reference_problems(parser: &std::path::Path, dir: &TempDir) -> Vec<String> {
    let mut m = tf_refs::Module::default();
    let mut files: Vec<_> = std::fs::read_dir(dir.0.join("terraform"))
        .expect("terraform dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for f in files {
        let json = hcl2json(parser, &f).unwrap_or_else(|e| panic!("{e}"));
        m.add(&f.file_name().unwrap_or_default().to_string_lossy(), &json);
    }
    m.problems()
}

/// One environment per spec case that has zones (Terraform is slow to
/// start; the environments of one spec share their zones' shape).
fn models_with_zones() -> Vec<(String, eosc::Model)> {
    let mut out = Vec::new();
    for (case, path) in spec_cases() {
        if let Some(m) = spec(&path).into_iter().find(|m| !m.zones.is_empty()) {
            out.push((format!("{case} ({})", m.env.name), m));
        }
    }
    out
}

#[test]
fn terraform_validate_loads_dns_tf_with_the_module() {
    let Some(tf) = tool("terraform") else { return };
    let mut n = 0;
    for (name, m) in models_with_zones() {
        let dir = module(&m, &|t| t.to_string());
        let out = run(
            &tf,
            &["validate", "-json", "-no-color"],
            Some(&dir.0.join("terraform")),
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{name}: validate printed no JSON ({e}): {}{}",
                out.stdout, out.stderr
            )
        });
        for d in json["diagnostics"].as_array().into_iter().flatten() {
            assert_eq!(d["summary"], "Missing required provider", "{name}: {d:#}");
        }
        n += 1;
    }
    assert!(n >= 4, "only {n} modules validated");
    eprintln!("terraform validate loaded {n} modules with dns.tf");
}

/// The check above can fail: dns.tf declaring its resources twice.
#[test]
fn terraform_validate_rejects_a_broken_dns_tf() {
    let Some(tf) = tool("terraform") else { return };
    let (_, m) = models_with_zones()
        .into_iter()
        .next()
        .expect("a spec with zones");
    // The same resources twice: Terraform's loader refuses duplicates.
    let dir = module(&m, &|t| format!("{t}\n{t}"));
    let out = run(
        &tf,
        &["validate", "-json", "-no-color"],
        Some(&dir.0.join("terraform")),
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let summaries: Vec<&str> = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["summary"].as_str())
        .collect();
    assert!(
        summaries.iter().any(|s| *s != "Missing required provider"),
        "{summaries:?}"
    );
}

#[test]
fn every_dns_tf_reference_is_declared() {
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    for (name, m) in models_with_zones() {
        let problems = reference_problems(&parser, &module(&m, &|t| t.to_string()));
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
}

/// The check above can fail: a record naming a server that does not exist.
#[test]
fn a_dns_tf_reference_to_a_missing_server_is_caught() {
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    let m = support::caddy::cybermonkey(1);
    let dir = module(&m, &|t| {
        t.replace("hcloud_server.edge", "hcloud_server.egde")
    });
    let problems = reference_problems(&parser, &dir);
    assert!(
        problems.iter().any(|p| p.contains("hcloud_server.egde")),
        "{problems:#?}"
    );
}

/// A record whose value is a server class (`server.edge.ipv4`) answers
/// with every server of the class, not the first: real Terraform
/// evaluates the `records` expressions of dns.tf, with each class stood in
/// by a list of objects carrying the provider's `ipv4_address` and
/// `ipv6_address` attributes (two edge servers, one web server), and gets
/// one record per server beside the literal one.
#[test]
fn a_record_at_a_server_class_lists_every_server() {
    let (Some(tf), Some(parser)) = (tool("terraform"), tool("hcl2json")) else {
        return;
    };
    let spec = r#"
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "edge" {
  type     = "cx22"
  location = "fsn1"
  image    = "ubuntu-24.04"
  count    = 2
}
server "web" {
  type     = "cx22"
  location = "fsn1"
  image    = "ubuntu-24.04"
  count    = 1
}
dns "example.com" {
  record "@" { type = "A", value = server.edge.ipv4 }
  record "@" { type = "A", value = "203.0.113.9" }
  record "@" { type = "A", value = server.web.ipv4 }
  record "@" { type = "AAAA", value = server.edge.ipv6 }
}
"#;
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), spec.to_string())]);
    let checked = eosc::check("hecate.hcl", &loader).expect("root file");
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let dir = module(&checked.models[0], &|t| t.to_string());
    let json =
        hcl2json(&parser, &dir.0.join(eosc::emit::dns::TF_PATH)).unwrap_or_else(|e| panic!("{e}"));
    let sets = &json["resource"]["hcloud_zone_rrset"];
    let expr = |id: &str| {
        let text = sets[id][0]["records"]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: {sets}"));
        text.strip_prefix("${")
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or_else(|| panic!("{id}: not one expression: {text}"))
            .replace("hcloud_server.", "local.server_")
    };
    let eval = TempDir::new("dns-records");
    eval.write(
        "main.tf",
        &format!(
            r#"locals {{
  server_edge = [
    {{ ipv4_address = "192.0.2.1", ipv6_address = "2001:db8::1" }},
    {{ ipv4_address = "192.0.2.2", ipv6_address = "2001:db8::2" }},
  ]
  server_web = [{{ ipv4_address = "192.0.2.3", ipv6_address = "2001:db8::3" }}]
}}
output "a" {{
  value = {a}
}}
output "aaaa" {{
  value = {aaaa}
}}
"#,
            a = expr("example_com_apex_a"),
            aaaa = expr("example_com_apex_aaaa"),
        ),
    );
    let init = run(&tf, &["init", "-input=false"], Some(&eval.0));
    assert!(init.ok, "{}", init.stderr);
    let apply = run(
        &tf,
        &["apply", "-auto-approve", "-input=false"],
        Some(&eval.0),
    );
    assert!(apply.ok, "{}", apply.stderr);
    let out = run(&tf, &["output", "-json"], Some(&eval.0));
    let outputs: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    let values = |name: &str| -> Vec<String> {
        outputs[name]["value"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {outputs}"))
            .iter()
            .map(|r| r["value"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        values("a"),
        ["203.0.113.9", "192.0.2.1", "192.0.2.2", "192.0.2.3"],
        "every edge and web server, and the literal"
    );
    assert_eq!(values("aaaa"), ["2001:db8::1", "2001:db8::2"]);
}
