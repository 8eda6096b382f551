//! The example compiles to isolated staging and production trees: the two
//! environments' artifacts share no DNS rrset, Caddy host, Nomad job (in
//! one region) or Terraform state path. Read from the artifacts
//! themselves (dns.tf, caddy.json, the job files, the backends), not from
//! the model, so a renaming the emitters forget shows here.

use crate::support::{loader, root};
use std::collections::BTreeSet;

/// What one environment's tree owns, by kind.
#[derive(Default, Debug)]
struct Owned {
    rrsets: BTreeSet<String>,
    hosts: BTreeSet<String>,
    jobs: BTreeSet<String>,
    states: BTreeSet<String>,
    servers: BTreeSet<String>,
}

fn attr_text(body: &hcl::Body, name: &str) -> Option<String> {
    body.attributes()
        .find(|a| a.key.as_str() == name)
        .map(|a| match &a.expr {
            hcl::Expression::String(s) => s.clone(),
            e => e.to_string(),
        })
}

fn caddy_hosts(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                if k == "host" {
                    for h in v.as_array().into_iter().flatten() {
                        out.insert(h.as_str().unwrap_or_default().to_string());
                    }
                } else {
                    caddy_hosts(v, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| caddy_hosts(v, out)),
        _ => {}
    }
}

fn owned(files: &[eosc::emit::Artifact]) -> Owned {
    let mut o = Owned::default();
    for f in files {
        if f.path.ends_with(".tf") {
            let body: hcl::Body = hcl::from_str(&f.contents).expect(&f.path);
            for b in body.blocks() {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                match (b.identifier.as_str(), labels.as_slice()) {
                    ("resource", ["hcloud_zone_rrset", _]) => {
                        o.rrsets.insert(format!(
                            "{} {} {}",
                            attr_text(&b.body, "zone").unwrap_or_default(),
                            attr_text(&b.body, "name").unwrap_or_default(),
                            attr_text(&b.body, "type").unwrap_or_default()
                        ));
                    }
                    ("resource", ["hcloud_server", _]) => {
                        o.servers
                            .insert(attr_text(&b.body, "name").unwrap_or_default());
                    }
                    ("terraform", []) => {
                        for be in b
                            .body
                            .blocks()
                            .filter(|x| x.identifier.as_str() == "backend")
                        {
                            let dir = f.path.rsplit_once('/').map(|p| p.0).unwrap_or("");
                            let path = attr_text(&be.body, "path")
                                .unwrap_or_else(|| format!("local {dir}"));
                            o.states.insert(path);
                        }
                    }
                    _ => {}
                }
            }
        } else if f.path.ends_with(".nomad.hcl") {
            let body: hcl::Body = hcl::from_str(&f.contents).expect(&f.path);
            for b in body.blocks().filter(|b| b.identifier.as_str() == "job") {
                o.jobs.insert(format!(
                    "{} in {}",
                    b.labels[0].as_str(),
                    attr_text(&b.body, "region").unwrap_or_default()
                ));
            }
        } else if f.path == "caddy/caddy.json" {
            let v: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
            caddy_hosts(&v, &mut o.hosts);
        }
    }
    o
}

/// Staging's and production's trees of a spec, checked clean, and the
/// assertion that they share nothing.
fn isolated(spec: &str) -> (Owned, Owned) {
    let checked = loader::check(&root().join(spec));
    assert!(!checked.has_errors(), "{spec}: {:?}", checked.diagnostics);
    let trees = eosc::compile(&checked.models);
    let staging = owned(&trees.iter().find(|t| t.0 == "staging").unwrap().1);
    let production = owned(&trees.iter().find(|t| t.0 == "production").unwrap().1);
    for (what, a, b) in [
        ("rrset", &staging.rrsets, &production.rrsets),
        ("Caddy host", &staging.hosts, &production.hosts),
        ("Nomad job", &staging.jobs, &production.jobs),
        ("Terraform state", &staging.states, &production.states),
        ("server", &staging.servers, &production.servers),
    ] {
        assert!(
            !a.is_empty() && !b.is_empty(),
            "no {what} found: {a:?} {b:?}"
        );
        let shared: Vec<&String> = a.intersection(b).collect();
        assert!(
            shared.is_empty(),
            "{spec}: staging and production share {what}s {shared:?}"
        );
    }
    (staging, production)
}

/// The seeds' shape in small (two environments, Helen as a canary behind
/// the edge, Authentik forward auth): clean and isolated.
#[test]
fn the_seed_shaped_case_compiles_to_isolated_environments() {
    let (staging, production) = isolated("tests/cases/ok/isolated_environments.hcl");
    assert!(
        staging.hosts.contains("staging.example.com"),
        "{:?}",
        staging.hosts
    );
    assert!(
        production.hosts.contains("observe.example.com"),
        "{:?}",
        production.hosts
    );
}

#[test]
fn the_example_compiles_to_isolated_environments() {
    let (staging, production) = isolated("examples/cybermonkey/hecate.hcl");
    // The renaming is the documented one (docs/language.md §5).
    assert!(
        staging.hosts.contains("cloud-staging.cybermonkey.dev"),
        "{:?}",
        staging.hosts
    );
    assert!(staging.hosts.contains("staging.cybermonkey.dev"));
    assert!(production.hosts.contains("cybermonkey.dev"));
    assert!(
        staging.jobs.contains("helen in staging"),
        "{:?}",
        staging.jobs
    );
    assert!(production.jobs.contains("helen in global"));
}
