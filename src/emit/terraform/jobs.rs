//! jobs.tf: one `nomad_job` per app, reading the job file eosc wrote next
//! to the module, ordered by the dependency graph.

use super::{hcl_out, reference, tf_name};
use crate::emit::names::job_path;
use crate::sema::model::{Entity, Kind, Model};
use hcl::expr::FuncCall;
use hcl::{Block, Body, Expression};
use std::collections::{BTreeSet, HashMap};

/// The Terraform name of the proxy job's `nomad_job`.
pub const PROXY_JOB: &str = "eosc_hecate_proxy";

pub fn body(model: &Model) -> Body {
    let graph = model.graph.dependency_map();
    let mut b = Body::builder();
    // The edge first (the user's plan: stateful, then core/proxy, then
    // apps): every app job waits for it.
    let proxy = crate::emit::names::proxy_wanted(model);
    if proxy {
        let path = format!(
            "${{path.module}}/../{}",
            hcl_out::quote_body(&crate::emit::names::proxy_job_path())
        );
        let jobspec = FuncCall::builder("file")
            .arg(hcl_out::template(path))
            .build();
        let mut r = Block::builder("resource")
            .add_label("nomad_job")
            .add_label(PROXY_JOB)
            .add_attribute(("jobspec", Expression::FuncCall(Box::new(jobspec))));
        let servers: Vec<Expression> = model
            .proxy_servers
            .iter()
            .map(|s| reference("hcloud_server", &[&tf_name(s)]))
            .collect();
        if !servers.is_empty() {
            r = r.add_attribute(("depends_on", Expression::Array(servers)));
        }
        b = b.add_block(r.build());
    }
    for app in model.apps.values() {
        let path = format!(
            "${{path.module}}/../{}",
            hcl_out::quote_body(&job_path(&app.name))
        );
        let jobspec = FuncCall::builder("file")
            .arg(hcl_out::template(path))
            .build();
        let mut r = Block::builder("resource")
            .add_label("nomad_job")
            .add_label(tf_name(&app.name))
            .add_attribute(("jobspec", Expression::FuncCall(Box::new(jobspec))));
        let mut deps = dependencies(model, &graph, &app.name);
        if proxy {
            deps.insert(("nomad_job", PROXY_JOB.to_string()));
        }
        if !deps.is_empty() {
            let refs = deps
                .iter()
                .map(|(kind, name)| reference(kind, &[name.as_str()]))
                .collect();
            r = r.add_attribute(("depends_on", Expression::Array(refs)));
        }
        b = b.add_block(r.build());
    }
    b.build()
}

/// Terraform resources a job waits for: the jobs of the apps it depends on
/// and the servers it runs on, as (resource type, name), sorted.
fn dependencies(
    model: &Model,
    graph: &HashMap<&Entity, Vec<&Entity>>,
    app: &str,
) -> BTreeSet<(&'static str, String)> {
    let me = Entity {
        kind: Kind::App,
        name: app.to_string(),
    };
    let mut deps = BTreeSet::new();
    for dep in graph.get(&me).into_iter().flatten() {
        match dep.kind {
            Kind::App if model.apps.contains_key(&dep.name) => {
                deps.insert(("nomad_job", tf_name(&dep.name)));
            }
            Kind::Server if model.servers.contains_key(&dep.name) => {
                deps.insert(("hcloud_server", tf_name(&dep.name)));
            }
            _ => {}
        }
    }
    if let Some(a) = model.apps.get(app) {
        for d in a.depends_on.iter().filter(|d| model.apps.contains_key(*d)) {
            deps.insert(("nomad_job", tf_name(d)));
        }
        if let Some(s) = a
            .runs_on
            .as_ref()
            .filter(|s| model.servers.contains_key(*s))
        {
            deps.insert(("hcloud_server", tf_name(s)));
        }
    }
    deps
}
