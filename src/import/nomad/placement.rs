//! The placement and failure-handling blocks of a Nomad job (#18) → the
//! app's `constraint`, `affinity`, `spread`, `restart`, `reschedule`,
//! `migrate` blocks, the ephemeral disk's size and flags, the periodic
//! block's `time_zone` / `prohibit_overlap` and the job meta. What equals
//! eosc's own writing is left out: `runs_on`'s `${node.class}` constraint
//! (written without an operator; the importer knows no servers), a restart
//! policy at eosc's defaults, eosc's three meta keys.

use super::{attr, duration, int, literal, rest, string, At};
use crate::diagnostics::Code;
use crate::import::writer::{Block, Val};
use crate::import::Cx;
use crate::sema::lexical;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block as HBlock, Body};

/// A node target (`"${attr.kernel.name}"`) as its text, which the writer
/// escapes back into `"$${attr.kernel.name}"`.
fn target(cx: &mut Cx, at: &At, body: &Body) -> Option<String> {
    let a = attr(body, "attribute")?;
    let text = match &a.value {
        Expression::StringTemplate(t) => t.to_string().trim().trim_matches('"').to_string(),
        Expression::String(s) => s.value().clone(),
        _ => String::new(),
    };
    if lexical::node_target(&text).is_some() {
        return Some(text);
    }
    cx.error(
        Code::E0602,
        at.of(a),
        format!(
            "`{}` is not a node attribute eosc can express",
            text.escape_debug()
        ),
        "eosc takes one `${attr.…}`, `${meta.…}` or `${node.…}` target",
    );
    None
}

fn value(body: &Body) -> Option<Val> {
    match attr(body, "value").and_then(|a| literal(&a.value))? {
        Val::Int(n) => Some(Val::Str(n.to_string())),
        Val::Bool(b) => Some(Val::Str(b.to_string())),
        v => Some(v),
    }
}

fn raw_duration(cx: &mut Cx, at: &At, body: &Body, key: &str, b: &mut Block) {
    if let Some(d) = attr(body, key).and_then(|a| duration(cx, at, a)) {
        b.attr(key, Val::Raw(d));
    }
}

fn copy_int(cx: &mut Cx, at: &At, body: &Body, key: &str, b: &mut Block) {
    if let Some(n) = attr(body, key).and_then(|a| int(cx, at, a)) {
        b.attr(key, Val::Int(n));
    }
}

fn copy_str(cx: &mut Cx, at: &At, body: &Body, key: &str, b: &mut Block) {
    if let Some(s) = attr(body, key).and_then(|a| string(cx, at, a)) {
        b.attr(key, Val::Str(s));
    }
}

fn copy_bool(body: &Body, key: &str, b: &mut Block) {
    if let Some(Val::Bool(v)) = attr(body, key).and_then(|a| literal(&a.value)) {
        b.attr(key, Val::Bool(v));
    }
}

/// `constraint` blocks (job or group level).
pub fn constraints(cx: &mut Cx, at: &At, body: &Body, app: &mut Block) {
    for c in body.get_blocks("constraint") {
        let op = attr(&c.body, "operator").and_then(|a| string(cx, at, a));
        let is_class = matches!(&attr(&c.body, "attribute").map(|a| &a.value),
            Some(Expression::StringTemplate(t)) if t.to_string().contains("${node.class}"));
        if is_class && op.is_none() {
            cx.warn(
                Code::W0601,
                at.of(c),
                "the `${node.class}` constraint is not imported",
                "eosc writes it from the app's `runs_on = server.<name>`; add that by hand",
            );
            continue;
        }
        let mut b = Block::new("constraint", None);
        if attr(&c.body, "attribute").is_some() {
            match target(cx, at, &c.body) {
                Some(t) => b.attr("attribute", Val::Str(t)),
                None => continue,
            };
        }
        if let Some(op) = op {
            b.attr("operator", Val::Str(op));
        }
        if let Some(v) = value(&c.body) {
            b.attr("value", v);
        }
        rest(
            cx,
            at,
            &c.body,
            "a constraint",
            &["attribute", "operator", "value"],
            &[],
        );
        app.blocks.push(b);
    }
}

/// `affinity`, `spread`, `reschedule`, `migrate` (job or group level).
pub fn policies(cx: &mut Cx, at: &At, body: &Body, app: &mut Block) {
    for f in body.get_blocks("affinity") {
        let Some(t) = target(cx, at, &f.body) else {
            continue;
        };
        let mut b = Block::new("affinity", None);
        b.attr("attribute", Val::Str(t));
        copy_str(cx, at, &f.body, "operator", &mut b);
        if let Some(v) = value(&f.body) {
            b.attr("value", v);
        }
        copy_int(cx, at, &f.body, "weight", &mut b);
        rest(
            cx,
            at,
            &f.body,
            "an affinity",
            &["attribute", "operator", "value", "weight"],
            &[],
        );
        app.blocks.push(b);
    }
    for s in body.get_blocks("spread") {
        let Some(t) = target(cx, at, &s.body) else {
            continue;
        };
        let mut b = Block::new("spread", None);
        b.attr("attribute", Val::Str(t));
        copy_int(cx, at, &s.body, "weight", &mut b);
        for tg in s.body.get_blocks("target") {
            let mut tb = Block::new("target", Some(&super::label(tg)));
            if let Some(p) = attr(&tg.body, "percent").and_then(|a| int(cx, at, a)) {
                tb.attr("percent", Val::Raw(format!("{p}%")));
            }
            rest(cx, at, &tg.body, "a spread target", &["percent"], &[]);
            b.blocks.push(tb);
        }
        rest(
            cx,
            at,
            &s.body,
            "a spread",
            &["attribute", "weight", "target"],
            &[],
        );
        app.blocks.push(b);
    }
    if let Some(r) = body.get_blocks("reschedule").next() {
        let mut b = Block::new("reschedule", None);
        copy_int(cx, at, &r.body, "attempts", &mut b);
        for k in ["interval", "delay"] {
            raw_duration(cx, at, &r.body, k, &mut b);
        }
        copy_str(cx, at, &r.body, "delay_function", &mut b);
        raw_duration(cx, at, &r.body, "max_delay", &mut b);
        copy_bool(&r.body, "unlimited", &mut b);
        rest(
            cx,
            at,
            &r.body,
            "reschedule",
            &[
                "attempts",
                "interval",
                "delay",
                "delay_function",
                "max_delay",
                "unlimited",
            ],
            &[],
        );
        app.blocks.push(b);
    }
    if let Some(m) = body.get_blocks("migrate").next() {
        let mut b = Block::new("migrate", None);
        copy_int(cx, at, &m.body, "max_parallel", &mut b);
        copy_str(cx, at, &m.body, "health_check", &mut b);
        for k in ["min_healthy_time", "healthy_deadline"] {
            raw_duration(cx, at, &m.body, k, &mut b);
        }
        rest(
            cx,
            at,
            &m.body,
            "migrate",
            &[
                "max_parallel",
                "health_check",
                "min_healthy_time",
                "healthy_deadline",
            ],
            &[],
        );
        app.blocks.push(b);
    }
}

/// The group's `restart`, where it differs from eosc's policy for the job
/// type (3 attempts, 5m / 30s, or 24h / 15s for batch, mode `fail`).
pub fn restart(cx: &mut Cx, at: &At, g: &HBlock, batch: bool, app: &mut Block) {
    let Some(r) = g.body.get_blocks("restart").next() else {
        return;
    };
    let mut b = Block::new("restart", None);
    if let Some(n) = attr(&r.body, "attempts").and_then(|a| int(cx, at, a)) {
        if n != 3 {
            b.attr("attempts", Val::Int(n));
        }
    }
    let (interval, delay) = if batch { ("24h", "15s") } else { ("5m", "30s") };
    for (k, dflt) in [("interval", interval), ("delay", delay)] {
        if let Some(d) = attr(&r.body, k).and_then(|a| duration(cx, at, a)) {
            if !same_duration(&d, dflt) {
                b.attr(k, Val::Raw(d));
            }
        }
    }
    if let Some(m) = attr(&r.body, "mode").and_then(|a| string(cx, at, a)) {
        if m != "fail" {
            b.attr("mode", Val::Str(m));
        }
    }
    rest(
        cx,
        at,
        &r.body,
        "restart",
        &["attempts", "interval", "delay", "mode"],
        &["render_templates"],
    );
    if !b.attrs.is_empty() {
        app.blocks.push(b);
    }
}

fn same_duration(a: &str, b: &str) -> bool {
    let ms = |s: &str| crate::import::caddy_sites::duration(s).and_then(|d| millis(&d));
    a == b || (ms(a).is_some() && ms(a) == ms(b))
}

fn millis(d: &str) -> Option<u64> {
    let split = d.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = d.split_at(split);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "ms" => n,
        "s" => n * 1000,
        "m" => n * 60_000,
        "h" => n * 3_600_000,
        _ => return None,
    })
}

/// `ephemeral_disk { size, sticky, migrate }` → the app's attributes.
pub fn ephemeral_disk(cx: &mut Cx, at: &At, g: &HBlock, app: &mut Block) {
    let Some(d) = g.body.get_blocks("ephemeral_disk").next() else {
        return;
    };
    if let Some(mb) = attr(&d.body, "size").and_then(|a| int(cx, at, a)) {
        app.attr("ephemeral_disk", Val::Raw(format!("{mb}MiB")));
    }
    let set = |k: &str| attr(&d.body, k).and_then(|a| literal(&a.value)) == Some(Val::Bool(true));
    // `ephemeral_disk_migrate` implies sticky, as Nomad's `migrate` does.
    if set("migrate") {
        app.attr("ephemeral_disk_migrate", Val::Bool(true));
    } else if set("sticky") {
        app.attr("ephemeral_disk_sticky", Val::Bool(true));
    }
    rest(
        cx,
        at,
        &d.body,
        "ephemeral_disk",
        &["size", "sticky", "migrate"],
        &[],
    );
}

/// The periodic block's `time_zone` and a `prohibit_overlap = false`.
pub fn periodic(cx: &mut Cx, at: &At, j: &Body, app: &mut Block) {
    let Some(p) = j.get_blocks("periodic").next() else {
        return;
    };
    if let Some(tz) = attr(&p.body, "time_zone").and_then(|a| string(cx, at, a)) {
        app.attr("time_zone", Val::Str(tz));
    }
    // Nomad's default is false, eosc's true.
    if !matches!(
        attr(&p.body, "prohibit_overlap").and_then(|a| literal(&a.value)),
        Some(Val::Bool(true))
    ) {
        app.attr("prohibit_overlap", Val::Bool(false));
    }
}

/// The job's `meta` without eosc's own keys → `job_meta`.
pub fn job_meta(j: &Body, app: &mut Block) {
    let Some(m) = j.get_blocks("meta").next() else {
        return;
    };
    let mut pairs = Vec::new();
    for a in m.body.attributes() {
        let k = a.key.as_str();
        if crate::sema::scheduling_model::EOSC_META_KEYS.contains(&k) {
            continue;
        }
        if let Some(v) = literal(&a.value) {
            let v = match v {
                Val::Int(n) => Val::Str(n.to_string()),
                Val::Bool(b) => Val::Str(b.to_string()),
                v => v,
            };
            pairs.push((k.to_string(), v));
        }
    }
    if !pairs.is_empty() {
        app.attr("job_meta", Val::Obj(pairs));
    }
}
