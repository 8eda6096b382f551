//! Where things live on the minions and how the states that put them
//! there are named: shared by every SLS file and by the Jenkinsfile.

pub use crate::emit::shell::sh;
pub use crate::plan::names::{
    caddy_admin_url, caddy_dir, deploy_root, job_id, nomad_dir, nomad_job_file, path_component,
    saltenv, terraform_dir,
};
use crate::plan::Role;
use crate::sema::model::{Model, Route, RouteAction, Target};

/// Salt role → grain target used when `project.salt_targets` has no entry.
pub const DEFAULT_TARGETS: &[(&str, &str)] = &[
    ("controller", "roles:hecate-controller"),
    ("proxy", "roles:hecate-proxy"),
];

/// Runs Terraform, Nomad and Consul commands.
pub const CONTROLLER: &str = Role::Controller.name();
/// Hosts Caddy and its admin endpoint.
pub const PROXY: &str = Role::Proxy.name();

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

/// The artifact directories `files.sls` puts on the minions.
pub const DEPLOYED_DIRS: &[&str] = &[
    "terraform/",
    "terraform-auth/",
    "nomad/",
    "caddy/",
    "nginx/",
];

/// The app a route proxies to, if any.
pub fn route_app(route: &Route) -> Option<&str> {
    match &route.action {
        RouteAction::Proxy(Target::App { app, .. }) => Some(app),
        _ => None,
    }
}
