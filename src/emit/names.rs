//! Names that one artifact writes and another reads: the Consul service
//! Nomad registers and Caddy dials, the proxy's host volumes. The names the
//! deploy plan decides (the `@id` of a canary split that Caddy declares and
//! the canary stages PATCH, the split's weights, which apps roll out as
//! canaries, job paths) live in `plan::names` and are re-exported here, so
//! the layers cannot drift apart.

pub use crate::plan::names::{
    caddy_dir, canary_apps, canary_id, canary_ids, canary_sls, canary_sls_path, canary_weights,
    deploy_root, job_path, path_component, proxy_job_path, proxy_wanted, PROXY_JOB,
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
