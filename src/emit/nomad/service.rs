//! Consul service registrations with their health checks.
//!
//! One service per port: the app's default (first) port registers under the
//! app's service name, every other port under `<service>-<port>`. Caddy
//! dials `<service>.service.consul` (SRV), and for canary apps
//! `stable.<service>…` / `canary.<service>…` through the tags below.

use super::{go_duration, has_canaries, string, strings};
use crate::sema::model::{App, HealthKind, Model};
use hcl::Block;

pub fn services(model: &Model, app: &App) -> Vec<Block> {
    let canaries = has_canaries(model, app);
    app.registrations()
        .into_iter()
        .map(|reg| {
            let mut s = Block::builder("service")
                .add_attribute(("name", string(&reg.name)))
                .add_attribute(("port", string(&reg.port.name)));
            if canaries {
                s = s
                    .add_attribute(("tags", strings(&["stable".to_string()])))
                    .add_attribute(("canary_tags", strings(&["canary".to_string()])));
            }
            for (_, h) in reg.checks {
                let mut c = Block::builder("check");
                match &h.kind {
                    HealthKind::Http { path } => {
                        c = c
                            .add_attribute(("type", string("http")))
                            .add_attribute(("path", string(path)));
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
                    .add_block(
                        Block::builder("check_restart")
                            .add_attribute(("limit", 3))
                            .add_attribute(("grace", string("90s")))
                            .build(),
                    );
                s = s.add_block(c.build());
            }
            s.build()
        })
        .collect()
}
