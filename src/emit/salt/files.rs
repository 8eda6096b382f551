//! `hecate/files.sls` (the artifacts in place on the minions), `top.sls`
//! and `hecate/rollback.sls`.

use super::layout::{self, sh, CONTROLLER, PROXY};
use super::steps::{self, cmd_run, one, state, LONG_TIMEOUT, SHORT_TIMEOUT};
use super::yaml::{map, Entry, Node};
use crate::emit::Artifact;
use crate::sema::model::Model;

/// `(artifact path relative to out/<env>/, destination on the minion)` of
/// every file the deployment applies: Terraform, Nomad and Caddy. Zone files
/// are for review; Terraform publishes the records.
pub fn managed_files(model: &Model, deployable: &[Artifact]) -> Vec<(String, String)> {
    let root = layout::deploy_root(model);
    let mut out: Vec<(String, String)> = deployable
        .iter()
        .filter(|a| layout::DEPLOYED_DIRS.iter().any(|d| a.path.starts_with(d)))
        .map(|a| (a.path.clone(), format!("{root}/{}", a.path)))
        .collect();
    out.sort();
    out
}

pub fn files(model: &Model, deployable: &[Artifact]) -> Vec<Entry> {
    managed_files(model, deployable)
        .into_iter()
        .map(|(rel, dest)| Entry {
            comments: vec![format!("out/{}/{rel}", model.env.name)],
            key: format!("hecate_file_{}", rel.replace(['/', '.'], "_")),
            value: state(
                "file.managed",
                vec![
                    one("name", Node::str(dest)),
                    one("source", Node::str(format!("salt://{rel}"))),
                    one("makedirs", Node::Bool(true)),
                    one("mode", Node::str("0640")),
                ],
            ),
        })
        .collect()
}

/// The top file of this environment's saltenv: both roles get the files.
pub fn top(model: &Model) -> Vec<Entry> {
    let mut targets: Vec<String> = Vec::new();
    for role in [CONTROLLER, PROXY] {
        let t = layout::grain_target(model, role);
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    let body = targets
        .into_iter()
        .map(|t| {
            (
                t,
                Node::Seq(vec![
                    one("match", Node::str("grain")),
                    Node::str("hecate.files"),
                ]),
            )
        })
        .collect::<Vec<_>>();
    vec![Entry {
        comments: vec![format!(
            "saltenv {}: file_roots = [out/{env}/salt, out/{env}]",
            layout::saltenv(model),
            env = model.env.name
        )],
        key: layout::saltenv(model),
        value: map(body),
    }]
}

/// The pillar top file: every minion gets `hecate`.
pub fn pillar_top(model: &Model) -> Vec<Entry> {
    vec![Entry {
        comments: vec![format!(
            "pillarenv {}: pillar_roots = [out/{}/salt/pillar]",
            layout::saltenv(model),
            model.env.name
        )],
        key: layout::saltenv(model),
        value: map([("*", Node::seq_of_str(["hecate"]))]),
    }]
}

/// Revert Caddy to the last good config, then every app (dependents
/// first) to its last good Nomad job version. No requisites: every step is
/// tried even when another fails.
pub fn rollback(model: &Model) -> Vec<Entry> {
    let caddy = format!(
        "f={}\n\
         if [ ! -s \"$f\" ]; then echo 'no last good Caddy config: left as it is'; exit 0; fi\n\
         curl -fsS --max-time 60 -X POST -H 'Content-Type: application/json' --data-binary @\"$f\" {}",
        sh(&format!("{}/last-good.json", layout::caddy_dir(model))),
        sh(&format!("{}/load", layout::caddy_admin_url(model)))
    );
    let mut out = vec![Entry {
        comments: vec!["Caddy: reload the last good config.".to_string()],
        key: "hecate_rollback_caddy".to_string(),
        value: cmd_run(model, &[PROXY], &caddy, None, SHORT_TIMEOUT, &[]),
    }];
    let mut apps: Vec<_> = steps::app_waves(model).into_iter().flatten().collect();
    apps.reverse();
    for app in apps {
        let job = sh(layout::job_id(app));
        let script = format!(
            "f={file}\n\
             if [ ! -s \"$f\" ]; then echo 'no last good version of {name}: left as it is'; exit 0; fi\n\
             good=$(cat \"$f\")\n\
             now=$(nomad job inspect -t '{{{{.Version}}}}' {job})\n\
             if [ \"$now\" = \"$good\" ]; then echo '{name} runs its last good version'; exit 0; fi\n\
             nomad job revert {job} \"$good\"",
            file = sh(&format!("{}/{}.last-good", layout::nomad_dir(model), app.name)),
            name = layout::path_component(&app.name),
        );
        out.push(Entry {
            comments: vec![format!(
                "Nomad: revert {} to its last good version.",
                app.name
            )],
            key: format!(
                "hecate_rollback_nomad_{}",
                layout::path_component(&app.name)
            ),
            value: cmd_run(model, &[CONTROLLER], &script, None, LONG_TIMEOUT, &[]),
        });
    }
    out
}
