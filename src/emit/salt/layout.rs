//! Where things live on the minions and how the states that put them
//! there are named: shared by every SLS file and by the Jenkinsfile.

pub use crate::emit::names::path_component;
pub use crate::emit::names::{caddy_dir, deploy_root};
pub use crate::emit::shell::sh;
use crate::sema::model::{App, Model, Route, RouteAction, Target};

/// Salt role → grain target used when `project.salt_targets` has no entry.
pub const DEFAULT_TARGETS: &[(&str, &str)] = &[
    ("controller", "roles:hecate-controller"),
    ("proxy", "roles:hecate-proxy"),
];

/// Runs Terraform, Nomad and Consul commands.
pub const CONTROLLER: &str = "controller";
/// Hosts Caddy and its admin endpoint.
pub const PROXY: &str = "proxy";

/// A grain target (`roles:hecate-controller`) for a role.
pub fn grain_target(model: &Model, role: &str) -> String {
    if let Some(t) = model.project.salt_targets.get(role) {
        return t.clone();
    }
    DEFAULT_TARGETS
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, t)| (*t).to_string())
        .unwrap_or_else(|| format!("roles:hecate-{role}"))
}

/// `(tgt, tgt_type)` reaching every minion of the given roles.
pub fn target_of(model: &Model, roles: &[&str]) -> (String, &'static str) {
    let mut grains: Vec<String> = roles.iter().map(|r| grain_target(model, r)).collect();
    grains.dedup();
    let mut unique: Vec<String> = Vec::new();
    for g in grains {
        if !unique.contains(&g) {
            unique.push(g);
        }
    }
    if unique.len() == 1 {
        (unique.remove(0), "grain")
    } else {
        let parts: Vec<String> = unique.iter().map(|g| format!("G@{g}")).collect();
        (parts.join(" or "), "compound")
    }
}

/// Salt environment (`saltenv`/`pillarenv`) of a spec environment.
pub fn saltenv(model: &Model) -> String {
    path_component(&model.env.name)
}

pub fn terraform_dir(model: &Model) -> String {
    format!("{}/terraform", deploy_root(model))
}

pub fn nomad_dir(model: &Model) -> String {
    format!("{}/nomad", deploy_root(model))
}

/// The artifact directories `files.sls` puts on the minions.
pub const DEPLOYED_DIRS: &[&str] = &["terraform/", "nomad/", "caddy/", "nginx/"];

/// Artifact path relative to `out/<env>/` of an app's Nomad job.
pub fn nomad_job_file(app: &App) -> String {
    format!("nomad/{}.nomad.hcl", path_component(&app.name))
}

/// The Nomad job ID of an app (the nomad emitter names jobs after apps).
pub fn job_id(app: &App) -> &str {
    &app.name
}

/// Base URL of the Caddy admin API.
pub fn caddy_admin_url(model: &Model) -> String {
    let a = model.project.caddy_admin.trim_end_matches('/');
    if a.starts_with("http://") || a.starts_with("https://") {
        a.to_string()
    } else {
        format!("http://{a}")
    }
}

/// The app a route proxies to, if any.
pub fn route_app(route: &Route) -> Option<&str> {
    match &route.action {
        RouteAction::Proxy(Target::App { app, .. }) => Some(app),
        _ => None,
    }
}
