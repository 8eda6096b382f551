//! The entity-level diff of two models: each model becomes a list of
//! (kind, key, value) with the value its JSON form made readable
//! (durations as `30s`, a route's action as `to upstream.x`, tasks and
//! volumes keyed by name), and the two lists are compared key by key.

use super::json_diff::{self, short, FieldDiff};
use super::{Change, Op};
use crate::sema::model::{Model, RecordValue, RouteAction, Strategy, Target};
use indexmap::IndexMap;
use serde_json::{json, Value};

/// Every kind of change, in the order reports list them.
pub const KINDS: &[&str] = &[
    "environment",
    "project",
    "variable",
    "server",
    "firewall",
    "secret",
    "zone",
    "dns",
    "route",
    "auth",
    "middleware",
    "upstream",
    "stream",
    "app",
    "rollout",
    "pipeline",
    "caddy",
    "terraform",
    "ignored",
    "nomad",
];

type Entities = IndexMap<(&'static str, String), Value>;

/// The entities of a model. `None` (an environment only one side has)
/// has none.
pub fn entities(m: Option<&Model>) -> Entities {
    let mut out = Entities::new();
    let Some(m) = m else { return out };
    let mut put = |kind: &'static str, key: String, v: Value| {
        out.insert((kind, key), readable(v));
    };
    put(
        "environment",
        "settings".into(),
        json!({"approval": m.env.approval, "promote_from": m.env.promote_from, "canary_stage": m.env.canary_stage}),
    );
    put("project", m.project.name.clone(), to_json(&m.project));
    for (k, v) in &m.vars {
        put("variable", k.clone(), v.clone());
    }
    for (k, v) in &m.servers {
        put("server", k.clone(), to_json(v));
    }
    for (k, v) in &m.firewalls {
        put("firewall", k.clone(), to_json(v));
    }
    for (k, v) in &m.secrets {
        put("secret", k.clone(), to_json(v));
    }
    for (k, z) in &m.zones {
        put(
            "zone",
            k.clone(),
            json!({"existing": z.existing, "ttl": z.ttl}),
        );
        let mut records: IndexMap<String, Vec<Value>> = IndexMap::new();
        for r in &z.records {
            let fqdn = if r.name == "@" {
                z.name.clone()
            } else {
                format!("{}.{}", r.name, z.name)
            };
            records
                .entry(format!("{} {fqdn}", r.rtype))
                .or_default()
                .push(json!({"value": record_value(&r.value), "ttl": r.ttl}));
        }
        for (key, values) in records {
            put("dns", key, Value::Array(values));
        }
    }
    for r in &m.routes {
        let key = match &r.path {
            Some(p) => format!("{}{p}", r.host),
            None => r.host.clone(),
        };
        let mut v = to_json(r);
        if let Some(o) = v.as_object_mut() {
            o.remove("host");
            o.remove("path");
            o.shift_remove("action");
            o.insert("to".into(), json!(action(&r.action)));
        }
        put("route", key, v);
    }
    for (k, v) in &m.auths {
        put("auth", k.clone(), to_json(v));
    }
    for (k, v) in &m.middlewares {
        put("middleware", k.clone(), to_json(v));
    }
    for (k, v) in &m.upstreams {
        put("upstream", k.clone(), to_json(v));
    }
    for (k, v) in &m.streams {
        put("stream", k.clone(), to_json(v));
    }
    for (k, a) in &m.apps {
        let mut v = to_json(a);
        if let Some(o) = v.as_object_mut() {
            let tasks: serde_json::Map<String, Value> = a
                .tasks
                .iter()
                .map(|t| (t.name.clone(), to_json(t)))
                .collect();
            o.insert("tasks".into(), Value::Object(tasks));
            let vols: serde_json::Map<String, Value> = a
                .volumes
                .iter()
                .map(|x| (x.name.clone(), to_json(x)))
                .collect();
            o.insert("volumes".into(), Value::Object(vols));
        }
        put("app", k.clone(), v);
    }
    for (k, v) in &m.rollouts {
        put("rollout", k.clone(), to_json(v));
    }
    for (k, v) in &m.pipelines {
        put("pipeline", k.clone(), to_json(v));
    }
    out
}

/// The entity-level changes from `before` to `after` (a deployment of
/// `after` follows): a changed app names the canary stages it rolls out in.
pub fn diff_models(before: Option<&Model>, after: Option<&Model>) -> Vec<Change> {
    diff(before, after, true)
}

/// Two environments side by side (`eosc compare`): nothing is deployed
/// between them, so no rollout is named.
pub fn diff_environments(a: &Model, b: &Model) -> Vec<Change> {
    diff(Some(a), Some(b), false)
}

fn diff(before: Option<&Model>, after: Option<&Model>, rollouts: bool) -> Vec<Change> {
    let rollout_of = if rollouts { after } else { None };
    let a = entities(before);
    let b = entities(after);
    let mut out = Vec::new();
    for ((kind, key), va) in &a {
        match b.get(&(*kind, key.clone())) {
            None => out.push(removed(kind, key, va)),
            Some(vb) => {
                let mut fields = Vec::new();
                json_diff::diff("", va, vb, &mut fields);
                if !fields.is_empty() {
                    out.push(changed(kind, key, fields, after, rollout_of));
                }
            }
        }
    }
    for ((kind, key), vb) in &b {
        if !a.contains_key(&(*kind, key.clone())) {
            out.push(added(kind, key, vb, rollout_of));
        }
    }
    out
}

fn removed(kind: &'static str, key: &str, v: &Value) -> Change {
    let existing_zone = kind == "zone" && v["existing"] == json!(true);
    let mut details = Vec::new();
    if kind == "app" {
        if let Some(vols) = v["volumes"].as_object().filter(|o| !o.is_empty()) {
            details.push(format!(
                "its volume{} {} no longer mounted",
                if vols.len() == 1 { "" } else { "s" },
                vols.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    Change {
        kind,
        name: key.to_string(),
        op: Op::Removed,
        destructive: matches!(kind, "server" | "secret") || (kind == "zone" && !existing_zone),
        details,
        fields: Vec::new(),
    }
}

fn added(kind: &'static str, key: &str, v: &Value, after: Option<&Model>) -> Change {
    let mut details = Vec::new();
    match kind {
        "route" => {
            details.push(short(&v["to"]));
            if let Some(auth) = v["auth"].as_str() {
                details.push(format!("auth {auth}"));
            }
        }
        "app" => {
            if let Some(tasks) = v["tasks"].as_object() {
                for t in tasks.values() {
                    details.push(format!("image {}", short(&t["image"])));
                }
            }
            details.push(format!("count {}", v["count"]));
            details.extend(canary(key, after));
        }
        "dns" => {
            if let Some(vals) = v.as_array() {
                details.extend(vals.iter().map(|x| short(&x["value"])));
            }
        }
        _ => {}
    }
    Change {
        kind,
        name: key.to_string(),
        op: Op::Added,
        destructive: false,
        details,
        fields: Vec::new(),
    }
}

fn changed(
    kind: &'static str,
    key: &str,
    fields: Vec<FieldDiff>,
    after: Option<&Model>,
    rollout_of: Option<&Model>,
) -> Change {
    let mut destructive = false;
    let mut details = Vec::new();
    let one_task = kind == "app"
        && after
            .and_then(|m| m.apps.get(key))
            .is_some_and(|a| a.tasks.len() == 1);
    for f in &fields {
        let mut path = f.path.clone();
        if one_task {
            if let Some(rest) = path.strip_prefix("tasks.").and_then(|r| r.split_once('.')) {
                path = rest.1.to_string();
            }
        } else if let Some((task, rest)) =
            path.strip_prefix("tasks.").and_then(|r| r.split_once('.'))
        {
            path = format!("task {task} {rest}");
        }
        if kind == "app"
            && path.starts_with("volumes.")
            && f.after.is_none()
            && !path[8..].contains('.')
        {
            destructive = true;
            details.push(format!("volume {} removed", &path[8..]));
            continue;
        }
        if kind == "server" && path == "count" {
            if let (Some(x), Some(y)) = (
                f.before.as_ref().and_then(Value::as_u64),
                f.after.as_ref().and_then(Value::as_u64),
            ) {
                if y < x {
                    destructive = true;
                    details.push(format!(
                        "count {x} → {y} ({} instance{} destroyed)",
                        x - y,
                        if x - y == 1 { "" } else { "s" }
                    ));
                    continue;
                }
            }
        }
        details.push(describe(&path, f));
    }
    if kind == "app" {
        details.extend(canary(key, rollout_of));
    }
    Change {
        kind,
        name: key.to_string(),
        op: Op::Changed,
        destructive,
        details,
        fields,
    }
}

/// One field's change in words. An image whose repository stays names
/// the tags only.
pub fn describe(path: &str, f: &FieldDiff) -> String {
    if path.is_empty() {
        return match (&f.before, &f.after) {
            (Some(a), Some(b)) => format!("{} → {}", short(a), short(b)),
            (None, Some(b)) => format!("{} added", short(b)),
            (Some(a), None) => format!("{} removed", short(a)),
            (None, None) => String::new(),
        };
    }
    let scalar = |v: &Value| !v.is_object() && !v.is_array();
    match (&f.before, &f.after) {
        (None, Some(v)) if scalar(v) => format!("{path} {} added", short(v)),
        (None, _) => format!("{path} added"),
        (Some(v), None) if scalar(v) => format!("{path} {} removed", short(v)),
        (Some(_), None) => format!("{path} removed"),
        (Some(a), Some(b)) => {
            if path.ends_with("image") {
                if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
                    if let (Some((rx, tx)), Some((ry, ty))) = (split_tag(x), split_tag(y)) {
                        if rx == ry {
                            return format!("{path} {tx} → {ty}");
                        }
                    }
                }
            }
            format!("{path} {} → {}", short(a), short(b))
        }
    }
}

/// `registry:5000/helen:1.2` → (`registry:5000/helen`, `1.2`).
fn split_tag(image: &str) -> Option<(&str, &str)> {
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    let colon = image[slash..].rfind(':')? + slash;
    Some((&image[..colon], &image[colon + 1..]))
}

/// `canary stages 5/25/50/100 %` for an app deployed by a canary rollout.
fn canary(app: &str, after: Option<&Model>) -> Option<String> {
    let m = after?;
    let r = m.rollouts.get(m.apps.get(app)?.rollout.as_ref()?)?;
    if r.strategy != Strategy::Canary || r.stages.is_empty() {
        return None;
    }
    let stages: Vec<String> = r.stages.iter().map(|s| format!("{}", s.traffic)).collect();
    Some(format!("canary stages {} %", stages.join("/")))
}

/// A record's data as the spec writes it: text, or `server.edge.ipv4`.
fn record_value(v: &RecordValue) -> String {
    match v {
        RecordValue::Literal(s) => s.clone(),
        RecordValue::ServerIp { server, v6 } => {
            format!("server.{server}.{}", if *v6 { "ipv6" } else { "ipv4" })
        }
    }
}

/// A route's action in the spec's words.
fn action(a: &RouteAction) -> String {
    match a {
        RouteAction::Proxy(Target::App { app, port }) => format!("to app.{app}.port.{port}"),
        RouteAction::Proxy(Target::Upstream(u)) => format!("to upstream.{u}"),
        RouteAction::Redirect { to, status } => format!("redirect {status} to {to}"),
        RouteAction::Respond { status, body } => match body {
            Some(b) => format!("respond {status} {b:?}"),
            None => format!("respond {status}"),
        },
    }
}

fn to_json(v: &impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Durations (`{"secs":30,"nanos":0}` in serde's form) as `30s`, `2h`.
fn readable(v: Value) -> Value {
    match v {
        Value::Object(o) => {
            if o.len() == 2 {
                if let (Some(s), Some(n)) = (
                    o.get("secs").and_then(Value::as_u64),
                    o.get("nanos").and_then(Value::as_u64),
                ) {
                    return json!(duration(s, n));
                }
            }
            Value::Object(o.into_iter().map(|(k, v)| (k, readable(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(readable).collect()),
        other => other,
    }
}

fn duration(secs: u64, nanos: u64) -> String {
    if nanos != 0 {
        return format!("{}ms", secs * 1000 + nanos / 1_000_000);
    }
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs >= n && secs % n == 0 {
            return format!("{}{unit}", secs / n);
        }
    }
    format!("{secs}s")
}
