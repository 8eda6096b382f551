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

/// Weights `[stable, canary]` of a stage: whole percents when the split is
/// whole, basis points otherwise (the step kind and the split threshold
/// are computed from them).
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

/// Where the proxy job mounts the deployment's Caddy directory
/// ([`caddy_dir`]) in the Caddy container, read-only.
pub const CADDY_CONFIG_MOUNT: &str = "/etc/eosc/caddy";

/// The file, relative to [`caddy_dir`], that holds the split of the canary
/// handler `id`: the threshold below which a request's random UUID goes to
/// the canary ([`canary_threshold`]). Caddy reads it on every request of
/// that route (`{file.*}`), so a stage changes it without a config reload:
/// a reload replaces Caddy's listening socket (SO_REUSEPORT on Linux), and
/// the connections queued on the old one are reset.
pub fn canary_split_file(id: &str) -> String {
    format!("canary/{}.split", path_component(id))
}

/// How many request buckets the split tells apart: the first four hex
/// digits of Caddy's `{http.request.uuid}` (a random, version 4 UUID).
pub const SPLIT_BUCKETS: u32 = 0x1_0000;

/// The split file's contents for `percent_to_canary`: a request goes to
/// the canary when its UUID sorts before this string. `0000` sends none,
/// `g` (after every hex digit) all, `4000` the first quarter of the UUIDs.
pub fn canary_threshold(percent_to_canary: f64) -> String {
    let [stable, canary] = canary_weights(percent_to_canary);
    let total = u64::from(stable) + u64::from(canary);
    let buckets = (u64::from(canary) * u64::from(SPLIT_BUCKETS) + total / 2) / total.max(1);
    if buckets >= u64::from(SPLIT_BUCKETS) {
        "g".to_string()
    } else {
        format!("{buckets:04x}")
    }
}

/// The matcher set of the canary branch of split handler `id`: the
/// request's UUID sorts before the threshold in its split file (seen in
/// the container at [`CADDY_CONFIG_MOUNT`]); a missing file sends nothing
/// to the canary.
pub fn canary_split_match(id: &str) -> serde_json::Value {
    let file = format!("file.{CADDY_CONFIG_MOUNT}/{}", canary_split_file(id));
    serde_json::json!([{
        "expression": format!(
            "ph(req, \"{file}\") != null && {{http.request.uuid}} < ph(req, \"{file}\")"
        )
    }])
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

/// `base`, or `base_2`, `base_3`, … if it is taken: the first free one,
/// now taken too. IDs derived from names that may clean up alike.
pub fn unique_id(taken: &mut std::collections::BTreeSet<String>, base: String) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
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

    /// The threshold sends the declared share of the 65,536 UUID prefixes
    /// to the canary (CEL compares strings by code point, as `<` on `str`).
    #[test]
    fn thresholds_split_the_uuids_as_declared() {
        for (percent, buckets) in [
            (0.0, 0),
            (10.0, 6554),
            (25.0, 16384),
            (2.5, 1638),
            (50.0, 32768),
            (100.0, 65536),
        ] {
            let t = canary_threshold(percent);
            let n = (0..SPLIT_BUCKETS)
                .filter(|v| format!("{v:04x}-0000-4000-8000-000000000000").as_str() < t.as_str())
                .count();
            assert_eq!(n, buckets, "{percent}%: {t}");
        }
        assert_eq!(canary_threshold(25.0), "4000");
    }
}
