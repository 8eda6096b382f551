//! Nomad's rules (`nomad_rules`) at check time: every app's job checked and
//! each violation reported on the spec text it comes from, plus what the
//! Nomad emitter would have to drop and service names two apps share.

use super::eval::Cx;
use super::model::{App, HealthKind, JobType, Rollout, Strategy};
use super::nomad_rules::{job_from, At, Violation};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::Block;
use indexmap::IndexMap;

/// Nomad's rules on every app's job (E0322), what the emitter would have
/// to drop (E0323), and service names two apps share (E0406).
pub fn check(cx: &mut Cx<'_>, apps: &IndexMap<String, App>, rollouts: &IndexMap<String, Rollout>) {
    let mut services: IndexMap<String, (String, Span)> = IndexMap::new();
    for (name, app) in apps {
        let Some(block) = cx.syms.get("app", name) else {
            continue;
        };
        let rollout = app.rollout.as_deref().and_then(|r| rollouts.get(r));
        let job = job_from(app, rollout);
        for v in job.validate() {
            let span = locate(cx, app, block, &v.at);
            // eosc's own check on that text said it already (E0303 zero
            // memory, E0305, E0317, E0319): once is enough.
            if cx
                .diags
                .iter()
                .any(|d| d.is_error() && d.primary.span == span)
            {
                continue;
            }
            let fix = fix(app, &v);
            // A rollout's fault is reported once, not once per app using it.
            let whose = match (&v.at, &app.rollout) {
                (At::Rollout(_), Some(r)) => format!("every job that rolls out with `{r}`"),
                _ => format!("job `{name}`"),
            };
            cx.err(
                Diagnostic::error(
                    v.code.unwrap_or(Code::E0322),
                    span,
                    format!("Nomad would reject {whose}: {}", v.message),
                )
                .label(label(&v.at))
                .help(format!("Nomad: {} ({}); {fix}", v.nomad, v.rule)),
            );
        }
        dropped(cx, app, block, rollout);
        for s in &job.services {
            let span = service_span(block, app, &s.port);
            match services.get(&s.name) {
                Some((other, other_span)) if other != name => {
                    cx.err(
                        Diagnostic::error(
                            Code::E0406,
                            span,
                            format!("apps `{other}` and `{name}` both register the service `{}`", s.name),
                        )
                        .label("second registration")
                        .with_secondary(*other_span, format!("app `{other}`"))
                        .help("Consul merges them into one service, so Caddy sends each app's traffic to both; give one app its own `service = \"…\"`"),
                    );
                }
                Some(_) => {}
                None => {
                    services.insert(s.name.clone(), (name.clone(), span));
                }
            }
        }
    }
}

/// Settings the Nomad emitter cannot carry out for this app.
fn dropped(cx: &mut Cx<'_>, app: &App, block: &Block, rollout: Option<&Rollout>) {
    let rollout_span = block
        .body
        .attr("rollout")
        .map(|a| a.value.span)
        .unwrap_or(block.head_span());
    match (app.job_type, rollout) {
        (JobType::Batch, Some(r)) => cx.err(
            Diagnostic::error(Code::E0322, rollout_span, format!("batch app `{}` has a rollout", app.name))
                .label("batch jobs have no deployments")
                .help(format!("Nomad: Job type \"batch\" does not allow update block (TaskGroup.Validate); remove `rollout = rollout.{}` or make the app a service", r.name)),
        ),
        (JobType::System, Some(r)) if r.strategy != Strategy::Rolling => cx.err(
            Diagnostic::error(
                Code::E0323,
                rollout_span,
                format!("system app `{}` cannot roll out as a {}", app.name, strategy(r.strategy)),
            )
            .label("no canaries on system jobs")
            .help("a system job runs one allocation per node and Nomad places no canaries for it; use a `rolling` rollout, or `type = \"service\"`"),
        ),
        _ => {}
    }
    if app.ports.is_empty() {
        for (i, h) in app.health.iter().enumerate() {
            let span = health_block(block, i)
                .map(|h| h.head_span())
                .unwrap_or(block.head_span());
            let kind = match h.kind {
                HealthKind::Script { .. } => "script",
                _ => continue,
            };
            cx.err(
                Diagnostic::error(Code::E0323, span, format!("app `{}` has a {kind} check but no port", app.name))
                    .label("no service to attach the check to")
                    .help("Nomad runs checks as part of a service, and eosc registers one service per port; add a `port` block, or remove the check"),
            );
        }
    }
    if app.job_type == JobType::System {
        if let Some(a) = block.body.attr("count") {
            cx.err(
                Diagnostic::warning(Code::W0508, a.span, format!("`count` has no effect on system app `{}`", app.name))
                    .label("ignored")
                    .help("a system job runs one allocation on every eligible node; remove `count`, or use `type = \"service\"`"),
            );
        }
    }
}

fn strategy(s: Strategy) -> &'static str {
    match s {
        Strategy::Rolling => "rolling update",
        Strategy::Canary => "canary",
        Strategy::BlueGreen => "blue/green deployment",
    }
}

fn label(at: &At) -> &'static str {
    match at {
        At::Rollout(_) | At::UpdateBlock => "update strategy Nomad refuses",
        At::Resources { .. } => "resources Nomad refuses",
        At::EphemeralDisk => "too small",
        At::ServiceName { .. } => "invalid service name",
        At::Check { .. } => "check Nomad refuses",
        At::Schedule => "invalid cron",
        At::Mount { .. } => "second mount on this path",
        At::Docker { .. } => "Docker option Nomad's driver refuses",
        At::Block {
            kind: "constraint", ..
        } => "constraint Nomad refuses",
        At::Block {
            kind: "affinity", ..
        } => "affinity Nomad refuses",
        At::Block { kind: "spread", .. } => "spread Nomad refuses",
        At::Block { .. } => "policy Nomad refuses",
        At::Attr(_) => "no such zone",
        At::Template { .. } => "template Nomad refuses",
    }
}

fn fix(app: &App, v: &Violation) -> String {
    match &v.at {
        At::Rollout("healthy_deadline") if v.nomad.contains("progress") => format!(
            "add `progress_deadline` above it to rollout `{}` (e.g. `progress_deadline = 15m`), or shorten `healthy_deadline`",
            app.rollout.as_deref().unwrap_or("…")
        ),
        At::Rollout("healthy_deadline") => "give `healthy_deadline` a positive duration: `5m`".into(),
        At::Rollout(_) => "make `min_healthy_time` shorter than `healthy_deadline`".into(),
        At::UpdateBlock => "remove the rollout".into(),
        At::Resources { field: "memory_max", .. } => {
            "set `memory` at or below `memory_max` (memory defaults to 300MiB), or raise `memory_max`".into()
        }
        At::Resources { field: "memory", .. } => "reserve at least `memory = 10MiB`".into(),
        At::Resources { .. } => "ask for at least `cpu = 1`".into(),
        At::EphemeralDisk => "ask for at least `ephemeral_disk = 10MiB`, or leave it out (300MiB)".into(),
        At::ServiceName { .. } => "write `-` instead of `_`: set `service = \"…\"` to a DNS label".into(),
        At::Check { field: "path", .. } => "write the path on the app: `path = \"/health\"`".into(),
        At::Check { .. } => "write at least `1s`".into(),
        At::Schedule => "write minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-6): `\"0 3 * * *\"`".into(),
        At::Mount { .. } => "mount each volume on its own path".into(),
        At::Docker { field: "ports", .. } => "publish each port from one task, and only ports of the app".into(),
        At::Docker { field: "mount", .. } => "bind a path under `local/`, `alloc/` or `secrets/`".into(),
        At::Docker { .. } => "write a Linux capability name (`NET_BIND_SERVICE`)".into(),
        At::Block { field: "", .. } if app.job_type == JobType::System => {
            "remove the block: a system job runs on every eligible node (constraints still narrow which), or make the app a service".into()
        }
        At::Block { field: "", .. } => "remove the block, or make the app a service".into(),
        At::Block { kind: "constraint" | "affinity", field: "value", .. } => {
            "give `value` what the operator takes: a value to compare, an RE2 expression for `regexp`, a version constraint (`\">= 1.2, < 2\"`) for `version`/`semver`, a count for `distinct_property`, none for `is_set`/`is_not_set`".into()
        }
        At::Block { kind: "constraint", field: "attribute", .. } => {
            "`distinct_hosts` takes no `attribute`; every other operator needs one (`\"$${attr.unique.hostname}\"`)".into()
        }
        At::Block { kind: "affinity", field: "weight", .. } => "write a weight in -100..=100 other than 0".into(),
        At::Block { kind: "spread", field: "weight", .. } => "write a weight in 1..=100".into(),
        At::Block { kind: "spread", .. } => "name each target value once, with percents that add up to at most 100%".into(),
        At::Block { kind: "restart", .. } => {
            "give `interval` (at least 5s) room for `attempts` × `delay`, and use `attempts = 0` only with `mode = \"fail\"`".into()
        }
        At::Block { kind: "reschedule", field: "unlimited", .. } => {
            "set either `attempts` (with `interval`) or `unlimited = true`, not both".into()
        }
        At::Block { kind: "reschedule", .. } => {
            "use a `delay` of at least 5s, a `max_delay` not below it, and an `interval` (at least 15s) long enough for `attempts` delays".into()
        }
        At::Block { .. } => "make `min_healthy_time` at most `healthy_deadline`".into(),
        At::Attr(_) => "write an IANA zone name such as `\"Europe/Berlin\"` or `\"UTC\"` (case matters)".into(),
        At::Template { .. } => "render into the task directory with text, a change mode of `restart`, `signal` (with `change_signal`) or `noop`, and octal `perms`".into(),
    }
}

fn health_block(block: &Block, i: usize) -> Option<&Block> {
    block.body.blocks_of("health").nth(i)
}

fn task_block<'b>(block: &'b Block, app: &App, task: &str) -> &'b Block {
    if app.tasks.len() == 1 && block.body.blocks_of("task").next().is_none() {
        return block;
    }
    block
        .body
        .blocks_of("task")
        .find(|t| t.labels.first().is_some_and(|l| l.name == task))
        .unwrap_or(block)
}

fn service_span(block: &Block, app: &App, port: &str) -> Span {
    if app.default_port().is_some_and(|p| p.name == port) {
        if let Some(a) = block.body.attr("service") {
            return a.value.span;
        }
    }
    block
        .body
        .blocks_of("port")
        .find(|p| p.labels.first().is_some_and(|l| l.name == port))
        .map(|p| p.head_span())
        .unwrap_or(block.head_span())
}

fn locate(cx: &Cx<'_>, app: &App, block: &Block, at: &At) -> Span {
    let head = block.head_span();
    match at {
        At::Rollout(field) => {
            let rollout = app
                .rollout
                .as_deref()
                .and_then(|r| cx.syms.get("rollout", r));
            rollout
                .and_then(|r| {
                    r.body
                        .attr(field)
                        .map(|a| a.value.span)
                        .or(Some(r.head_span()))
                })
                .unwrap_or(head)
        }
        At::UpdateBlock => block
            .body
            .attr("rollout")
            .map(|a| a.value.span)
            .unwrap_or(head),
        At::Resources { task, field } => {
            let t = task_block(block, app, task);
            match t.body.blocks_of("resources").next() {
                Some(r) => r
                    .body
                    .attr(field)
                    .or_else(|| r.body.attr("memory_max"))
                    .map(|a| a.value.span)
                    .unwrap_or(r.kind.span),
                None => t.head_span(),
            }
        }
        At::EphemeralDisk => block
            .body
            .attr("ephemeral_disk")
            .map(|a| a.value.span)
            .unwrap_or(head),
        At::ServiceName { port } => service_span(block, app, port),
        At::Check { health, field } => health
            .and_then(|i| health_block(block, i))
            .map(|h| {
                h.body
                    .attr(field)
                    .map(|a| a.value.span)
                    .unwrap_or(h.head_span())
            })
            .unwrap_or(head),
        At::Schedule => block
            .body
            .attr("schedule")
            .map(|a| a.value.span)
            .unwrap_or(head),
        At::Docker { task, field } => {
            let t = task_block(block, app, task);
            t.body
                .attr(field)
                .map(|a| a.value.span)
                .or_else(|| t.body.blocks_of(field).next().map(|b| b.head_span()))
                .unwrap_or(t.head_span())
        }
        At::Block { kind, index, field } => {
            let Some(b) = block.body.blocks_of(kind).nth(*index) else {
                return head;
            };
            b.body
                .attr(field)
                .map(|a| a.value.span)
                .or_else(|| b.body.blocks_of(field).next().map(|t| t.head_span()))
                .unwrap_or(b.head_span())
        }
        At::Attr(name) => block.body.attr(name).map(|a| a.value.span).unwrap_or(head),
        At::Template {
            task,
            destination,
            field,
        } => {
            let t = task_block(block, app, task);
            match t
                .body
                .blocks_of("template")
                .find(|b| b.labels.first().is_some_and(|l| l.name == *destination))
            {
                Some(b) => b
                    .body
                    .attr(field)
                    .map(|a| a.value.span)
                    .unwrap_or(b.head_span()),
                None => t.head_span(),
            }
        }
        At::Mount { path, task } => {
            let t = task_block(block, app, task);
            let same = |b: &&Block| {
                b.body.attr("path").is_some_and(|a| {
                    matches!(&a.value.kind, crate::syntax::ast::ExprKind::Str(p)
                        if matches!(p.as_slice(), [crate::syntax::ast::StrPart::Lit(s)] if s.trim_end_matches('/') == path.trim_end_matches('/')))
                })
            };
            if let Some(b) = t
                .body
                .blocks_of("mount")
                .chain(t.body.blocks_of("volume_mount"))
                .find(same)
            {
                return b.head_span();
            }
            mount_span(block, path)
        }
    }
}

/// The second `volume` block of the app with this path (a mount of every
/// volume, the app's own).
fn mount_span(block: &Block, path: &str) -> Span {
    block
        .body
        .blocks_of("volume")
        .filter(|v| {
            v.body.attr("path").is_some_and(|a| {
                matches!(&a.value.kind, crate::syntax::ast::ExprKind::Str(p)
                    if matches!(p.as_slice(), [crate::syntax::ast::StrPart::Lit(s)] if s.trim_end_matches('/') == path.trim_end_matches('/')))
            })
        })
        .nth(1)
        .map(|v| v.head_span())
        .unwrap_or(block.head_span())
}
