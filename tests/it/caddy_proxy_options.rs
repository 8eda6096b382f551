//! A route's reverse-proxy options (tests/cases/ok/caddy_upstream_options.hcl)
//! against Caddy itself: the emitted `load_balancing`, `health_checks` and
//! `headers` are what `caddy adapt` makes of the same Caddyfile lines, on
//! Caddy 2.11 and Debian's 2.6; the `rate_limit` handler (a plugin this
//! Caddy lacks, so no `caddy validate` can judge it) has exactly the JSON
//! fields of mholt/caddy-ratelimit's structs.

use crate::support::caddy::{run, spec, supported_caddies};
use crate::support::root;
use eosc::sema::model::Model;
use serde_json::{json, Value};

pub const CASE: &str = "tests/cases/ok/caddy_upstream_options.hcl";

pub fn model() -> Model {
    spec(&root().join(CASE)).remove(0)
}

/// The JSON fields of the plugin's `Handler` and `RateLimit` structs
/// (github.com/mholt/caddy-ratelimit, handler.go and ratelimit.go: the
/// `json:"…"` tags), and its module ID `http.handlers.rate_limit`.
const RL_HANDLER_FIELDS: [&str; 7] = [
    "handler",
    "rate_limits",
    "jitter",
    "sweep_interval",
    "distributed",
    "storage",
    "log_key",
];
const RL_ZONE_FIELDS: [&str; 4] = ["match", "key", "max_events", "window"];

/// Why a `rate_limit` handler would not load in a Caddy with the plugin:
/// unknown fields, or a zone the plugin's `provision` refuses (window not
/// above zero, max_events below zero) or that limits nothing (no key).
pub fn rate_limit_problems(h: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(o) = h.as_object() else {
        return vec!["not an object".into()];
    };
    for k in o.keys() {
        if !RL_HANDLER_FIELDS.contains(&k.as_str()) {
            out.push(format!("unknown handler field {k}"));
        }
    }
    let zones = o.get("rate_limits").and_then(Value::as_object);
    if zones.is_none_or(|z| z.is_empty()) {
        out.push("no rate_limits zone".into());
    }
    for (name, z) in zones.into_iter().flatten() {
        for k in z.as_object().into_iter().flat_map(|z| z.keys()) {
            if !RL_ZONE_FIELDS.contains(&k.as_str()) {
                out.push(format!("zone {name}: unknown field {k}"));
            }
        }
        if z["key"].as_str().is_none_or(str::is_empty) {
            out.push(format!("zone {name}: no key"));
        }
        if z["max_events"].as_u64().is_none_or(|n| n == 0) {
            out.push(format!("zone {name}: max_events {}", z["max_events"]));
        }
        if go_duration_ns(&z["window"]).is_none_or(|ns| ns == 0) {
            out.push(format!("zone {name}: window {}", z["window"]));
        }
    }
    out
}

/// `caddy.Duration` as Caddy reads JSON: an integer of nanoseconds or a
/// Go duration string (`250ms`, `1m`).
fn go_duration_ns(v: &Value) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let s = v.as_str()?;
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().ok()?;
    let unit = match &s[digits.len()..] {
        "ns" => 1,
        "us" | "µs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    };
    Some(n * unit)
}

/// The config text for a stock Caddy: when the model declares the
/// `rate_limit` plugin, its handlers are taken out, each first held to
/// the plugin's shape ([`rate_limit_problems`]); anything else stays for
/// `caddy validate` to judge.
pub fn without_plugin_handlers(m: &Model, text: &str) -> String {
    if !m.project.caddy_plugins.iter().any(|p| p == "rate_limit") {
        return text.to_string();
    }
    let mut v: Value = serde_json::from_str(text).expect("emitted JSON");
    strip_rate_limits(&mut v);
    serde_json::to_string_pretty(&v).expect("json")
}

pub fn strip_rate_limits(v: &mut Value) {
    match v {
        Value::Array(items) => {
            items.retain(|h| {
                if h.get("handler") != Some(&json!("rate_limit")) {
                    return true;
                }
                let p = rate_limit_problems(h);
                assert!(p.is_empty(), "rate_limit handler {h}: {p:?}");
                false
            });
            items.iter_mut().for_each(strip_rate_limits);
        }
        Value::Object(o) => o.values_mut().for_each(strip_rate_limits),
        _ => {}
    }
}

/// Every `reverse_proxy` handler of the config for `host`.
fn proxy_of(config: &Value, host: &str) -> Value {
    let routes = config
        .pointer("/apps/http/servers/srv0/routes")
        .and_then(Value::as_array)
        .expect("routes");
    for r in routes {
        if r["match"][0]["host"][0] == json!(host) && r["match"][0].get("path").is_none() {
            let mut found = Vec::new();
            collect_proxies(r, &mut found);
            assert_eq!(found.len(), 1, "one reverse_proxy for {host}");
            return found.remove(0);
        }
    }
    panic!("no route for {host}");
}

fn collect_proxies(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(o) => {
            if o.get("handler") == Some(&json!("reverse_proxy")) {
                out.push(v.clone());
            }
            o.values().for_each(|c| collect_proxies(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| collect_proxies(c, out)),
        _ => {}
    }
}

/// Durations as nanoseconds, header names lower-cased (Caddy's headers
/// handler canonicalises them; its Caddyfile adapter does so in advance).
fn normalized(v: &Value, key: &str) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    let k2 = if matches!(key, "set" | "add") {
                        k.to_ascii_lowercase()
                    } else {
                        k.clone()
                    };
                    (k2, normalized(x, k))
                })
                .collect(),
        ),
        Value::Array(a) if key == "delete" => Value::Array(
            a.iter()
                .map(|x| json!(x.as_str().unwrap_or_default().to_ascii_lowercase()))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| normalized(x, key)).collect()),
        Value::String(_) if go_duration_ns(v).is_some() && key != "uri" => {
            json!(go_duration_ns(v))
        }
        _ => v.clone(),
    }
}

fn adapted_proxy(caddy: &std::path::Path, host: &str, body: &str) -> Value {
    let adapted = run::adapt(caddy, &format!("{host} {{\n{body}\n}}\n"));
    proxy_of(&adapted, host)
}

/// The seed's Authentik route (004:809–821: round robin, try duration,
/// active and passive health) and Helen's headers (004:838–839) as the
/// Caddyfile writes them, adapted by each supported Caddy.
#[test]
fn proxy_options_are_what_caddy_adapt_produces() {
    let caddies = supported_caddies();
    if caddies.is_empty() {
        return;
    }
    let config = eosc::emit::caddy::config(&model());
    let cases = [
        (
            "hera.cybermonkey.dev",
            "reverse_proxy 10.0.0.21:9000 10.0.0.22:9000 10.0.0.23:9000 {
    lb_policy round_robin
    lb_try_duration 5s
    lb_try_interval 250ms
    lb_retries 2
    fail_duration 10s
    max_fails 3
    unhealthy_status 502 503
    unhealthy_latency 3s
    health_uri /api/v3/root/config/
    health_interval 10s
    health_timeout 5s
    header_up +X-Client-Agent {header.User-Agent}
}",
            &["upstreams", "load_balancing", "health_checks", "headers"][..],
        ),
        (
            "sticky.cybermonkey.dev",
            "reverse_proxy 10.0.0.21:9000 10.0.0.22:9000 {
    lb_policy header X-Session
}",
            &["upstreams", "load_balancing"][..],
        ),
        (
            "cybermonkey.dev",
            "reverse_proxy 127.0.0.1:1 {
    header_up X-Forwarded-Source \"hecate-cloud\"
    header_up X-Original-Host {host}
    header_up X-Real-IP {remote_host}
    header_up -X-Debug
    header_down X-Served-By hecate
    header_down -Server
}",
            &["headers"][..],
        ),
    ];
    for (minor, caddy) in &caddies {
        for (host, body, keys) in cases {
            let ours = proxy_of(&config, host);
            let theirs = adapted_proxy(caddy, host, body);
            for k in keys {
                assert!(!ours[k].is_null(), "{host}: no `{k}` emitted");
                assert_eq!(
                    normalized(&ours[k], k),
                    normalized(&theirs[k], k),
                    "{host} `{k}` on Caddy 2.{minor}:\nours   {}\ntheirs {}",
                    ours[k],
                    theirs[k]
                );
            }
        }
    }
}

/// The fallback of an app to a direct address (004:830–834) is one
/// `multi` source, the app's SRV name first, tried with `first`.
#[test]
fn fallback_from_an_app_is_ordered_sources_with_policy_first() {
    let config = eosc::emit::caddy::config(&model());
    let h = proxy_of(&config, "cybermonkey.dev");
    assert_eq!(
        h["dynamic_upstreams"],
        json!({"source": "multi", "sources": [
            {"source": "srv", "name": "helen.service.consul"},
            {"source": "a", "name": "100.65.138.128", "port": "8009"},
        ]})
    );
    assert_eq!(h["load_balancing"]["selection_policy"]["policy"], "first");
    assert_eq!(h["load_balancing"]["try_duration"], "5s");
    assert_eq!(h["health_checks"]["passive"]["fail_duration"], "10s");
}

/// The rate limit of the case, keyed as written (`{remote_host}` is the
/// seed's, 004:794–797), has the plugin's shape; so does one keyed by a
/// request header; a handler with a field the plugin lacks does not.
#[test]
fn rate_limit_handler_has_the_plugins_fields() {
    let config = eosc::emit::caddy::config(&model());
    let mut found = Vec::new();
    fn walk(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(o) => {
                if o.get("handler") == Some(&json!("rate_limit")) {
                    out.push(v.clone());
                }
                o.values().for_each(|c| walk(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    walk(&config, &mut found);
    assert_eq!(found.len(), 3, "one per route using the middleware");
    for h in &found {
        assert_eq!(rate_limit_problems(h), Vec::<String>::new(), "{h}");
        assert_eq!(
            h["rate_limits"]["common"],
            json!({"key": "{http.request.remote.host}", "window": "60s", "max_events": 100})
        );
    }
    let text = std::fs::read_to_string(root().join(CASE)).expect("case");
    let by_header = text.replace("key = \"{remote_host}\"", "key = \"{header.X-Api-Client}\"");
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), by_header)]);
    let c = eosc::check("hecate.hcl", &loader).expect("in memory");
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let mut found = Vec::new();
    walk(&eosc::emit::caddy::config(&c.models[0]), &mut found);
    assert_eq!(
        found[0]["rate_limits"]["common"]["key"],
        "{http.request.header.X-Api-Client}"
    );
    let mut wrong = found[0].clone();
    wrong["rate_limits"]["common"]["events"] = json!(100);
    assert_eq!(
        rate_limit_problems(&wrong),
        vec!["zone common: unknown field events".to_string()]
    );
}
