//! Placements Nomad can never make, and update settings it ignores: an app
//! pinned to a server class with no servers stays pending forever, a
//! `${node.class}` constraint on a class no server has likely so (W0513),
//! and a rolling update wider than the app replaces every instance at once.

use super::eval::Cx;
use super::model::{App, JobType, Rollout, Server};
use crate::diagnostics::{Code, Diagnostic};
use indexmap::IndexMap;

pub fn check(
    cx: &mut Cx<'_>,
    apps: &IndexMap<String, App>,
    servers: &IndexMap<String, Server>,
    rollouts: &IndexMap<String, Rollout>,
) {
    for (name, app) in apps {
        let Some(block) = cx.syms.get("app", name) else {
            continue;
        };
        if let Some(s) = app.runs_on.as_deref().and_then(|s| servers.get(s)) {
            if s.count == 0 {
                let span = block
                    .body
                    .attr("runs_on")
                    .map(|a| a.value.span)
                    .unwrap_or(block.head_span());
                cx.err(
                    Diagnostic::error(Code::E0303, span, format!("app `{name}` runs on server `{}`, which has `count = 0`", s.name))
                        .label("no node to place it on")
                        .help(format!("Nomad keeps the job pending forever: give server `{}` a count, or run the app elsewhere", s.name)),
                );
            }
        }
        for (i, c) in app.scheduling.constraints.iter().enumerate() {
            let (Some("${node.class}"), Some(v)) = (c.attribute.as_deref(), c.value.as_deref())
            else {
                continue;
            };
            if !matches!(c.operator.as_str(), "=" | "==" | "is")
                || servers.values().any(|s| s.node_class == v)
            {
                continue;
            }
            let span = block
                .body
                .blocks_of("constraint")
                .nth(i)
                .map(|b| b.body.attr("value").map_or(b.head_span(), |a| a.value.span))
                .unwrap_or(block.head_span());
            let classes: Vec<&str> = servers.values().map(|s| s.node_class.as_str()).collect();
            cx.err(
                Diagnostic::warning(Code::W0513, span, format!("no server of the spec has the node class `{}`", v.escape_debug()))
                    .label("no node to place it on")
                    .help(if classes.is_empty() {
                        "the spec declares no server; unless clients outside it have this class, Nomad keeps the job pending".to_string()
                    } else {
                        format!("eosc's servers have their name as node class ({}); use `runs_on = server.<name>`, or accept it with `# eosc:allow W0513 -- reason` if other clients have this class", classes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))
                    }),
            );
        }
        let rollout = app.rollout.as_deref().and_then(|r| rollouts.get(r));
        if let (Some(r), JobType::Service) = (rollout, app.job_type) {
            if app.count > 0 && r.max_parallel > app.count {
                let span = cx
                    .syms
                    .get("rollout", &r.name)
                    .and_then(|b| b.body.attr("max_parallel"))
                    .map(|a| a.value.span)
                    .unwrap_or(block.head_span());
                cx.err(
                    Diagnostic::warning(Code::W0508, span, format!("`max_parallel = {}` is more than app `{name}`'s {} instance(s)", r.max_parallel, app.count))
                        .label("wider than the app")
                        .help("Nomad replaces every instance at once, which is no rolling update (Nomad itself warns); set `max_parallel` at most the app's count"),
                );
            }
        }
    }
}
