//! `reverse_proxy` handlers: to an app through Consul, to an external
//! `upstream` by its addresses, and the canary split.

use super::escape;
use crate::emit::names::{self, canary_id, service_name};
use crate::sema::model::{App, HeaderOps, Model, ProxyOptions, Target, Upstream};
use crate::sema::placeholders::{self, Piece};
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

/// A proxying route's handler: its target, with the route's options
/// (fallback targets, balancing, health, header operations). Without
/// options it is [`proxy`]'s, byte for byte.
pub fn route_proxy(
    model: &Model,
    target: &Target,
    opts: &ProxyOptions,
    ids: &mut CanaryIds,
) -> Value {
    let mut h = match target {
        Target::App { app, .. }
            if opts.fallback.is_empty()
                && model
                    .apps
                    .get(app)
                    .is_some_and(|a| model.canary_traffic(a).is_some()) =>
        {
            // The checker allows only header operations on a canary
            // route: they go to both branches of the split.
            let mut split = proxy(model, target, Some(ids));
            add_headers(&mut split, opts);
            return split;
        }
        _ if opts.fallback.is_empty() => proxy(model, target, Some(ids)),
        _ => several(model, target, &opts.fallback),
    };
    if let Value::Object(o) = &mut h {
        options(o, opts);
    }
    h
}

/// The handler of a target with fallbacks, tried in order: static
/// addresses when every target is an `upstream`, else a `multi` source
/// of the apps' SRV names and the upstreams' addresses (`a` lookups).
fn several(model: &Model, target: &Target, fallback: &[Target]) -> Value {
    let all: Vec<&Target> = std::iter::once(target).chain(fallback).collect();
    let mut h = Map::new();
    h.insert("handler".into(), json!("reverse_proxy"));
    let upstream = |t: &Target| match t {
        Target::Upstream(u) => model.upstreams.get(u),
        Target::App { .. } => None,
    };
    if all.iter().all(|t| upstream(t).is_some()) {
        let dials: Vec<Value> = all
            .iter()
            .filter_map(|t| upstream(t))
            .flat_map(|u| u.targets.iter())
            .map(|t| json!({"dial": escape::literal(t)}))
            .collect();
        h.insert("upstreams".into(), Value::Array(dials));
    } else {
        let mut sources = Vec::new();
        for t in &all {
            match t {
                Target::App { app, port } => {
                    if let Some(a) = model.apps.get(app) {
                        sources.push(json!({
                            "source": "srv",
                            "name": format!("{}.service.consul", service_name(a, port)),
                        }));
                    }
                }
                Target::Upstream(_) => {
                    for addr in upstream(t).map(|u| u.targets.as_slice()).unwrap_or(&[]) {
                        let (host, port) = addr.rsplit_once(':').unwrap_or((addr, "80"));
                        let host = host.trim_start_matches('[').trim_end_matches(']');
                        sources.push(json!({
                            "source": "a",
                            "name": escape::literal(host),
                            "port": port,
                        }));
                    }
                }
            }
        }
        h.insert(
            "dynamic_upstreams".into(),
            json!({"source": "multi", "sources": sources}),
        );
    }
    // The checker makes every target's TLS the same: the first one's. An
    // active check is Caddy's for static addresses only; the route's own
    // `health` (applied after this) replaces the first upstream's.
    if let Some(u) = all.iter().find_map(|t| upstream(t)) {
        transport(&mut h, u);
        if let (Some(hc), true) = (&u.health, all.iter().all(|t| upstream(t).is_some())) {
            h.insert("health_checks".into(), active(hc));
        }
    }
    Value::Object(h)
}

/// The route's own settings over a handler's: balancing, passive and
/// active health, headers.
fn options(h: &mut Map<String, Value>, o: &ProxyOptions) {
    let mut lb = Map::new();
    if let Some(p) = &o.lb_policy {
        let mut sel = Map::new();
        sel.insert("policy".into(), json!(p));
        if let Some(f) = &o.lb_field {
            sel.insert("field".into(), json!(f));
        }
        lb.insert("selection_policy".into(), Value::Object(sel));
    }
    if let Some(d) = o.try_duration {
        lb.insert("try_duration".into(), json!(escape::duration(d)));
    }
    if let Some(d) = o.try_interval {
        lb.insert("try_interval".into(), json!(escape::duration(d)));
    }
    if let Some(n) = o.retries {
        lb.insert("retries".into(), json!(n));
    }
    if !lb.is_empty() {
        h.insert("load_balancing".into(), Value::Object(lb));
    }
    let mut passive = Map::new();
    if let Some(d) = o.fail_duration {
        passive.insert("fail_duration".into(), json!(escape::duration(d)));
    }
    if let Some(n) = o.max_fails {
        passive.insert("max_fails".into(), json!(n));
    }
    if !o.unhealthy_status.is_empty() {
        passive.insert("unhealthy_status".into(), json!(o.unhealthy_status));
    }
    if let Some(d) = o.unhealthy_latency {
        passive.insert("unhealthy_latency".into(), json!(escape::duration(d)));
    }
    if let Some(hc) = &o.health {
        h.insert("health_checks".into(), active(hc));
    }
    if !passive.is_empty() {
        let checks = h
            .entry("health_checks")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(c) = checks {
            c.insert("passive".into(), Value::Object(passive));
        }
    }
    let mut headers = Map::new();
    if !o.header_up.is_empty() {
        headers.insert("request".into(), header_ops(&o.header_up));
    }
    if !o.header_down.is_empty() {
        headers.insert("response".into(), header_ops(&o.header_down));
    }
    if !headers.is_empty() {
        h.insert("headers".into(), Value::Object(headers));
    }
}

/// Header operations on every `reverse_proxy` inside a canary split.
fn add_headers(v: &mut Value, o: &ProxyOptions) {
    let only_headers = ProxyOptions {
        header_up: o.header_up.clone(),
        header_down: o.header_down.clone(),
        ..ProxyOptions::default()
    };
    match v {
        Value::Object(m) => {
            if m.get("handler") == Some(&json!("reverse_proxy")) {
                options(m, &only_headers);
            }
            m.values_mut().for_each(|c| add_headers(c, o));
        }
        Value::Array(a) => a.iter_mut().for_each(|c| add_headers(c, o)),
        _ => {}
    }
}

/// Caddy's `headers` operations (`set`, `add`, `delete`).
fn header_ops(ops: &HeaderOps) -> Value {
    let mut m = Map::new();
    let values = |map: &indexmap::IndexMap<String, String>| -> Value {
        Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), json!([template(v)])))
                .collect(),
        )
    };
    if !ops.add.is_empty() {
        m.insert("add".into(), values(&ops.add));
    }
    if !ops.delete.is_empty() {
        m.insert("delete".into(), json!(ops.delete));
    }
    if !ops.set.is_empty() {
        m.insert("set".into(), values(&ops.set));
    }
    Value::Object(m)
}

/// A header template as Caddy reads it: the allowed placeholders in
/// their JSON form, every other brace escaped (literal).
pub fn template(s: &str) -> String {
    placeholders::parse(s)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => escape::literal(t),
            Piece::Placeholder(p) => format!("{{{p}}}"),
            // Refused by the checker (E0350); literal if it ever got here.
            Piece::Refused(r) => escape::literal(r),
        })
        .collect()
}

/// An active health check.
fn active(hc: &crate::sema::model::UpstreamHealth) -> Value {
    json!({"active": {
        "uri": escape::literal(&hc.path),
        "interval": escape::duration(hc.interval),
        "timeout": escape::duration(hc.timeout),
    }})
}

/// An upstream's TLS transport, when it dials with TLS.
fn transport(h: &mut Map<String, Value>, u: &Upstream) {
    if u.tls || u.tls_skip_verify {
        let mut tls = Map::new();
        if u.tls_skip_verify {
            tls.insert("insecure_skip_verify".into(), json!(true));
        }
        h.insert("transport".into(), json!({"protocol": "http", "tls": tls}));
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
    transport(&mut h, u);
    if let Some(hc) = &u.health {
        h.insert("health_checks".into(), active(hc));
    }
    Value::Object(h)
}
