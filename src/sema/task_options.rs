//! A task's own options: which of the app's ports and volumes its container
//! gets (`ports`, `volume_mount`), task-directory binds (`mount`), and the
//! Docker settings (`user`, `cap_add`/`cap_drop`, `readonly_rootfs`,
//! `network_mode`, `logging`). Nomad's own rules for them are in
//! `nomad_rules` (capabilities, mount sources); what is checked here is
//! what the spec says, with spans.

use super::eval::{check_shape, Cx};
use super::model::{DirMount, Logging, Port, Task, VaultUse, Volume, VolumeMount};
use super::nomad_rules;
use super::schema::app as row;
use crate::diagnostics::{suggestion_help, Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Block, Body};
use indexmap::IndexMap;

/// The Docker options of one task, read from `body` (a `task` block, or
/// the app's own body for an app without tasks).
pub struct Docker {
    pub user: Option<String>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub readonly_rootfs: bool,
    pub network_mode: Option<String>,
    pub logging: Option<Logging>,
    pub dir_mounts: Vec<DirMount>,
}

pub fn docker(cx: &mut Cx<'_>, body: &Body) -> Docker {
    let user = cx.string(body, "user").and_then(|(u, span)| {
        if user_ok(&u) {
            return Some(u);
        }
        cx.err(
            Diagnostic::error(Code::E0303, span, format!("`{}` is not a user", u.escape_debug()))
                .label("not `name`, `uid`, `name:group` or `uid:gid`")
                .help("write a user of the image (`\"postgres\"`, `\"root\"`) or ids (`\"1000:1000\"`): letters, digits, `_`, `-`, `.`"),
        );
        None
    });
    let cap_add = caps(cx, body, "cap_add");
    let cap_drop = caps(cx, body, "cap_drop");
    let readonly_rootfs = cx.bool_of(body, &row::READONLY_ROOTFS);
    let network_mode = cx.choice_of(body, &row::NETWORK_MODE).map(|m| m.0);
    let logging = body
        .blocks_of("logging")
        .next()
        .and_then(|l| logging(cx, l));
    if let Some(second) = body.blocks_of("logging").nth(1) {
        cx.err(
            Diagnostic::error(Code::E0205, second.kind.span, "`logging` is set twice")
                .label("second logging block")
                .help("a container has one logging driver: keep one `logging` block"),
        );
    }
    let dir_mounts = body
        .blocks_of("mount")
        .filter_map(|m| dir_mount(cx, m))
        .collect();
    Docker {
        user,
        cap_add,
        cap_drop,
        readonly_rootfs,
        network_mode,
        logging,
        dir_mounts,
    }
}

/// Nomad passes `user` to Docker as the container's user: a name or id,
/// optionally `:group`. Nothing else reaches a sane `--user`.
fn user_ok(u: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && !p.starts_with('-')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    match u.split_once(':') {
        Some((a, b)) => part(a) && part(b),
        None => part(u),
    }
}

/// Capability names as Nomad normalizes them (`capabilities.normalize`:
/// trimmed, any case, `CAP_` optional), kept upper-case without `CAP_`.
fn caps(cx: &mut Cx<'_>, body: &Body, field: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (c, span) in cx.strings(body, field) {
        let Some(name) = nomad_rules::capability(&c) else {
            let lower: Vec<String> = nomad_rules::LINUX_CAPABILITIES
                .iter()
                .map(|c| c.to_string())
                .collect();
            let names: Vec<&str> = lower.iter().map(String::as_str).collect();
            let norm = c.trim().to_ascii_uppercase();
            let norm = norm.strip_prefix("CAP_").unwrap_or(&norm);
            cx.err(
                Diagnostic::error(
                    Code::E0335,
                    span,
                    format!("`{}` is not a Linux capability", c.escape_debug()),
                )
                .label("unknown capability")
                .help(suggestion_help(norm, &names, "capability")),
            );
            continue;
        };
        if field == "cap_add" && !nomad_rules::default_allowed(&name) {
            cx.err(
                Diagnostic::warning(
                    Code::W0512,
                    span,
                    format!("`{name}` is outside the Docker driver's default `allow_caps`"),
                )
                .label("the task fails to start on a default client")
                .help(format!(
                    "Nomad's docker plugin allows only {} unless the client's `plugin \"docker\" {{ config {{ allow_caps = [...] }} }}` lists more, and eosc's cloud-init leaves it at the default: add `{name}` there on the nodes this app runs on, or do without it",
                    nomad_rules::NOMAD_DEFAULT_CAPS.join(", ")
                )),
            );
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn logging(cx: &mut Cx<'_>, l: &Block) -> Option<Logging> {
    if !l.labels.is_empty() {
        cx.err(super::resolve::label_count_error(l, 0));
    }
    check_shape(cx, l, &row::LOGGING);
    cx.absent_of(l, &row::LOG_TYPE);
    let driver = cx.choice_of(&l.body, &row::LOG_TYPE)?.0;
    let mut config = IndexMap::new();
    for (k, (v, _, key_span)) in cx.keyed_string_map(&l.body, "config") {
        if super::lexical::problem(crate::sema::schema::StrClass::Name, &k).is_some() {
            cx.err(
                Diagnostic::error(Code::E0303, key_span, "not a logging option name")
                    .label("not a `--log-opt` key")
                    .help("Docker's log options are names of letters, digits, `_` and `-`: `max-size`, `tag`"),
            );
            continue;
        }
        config.insert(k, v);
    }
    if driver == "none" && !config.is_empty() {
        let span = l.body.attr("config").map(|a| a.span).unwrap_or(l.kind.span);
        cx.err(
            Diagnostic::warning(
                Code::W0508,
                span,
                "options have no effect with the `none` logging driver",
            )
            .label("ignored")
            .help("the `none` driver keeps no logs; remove `config` or choose a driver"),
        );
    }
    Some(Logging { driver, config })
}

/// The task's `vault { role, change_mode }`. `reads_vault`: the task has
/// `secrets` or a template reading a `secret`; `has_secrets`: eosc renders
/// its `secrets` env file, the only render `change_mode` governs.
pub fn vault(
    cx: &mut Cx<'_>,
    body: &Body,
    reads_vault: bool,
    has_secrets: bool,
) -> Option<VaultUse> {
    let mut blocks = body.blocks_of("vault");
    let v = blocks.next()?;
    if let Some(second) = blocks.next() {
        cx.err(
            Diagnostic::error(Code::E0205, second.kind.span, "`vault` is set twice")
                .label("second vault block")
                .help("a task logs in to Vault once: keep one `vault` block"),
        );
    }
    if !v.labels.is_empty() {
        cx.err(super::resolve::label_count_error(v, 0));
    }
    check_shape(cx, v, &row::VAULT);
    let role = cx.string(&v.body, "role").map(|r| r.0);
    let mode = cx.choice_of(&v.body, &row::VAULT_CHANGE_MODE);
    if let Some((m, span)) = &mode {
        if m == "signal" {
            cx.err(
                Diagnostic::error(Code::E0325, *span, "a task's secrets cannot be renewed by a signal")
                    .label("the secrets are environment variables")
                    .help("a new environment needs a new process: keep `change_mode = \"restart\"` (Nomad refuses signals with env templates), or render the secret into a file with a `template` that has `change_mode = \"signal\"`"),
            );
            return None;
        }
    }
    if !reads_vault {
        cx.err(
            Diagnostic::warning(
                Code::W0508,
                v.kind.span,
                "`vault` has no effect: the task reads no secret",
            )
            .label("nothing logs in to Vault")
            .help("give the task `secrets = { NAME = secret.<name> }`, or remove the block"),
        );
    } else if let (Some((_, span)), false) = (&mode, has_secrets) {
        cx.err(
            Diagnostic::warning(Code::W0508, *span, "`change_mode` has no effect: the task has no `secrets`")
                .label("governs the `secrets` env file only")
                .help("each `template` says what a change of its own text does: set `change_mode` there, or remove it here"),
        );
    }
    Some(VaultUse {
        role,
        change_mode: mode.map_or_else(|| "restart".into(), |m| m.0),
    })
}

fn dir_mount(cx: &mut Cx<'_>, m: &Block) -> Option<DirMount> {
    if !m.labels.is_empty() {
        cx.err(super::resolve::label_count_error(m, 0));
    }
    check_shape(cx, m, &row::TASK_DIR_MOUNT);
    let source = cx.req_string(m, "source", row::DIR_SOURCE.example());
    let path = cx.req_string(m, "path", row::DIR_PATH.example());
    let read_only = cx.bool_of(&m.body, &row::DIR_READ_ONLY);
    let (source, sspan) = source?;
    let (path, pspan) = path?;
    let mut ok = true;
    if let Some(why) = nomad_rules::task_dir_problem(&source) {
        cx.err(
            Diagnostic::error(
                Code::E0336,
                sspan,
                format!("`{}` is not a path in the task directory", source.escape_debug()),
            )
            .label(why)
            .help("write a path relative to the task directory, under `local/`, `alloc/` or `secrets/` (`\"local/blueprints\"`); a host path is a `volume` of the app"),
        );
        ok = false;
    }
    ok &= container_path_ok(cx, &path, pspan);
    ok.then_some(DirMount {
        source,
        path,
        read_only,
    })
}

/// A mount target: absolute, without `.` or `..` (Docker resolves them, so
/// the mount lands elsewhere than it reads).
fn container_path_ok(cx: &mut Cx<'_>, path: &str, span: Span) -> bool {
    if !path.starts_with('/') {
        cx.err(
            Diagnostic::error(Code::E0312, span, "a mount path must be absolute")
                .label("relative path")
                .help("write the path inside the container, starting with `/`"),
        );
        return false;
    }
    if path.split('/').any(|c| c == ".." || c == ".") {
        cx.err(
            Diagnostic::error(
                Code::E0312,
                span,
                "a mount path with `.` or `..` components",
            )
            .label("not a plain absolute path")
            .help("write the path as it is, without `.` or `..`"),
        );
        return false;
    }
    true
}

/// Which ports and volumes each task gets, once the app's ports and volumes
/// are known: `ports` and `volume_mount` of every task (E0213, E0333,
/// E0334, E0325), and what no task uses (W0508).
pub fn assign(
    cx: &mut Cx<'_>,
    app_block: &Block,
    app: &str,
    tasks: &mut [Task],
    ports: &IndexMap<String, Port>,
    volumes: &[Volume],
) {
    let single = app_block.body.blocks_of("task").next().is_none();
    let block_of = |t: &str| -> &Block {
        if single {
            return app_block;
        }
        app_block
            .body
            .blocks_of("task")
            .find(|b| b.labels.first().is_some_and(|l| l.name == t))
            .unwrap_or(app_block)
    };
    let port_names: Vec<&str> = ports.keys().map(String::as_str).collect();
    let mut owner: IndexMap<String, (String, Span)> = IndexMap::new();
    for t in tasks.iter_mut() {
        let b = block_of(&t.name);
        if b.body.attr("ports").is_none() {
            continue;
        }
        let mut own = Vec::new();
        for (p, span) in cx.strings(&b.body, "ports") {
            if !ports.contains_key(&p) {
                cx.err(
                    Diagnostic::error(Code::E0213, span, format!("app `{app}` has no port `{p}`"))
                        .label("unknown port")
                        .help(suggestion_help(&p, &port_names, "port")),
                );
                continue;
            }
            if let Some((other, first)) = owner.get(&p) {
                let msg = if *other == t.name {
                    format!("task `{}` lists port `{p}` twice", t.name)
                } else {
                    format!(
                        "port `{p}` is published by tasks `{other}` and `{}`",
                        t.name
                    )
                };
                cx.err(
                    Diagnostic::error(Code::E0334, span, msg)
                        .label("second task for this port")
                        .with_secondary(*first, "first given here")
                        .help("each container binds its own host ports: two tasks publishing one port collide on the node; give the port to one task, or add another `port` block"),
                );
                continue;
            }
            owner.insert(p.clone(), (t.name.clone(), span));
            own.push(p);
        }
        t.ports = Some(own);
    }
    if tasks.iter().any(|t| t.ports.is_some()) {
        for p in ports.keys().filter(|p| !owner.contains_key(*p)) {
            let span = app_block
                .body
                .blocks_of("port")
                .find(|b| b.labels.first().is_some_and(|l| &l.name == p))
                .map_or(app_block.head_span(), |b| b.head_span());
            cx.err(
                Diagnostic::warning(Code::W0508, span, format!("port `{p}` of app `{app}` is published by no task"))
                    .label("no task lists it")
                    .help(format!("once a task lists `ports`, each task publishes only its own: add `\"{p}\"` to the `ports` of the task that listens on it, or remove the port")),
            );
        }
    }
    // Volume mounts.
    let volume_names: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
    let mut mounted: Vec<String> = Vec::new();
    // A mount already reported may be the one meant for an unused volume.
    let mut broken = false;
    for t in tasks.iter_mut() {
        let b = block_of(&t.name);
        if single || b.body.blocks_of("volume_mount").next().is_none() {
            continue;
        }
        let mut own: Vec<VolumeMount> = Vec::new();
        for m in b.body.blocks_of("volume_mount") {
            if m.labels.len() != 1 {
                cx.err(super::resolve::label_count_error(m, 1));
                continue;
            }
            check_shape(cx, m, &row::VOLUME_MOUNT);
            let label = &m.labels[0];
            let Some(v) = volumes.iter().find(|v| v.name == label.name) else {
                cx.err(
                    Diagnostic::error(
                        Code::E0333,
                        label.span,
                        format!("app `{app}` has no volume `{}`", label.name),
                    )
                    .label("unknown volume")
                    .help(suggestion_help(
                        &label.name,
                        &volume_names,
                        "volume",
                    )),
                );
                continue;
            };
            if own.iter().any(|o| o.volume == v.name) {
                cx.err(
                    Diagnostic::error(
                        Code::E0204,
                        label.span,
                        format!("task `{}` mounts volume `{}` twice", t.name, v.name),
                    )
                    .label("second mount")
                    .help("mount each volume once per task"),
                );
                continue;
            }
            let path = match cx.string(&m.body, "path") {
                Some((p, span)) => {
                    if !container_path_ok(cx, &p, span) {
                        continue;
                    }
                    p
                }
                None => v.path.clone(),
            };
            let read_only = match cx.bool(&m.body, "read_only") {
                Some(false) if v.read_only => {
                    let span = m
                        .body
                        .attr("read_only")
                        .map_or(m.head_span(), |a| a.value.span);
                    cx.err(
                        Diagnostic::error(Code::E0325, span, format!("volume `{}` is read-only; task `{}` cannot mount it writable", v.name, t.name))
                            .label("writable mount of a read-only volume")
                            .help("Nomad claims the host volume read-only for the whole group: remove `read_only = false`, or make the volume writable"),
                    );
                    continue;
                }
                Some(ro) => ro,
                None => v.read_only,
            };
            if !mounted.contains(&v.name) {
                mounted.push(v.name.clone());
            }
            own.push(VolumeMount {
                volume: v.name.clone(),
                path,
                read_only,
            });
        }
        broken |= own.len() != b.body.blocks_of("volume_mount").count();
        t.volume_mounts = Some(own);
    }
    if !broken && tasks.iter().any(|t| t.volume_mounts.is_some()) {
        for v in volumes.iter().filter(|v| !mounted.contains(&v.name)) {
            let span = app_block
                .body
                .blocks_of("volume")
                .find(|b| b.labels.first().is_some_and(|l| l.name == v.name))
                .map_or(app_block.head_span(), |b| b.head_span());
            cx.err(
                Diagnostic::warning(Code::W0508, span, format!("volume `{}` of app `{app}` is mounted by no task", v.name))
                    .label("no `volume_mount` names it")
                    .help(format!("once a task has `volume_mount` blocks, each task mounts only those: add `volume_mount \"{}\" {{}}` to the task that needs it, or remove the volume", v.name)),
            );
        }
    }
    host_network(cx, tasks, ports, &block_of);
}

/// Under `network_mode = "host"` Docker discards port mappings ("Published
/// ports are discarded when using host network mode"; Nomad's driver still
/// passes them, drivers/docker/driver.go `createContainerConfig`): the
/// process binds the host port itself, so a `to` other than the static port
/// is never reached. `none` has no network to publish on.
fn host_network<'b>(
    cx: &mut Cx<'_>,
    tasks: &[Task],
    ports: &IndexMap<String, Port>,
    block_of: &dyn Fn(&str) -> &'b Block,
) {
    for (i, t) in tasks.iter().enumerate() {
        let Some(mode) = t.network_mode.as_deref() else {
            continue;
        };
        let b = block_of(&t.name);
        let at = b
            .body
            .attr("network_mode")
            .map_or(b.head_span(), |a| a.value.span);
        for p in super::model::task_ports(tasks, ports, i) {
            let bad = match mode {
                "host" => p.to.is_some() && p.to != p.static_port,
                "none" => true,
                _ => false,
            };
            if !bad {
                continue;
            }
            let msg = if mode == "none" {
                format!(
                    "task `{}` has no network but publishes port `{}`",
                    t.name, p.name
                )
            } else {
                format!(
                    "task `{}` shares the host's network, so port `{}` cannot map to {}",
                    t.name,
                    p.name,
                    p.to.unwrap_or_default()
                )
            };
            cx.err(
                Diagnostic::error(Code::E0325, at, msg)
                    .label(format!("network_mode = \"{mode}\""))
                    .help(if mode == "none" {
                        "remove the port from the task's `ports`, or give the task a network".to_string()
                    } else {
                        format!("with host networking Docker discards port mappings: the process listens on the host port itself; write `port \"{}\" {{ static = {} }}` (no `to`), or a dynamic port without `to` read from `NOMAD_PORT_{}`", p.name, p.to.unwrap_or_default(), p.name)
                    }),
            );
        }
    }
}
