//! Names that one artifact writes and another reads: the Consul service
//! Nomad registers and Caddy dials, the `@id` of a canary split that Caddy
//! declares and the Salt canary stages PATCH, and the split's weights. They
//! are defined once here so the layers cannot drift apart; likewise which
//! apps roll out as canaries and the Salt orchestrations of their stages,
//! which Salt writes and the Jenkinsfile runs.

use crate::sema::model::{App, Model, RouteAction, Strategy, Target};

/// The Consul service that carries `port` of `app`: the app's service name
/// for its default (first) port, `<service>-<port>` for any other, with `_`
/// made `-` (Consul service names are DNS labels).
pub fn service_name(app: &App, port: &str) -> String {
    app.service_name(port)
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

/// Where an app's Nomad job lands, relative to the environment's output
/// dir: Nomad writes it, Terraform's `nomad_job` reads it.
pub fn job_path(app: &str) -> String {
    format!("nomad/{app}.nomad.hcl")
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

/// The job's name; an app cannot be named so (checked, E0317).
pub const PROXY_JOB: &str = crate::sema::model::PROXY_JOB;
/// Host volumes the proxy nodes offer (cloud-init declares them).
pub const CADDY_CONFIG_VOLUME: &str = "hecate-caddy-config";
pub const CADDY_DATA_VOLUME: &str = "hecate-caddy-data";
pub const NGINX_CONFIG_VOLUME: &str = "hecate-nginx-config";

/// Where the proxy job lands in the tree.
pub fn proxy_job_path() -> String {
    job_path(PROXY_JOB)
}

/// Whether the spec has an edge to run: routes for Caddy or streams.
pub fn proxy_wanted(model: &Model) -> bool {
    !model.routes.is_empty() || !model.streams.is_empty()
}

/// The host volumes of the proxy job as (name, host path, read_only): the
/// config directories are where Salt puts the artifacts.
pub fn host_volumes(model: &Model) -> Vec<(String, String, bool)> {
    let mut v = vec![
        (CADDY_CONFIG_VOLUME.to_string(), caddy_dir(model), true),
        (
            CADDY_DATA_VOLUME.to_string(),
            format!("/opt/nomad/volumes/{CADDY_DATA_VOLUME}"),
            false,
        ),
    ];
    if !model.streams.is_empty() {
        v.push((
            NGINX_CONFIG_VOLUME.to_string(),
            format!("{}/nginx", deploy_root(model)),
            true,
        ));
    }
    v
}

/// Where containers find DNS: the Docker bridge's gateway (`bip`, pinned in
/// cloud-init's `/etc/docker/daemon.json`), on which systemd-resolved's stub
/// also listens (`DNSStubListenerExtra`) and forwards `.consul` to the local
/// Consul agent. A container cannot use the host's 127.0.0.53 (its own
/// loopback) and resolv.conf takes no port, so Consul's 8600 is out of reach.
pub const CONTAINER_DNS: &str = "172.17.0.1";
/// Docker's bridge address with its prefix (`bip`).
pub const DOCKER_BRIDGE_CIDR: &str = "172.17.0.1/16";

/// Whether `app`'s tasks dial a Consul name (an env value or argument with
/// `.consul`), so its containers need [`CONTAINER_DNS`].
pub fn dials_consul(app: &App) -> bool {
    let consul = |s: &str| {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'))
            .any(|w| w.trim_end_matches('.').ends_with(".consul"))
    };
    app.tasks.iter().any(|t| {
        t.env.values().any(|v| consul(v))
            || t.args.iter().any(|a| consul(a))
            || t.command.as_deref().is_some_and(consul)
    })
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
