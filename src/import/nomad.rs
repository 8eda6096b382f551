//! Nomad job files (HCL, parsed with hcl-rs's span-keeping `hcl::edit`)
//! → apps. One app per group: its network ports, service checks, host
//! volumes and docker tasks. What an eosc app cannot say (constraints,
//! templates, non-docker drivers, …) is a located diagnostic.

use super::writer::{Block, Val};
use super::{unique_name, Cx};
use crate::diagnostics::Code;
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
        &["group", "type", "datacenters", "region", "periodic"],
        &[
            "meta",
            "update",
            "namespace",
            "priority",
            "vault",
            "constraint",
            "spread",
            "affinity",
            "migrate",
            "reschedule",
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
    let mut health = None;
    let mut service_name = None;
    for s in g.body.get_blocks("service") {
        if let Some(n) = attr(&s.body, "name").and_then(|a| string(cx, at, a)) {
            service_name = Some((n, at.of(attr(&s.body, "name").expect("just read"))));
        }
        let port = attr(&s.body, "port").and_then(|a| string(cx, at, a));
        for c in s.body.get_blocks("check") {
            if health.is_some() {
                cx.warn(
                    Code::W0601,
                    at.of(c),
                    "a second check is not imported (an app has one health check)",
                    "",
                );
                continue;
            }
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
            rest(
                cx,
                at,
                &c.body,
                "a check",
                &[
                    "type", "port", "path", "command", "args", "interval", "timeout", "name",
                    "task",
                ],
                &[
                    "check_restart",
                    "method",
                    "protocol",
                    "header",
                    "initial_status",
                    "success_before_passing",
                    "failures_before_critical",
                    "on_update",
                    "expose",
                ],
            );
            health = Some(h);
        }
        rest(
            cx,
            at,
            &s.body,
            "a service",
            &["name", "port", "check"],
            &[
                "tags",
                "canary_tags",
                "provider",
                "meta",
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
    let mut volumes = Vec::new();
    let mut task_blocks = Vec::new();
    for t in &tasks {
        let mut tb = Block::new("task", Some(&label(t)));
        task(cx, at, t, &mut tb, &host_volumes, &mut volumes);
        task_blocks.push(tb);
    }
    if single {
        let tb = task_blocks.remove(0);
        app.attrs.extend(tb.attrs);
        app.blocks.extend(tb.blocks);
    }
    app.blocks.splice(0..0, ports);
    app.blocks.extend(health);
    app.blocks.extend(volumes);
    app.blocks.extend(task_blocks);
    rest(
        cx,
        at,
        &g.body,
        &what,
        &["count", "network", "service", "volume", "task"],
        &[
            "restart",
            "update",
            "meta",
            "constraint",
            "spread",
            "affinity",
            "reschedule",
            "migrate",
            "ephemeral_disk",
            "shutdown_delay",
            "stop_after_client_disconnect",
            "max_client_disconnect",
            "disconnect",
            "consul",
            "prevent_reschedule_on_lost",
        ],
    );
}

/// `--secret-flag=$NAME` reads NAME from the environment a `template`
/// rendered from Vault (not imported): the task gets a `secret` for it, so
/// the flag still names one of its secrets (E0502 otherwise).
fn secret_args(cx: &mut Cx, sp: Span, items: &[Val], tb: &mut Block) {
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

fn task(
    cx: &mut Cx,
    at: &At,
    t: &hcl::edit::structure::Block,
    tb: &mut Block,
    host_volumes: &[(String, String, bool)],
    volumes: &mut Vec<Block>,
) {
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
            return;
        }
        None => {}
    }
    if let Some(c) = t.body.get_blocks("config").next() {
        for key in ["image", "command"] {
            if let Some(v) = attr(&c.body, key).and_then(|a| string(cx, at, a)) {
                tb.attr(key, Val::Str(v));
            }
        }
        if let Some(a) = attr(&c.body, "args") {
            match literal(&a.value) {
                Some(Val::List(items)) => {
                    secret_args(cx, at.of(a), &items, tb);
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
        rest(
            cx,
            at,
            &c.body,
            &format!("{what}'s config"),
            &["image", "command", "args", "ports"],
            &["labels", "logging", "auth", "force_pull", "hostname"],
        );
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
            Some((n, src, gro)) => {
                let mut vb = Block::new("volume", Some(n));
                vb.attr("host", Val::Str(src.clone()));
                vb.attr("path", Val::Str(dest));
                if ro || *gro {
                    vb.attr("read_only", Val::Bool(true));
                }
                // Each task mounts the group's volume; the app has it once.
                if !volumes.iter().any(|b| b.label() == n.as_str()) {
                    volumes.push(vb);
                }
            }
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
        "user",
        "vault",
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
        ],
        &harmless,
    );
    for tpl in t.body.get_blocks("template") {
        cx.warn(
            Code::W0601,
            at.of(tpl),
            format!(
                "a `template` of {what} is not imported: eosc renders `secrets` from Vault itself"
            ),
            "list the Vault values as `secret` blocks and the app's `secrets`",
        );
    }
}
