//! Building the plan: each orchestration's steps in the order they run,
//! with requisites from the dependency graph.

use super::command::{argv, AwaitJob, Command, Expect};
use super::names::{self, app_state_id, path_component};
use super::verify::route_checks;
use super::waves::{app_dependencies, app_waves, dependencies_of_kind};
use super::{
    canary, Action, Orchestration, Plan, Role, Step, StepKind, LONG_TIMEOUT, SHORT_TIMEOUT,
};
use crate::sema::graph::route_name;
use crate::sema::model::{Entity, JobType, Kind, Model};
use std::time::Duration;

pub const VALIDATE_CONTROLLER: &str = "hecate_validate_controller";
pub const VALIDATE_PROXY: &str = "hecate_validate_proxy";
pub const FILES: &str = "hecate_files";
pub const PROMOTION_CHECK: &str = "hecate_promotion_check";
pub const TF_INIT: &str = "hecate_terraform_init";
pub const TF_PLAN: &str = "hecate_terraform_plan";
pub const TF_APPLY: &str = "hecate_terraform_apply";
pub const TF_AUTH_INIT: &str = "hecate_terraform_auth_init";
pub const TF_AUTH_PLAN: &str = "hecate_terraform_auth_plan";
pub const TF_AUTH_APPLY: &str = "hecate_terraform_auth_apply";
pub const CADDY_LOAD: &str = "hecate_caddy_load";
pub const RECORD_NOMAD: &str = "hecate_record_nomad";
pub const RECORD_CADDY: &str = "hecate_record_caddy";
pub const ROLLBACK: &str = "hecate_rollback";
/// The proxy job's `nomad job run` (wave 0).
pub const EDGE_JOB: &str = "hecate_edge_job";
/// The Caddy admin API answers after wave 0.
pub const EDGE_READY: &str = "hecate_edge_ready";
/// Prefix of the per-route checks in the deployment.
pub const VERIFY_PREFIX: &str = "hecate_verify_";
/// Prefix of the per-route checks of `hecate.verify`.
pub const CHECK_PREFIX: &str = "hecate_check_";

pub(super) fn run(commands: Vec<Command>, cwd: Option<String>, timeout: u64) -> Action {
    Action::Run {
        commands,
        cwd,
        timeout,
    }
}

pub(super) fn step(id: &str, kind: StepKind, comment: &str, on: &[Role], action: Action) -> Step {
    Step {
        id: id.to_string(),
        kind,
        comments: vec![comment.to_string()],
        on: on.to_vec(),
        action,
        require: Vec::new(),
        onfail: Vec::new(),
    }
}

fn requiring(mut s: Step, require: &[&str]) -> Step {
    s.require = require.iter().map(|r| r.to_string()).collect();
    s
}

pub(super) fn orchestration(sls: &str, steps: Vec<Step>) -> Orchestration {
    Orchestration {
        sls: sls.to_string(),
        path: format!("salt/{}.sls", sls.replace('.', "/")),
        steps,
    }
}

/// Steps 1–2: prerequisites on both roles, then the artifacts in place.
fn prepare(model: &Model) -> Vec<Step> {
    let mut tools = vec!["terraform", "nomad", "consul", "curl"];
    if !vault_exports(model, false).is_empty() || !vault_exports(model, true).is_empty() {
        tools.push("vault");
    }
    let controller = vec![
        Command::RequireTools(argv(&tools)),
        Command::Quiet(argv(&["nomad", "node", "status"])),
        Command::Quiet(argv(&["consul", "members"])),
    ];
    // With an edge job, Caddy starts in wave 0 (checked there); without
    // one, the Caddy it loads must already answer.
    let edge = names::proxy_wanted(model);
    let mut proxy = vec![Command::RequireTools(argv(&["curl"]))];
    if !edge {
        proxy.push(Command::Exec(vec![
            "curl".into(),
            "-fsS".into(),
            "--max-time".into(),
            "10".into(),
            "-o".into(),
            "/dev/null".into(),
            format!("{}/config/", names::caddy_admin_url(model)),
        ]));
    }
    let proxy_comment = if edge {
        "1. Prerequisites: the proxy nodes have curl (the edge job starts Caddy in wave 0)."
    } else {
        "1. Prerequisites: the Caddy admin API answers."
    };
    // A promoted environment first checks that it deploys exactly the
    // release its source verified; nothing is shipped or applied before.
    let check = super::release::check(model).map(|c| {
        requiring(
            step(
                PROMOTION_CHECK,
                StepKind::PromotionCheck,
                "1. Promotion: deploy only the release the source environment verified.",
                &[Role::Controller],
                run(vec![c], None, SHORT_TIMEOUT),
            ),
            &[VALIDATE_CONTROLLER],
        )
    });
    let mut files_after = vec![VALIDATE_CONTROLLER, VALIDATE_PROXY];
    if check.is_some() {
        files_after.push(PROMOTION_CHECK);
    }
    let mut out = vec![
        step(
            VALIDATE_CONTROLLER,
            StepKind::Prerequisites,
            "1. Prerequisites: the controller's tools reach Nomad and Consul.",
            &[Role::Controller],
            run(controller, None, SHORT_TIMEOUT),
        ),
        step(
            VALIDATE_PROXY,
            StepKind::Prerequisites,
            proxy_comment,
            &[Role::Proxy],
            run(proxy, None, SHORT_TIMEOUT),
        ),
        requiring(
            step(
                FILES,
                StepKind::ShipFiles,
                "2. Artifacts in place (hecate/files.sls).",
                &[Role::Controller, Role::Proxy],
                Action::Apply {
                    sls: "hecate.files".into(),
                },
            ),
            &files_after,
        ),
    ];
    if let Some(c) = check {
        out.insert(2, c);
    }
    out
}

/// The credentials a root's `terraform plan`/`apply` reads from Vault:
/// the infra root's Hetzner token (`project.hcloud_token`), the auth
/// root's Authentik token (the first `token` of an auth). Without one the
/// controller's own `TF_VAR_…` is used.
fn vault_exports(model: &Model, auth: bool) -> Vec<Command> {
    let (var, secret) = if auth {
        (
            "TF_VAR_authentik_token",
            model.auths.values().find_map(|a| a.token.as_deref()),
        )
    } else {
        ("TF_VAR_hcloud_token", model.project.hcloud_token.as_deref())
    };
    secret
        .and_then(|s| model.secrets.get(s))
        .map(|s| Command::ExportFromVault {
            var: var.into(),
            path: s.vault_path.clone(),
            key: s.key.clone(),
        })
        .into_iter()
        .collect()
}

/// Init, plan into tfplan and (when `apply`) apply exactly that plan, in
/// `dir`; plan and apply get the root's credentials from Vault first.
#[allow(clippy::too_many_arguments)]
fn terraform_root(
    model: &Model,
    dir: String,
    auth: bool,
    ids: [&str; 3],
    kinds: [StepKind; 3],
    phase: &str,
    after: &[&str],
    apply: bool,
) -> Vec<Step> {
    let secrets = vault_exports(model, auth);
    let [init_kind, plan_kind, apply_kind] = kinds;
    let tf =
        |id: &str, kind: StepKind, comment: &str, words: &[&str], secret: bool, after: &[&str]| {
            let mut commands = if secret { secrets.clone() } else { Vec::new() };
            commands.push(Command::Exec(argv(words)));
            requiring(
                step(
                    id,
                    kind,
                    comment,
                    &[Role::Controller],
                    run(commands, Some(dir.clone()), LONG_TIMEOUT),
                ),
                after,
            )
        };
    let mut out = vec![
        tf(
            ids[0],
            init_kind,
            &format!("{phase}: init."),
            &["terraform", "init", "-input=false", "-no-color"],
            false,
            after,
        ),
        tf(
            ids[1],
            plan_kind,
            &format!("{phase}: plan into tfplan."),
            &[
                "terraform",
                "plan",
                "-input=false",
                "-no-color",
                "-out=tfplan",
            ],
            true,
            &[ids[0]],
        ),
    ];
    if apply {
        out.push(tf(
            ids[2],
            apply_kind,
            &format!("{phase}: apply exactly that plan."),
            &["terraform", "apply", "-input=false", "-no-color", "tfplan"],
            true,
            &[ids[1]],
        ));
    }
    out
}

/// Step 3: the infra root's init and plan (and apply when `apply`).
fn terraform(model: &Model, apply: bool) -> Vec<Step> {
    terraform_root(
        model,
        names::terraform_dir(model),
        false,
        [TF_INIT, TF_PLAN, TF_APPLY],
        [
            StepKind::TerraformInit,
            StepKind::TerraformPlan,
            StepKind::TerraformApply,
        ],
        "3. Terraform (infra)",
        &[FILES],
        apply,
    )
}

/// Step 5b: the auth root, once Authentik runs (its wave is healthy) and
/// Caddy serves its route: the authentik provider talks to that API, so on
/// a first install it cannot be planned with the servers. None without an
/// auth.
fn terraform_auth(model: &Model) -> Vec<Step> {
    if model.auths.is_empty() {
        return Vec::new();
    }
    terraform_root(
        model,
        names::terraform_auth_dir(model),
        true,
        [TF_AUTH_INIT, TF_AUTH_PLAN, TF_AUTH_APPLY],
        [
            StepKind::TerraformAuthInit,
            StepKind::TerraformAuthPlan,
            StepKind::TerraformAuthApply,
        ],
        "5. Terraform (auth), after Authentik and Caddy are up",
        &[CADDY_LOAD],
        true,
    )
}

/// How long a wave may take to become healthy: below Salt's own timeout
/// for the step, so the failure says which job it waited for.
pub const WAVE_TIMEOUT: Duration = Duration::from_secs(LONG_TIMEOUT - 300);
/// How often a wave asks Nomad.
pub const WAVE_POLL: Duration = Duration::from_secs(5);

/// One Nomad job of a wave.
struct Job {
    /// State ID of its `nomad job run`.
    id: String,
    job: String,
    /// Artifact path relative to `out/<env>/`.
    file: String,
    /// Apps it depends on per the graph (state IDs).
    after: Vec<String>,
    /// Service jobs have deployments; system and batch jobs have none
    /// (Nomad's `job run` documentation).
    deployment: bool,
    canary: bool,
}

/// The jobs in waves: wave 0 is the edge (the proxy job) when the spec has
/// one, then the app waves.
fn job_waves(model: &Model) -> Vec<Vec<Job>> {
    let deps = model.graph.dependency_map();
    let canaries = names::canary_apps(model);
    let mut out = Vec::new();
    if names::proxy_wanted(model) {
        out.push(vec![Job {
            id: EDGE_JOB.to_string(),
            job: names::PROXY_JOB.to_string(),
            file: names::proxy_job_path(),
            after: Vec::new(),
            deployment: false,
            canary: false,
        }]);
    } else {
        out.push(Vec::new());
    }
    for wave in app_waves(model) {
        out.push(
            wave.iter()
                .map(|app| Job {
                    id: app_state_id(&app.name),
                    job: names::job_id(app).to_string(),
                    file: names::nomad_job_file(app),
                    after: app_dependencies(&deps, &app.name)
                        .into_iter()
                        .map(app_state_id)
                        .collect(),
                    deployment: app.job_type == JobType::Service && app.schedule.is_none(),
                    canary: canaries.contains(&app.name.as_str()),
                })
                .collect(),
        );
    }
    out
}

/// State ID of the step that waits for wave `index` to be healthy.
pub fn wave_id(index: usize) -> String {
    format!("hecate_wave{index}_healthy")
}

/// Step 4: one `nomad job run` per job, in waves, then a step that waits
/// until every deployment of the wave succeeded; a wave's jobs require the
/// previous wave's wait (and Terraform, and the apps the graph says they
/// depend on), so a failed wave stops every later one. With an edge, the
/// proxy's admin API must answer after wave 0.
fn nomad(model: &Model, waves: &[Vec<Job>]) -> Vec<Step> {
    let mut out = Vec::new();
    let mut previous: Option<String> = None;
    for (w, wave) in waves.iter().enumerate() {
        if wave.is_empty() {
            continue;
        }
        for (k, job) in wave.iter().enumerate() {
            let file = format!("{}/{}", names::deploy_root(model), job.file);
            let mut require = vec![TF_APPLY.to_string()];
            require.extend(job.after.iter().cloned());
            require.extend(previous.iter().cloned());
            if job.canary {
                require.extend(canary::deploy_reset_id(model, &job.job));
            }
            let mut comments = Vec::new();
            if k == 0 {
                let names: Vec<&str> = wave.iter().map(|j| j.job.as_str()).collect();
                let what = if w == 0 { " (the edge)" } else { "" };
                comments.push(format!("4. Nomad wave {w}{what}: {}.", names.join(", ")));
            }
            comments.push(format!("Nomad job {}.", job.job));
            out.push(Step {
                id: job.id.clone(),
                kind: StepKind::NomadJob {
                    wave: w,
                    job: job.job.clone(),
                },
                comments,
                on: vec![Role::Controller],
                action: run(
                    vec![Command::Exec(vec![
                        "nomad".into(),
                        "job".into(),
                        "run".into(),
                        file,
                    ])],
                    None,
                    LONG_TIMEOUT,
                ),
                require,
                onfail: Vec::new(),
            });
        }
        let awaited: Vec<AwaitJob> = wave
            .iter()
            .filter(|j| j.deployment)
            .map(|j| AwaitJob {
                job: j.job.clone(),
                accept_promotion_wait: j.canary,
            })
            .collect();
        let commands = if awaited.is_empty() {
            vec![Command::Say(format!(
                "wave {w}: no job with a deployment (system and batch jobs); nomad job run reported their placement"
            ))]
        } else {
            vec![Command::AwaitDeployments {
                jobs: awaited,
                timeout: WAVE_TIMEOUT,
                poll: WAVE_POLL,
            }]
        };
        let id = wave_id(w);
        let mut gate = step(
            &id,
            StepKind::NomadWave {
                index: w,
                jobs: wave.iter().map(|j| j.job.clone()).collect(),
            },
            &format!("4. Nomad wave {w} healthy: every deployment of it successful."),
            &[Role::Controller],
            run(commands, None, LONG_TIMEOUT),
        );
        gate.require = wave.iter().map(|j| j.id.clone()).collect();
        out.push(gate);
        previous = Some(id);
        if w == 0 {
            let mut ready = step(
                EDGE_READY,
                StepKind::EdgeReady,
                "4. The edge is up: the Caddy admin API answers.",
                &[Role::Proxy],
                run(
                    vec![Command::Probe {
                        url: format!("{}/config/", names::caddy_admin_url(model)),
                        expect: Expect::Status(200),
                    }],
                    None,
                    SHORT_TIMEOUT,
                ),
            );
            ready.require = vec![wave_id(0)];
            out.push(ready);
        }
    }
    out
}

/// The state IDs of the apps' jobs, in wave order (wave 0 is the edge).
fn all_app_states(waves: &[Vec<Job>]) -> impl Iterator<Item = String> + '_ {
    waves.iter().skip(1).flatten().map(|j| j.id.clone())
}

/// Step 5: load caddy.json through the admin API, once every app is up
/// (`nomad_steps`: step 4, from [`nomad`]).
fn caddy(model: &Model, waves: &[Vec<Job>], nomad_steps: &[Step]) -> Step {
    let file = format!("{}/caddy.json", names::caddy_dir(model));
    let mut s = step(
        CADDY_LOAD,
        StepKind::CaddyLoad,
        "5. Caddy: load caddy.json through the admin API.",
        &[Role::Proxy],
        run(
            vec![Command::Exec(vec![
                "curl".into(),
                "-fsS".into(),
                "--max-time".into(),
                "60".into(),
                "-X".into(),
                "POST".into(),
                "-H".into(),
                "Content-Type: application/json".into(),
                "--data-binary".into(),
                format!("@{file}"),
                format!("{}/load", names::caddy_admin_url(model)),
            ])],
            None,
            SHORT_TIMEOUT,
        ),
    );
    s.require = vec![TF_APPLY.to_string()];
    s.require.extend(all_app_states(waves));
    s.require.extend(
        nomad_steps
            .iter()
            .filter(|s| matches!(s.kind, StepKind::NomadWave { .. } | StepKind::EdgeReady))
            .map(|s| s.id.clone()),
    );
    s
}

/// The route checks; in the deployment each requires the Caddy load and
/// the apps the route depends on per the graph.
fn verify(model: &Model, prefix: &str, after_load: bool) -> Vec<Step> {
    let deps = model.graph.dependency_map();
    route_checks(model, prefix)
        .into_iter()
        .map(|check| {
            let mut require = Vec::new();
            if after_load {
                require.push(CADDY_LOAD.to_string());
                if !model.auths.is_empty() {
                    require.push(TF_AUTH_APPLY.to_string());
                }
                let me = Entity {
                    kind: Kind::Route,
                    name: route_name(check.route),
                };
                let apps = dependencies_of_kind(&deps, &me, Kind::App);
                require.extend(apps.into_iter().map(app_state_id));
            }
            let path = check.route.path.as_deref().unwrap_or("");
            Step {
                id: check.id.clone(),
                kind: StepKind::Verify {
                    route: route_name(check.route),
                },
                comments: vec![format!("6. Verify {}{}.", check.route.host, path)],
                on: vec![Role::Controller],
                action: run(
                    vec![Command::Probe {
                        url: check.url,
                        expect: check.expect,
                    }],
                    None,
                    SHORT_TIMEOUT,
                ),
                require,
                onfail: Vec::new(),
            }
        })
        .collect()
}

/// Where the record step writes a job's last good version and the
/// rollback reads it.
fn last_good_file(model: &Model, job: &str) -> String {
    format!("{}/{job}.last-good", names::nomad_dir(model))
}

/// Step 7: remember what was verified as the last good deployment.
fn record(model: &Model, waves: &[Vec<Job>], verified: &[String]) -> Vec<Step> {
    let mut require = vec![CADDY_LOAD.to_string()];
    require.extend_from_slice(verified);
    let mut nomad = Vec::new();
    // Every job the rollback reverts, the edge job (wave 0) included: a
    // job without a recorded version is left as it is by the rollback.
    for job in waves.iter().flatten() {
        nomad.push(Command::ToFile {
            argv: argv(&["nomad", "job", "inspect", "-t", "{{.Version}}", &job.job]),
            file: last_good_file(model, &job.job),
        });
    }
    let record = serde_json::json!({
        "project": model.project.name,
        "environment": model.env.name,
        "model_hash": model.model_hash,
        "eosc": env!("CARGO_PKG_VERSION"),
    });
    nomad.push(Command::Exec(vec![
        "consul".into(),
        "kv".into(),
        "put".into(),
        format!(
            "hecate/{}/{}/deployment",
            model.project.name, model.env.name
        ),
        record.to_string(),
    ]));
    // What this environment verified, for the environments promoted from
    // it to deploy exactly that (plan::release).
    if super::release::is_promoted_from(model) {
        nomad.push(Command::Exec(vec![
            "consul".into(),
            "kv".into(),
            "put".into(),
            super::release::release_key(model, &model.env.name),
            super::release::release(model),
        ]));
    }
    let caddy = vec![Command::Exec(vec![
        "cp".into(),
        format!("{}/caddy.json", names::caddy_dir(model)),
        format!("{}/last-good.json", names::caddy_dir(model)),
    ])];
    let mut a = step(
        RECORD_NOMAD,
        StepKind::Record,
        "7. Record: Nomad job versions as the last good ones, the deployment in Consul.",
        &[Role::Controller],
        run(nomad, None, SHORT_TIMEOUT),
    );
    a.require = require.clone();
    let mut b = step(
        RECORD_CADDY,
        StepKind::Record,
        "7. Record: caddy.json as the last good Caddy config.",
        &[Role::Proxy],
        run(caddy, None, SHORT_TIMEOUT),
    );
    b.require = require;
    vec![a, b]
}

/// The failure handler: any failed Nomad, Caddy or verify step runs the
/// rollback orchestration.
fn rollback_trigger(watched: Vec<String>) -> Step {
    let mut s = step(
        ROLLBACK,
        StepKind::Rollback,
        "On failure of any deployment step: hecate/rollback.sls.",
        &[],
        Action::Orchestrate {
            sls: "hecate.rollback".into(),
        },
    );
    s.onfail = watched;
    s
}

/// The jobs' waves are computed once, in [`plan`], for the steps of
/// deploy and rollback that list them.
fn deploy(model: &Model, waves: &[Vec<Job>]) -> Vec<Step> {
    let mut out = prepare(model);
    out.extend(terraform(model, true));
    for mut reset in canary::deploy_resets(model) {
        reset.require = vec![FILES.to_string()];
        out.push(reset);
    }
    let nomad_steps = nomad(model, waves);
    let caddy_step = caddy(model, waves, &nomad_steps);
    // Every step of step 4 (the runs, the waits, the edge check).
    let mut watched: Vec<String> = nomad_steps.iter().map(|s| s.id.clone()).collect();
    out.extend(nomad_steps);
    out.push(caddy_step);
    let auth = terraform_auth(model);
    let auth_ids: Vec<String> = auth.iter().map(|s| s.id.clone()).collect();
    out.extend(auth);
    let checks = verify(model, VERIFY_PREFIX, true);
    let verified: Vec<String> = checks.iter().map(|s| s.id.clone()).collect();
    out.extend(checks);
    out.extend(record(model, waves, &verified));
    watched.push(CADDY_LOAD.to_string());
    watched.extend(auth_ids);
    watched.extend(verified);
    out.push(rollback_trigger(watched));
    out
}

/// `hecate.verify` on its own: with no route to probe it still holds one
/// step, so the run reports "no routes to verify" instead of an empty
/// result that looks like a verify that never ran.
fn verify_standalone(model: &Model) -> Vec<Step> {
    let checks = verify(model, CHECK_PREFIX, false);
    if !checks.is_empty() {
        return checks;
    }
    vec![step(
        "hecate_check_nothing",
        StepKind::NothingToVerify,
        &format!("Environment {} has no routes to probe.", model.env.name),
        &[],
        Action::Succeed {
            message: "no routes to verify".into(),
        },
    )]
}

/// Promote the canaries of the canary apps, then record in Consul that this
/// environment's deployment was promoted.
fn promote(model: &Model) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for app in names::canary_apps(model) {
        // All traffic to the stable name first: at promotion Nomad gives
        // the canaries the stable tags, and the canary name answers nothing.
        let reset = canary::reset_step(model, app, "hecate_promote_reset_");
        let mut promote = step(
            &format!("hecate_promote_{}", path_component(app)),
            StepKind::Promote {
                app: app.to_string(),
            },
            &format!("Promote the canaries of {app}."),
            &[Role::Controller],
            run(
                vec![Command::PromoteCanaries {
                    job: app.to_string(),
                }],
                None,
                SHORT_TIMEOUT,
            ),
        );
        if let Some(r) = reset {
            promote.require = vec![r.id.clone()];
            out.push(r);
        }
        out.push(promote);
    }
    let required: Vec<String> = out
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Promote { .. }))
        .map(|s| s.id.clone())
        .collect();
    let mut record = step(
        "hecate_record_promotion",
        StepKind::RecordPromotion,
        "Record the promotion (the checked model's hash) in Consul.",
        &[Role::Controller],
        run(
            vec![Command::Exec(vec![
                "consul".into(),
                "kv".into(),
                "put".into(),
                format!("hecate/{}/{}/promoted", model.project.name, model.env.name),
                model.model_hash.clone(),
            ])],
            None,
            SHORT_TIMEOUT,
        ),
    );
    record.require = required;
    out.push(record);
    out
}

/// Revert Caddy to the last good config, then every app (dependents
/// first) to its last good Nomad job version. No requisites: every step is
/// tried even when another fails.
fn rollback(model: &Model, waves: &[Vec<Job>]) -> Vec<Step> {
    let mut out = vec![step(
        "hecate_rollback_caddy",
        StepKind::RollbackCaddy,
        "Caddy: reload the last good config.",
        &[Role::Proxy],
        run(
            vec![Command::LoadLastGoodCaddy {
                file: format!("{}/last-good.json", names::caddy_dir(model)),
                load_url: format!("{}/load", names::caddy_admin_url(model)),
            }],
            None,
            SHORT_TIMEOUT,
        ),
    )];
    // Canaries: all traffic to stable, then their deployment failed, so
    // Nomad stops them before any revert.
    out.extend(canary::rollback_steps(model));
    for job in waves.iter().flatten().rev() {
        let id = if job.id == EDGE_JOB {
            "hecate_rollback_edge".to_string()
        } else {
            format!("hecate_rollback_nomad_{}", path_component(&job.job))
        };
        out.push(step(
            &id,
            StepKind::RollbackJob {
                job: job.job.clone(),
            },
            &format!("Nomad: revert {} to its last good version.", job.job),
            &[Role::Controller],
            run(
                vec![Command::RevertJob {
                    job: job.job.clone(),
                    name: path_component(&job.job),
                    file: last_good_file(model, &job.job),
                }],
                None,
                LONG_TIMEOUT,
            ),
        ));
    }
    out
}

pub fn plan(model: &Model) -> Plan {
    let waves = job_waves(model);
    let mut preview = prepare(model);
    preview.extend(terraform(model, false));
    Plan {
        environment: model.env.name.clone(),
        saltenv: names::saltenv(model),
        deploy: orchestration("hecate.orchestrate", deploy(model, &waves)),
        preview: orchestration("hecate.plan", preview),
        verify: orchestration("hecate.verify", verify_standalone(model)),
        promote: orchestration("hecate.promote", promote(model)),
        rollback: orchestration("hecate.rollback", rollback(model, &waves)),
        canaries: super::canary::stages(model),
    }
}
