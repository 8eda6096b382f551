//! Names that one artifact writes and another reads: the Consul service
//! Nomad registers and Caddy dials, the proxy's host volumes. The names the
//! deploy plan decides (the `@id` of a canary split that Caddy declares and
//! the canary stages PATCH, the split's matchers and weights, which apps roll out as
//! canaries, job paths) live in `plan::names` and are re-exported here, so
//! the layers cannot drift apart.

pub use crate::plan::names::{
    caddy_dir, canary_apps, canary_id, canary_ids, canary_sls, canary_sls_path, canary_split_match,
    canary_weights, deploy_root, job_path, path_component, proxy_job_path, proxy_wanted, unique_id,
    CADDY_CONFIG_MOUNT, PROXY_JOB,
};
use crate::sema::model::{App, Model};

/// The Consul service that carries `port` of `app`: the app's service name
/// for its default (first) port, `<service>-<port>` for any other, with `_`
/// made `-` (Consul service names are DNS labels).
pub fn service_name(app: &App, port: &str) -> String {
    app.service_name(port)
}

/// Host volumes the proxy nodes offer (cloud-init declares them).
pub const CADDY_CONFIG_VOLUME: &str = "hecate-caddy-config";
pub const CADDY_DATA_VOLUME: &str = "hecate-caddy-data";
pub const NGINX_CONFIG_VOLUME: &str = "hecate-nginx-config";

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
