//! `hecate/files.sls` (the artifacts in place on the minions) and the top
//! files.

use super::layout::{self, CONTROLLER, PROXY};
use super::steps::{one, state};
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
