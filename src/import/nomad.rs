//! Nomad job files (HCL, parsed with hcl-rs's span-keeping `hcl::edit`)
//! → apps. One app per group: its network ports, service checks, host
//! volumes and docker tasks. What an eosc app cannot say (constraints,
//! templates, non-docker drivers, …) is a located diagnostic.

mod placement;

use super::writer::{Block, Val};
use super::{unique_name, Cx};
use crate::diagnostics::Code;
use crate::sema::lexical::problem;
use crate::sema::schema::StrClass;
use crate::source::{FileId, Span};
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::{Attribute, Body, Structure};

struct At {
    file: FileId,
}

impl At {
    fn of(&self, s: &impl hcl::edit::Span) -> Span {
        let r = s.span().unwrap_or(0..0);
        Span::new(self.file, r.start, r.end)
    }
}

fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a Attribute> {
    body.get_attribute(key)
}

/// A literal value, or None for expressions the importer does not evaluate.
fn literal(e: &Expression) -> Option<Val> {
    match e {
        Expression::String(s) => Some(Val::Str(s.value().clone())),
        Expression::Bool(b) => Some(Val::Bool(*b.value())),
        Expression::Number(n) => n.value().as_i64().map(Val::Int),
        Expression::Array(a) => a
            .iter()
            .map(literal)
            .collect::<Option<Vec<_>>>()
            .map(Val::List),
        Expression::Object(o) => o
            .iter()
            .map(|(k, v)| {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                    _ => return None,
                };
                literal(v.expr()).map(|v| (key, v))
            })
            .collect::<Option<Vec<_>>>()
            .map(Val::Obj),
        Expression::StringTemplate(t) => {
            // A template without interpolations: its literal text.
            let s = t.to_string();
            (!s.contains("${") && !s.contains("%{"))
                .then(|| Val::Str(s.trim_matches('"').to_string()))
        }
        Expression::HeredocTemplate(h) => Some(Val::Str(h.template.to_string())),
        _ => None,
    }
}

fn string(cx: &mut Cx, at: &At, a: &Attribute) -> Option<String> {
    match literal(&a.value) {
        Some(Val::Str(s)) => Some(s),
        Some(Val::Int(n)) => Some(n.to_string()),
        _ => {
            cx.error(
                Code::E0602,
                at.of(a),
                format!(
                    "`{}` is an expression the importer does not evaluate",
                    a.key.as_str()
                ),
                "write the literal value",
            );
            None
        }
    }
}

fn int(cx: &mut Cx, at: &At, a: &Attribute) -> Option<i64> {
    match literal(&a.value) {
        Some(Val::Int(n)) => Some(n),
        _ => {
            cx.error(
                Code::E0602,
                at.of(a),
                format!("`{}` is not a whole number", a.key.as_str()),
                "write the number",
            );
            None
        }
    }
}

/// Nanoseconds or a Go duration string → a spec duration literal.
fn duration(cx: &mut Cx, at: &At, a: &Attribute) -> Option<String> {
    match literal(&a.value) {
        Some(Val::Str(s)) => super::caddy_sites::duration(&s).or_else(|| {
            cx.warn(
                Code::W0603,
                at.of(a),
                format!("duration `{s}` is not imported; the default applies"),
                "",
            );
            None
        }),
        Some(Val::Int(ns)) if ns > 0 && ns % 1_000_000 == 0 => {
            Some(format!("{}ms", ns / 1_000_000))
        }
        _ => {
            cx.warn(
                Code::W0603,
                at.of(a),
                "this duration is not imported; the default applies",
                "",
            );
            None
        }
    }
}

/// Reports every item of `body` not in `known`.
fn rest(cx: &mut Cx, at: &At, body: &Body, what: &str, known: &[&str], harmless: &[&str]) {
    for s in body.iter() {
        let (name, sp) = match s {
            Structure::Attribute(a) => (a.key.as_str().to_string(), at.of(a)),
            Structure::Block(b) => (b.ident.as_str().to_string(), at.of(b)),
        };
        if known.contains(&name.as_str()) {
            continue;
        }
        if harmless.contains(&name.as_str()) {
            cx.warn(
                Code::W0601,
                sp,
                format!("`{name}` of {what} is not imported"),
                "eosc writes it from the spec, or it does not change what runs",
            );
        } else {
            cx.error(Code::E0602, sp, format!("`{name}` of {what} cannot be imported; the job would run differently without it"), "express it by hand after the import, or keep this job outside eosc");
        }
    }
}

pub fn import(cx: &mut Cx, file: FileId, text: &str) {
    let at = At { file };
    let body = match hcl::edit::parser::parse_body(text) {
        Ok(b) => b,
        Err(e) => {
            let loc = e.location();
            let f = cx.sources.get(file);
            let off = line_offset(&f.text, loc.line(), loc.column());
            cx.error(
                Code::E0601,
                Span::new(file, off, (off + 1).min(text.len())),
                format!("Nomad HCL: {}", e.message()),
                "fix the job file (`nomad job validate` checks it)",
            );
            return;
        }
    };
    for s in body.iter() {
        match s {
            Structure::Block(b) if b.ident.as_str() == "job" => job(cx, &at, b),
            Structure::Block(b) => cx.warn(
                Code::W0601,
                at.of(b),
                format!("top-level `{}` block is not imported", b.ident.as_str()),
                "",
            ),
            Structure::Attribute(a) => cx.warn(
                Code::W0601,
                at.of(a),
                format!("top-level `{}` is not imported", a.key.as_str()),
                "",
            ),
        }
    }
}

fn line_offset(text: &str, line: usize, col: usize) -> usize {
    let mut off = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return (off + col.saturating_sub(1)).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

fn label(b: &hcl::edit::structure::Block) -> String {
    b.labels
        .first()
        .map(|l| l.as_str().to_string())
        .unwrap_or_default()
}

fn job(cx: &mut Cx, at: &At, j: &hcl::edit::structure::Block) {
    let name = label(j);
    let groups: Vec<_> = j.body.get_blocks("group").collect();
    let jtype = attr(&j.body, "type").and_then(|a| string(cx, at, a));
    for key in ["datacenters", "region"] {
        if let Some(a) = attr(&j.body, key) {
            if let Some(v) = literal(&a.value) {
                let c = format!("job {name} at {}", cx.at(at.of(a)));
                cx.project_attr(key, v, c);
            }
        }
    }
    let schedule = j.body.get_blocks("periodic").next().and_then(|p| {
        attr(&p.body, "crons")
            .or_else(|| attr(&p.body, "cron"))
            .and_then(|a| match literal(&a.value) {
                Some(Val::Str(s)) => Some(s),
                Some(Val::List(l)) => {
                    l.into_iter()
                        .find_map(|v| if let Val::Str(s) = v { Some(s) } else { None })
                }
                _ => None,
            })
    });
    rest(
        cx,
        at,
        &j.body,
        &format!("job {name}"),
        &[
            "group",
            "type",
            "datacenters",
            "region",
            "periodic",
            "meta",
            "constraint",
            "spread",
            "affinity",
            "migrate",
            "reschedule",
        ],
        &[
            "update",
            "namespace",
            "priority",
            "vault",
            "id",
            "name",
            "all_at_once",
        ],
    );
    for g in &groups {
        let gname = label(g);
        let app_name = if groups.len() == 1 {
            name.clone()
        } else {
            format!("{name}-{gname}")
        };
        let app_name = unique_name(&cx.apps, &app_name);
        let mut app = Block::new("app", Some(&app_name));
        app.comment(format!(
            "Nomad job `{name}`, group `{gname}` ({})",
            cx.at(at.of(*g))
        ));
        if let Some(t) = &jtype {
            if t != "service" {
                app.attr("type", Val::Str(t.clone()));
            }
        }
        if let Some(s) = &schedule {
            app.attr("schedule", Val::Str(s.clone()));
        }
        group(cx, at, g, &mut app);
        // Job-level placement applies to every group, as in Nomad.
        placement::constraints(cx, at, &j.body, &mut app);
        placement::policies(cx, at, &j.body, &mut app);
        placement::restart(cx, at, g, jtype.as_deref() == Some("batch"), &mut app);
        if schedule.is_some() {
            placement::periodic(cx, at, &j.body, &mut app);
        }
        placement::job_meta(&j.body, &mut app);
        cx.apps.insert(app_name, app);
    }
}

fn group(cx: &mut Cx, at: &At, g: &hcl::edit::structure::Block, app: &mut Block) {
    let what = format!("group {}", label(g));
    if let Some(c) = attr(&g.body, "count").and_then(|a| int(cx, at, a)) {
        if c != 1 {
            app.attr("count", Val::Int(c));
        }
    }
    let mut ports = Vec::new();
    for n in g.body.get_blocks("network") {
        for p in n.body.get_blocks("port") {
            let mut pb = Block::new("port", Some(&label(p)));
            if let Some(to) = attr(&p.body, "to").and_then(|a| int(cx, at, a)) {
                pb.attr("to", Val::Int(to));
            }
            if let Some(st) = attr(&p.body, "static").and_then(|a| int(cx, at, a)) {
                pb.attr("static", Val::Int(st));
            }
            rest(
                cx,
                at,
                &p.body,
                "a port",
                &["to", "static"],
                &["host_network"],
            );
            ports.push(pb);
        }
        rest(
            cx,
            at,
            &n.body,
            "network",
            &["port", "mode"],
            &["dns", "hostname"],
        );
    }
    let mut health = Vec::new();
    let mut service_name = None;
    let mut tags: Option<Vec<String>> = None;
    let mut meta: Option<Vec<(String, Val)>> = None;
    for s in g.body.get_blocks("service") {
        // The first service is the app's (eosc names the others `<service>-<port>`).
        if service_name.is_none() {
            if let Some(n) = attr(&s.body, "name").and_then(|a| string(cx, at, a)) {
                service_name = Some((n, at.of(attr(&s.body, "name").expect("just read"))));
            }
        }
        let port = attr(&s.body, "port").and_then(|a| string(cx, at, a));
        for c in s.body.get_blocks("check") {
            let kind = attr(&c.body, "type")
                .and_then(|a| string(cx, at, a))
                .unwrap_or_default();
            let mut h = Block::new("health", Some(&kind));
            match kind.as_str() {
                "http" | "tcp" => {
                    if let Some(p) = attr(&c.body, "port")
                        .and_then(|a| string(cx, at, a))
                        .or_else(|| port.clone())
                    {
                        if ports.len() > 1 {
                            h.attr("port", Val::Str(p));
                        }
                    }
                    if kind == "http" {
                        if let Some(p) = attr(&c.body, "path").and_then(|a| string(cx, at, a)) {
                            if p != "/" {
                                h.attr("path", Val::Str(p));
                            }
                        }
                    }
                }
                "script" => {
                    if let Some(cmd) = attr(&c.body, "command").and_then(|a| string(cx, at, a)) {
                        h.attr("command", Val::Str(cmd));
                    }
                    if let Some(a) = attr(&c.body, "args").and_then(|a| literal(&a.value)) {
                        h.attr("args", a);
                    }
                }
                other => {
                    cx.error(
                        Code::E0602,
                        at.of(c),
                        format!("check type `{other}` cannot be imported"),
                        "eosc checks are http, tcp or script",
                    );
                    continue;
                }
            }
            for (k, key) in [("interval", "interval"), ("timeout", "timeout")] {
                if let Some(d) = attr(&c.body, k).and_then(|a| duration(cx, at, a)) {
                    if !((k == "interval" && d == "10s") || (k == "timeout" && d == "2s")) {
                        h.attr(key, Val::Raw(d));
                    }
                }
            }
            if kind == "http" {
                check_request(cx, at, &c.body, &mut h);
            }
            if let Some(r) = c.body.get_blocks("check_restart").next() {
                check_restart(cx, at, &r.body, &mut h);
            }
            rest(
                cx,
                at,
                &c.body,
                "a check",
                &[
                    "type",
                    "port",
                    "path",
                    "command",
                    "args",
                    "interval",
                    "timeout",
                    "name",
                    "task",
                    "method",
                    "header",
                    "check_restart",
                    "protocol",
                    "tls_skip_verify",
                ],
                &[
                    "initial_status",
                    "success_before_passing",
                    "failures_before_critical",
                    "on_update",
                    "expose",
                ],
            );
            health.push(h);
        }
        if tags.is_none() {
            tags = service_tags(cx, at, &s.body);
        }
        if meta.is_none() {
            meta = s
                .body
                .get_blocks("meta")
                .next()
                .map(|m| service_meta(cx, at, &m.body));
        }
        rest(
            cx,
            at,
            &s.body,
            "a service",
            &["name", "port", "check", "tags", "canary_tags", "meta"],
            &[
                "provider",
                "canary_meta",
                "address_mode",
                "connect",
                "enable_tag_override",
                "task",
            ],
        );
    }
    if let Some((n, sp)) = service_name {
        if n != app.label() {
            if n.contains("${") {
                cx.warn(
                    Code::W0603,
                    sp,
                    format!(
                        "service name `{n}` is interpolated; the app's own name is its service"
                    ),
                    "",
                );
            } else {
                app.attr("service", Val::Str(n));
            }
        }
    }
    if let Some(t) = tags.filter(|t| !t.is_empty()) {
        app.attr("tags", Val::List(t.into_iter().map(Val::Str).collect()));
    }
    if let Some(m) = meta.filter(|m| !m.is_empty()) {
        app.attr("meta", Val::Obj(m));
    }
    let mut host_volumes: Vec<(String, String, bool)> = Vec::new();
    for v in g.body.get_blocks("volume") {
        let src = attr(&v.body, "source")
            .and_then(|a| string(cx, at, a))
            .unwrap_or_default();
        let ro =
            attr(&v.body, "read_only").and_then(|a| literal(&a.value)) == Some(Val::Bool(true));
        if attr(&v.body, "type")
            .and_then(|a| string(cx, at, a))
            .is_some_and(|t| t != "host")
        {
            cx.error(
                Code::E0602,
                at.of(v),
                "only host volumes can be imported",
                "",
            );
            continue;
        }
        host_volumes.push((label(v), src, ro));
    }
    let tasks: Vec<_> = g.body.get_blocks("task").collect();
    let single = tasks.len() == 1;
    let mut task_blocks = Vec::new();
    let mut uses = Vec::new();
    for t in &tasks {
        let mut tb = Block::new("task", Some(&label(t)));
        uses.push(task(cx, at, t, &mut tb, &host_volumes));
        task_blocks.push(tb);
    }
    let port_names: Vec<String> = ports.iter().map(|p| p.label().to_string()).collect();
    let volumes = task_uses(&uses, &host_volumes, &port_names, &mut task_blocks);
    if single {
        let tb = task_blocks.remove(0);
        app.attrs.extend(tb.attrs);
        app.blocks.extend(tb.blocks);
    }
    app.blocks.splice(0..0, ports);
    app.blocks.extend(health);
    app.blocks.extend(volumes);
    app.blocks.extend(task_blocks);
    placement::ephemeral_disk(cx, at, g, app);
    placement::constraints(cx, at, &g.body, app);
    placement::policies(cx, at, &g.body, app);
    rest(
        cx,
        at,
        &g.body,
        &what,
        &[
            "count",
            "network",
            "service",
            "volume",
            "task",
            "restart",
            "constraint",
            "spread",
            "affinity",
            "reschedule",
            "migrate",
            "ephemeral_disk",
        ],
        &[
            "update",
            "meta",
            "shutdown_delay",
            "stop_after_client_disconnect",
            "max_client_disconnect",
            "disconnect",
            "consul",
            "prevent_reschedule_on_lost",
        ],
    );
}

/// A service's own tags. eosc registers a canary app with `stable` first
/// in `tags` and `canary` first in `canary_tags`; those are eosc's, not the
/// user's, so they are not imported.
fn service_tags(cx: &mut Cx, at: &At, s: &Body) -> Option<Vec<String>> {
    let a = attr(s, "tags")?;
    let Some(Val::List(items)) = literal(&a.value) else {
        cx.error(Code::E0602, at.of(a), "`tags` is not a list of strings", "");
        return None;
    };
    let mut tags = strs(items);
    if attr(s, "canary_tags").is_some() && tags.first().is_some_and(|t| t == "stable") {
        tags.remove(0);
    }
    // eosc's tags are DNS labels (`<tag>.<service>.service.consul`); a
    // router's `traefik.enable=false` is not one, and no eosc route reads it.
    let (keep, drop): (Vec<String>, Vec<String>) = tags
        .into_iter()
        .partition(|t| problem(StrClass::DnsLabel, t).is_none());
    if !drop.is_empty() {
        cx.warn(
            Code::W0601,
            at.of(a),
            format!(
                "tags {} are not imported: eosc's tags are DNS labels",
                drop.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "Caddy routes by eosc's own registration; a router's tags have no reader here",
        );
    }
    Some(keep)
}

/// Service meta whose keys are eosc names and values free text; others
/// are said and left out (the imported spec would not check).
fn service_meta(cx: &mut Cx, at: &At, m: &Body) -> Vec<(String, Val)> {
    let mut out = Vec::new();
    for x in m.iter() {
        let Structure::Attribute(a) = x else { continue };
        let Some(v) = string(cx, at, a) else { continue };
        let k = a.key.as_str();
        match problem(StrClass::Name, k).or_else(|| problem(StrClass::FreeText, &v)) {
            None => out.push((k.to_string(), Val::Str(v))),
            Some(why) => cx.warn(
                Code::W0601,
                at.of(a),
                format!("meta `{k}` is not imported: {why}"),
                "",
            ),
        }
    }
    out
}

/// An http check's `method` and `header` (Nomad: a list of values per name;
/// an eosc check sends one).
fn check_request(cx: &mut Cx, at: &At, c: &Body, h: &mut Block) {
    if let Some(p) = attr(c, "protocol").and_then(|a| string(cx, at, a)) {
        match p.as_str() {
            "http" => {}
            "https" => {
                h.attr("protocol", Val::Str(p));
            }
            _ => cx.error(
                Code::E0602,
                at.of(attr(c, "protocol").expect("just read")),
                format!("check protocol `{p}` cannot be imported"),
                "eosc http checks speak `http` or `https`",
            ),
        }
    }
    if attr(c, "tls_skip_verify").and_then(|a| literal(&a.value)) == Some(Val::Bool(true)) {
        h.attr("tls_skip_verify", Val::Bool(true));
    }
    if let Some(m) = attr(c, "method").and_then(|a| string(cx, at, a)) {
        if m != "GET" {
            h.attr("method", Val::Str(m.to_ascii_uppercase()));
        }
    }
    let Some(hb) = c.get_blocks("header").next() else {
        return;
    };
    let mut header = Vec::new();
    for x in hb.body.iter() {
        let Structure::Attribute(a) = x else { continue };
        match literal(&a.value) {
            Some(Val::List(vs)) if vs.len() == 1 => {
                header.push((a.key.as_str().to_string(), vs[0].clone()))
            }
            Some(Val::Str(v)) => header.push((a.key.as_str().to_string(), Val::Str(v))),
            _ => cx.error(
                Code::E0602,
                at.of(a),
                format!("header `{}` is not one literal value", a.key.as_str()),
                "an eosc check sends one value per header",
            ),
        }
    }
    if !header.is_empty() {
        h.attr("header", Val::Obj(header));
    }
}

/// `check_restart`, where it differs from eosc's limit 3 / grace 90s.
fn check_restart(cx: &mut Cx, at: &At, r: &Body, h: &mut Block) {
    let mut b = Block::new("check_restart", None);
    // Nomad's own default limit is 0 (never restart).
    let limit = attr(r, "limit").and_then(|a| int(cx, at, a)).unwrap_or(0);
    if limit != 3 {
        b.attr("limit", Val::Int(limit));
    }
    let grace = attr(r, "grace").and_then(|a| duration(cx, at, a));
    // Nomad's default grace is 1s.
    let grace = grace.unwrap_or_else(|| "1s".into());
    if !matches!(grace.as_str(), "90s" | "90000ms" | "1m30s") {
        b.attr("grace", Val::Raw(grace));
    }
    if attr(r, "ignore_warnings").and_then(|a| literal(&a.value)) == Some(Val::Bool(true)) {
        b.attr("ignore_warnings", Val::Bool(true));
    }
    rest(
        cx,
        at,
        r,
        "check_restart",
        &["limit", "grace", "ignore_warnings"],
        &[],
    );
    if !b.attrs.is_empty() {
        h.blocks.push(b);
    }
}

/// The app's volumes (each at the first destination a task mounts it) and,
/// where the tasks differ from eosc's defaults, each task's `ports` and
/// `volume_mount`s.
fn task_uses(
    uses: &[TaskUse],
    host_volumes: &[(String, String, bool)],
    ports: &[String],
    tasks: &mut [Block],
) -> Vec<Block> {
    // A volume is read-only when the group says so or no task writes it.
    let mut volumes: Vec<(String, String, bool)> = Vec::new();
    for (v, dest, _) in uses.iter().flat_map(|u| &u.mounts) {
        if !volumes.iter().any(|(n, _, _)| n == v) {
            let all_ro = uses
                .iter()
                .flat_map(|u| &u.mounts)
                .filter(|m| &m.0 == v)
                .all(|m| m.2);
            volumes.push((v.clone(), dest.clone(), all_ro));
        }
    }
    // Without per-task `ports`, eosc publishes every port from the first task.
    let default_ports = uses.iter().enumerate().all(|(i, u)| {
        if i == 0 {
            u.ports == ports
        } else {
            u.ports.is_empty()
        }
    });
    if !default_ports {
        for (u, tb) in uses.iter().zip(tasks.iter_mut()) {
            let list = u.ports.iter().map(|p| Val::Str(p.clone())).collect();
            tb.attr("ports", Val::List(list));
        }
    }
    // Without `volume_mount`s, every task mounts every volume at its path.
    let default_mounts = uses.iter().all(|u| {
        u.mounts.len() == volumes.len() && volumes.iter().all(|v| u.mounts.iter().any(|m| m == v))
    });
    if !default_mounts {
        for (u, tb) in uses.iter().zip(tasks.iter_mut()) {
            for (v, dest, ro) in &u.mounts {
                let (_, vpath, vro) = volumes.iter().find(|(n, _, _)| n == v).expect("listed");
                let mut mb = Block::new("volume_mount", Some(v));
                if dest != vpath {
                    mb.attr("path", Val::Str(dest.clone()));
                }
                if ro != vro {
                    mb.attr("read_only", Val::Bool(*ro));
                }
                tb.blocks.push(mb);
            }
        }
    }
    volumes
        .into_iter()
        .map(|(n, dest, ro)| {
            let mut vb = Block::new("volume", Some(&n));
            let host = host_volumes.iter().find(|h| h.0 == n).map(|h| h.1.clone());
            vb.attr("host", Val::Str(host.unwrap_or_default()));
            vb.attr("path", Val::Str(dest));
            if ro {
                vb.attr("read_only", Val::Bool(true));
            }
            vb
        })
        .collect()
}

/// `--secret-flag=$NAME` reads NAME from the environment a `template`
/// rendered from Vault (not imported): the task gets a `secret` for it, so
/// the flag still names one of its secrets (E0502 otherwise).
/// `known`: the variables eosc's own secrets template defines (their Vault
/// paths are known, so they are not guessed here).
fn secret_args(cx: &mut Cx, sp: Span, items: &[Val], tb: &mut Block, known: &[String]) {
    let mut secrets = Vec::new();
    for v in items {
        let Val::Str(w) = v else { continue };
        let Some((flag, val)) = w.trim_start_matches('-').split_once('=') else {
            continue;
        };
        let name = val
            .trim_start_matches('$')
            .trim_start_matches('{')
            .trim_end_matches('}');
        if !w.starts_with('-')
            || !val.starts_with('$')
            || name.is_empty()
            || !crate::sema::secret_rules::name_is_secret(flag)
            || known.iter().any(|k| k == name)
        {
            continue;
        }
        let sname = unique_name(
            &indexmap::IndexMap::<String, ()>::new(),
            &name.to_ascii_lowercase(),
        );
        if !cx.secrets.contains_key(&sname) {
            let mut b = Block::new("secret", Some(&sname));
            b.comment(format!(
                "TODO: the Vault path of ${name} (the job's template rendered it)"
            ));
            b.attr("vault", Val::Str(format!("secret/{}/{sname}", cx.project)));
            cx.secrets.insert(sname.clone(), b);
        }
        cx.warn(
            Code::W0604,
            sp,
            format!("`--{flag}` reads the secret ${name}; it becomes `secret \"{sname}\"`"),
            "fill in the secret's Vault path",
        );
        secrets.push((name.to_string(), Val::Raw(format!("secret.{sname}"))));
    }
    if !secrets.is_empty() {
        tb.attr("secrets", Val::Obj(secrets));
    }
}

/// What a task says about the group's ports and volumes; the group decides
/// whether it is worth writing per task (eosc's defaults: every port into
/// the first task, every volume into every task at its path).
#[derive(Default)]
struct TaskUse {
    ports: Vec<String>,
    /// (volume, destination, read_only)
    mounts: Vec<(String, String, bool)>,
}

fn task(
    cx: &mut Cx,
    at: &At,
    t: &hcl::edit::structure::Block,
    tb: &mut Block,
    host_volumes: &[(String, String, bool)],
) -> TaskUse {
    let mut used = TaskUse::default();
    let what = format!("task {}", label(t));
    match attr(&t.body, "driver").and_then(|a| string(cx, at, a)) {
        Some(d) if d == "docker" || d == "podman" => {}
        Some(d) => {
            let a = attr(&t.body, "driver").expect("just read");
            cx.error(
                Code::E0602,
                at.of(a),
                format!("driver `{d}` cannot be imported: eosc apps run containers"),
                "package the program as an image",
            );
            return used;
        }
        None => {}
    }
    let own_secrets_vars: Vec<String> = t
        .body
        .get_blocks("template")
        .filter_map(|tpl| own_secrets_template(tpl, &label(t)))
        .flatten()
        .map(|(var, _, _)| var)
        .collect();
    if let Some(c) = t.body.get_blocks("config").next() {
        for key in ["image", "command"] {
            if let Some(v) = attr(&c.body, key).and_then(|a| string(cx, at, a)) {
                tb.attr(key, Val::Str(v));
            }
        }
        if let Some(a) = attr(&c.body, "args") {
            match literal(&a.value) {
                Some(Val::List(items)) => {
                    secret_args(cx, at.of(a), &items, tb, &own_secrets_vars);
                    tb.attr("args", Val::List(items));
                }
                _ => cx.error(
                    Code::E0602,
                    at.of(a),
                    "`args` is not a list of literals",
                    "",
                ),
            }
        }
        if let Some(a) = attr(&c.body, "ports") {
            match literal(&a.value) {
                Some(Val::List(items)) => used.ports = strs(items),
                _ => cx.error(Code::E0602, at.of(a), "`ports` is not a list of names", ""),
            }
        }
        docker_options(cx, at, &c.body, tb);
        rest(
            cx,
            at,
            &c.body,
            &format!("{what}'s config"),
            &[
                "image",
                "command",
                "args",
                "ports",
                "cap_add",
                "cap_drop",
                "readonly_rootfs",
                "network_mode",
                "logging",
                "mount",
            ],
            &["labels", "auth", "force_pull", "hostname"],
        );
    }
    if let Some(u) = attr(&t.body, "user").and_then(|a| string(cx, at, a)) {
        tb.attr("user", Val::Str(u));
    }
    if let Some(e) = t.body.get_blocks("env").next() {
        let mut env = Vec::new();
        for s in e.body.iter() {
            if let Structure::Attribute(a) = s {
                match literal(&a.value) {
                    Some(v @ (Val::Str(_) | Val::Int(_) | Val::Bool(_))) => {
                        env.push((a.key.as_str().to_string(), v))
                    }
                    _ => cx.error(
                        Code::E0602,
                        at.of(a),
                        format!(
                            "env `{}` is an expression the importer does not evaluate",
                            a.key.as_str()
                        ),
                        "",
                    ),
                }
            }
        }
        if !env.is_empty() {
            tb.attr("env", Val::Obj(env));
        }
    }
    if let Some(r) = t.body.get_blocks("resources").next() {
        let mut rb = Block::new("resources", None);
        if let Some(c) = attr(&r.body, "cpu").and_then(|a| int(cx, at, a)) {
            if c != 100 {
                rb.attr("cpu", Val::Int(c));
            }
        }
        for key in ["memory", "memory_max"] {
            if let Some(m) = attr(&r.body, key).and_then(|a| int(cx, at, a)) {
                if !(key == "memory" && m == 300) {
                    rb.attr(key, Val::Raw(format!("{m}MiB")));
                }
            }
        }
        rest(
            cx,
            at,
            &r.body,
            "resources",
            &["cpu", "memory", "memory_max"],
            &["cores", "device", "numa"],
        );
        if !rb.attrs.is_empty() {
            tb.blocks.push(rb);
        }
    }
    for m in t.body.get_blocks("volume_mount") {
        let vol = attr(&m.body, "volume")
            .and_then(|a| string(cx, at, a))
            .unwrap_or_default();
        let dest = attr(&m.body, "destination")
            .and_then(|a| string(cx, at, a))
            .unwrap_or_default();
        let ro =
            attr(&m.body, "read_only").and_then(|a| literal(&a.value)) == Some(Val::Bool(true));
        match host_volumes.iter().find(|(n, _, _)| *n == vol) {
            Some((n, _, gro)) => used.mounts.push((n.clone(), dest, ro || *gro)),
            None => cx.error(
                Code::E0602,
                at.of(m),
                format!("`volume_mount` of unknown volume `{vol}`"),
                "",
            ),
        }
    }
    let harmless = [
        "kill_timeout",
        "kill_signal",
        "leader",
        "meta",
        "logs",
        "restart",
        "shutdown_delay",
        "identity",
        "lifecycle",
    ];
    rest(
        cx,
        at,
        &t.body,
        &what,
        &[
            "driver",
            "config",
            "env",
            "resources",
            "volume_mount",
            "template",
            "user",
            "vault",
        ],
        &harmless,
    );
    if let Some(v) = t.body.get_blocks("vault").next() {
        if let Some(b) = vault(cx, at, &v.body, &what) {
            tb.blocks.push(b);
        }
    }
    for tpl in t.body.get_blocks("template") {
        if let Some(lines) = own_secrets_template(tpl, &label(t)) {
            own_secrets(cx, lines, tb);
            // Its change mode is what a changed secret does to the task.
            let mode = attr(&tpl.body, "change_mode").and_then(|a| literal(&a.value));
            if mode == Some(Val::Str("noop".into())) {
                match tb.blocks.iter_mut().find(|b| b.kind == "vault") {
                    Some(v) => {
                        v.attr("change_mode", Val::Str("noop".into()));
                    }
                    None => {
                        let mut v = Block::new("vault", None);
                        v.attr("change_mode", Val::Str("noop".into()));
                        tb.blocks.push(v);
                    }
                }
            }
            continue;
        }
        if let Some(b) = user_template(cx, at, tpl, &what) {
            tb.blocks.push(b);
        }
    }
    used
}

/// A block of string attributes (service `meta`, logging `config`) as
/// key → string; an attribute that is not a literal is E0602 (`string`).
fn string_attrs(cx: &mut Cx, at: &At, body: &Body) -> Vec<(String, Val)> {
    body.iter()
        .filter_map(|x| match x {
            Structure::Attribute(a) => {
                string(cx, at, a).map(|v| (a.key.as_str().to_string(), Val::Str(v)))
            }
            Structure::Block(_) => None,
        })
        .collect()
}

/// A task's `vault` block: the workload identity's `role` is eosc's
/// `vault { role }`. What eosc writes itself (`change_mode = "noop"`, no
/// token in the environment or a file) is read silently; a token the task
/// would see, legacy `policies` and the rest are said (W0601) and left out.
fn vault(cx: &mut Cx, at: &At, v: &Body, what: &str) -> Option<Block> {
    let mut b = Block::new("vault", None);
    for x in v.iter() {
        let Structure::Attribute(a) = x else {
            cx.warn(
                Code::W0601,
                at.of(x),
                format!("a block in the `vault` of {what} is not imported"),
                "",
            );
            continue;
        };
        let key = a.key.as_str();
        let value = literal(&a.value);
        let eoscs = matches!(
            (key, &value),
            ("change_mode", Some(Val::Str(m))) if m == "noop"
        ) || matches!(
            (key, &value),
            ("env", Some(Val::Bool(false))) | ("disable_file", Some(Val::Bool(true)))
        );
        if eoscs {
            continue;
        }
        if key == "role" {
            if let Some(role) = string(cx, at, a) {
                b.attr("role", Val::Str(role));
            }
            continue;
        }
        let why = match key {
            "policies" => "eosc's jobs log in to Vault with the task's workload identity (Nomad deprecated token policies in 1.7): attach the policies to a Vault JWT role and name it with `vault { role = \"…\" }`",
            "change_mode" | "change_signal" => "eosc keeps the token with Nomad's template runner, so a renewed token changes nothing the task holds; what a changed secret does is the app's `vault { change_mode }`",
            "env" | "disable_file" => "eosc never hands the task its Vault token; the secrets reach it as `secrets`",
            _ => "eosc uses the agent's Vault cluster and namespace",
        };
        cx.warn(
            Code::W0601,
            at.of(a),
            format!("`{key}` of the `vault` of {what} is not imported"),
            why,
        );
    }
    (!b.attrs.is_empty()).then_some(b)
}

/// eosc's own template: `secrets/<task>.env`, env, every line
/// `NAME={{ with secret "path" }}{{ .Data.data.key }}{{ end }}`
/// (`emit::nomad::template`), read back as (variable, Vault path, key);
/// None when the template is anything else.
fn own_secrets_template(
    tpl: &hcl::edit::structure::Block,
    task: &str,
) -> Option<Vec<(String, String, String)>> {
    let dest = attr(&tpl.body, "destination").and_then(|a| literal(&a.value));
    if dest != Some(Val::Str(format!("secrets/{task}.env"))) {
        return None;
    }
    let data = attr(&tpl.body, "data").and_then(|a| template_text(&a.value))?;
    data.lines()
        .filter(|l| !l.is_empty())
        .map(secrets_line)
        .collect()
}

fn secrets_line(line: &str) -> Option<(String, String, String)> {
    let (var, rest) = line.split_once("={{ with secret ")?;
    let (path, rest) = rest.split_once(" }}{{ ")?;
    let (field, end) = rest.split_once(" }}")?;
    if end != "{{ end }}" || !crate::sema::lexical::env_var_name(var) {
        return None;
    }
    let path = path.strip_prefix('"')?.strip_suffix('"')?;
    let key = match field.strip_prefix(".Data.data.") {
        Some(k) => k,
        None => field
            .strip_prefix("index .Data.data \"")?
            .strip_suffix('"')?,
    };
    // Escapes (`\"`, `\n`) would need Go's unquoting; eosc's secret paths
    // and keys hold none, so a line with one is not eosc's.
    let plain = |t: &str| !t.is_empty() && !t.contains(['\\', '"', '{', '}']);
    (plain(path) && plain(key)).then(|| (var.to_string(), path.to_string(), key.to_string()))
}

/// The task's `secrets` from eosc's own env template: one `secret` block
/// per Vault path and key (reusing one the import already has), named for
/// the path's last segment.
fn own_secrets(cx: &mut Cx, lines: Vec<(String, String, String)>, tb: &mut Block) {
    let mut secrets = Vec::new();
    for (var, path, key) in lines {
        let same = |b: &Block| {
            b.get("vault") == Some(&Val::Str(path.clone()))
                && b.get("key").map_or("value".to_string(), |k| match k {
                    Val::Str(k) => k.clone(),
                    _ => String::new(),
                }) == key
        };
        let name = match cx.secrets.iter().find(|(_, b)| same(b)) {
            Some((n, _)) => n.clone(),
            None => {
                let last = path.rsplit('/').next().unwrap_or(&path).to_string();
                let base = if key == "value" {
                    last
                } else {
                    format!("{last}_{key}")
                };
                let sname = unique_name(&cx.secrets, &base);
                let mut b = Block::new("secret", Some(&sname));
                b.attr("vault", Val::Str(path.clone()));
                if key != "value" {
                    b.attr("key", Val::Str(key.clone()));
                }
                cx.secrets.insert(sname.clone(), b);
                sname
            }
        };
        secrets.push((var, Val::Raw(format!("secret.{name}"))));
    }
    if !secrets.is_empty() {
        tb.attr("secrets", Val::Obj(secrets));
    }
}

/// The value of a template's `data`: a string, or a heredoc without
/// interpolation (its `$${`/`%%{` escapes undone); None for text Nomad
/// would interpolate.
fn template_text(e: &Expression) -> Option<String> {
    let raw = match e {
        Expression::String(s) => return Some(s.value().clone()),
        Expression::HeredocTemplate(h) => h.template.to_string(),
        _ => return None,
    };
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
            out.push(c as char);
            out.push('{');
            i += 3;
            continue;
        }
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&b'{') {
            return None;
        }
        let ch = raw[i..].chars().next()?;
        out.push(ch);
        i += ch.len_utf8();
    }
    Some(out)
}

/// A user's `template` block as eosc's (`template "<destination>"`).
fn user_template(
    cx: &mut Cx,
    at: &At,
    tpl: &hcl::edit::structure::Block,
    what: &str,
) -> Option<Block> {
    let dest = attr(&tpl.body, "destination").and_then(|a| string(cx, at, a));
    let Some(dest) = dest else {
        cx.error(
            Code::E0602,
            at.of(tpl),
            format!("a `template` of {what} without a literal `destination` cannot be imported"),
            "",
        );
        return None;
    };
    let data = match attr(&tpl.body, "data") {
        Some(a) => match template_text(&a.value) {
            Some(d) => d,
            None => {
                cx.error(
                    Code::E0602,
                    at.of(a),
                    format!("the `data` of template `{dest}` holds HCL interpolation"),
                    "Nomad interpolates `${…}` in the job before rendering; write the value into the text, then import",
                );
                return None;
            }
        },
        None => {
            cx.error(
                Code::E0602,
                at.of(tpl),
                format!("template `{dest}` of {what} has no inline `data`"),
                "copy the file the job's `source` names beside the spec and write `source = \"…\"` after the import",
            );
            return None;
        }
    };
    template_secrets(cx, &data);
    let mut b = Block::new("template", Some(&dest));
    b.attr("data", Val::Str(data));
    for key in [
        "change_mode",
        "change_signal",
        "perms",
        "left_delimiter",
        "right_delimiter",
    ] {
        if let Some(v) = attr(&tpl.body, key).and_then(|a| string(cx, at, a)) {
            let default = matches!(
                (key, v.as_str()),
                ("change_mode", "restart")
                    | ("perms", "0644")
                    | ("left_delimiter", "{{")
                    | ("right_delimiter", "}}")
            );
            if !default {
                b.attr(key, Val::Str(v));
            }
        }
    }
    if let Some(a) = attr(&tpl.body, "splay") {
        match string(cx, at, a) {
            Some(d) if go_duration_ok(&d) && d == "5s" => {}
            Some(d) if go_duration_ok(&d) => {
                b.attr("splay", Val::Raw(d));
            }
            Some(d) => cx.error(
                Code::E0602,
                at.of(a),
                format!("splay `{}` cannot be imported", d.escape_debug()),
                "write it as a whole number of `ms`, `s`, `m` or `h`",
            ),
            None => {}
        }
    }
    if attr(&tpl.body, "env").and_then(|a| literal(&a.value)) == Some(Val::Bool(true)) {
        b.attr("env", Val::Bool(true));
    }
    rest(
        cx,
        at,
        &tpl.body,
        &format!("template `{dest}`"),
        &[
            "destination",
            "data",
            "change_mode",
            "change_signal",
            "splay",
            "perms",
            "left_delimiter",
            "right_delimiter",
            "env",
        ],
        &[],
    );
    Some(b)
}

/// A template may read only declared secrets (E0338): each Vault path its
/// `secret` lookups name becomes a `secret` block, unless one has it.
fn template_secrets(cx: &mut Cx, data: &str) {
    let lexed = crate::sema::go_template::lex(data, "{{", "}}");
    for c in lexed.calls {
        let Some(path) = c
            .arg
            .filter(|_| crate::sema::go_template::SECRET_FUNCS.contains(&c.func.as_str()))
        else {
            continue;
        };
        let known = cx
            .secrets
            .values()
            .any(|b| b.get("vault") == Some(&Val::Str(path.clone())));
        if known {
            continue;
        }
        let last = path.rsplit('/').next().unwrap_or(&path);
        let sname = unique_name(&cx.secrets, last);
        let mut b = Block::new("secret", Some(&sname));
        b.comment("read by a template of the job; its field is the template's `.Data.data.<key>`");
        b.attr("vault", Val::Str(path));
        cx.secrets.insert(sname, b);
    }
}

/// `30s`, `250ms`, `10m`, `2h`: what eosc's duration literals say too.
fn go_duration_ok(d: &str) -> bool {
    let unit = d.trim_start_matches(|c: char| c.is_ascii_digit());
    unit.len() < d.len() && ["ms", "s", "m", "h"].contains(&unit)
}

fn strs(items: Vec<Val>) -> Vec<String> {
    items
        .into_iter()
        .filter_map(|v| match v {
            Val::Str(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// The Docker settings of a task's `config` that eosc has: capabilities,
/// a read-only root, the network mode, the logging driver and binds of the
/// task's own directories.
fn docker_options(cx: &mut Cx, at: &At, c: &Body, tb: &mut Block) {
    for key in ["cap_add", "cap_drop"] {
        if let Some(a) = attr(c, key) {
            match literal(&a.value) {
                Some(Val::List(items)) => {
                    tb.attr(key, Val::List(items));
                }
                _ => cx.error(
                    Code::E0602,
                    at.of(a),
                    format!("`{key}` is not a list of capability names"),
                    "",
                ),
            }
        }
    }
    if let Some(a) = attr(c, "readonly_rootfs") {
        if literal(&a.value) == Some(Val::Bool(true)) {
            tb.attr("readonly_rootfs", Val::Bool(true));
        }
    }
    if let Some(a) = attr(c, "network_mode") {
        match string(cx, at, a) {
            Some(m) if ["bridge", "host", "none"].contains(&m.as_str()) => {
                tb.attr("network_mode", Val::Str(m));
            }
            Some(m) => cx.error(
                Code::E0602,
                at.of(a),
                format!("network_mode `{m}` cannot be imported"),
                "eosc tasks use `bridge`, `host` or `none`",
            ),
            None => {}
        }
    }
    if let Some(l) = c.get_blocks("logging").next() {
        let mut lb = Block::new("logging", None);
        if let Some(ty) = attr(&l.body, "type").and_then(|a| string(cx, at, a)) {
            lb.attr("type", Val::Str(ty));
        }
        if let Some(cfg) = l.body.get_blocks("config").next() {
            let opts = string_attrs(cx, at, &cfg.body);
            if !opts.is_empty() {
                lb.attr("config", Val::Obj(opts));
            }
        }
        rest(cx, at, &l.body, "logging", &["type", "config"], &[]);
        tb.blocks.push(lb);
    }
    for m in c.get_blocks("mount") {
        let ty = attr(&m.body, "type").and_then(|a| string(cx, at, a));
        let source = attr(&m.body, "source").and_then(|a| string(cx, at, a));
        let target = attr(&m.body, "target").and_then(|a| string(cx, at, a));
        let ro = attr(&m.body, "readonly").and_then(|a| literal(&a.value)) == Some(Val::Bool(true));
        match (ty.as_deref(), source, target) {
            (Some("bind") | None, Some(src), Some(dst))
                if ["local/", "alloc/", "secrets/"]
                    .iter()
                    .any(|d| src.starts_with(d)) =>
            {
                let mut mb = Block::new("mount", None);
                mb.attr("source", Val::Str(src));
                mb.attr("path", Val::Str(dst));
                if ro {
                    mb.attr("read_only", Val::Bool(true));
                }
                rest(
                    cx,
                    at,
                    &m.body,
                    "a mount",
                    &["type", "source", "target", "readonly"],
                    &[],
                );
                tb.blocks.push(mb);
            }
            _ => cx.error(
                Code::E0602,
                at.of(m),
                "only binds of the task's own `local/`, `alloc/` or `secrets/` directory can be imported",
                "mount a node path through a `volume` with `host_path`",
            ),
        }
    }
}
