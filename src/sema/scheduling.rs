//! Reads an app's placement and failure handling (#18) into
//! [`Scheduling`]: its `constraint`, `affinity` and `spread` blocks (node
//! targets checked here, E0327), `restart`, `reschedule` and `migrate`
//! (Nomad's defaults for the job type filled in, so the emitted blocks are
//! complete), the ephemeral disk's flags, the periodic options (W0508
//! without a `schedule`) and the user's job meta (E0341 on eosc's keys).
//! Nomad's own rules on the values run in `nomad_rules` (E0326, E0328,
//! E0329, E0331 through `nomad_check`).

use super::eval::{check_shape, fmt_num, Cx, V};
use super::lexical;
use super::model::JobType;
use super::scheduling_model::{
    Affinity, Constraint, Migrate, Reschedule, RestartSpec, Scheduling, Spread, SpreadTarget,
    EOSC_META_KEYS,
};
use super::schema::app as a;
use super::schema::placement as p;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::{Block, Body};
use std::time::Duration;

pub fn read(cx: &mut Cx<'_>, b: &Block, job_type: JobType, scheduled: bool) -> Scheduling {
    let mut s = Scheduling::default();
    for c in b.body.blocks_of("constraint") {
        check_shape(cx, c, &p::CONSTRAINT);
        let operator = cx
            .choice_of(&c.body, &p::OPERATOR)
            .map(|o| o.0)
            .unwrap_or_else(|| "=".into());
        let attribute = target(cx, &c.body, "attribute");
        // Reported already (E0327, or the evaluation's error): Nomad's rule
        // would only say it again.
        if attribute.is_none() && c.body.attr("attribute").is_some() {
            continue;
        }
        if attribute.is_none() && operator != "distinct_hosts" {
            cx.missing(c, "attribute", "\"$${attr.kernel.name}\"");
            continue;
        }
        let value = scalar(cx, &c.body, "value");
        s.constraints.push(Constraint {
            attribute,
            operator,
            value,
        });
    }
    for f in b.body.blocks_of("affinity") {
        check_shape(cx, f, &p::AFFINITY);
        if cx.absent_of(f, &p::AFFINITY_ATTRIBUTE) | cx.absent_of(f, &p::AFFINITY_VALUE) {
            continue;
        }
        let (Some(attribute), Some(value)) = (
            target(cx, &f.body, "attribute"),
            scalar(cx, &f.body, "value"),
        ) else {
            continue;
        };
        s.affinities.push(Affinity {
            attribute,
            operator: cx
                .choice_of(&f.body, &p::AFFINITY_OPERATOR)
                .map(|o| o.0)
                .unwrap_or_else(|| "=".into()),
            value,
            weight: cx.int_of(&f.body, &p::AFFINITY_WEIGHT).unwrap_or(50),
        });
    }
    for sp in b.body.blocks_of("spread") {
        check_shape(cx, sp, &p::SPREAD);
        if cx.absent_of(sp, &p::SPREAD_ATTRIBUTE) {
            continue;
        }
        let Some(attribute) = target(cx, &sp.body, "attribute") else {
            continue;
        };
        let mut targets = Vec::new();
        for t in sp.body.blocks_of("target") {
            if t.labels.len() != 1 {
                cx.err(super::resolve::label_count_error(t, 1));
                continue;
            }
            check_shape(cx, t, &p::SPREAD_TARGET);
            if cx.absent_of(t, &p::TARGET_PERCENT) {
                continue;
            }
            let Some((pct, span)) = cx.percent(&t.body, "percent") else {
                continue;
            };
            if pct.fract() != 0.0 {
                cx.err(
                    Diagnostic::error(Code::E0328, span, format!("{}% is not a whole percent", fmt_num(pct)))
                        .label("Nomad takes whole percents")
                        .help("a spread target's `percent` is a whole number of percent (Nomad's `SpreadTarget.Percent` is an integer): write `33%`"),
                );
                continue;
            }
            targets.push(SpreadTarget {
                value: t.labels[0].name.clone(),
                percent: pct as u32,
            });
        }
        s.spreads.push(Spread {
            attribute,
            weight: cx.int_of(&sp.body, &p::SPREAD_WEIGHT).unwrap_or(50),
            targets,
        });
    }
    if let Some(r) = b.body.blocks_of("restart").next() {
        check_shape(cx, r, &p::RESTART);
        s.restart = Some(RestartSpec {
            attempts: cx
                .int_of(&r.body, &p::RESTART_ATTEMPTS)
                .filter(|_| r.body.attr("attempts").is_some())
                .map(|n| n as u32),
            interval: cx.duration(&r.body, "interval"),
            delay: cx.duration(&r.body, "delay"),
            mode: cx.choice_of(&r.body, &p::RESTART_MODE).map(|m| {
                if m.0 == "delay" {
                    "delay"
                } else {
                    "fail"
                }
            }),
        });
    }
    if let Some(r) = b.body.blocks_of("reschedule").next() {
        check_shape(cx, r, &p::RESCHEDULE);
        s.reschedule = Some(reschedule(cx, &r.body, job_type));
    }
    if let Some(m) = b.body.blocks_of("migrate").next() {
        check_shape(cx, m, &p::MIGRATE);
        s.migrate = Some(Migrate {
            max_parallel: cx.int_of(&m.body, &p::MIGRATE_MAX_PARALLEL).unwrap_or(1) as u32,
            health_check: cx
                .choice_of(&m.body, &p::MIGRATE_HEALTH_CHECK)
                .map(|c| c.0)
                .unwrap_or_else(|| "checks".into()),
            min_healthy_time: cx
                .duration_of(&m.body, &p::MIGRATE_MIN_HEALTHY_TIME)
                .unwrap_or_default(),
            healthy_deadline: cx
                .duration_of(&m.body, &p::MIGRATE_HEALTHY_DEADLINE)
                .unwrap_or_default(),
        });
    }
    for kind in ["restart", "reschedule", "migrate"] {
        if let Some(second) = b.body.blocks_of(kind).nth(1) {
            cx.err(
                Diagnostic::error(
                    Code::E0204,
                    second.kind.span,
                    format!("a second `{kind}` block"),
                )
                .label("second definition")
                .help(format!(
                    "Nomad's group has one `{kind}` policy; merge the two blocks"
                )),
            );
        }
    }
    s.disk_migrate = cx.bool_of(&b.body, &a::EPHEMERAL_DISK_MIGRATE);
    // Nomad's docs: "Enabling migrate automatically enables sticky"; older
    // clients migrate only a sticky disk, so the job says both.
    s.disk_sticky = cx.bool_of(&b.body, &a::EPHEMERAL_DISK_STICKY) || s.disk_migrate;
    s.time_zone = cx.string(&b.body, "time_zone").map(|t| t.0);
    s.overlap_allowed = !cx.bool_of(&b.body, &a::PROHIBIT_OVERLAP);
    if !(scheduled && job_type == JobType::Batch) {
        for name in ["time_zone", "prohibit_overlap"] {
            if let Some(at) = b.body.attr(name) {
                cx.err(
                    Diagnostic::warning(Code::W0508, at.span, format!("`{name}` has no effect without a schedule"))
                        .label("ignored")
                        .help("it belongs to Nomad's `periodic` block, which eosc writes for a batch app with a `schedule`; add one, or remove it"),
                );
            }
        }
        s.time_zone = None;
        s.overlap_allowed = false;
    }
    for (k, (v, _, key_span)) in cx.keyed_string_map(&b.body, "job_meta") {
        if EOSC_META_KEYS.contains(&k.as_str()) {
            cx.err(
                Diagnostic::error(Code::E0341, key_span, format!("the job meta key `{k}` is eosc's"))
                    .label("reserved key")
                    .help(format!("eosc writes `{}` into every job's meta (the pipeline reads them); choose another key", EOSC_META_KEYS.join("`, `"))),
            );
            continue;
        }
        s.job_meta.insert(k, v);
    }
    s
}

/// A node target (`${attr.…}`, `${meta.…}`, `${node.…}`), E0327 otherwise.
fn target(cx: &mut Cx<'_>, body: &Body, name: &str) -> Option<String> {
    let (t, span) = cx.string(body, name)?;
    if lexical::node_target(&t).is_some() {
        return Some(t);
    }
    let node = t.strip_prefix("${node.").and_then(|r| r.strip_suffix('}'));
    let help = match node {
        Some(_) => format!(
            "Nomad resolves `${{node.…}}` for {} only; a client's other properties are `$${{attr.…}}` (`$${{attr.unique.hostname}}`)",
            lexical::NODE_FIELDS
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None if !t.contains("${") => format!(
            "write the attribute as Nomad interpolates it, with eosc's `$${{` escape: `\"$${{attr.{}}}\"`",
            t.trim_start_matches("attr.")
        ),
        None => "write exactly one `$${attr.<key>}`, `$${meta.<key>}` or `$${node.<field>}`, nothing around it; keys are letters, digits, `_`, `-` and `.`".into(),
    };
    cx.err(
        Diagnostic::error(
            Code::E0327,
            span,
            format!("`{}` is not a Nomad node attribute", t.escape_debug()),
        )
        .label("not `${attr.…}`, `${meta.…}` or `${node.…}`")
        .help(help),
    );
    None
}

/// A string, number or bool as its text.
fn scalar(cx: &mut Cx<'_>, body: &Body, name: &str) -> Option<String> {
    let v = cx.get(body, name)?;
    match &v.v {
        V::Num(n) => Some(fmt_num(*n)),
        V::Bool(b) => Some(b.to_string()),
        _ => cx.as_string(&v),
    }
}

/// The whole reschedule policy: the spec's fields over Nomad's defaults
/// for the job type (`DefaultServiceJobReschedulePolicy`,
/// `DefaultBatchJobReschedulePolicy`), except that `unlimited` follows
/// `attempts` on a service app (Nomad's default `unlimited = true` beside
/// a written `attempts` is its "ambiguous" error) and `max_delay` is 1h
/// for both.
fn reschedule(cx: &mut Cx<'_>, body: &Body, job_type: JobType) -> Reschedule {
    let batch = job_type == JobType::Batch;
    let attempts = cx
        .int_of(body, &p::RESCHEDULE_ATTEMPTS)
        .filter(|_| body.attr("attempts").is_some())
        .map(|n| n as u32);
    let secs = Duration::from_secs;
    Reschedule {
        attempts: attempts.unwrap_or(if batch { 1 } else { 0 }),
        interval: cx.duration(body, "interval").unwrap_or(if batch {
            secs(86_400)
        } else {
            Duration::ZERO
        }),
        delay: cx
            .duration(body, "delay")
            .unwrap_or(if batch { secs(5) } else { secs(30) }),
        delay_function: cx
            .choice_of(body, &p::RESCHEDULE_DELAY_FUNCTION)
            .map(|f| f.0)
            .unwrap_or_else(|| if batch { "constant" } else { "exponential" }.into()),
        max_delay: cx.duration(body, "max_delay").unwrap_or(secs(3600)),
        unlimited: cx
            .bool(body, "unlimited")
            .unwrap_or(!batch && attempts.is_none()),
    }
}
