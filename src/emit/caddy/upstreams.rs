//! `reverse_proxy` handlers: to an app through Consul, to an external
//! `upstream` by its addresses, and the canary split.

use super::escape;
use crate::emit::names::{self, canary_id, service_name};
use crate::sema::model::{App, Model, Target, Upstream};
use serde_json::{json, Map, Value};

/// How often Caddy asks Consul again for a canary app's stable and canary
/// instances: Nomad's tag changes (a canary placed, promoted, stopped) are
/// seen within this; an instance gone before then is retried around.
pub const CANARY_REFRESH: &str = "2s";

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
    if let (Some(_), Some(ids)) = (model.canary_traffic(app), ids) {
        return canary_split(&ids.next(&app.name), &service);
    }
    json!({
        "handler": "reverse_proxy",
        "dynamic_upstreams": {"source": "srv", "name": format!("{service}.service.consul")},
    })
}

/// A canary app's handler: a subroute whose first route (the canary
/// branch) takes the share of the requests its split file says
/// ([`names::canary_split_match`]: none until a canary stage writes it);
/// every other request goes to the instances Consul tags `stable`. Both pools come from
/// SRV records, so dynamic ports work: Nomad registers a canary with its
/// `canary_tags` and, once promoted, with its `tags`. The canary branch
/// falls back to the stable instances when the canary name answers
/// nothing (not yet placed, or promoted within the refresh interval), and
/// a dial that fails is retried on another instance, the failed one left
/// out for a while (passive health).
fn canary_split(id: &str, service: &str) -> Value {
    let srv = |tag: &str| {
        json!({
            "source": "srv",
            "name": format!("{tag}.{service}.service.consul"),
            "refresh": CANARY_REFRESH,
        })
    };
    let retrying = |upstreams: Value, policy: &str| {
        json!({
            "handler": "reverse_proxy",
            "dynamic_upstreams": upstreams,
            "load_balancing": {
                "selection_policy": {"policy": policy},
                "try_duration": "5s",
                "try_interval": "250ms",
            },
            "health_checks": {"passive": {"fail_duration": "10s", "max_fails": 1}},
        })
    };
    json!({
        "@id": id,
        "handler": "subroute",
        "routes": [
            {
                "match": names::canary_split_match(id),
                "handle": [retrying(
                    json!({"source": "multi", "sources": [srv("canary"), srv("stable")]}),
                    "first",
                )],
            },
            {"handle": [retrying(srv("stable"), "random")]},
        ],
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
