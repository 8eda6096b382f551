//! `rollout "name" { … }`: how an app's new version replaces the old.

use super::*;

pub const STRATEGY: Attr = attr(
    "strategy",
    Ty::Choice(&["rolling", "canary", "blue_green"]),
    Dflt::Req("\"rolling\""),
    "",
);
pub const MAX_PARALLEL: Attr = attr(
    "max_parallel",
    Ty::Int {
        min: 1,
        max: 1000,
        unit: "",
    },
    Dflt::Int(1),
    "",
);
pub const MIN_HEALTHY_TIME: Attr = attr("min_healthy_time", Ty::Duration, Dflt::Dur(10_000), "");
pub const HEALTHY_DEADLINE: Attr = attr("healthy_deadline", Ty::Duration, Dflt::Dur(300_000), "");
pub const PROGRESS_DEADLINE: Attr = attr(
    "progress_deadline",
    Ty::Duration,
    Dflt::Said("Nomad's `10m`"),
    "Nomad `update.progress_deadline`: an allocation must become healthy within it or the deployment fails; longer than `healthy_deadline`, `0s` turns it off ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);
pub const AUTO_REVERT: Attr = attr("auto_revert", Ty::Bool, Dflt::Bool(true), "");
pub const STAGGER: Attr = attr(
    "stagger",
    Ty::Duration,
    Dflt::Said("Nomad's `30s`"),
    "Nomad `update.stagger`: the pause between groups of `max_parallel` allocations; above zero ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);
pub const CANARY: Attr = attr(
    "canary",
    Ty::Int {
        min: 1,
        max: 1000,
        unit: "",
    },
    Dflt::Said("1; a `blue_green` rollout starts as many as the app's `count`"),
    "`strategy = \"canary\"` only ([W0508](errors.md#w0508-setting-has-no-effect) elsewhere): how many canaries Nomad starts beside the running version; the traffic stages share the canary's percentage among them",
);
pub const HEALTH_CHECK: Attr = attr(
    "health_check",
    Ty::Choice(&["checks", "task_states"]),
    Dflt::Said("Nomad's `checks`"),
    "what makes an allocation healthy: its Consul checks passing, or its tasks running; Nomad's `manual` is left out, since nothing would set the health the pipeline waits for",
);

pub const TRAFFIC: Attr = attr(
    "traffic",
    Ty::Percent,
    Dflt::Req("25%"),
    "percent of traffic to the canary",
);
pub const BAKE: Attr = attr(
    "bake",
    Ty::Duration,
    Dflt::None,
    "how long the stage runs before the next",
);

pub static STAGE: Schema = Schema {
    kind: "stage",
    what: "a stage",
    label: Label::None,
    attrs: &[TRAFFIC, BAKE],
    inherits: None,
    blocks: &[],
};

pub static ROLLOUT: Schema = Schema {
    kind: "rollout",
    what: "a rollout",
    label: Label::One(StrClass::Name),
    attrs: &[
        STRATEGY,
        MAX_PARALLEL,
        MIN_HEALTHY_TIME,
        HEALTHY_DEADLINE,
        AUTO_REVERT,
        PROGRESS_DEADLINE,
        STAGGER,
        CANARY,
        HEALTH_CHECK,
    ],
    inherits: None,
    blocks: &[&STAGE],
};
