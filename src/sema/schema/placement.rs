//! Where and how Nomad places an app's allocations, and what it does when
//! they fail: `constraint`, `affinity`, `spread`, `restart`, `reschedule`
//! and `migrate` blocks of an app (Nomad's job and group blocks of the same
//! names). Their rules are Nomad's own, ported in `sema::nomad_rules`.

use super::*;

/// The operators of Nomad's `constraint` (`structs.Constraint*` and the
/// comparison operators `Constraint.Validate` takes).
pub const CONSTRAINT_OPERATORS: &[&str] = &[
    "=",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "regexp",
    "set_contains",
    "set_contains_all",
    "set_contains_any",
    "version",
    "semver",
    "is_set",
    "is_not_set",
    "distinct_hosts",
    "distinct_property",
];
/// `Affinity.Validate` takes the same minus the placement-only ones.
pub const AFFINITY_OPERATORS: &[&str] = &[
    "=",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "regexp",
    "set_contains",
    "set_contains_all",
    "set_contains_any",
    "version",
    "semver",
];

pub const ATTRIBUTE: Attr = attr(
    "attribute",
    Ty::Str(StrClass::NodeTarget),
    Dflt::Said("none; required but for `distinct_hosts`"),
    "a node attribute as Nomad interpolates it, written with eosc's `$${` escape: `\"$${attr.kernel.name}\"`, `\"$${meta.rack}\"`, `\"$${node.class}\"`; nothing else ([E0327](errors.md#e0327-invalid-node-attribute))",
);
pub const OPERATOR: Attr = attr(
    "operator",
    Ty::Choice(CONSTRAINT_OPERATORS),
    Dflt::Str("="),
    "Nomad's operators; `distinct_hosts` takes no attribute, `is_set`/`is_not_set` no value ([E0326](errors.md#e0326-invalid-placement-rule))",
);
pub const VALUE: Attr = attr(
    "value",
    Ty::Scalar(StrClass::FreeText),
    Dflt::Said("required but for `is_set`, `is_not_set`, `distinct_hosts`"),
    "`regexp`: an RE2 expression; `version`/`semver`: a version constraint (`\">= 5.10, < 6\"`); `distinct_property`: the allowed count, 1 or more",
);

pub static CONSTRAINT: Schema = Schema {
    kind: "constraint",
    what: "a constraint",
    label: Label::None,
    attrs: &[ATTRIBUTE, OPERATOR, VALUE],
    inherits: None,
    blocks: &[],
};

pub const AFFINITY_OPERATOR: Attr = attr(
    "operator",
    Ty::Choice(AFFINITY_OPERATORS),
    Dflt::Str("="),
    "",
);
pub const AFFINITY_VALUE: Attr = attr(
    "value",
    Ty::Scalar(StrClass::FreeText),
    Dflt::Req("\"linux\""),
    "as a constraint's `value`",
);
pub const AFFINITY_WEIGHT: Attr = attr(
    "weight",
    Ty::Int {
        min: -100,
        max: 100,
        unit: "",
    },
    Dflt::Int(50),
    "-100..100, not 0; negative avoids matching nodes ([E0326](errors.md#e0326-invalid-placement-rule))",
);
pub const AFFINITY_ATTRIBUTE: Attr = attr(
    "attribute",
    Ty::Str(StrClass::NodeTarget),
    Dflt::Req("\"$${node.datacenter}\""),
    "as a constraint's `attribute`",
);

pub static AFFINITY: Schema = Schema {
    kind: "affinity",
    what: "an affinity",
    label: Label::None,
    attrs: &[
        AFFINITY_ATTRIBUTE,
        AFFINITY_OPERATOR,
        AFFINITY_VALUE,
        AFFINITY_WEIGHT,
    ],
    inherits: None,
    blocks: &[],
};

pub const SPREAD_ATTRIBUTE: Attr = attr(
    "attribute",
    Ty::Str(StrClass::NodeTarget),
    Dflt::Req("\"$${node.unique.id}\""),
    "as a constraint's `attribute`",
);
pub const SPREAD_WEIGHT: Attr = attr(
    "weight",
    Ty::Int {
        min: 0,
        max: 100,
        unit: "",
    },
    Dflt::Int(50),
    "1..100 ([E0328](errors.md#e0328-invalid-spread))",
);
pub const TARGET_PERCENT: Attr = attr(
    "percent",
    Ty::Percent,
    Dflt::Req("50%"),
    "whole percent; the targets of a spread sum to at most 100% ([E0328](errors.md#e0328-invalid-spread))",
);

/// `target "dc1" { percent = 70% }`: the share of allocations on nodes
/// whose attribute has this value.
pub static SPREAD_TARGET: Schema = Schema {
    kind: "target",
    what: "a spread target",
    label: Label::One(StrClass::ProviderId),
    attrs: &[TARGET_PERCENT],
    inherits: None,
    blocks: &[],
};

pub static SPREAD: Schema = Schema {
    kind: "spread",
    what: "a spread",
    label: Label::None,
    attrs: &[SPREAD_ATTRIBUTE, SPREAD_WEIGHT],
    inherits: None,
    blocks: &[&SPREAD_TARGET],
};

pub const RESTART_ATTEMPTS: Attr = attr(
    "attempts",
    Ty::Int {
        min: 0,
        max: 1000,
        unit: "",
    },
    Dflt::Int(3),
    "restarts within `interval`; 0 only with `mode = \"fail\"`",
);
pub const RESTART_INTERVAL: Attr = attr(
    "interval",
    Ty::Duration,
    Dflt::Said("`5m`; `24h` for a batch app"),
    "at least 5s, and room for `attempts` × `delay` ([E0329](errors.md#e0329-restart-reschedule-or-migrate-policy-nomad-rejects))",
);
pub const RESTART_DELAY: Attr = attr(
    "delay",
    Ty::Duration,
    Dflt::Said("`30s`; `15s` for a batch app"),
    "",
);
pub const RESTART_MODE: Attr = attr(
    "mode",
    Ty::Choice(&["fail", "delay"]),
    Dflt::Str("fail"),
    "`fail`: the allocation fails (and is rescheduled) after the attempts; `delay`: waits for the next interval and tries again",
);

pub static RESTART: Schema = Schema {
    kind: "restart",
    what: "a restart policy",
    label: Label::None,
    attrs: &[
        RESTART_ATTEMPTS,
        RESTART_INTERVAL,
        RESTART_DELAY,
        RESTART_MODE,
    ],
    inherits: None,
    blocks: &[],
};

pub const RESCHEDULE_ATTEMPTS: Attr = attr(
    "attempts",
    Ty::Int {
        min: 0,
        max: 1000,
        unit: "",
    },
    Dflt::Said("none on a service app (unlimited); 1 on a batch app"),
    "reschedules within `interval`; not with `unlimited = true`",
);
pub const RESCHEDULE_INTERVAL: Attr = attr(
    "interval",
    Ty::Duration,
    Dflt::Said("`24h` on a batch app"),
    "with `attempts`: at least 15s, long enough for the attempts' delays",
);
pub const RESCHEDULE_DELAY: Attr = attr(
    "delay",
    Ty::Duration,
    Dflt::Said("`30s`; `5s` on a batch app"),
    "at least 5s",
);
pub const RESCHEDULE_DELAY_FUNCTION: Attr = attr(
    "delay_function",
    Ty::Choice(&["constant", "exponential", "fibonacci"]),
    Dflt::Said("`exponential`; `constant` on a batch app"),
    "",
);
pub const RESCHEDULE_MAX_DELAY: Attr = attr(
    "max_delay",
    Ty::Duration,
    Dflt::Said("`1h`"),
    "not below `delay` (ignored by `constant`)",
);
pub const RESCHEDULE_UNLIMITED: Attr = attr(
    "unlimited",
    Ty::Bool,
    Dflt::Said("true on a service app without `attempts`"),
    "reschedule forever; not with `attempts`",
);

pub static RESCHEDULE: Schema = Schema {
    kind: "reschedule",
    what: "a reschedule policy",
    label: Label::None,
    attrs: &[
        RESCHEDULE_ATTEMPTS,
        RESCHEDULE_INTERVAL,
        RESCHEDULE_DELAY,
        RESCHEDULE_DELAY_FUNCTION,
        RESCHEDULE_MAX_DELAY,
        RESCHEDULE_UNLIMITED,
    ],
    inherits: None,
    blocks: &[],
};

pub const MIGRATE_MAX_PARALLEL: Attr = attr(
    "max_parallel",
    Ty::Int {
        min: 0,
        max: 1000,
        unit: "",
    },
    Dflt::Int(1),
    "allocations moved at once off a draining node",
);
pub const MIGRATE_HEALTH_CHECK: Attr = attr(
    "health_check",
    Ty::Choice(&["checks", "task_states"]),
    Dflt::Str("checks"),
    "",
);
pub const MIGRATE_MIN_HEALTHY_TIME: Attr =
    attr("min_healthy_time", Ty::Duration, Dflt::Dur(10_000), "");
pub const MIGRATE_HEALTHY_DEADLINE: Attr = attr(
    "healthy_deadline",
    Ty::Duration,
    Dflt::Dur(300_000),
    "not below `min_healthy_time`",
);

pub static MIGRATE: Schema = Schema {
    kind: "migrate",
    what: "a migrate strategy",
    label: Label::None,
    attrs: &[
        MIGRATE_MAX_PARALLEL,
        MIGRATE_HEALTH_CHECK,
        MIGRATE_MIN_HEALTHY_TIME,
        MIGRATE_HEALTHY_DEADLINE,
    ],
    inherits: None,
    blocks: &[],
};
