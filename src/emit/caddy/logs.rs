//! Access logs: Caddy logs per host, not per route, so every route `log`
//! block becomes one named log that the server maps its host to.

use super::escape;
use crate::sema::model::{GlobalLog, Model, RouteLog};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

pub struct Logs {
    /// Log name → its config, in route order.
    pub logs: IndexMap<String, Value>,
    /// Host → the log names it writes to.
    pub logger_names: IndexMap<String, Vec<String>>,
}

pub fn collect(model: &Model) -> Logs {
    let mut logs: IndexMap<String, Value> = IndexMap::new();
    let mut logger_names: IndexMap<String, Vec<String>> = IndexMap::new();
    for route in &model.routes {
        let Some(log) = &route.log else { continue };
        let base = escape::log_name(&route.host);
        let mut name = base.clone();
        let mut n = 1;
        // `default` is Caddy's own log; a host name could also repeat.
        while logs.contains_key(&name) || name == "default" {
            n += 1;
            name = format!("{base}_{n}");
        }
        logs.insert(name.clone(), route_log(&name, log));
        logger_names
            .entry(route.host.clone())
            .or_default()
            .push(name);
    }
    Logs { logs, logger_names }
}

fn route_log(name: &str, log: &RouteLog) -> Value {
    let mut l = Map::new();
    if let Some(file) = &log.file {
        l.insert("writer".into(), json!({"output": "file", "filename": file}));
    }
    l.insert("encoder".into(), json!({"format": "json"}));
    l.insert("level".into(), json!(log.level));
    l.insert("include".into(), json!([format!("http.log.access.{name}")]));
    Value::Object(l)
}

/// The top-level `logging` object: Caddy's default log (JSON, INFO, every
/// access entry that no route log takes; to the project's `log` file when
/// it has one, as `caddy adapt` writes a global `log` option) plus the
/// route logs.
pub fn logging(logs: &Logs, global: Option<&GlobalLog>) -> Value {
    let mut all = Map::new();
    let mut default = Map::new();
    if let Some(g) = global {
        let mut w = Map::new();
        w.insert("output".into(), json!("file"));
        w.insert("filename".into(), json!(g.file));
        if let Some(n) = g.roll_size_mb {
            w.insert("roll_size_mb".into(), json!(n));
        }
        if let Some(n) = g.roll_keep {
            w.insert("roll_keep".into(), json!(n));
        }
        if let Some(n) = g.roll_keep_days {
            w.insert("roll_keep_days".into(), json!(n));
        }
        default.insert("writer".into(), Value::Object(w));
    }
    default.insert("encoder".into(), json!({"format": "json"}));
    default.insert(
        "level".into(),
        json!(global.map_or("INFO", |g| g.level.as_str())),
    );
    if !logs.logs.is_empty() {
        let exclude: Vec<String> = logs
            .logs
            .keys()
            .map(|n| format!("http.log.access.{n}"))
            .collect();
        default.insert("exclude".into(), json!(exclude));
    }
    all.insert("default".into(), Value::Object(default));
    for (name, l) in &logs.logs {
        all.insert(name.clone(), l.clone());
    }
    json!({"logs": all})
}

/// The server's `logs`: access logging on for every host, named hosts to
/// their own logs (several only from Caddy 2.8: the check rejects them for
/// an older `caddy_version`, E0330).
pub fn server_logs(logs: &Logs) -> Value {
    if logs.logger_names.is_empty() {
        return json!({});
    }
    let names: Map<String, Value> = logs
        .logger_names
        .iter()
        // One name as a string: Caddy before 2.8 takes nothing else, and
        // later versions read a string as a one-element list.
        .map(|(h, n)| match n.as_slice() {
            [one] => (h.clone(), json!(one)),
            _ => (h.clone(), json!(n)),
        })
        .collect();
    json!({"logger_names": names})
}
