//! What Caddy dials for an app route must be what the Nomad job registers:
//! the Consul service of that port (SRV, for a dynamic host port; for a
//! canary app, the tags its services register), or a fixed address on the
//! port the job exposes on the host (a static port).

use crate::support::specs;

use eosc::emit::{caddy, nomad};
use eosc::sema::model::{Model, RouteAction, Target};
use serde_json::Value;

/// Every `reverse_proxy` handler in the config, in order.
fn proxies(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(o) => {
            if o.get("handler").and_then(Value::as_str) == Some("reverse_proxy") {
                out.push(v.clone());
            }
            o.values().for_each(|c| proxies(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| proxies(c, out)),
        _ => {}
    }
}

/// Problems with how Caddy reaches the apps of one model.
fn disagreements(model: &Model) -> Vec<String> {
    let mut handlers = Vec::new();
    proxies(&caddy::config(model), &mut handlers);
    let mut out = Vec::new();
    for route in &model.routes {
        let RouteAction::Proxy(Target::App { app, port }) = &route.action else {
            continue;
        };
        let Some(a) = model.apps.get(app) else {
            continue;
        };
        let service = format!("{}.service.consul", nomad::service_name(a, port));
        let host_port = a.ports.get(port).and_then(|p| p.static_port);
        let ok = handlers.iter().any(|h| {
            // SRV sources, one or a `multi` of them: the service, or a tag
            // of it that the job registers (`tags = ["stable"]`,
            // `canary_tags = ["canary"]` on a canary app's services). A
            // route with `fallback` dials its own target first and then
            // one source per fallback target, in order: only the first
            // is this app's.
            let d = &h["dynamic_upstreams"];
            let mut sources: Vec<&Value> = match d["sources"].as_array() {
                Some(list) => list.iter().collect(),
                None => vec![d],
            };
            let fallbacks = route.proxy.fallback.len();
            if fallbacks > 0 {
                if sources.len() != fallbacks + 1 {
                    return false;
                }
                sources.truncate(1);
            }
            let srv = !sources.is_empty()
                && sources.iter().all(|src| {
                    let name = src["name"].as_str().unwrap_or_default();
                    src["source"] == "srv"
                        && (name == service
                            || (nomad::has_canaries(model, a)
                                && ["stable", "canary"]
                                    .iter()
                                    .any(|tag| name == format!("{tag}.{service}"))))
                });
            let dials: Vec<&str> = h["upstreams"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|u| u["dial"].as_str())
                .collect();
            let fixed = !dials.is_empty()
                && dials.iter().all(|d| {
                    d.rsplit_once(':').is_some_and(|(name, p)| {
                        (name == service || name.ends_with(&format!(".{service}")))
                            && Some(p) == host_port.map(|s| s.to_string()).as_deref()
                    })
                });
            srv || fixed
        });
        if !ok {
            out.push(format!(
                "route {} → app {app} port {port}: no reverse_proxy reaches {service} on a port the job exposes (static: {host_port:?})",
                route.host
            ));
        }
    }
    out
}

#[test]
fn caddy_reaches_apps_where_nomad_registers_them() {
    let mut problems = Vec::new();
    for spec in specs::all() {
        for model in specs::models(&spec) {
            for p in disagreements(&model) {
                problems.push(format!("{} ({}): {p}", specs::name(&spec), model.env.name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
