//! Caddy configs compared semantically: routes by `@id` where they have
//! one, else by their host and path matchers; every other part of the
//! config by JSON path. `eosc drift` compares the compiled config with the
//! live one; `eosc plan` against an output tree compares two compiled ones.

use super::json_diff::{diff, FieldDiff};
use super::{Change, Op};
use indexmap::IndexMap;
use serde_json::Value;

/// A route's key and its JSON path in the config.
struct Keyed<'a> {
    path: String,
    route: &'a Value,
}

/// Every route of every HTTP server, by key: `@id`, or the matchers' hosts
/// and paths (`s3.example.com/outpost.goauthentik.io/*`); a key twice gets
/// `#2`, `#3`.
fn routes(config: &Value) -> IndexMap<String, Keyed<'_>> {
    let mut out = IndexMap::new();
    let Some(servers) = config
        .pointer("/apps/http/servers")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (srv, s) in servers {
        let Some(list) = s.get("routes").and_then(Value::as_array) else {
            continue;
        };
        for (i, r) in list.iter().enumerate() {
            let base = key(r);
            let mut k = base.clone();
            let mut n = 1;
            while out.contains_key(&k) {
                n += 1;
                k = format!("{base} #{n}");
            }
            out.insert(
                k,
                Keyed {
                    path: format!("apps.http.servers.{srv}.routes[{i}]"),
                    route: r,
                },
            );
        }
    }
    out
}

/// Where a route proxies to: its upstreams' dial addresses and SRV names,
/// or a redirect or a static response.
fn targets(r: &Value, out: &mut Vec<String>) {
    match r {
        Value::Object(o) => {
            if let Some(d) = o.get("dial").and_then(Value::as_str) {
                out.push(format!("to {d}"));
            }
            if let Some(n) = o
                .get("dynamic_upstreams")
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
            {
                out.push(format!("to {n}"));
            }
            o.values().for_each(|c| targets(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| targets(c, out)),
        _ => {}
    }
}

fn key(r: &Value) -> String {
    if let Some(id) = r.get("@id").and_then(Value::as_str) {
        return format!("@id {id}");
    }
    let mut hosts = Vec::new();
    let mut paths = Vec::new();
    for m in r
        .get("match")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for h in m
            .get("host")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            hosts.push(h.as_str().unwrap_or_default().to_string());
        }
        for p in m
            .get("path")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            paths.push(p.as_str().unwrap_or_default().to_string());
        }
    }
    let host = if hosts.is_empty() {
        "(any host)".to_string()
    } else {
        hosts.join(",")
    };
    format!("{host}{}", paths.join(","))
}

/// The config without its routes, for the path-by-path comparison of the
/// rest (admin, listeners, logging, TLS).
fn without_routes(config: &Value) -> Value {
    let mut c = config.clone();
    if let Some(servers) = c
        .pointer_mut("/apps/http/servers")
        .and_then(Value::as_object_mut)
    {
        for s in servers.values_mut() {
            if let Some(o) = s.as_object_mut() {
                o.shift_remove("routes");
            }
        }
    }
    c
}

/// Values a report must not print: a string that looks like a token, or
/// any string under a key that names a secret (`password`, `api_key`,
/// `Authorization`), shown as its length and first two characters: a live
/// config may hold what the spec never would.
fn redact(v: &mut Value, secret_key: bool) {
    match v {
        Value::String(s) if secret_key || crate::sema::secret_rules::looks_like_token(s, false) => {
            *s = format!("<redacted: {}>", crate::sema::secret_rules::redacted(s));
        }
        Value::Object(o) => {
            for (k, c) in o.iter_mut() {
                let secret = secret_key
                    || crate::sema::secret_rules::name_is_secret(k)
                    || k.eq_ignore_ascii_case("authorization");
                redact(c, secret);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| redact(c, secret_key)),
        _ => {}
    }
}

/// [`redact`] on both sides of every field, by the field's last key too.
fn redact_fields(fields: &mut [FieldDiff]) {
    for f in fields {
        let last = f
            .path
            .rsplit(['.', '['])
            .find(|s| !s.trim_end_matches(']').chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_default()
            .trim_matches(|c| c == '"' || c == ']');
        let secret = crate::sema::secret_rules::name_is_secret(last)
            || last.eq_ignore_ascii_case("authorization");
        for v in [&mut f.before, &mut f.after].into_iter().flatten() {
            redact(v, secret);
        }
    }
}

/// What differs from `expected` to `actual`: each route added (only in
/// `actual`), removed (only in `expected`) or changed (each field with
/// both values, paths from the config's root as in `actual`), then a
/// change `config` for differences outside the routes.
pub fn compare(expected: &Value, actual: &Value) -> Vec<Change> {
    let a = routes(expected);
    let b = routes(actual);
    let mut out = Vec::new();
    for (k, ra) in &a {
        match b.get(k) {
            None => out.push(route(
                k,
                Op::Removed,
                vec![format!("at {}", ra.path)],
                Vec::new(),
            )),
            Some(rb) => {
                let mut fields = Vec::new();
                diff(&rb.path, ra.route, rb.route, &mut fields);
                redact_fields(&mut fields);
                if !fields.is_empty() {
                    let details = fields.iter().map(describe).collect();
                    out.push(route(k, Op::Changed, details, fields));
                }
            }
        }
    }
    for (k, rb) in &b {
        if !a.contains_key(k) {
            let mut details = vec![format!("at {}", rb.path)];
            let mut to = Vec::new();
            targets(rb.route, &mut to);
            to.dedup();
            details.extend(to);
            out.push(route(k, Op::Added, details, Vec::new()));
        }
    }
    let mut fields = Vec::new();
    diff(
        "",
        &without_routes(expected),
        &without_routes(actual),
        &mut fields,
    );
    if !fields.is_empty() {
        let details = fields.iter().map(describe).collect();
        out.push(Change {
            kind: "caddy",
            name: "config".into(),
            op: Op::Changed,
            destructive: false,
            details,
            fields,
        });
    }
    out
}

fn route(k: &str, op: Op, details: Vec<String>, fields: Vec<FieldDiff>) -> Change {
    Change {
        kind: "route",
        name: k.to_string(),
        op,
        destructive: false,
        details,
        fields,
    }
}

/// `path: compiled → live`, each side `(absent)` where missing.
fn describe(f: &FieldDiff) -> String {
    let side = |v: &Option<Value>| match v {
        Some(v) => v.to_string(),
        None => "(absent)".to_string(),
    };
    let text = format!("{}: {} → {}", f.path, side(&f.before), side(&f.after));
    if text.chars().count() > 300 {
        let cut: String = text.chars().take(297).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// Whether a JSON answer looks like a Caddy config: an object (or `null`,
/// Caddy's answer with no config loaded) whose top-level keys are among
/// Caddy's.
pub fn is_caddy_config(v: &Value) -> bool {
    const KEYS: &[&str] = &["admin", "apps", "logging", "storage"];
    match v {
        Value::Null => true,
        Value::Object(o) => o.keys().all(|k| KEYS.contains(&k.as_str())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A header value that looks like a token, and anything under a
    /// password key, are never printed.
    #[test]
    fn live_secrets_are_redacted() {
        let compiled = json!({"apps": {"http": {"servers": {"s": {"routes": [
            {"match": [{"host": ["a.example.com"]}], "handle": [{"handler": "headers"}]}
        ]}}}}});
        let mut live = compiled.clone();
        live["apps"]["http"]["servers"]["s"]["routes"][0]["handle"][0]["request"] = json!({"set": {"Authorization": ["Bearer abc"], "X-Key": ["AKIAxq9ZZ3kLmNo0PqRsTuVw7"]}});
        live["apps"]["http"]["servers"]["s"]["routes"][0]["handle"].as_array_mut().unwrap().push(
            json!({"handler": "authentication", "providers": {"http_basic": {"accounts": [{"username": "u", "password": "$2a$14$hash"}]}}}),
        );
        let c = compare(&compiled, &live);
        let text = serde_json::to_string(&c).unwrap();
        for secret in ["Bearer abc", "AKIAxq9ZZ3kLmNo0PqRsTuVw7", "$2a$14$hash"] {
            assert!(!text.contains(secret), "{secret} printed: {text}");
        }
        assert!(text.contains("<redacted: "), "{text}");
        assert!(text.contains("\"username\":\"u\""), "{text}");
    }
}
