//! The two layers must agree: a job constrained to a node class runs on
//! servers whose cloud-init joins Nomad with that class and offers every
//! host volume the job mounts.

use crate::support::fixture;
use crate::support::specs;

use eosc::emit::{emit_all, Artifact};
use eosc::Model;

fn file<'a>(arts: &'a [Artifact], path: &str) -> &'a str {
    arts.iter()
        .find(|a| a.path == path)
        .map_or("", |a| a.contents.as_str())
}

/// The text of `resource "hcloud_server" "<name>" { ... }` in servers.tf.
fn server_block<'a>(servers_tf: &'a str, name: &str) -> &'a str {
    let start = servers_tf
        .find(&format!("resource \"hcloud_server\" \"{name}\" {{"))
        .unwrap_or_else(|| panic!("no hcloud_server.{name}"));
    let rest = &servers_tf[start..];
    &rest[..rest.find("\n}\n").map_or(rest.len(), |i| i + 3)]
}

fn check(model: &Model) {
    let arts = emit_all(model);
    let servers_tf = file(&arts, "terraform/servers.tf");
    for app in model.apps.values() {
        let job = file(&arts, &format!("nomad/{}.nomad.hcl", app.name));
        assert!(!job.is_empty(), "no job for {}", app.name);
        let placed_on: Vec<&str> = match &app.runs_on {
            Some(s) => vec![s.as_str()],
            None => model.servers.keys().map(String::as_str).collect(),
        };
        for s in placed_on {
            let server = &model.servers[s];
            let block = server_block(servers_tf, s);
            if app.runs_on.is_some() {
                assert!(job.contains(&format!(
                    "attribute = \"${{node.class}}\"\n    value     = \"{}\"",
                    server.node_class
                )));
            }
            assert!(
                block.contains(&format!("node_class = \"{}\"", server.node_class)),
                "{s} joins another class"
            );
            for v in &app.volumes {
                assert!(
                    block.contains(&format!("host_volume \"{}\" {{", v.host)),
                    "{s} lacks host volume {} of {}",
                    v.host,
                    app.name
                );
            }
        }
    }
}

#[test]
fn fixture_layers_agree() {
    check(&fixture::model());
}

#[test]
fn every_spec_layers_agree() {
    for spec in specs::all() {
        for model in specs::models(&spec) {
            check(&model);
        }
    }
}
