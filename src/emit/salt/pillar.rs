//! `pillar/hecate.sls`: the environment's non-secret settings. Secrets
//! appear only as references: their Vault path and key, and the SDB URI
//! (`sdb://vault/<path>/<key>`) that `config.get` resolves on a minion
//! with an SDB profile named `vault` (`driver: vault`).

use super::layout;
use super::yaml::{map, Entry, Node};
use crate::sema::model::{Model, RouteAction, Target};

pub const SDB_PROFILE: &str = "vault";

pub fn sdb_uri(vault_path: &str, key: &str) -> String {
    format!(
        "sdb://{SDB_PROFILE}/{}/{}",
        vault_path.trim_matches('/'),
        key
    )
}

fn opt(s: &Option<String>) -> Node {
    s.as_ref().map_or(Node::Null, |s| Node::str(s.clone()))
}

pub fn pillar(model: &Model) -> Vec<Entry> {
    let p = &model.project;
    let project = map([
        ("name", Node::str(p.name.clone())),
        ("region", Node::str(p.region.clone())),
        (
            "datacenters",
            Node::seq_of_str(p.datacenters.iter().cloned()),
        ),
        ("registry", opt(&p.registry)),
        ("vault", opt(&p.vault)),
        ("acme_email", opt(&p.acme_email)),
        ("caddy_admin", Node::str(p.caddy_admin.clone())),
    ]);
    let env = map([
        ("name", Node::str(model.env.name.clone())),
        ("approval", Node::Bool(model.env.approval)),
        ("promote_from", opt(&model.env.promote_from)),
        ("canary_stage", Node::UInt(model.env.canary_stage as u64)),
    ]);
    let targets = map([layout::CONTROLLER, layout::PROXY]
        .iter()
        .map(|r| (r.to_string(), Node::str(layout::grain_target(model, r))))
        .chain(
            p.salt_targets
                .iter()
                .filter(|(r, _)| r.as_str() != layout::CONTROLLER && r.as_str() != layout::PROXY)
                .map(|(r, t)| (r.clone(), Node::str(t.clone()))),
        ));
    let paths = map([
        ("root", Node::str(layout::deploy_root(model))),
        ("terraform", Node::str(layout::terraform_dir(model))),
        ("nomad", Node::str(layout::nomad_dir(model))),
        ("caddy", Node::str(layout::caddy_dir(model))),
    ]);
    let vars = Node::Map(
        model
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), var_node(model, v)))
            .collect(),
    );
    let apps = Node::Map(
        model
            .apps
            .values()
            .map(|a| {
                (
                    a.name.clone(),
                    map([
                        ("job", Node::str(layout::job_id(a))),
                        ("type", Node::str(a.job_type.as_str())),
                        ("service", Node::str(a.service.clone())),
                        ("count", Node::UInt(u64::from(a.count))),
                        ("runs_on", opt(&a.runs_on)),
                        ("rollout", opt(&a.rollout)),
                        (
                            "images",
                            Node::seq_of_str(a.tasks.iter().map(|t| t.image.clone())),
                        ),
                        ("depends_on", Node::seq_of_str(a.depends_on.iter().cloned())),
                    ]),
                )
            })
            .collect(),
    );
    let routes = Node::Seq(
        model
            .routes
            .iter()
            .map(|r| {
                let to = match &r.action {
                    RouteAction::Proxy(Target::App { app, port }) => {
                        format!("app.{app}.port.{port}")
                    }
                    RouteAction::Proxy(Target::Upstream(u)) => format!("upstream.{u}"),
                    RouteAction::Redirect { to, status } => format!("redirect {status} {to}"),
                    RouteAction::Respond { status, .. } => format!("respond {status}"),
                };
                map([
                    ("host", Node::str(r.host.clone())),
                    ("path", opt(&r.path)),
                    ("to", Node::str(to)),
                    ("auth", opt(&r.auth)),
                ])
            })
            .collect(),
    );
    let secrets = Node::Map(
        model
            .secrets
            .values()
            .map(|s| {
                (
                    s.name.clone(),
                    map([
                        ("vault_path", Node::str(s.vault_path.clone())),
                        ("key", Node::str(s.key.clone())),
                        ("sdb", Node::str(sdb_uri(&s.vault_path, &s.key))),
                    ]),
                )
            })
            .collect(),
    );
    let body = map([
        ("project", project),
        ("environment", env),
        ("targets", targets),
        ("paths", paths),
        ("vars", vars),
        ("apps", apps),
        ("routes", routes),
        ("secrets", secrets),
        (
            "deployment",
            map([("model_hash", Node::str(model.model_hash.clone()))]),
        ),
    ]);
    vec![Entry {
        comments: vec![
            "Secrets are references only: read them with config.get (SDB profile 'vault')."
                .to_string(),
        ],
        key: "hecate".to_string(),
        value: body,
    }]
}

/// A variable's value; a secret reference becomes the SDB URI `config.get`
/// resolves on the minion (as under `secrets:`), never the value.
fn var_node(model: &Model, v: &serde_json::Value) -> Node {
    let secret = v
        .as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.get("secret"))
        .and_then(|n| n.as_str())
        .and_then(|n| model.secrets.get(n));
    match (secret, v) {
        (Some(s), _) => Node::str(sdb_uri(&s.vault_path, &s.key)),
        (None, serde_json::Value::Array(items)) => {
            Node::Seq(items.iter().map(|i| var_node(model, i)).collect())
        }
        (None, serde_json::Value::Object(o)) => Node::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), var_node(model, v)))
                .collect(),
        ),
        (None, v) => Node::from_json(v),
    }
}
