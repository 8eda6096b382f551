//! The canary lifecycle's steps: each stage shifts traffic only while
//! Nomad reports a healthy canary waiting for promotion (the canary's
//! `canary_tags` registration is what Consul's `canary.<service>` name
//! answers), and traffic goes back to the stable name before `nomad job
//! promote` (which replaces the canary's tags with `tags`) and before a
//! rollback fails the deployment. The split lives in a file per split
//! handler that Caddy reads on every request (`names::canary_split_file`):
//! the deployment writes 0 % before any job runs, the stages their share;
//! no step reloads Caddy's config for a split.

use super::command::{argv, Command};
use super::deploy::{orchestration, run, step};
use super::names::{self, path_component};
use super::{Canary, Role, Step, StepKind, SHORT_TIMEOUT};
use crate::sema::model::Model;
use std::time::Duration;

/// How long a stage waits for the canary to be healthy (the deployment
/// already waited for it; this covers a stage run right after).
pub const STAGE_TIMEOUT: Duration = Duration::from_secs(300);
/// How often a stage asks Nomad.
pub const STAGE_POLL: Duration = Duration::from_secs(5);

/// One split file per split handler of `app`: `percent` of the requests
/// to the canary, the rest to stable. Caddy reads the file per request.
fn split(model: &Model, app: &str, percent: f64) -> Vec<Command> {
    names::canary_ids(model, app)
        .into_iter()
        .map(|id| Command::WriteAtomically {
            file: format!(
                "{}/{}",
                names::caddy_dir(model),
                names::canary_split_file(&id)
            ),
            contents: names::canary_threshold(percent),
        })
        .collect()
}

/// A proxy step that sends all of `app`'s traffic to its stable instances;
/// None when no route proxies to `app`.
pub fn reset_step(model: &Model, app: &str, prefix: &str) -> Option<Step> {
    let commands = split(model, app, 0.0);
    if commands.is_empty() {
        return None;
    }
    Some(step(
        &format!("{prefix}{}", path_component(app)),
        StepKind::CanaryReset {
            app: app.to_string(),
        },
        &format!("All of {app}'s traffic to its stable instances (no canary split)."),
        &[Role::Proxy],
        run(commands, None, SHORT_TIMEOUT),
    ))
}

/// For each canary app: traffic back on stable, then its running
/// deployment failed (with `auto_revert`, Nomad reverts the job to its
/// last stable version and the canaries go).
pub fn rollback_steps(model: &Model) -> Vec<Step> {
    let mut out = Vec::new();
    for app in names::canary_apps(model) {
        out.extend(reset_step(model, app, "hecate_rollback_reset_"));
        out.push(step(
            &format!("hecate_rollback_canary_{}", path_component(app)),
            StepKind::FailCanary {
                app: app.to_string(),
            },
            &format!(
                "Nomad: fail {app}'s running deployment (auto_revert then replaces its canaries)."
            ),
            &[Role::Controller],
            run(
                vec![Command::FailRunningDeployment {
                    job: app.to_string(),
                }],
                None,
                SHORT_TIMEOUT,
            ),
        ));
    }
    out
}

/// Every canary stage of every canary app.
pub fn stages(model: &Model) -> Vec<Canary> {
    let mut out = Vec::new();
    for app in names::canary_apps(model) {
        let Some(rollout) = model
            .apps
            .get(app)
            .and_then(|a| a.rollout.as_deref())
            .and_then(|r| model.rollouts.get(r))
        else {
            continue;
        };
        let from = model.env.canary_stage.clamp(1, rollout.stages.len().max(1));
        for (i, stage) in rollout.stages.iter().enumerate() {
            let n = i + 1;
            let weights = names::canary_weights(stage.traffic);
            let shift = split(model, app, stage.traffic);
            let commands = if shift.is_empty() {
                vec![Command::Say(format!("no route sends traffic to {app}"))]
            } else {
                // The proxy nodes are Nomad clients: their nomad CLI asks
                // the local agent for the deployment.
                vec![
                    Command::RequireTools(argv(&["nomad"])),
                    Command::FollowCanary {
                        job: app.to_string(),
                        split: shift,
                        reset: split(model, app, 0.0),
                        timeout: STAGE_TIMEOUT,
                        poll: STAGE_POLL,
                    },
                ]
            };
            let s = step(
                &format!("hecate_canary_{}_stage{n}", path_component(app)),
                StepKind::CanaryStage {
                    app: app.to_string(),
                    stage: n,
                    weights,
                },
                &format!(
                    "Canary stage {n} of {app}: {}% of the traffic, once Nomad reports its canary healthy.",
                    stage.traffic
                ),
                &[Role::Proxy],
                run(commands, None, SHORT_TIMEOUT),
            );
            out.push(Canary {
                app: app.to_string(),
                stage: n,
                traffic: stage.traffic,
                weights,
                bake: stage.bake,
                in_pipeline: n >= from,
                orchestration: orchestration(&names::canary_sls(app, n), vec![s]),
            });
        }
    }
    out
}

/// The deployment's first canary steps: every split at 0 % before any job
/// runs, so a canary Nomad places gets no traffic until a stage says so.
pub fn deploy_resets(model: &Model) -> Vec<Step> {
    names::canary_apps(model)
        .into_iter()
        .filter_map(|app| reset_step(model, app, DEPLOY_RESET_PREFIX))
        .collect()
}

/// Prefix of the deployment's reset steps ([`deploy_resets`]).
pub const DEPLOY_RESET_PREFIX: &str = "hecate_canary_reset_";

/// The deployment's reset step of `app`, if it has one.
pub fn deploy_reset_id(model: &Model, app: &str) -> Option<String> {
    (!names::canary_ids(model, app).is_empty())
        .then(|| format!("{DEPLOY_RESET_PREFIX}{}", path_component(app)))
}
