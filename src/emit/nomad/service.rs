//! Consul service registrations with their health checks.
//!
//! One service per port: the app's default (first) port registers under the
//! app's service name, every other port under `<service>-<port>`. Caddy
//! dials `<service>.service.consul` (SRV), and for canary apps
//! `stable.<service>…` / `canary.<service>…` through the tags below.

use super::{go_duration, has_canaries, string, strings};
use crate::sema::model::{App, CheckRestart, HealthKind, Model};
use hcl::Block;

pub fn services(model: &Model, app: &App) -> Vec<Block> {
    let canaries = has_canaries(model, app);
    app.registrations()
        .into_iter()
        .map(|reg| {
            let mut s = Block::builder("service")
                .add_attribute(("name", string(&reg.name)))
                .add_attribute(("port", string(&reg.port.name)));
            // A canary allocation registers `canary_tags` instead of `tags`,
            // so the user's tags go into both.
            if canaries {
                s = s
                    .add_attribute(("tags", strings(&with_tag("stable", &app.tags))))
                    .add_attribute(("canary_tags", strings(&with_tag("canary", &app.tags))));
            } else if !app.tags.is_empty() {
                s = s.add_attribute(("tags", strings(&app.tags)));
            }
            if !app.meta.is_empty() {
                // Meta keys are names (a letter, then letters, digits, `_`,
                // `-`): HCL identifiers, so the block form holds them.
                let mut m = Block::builder("meta");
                for (k, v) in &app.meta {
                    m = m.add_attribute((k.as_str(), string(v)));
                }
                s = s.add_block(m.build());
            }
            for (_, h) in reg.checks {
                let mut c = Block::builder("check");
                match &h.kind {
                    HealthKind::Http { path } => {
                        c = c
                            .add_attribute(("type", string("http")))
                            .add_attribute(("path", string(path)));
                        if h.protocol != "http" {
                            c = c.add_attribute(("protocol", string(&h.protocol)));
                        }
                        if h.tls_skip_verify {
                            c = c.add_attribute(("tls_skip_verify", true));
                        }
                        if h.method != "GET" {
                            c = c.add_attribute(("method", string(&h.method)));
                        }
                        if !h.header.is_empty() {
                            // Nomad's `header` holds a list of values per name.
                            let mut hb = Block::builder("header");
                            for (name, value) in &h.header {
                                hb = hb.add_attribute((
                                    name.as_str(),
                                    strings(std::slice::from_ref(value)),
                                ));
                            }
                            c = c.add_block(hb.build());
                        }
                    }
                    HealthKind::Tcp => c = c.add_attribute(("type", string("tcp"))),
                    HealthKind::Script { command, args } => {
                        // A group-level service runs script checks inside a
                        // task, which it must name.
                        c = c
                            .add_attribute(("type", string("script")))
                            .add_attribute(("command", string(command)))
                            .add_attribute(("args", strings(args)));
                        // The task that publishes the port runs it.
                        let owner = (0..app.tasks.len())
                            .find(|&i| app.task_ports(i).iter().any(|p| p.name == reg.port.name))
                            .unwrap_or(0);
                        if let Some(t) = app.tasks.get(owner) {
                            c = c.add_attribute(("task", string(&t.name)));
                        }
                    }
                }
                c = c
                    .add_attribute(("interval", string(&go_duration(h.interval))))
                    .add_attribute(("timeout", string(&go_duration(h.timeout))))
                    .add_block(check_restart(&h.check_restart));
                s = s.add_block(c.build());
            }
            s.build()
        })
        .collect()
}

fn check_restart(r: &CheckRestart) -> Block {
    let mut b = Block::builder("check_restart")
        .add_attribute(("limit", u64::from(r.limit)))
        .add_attribute(("grace", string(&go_duration(r.grace))));
    if r.ignore_warnings {
        b = b.add_attribute(("ignore_warnings", true));
    }
    b.build()
}

/// eosc's own tag first, then the user's.
fn with_tag(own: &str, tags: &[String]) -> Vec<String> {
    std::iter::once(own.to_string())
        .chain(tags.iter().cloned())
        .collect()
}
