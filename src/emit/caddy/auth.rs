//! Authentik forward auth, exactly as Caddy's own `forward_auth` directive
//! expands it (compare `caddy adapt` of
//! `forward_auth <outpost> { uri /outpost.goauthentik.io/auth/caddy;
//! copy_headers …; trusted_proxies private_ranges }`, the snippet of
//! Authentik's Caddy documentation), and the outpost's own path.

use super::upstreams;
use crate::sema::model::{Auth, Model};
use serde_json::{json, Value};

/// Where Authentik's embedded outpost serves its endpoints on every host.
pub const OUTPOST_PATH: &str = "/outpost.goauthentik.io/*";

const AUTH_URI: &str = "/outpost.goauthentik.io/auth/caddy";

/// The headers Authentik's outpost answers with (its Caddy docs' list);
/// `forward_auth` copies them onto the proxied request. Sorted, as Caddy's
/// adapter sorts them.
const COPY_HEADERS: [&str; 12] = [
    "X-Authentik-Email",
    "X-Authentik-Entitlements",
    "X-Authentik-Groups",
    "X-Authentik-Jwt",
    "X-Authentik-Meta-App",
    "X-Authentik-Meta-Jwks",
    "X-Authentik-Meta-Outpost",
    "X-Authentik-Meta-Provider",
    "X-Authentik-Meta-Version",
    "X-Authentik-Name",
    "X-Authentik-Uid",
    "X-Authentik-Username",
];

/// Caddy's `private_ranges` shorthand, expanded as its adapter does.
const PRIVATE_RANGES: [&str; 6] = [
    "192.168.0.0/16",
    "172.16.0.0/12",
    "10.0.0.0/8",
    "127.0.0.1/8",
    "fd00::/8",
    "::1",
];

/// The `reverse_proxy` handler `forward_auth` becomes: ask the outpost
/// (GET, original method and URI in X-Forwarded-*), and on a 2xx answer
/// copy its identity headers onto the request and go on; any other answer
/// (401, a 302 to the login flow) goes back to the client as it is.
pub fn forward_auth(model: &Model, auth: &Auth) -> Value {
    let mut copy_routes: Vec<Value> = vec![json!({"handle": [{"handler": "vars"}]})];
    for h in COPY_HEADERS {
        let ph = format!("{{http.reverse_proxy.header.{h}}}");
        copy_routes.push(json!({"handle": [{"handler": "headers", "request": {"delete": [h]}}]}));
        copy_routes.push(json!({
            "handle": [{"handler": "headers", "request": {"set": {h: [ph]}}}],
            "match": [{"not": [{"vars": {ph.as_str(): [""]}}]}],
        }));
    }
    let mut h = match upstreams::proxy(model, &auth.outpost, None) {
        Value::Object(m) if m.get("handler") == Some(&json!("reverse_proxy")) => m,
        other => return other,
    };
    h.insert(
        "handle_response".into(),
        json!([{"match": {"status_code": [2]}, "routes": copy_routes}]),
    );
    h.insert(
        "headers".into(),
        json!({"request": {"set": {
            "X-Forwarded-Method": ["{http.request.method}"],
            "X-Forwarded-Uri": ["{http.request.uri}"],
        }}}),
    );
    h.insert("rewrite".into(), json!({"method": "GET", "uri": AUTH_URI}));
    h.insert("trusted_proxies".into(), json!(PRIVATE_RANGES));
    Value::Object(h)
}

/// The handler that serves the outpost's own endpoints (login callback,
/// sign-out) on a protected host.
pub fn outpost_proxy(model: &Model, auth: &Auth) -> Value {
    upstreams::proxy(model, &auth.outpost, None)
}
