//! Names the deploy plan decides and every artifact agrees on: where the
//! deployment lives on the minions, each job's file and ID, the canary
//! `@id`s and weights Caddy declares and the canary stages PATCH, the
//! orchestrations' SLS names. `emit::names` re-exports them for the
//! emitters, so one definition serves the plan and the files it runs.

use crate::sema::model::{App, Model, RouteAction, Strategy, Target};

/// A name made safe as one path segment or state ID part.
pub fn path_component(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "_".to_string()
    } else {
        out
    }
}

/// The deployment directory on the minions.
pub fn deploy_root(model: &Model) -> String {
    format!(
        "/srv/hecate/{}/{}",
        path_component(&model.project.name),
        path_component(&model.env.name)
    )
}

pub fn caddy_dir(model: &Model) -> String {
    format!("{}/caddy", deploy_root(model))
}

pub fn terraform_dir(model: &Model) -> String {
    format!("{}/terraform", deploy_root(model))
}

/// The Authentik root, applied after Authentik and Caddy are up.
pub fn terraform_auth_dir(model: &Model) -> String {
    format!("{}/terraform-auth", deploy_root(model))
}

pub fn nomad_dir(model: &Model) -> String {
    format!("{}/nomad", deploy_root(model))
}

/// Salt environment (`saltenv`/`pillarenv`) of a spec environment.
pub fn saltenv(model: &Model) -> String {
    path_component(&model.env.name)
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

/// Where an app's Nomad job lands, relative to the environment's output
/// dir.
pub fn job_path(app: &str) -> String {
    format!("nomad/{app}.nomad.hcl")
}

/// Artifact path relative to `out/<env>/` of an app's Nomad job.
pub fn nomad_job_file(app: &App) -> String {
    format!("nomad/{}.nomad.hcl", path_component(&app.name))
}

/// The Nomad job ID of an app (the nomad emitter names jobs after apps).
pub fn job_id(app: &App) -> &str {
    &app.name
}

/// The proxy runtime's job name; an app cannot be named so (checked, E0317).
pub const PROXY_JOB: &str = crate::sema::model::PROXY_JOB;

/// Where the proxy job lands in the tree.
pub fn proxy_job_path() -> String {
    job_path(PROXY_JOB)
}

/// Whether the spec has an edge to run: routes for Caddy or streams.
pub fn proxy_wanted(model: &Model) -> bool {
    !model.routes.is_empty() || !model.streams.is_empty()
}

/// The `@id` of the canary split handler of `app` in its `n`-th route
/// (0-based): `canary-<app>`, then `canary-<app>-2`, …
pub fn canary_id(app: &str, n: usize) -> String {
    if n == 0 {
        format!("canary-{app}")
    } else {
        format!("canary-{app}-{}", n + 1)
    }
}

/// Every canary `@id` in the Caddy config for `app`: one per route that
/// proxies to it while it rolls out as a canary.
pub fn canary_ids(model: &Model, app: &str) -> Vec<String> {
    let Some(a) = model.apps.get(app) else {
        return Vec::new();
    };
    if model.canary_traffic(a).is_none() {
        return Vec::new();
    }
    let n = model
        .routes
        .iter()
        .filter(|r| matches!(&r.action, RouteAction::Proxy(Target::App { app: x, .. }) if x == app))
        .count();
    (0..n).map(|i| canary_id(app, i)).collect()
}

/// Weights `[stable, canary]` for Caddy's `weighted_round_robin`: whole
/// percents when the split is whole, basis points otherwise.
pub fn canary_weights(percent_to_canary: f64) -> [u32; 2] {
    let p = percent_to_canary.clamp(0.0, 100.0);
    if p.fract() == 0.0 {
        let c = p as u32;
        [100 - c, c]
    } else {
        let c = (p * 100.0).round() as u32;
        [10_000 - c, c]
    }
}

/// Apps that roll out as canaries, in declaration order.
pub fn canary_apps(model: &Model) -> Vec<&str> {
    model
        .apps
        .values()
        .filter(|a| {
            a.rollout
                .as_deref()
                .and_then(|r| model.rollouts.get(r))
                .is_some_and(|r| r.strategy == Strategy::Canary && !r.stages.is_empty())
        })
        .map(|a| a.name.as_str())
        .collect()
}

/// Artifact path of a canary stage's orchestration.
pub fn canary_sls_path(app: &str, stage: usize) -> String {
    format!(
        "salt/hecate/canary/{}/stage{stage}.sls",
        path_component(app)
    )
}

/// SLS name (for `state.orchestrate`) of a canary stage's orchestration.
pub fn canary_sls(app: &str, stage: usize) -> String {
    format!("hecate.canary.{}.stage{stage}", path_component(app))
}

/// State ID of an app's Nomad deployment.
pub fn app_state_id(app: &str) -> String {
    format!("hecate_nomad_{}", path_component(app))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights() {
        assert_eq!(canary_weights(25.0), [75, 25]);
        assert_eq!(canary_weights(100.0), [0, 100]);
        assert_eq!(canary_weights(2.5), [9750, 250]);
    }
}
