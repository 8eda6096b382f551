//! Snapshots of the artifacts of every example and ok case, in the case's
//! folder (tests/snapshots/examples/<name>/, tests/snapshots/ok/<stem>/),
//! one file per environment and artifact (support/snap.rs): the Nomad
//! jobs, the Terraform module, caddy.json with dns.tf and the zone files,
//! every SLS file and the Jenkinsfile. The routing artifacts of the
//! hand-built fixture are in tests/snapshots/fixture/. Update with
//! `INSTA_UPDATE=always cargo test --test it snapshots::` and review the
//! diff.

use crate::support::{caddy, snap, specs};
use eosc::emit::Artifact;
use eosc::Model;

/// Every artifact `emit` makes for every environment of every spec.
fn snapshot_every_spec(emit: impl Fn(&Model) -> Vec<Artifact>) {
    let specs = specs::all();
    assert!(!specs.is_empty(), "no examples found");
    for spec in specs {
        let dir = snap::case_dir(&spec);
        for model in specs::models(&spec) {
            snapshot_model(&dir, &model, &emit);
        }
    }
}

fn snapshot_model(dir: &str, model: &Model, emit: impl Fn(&Model) -> Vec<Artifact>) {
    for a in emit(model) {
        let name = snap::artifact_name(Some(&model.env.name), &a.path);
        snap::assert(dir, &name, &a.contents);
    }
}

#[test]
fn nomad_jobs() {
    snapshot_every_spec(eosc::emit::nomad::emit);
}

#[test]
fn terraform_module() {
    snapshot_every_spec(eosc::emit::terraform::emit);
}

/// caddy.json, dns.tf and the zone files: what the routing emitters write.
fn routing(model: &Model) -> Vec<Artifact> {
    eosc::emit::emit_all(model)
        .into_iter()
        .filter(|a| {
            a.path == eosc::emit::caddy::PATH
                || a.path == eosc::emit::dns::TF_PATH
                || a.path.starts_with("dns/")
        })
        .collect()
}

#[test]
fn routing_artifacts() {
    snapshot_every_spec(routing);
}

#[test]
fn routing_artifacts_of_the_fixture() {
    snapshot_model("fixture", &caddy::fixture(2), routing);
}

#[test]
fn salt_states() {
    snapshot_every_spec(eosc::emit::salt::emit);
}

/// The Jenkinsfile is one per project, from the models of every
/// environment.
#[test]
fn jenkinsfile() {
    for spec in specs::all() {
        let dir = snap::case_dir(&spec);
        for a in eosc::emit::jenkins::emit_project(&specs::models(&spec)) {
            snap::assert(&dir, &snap::artifact_name(None, &a.path), &a.contents);
        }
    }
}
