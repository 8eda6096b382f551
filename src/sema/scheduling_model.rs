//! The model of an app's placement and failure handling beyond `runs_on`
//! (#18): Nomad's `constraint`, `affinity`, `spread`, `restart`,
//! `reschedule` and `migrate` blocks, the ephemeral disk's `sticky` and
//! `migrate`, the periodic block's `time_zone` and `prohibit_overlap`, and
//! the user's job meta. Every field at its default is left out of the
//! model's JSON, so a spec that uses none of it keeps its hashes.

use indexmap::IndexMap;
use serde::Serialize;
use std::time::Duration;

/// The job meta keys eosc writes itself (`emit::nomad::meta`).
pub const EOSC_META_KEYS: [&str; 3] = ["eosc_version", "spec_hash", "version"];

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scheduling {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub affinities: Vec<Affinity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spreads: Vec<Spread>,
    /// What the spec's `restart` block says; `App::restart` fills the rest
    /// from eosc's defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<RestartSpec>,
    /// The whole policy, Nomad's defaults for the job type filled in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reschedule: Option<Reschedule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migrate: Option<Migrate>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disk_sticky: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disk_migrate: bool,
    /// The periodic block's IANA zone (batch apps with a schedule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// `prohibit_overlap = false`; eosc's default prohibits overlapping runs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overlap_allowed: bool,
    /// The user's keys of the job's `meta`, beside eosc's own.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub job_meta: IndexMap<String, String>,
}

impl Scheduling {
    pub fn is_default(&self) -> bool {
        self == &Scheduling::default()
    }
    /// Whether the group's ephemeral disk says more than its size.
    pub fn disk_flags(&self) -> bool {
        self.disk_sticky || self.disk_migrate
    }
}

/// Nomad's `constraint`: `attribute` is a node target (`${attr.…}`), absent
/// only for `distinct_hosts`; `value` absent for `is_set`, `is_not_set`,
/// `distinct_hosts` (and a `distinct_property` without a count).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Constraint {
    pub attribute: Option<String>,
    pub operator: String,
    pub value: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Affinity {
    pub attribute: String,
    pub operator: String,
    pub value: String,
    pub weight: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub attribute: String,
    pub weight: i64,
    pub targets: Vec<SpreadTarget>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpreadTarget {
    pub value: String,
    pub percent: u32,
}

/// The fields of an app's `restart` block that the spec sets.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RestartSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<Duration>,
    /// `fail` or `delay`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<&'static str>,
}

/// Nomad's `reschedule` block, every field written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reschedule {
    pub attempts: u32,
    /// Zero: not written (unlimited rescheduling needs none).
    pub interval: Duration,
    pub delay: Duration,
    pub delay_function: String,
    pub max_delay: Duration,
    pub unlimited: bool,
}

/// Nomad's `migrate` block, every field written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Migrate {
    pub max_parallel: u32,
    pub health_check: String,
    pub min_healthy_time: Duration,
    pub healthy_deadline: Duration,
}
