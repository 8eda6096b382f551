//! One `task` per container: docker config, env, Vault-backed secrets,
//! volume mounts and resources.

use super::hcl_out::{self, string};
use super::strings;
use super::template::secrets_template;
use crate::sema::model::{App, Model, Task};
use hcl::{Block, Expression, Object};

/// `owns_ports`: the first task maps the group's ports into its container
/// (the model does not say which task listens where; two tasks mapping the
/// same host port would collide).
pub fn task(model: &Model, app: &App, t: &Task, owns_ports: bool) -> Block {
    let mut config = Block::builder("config").add_attribute(("image", string(&t.image)));
    if owns_ports && !app.ports.is_empty() {
        let ports: Vec<String> = app
            .ports
            .values()
            .flat_map(|p| p.nomad_ports().into_iter().map(|(label, _, _)| label))
            .collect();
        config = config.add_attribute(("ports", strings(&ports)));
    }
    if let Some(cmd) = &t.command {
        config = config.add_attribute(("command", string(cmd)));
    }
    if !t.args.is_empty() {
        config = config.add_attribute(("args", strings(&t.args)));
    }

    let mut task = Block::builder("task")
        .add_label(t.name.as_str())
        .add_attribute(("driver", string("docker")))
        .add_block(config.build());

    if !t.env.is_empty() {
        task = task.add_structure(env(t));
    }
    if let Some(data) = secrets_template(model, t) {
        task = task
            .add_block(
                Block::builder("template")
                    .add_attribute((
                        "data",
                        hcl_out::heredoc("EOH", &hcl_out::heredoc_body(&data)),
                    ))
                    .add_attribute(("destination", string(&format!("secrets/{}.env", t.name))))
                    .add_attribute(("env", true))
                    .add_attribute(("change_mode", string("restart")))
                    .build(),
            )
            // Workload identity (Nomad 1.7+): the role comes from the
            // agent's vault config. Only the template runner needs the
            // token, so the container never sees it.
            .add_block(
                Block::builder("vault")
                    .add_attribute(("change_mode", string("noop")))
                    .add_attribute(("env", false))
                    .add_attribute(("disable_file", true))
                    .build(),
            );
    }
    for v in &app.volumes {
        task = task.add_block(
            Block::builder("volume_mount")
                .add_attribute(("volume", string(&v.name)))
                .add_attribute(("destination", string(&v.path)))
                .add_attribute(("read_only", v.read_only))
                .build(),
        );
    }
    let mut res = Block::builder("resources")
        .add_attribute(("cpu", u64::from(t.resources.cpu)))
        .add_attribute(("memory", t.resources.memory_mb));
    if let Some(max) = t.resources.memory_max_mb {
        res = res.add_attribute(("memory_max", max));
    }
    task.add_block(res.build()).build()
}

/// `env { KEY = "v" }`, or the map form `env = { "a.b" = "v" }` that Nomad
/// documents for names that are not HCL identifiers.
fn env(t: &Task) -> hcl::Structure {
    if t.env.keys().all(|k| hcl_out::is_identifier(k)) {
        let mut b = Block::builder("env");
        for (k, v) in &t.env {
            b = b.add_attribute((k.as_str(), string(v)));
        }
        b.build().into()
    } else {
        let mut obj = Object::new();
        for (k, v) in &t.env {
            obj.insert(hcl_out::object_key(k), string(v));
        }
        hcl::Attribute::new("env", Expression::Object(obj)).into()
    }
}
