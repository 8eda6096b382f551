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
    Artifact::new(PATH, text(model))
}

/// `config` pretty-printed, byte for byte, but with one route's JSON tree
/// in memory at a time instead of all of them: the routes are most of the
/// config, and the whole tree was the peak of a compile's memory. And the
/// blocking routes, the same for every route with the same middleware
/// (most of each route's text), are printed once per middleware list and
/// spliced in where a route's tree holds their placeholder.
fn text(model: &Model) -> String {
    let pretty =
        |v: &Value| serde_json::to_string_pretty(v).expect("a serde_json::Value always serializes");
    // A string no route can produce: the checker refuses NUL in strings.
    const MARK: &str = "\u{0}eosc routes\u{0}";
    let skeleton = pretty(&config_with(model, Value::Array(vec![MARK.into()])));
    let mark = pretty(&Value::from(MARK));
    let Some(at) = skeleton.find(&mark) else {
        return pretty(&config(model)) + "\n";
    };
    let (before, after) = (&skeleton[..at], &skeleton[at + mark.len()..]);
    // The route array's items are indented like the mark's line.
    let indent = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let mut out = String::with_capacity(skeleton.len() + model.routes.len() * 4096);
    out.push_str(before);
    let mut first = true;
    let mut chains = middleware::Chains::with_placeholders();
    // (middleware list, indentation) → its blocking routes as array items.
    let mut printed: std::collections::HashMap<(usize, String), String> =
        std::collections::HashMap::new();
    each_route(model, &mut chains, |route, chains| {
        if !first {
            out.push_str(",\n");
            out.push_str(indent);
        }
        first = false;
        let text = splice_blocking(&pretty(&route), chains, &mut printed);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                out.push_str(indent);
            }
            out.push_str(line);
        }
    });
    if first {
        // No route: the array is `[]`, not a list of items.
        return pretty(&config(model)) + "\n";
    }
    out.push_str(after);
    out.push('\n');
    out
}

/// `route`'s pretty text with each blocking-routes placeholder replaced by
/// those routes, printed as the items of the array the placeholder is in.
fn splice_blocking(
    route: &str,
    chains: &middleware::Chains,
    printed: &mut std::collections::HashMap<(usize, String), String>,
) -> String {
    // How the placeholder prints: `"\u0000eosc blocking K\u0000"`.
    let quoted = serde_json::to_string(&middleware::placeholder(0)).unwrap_or_default();
    let Some(prefix) = quoted.strip_suffix("0\\u0000\"") else {
        return route.to_string();
    };
    let mut out = String::with_capacity(route.len() + 4096);
    let mut rest = route;
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let (Ok(k), Some(tail)) = (
            after[..digits].parse::<usize>(),
            after[digits..].strip_prefix("\\u0000\""),
        ) else {
            break;
        };
        let head = &rest[..at];
        let indent = &head[head.rfind('\n').map_or(0, |i| i + 1)..];
        let items = printed.entry((k, indent.to_string())).or_insert_with(|| {
            let mut items = String::new();
            for (n, b) in chains.blocking(k).iter().enumerate() {
                if n > 0 {
                    items.push_str(",\n");
                    items.push_str(indent);
                }
                let text = serde_json::to_string_pretty(b).unwrap_or_default();
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        items.push('\n');
                        items.push_str(indent);
                    }
                    items.push_str(line);
                }
            }
            items
        });
        out.push_str(head);
        out.push_str(items);
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The config as JSON (tests rewrite a copy of it to run it on loopback).
pub fn config(model: &Model) -> Value {
    let mut routes = Vec::new();
    let mut chains = middleware::Chains::default();
    each_route(model, &mut chains, |r, _| routes.push(r));
    config_with(model, Value::Array(routes))
}

fn config_with(model: &Model, routes: Value) -> Value {
    let logs = logs::collect(model);
    let server = object([
        ("listen", json!([":443"])),
        ("routes", routes),
        ("logs", logs::server_logs(&logs)),
    ]);
    let http = object([("servers", object([("srv0", server)]))]);
    let mut apps = Map::new();
    apps.insert("http".into(), http);
    if let Some(tls) = tls_app(model) {
        apps.insert("tls".into(), tls);
    }
    let mut top = Map::new();
    top.insert("admin".into(), json!({"listen": model.project.caddy_admin}));
    top.insert(
        "logging".into(),
        logs::logging(&logs, model.project.log.as_ref()),
    );
    // The project's certificate storage (`file_system`, under the proxy
    // job's data volume); Caddy's default ($XDG_DATA_HOME/caddy) otherwise.
    if let Some(root) = &model.project.storage {
        top.insert(
            "storage".into(),
            json!({"module": "file_system", "root": root}),
        );
    }
    top.insert("apps".into(), Value::Object(apps));
    Value::Object(top)
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

/// The top-level routes of the server, in order, one at a time, each with
/// the middleware lists seen so far.
fn each_route(
    model: &Model,
    chains: &mut middleware::Chains,
    mut out: impl FnMut(Value, &middleware::Chains),
) {
    let mut ids = upstreams::CanaryIds::default();
    // The model sorts routes by host: each host's routes are one run.
    for same_host in model.routes.chunk_by(|a, b| a.host == b.host) {
        if let Some(r) = outpost_route(model, same_host, chains) {
            out(r, chains);
        }
        for route in same_host {
            let r = site_route(model, route, &mut ids, chains);
            out(r, chains);
        }
    }
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
    handle.push(match &route.action {
        RouteAction::Proxy(target) => upstreams::route_proxy(model, target, &route.proxy, ids),
        other => action(model, other, ids),
    });
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
