//! A structural check of Nomad job specifications, written from the Nomad
//! jobspec documentation (developer.hashicorp.com/nomad/docs/job-specification,
//! and the Docker task driver page for `config`). No Nomad binary can be
//! installed here, so this stands in for `nomad job validate`'s shape
//! checks: at every level only documented blocks and attributes, required
//! ones present, labels where Nomad wants them, single blocks not repeated.
//!
//! It reads the JSON that HashiCorp's HCL parser (hcl2json) makes of a job
//! file: a block is an array of bodies (nested one object per label), an
//! attribute is any other value.

use serde_json::Value;

/// How a block's body is checked.
#[derive(Clone, Copy)]
pub enum Body {
    /// Documented attributes and nested blocks.
    Spec(&'static Spec),
    /// Free-form `key = value` pairs (meta, env, labels): block or map attribute.
    Map,
    /// Documented block we never emit; its contents are not checked.
    Opaque,
}

pub struct Spec {
    pub attrs: &'static [&'static str],
    /// Attributes the documentation marks `<required>`.
    pub required: &'static [&'static str],
    pub blocks: &'static [Child],
    /// Blocks the documentation requires at least one of.
    pub required_blocks: &'static [&'static str],
}

pub struct Child {
    pub name: &'static str,
    pub labels: usize,
    pub repeat: bool,
    pub body: Body,
}

const fn child(name: &'static str, labels: usize, repeat: bool, body: Body) -> Child {
    Child {
        name,
        labels,
        repeat,
        body,
    }
}

pub static JOB: Spec = Spec {
    attrs: &[
        "all_at_once",
        "datacenters",
        "name",
        "namespace",
        "node_pool",
        "priority",
        "region",
        "type",
        "vault_token",
        "consul_token",
    ],
    required: &[],
    blocks: &[
        child("group", 1, true, Body::Spec(&GROUP)),
        child("constraint", 0, true, Body::Spec(&CONSTRAINT)),
        child("affinity", 0, true, Body::Spec(&AFFINITY)),
        child("spread", 0, true, Body::Spec(&SPREAD)),
        child("meta", 0, false, Body::Map),
        child("migrate", 0, false, Body::Spec(&MIGRATE)),
        child("multiregion", 0, false, Body::Opaque),
        child("parameterized", 0, false, Body::Opaque),
        child("periodic", 0, false, Body::Spec(&PERIODIC)),
        child("reschedule", 0, false, Body::Spec(&RESCHEDULE)),
        child("ui", 0, false, Body::Opaque),
        child("update", 0, false, Body::Spec(&UPDATE)),
        child("vault", 0, false, Body::Spec(&VAULT)),
    ],
    required_blocks: &["group"],
};

pub static GROUP: Spec = Spec {
    attrs: &[
        "count",
        "shutdown_delay",
        "stop_after_client_disconnect",
        "max_client_disconnect",
        "prevent_reschedule_on_lost",
    ],
    required: &[],
    blocks: &[
        child("task", 1, true, Body::Spec(&TASK)),
        child("constraint", 0, true, Body::Spec(&CONSTRAINT)),
        child("affinity", 0, true, Body::Spec(&AFFINITY)),
        child("spread", 0, true, Body::Spec(&SPREAD)),
        child("consul", 0, false, Body::Opaque),
        child("disconnect", 0, false, Body::Opaque),
        child("ephemeral_disk", 0, false, Body::Spec(&EPHEMERAL_DISK)),
        child("meta", 0, false, Body::Map),
        child("migrate", 0, false, Body::Spec(&MIGRATE)),
        child("network", 0, false, Body::Spec(&NETWORK)),
        child("reschedule", 0, false, Body::Spec(&RESCHEDULE)),
        child("restart", 0, false, Body::Spec(&RESTART)),
        child("scaling", 0, false, Body::Opaque),
        child("service", 0, true, Body::Spec(&SERVICE)),
        child("update", 0, false, Body::Spec(&UPDATE)),
        child("vault", 0, false, Body::Spec(&VAULT)),
        child("volume", 1, true, Body::Spec(&VOLUME)),
    ],
    required_blocks: &["task"],
};

pub static TASK: Spec = Spec {
    attrs: &[
        "driver",
        "kill_signal",
        "kill_timeout",
        "kind",
        "leader",
        "shutdown_delay",
        "user",
    ],
    required: &["driver"],
    blocks: &[
        child("config", 0, false, Body::Spec(&DOCKER_CONFIG)),
        child("action", 1, true, Body::Opaque),
        child("affinity", 0, true, Body::Spec(&AFFINITY)),
        child("artifact", 0, true, Body::Opaque),
        child("constraint", 0, true, Body::Spec(&CONSTRAINT)),
        child("consul", 0, false, Body::Opaque),
        child("dispatch_payload", 0, false, Body::Opaque),
        child("env", 0, false, Body::Map),
        child("identity", 0, true, Body::Opaque),
        child("lifecycle", 0, false, Body::Opaque),
        child("logs", 0, false, Body::Opaque),
        child("meta", 0, false, Body::Map),
        child("resources", 0, false, Body::Spec(&RESOURCES)),
        child("restart", 0, false, Body::Spec(&RESTART)),
        child("service", 0, true, Body::Spec(&SERVICE)),
        child("template", 0, true, Body::Spec(&TEMPLATE)),
        child("vault", 0, false, Body::Spec(&VAULT)),
        child("volume_mount", 0, true, Body::Spec(&VOLUME_MOUNT)),
    ],
    required_blocks: &[],
};

/// The Docker driver's task configuration; only `image` is required.
pub static DOCKER_CONFIG: Spec = Spec {
    attrs: &[
        "image",
        "image_pull_timeout",
        "args",
        "auth_soft_fail",
        "command",
        "cgroupns",
        "container_exists_attempts",
        "cpuset_cpus",
        "cpu_hard_limit",
        "cpu_cfs_period",
        "dns_search_domains",
        "dns_options",
        "dns_servers",
        "entrypoint",
        "extra_hosts",
        "force_pull",
        "group_add",
        "hostname",
        "init",
        "interactive",
        "isolation",
        "ipc_mode",
        "ipv4_address",
        "ipv6_address",
        "advertise_ipv6_address",
        "load",
        "mac_address",
        "memory_hard_limit",
        "network_aliases",
        "network_mode",
        "oom_score_adj",
        "pid_mode",
        "pids_limit",
        "ports",
        "privileged",
        "readonly_rootfs",
        "runtime",
        "security_opt",
        "shm_size",
        "storage_opt",
        "tty",
        "uts_mode",
        "userns_mode",
        "volumes",
        "volume_driver",
        "work_dir",
        "cap_add",
        "cap_drop",
        "healthchecks",
    ],
    required: &["image"],
    blocks: &[
        child("auth", 0, false, Body::Opaque),
        child("labels", 0, false, Body::Map),
        child("logging", 0, false, Body::Spec(&DOCKER_LOGGING)),
        child("mount", 0, true, Body::Spec(&DOCKER_MOUNT)),
        child("devices", 0, true, Body::Opaque),
        child("ulimit", 0, false, Body::Map),
        child("sysctl", 0, false, Body::Map),
    ],
    required_blocks: &[],
};

/// The Docker driver's `logging` block (drivers/docker/config.go
/// `taskConfigSpec`: `type`, `driver`, `config` as key = value pairs).
pub static DOCKER_LOGGING: Spec = Spec {
    attrs: &["type", "driver"],
    required: &[],
    blocks: &[child("config", 0, false, Body::Map)],
    required_blocks: &[],
};

/// The Docker driver's `mount` block (`mountBodySpec`).
pub static DOCKER_MOUNT: Spec = Spec {
    attrs: &["type", "target", "source", "readonly"],
    required: &[],
    blocks: &[
        child("bind_options", 0, false, Body::Opaque),
        child("tmpfs_options", 0, false, Body::Opaque),
        child("volume_options", 0, false, Body::Opaque),
    ],
    required_blocks: &[],
};

pub static CONSTRAINT: Spec = Spec {
    attrs: &["attribute", "operator", "value"],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

/// `affinity`, `spread` (with `target "<value>"`), `reschedule` and
/// `migrate`, from the jobspec pages of those blocks (the `api` structs'
/// hcl tags agree: `Affinity`, `Spread`, `SpreadTarget`,
/// `ReschedulePolicy`, `MigrateStrategy`). Affinity's operator shorthands
/// (`regexp = "…"`, `version = "…"`) are attributes too.
pub static AFFINITY: Spec = Spec {
    attrs: &[
        "attribute",
        "operator",
        "value",
        "weight",
        "version",
        "semver",
        "regexp",
        "set_contains",
        "set_contains_all",
        "set_contains_any",
    ],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static SPREAD: Spec = Spec {
    attrs: &["attribute", "weight"],
    required: &["attribute"],
    blocks: &[child("target", 1, true, Body::Spec(&SPREAD_TARGET))],
    required_blocks: &[],
};

pub static SPREAD_TARGET: Spec = Spec {
    attrs: &["percent"],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static RESCHEDULE: Spec = Spec {
    attrs: &[
        "attempts",
        "interval",
        "delay",
        "delay_function",
        "max_delay",
        "unlimited",
    ],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static MIGRATE: Spec = Spec {
    attrs: &[
        "max_parallel",
        "health_check",
        "min_healthy_time",
        "healthy_deadline",
    ],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static PERIODIC: Spec = Spec {
    attrs: &["cron", "crons", "enabled", "prohibit_overlap", "time_zone"],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static UPDATE: Spec = Spec {
    attrs: &[
        "max_parallel",
        "health_check",
        "min_healthy_time",
        "healthy_deadline",
        "progress_deadline",
        "auto_revert",
        "auto_promote",
        "canary",
        "stagger",
    ],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static VAULT: Spec = Spec {
    attrs: &[
        "allow_token_expiration",
        "change_mode",
        "change_signal",
        "cluster",
        "env",
        "disable_file",
        "namespace",
        "role",
        "policies",
    ],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static EPHEMERAL_DISK: Spec = Spec {
    attrs: &["migrate", "size", "sticky"],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static NETWORK: Spec = Spec {
    attrs: &["mode", "hostname"],
    required: &[],
    blocks: &[
        child("port", 1, true, Body::Spec(&PORT)),
        child("dns", 0, false, Body::Opaque),
        child("cni", 0, false, Body::Opaque),
    ],
    required_blocks: &[],
};

pub static PORT: Spec = Spec {
    attrs: &["static", "to", "host_network", "ignore_collision"],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static RESTART: Spec = Spec {
    attrs: &["attempts", "delay", "interval", "mode", "render_templates"],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static SERVICE: Spec = Spec {
    attrs: &[
        "provider",
        "cluster",
        "name",
        "port",
        "tags",
        "canary_tags",
        "enable_tag_override",
        "address",
        "address_mode",
        "task",
        "on_update",
        "kind",
    ],
    required: &[],
    blocks: &[
        child("check", 0, true, Body::Spec(&CHECK)),
        child("check_restart", 0, false, Body::Spec(&CHECK_RESTART)),
        child("connect", 0, false, Body::Opaque),
        child("identity", 0, false, Body::Opaque),
        child("meta", 0, false, Body::Map),
        child("canary_meta", 0, false, Body::Map),
        child("tagged_addresses", 0, false, Body::Map),
        child("weights", 0, false, Body::Opaque),
    ],
    required_blocks: &[],
};

pub static CHECK: Spec = Spec {
    attrs: &[
        "address_mode",
        "args",
        "command",
        "grpc_service",
        "grpc_use_tls",
        "initial_status",
        "success_before_passing",
        "failures_before_critical",
        "failures_before_warning",
        "interval",
        "method",
        "body",
        "name",
        "path",
        "expose",
        "port",
        "protocol",
        "task",
        "timeout",
        "type",
        "tls_server_name",
        "tls_skip_verify",
        "on_update",
        "notes",
    ],
    required: &["type", "interval", "timeout"],
    blocks: &[
        child("check_restart", 0, false, Body::Spec(&CHECK_RESTART)),
        child("header", 0, false, Body::Map),
    ],
    required_blocks: &[],
};

pub static CHECK_RESTART: Spec = Spec {
    attrs: &["limit", "grace", "ignore_warnings"],
    required: &[],
    blocks: &[],
    required_blocks: &[],
};

pub static VOLUME: Spec = Spec {
    attrs: &[
        "type",
        "source",
        "read_only",
        "sticky",
        "access_mode",
        "attachment_mode",
        "per_alloc",
    ],
    required: &["source"],
    blocks: &[child("mount_options", 0, false, Body::Opaque)],
    required_blocks: &[],
};

pub static VOLUME_MOUNT: Spec = Spec {
    attrs: &[
        "volume",
        "destination",
        "read_only",
        "propagation_mode",
        "selinux_label",
    ],
    required: &["volume", "destination"],
    blocks: &[],
    required_blocks: &[],
};

pub static TEMPLATE: Spec = Spec {
    attrs: &[
        "change_mode",
        "change_signal",
        "data",
        "destination",
        "env",
        "error_on_missing_key",
        "left_delimiter",
        "perms",
        "uid",
        "gid",
        "right_delimiter",
        "source",
        "splay",
        "vault_grace",
        "once",
    ],
    required: &["destination"],
    blocks: &[
        child("change_script", 0, false, Body::Opaque),
        child("wait", 0, false, Body::Opaque),
    ],
    required_blocks: &[],
};

pub static RESOURCES: Spec = Spec {
    attrs: &["cpu", "cores", "memory", "memory_max", "secrets"],
    required: &[],
    blocks: &[
        child("device", 1, true, Body::Opaque),
        child("numa", 0, false, Body::Opaque),
    ],
    required_blocks: &[],
};

/// Every structural problem of a job file (hcl2json output), with its path.
pub fn check(file: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(top) = file.as_object() else {
        return vec!["the file is not an HCL body".into()];
    };
    for key in top.keys() {
        if key != "job" {
            errors.push(format!(
                "unknown top-level item `{key}` (a job file holds one `job` block)"
            ));
        }
    }
    let jobs = match top.get("job") {
        Some(v) => labeled_bodies("job", v, 1, &mut errors),
        None => {
            errors.push("no `job` block".into());
            vec![]
        }
    };
    if jobs.len() > 1 {
        errors.push("more than one `job` block".into());
    }
    for (path, body) in jobs {
        check_body(&path, body, &JOB, &mut errors);
    }
    extra_rules(file, &mut errors);
    errors
}

fn check_body(path: &str, body: &Value, spec: &Spec, errors: &mut Vec<String>) {
    let Some(obj) = body.as_object() else {
        errors.push(format!("{path}: expected a block body"));
        return;
    };
    for (key, value) in obj {
        if let Some(c) = spec.blocks.iter().find(|c| c.name == key) {
            if matches!(c.body, Body::Map) && value.is_object() {
                continue; // `env = { ... }` map form
            }
            let bodies = labeled_bodies(&format!("{path}.{key}"), value, c.labels, errors);
            if !c.repeat && bodies.len() > 1 {
                errors.push(format!("{path}: `{key}` may appear only once"));
            }
            for (p, b) in bodies {
                match c.body {
                    Body::Spec(s) => check_body(&p, b, s, errors),
                    Body::Map => {
                        if !b.is_object() {
                            errors.push(format!("{p}: expected key = value pairs"));
                        }
                    }
                    Body::Opaque => {}
                }
            }
        } else if !spec.attrs.contains(&key.as_str()) {
            errors.push(format!("{path}: unknown attribute or block `{key}`"));
        } else if is_block_shaped(value) {
            errors.push(format!(
                "{path}: `{key}` is an attribute, written as a block"
            ));
        }
    }
    for r in spec.required {
        if !obj.contains_key(*r) {
            errors.push(format!("{path}: missing required attribute `{r}`"));
        }
    }
    for r in spec.required_blocks {
        if !obj.contains_key(*r) {
            errors.push(format!("{path}: needs at least one `{r}` block"));
        }
    }
}

/// The bodies of a block kind, with one path segment per label.
fn labeled_bodies<'v>(
    path: &str,
    value: &'v Value,
    labels: usize,
    errors: &mut Vec<String>,
) -> Vec<(String, &'v Value)> {
    if labels == 0 {
        return match value.as_array() {
            Some(items) if items.iter().all(Value::is_object) => {
                items.iter().map(|b| (path.to_string(), b)).collect()
            }
            _ => {
                errors.push(format!("{path}: expected a block without labels"));
                vec![]
            }
        };
    }
    match value.as_object() {
        Some(by_label) if !by_label.is_empty() => by_label
            .iter()
            .flat_map(|(label, inner)| {
                labeled_bodies(&format!("{path}[{label:?}]"), inner, labels - 1, errors)
            })
            .collect(),
        _ => {
            errors.push(format!("{path}: expected a block with {labels} label(s)"));
            vec![]
        }
    }
}

fn is_block_shaped(v: &Value) -> bool {
    matches!(v, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object))
}

/// Rules the documentation states per check type and job type.
fn extra_rules(file: &Value, errors: &mut Vec<String>) {
    let Some(jobs) = file.get("job").and_then(Value::as_object) else {
        return;
    };
    for (name, bodies) in jobs {
        for job in bodies.as_array().into_iter().flatten() {
            let job_type = job.get("type").and_then(Value::as_str).unwrap_or("service");
            if job.get("periodic").is_some() && !matches!(job_type, "batch" | "sysbatch") {
                errors.push(format!(
                    "job[{name:?}]: periodic needs type batch or sysbatch"
                ));
            }
            for periodic in job
                .get("periodic")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if periodic.get("cron").is_some() == periodic.get("crons").is_some() {
                    errors.push(format!(
                        "job[{name:?}].periodic: set exactly one of cron, crons"
                    ));
                }
            }
            for_each_mount(job, &mut |m| {
                match m.get("type").and_then(Value::as_str).unwrap_or("volume") {
                    "bind" | "volume" | "tmpfs" => {}
                    other => errors.push(format!(
                        "job[{name:?}]: invalid mount type, must be \"bind\", \"volume\", \"tmpfs\": {other:?}"
                    )),
                }
                if m.get("target").is_none() {
                    errors.push(format!("job[{name:?}]: a docker mount without target"));
                }
            });
            for_each_check(
                job,
                &mut |check| match check.get("type").and_then(Value::as_str) {
                    Some("http") if check.get("path").is_none() => {
                        errors.push(format!("job[{name:?}]: http check without path"))
                    }
                    Some("script") if check.get("command").is_none() => {
                        errors.push(format!("job[{name:?}]: script check without command"))
                    }
                    Some("http" | "tcp" | "script" | "grpc") => {}
                    other => errors.push(format!("job[{name:?}]: unknown check type {other:?}")),
                },
            );
        }
    }
}

/// Every docker `mount` block (inside a task's `config`).
fn for_each_mount(job: &Value, f: &mut dyn FnMut(&Value)) {
    let all = |v: &Value, k: &str| -> Vec<Value> {
        match v.get(k) {
            Some(Value::Array(items)) => items.clone(),
            Some(Value::Object(by_label)) => by_label
                .values()
                .flat_map(|b| b.as_array().cloned().unwrap_or_default())
                .collect(),
            _ => Vec::new(),
        }
    };
    for g in all(job, "group") {
        for t in all(&g, "task") {
            for c in all(&t, "config") {
                for m in all(&c, "mount") {
                    f(&m);
                }
            }
        }
    }
}

fn for_each_check(v: &Value, f: &mut dyn FnMut(&Value)) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                if k == "check" {
                    for c in child.as_array().into_iter().flatten() {
                        f(c);
                    }
                } else {
                    for_each_check(child, f);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| for_each_check(i, f)),
        _ => {}
    }
}
