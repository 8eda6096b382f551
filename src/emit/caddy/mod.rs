//! `caddy/caddy.json`: the complete Caddy v2 config of one environment.
//!
//! One server, `srv0`, on `:443` (Caddy adds the HTTP→HTTPS redirect on
//! `:80` itself). One top-level route per spec route, in the model's order
//! (by host, most specific path first), each a `subroute` of: blocking
//! rules, then rate limit / response headers / compression, then forward
//! auth, then the route's own handler. A host with auth also gets the
//! Authentik outpost's path, before its other routes.

mod auth;
pub mod escape;
mod logs;
mod middleware;
pub mod upstreams;

use super::Artifact;
use crate::sema::model::{Model, Route, RouteAction};
use serde_json::{json, Map, Value};

pub use auth::OUTPOST_PATH;

/// Where the config goes, relative to `out/<env>/`.
pub const PATH: &str = "caddy/caddy.json";

pub fn emit(model: &Model) -> Artifact {
    let text = serde_json::to_string_pretty(&config(model))
        .expect("a serde_json::Value always serializes");
    Artifact::new(PATH, text + "\n")
}

/// The config as JSON (tests rewrite a copy of it to run it on loopback).
pub fn config(model: &Model) -> Value {
    let logs = logs::collect(model);
    let server = object([
        ("listen", json!([":443"])),
        ("routes", Value::Array(routes(model))),
        ("logs", logs::server_logs(&logs)),
    ]);
    let http = object([("servers", object([("srv0", server)]))]);
    let mut apps = Map::new();
    apps.insert("http".into(), http);
    if let Some(tls) = tls_app(model) {
        apps.insert("tls".into(), tls);
    }
    object([
        ("admin", json!({"listen": model.project.caddy_admin})),
        ("logging", logs::logging(&logs)),
        ("apps", Value::Object(apps)),
    ])
}

/// A JSON object of these entries, in order. Unlike `json!`, which copies
/// every interpolated `Value` (it serializes it again), this moves them:
/// the routes are most of the config, and copying them was most of the
/// emitter's time.
pub(super) fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// ACME settings: the account email, and for wildcard hosts (the checker
/// requires the DNS plugin for them) a policy that answers the DNS-01
/// challenge at Hetzner with the token from Caddy's environment.
fn tls_app(model: &Model) -> Option<Value> {
    let acme = |challenges: Option<Value>| {
        let mut issuer = Map::new();
        issuer.insert("module".into(), json!("acme"));
        if let Some(email) = &model.project.acme_email {
            issuer.insert("email".into(), json!(email));
        }
        if let Some(c) = challenges {
            issuer.insert("challenges".into(), c);
        }
        Value::Object(issuer)
    };
    let mut wildcards: Vec<&str> = model
        .routes
        .iter()
        .map(|r| r.host.as_str())
        .filter(|h| h.starts_with("*."))
        .collect();
    wildcards.dedup();
    let mut policies = Vec::new();
    if !wildcards.is_empty() {
        policies.push(json!({
            "subjects": wildcards,
            "issuers": [acme(Some(json!({"dns": {"provider": {
                "name": "hetzner",
                "api_token": "{env.HETZNER_DNS_API_TOKEN}",
            }}})))],
        }));
    }
    if model.project.acme_email.is_some() {
        policies.push(json!({"issuers": [acme(None)]}));
    }
    (!policies.is_empty()).then(|| json!({"automation": {"policies": policies}}))
}

fn routes(model: &Model) -> Vec<Value> {
    let mut ids = upstreams::CanaryIds::default();
    let mut chains = middleware::Chains::default();
    let mut out = Vec::new();
    // The model sorts routes by host: each host's routes are one run.
    for same_host in model.routes.chunk_by(|a, b| a.host == b.host) {
        if let Some(r) = outpost_route(model, same_host, &mut chains) {
            out.push(r);
        }
        for route in same_host {
            out.push(site_route(model, route, &mut ids, &mut chains));
        }
    }
    out
}

fn host_match(host: &str, path: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("host".into(), json!([escape::literal(host)]));
    if let Some(p) = path {
        m.insert("path".into(), json!([escape::literal(p)]));
    }
    json!([m])
}

fn site(matcher: Value, subroutes: Vec<Value>) -> Value {
    let subroute = object([
        ("handler", Value::from("subroute")),
        ("routes", Value::Array(subroutes)),
    ]);
    object([
        ("match", matcher),
        ("handle", Value::Array(vec![subroute])),
        ("terminal", Value::Bool(true)),
    ])
}

fn site_route(
    model: &Model,
    route: &Route,
    ids: &mut upstreams::CanaryIds,
    chains: &mut middleware::Chains,
) -> Value {
    let (mut subroutes, mut handle) = chains.get(model, &route.middleware);
    if let Some(a) = route.auth.as_ref().and_then(|a| model.auths.get(a)) {
        handle.push(auth::forward_auth(model, a));
    }
    handle.push(action(model, &route.action, ids));
    subroutes.push(object([("handle", Value::Array(handle))]));
    site(host_match(&route.host, route.path.as_deref()), subroutes)
}

/// The outpost path of a host where some route has auth, behind the
/// middleware of the first such route (so it is refused, decorated and
/// compressed like the site). `same_host`: all the routes of one host.
fn outpost_route(
    model: &Model,
    same_host: &[Route],
    chains: &mut middleware::Chains,
) -> Option<Value> {
    let host = &same_host.first()?.host;
    let (route, a) = same_host
        .iter()
        .find_map(|r| Some((r, model.auths.get(r.auth.as_ref()?)?)))?;
    let (mut subroutes, mut handle) = chains.get(model, &route.middleware);
    handle.push(auth::outpost_proxy(model, a));
    subroutes.push(object([("handle", Value::Array(handle))]));
    Some(site(host_match(host, Some(OUTPOST_PATH)), subroutes))
}

fn action(model: &Model, action: &RouteAction, ids: &mut upstreams::CanaryIds) -> Value {
    match action {
        RouteAction::Proxy(target) => upstreams::proxy(model, target, Some(ids)),
        RouteAction::Redirect { to, status } => json!({
            "handler": "static_response",
            "headers": {"Location": [escape::redirect_target(to)]},
            "status_code": status,
        }),
        RouteAction::Respond { status, body } => {
            let mut h = Map::new();
            h.insert("handler".into(), json!("static_response"));
            h.insert("status_code".into(), json!(status));
            if let Some(b) = body {
                h.insert("body".into(), json!(escape::literal(b)));
            }
            Value::Object(h)
        }
    }
}
