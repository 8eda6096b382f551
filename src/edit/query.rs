//! `eosc <noun> list` and `show`: the entities of one kind as the checked
//! models resolve them, per environment, as a table or as JSON. The JSON
//! shape (docs/operating.md, "Day 2"):
//!
//! ```json
//! { "kind": "route",
//!   "environments": [ { "environment": "staging", "items": [ … ] } ] }
//! ```
//!
//! where each item is the entity's form in the model's JSON (the same
//! serialisation `model_hash` is computed over). Secrets are Vault paths
//! and keys: no value exists to show.

use crate::sema::model::{Model, RecordValue, RouteAction, Target};
use serde_json::{json, Value as Json};

/// The kinds `list` and `show` know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Route,
    App,
    Upstream,
    Dns,
    Secret,
    Auth,
    Middleware,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Route => "route",
            Kind::App => "app",
            Kind::Upstream => "upstream",
            Kind::Dns => "dns",
            Kind::Secret => "secret",
            Kind::Auth => "auth",
            Kind::Middleware => "middleware",
        }
    }
}

/// One entity of one environment: its name (a route's host, a zone), its
/// JSON form and its table cells.
pub struct Row {
    pub name: String,
    pub json: Json,
    pub cells: Vec<String>,
}

fn target(t: &Target) -> String {
    match t {
        Target::App { app, port } => format!("app.{app}.port.{port}"),
        Target::Upstream(u) => format!("upstream.{u}"),
    }
}

fn record_value(v: &RecordValue) -> String {
    match v {
        RecordValue::Literal(s) => s.clone(),
        RecordValue::ServerIp { server, v6 } => {
            format!("server.{server}.{}", if *v6 { "ipv6" } else { "ipv4" })
        }
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_string()
    } else {
        s.to_string()
    }
}

fn to_json<T: serde::Serialize>(x: &T) -> Json {
    serde_json::to_value(x).unwrap_or(Json::Null)
}

/// The column names of `kind`'s table (after ENV).
pub fn columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Route => &["HOST", "PATH", "TO", "AUTH", "MIDDLEWARE"],
        Kind::App => &["NAME", "IMAGE", "COUNT", "RUNS_ON", "PORTS"],
        Kind::Upstream => &["NAME", "TARGETS", "TLS"],
        Kind::Dns => &["ZONE", "NAME", "TYPE", "VALUE", "TTL"],
        Kind::Secret => &["NAME", "VAULT", "KEY"],
        Kind::Auth => &["NAME", "PROVIDER", "OUTPOST", "GROUPS"],
        Kind::Middleware => &["NAME", "HEADERS", "ENCODE", "RULES", "RATE_LIMIT"],
    }
}

/// The rows of `kind` in one model, in the model's order.
pub fn rows(kind: Kind, m: &Model) -> Vec<Row> {
    match kind {
        Kind::Route => m
            .routes
            .iter()
            .map(|r| {
                let to = match &r.action {
                    RouteAction::Proxy(t) => target(t),
                    RouteAction::Redirect { to, status } => format!("redirect {status} {to}"),
                    RouteAction::Respond { status, .. } => format!("respond {status}"),
                };
                Row {
                    name: r.host.clone(),
                    json: to_json(r),
                    cells: vec![
                        r.host.clone(),
                        or_dash(r.path.as_deref().unwrap_or("")),
                        to,
                        or_dash(r.auth.as_deref().unwrap_or("")),
                        or_dash(&r.middleware.join(",")),
                    ],
                }
            })
            .collect(),
        Kind::App => m
            .apps
            .values()
            .map(|a| {
                let images: Vec<&str> = a.tasks.iter().map(|t| t.image.as_str()).collect();
                let ports: Vec<String> = a
                    .ports
                    .values()
                    .map(|p| match (p.to, p.static_port) {
                        (_, Some(s)) if p.range_end.is_some() => {
                            format!("{}={s}-{}", p.name, p.range_end.unwrap_or(s))
                        }
                        (Some(to), Some(s)) => format!("{}={s}:{to}", p.name),
                        (Some(to), None) => format!("{}={to}", p.name),
                        (None, Some(s)) => format!("{}={s}", p.name),
                        (None, None) => p.name.clone(),
                    })
                    .collect();
                Row {
                    name: a.name.clone(),
                    json: to_json(a),
                    cells: vec![
                        a.name.clone(),
                        images.join(","),
                        a.count.to_string(),
                        or_dash(a.runs_on.as_deref().unwrap_or("")),
                        or_dash(&ports.join(",")),
                    ],
                }
            })
            .collect(),
        Kind::Upstream => m
            .upstreams
            .values()
            .map(|u| Row {
                name: u.name.clone(),
                json: to_json(u),
                cells: vec![u.name.clone(), u.targets.join(","), u.tls.to_string()],
            })
            .collect(),
        Kind::Dns => m
            .zones
            .values()
            .flat_map(|z| {
                z.records.iter().map(move |r| Row {
                    name: z.name.clone(),
                    json: json!({
                        "zone": z.name,
                        "existing": z.existing,
                        "zone_ttl": z.ttl,
                        "record": to_json(r),
                    }),
                    cells: vec![
                        z.name.clone(),
                        r.name.clone(),
                        r.rtype.clone(),
                        record_value(&r.value),
                        r.ttl.unwrap_or(z.ttl).to_string(),
                    ],
                })
            })
            .collect(),
        Kind::Secret => m
            .secrets
            .values()
            .map(|s| Row {
                name: s.name.clone(),
                json: to_json(s),
                cells: vec![s.name.clone(), s.vault_path.clone(), s.key.clone()],
            })
            .collect(),
        Kind::Auth => m
            .auths
            .values()
            .map(|a| Row {
                name: a.name.clone(),
                json: to_json(a),
                cells: vec![
                    a.name.clone(),
                    a.provider.clone(),
                    target(&a.outpost),
                    a.groups.join(","),
                ],
            })
            .collect(),
        Kind::Middleware => m
            .middlewares
            .values()
            .map(|x| Row {
                name: x.name.clone(),
                json: to_json(x),
                cells: vec![
                    x.name.clone(),
                    x.headers.len().to_string(),
                    or_dash(&x.encode.join(",")),
                    x.rules.len().to_string(),
                    x.rate_limit.as_ref().map_or("-".to_string(), |r| {
                        format!("{}/{}s", r.events, r.window.as_secs())
                    }),
                ],
            })
            .collect(),
    }
}

/// The rows of every model (`env`: only that one; `name`: only entities
/// of that name, case-insensitively for hosts and zones).
pub fn select<'m>(
    kind: Kind,
    models: &'m [Model],
    env: Option<&str>,
    name: Option<&str>,
) -> Vec<(&'m str, Vec<Row>)> {
    models
        .iter()
        .filter(|m| env.is_none_or(|e| m.env.name == e))
        .map(|m| {
            let rows = rows(kind, m)
                .into_iter()
                .filter(|r| name.is_none_or(|n| r.name.eq_ignore_ascii_case(n)))
                .collect();
            (m.env.name.as_str(), rows)
        })
        .collect()
}

/// The documented JSON document (module docs), pretty-printed.
pub fn json(kind: Kind, selected: &[(&str, Vec<Row>)]) -> String {
    let envs: Vec<Json> = selected
        .iter()
        .map(|(env, rows)| {
            json!({
                "environment": env,
                "items": rows.iter().map(|r| r.json.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({ "kind": kind.name(), "environments": envs });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// A table with an ENV column first, columns padded to their widest cell.
pub fn table(kind: Kind, selected: &[(&str, Vec<Row>)]) -> String {
    let mut lines: Vec<Vec<String>> = vec![std::iter::once("ENV")
        .chain(columns(kind).iter().copied())
        .map(str::to_string)
        .collect()];
    for (env, rows) in selected {
        for r in rows {
            lines.push(
                std::iter::once(env.to_string())
                    .chain(r.cells.iter().cloned())
                    .collect(),
            );
        }
    }
    let n = lines[0].len();
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for l in &lines {
        let mut s = String::new();
        for (i, c) in l.iter().enumerate() {
            if i + 1 == n {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    }
    out
}

/// `show`: every field of each selected entity, one `key: value` per line
/// under a heading per environment.
pub fn details(kind: Kind, selected: &[(&str, Vec<Row>)]) -> String {
    let mut out = String::new();
    for (env, rows) in selected {
        for r in rows {
            out.push_str(&format!("{} {} (environment {env})\n", kind.name(), r.name));
            for (k, v) in columns(kind).iter().zip(&r.cells) {
                out.push_str(&format!("  {:<11} {v}\n", format!("{}:", k.to_lowercase())));
            }
        }
    }
    out
}
