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
mod steps;
pub mod yaml;

pub use crate::emit::names::{canary_apps, canary_sls, canary_sls_path};
pub use pillar::sdb_uri;

use super::{header, Artifact};
use crate::plan::{self, Plan};
use crate::sema::model::Model;
use yaml::{document, Entry};

/// Every SLS file of one environment, relative to `out/<env>/`.
pub fn emit(model: &Model) -> Vec<Artifact> {
    emit_for(model, &plan::plan(model), &super::deployable(model))
}

/// [`emit`] from a computed plan, given the other emitters' artifacts that
/// `files.sls` manages.
pub fn emit_for(model: &Model, plan: &Plan, deployable: &[Artifact]) -> Vec<Artifact> {
    let mut out = emit_but_files(model, plan);
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

/// Every SLS file but `files.sls`: the top files, the pillar, and each
/// orchestration of the plan.
pub fn emit_but_files(model: &Model, plan: &Plan) -> Vec<Artifact> {
    let h = header(model, "#");
    let file = |path: &str, entries: Vec<Entry>| Artifact::new(path, document(&h, &entries));
    let mut out = vec![
        file("salt/top.sls", files::top(model)),
        file("salt/pillar/top.sls", files::pillar_top(model)),
        file("salt/pillar/hecate.sls", pillar::pillar(model)),
    ];
    for o in plan.orchestrations() {
        out.push(Artifact::new(&o.path, orchestrate::render(model, &h, o)));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
