//! The job's placement and failure-handling blocks (#18): `constraint`
//! (job level, beside `runs_on`'s), `affinity`, `spread`, `reschedule`,
//! `migrate` and the `ephemeral_disk` (group level). Node targets are
//! Nomad's interpolation and written unescaped: sema admits exactly one
//! `${attr.…}`, `${meta.…}` or `${node.…}` of plain characters
//! (`lexical::node_target`); every other string is escaped as user text.

use super::super::hcl_out::{self, string};
use super::go_duration;
use crate::sema::model::{Affinity, App, Constraint, Migrate, Reschedule, Spread};
use hcl::Block;

fn node_target(t: &str) -> hcl::Expression {
    hcl_out::template(t)
}

/// A user constraint; the operator is always written, which tells it from
/// `runs_on`'s `${node.class}` constraint (written without one) on read.
pub fn constraint(c: &Constraint) -> Block {
    let mut b = Block::builder("constraint");
    if let Some(a) = &c.attribute {
        b = b.add_attribute(("attribute", node_target(a)));
    }
    b = b.add_attribute(("operator", string(&c.operator)));
    if let Some(v) = &c.value {
        b = b.add_attribute(("value", string(v)));
    }
    b.build()
}

pub fn affinity(a: &Affinity) -> Block {
    Block::builder("affinity")
        .add_attribute(("attribute", node_target(&a.attribute)))
        .add_attribute(("operator", string(&a.operator)))
        .add_attribute(("value", string(&a.value)))
        .add_attribute(("weight", a.weight))
        .build()
}

pub fn spread(s: &Spread) -> Block {
    let mut b = Block::builder("spread")
        .add_attribute(("attribute", node_target(&s.attribute)))
        .add_attribute(("weight", s.weight));
    for t in &s.targets {
        b = b.add_block(
            Block::builder("target")
                .add_label(t.value.as_str())
                .add_attribute(("percent", u64::from(t.percent)))
                .build(),
        );
    }
    b.build()
}

/// Every field, so Nomad's own defaults (and its merge of them) play no part.
pub fn reschedule(r: &Reschedule) -> Block {
    let mut b = Block::builder("reschedule").add_attribute(("attempts", u64::from(r.attempts)));
    if !r.interval.is_zero() {
        b = b.add_attribute(("interval", string(&go_duration(r.interval))));
    }
    b.add_attribute(("delay", string(&go_duration(r.delay))))
        .add_attribute(("delay_function", string(&r.delay_function)))
        .add_attribute(("max_delay", string(&go_duration(r.max_delay))))
        .add_attribute(("unlimited", r.unlimited))
        .build()
}

pub fn migrate(m: &Migrate) -> Block {
    Block::builder("migrate")
        .add_attribute(("max_parallel", u64::from(m.max_parallel)))
        .add_attribute(("health_check", string(&m.health_check)))
        .add_attribute(("min_healthy_time", string(&go_duration(m.min_healthy_time))))
        .add_attribute(("healthy_deadline", string(&go_duration(m.healthy_deadline))))
        .build()
}

/// The size where the spec gives one (else Nomad's 300 MB), and the flags
/// only when set, so a disk of size alone is written as before.
pub fn ephemeral_disk(app: &App) -> Block {
    let mut b = Block::builder("ephemeral_disk");
    if let Some(mb) = app.ephemeral_disk_mb {
        b = b.add_attribute(("size", mb));
    }
    if app.scheduling.disk_sticky {
        b = b.add_attribute(("sticky", true));
    }
    if app.scheduling.disk_migrate {
        b = b.add_attribute(("migrate", true));
    }
    b.build()
}
