//! What a spec change does, at the level of entities rather than files:
//! `eosc plan` (the spec against a git revision's spec or against the
//! committed output tree), `eosc compare` (two environments of one spec)
//! and `eosc drift` (a live Caddy against the compiled `caddy.json`).
//! Pure: the binary reads git, files and the Caddy admin API and hands
//! the texts in; this module diffs and renders.
//!
//! Not `plan`: [`crate::plan`] is the deploy plan (steps and waves); this is
//! a change summary.

pub mod artifacts;
pub mod caddy;
pub mod entities;
pub mod json_diff;
pub mod render;

pub use json_diff::FieldDiff;
use serde::Serialize;

/// What happened to an entity, from the "before" side to the "after" side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

impl Op {
    pub fn sign(self) -> &'static str {
        match self {
            Op::Added => "+",
            Op::Removed => "-",
            Op::Changed => "~",
        }
    }
}

/// One entity that differs: a route by host and path, an app by name, a
/// DNS record by (zone, name, type), a Terraform resource by address, a
/// Nomad job by name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// `route`, `app`, `server`, `secret`, `zone`, `dns`, `terraform`,
    /// `nomad`, … (see [`entities::KINDS`] for the order of reports).
    pub kind: &'static str,
    pub name: String,
    pub op: Op,
    /// Removes something that holds state or reaches the world (a zone, a
    /// server or one of its instances, a volume, a secret): listed first
    /// and flagged.
    pub destructive: bool,
    /// What changed, in words: `image 2026.11.22 → 2026.12.01`.
    pub details: Vec<String>,
    /// Every changed field with both values (JSON paths within the entity).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDiff>,
}

/// The changes of one environment, destructive ones first, then by kind
/// in [`entities::KINDS`] order (stable within a kind).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnvChanges {
    pub env: String,
    pub changes: Vec<Change>,
    /// Whether the artifacts were compared (plan), so that "0 to add" is
    /// a finding; `compare` diffs the models only.
    #[serde(skip)]
    pub artifacts: bool,
}

impl EnvChanges {
    pub fn new(env: &str, mut changes: Vec<Change>) -> Self {
        let rank = |k: &str| {
            entities::KINDS
                .iter()
                .position(|x| *x == k)
                .unwrap_or(entities::KINDS.len())
        };
        changes.sort_by_key(|c| (!c.destructive, rank(c.kind)));
        EnvChanges {
            env: env.to_string(),
            changes,
            artifacts: false,
        }
    }
    /// Terraform's counts: (to add, to change, to destroy).
    pub fn terraform_counts(&self) -> (usize, usize, usize) {
        let count = |op| {
            self.changes
                .iter()
                .filter(|c| c.kind == "terraform" && c.op == op)
                .count()
        };
        (count(Op::Added), count(Op::Changed), count(Op::Removed))
    }
}

/// Whether any environment changes.
pub fn any(envs: &[EnvChanges]) -> bool {
    envs.iter().any(|e| !e.changes.is_empty())
}

/// One environment of `eosc plan --base REV`: both sides compiled from a
/// spec, so the entities come from the models and Terraform and Nomad from
/// the artifacts (`None`: the environment exists on one side only).
pub fn from_models(
    env: &str,
    before: Option<(&crate::Model, &artifacts::Files)>,
    after: Option<(&crate::Model, &artifacts::Files)>,
) -> EnvChanges {
    let empty = artifacts::Files::new();
    let fb = before.map_or(&empty, |b| b.1);
    let fa = after.map_or(&empty, |a| a.1);
    let mut changes = entities::diff_models(before.map(|b| b.0), after.map(|a| a.0));
    changes.extend(artifacts::terraform(fb, fa, false));
    changes.extend(artifacts::nomad(fb, fa));
    EnvChanges {
        artifacts: true,
        ..EnvChanges::new(env, changes)
    }
}

/// One environment of `eosc plan -o DIR`: the before side is an output
/// tree, with no model, so everything is compared at artifact level:
/// Caddy routes, DNS records of the zone files, Terraform resources (a
/// destroyed server, zone or volume flagged), Nomad jobs.
pub fn from_trees(env: &str, before: &artifacts::Files, after: &artifacts::Files) -> EnvChanges {
    let caddy = |f: &artifacts::Files| -> Result<serde_json::Value, String> {
        match f.get("caddy/caddy.json") {
            Some(t) => serde_json::from_str(t).map_err(|e| e.to_string()),
            None => Ok(serde_json::Value::Null),
        }
    };
    let mut changes = Vec::new();
    match (caddy(before), caddy(after)) {
        (Ok(a), Ok(b)) => changes.extend(caddy::compare(&a, &b)),
        (Err(e), _) | (_, Err(e)) => changes.push(Change {
            kind: "caddy",
            name: "caddy/caddy.json".into(),
            op: Op::Changed,
            destructive: false,
            details: vec![format!("cannot be read: {e}")],
            fields: Vec::new(),
        }),
    }
    changes.extend(artifacts::dns(before, after));
    changes.extend(artifacts::terraform(before, after, true));
    changes.extend(artifacts::nomad(before, after));
    EnvChanges {
        artifacts: true,
        ..EnvChanges::new(env, changes)
    }
}
