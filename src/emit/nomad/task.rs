//! One `task` per container: docker config, env, Vault-backed secrets,
//! volume mounts and resources.

use super::hcl_out::{self, string};
use super::strings;
use super::template::secrets_template;
use crate::sema::model::{App, Model, Task};
use hcl::{Block, Expression, Object};

/// Task `i` of `app`. Its container publishes the ports
/// [`App::task_ports`] gives it (every port into the first task unless the
/// tasks say; two containers cannot bind one host port) and mounts the
/// volumes of [`App::task_mounts`].
pub fn task(model: &Model, app: &App, i: usize) -> Block {
    let t = &app.tasks[i];
    let mut config = Block::builder("config").add_attribute(("image", string(&t.image)));
    let ports: Vec<String> = app
        .task_ports(i)
        .into_iter()
        .flat_map(|p| p.nomad_ports().into_iter().map(|(label, _, _)| label))
        .collect();
    if !ports.is_empty() {
        config = config.add_attribute(("ports", strings(&ports)));
    }
    if let Some(cmd) = &t.command {
        config = config.add_attribute(("command", string(cmd)));
    }
    if !t.args.is_empty() {
        config = config.add_attribute(("args", strings(&t.args)));
    }
    config = docker_options(config, t);

    let mut task = Block::builder("task")
        .add_label(t.name.as_str())
        .add_attribute(("driver", string("docker")));
    // Nomad's task `user` (the Docker driver passes it as the container's
    // user; the driver's `config` has no `user`).
    if let Some(user) = &t.user {
        task = task.add_attribute(("user", string(user)));
    }
    let mut task = task.add_block(config.build());

    if !t.env.is_empty() {
        task = task.add_structure(env(t));
    }
    if let Some(data) = secrets_template(model, t) {
        task = task.add_block(
            Block::builder("template")
                .add_attribute((
                    "data",
                    hcl_out::heredoc("EOH", &hcl_out::heredoc_body(&data)),
                ))
                .add_attribute(("destination", string(&format!("secrets/{}.env", t.name))))
                .add_attribute(("env", true))
                .add_attribute(("change_mode", string(t.secrets_change_mode())))
                .build(),
        );
    }
    for tpl in &t.templates {
        task = task.add_block(super::template::user_template(tpl));
    }
    if t.reads_vault() {
        // Workload identity (Nomad 1.7+): the role is the spec's, else the
        // agent's `create_from_role`. Only the template runner needs the
        // token, so the container never sees it, and a renewed token
        // changes nothing the task holds: `noop` (a changed secret is the
        // templates' `change_mode`).
        let mut v = Block::builder("vault");
        if let Some(role) = t.vault.as_ref().and_then(|v| v.role.as_ref()) {
            v = v.add_attribute(("role", string(role)));
        }
        task = task.add_block(
            v.add_attribute(("change_mode", string("noop")))
                .add_attribute(("env", false))
                .add_attribute(("disable_file", true))
                .build(),
        );
    }
    for m in app.task_mounts(i) {
        task = task.add_block(
            Block::builder("volume_mount")
                .add_attribute(("volume", string(&m.volume)))
                .add_attribute(("destination", string(&m.path)))
                .add_attribute(("read_only", m.read_only))
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

/// The Docker driver's options of the task: capabilities, read-only root,
/// network mode, logging driver and task-directory binds (`mount` blocks of
/// type `bind`, sources relative to the task directory, which Nomad allows
/// without the client's `volumes.enabled`).
fn docker_options(mut config: hcl::BlockBuilder, t: &Task) -> hcl::BlockBuilder {
    if !t.cap_add.is_empty() {
        config = config.add_attribute(("cap_add", strings(&t.cap_add)));
    }
    if !t.cap_drop.is_empty() {
        config = config.add_attribute(("cap_drop", strings(&t.cap_drop)));
    }
    if t.readonly_rootfs {
        config = config.add_attribute(("readonly_rootfs", true));
    }
    if let Some(mode) = &t.network_mode {
        config = config.add_attribute(("network_mode", string(mode)));
    }
    if let Some(l) = &t.logging {
        let mut b = Block::builder("logging").add_attribute(("type", string(&l.driver)));
        if !l.config.is_empty() {
            let mut c = Block::builder("config");
            for (k, v) in &l.config {
                c = c.add_attribute((k.as_str(), string(v)));
            }
            b = b.add_block(c.build());
        }
        config = config.add_block(b.build());
    }
    for m in &t.dir_mounts {
        config = config.add_block(
            Block::builder("mount")
                .add_attribute(("type", string("bind")))
                .add_attribute(("source", string(&m.source)))
                .add_attribute(("target", string(&m.path)))
                .add_attribute(("readonly", m.read_only))
                .build(),
        );
    }
    config
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
