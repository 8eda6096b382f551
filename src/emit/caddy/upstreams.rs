//! `reverse_proxy` handlers: to an app through Consul, to an external
//! `upstream` by its addresses, and the weighted canary split.

use super::escape;
use crate::sema::model::{App, Model, RouteAction, Target, Upstream};
use serde_json::{json, Map, Value};

/// The Consul service that carries `port` of `app`: the app's service name
/// for its default (first) port, `<service>-<port>` for any other port.
/// The Nomad emitter registers services under the same names.
pub fn consul_service(app: &App, port: &str) -> String {
    match app.default_port() {
        Some(p) if p.name != port => format!("{}-{}", app.service, port),
        _ => app.service.clone(),
    }
}

/// The `@id` of the canary split handler of `app` in its `n`-th route
/// (0-based): `canary-<app>`, then `canary-<app>-2`, … Jenkins PATCHes the
/// weights through the admin API at `/id/<this>`.
pub fn canary_id(app: &str, n: usize) -> String {
    if n == 0 {
        format!("canary-{app}")
    } else {
        format!("canary-{app}-{}", n + 1)
    }
}

/// Every canary `@id` in the config for `app`, in route order.
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
        .filter(|r| match &r.action {
            RouteAction::Proxy(Target::App { app: x, port }) => {
                x == app && canary_dial_port(a, port).is_some()
            }
            _ => false,
        })
        .count();
    (0..n).map(|i| canary_id(app, i)).collect()
}

/// The port the stable and canary instances listen on: the static host
/// port, else the container port (Consul advertises the allocation address).
fn canary_dial_port(app: &App, port: &str) -> Option<u16> {
    app.ports.get(port).and_then(|p| p.static_port.or(p.to))
}

/// Weights for Caddy's `weighted_round_robin` (stable first): whole
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

/// Allocates canary `@id`s in route order.
#[derive(Default)]
pub struct CanaryIds {
    seen: indexmap::IndexMap<String, usize>,
}

impl CanaryIds {
    fn next(&mut self, app: &str) -> String {
        let n = self.seen.entry(app.to_string()).or_insert(0);
        let id = canary_id(app, *n);
        *n += 1;
        id
    }
}

/// The `reverse_proxy` handler that serves `target`. `ids` is None where
/// no canary split applies (the auth outpost: every instance serves it).
pub fn proxy(model: &Model, target: &Target, ids: Option<&mut CanaryIds>) -> Value {
    match target {
        Target::App { app, port } => match model.apps.get(app) {
            Some(a) => app_proxy(model, a, port, ids),
            None => unreachable_target(),
        },
        Target::Upstream(name) => match model.upstreams.get(name) {
            Some(u) => upstream_proxy(u),
            None => unreachable_target(),
        },
    }
}

/// The model guarantees every target exists; if that were ever broken the
/// route answers 502 instead of the emitter panicking.
fn unreachable_target() -> Value {
    json!({"handler": "static_response", "status_code": 502})
}

fn app_proxy(model: &Model, app: &App, port: &str, ids: Option<&mut CanaryIds>) -> Value {
    let service = consul_service(app, port);
    if let (Some(p), Some(ids)) = (model.canary_traffic(app), ids) {
        // weighted_round_robin weighs positions in a static upstream list,
        // so the stable and canary instances are two dial addresses that
        // Consul DNS resolves by tag; the port is the one the app listens on.
        if let Some(dial_port) = canary_dial_port(app, port) {
            let w = canary_weights(p);
            return json!({
                "@id": ids.next(&app.name),
                "handler": "reverse_proxy",
                "upstreams": [
                    {"dial": escape::literal(&format!("stable.{service}.service.consul:{dial_port}"))},
                    {"dial": escape::literal(&format!("canary.{service}.service.consul:{dial_port}"))},
                ],
                "load_balancing": {
                    "selection_policy": {"policy": "weighted_round_robin", "weights": w},
                },
            });
        }
    }
    json!({
        "handler": "reverse_proxy",
        "dynamic_upstreams": {"source": "srv", "name": format!("{service}.service.consul")},
    })
}

fn upstream_proxy(u: &Upstream) -> Value {
    let mut h = Map::new();
    h.insert("handler".into(), json!("reverse_proxy"));
    let ups: Vec<Value> = u
        .targets
        .iter()
        .map(|t| json!({"dial": escape::literal(t)}))
        .collect();
    h.insert("upstreams".into(), Value::Array(ups));
    if u.tls || u.tls_skip_verify {
        let mut tls = Map::new();
        if u.tls_skip_verify {
            tls.insert("insecure_skip_verify".into(), json!(true));
        }
        h.insert("transport".into(), json!({"protocol": "http", "tls": tls}));
    }
    if let Some(hc) = &u.health {
        h.insert(
            "health_checks".into(),
            json!({"active": {
                "uri": escape::literal(&hc.path),
                "interval": escape::duration(hc.interval),
                "timeout": escape::duration(hc.timeout),
            }}),
        );
    }
    Value::Object(h)
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
