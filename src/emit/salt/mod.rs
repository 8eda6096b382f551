//! Salt: the environment's deployment as SLS files under `salt/`.
//!
//! Every file starts with `#!yaml`, so Salt never renders it through Jinja
//! and no user string can become a template. The tree is meant to be served
//! as its own saltenv, named after the environment:
//! `file_roots: {<env>: [out/<env>/salt, out/<env>]}` (the second root
//! serves the artifacts as `salt://caddy/caddy.json`, `salt://nomad/...`,
//! `salt://terraform/...`) and `pillar_roots: {<env>: [out/<env>/salt/pillar]}`.
//! The deployment runs on the master as
//! `salt-run state.orchestrate hecate.orchestrate saltenv=<env> pillarenv=<env>`.

mod files;
pub mod layout;
mod orchestrate;
mod pillar;
pub mod steps;
pub mod yaml;

pub use crate::emit::names::{canary_apps, canary_sls, canary_sls_path};
pub use pillar::sdb_uri;

use super::{header, Artifact};
use crate::sema::model::Model;
use yaml::{document, Entry};

/// Every SLS file of one environment, relative to `out/<env>/`.
pub fn emit(model: &Model) -> Vec<Artifact> {
    emit_for(model, &super::deployable(model))
}

/// [`emit`], given the other emitters' artifacts that `files.sls` manages.
pub fn emit_for(model: &Model, deployable: &[Artifact]) -> Vec<Artifact> {
    let mut out = emit_but_files(model);
    out.push(files_sls(model, deployable));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// `files.sls`: the one Salt file that depends on the other emitters' output.
pub fn files_sls(model: &Model, deployable: &[Artifact]) -> Artifact {
    let h = header(model, "#");
    Artifact::new(
        "salt/hecate/files.sls",
        document(&h, &files::files(model, deployable)),
    )
}

/// Every SLS file but `files.sls`: what can be written before, or beside,
/// the other emitters.
pub fn emit_but_files(model: &Model) -> Vec<Artifact> {
    let h = header(model, "#");
    let file = |path: &str, entries: Vec<Entry>| Artifact::new(path, document(&h, &entries));
    let mut out = vec![
        file("salt/top.sls", files::top(model)),
        file("salt/pillar/top.sls", files::pillar_top(model)),
        file("salt/pillar/hecate.sls", pillar::pillar(model)),
        file(
            "salt/hecate/orchestrate.sls",
            orchestrate::orchestrate(model),
        ),
        file("salt/hecate/plan.sls", orchestrate::plan(model)),
        file("salt/hecate/verify.sls", verify_standalone(model)),
        file("salt/hecate/promote.sls", orchestrate::promote(model)),
        file("salt/hecate/rollback.sls", files::rollback(model)),
    ];
    for app in canary_apps(model) {
        let Some(rollout) = model
            .apps
            .get(app)
            .and_then(|a| a.rollout.as_deref())
            .and_then(|r| model.rollouts.get(r))
        else {
            continue;
        };
        for (i, stage) in rollout.stages.iter().enumerate() {
            out.push(file(
                &canary_sls_path(app, i + 1),
                orchestrate::canary_stage(model, app, i + 1, stage.traffic),
            ));
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// `hecate.verify`, run by hand or by Jenkins after a deployment. With no
/// route to probe it still holds one state, so the run reports "no routes to
/// verify" instead of an empty result that looks like a verify that never ran.
fn verify_standalone(model: &Model) -> Vec<Entry> {
    let checks = orchestrate::verify(model, "hecate_check_", false);
    if !checks.is_empty() {
        return checks;
    }
    vec![Entry {
        comments: vec![format!(
            "Environment {} has no routes to probe.",
            model.env.name
        )],
        key: "hecate_check_nothing".to_string(),
        value: steps::state(
            "test.succeed_without_changes",
            vec![steps::one("name", yaml::Node::str("no routes to verify"))],
        ),
    }]
}
