//! `hecate/orchestrate.sls`: the whole deployment of one environment as a
//! Salt orchestration (`salt-run state.orchestrate hecate.orchestrate`),
//! plus the smaller orchestrations the pipeline runs on their own
//! (`hecate.plan`, `hecate.verify`, `hecate.promote`, canary steps).

use super::layout::{self, sh, CONTROLLER, PROXY};
use super::steps::{self, cmd_run, one, push_requisite, state, LONG_TIMEOUT, SHORT_TIMEOUT};
use super::yaml::{Entry, Node};
use crate::emit::names;
use crate::emit::names::canary_apps;
use crate::sema::graph::route_name;
use crate::sema::model::{Entity, Kind, Model};

pub const VALIDATE_CONTROLLER: &str = "hecate_validate_controller";
pub const VALIDATE_PROXY: &str = "hecate_validate_proxy";
pub const FILES: &str = "hecate_files";
pub const TF_INIT: &str = "hecate_terraform_init";
pub const TF_PLAN: &str = "hecate_terraform_plan";
pub const TF_APPLY: &str = "hecate_terraform_apply";
pub const CADDY_LOAD: &str = "hecate_caddy_load";
pub const RECORD_NOMAD: &str = "hecate_record_nomad";
pub const RECORD_CADDY: &str = "hecate_record_caddy";
pub const ROLLBACK: &str = "hecate_rollback";
/// Prefix of the per-route checks in `orchestrate.sls`.
pub const VERIFY_PREFIX: &str = "hecate_verify_";

fn entry(comment: &str, key: &str, value: Node) -> Entry {
    Entry {
        comments: vec![comment.to_string()],
        key: key.to_string(),
        value,
    }
}

/// Steps 1–2: prerequisites on both roles, then the artifacts in place.
fn prepare(model: &Model) -> Vec<Entry> {
    let controller = "for tool in terraform nomad consul curl; do\n\
         \x20 command -v \"$tool\" >/dev/null || { echo \"missing: $tool\" >&2; exit 1; }\n\
         done\n\
         nomad node status >/dev/null\n\
         consul members >/dev/null";
    let proxy = format!(
        "command -v curl >/dev/null || {{ echo 'missing: curl' >&2; exit 1; }}\n\
         curl -fsS --max-time 10 -o /dev/null {}",
        sh(&format!("{}/config/", layout::caddy_admin_url(model)))
    );
    vec![
        entry(
            "1. Prerequisites: the controller's tools reach Nomad and Consul.",
            VALIDATE_CONTROLLER,
            cmd_run(model, &[CONTROLLER], controller, None, SHORT_TIMEOUT, &[]),
        ),
        entry(
            "1. Prerequisites: the Caddy admin API answers.",
            VALIDATE_PROXY,
            cmd_run(model, &[PROXY], &proxy, None, SHORT_TIMEOUT, &[]),
        ),
        entry(
            "2. Artifacts in place (hecate/files.sls).",
            FILES,
            steps::apply_sls(
                model,
                &[CONTROLLER, PROXY],
                "hecate.files",
                &[VALIDATE_CONTROLLER.to_string(), VALIDATE_PROXY.to_string()],
            ),
        ),
    ]
}

/// Step 3: Terraform init and plan (and apply when `apply`).
fn terraform(model: &Model, apply: bool) -> Vec<Entry> {
    let dir = layout::terraform_dir(model);
    let mut out = vec![
        entry(
            "3. Terraform: init.",
            TF_INIT,
            cmd_run(
                model,
                &[CONTROLLER],
                "terraform init -input=false -no-color",
                Some(&dir),
                LONG_TIMEOUT,
                &[FILES.to_string()],
            ),
        ),
        entry(
            "3. Terraform: plan into tfplan.",
            TF_PLAN,
            cmd_run(
                model,
                &[CONTROLLER],
                "terraform plan -input=false -no-color -out=tfplan",
                Some(&dir),
                LONG_TIMEOUT,
                &[TF_INIT.to_string()],
            ),
        ),
    ];
    if apply {
        out.push(entry(
            "3. Terraform: apply exactly that plan.",
            TF_APPLY,
            cmd_run(
                model,
                &[CONTROLLER],
                "terraform apply -input=false -no-color tfplan",
                Some(&dir),
                LONG_TIMEOUT,
                &[TF_PLAN.to_string()],
            ),
        ));
    }
    out
}

/// Step 4: one state per app, in waves; each requires Terraform and
/// exactly the apps the graph says it depends on.
fn nomad(model: &Model) -> Vec<Entry> {
    let deps = model.graph.dependency_map();
    let mut out = Vec::new();
    for (w, wave) in steps::app_waves(model).iter().enumerate() {
        for (k, app) in wave.iter().enumerate() {
            let file = format!(
                "{}/{}",
                layout::deploy_root(model),
                layout::nomad_job_file(app)
            );
            let script = format!("nomad job run {}", sh(&file));
            let mut require = vec![TF_APPLY.to_string()];
            require.extend(
                steps::app_dependencies(&deps, &app.name)
                    .into_iter()
                    .map(steps::app_state_id),
            );
            let mut comments = Vec::new();
            if k == 0 {
                let names: Vec<&str> = wave.iter().map(|a| a.name.as_str()).collect();
                comments.push(format!("4. Nomad wave {}: {}.", w + 1, names.join(", ")));
            }
            comments.push(format!("Nomad job {}.", layout::job_id(app)));
            out.push(Entry {
                comments,
                key: steps::app_state_id(&app.name),
                value: cmd_run(model, &[CONTROLLER], &script, None, LONG_TIMEOUT, &require),
            });
        }
    }
    out
}

fn all_app_states(model: &Model) -> Vec<String> {
    steps::app_waves(model)
        .iter()
        .flatten()
        .map(|a| steps::app_state_id(&a.name))
        .collect()
}

/// Step 5: load caddy.json through the admin API, once every app is up.
fn caddy(model: &Model) -> Entry {
    let file = format!("{}/caddy.json", layout::caddy_dir(model));
    let script = format!(
        "curl -fsS --max-time 60 -X POST -H 'Content-Type: application/json' --data-binary @{} {}",
        sh(&file),
        sh(&format!("{}/load", layout::caddy_admin_url(model)))
    );
    let mut require = vec![TF_APPLY.to_string()];
    require.extend(all_app_states(model));
    entry(
        "5. Caddy: load caddy.json through the admin API.",
        CADDY_LOAD,
        cmd_run(model, &[PROXY], &script, None, SHORT_TIMEOUT, &require),
    )
}

/// The route checks; in the orchestration each requires the Caddy load and
/// the apps the route depends on per the graph.
pub fn verify(model: &Model, prefix: &str, after_load: bool) -> Vec<Entry> {
    let deps = model.graph.dependency_map();
    steps::route_checks(model, prefix)
        .iter()
        .map(|check| {
            let mut require = Vec::new();
            if after_load {
                require.push(CADDY_LOAD.to_string());
                // The graph's edges from this route to apps.
                let me = Entity {
                    kind: Kind::Route,
                    name: route_name(check.route),
                };
                let apps = steps::dependencies_of_kind(&deps, &me, Kind::App);
                require.extend(apps.into_iter().map(steps::app_state_id));
            }
            let path = check.route.path.as_deref().unwrap_or("");
            Entry {
                comments: vec![format!("6. Verify {}{}.", check.route.host, path)],
                key: check.id.clone(),
                value: cmd_run(
                    model,
                    &[CONTROLLER],
                    &steps::check_script(check),
                    None,
                    SHORT_TIMEOUT,
                    &require,
                ),
            }
        })
        .collect()
}

/// Step 7: remember what was verified as the last good deployment.
fn record(model: &Model, verified: &[String]) -> Vec<Entry> {
    let mut require = vec![CADDY_LOAD.to_string()];
    require.extend_from_slice(verified);
    let mut nomad = String::new();
    for app in steps::app_waves(model).iter().flatten() {
        nomad.push_str(&format!(
            "nomad job inspect -t '{{{{.Version}}}}' {} > {}\n",
            sh(layout::job_id(app)),
            sh(&format!(
                "{}/{}.last-good",
                layout::nomad_dir(model),
                app.name
            ))
        ));
    }
    let record = serde_json::json!({
        "project": model.project.name,
        "environment": model.env.name,
        "model_hash": model.model_hash,
        "eosc": env!("CARGO_PKG_VERSION"),
    });
    nomad.push_str(&format!(
        "consul kv put {} {}",
        sh(&format!(
            "hecate/{}/{}/deployment",
            model.project.name, model.env.name
        )),
        sh(&record.to_string())
    ));
    let caddy = format!(
        "cp {} {}",
        sh(&format!("{}/caddy.json", layout::caddy_dir(model))),
        sh(&format!("{}/last-good.json", layout::caddy_dir(model)))
    );
    vec![
        entry(
            "7. Record: Nomad job versions as the last good ones, the deployment in Consul.",
            RECORD_NOMAD,
            cmd_run(model, &[CONTROLLER], &nomad, None, SHORT_TIMEOUT, &require),
        ),
        entry(
            "7. Record: caddy.json as the last good Caddy config.",
            RECORD_CADDY,
            cmd_run(model, &[PROXY], &caddy, None, SHORT_TIMEOUT, &require),
        ),
    ]
}

/// The failure handler: any failed Nomad, Caddy or verify step runs the
/// rollback orchestration.
fn rollback(model: &Model, watched: &[String]) -> Entry {
    let env = layout::saltenv(model);
    let mut args = vec![
        one("name", Node::str("state.orchestrate")),
        one("mods", Node::str("hecate.rollback")),
        one("saltenv", Node::str(env.clone())),
        one("pillarenv", Node::str(env)),
    ];
    push_requisite(&mut args, "onfail", watched);
    entry(
        "On failure of any deployment step: hecate/rollback.sls.",
        ROLLBACK,
        state("salt.runner", args),
    )
}

pub fn orchestrate(model: &Model) -> Vec<Entry> {
    let mut out = prepare(model);
    out.extend(terraform(model, true));
    out.extend(nomad(model));
    out.push(caddy(model));
    let checks = verify(model, VERIFY_PREFIX, true);
    let verified: Vec<String> = checks.iter().map(|e| e.key.clone()).collect();
    out.extend(checks);
    out.extend(record(model, &verified));
    let mut watched = all_app_states(model);
    watched.push(CADDY_LOAD.to_string());
    watched.extend(verified);
    out.push(rollback(model, &watched));
    out
}

/// `hecate/plan.sls`: artifacts in place and a Terraform plan, nothing
/// applied (the pipeline's Plan stage).
pub fn plan(model: &Model) -> Vec<Entry> {
    let mut out = prepare(model);
    out.extend(terraform(model, false));
    out
}

/// `hecate/promote.sls`: promote the canaries of the canary apps, then
/// record in Consul that this environment's deployment was promoted.
pub fn promote(model: &Model) -> Vec<Entry> {
    let mut out: Vec<Entry> = canary_apps(model)
        .into_iter()
        .map(|app| {
            let script = format!(
                "if nomad job promote {job}; then exit 0; fi\n\
                 echo 'no canary deployment of {job} waits for promotion'",
                job = sh(app)
            );
            entry(
                &format!("Promote the canaries of {app}."),
                &format!("hecate_promote_{}", layout::path_component(app)),
                cmd_run(model, &[CONTROLLER], &script, None, SHORT_TIMEOUT, &[]),
            )
        })
        .collect();
    let required: Vec<String> = out.iter().map(|e| e.key.clone()).collect();
    let script = format!(
        "consul kv put {} {}",
        sh(&format!(
            "hecate/{}/{}/promoted",
            model.project.name, model.env.name
        )),
        sh(&model.model_hash)
    );
    out.push(entry(
        "Record the promotion (the checked model's hash) in Consul.",
        "hecate_record_promotion",
        cmd_run(
            model,
            &[CONTROLLER],
            &script,
            None,
            SHORT_TIMEOUT,
            &required,
        ),
    ));
    out
}

/// `hecate/canary/<app>/stage<i>.sls`: set the canary's traffic share.
pub fn canary_stage(model: &Model, app: &str, stage: usize, traffic: f64) -> Vec<Entry> {
    let [stable, canary] = names::canary_weights(traffic);
    let mut script = String::new();
    for id in names::canary_ids(model, app) {
        if !script.is_empty() {
            script.push('\n');
        }
        script.push_str(&format!(
            "curl -fsS --max-time 30 -X PATCH -H 'Content-Type: application/json' -d '[{stable},{canary}]' {}",
            sh(&format!(
                "{}/id/{id}/load_balancing/selection_policy/weights",
                layout::caddy_admin_url(model)
            ))
        ));
    }
    if script.is_empty() {
        script = format!("echo 'no route sends traffic to {app}'");
    }
    vec![entry(
        &format!("Canary stage {stage} of {app}: {traffic}% of the traffic."),
        &format!("hecate_canary_{}_stage{stage}", layout::path_component(app)),
        cmd_run(model, &[PROXY], &script, None, SHORT_TIMEOUT, &[]),
    )]
}
