//! The deploy plan of one environment, computed once from the checked
//! model: every step (prerequisites → files → Terraform → Nomad waves →
//! Caddy load → verify → record; canary stages, promote, rollback), with
//! its ID, kind, the role whose minions run it, its requisites and the
//! typed commands it runs. Salt renders each orchestration as an SLS file,
//! the Jenkinsfile runs them in [`Plan::pipeline`] order; neither
//! recomputes the order. Pure: no IO, no rendering (`emit::shell` turns
//! commands into shell).

mod canary;
pub mod command;
mod deploy;
pub mod names;
pub mod release;
pub mod verify;
pub mod waves;

pub use command::{AwaitJob, Command, Expect};

use crate::sema::model::Model;
use serde::Serialize;
use std::time::Duration;

/// Seconds Salt waits for long steps (Terraform, a Nomad deployment).
pub const LONG_TIMEOUT: u64 = 1800;
/// Seconds for everything else.
pub const SHORT_TIMEOUT: u64 = 600;

/// Which minions run a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    /// Runs Terraform, Nomad and Consul commands.
    Controller,
    /// Hosts Caddy and its admin endpoint.
    Proxy,
}

impl Role {
    /// The role's name in `project.salt_targets`.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Controller => "controller",
            Role::Proxy => "proxy",
        }
    }
}

/// What a step is, with what the renderers need to describe it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StepKind {
    Prerequisites,
    /// A promoted environment deploys only the release its source verified.
    PromotionCheck,
    ShipFiles,
    TerraformInit,
    TerraformPlan,
    TerraformApply,
    /// The auth root (`terraform-auth/`), after Authentik and Caddy run.
    TerraformAuthInit,
    TerraformAuthPlan,
    TerraformAuthApply,
    /// `nomad job run` of one job of wave `wave` (wave 0 is the edge).
    NomadJob {
        wave: usize,
        job: String,
    },
    /// Wave `index` is healthy: every deployment of `jobs` succeeded.
    NomadWave {
        index: usize,
        jobs: Vec<String>,
    },
    /// After wave 0: the edge's Caddy admin API answers.
    EdgeReady,
    CaddyLoad,
    /// A probe of one route (`route`: the graph's name of it).
    Verify {
        route: String,
    },
    /// Nothing to verify: the step says so.
    NothingToVerify,
    Record,
    /// Runs the rollback orchestration when a deployment step failed.
    Rollback,
    RollbackCaddy,
    RollbackJob {
        job: String,
    },
    CanaryStage {
        app: String,
        stage: usize,
        weights: [u32; 2],
    },
    Promote {
        app: String,
    },
    /// All of `app`'s traffic back on the stable instances (at promote and
    /// rollback).
    CanaryReset {
        app: String,
    },
    /// The running deployment of `app` failed, so Nomad stops its canaries.
    FailCanary {
        app: String,
    },
    RecordPromotion,
}

/// How a step runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Action {
    /// Commands in order on the role's minions; `cwd` on the minion.
    Run {
        commands: Vec<Command>,
        cwd: Option<String>,
        timeout: u64,
    },
    /// Apply a state (the files in place) on the role's minions.
    Apply { sls: String },
    /// Run another orchestration of this plan (`sls`).
    Orchestrate { sls: String },
    /// Succeed saying `message`.
    Succeed { message: String },
}

/// One step: a Salt state in an orchestration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub id: String,
    pub kind: StepKind,
    /// Why, for the reader of the rendered file (first line names the
    /// phase on the first step of one).
    pub comments: Vec<String>,
    pub on: Vec<Role>,
    pub action: Action,
    /// Steps that must have succeeded first.
    pub require: Vec<String>,
    /// Steps whose failure runs this one (and only then).
    pub onfail: Vec<String>,
}

/// Steps run together as one orchestration (one SLS file).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Orchestration {
    /// `hecate.orchestrate`, for `state.orchestrate`.
    pub sls: String,
    /// The artifact, relative to `out/<env>/`.
    pub path: String,
    pub steps: Vec<Step>,
}

/// One canary stage of one app.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Canary {
    pub app: String,
    /// 1-based.
    pub stage: usize,
    pub traffic: f64,
    pub weights: [u32; 2],
    pub bake: Option<Duration>,
    /// The pipeline runs it (stages before the environment's
    /// `canary_stage` are skipped there).
    pub in_pipeline: bool,
    pub orchestration: Orchestration,
}

/// What a pipeline runs, in order, for one environment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Gate {
    /// Files in place, Terraform plan; nothing applied.
    Preview {
        sls: String,
    },
    /// The deployment; an approval goes before it where required.
    Deploy {
        sls: String,
    },
    /// A canary stage, its bake time, then the verify orchestration.
    Canary {
        app: String,
        stage: usize,
        traffic: f64,
        sls: String,
        bake: Option<Duration>,
        verify: String,
    },
    Verify {
        sls: String,
    },
    Promote {
        sls: String,
    },
}

/// The deploy plan of one environment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub environment: String,
    pub saltenv: String,
    /// The whole deployment: `hecate.orchestrate`.
    pub deploy: Orchestration,
    /// Files and a Terraform plan: `hecate.plan`.
    pub preview: Orchestration,
    /// The route checks on their own: `hecate.verify`.
    pub verify: Orchestration,
    pub promote: Orchestration,
    pub rollback: Orchestration,
    pub canaries: Vec<Canary>,
}

impl Plan {
    /// The orchestrations a pipeline runs for this environment, in order.
    pub fn pipeline(&self) -> Vec<Gate> {
        let mut out = vec![
            Gate::Preview {
                sls: self.preview.sls.clone(),
            },
            Gate::Deploy {
                sls: self.deploy.sls.clone(),
            },
        ];
        for c in self.canaries.iter().filter(|c| c.in_pipeline) {
            out.push(Gate::Canary {
                app: c.app.clone(),
                stage: c.stage,
                traffic: c.traffic,
                sls: c.orchestration.sls.clone(),
                bake: c.bake,
                verify: self.verify.sls.clone(),
            });
        }
        out.push(Gate::Verify {
            sls: self.verify.sls.clone(),
        });
        out.push(Gate::Promote {
            sls: self.promote.sls.clone(),
        });
        out
    }

    /// Every orchestration: the fixed ones, then the canary stages.
    pub fn orchestrations(&self) -> Vec<&Orchestration> {
        let mut v = vec![
            &self.deploy,
            &self.preview,
            &self.verify,
            &self.promote,
            &self.rollback,
        ];
        v.extend(self.canaries.iter().map(|c| &c.orchestration));
        v
    }
}

/// The deploy plan of `model`'s environment.
pub fn plan(model: &Model) -> Plan {
    deploy::plan(model)
}
