//! `reverse_proxy` handlers: to an app through Consul, to an external
//! `upstream` by its addresses, and the weighted canary split.

use super::escape;
use crate::emit::names::{canary_id, canary_weights, service_name};
use crate::sema::model::{App, Model, Target, Upstream};
use serde_json::{json, Map, Value};

/// The port the stable and canary instances listen on: the static host
/// port (E0321 makes a routed canary app's port static).
fn canary_dial_port(app: &App, port: &str) -> Option<u16> {
    app.ports.get(port).and_then(|p| p.static_port)
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
    let service = service_name(app, port);
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
