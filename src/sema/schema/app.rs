//! `app "name" { … }`: a Nomad job, its tasks, ports, checks and volumes.

use super::*;

pub const TYPE: Attr = attr(
    "type",
    Ty::Choice(&["service", "batch", "system"]),
    Dflt::Str("service"),
    "",
);
pub const SCHEDULE: Attr = attr(
    "schedule",
    Ty::Str(StrClass::Cron),
    Dflt::None,
    "batch apps only; five cron fields, no `\"` `{` `$` or newline ([E0319](errors.md#e0319-invalid-schedule))",
);
pub const COUNT: Attr = attr(
    "count",
    Ty::Int {
        min: 0,
        max: 1000,
        unit: "",
    },
    Dflt::Int(1),
    "",
);
pub const RUNS_ON: Attr = attr(
    "runs_on",
    Ty::Ref(&["server"]),
    Dflt::None,
    "constrains the job to the server's node class",
);
pub const ROLLOUT: Attr = attr("rollout", Ty::Ref(&["rollout"]), Dflt::None, "");
pub const SERVICE: Attr = attr(
    "service",
    Ty::Str(StrClass::DnsLabel),
    Dflt::Said("the app's name"),
    "Consul service name; same rules as names ([E0317](errors.md#e0317-invalid-name))",
);
pub const DEPENDS_ON: Attr = attr(
    "depends_on",
    Ty::List(&Ty::Ref(&["app"])),
    Dflt::Empty,
    "deployment order (§8)",
);
pub const EPHEMERAL_DISK: Attr = attr(
    "ephemeral_disk",
    Ty::Size { nonzero: false },
    Dflt::None,
    "in MiB, rounded up",
);

pub const EPHEMERAL_DISK_STICKY: Attr = attr(
    "ephemeral_disk_sticky",
    Ty::Bool,
    Dflt::Bool(false),
    "Nomad `ephemeral_disk.sticky`: a replacement allocation goes to the same node and keeps the `alloc/` directory",
);
pub const EPHEMERAL_DISK_MIGRATE: Attr = attr(
    "ephemeral_disk_migrate",
    Ty::Bool,
    Dflt::Bool(false),
    "Nomad `ephemeral_disk.migrate`: when the replacement lands on another node, Nomad copies the `alloc/` directory over (best effort); implies `ephemeral_disk_sticky` (Nomad enables it with `migrate`; eosc writes both, which older clients need)",
);
pub const TIME_ZONE: Attr = attr(
    "time_zone",
    Ty::Str(StrClass::ProviderId),
    Dflt::Said("UTC"),
    "with `schedule` only ([W0508](errors.md#w0508-setting-has-no-effect) elsewhere): the IANA zone the cron fields are read in (`\"Australia/Perth\"`; [E0331](errors.md#e0331-unknown-time-zone))",
);
pub const PROHIBIT_OVERLAP: Attr = attr(
    "prohibit_overlap",
    Ty::Bool,
    Dflt::Bool(true),
    "with `schedule` only: skip a run while the previous one is still running",
);
pub const JOB_META: Attr = attr(
    "job_meta",
    Ty::Map {
        key: StrClass::Name,
        value: &Ty::Scalar(StrClass::FreeText),
    },
    Dflt::Empty,
    "the Nomad job's `meta`, beside eosc's `eosc_version`, `spec_hash` and `version` (those three keys are eosc's: [E0341](errors.md#e0341-reserved-service-tag-or-meta-key))",
);

pub const TAGS: Attr = attr(
    "tags",
    Ty::List(&Ty::Str(StrClass::DnsLabel)),
    Dflt::Empty,
    "Consul tags on each of the app's services; DNS labels, so `<tag>.<service>.service.consul` finds them; `stable` and `canary` are eosc's ([E0341](errors.md#e0341-reserved-service-tag-or-meta-key))",
);
pub const META: Attr = attr(
    "meta",
    Ty::Map {
        key: StrClass::Name,
        value: &Ty::Scalar(StrClass::FreeText),
    },
    Dflt::Empty,
    "Consul service meta on each of the app's services; at most 64 keys, none starting `consul-`, values up to 512 bytes ([E0341](errors.md#e0341-reserved-service-tag-or-meta-key))",
);

pub static APP: Schema = Schema {
    kind: "app",
    what: "an app",
    label: Label::One(StrClass::Name),
    attrs: &[
        TYPE,
        SCHEDULE,
        COUNT,
        RUNS_ON,
        ROLLOUT,
        SERVICE,
        DEPENDS_ON,
        EPHEMERAL_DISK,
        EPHEMERAL_DISK_STICKY,
        EPHEMERAL_DISK_MIGRATE,
        TIME_ZONE,
        PROHIBIT_OVERLAP,
        JOB_META,
        TAGS,
        META,
    ],
    inherits: Some(&TASK),
    blocks: &[
        &PORT,
        &RESOURCES,
        &HEALTH,
        &VOLUME,
        &TASK,
        &TASK_DIR_MOUNT,
        &LOGGING,
        &super::placement::CONSTRAINT,
        &super::placement::AFFINITY,
        &super::placement::SPREAD,
        &super::placement::RESTART,
        &super::placement::RESCHEDULE,
        &super::placement::MIGRATE,
        &TEMPLATE,
        &VAULT,
    ],
};

pub const IMAGE: Attr = attr(
    "image",
    Ty::Str(StrClass::ImageRef),
    Dflt::Req("\"registry/app:1.2.3\""),
    "an image without a tag, or tagged `latest`, is [W0502](errors.md#w0502-unpinned-image) (a digest `@sha256:…` is pinned)",
);
pub const COMMAND: Attr = attr(
    "command",
    Ty::Str(StrClass::Argv),
    Dflt::Said("image default"),
    "",
);
pub const ARGS: Attr = attr("args", ARGV, Dflt::Empty, "");
pub const ENV: Attr = attr(
    "env",
    Ty::Map {
        key: StrClass::EnvVarName,
        value: &Ty::Scalar(StrClass::FreeText),
    },
    Dflt::Empty,
    "keys are environment variable names `[A-Za-z_][A-Za-z0-9_]*` ([E0324](errors.md#e0324-not-an-environment-variable-name)); values become strings; literal secrets are rejected (§9)",
);
pub const SECRETS: Attr = attr(
    "secrets",
    Ty::Map {
        key: StrClass::EnvVarName,
        value: &Ty::Ref(&["secret"]),
    },
    Dflt::Empty,
    "env var name → secret; rendered from Vault at run time",
);

pub const TASK_PORTS: Attr = attr(
    "ports",
    Ty::List(&Ty::Str(StrClass::Name)),
    Dflt::Said("every port, into the first task"),
    "the app's ports this task's container publishes (docker `ports`); once any task lists ports, each task gets only its own; a port in two tasks is [E0334](errors.md#e0334-port-published-by-two-tasks); unknown [E0213](errors.md#e0213-unknown-port)",
);
pub const USER: Attr = attr(
    "user",
    Ty::Str(StrClass::ProviderId),
    Dflt::Said("the image's user"),
    "Nomad's task `user`: `name`, `uid`, `name:group` or `uid:gid` (letters, digits, `_`, `-`, `.`) ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);
pub const CAP_ADD: Attr = attr(
    "cap_add",
    Ty::List(&Ty::Str(StrClass::Name)),
    Dflt::Empty,
    "Linux capabilities (`NET_BIND_SERVICE`, any case, `CAP_` optional; unknown [E0335](errors.md#e0335-unknown-linux-capability)); one outside the Docker driver's default `allow_caps` is [W0512](errors.md#w0512-capability-outside-the-docker-drivers-default-allow-list)",
);
pub const CAP_DROP: Attr = attr(
    "cap_drop",
    Ty::List(&Ty::Str(StrClass::Name)),
    Dflt::Empty,
    "Linux capabilities to drop, or `ALL`",
);
pub const READONLY_ROOTFS: Attr = attr(
    "readonly_rootfs",
    Ty::Bool,
    Dflt::Bool(false),
    "the container's root filesystem read-only (volumes and task directories stay as mounted)",
);
pub const NETWORK_MODE: Attr = attr(
    "network_mode",
    Ty::Choice(&["bridge", "host", "none"]),
    Dflt::Said("Docker's bridge"),
    "`host` shares the node's network: Docker discards port mappings, so a port of the task with `to` other than its `static` is [E0325](errors.md#e0325-contradictory-settings)",
);

pub static TASK: Schema = Schema {
    kind: "task",
    what: "a task",
    label: Label::One(StrClass::Name),
    attrs: &[
        IMAGE,
        COMMAND,
        ARGS,
        ENV,
        SECRETS,
        TASK_PORTS,
        USER,
        CAP_ADD,
        CAP_DROP,
        READONLY_ROOTFS,
        NETWORK_MODE,
    ],
    inherits: None,
    blocks: &[
        &RESOURCES,
        &VOLUME_MOUNT,
        &TASK_DIR_MOUNT,
        &LOGGING,
        &TEMPLATE,
        &VAULT,
    ],
};

pub const MOUNT_PATH: Attr = attr(
    "path",
    Ty::Str(StrClass::FilePath),
    Dflt::Said("the volume's `path`"),
    "where the volume lands in this task's container; absolute ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);
pub const MOUNT_READ_ONLY: Attr = attr(
    "read_only",
    Ty::Bool,
    Dflt::Said("the volume's `read_only`"),
    "a read-only volume cannot be mounted writable ([E0325](errors.md#e0325-contradictory-settings))",
);

/// `volume_mount "<volume>" { … }`: which of the app's volumes a task mounts.
pub static VOLUME_MOUNT: Schema = Schema {
    kind: "volume_mount",
    what: "a volume mount",
    label: Label::One(StrClass::Name),
    attrs: &[MOUNT_PATH, MOUNT_READ_ONLY],
    inherits: None,
    blocks: &[],
};

pub const DIR_SOURCE: Attr = attr(
    "source",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"local/config\""),
    "relative to the task directory, under `local/`, `alloc/` or `secrets/`; components of letters, digits, `.`, `_`, `-`, no `.` or `..` ([E0336](errors.md#e0336-invalid-task-directory-path))",
);
pub const DIR_PATH: Attr = attr(
    "path",
    Ty::Str(StrClass::FilePath),
    Dflt::Req("\"/etc/app\""),
    "absolute path in the container",
);
pub const DIR_READ_ONLY: Attr = attr("read_only", Ty::Bool, Dflt::Bool(false), "");

/// `mount { source = "local/x", path = "/y" }`: a directory of the task's
/// own allocation bound into the container (docker `mount`, type `bind`).
pub static TASK_DIR_MOUNT: Schema = Schema {
    kind: "mount",
    what: "a task directory mount",
    label: Label::None,
    attrs: &[DIR_SOURCE, DIR_PATH, DIR_READ_ONLY],
    inherits: None,
    blocks: &[],
};

pub const TPL_DATA: Attr = attr(
    "data",
    Ty::Str(StrClass::FreeText),
    Dflt::Said("one of `data` or `source`"),
    "the template text (Go `text/template`, as consul-template renders it), byte for byte; actions must be balanced ([E0337](errors.md#e0337-malformed-go-template)), `secret` paths those of declared secrets ([E0338](errors.md#e0338-template-reads-an-undeclared-secret))",
);
pub const TPL_SOURCE: Attr = attr(
    "source",
    Ty::Str(StrClass::ProviderId),
    Dflt::Said("one of `data` or `source`"),
    "a file relative to the spec file, inside the project, read by eosc and written into the job as `data` ([E0339](errors.md#e0339-template-needs-one-text))",
);
pub const TPL_CHANGE_MODE: Attr = attr(
    "change_mode",
    Ty::Choice(&["restart", "signal", "noop"]),
    Dflt::Str("restart"),
    "what Nomad does when the rendered text changes",
);
pub const TPL_CHANGE_SIGNAL: Attr = attr(
    "change_signal",
    Ty::Str(StrClass::Name),
    Dflt::Said("required with `signal`"),
    "a signal name (`SIGHUP`, any case) ([E0340](errors.md#e0340-invalid-template-change-signal)); ignored without `change_mode = \"signal\"` ([W0508](errors.md#w0508-setting-has-no-effect))",
);
pub const TPL_SPLAY: Attr = attr(
    "splay",
    Ty::Duration,
    Dflt::Dur(5_000),
    "a random wait up to this long before the change is applied",
);
pub const TPL_ENV: Attr = attr(
    "env",
    Ty::Bool,
    Dflt::Bool(false),
    "the rendered lines are `NAME=value` environment variables of the task ([E0345](errors.md#e0345-environment-template-line-is-not-namevalue)); Consul KV values as env: `ANALYTICS_ID={{ key \"helen/config/analytics_id\" }}`",
);
pub const TPL_PERMS: Attr = attr(
    "perms",
    Ty::Str(StrClass::ProviderId),
    Dflt::Str("0644"),
    "the file's mode, octal, at most `7777` ([E0342](errors.md#e0342-invalid-template-permissions))",
);
pub const TPL_LEFT: Attr = attr(
    "left_delimiter",
    Ty::Str(StrClass::ProviderId),
    Dflt::Str("{{"),
    "the action delimiters, for text full of `{{` ([E0343](errors.md#e0343-invalid-template-delimiters))",
);
pub const TPL_RIGHT: Attr = attr(
    "right_delimiter",
    Ty::Str(StrClass::ProviderId),
    Dflt::Str("}}"),
    "",
);

/// `template "local/app.conf" { data = <<EOT … EOT }`: a file (or env
/// lines) Nomad renders into the task directory from Vault and Consul.
pub static TEMPLATE: Schema = Schema {
    kind: "template",
    what: "a template",
    label: Label::One(StrClass::ProviderId),
    attrs: &[
        TPL_DATA,
        TPL_SOURCE,
        TPL_CHANGE_MODE,
        TPL_CHANGE_SIGNAL,
        TPL_SPLAY,
        TPL_ENV,
        TPL_PERMS,
        TPL_LEFT,
        TPL_RIGHT,
    ],
    inherits: None,
    blocks: &[],
};

pub const VAULT_ROLE: Attr = attr(
    "role",
    Ty::Str(StrClass::Name),
    Dflt::Said("the Nomad agent's `create_from_role`"),
    "Nomad `vault.role`: the Vault JWT auth role the task's workload identity logs in with, so its token carries that role's policies",
);
pub const VAULT_CHANGE_MODE: Attr = attr(
    "change_mode",
    Ty::Choice(&["restart", "signal", "noop"]),
    Dflt::Str("restart"),
    "what Nomad does when a value of the task's `secrets` changes in Vault (the change mode of eosc's `secrets/<task>.env` template); `signal` is [E0325](errors.md#e0325-contradictory-settings): the secrets are environment variables, which only a restart renews",
);
/// `vault { role = "helen" }`: how the task reaches Vault for its
/// `secrets`. Nomad logs in with the task's workload identity; the token
/// stays with the template runner (the container gets no `VAULT_TOKEN`).
pub static VAULT: Schema = Schema {
    kind: "vault",
    what: "a vault block",
    label: Label::None,
    attrs: &[VAULT_ROLE, VAULT_CHANGE_MODE],
    inherits: None,
    blocks: &[],
};

pub const LOG_TYPE: Attr = attr(
    "type",
    Ty::Choice(&[
        "json-file",
        "local",
        "journald",
        "syslog",
        "gelf",
        "fluentd",
        "awslogs",
        "splunk",
        "gcplogs",
        "none",
    ]),
    Dflt::Req("\"journald\""),
    "one of Docker's built-in logging drivers on Linux (`--log-driver`); logging plugins are not supported",
);
pub const LOG_CONFIG: Attr = attr(
    "config",
    Ty::Map {
        key: StrClass::Name,
        value: &Ty::Scalar(StrClass::FreeText),
    },
    Dflt::Empty,
    "the driver's `--log-opt` options (`max-size = \"10m\"`, `tag = \"authentik\"`)",
);

/// `logging { type = "journald" }`: the Docker logging driver of a task.
pub static LOGGING: Schema = Schema {
    kind: "logging",
    what: "a logging block",
    label: Label::None,
    attrs: &[LOG_TYPE, LOG_CONFIG],
    inherits: None,
    blocks: &[],
};

pub const CPU: Attr = attr(
    "cpu",
    Ty::Int {
        min: 1,
        max: 1_000_000,
        unit: " (MHz)",
    },
    Dflt::Int(100),
    "",
);
pub const MEMORY: Attr = attr(
    "memory",
    Ty::Size { nonzero: true },
    Dflt::Size(300 << 20),
    "Nomad MB = MiB, rounded up",
);
pub const MEMORY_MAX: Attr = attr(
    "memory_max",
    Ty::Size { nonzero: true },
    Dflt::None,
    "≥ `memory` ([E0305](errors.md#e0305-memory_max-below-memory))",
);

pub static RESOURCES: Schema = Schema {
    kind: "resources",
    what: "resources",
    label: Label::None,
    attrs: &[CPU, MEMORY, MEMORY_MAX],
    inherits: None,
    blocks: &[],
};

pub const PORT_TO: Attr = attr("to", Ty::Port, Dflt::None, "container port");
pub const PORT_STATIC: Attr = attr(
    "static",
    Ty::PortOrRange,
    Dflt::Said("dynamic"),
    "host port; two apps on one node class cannot share it ([E0403](errors.md#e0403-static-port-used-twice-on-a-node-class))",
);

pub const PORT_PROTOCOL: Attr = attr(
    "protocol",
    Ty::Choice(&["tcp", "udp", "both"]),
    Dflt::Str("tcp"),
    "what the firewall opens for a static port (or range)",
);

pub static PORT: Schema = Schema {
    kind: "port",
    what: "a port",
    label: Label::One(StrClass::Name),
    attrs: &[PORT_TO, PORT_STATIC, PORT_PROTOCOL],
    inherits: None,
    blocks: &[],
};

pub const HEALTH_PATH: Attr = attr(
    "path",
    Ty::Str(StrClass::UrlPath),
    Dflt::Str("/"),
    "http only; starts with `/`, no whitespace ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);
pub const HEALTH_PORT: Attr = attr(
    "port",
    Ty::Str(StrClass::Name),
    Dflt::Said("the app's only port"),
    "a port name of the app; required when the app has several ports, or none and the check is not a script ([E0315](errors.md#e0315-ambiguous-or-missing-port)); unknown name [E0213](errors.md#e0213-unknown-port)",
);
pub const HEALTH_INTERVAL: Attr = attr("interval", Ty::Duration, Dflt::Dur(10_000), "");
pub const HEALTH_TIMEOUT: Attr = attr("timeout", Ty::Duration, Dflt::Dur(2_000), "");
pub const HEALTH_COMMAND: Attr = attr(
    "command",
    Ty::Str(StrClass::Argv),
    Dflt::None,
    "script only, and required there",
);
pub const HEALTH_ARGS: Attr = attr("args", ARGV, Dflt::Empty, "script only");

pub const HEALTH_METHOD: Attr = attr(
    "method",
    Ty::Choice(&[
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE",
    ]),
    Dflt::Str("GET"),
    "http only; the methods Nomad's `helper.IsMethodHTTP` takes",
);
pub const HEALTH_HEADER: Attr = attr(
    "header",
    Ty::Map {
        key: StrClass::HeaderName,
        value: &Ty::Str(StrClass::HeaderValue),
    },
    Dflt::Empty,
    "http only; request headers the check sends (`{ Accept = \"application/json\" }`)",
);

pub const HEALTH_PROTOCOL: Attr = attr(
    "protocol",
    Ty::Choice(&["http", "https"]),
    Dflt::Str("http"),
    "http only; `https` when the app serves TLS on the port (Consul's check URL scheme)",
);
pub const HEALTH_TLS_SKIP_VERIFY: Attr = attr(
    "tls_skip_verify",
    Ty::Bool,
    Dflt::Bool(false),
    "https only; Consul does not verify the app's certificate (a self-signed one); the check carries no secret, so this is not [W0501](errors.md#w0501-tls-verification-skipped)",
);

pub static HEALTH: Schema = Schema {
    kind: "health",
    what: "a health check",
    label: Label::One(StrClass::Name),
    attrs: &[
        HEALTH_PATH,
        HEALTH_PORT,
        HEALTH_INTERVAL,
        HEALTH_TIMEOUT,
        HEALTH_COMMAND,
        HEALTH_ARGS,
        HEALTH_METHOD,
        HEALTH_HEADER,
        HEALTH_PROTOCOL,
        HEALTH_TLS_SKIP_VERIFY,
    ],
    inherits: None,
    blocks: &[&CHECK_RESTART],
};

pub const RESTART_LIMIT: Attr = attr(
    "limit",
    Ty::Int {
        min: 0,
        max: 100,
        unit: "",
    },
    Dflt::Int(3),
    "failed checks in a row before Nomad restarts the task; 0 never restarts",
);
pub const RESTART_GRACE: Attr = attr(
    "grace",
    Ty::Duration,
    Dflt::Dur(90_000),
    "after a (re)start, before failures count",
);
pub const RESTART_IGNORE_WARNINGS: Attr = attr(
    "ignore_warnings",
    Ty::Bool,
    Dflt::Bool(false),
    "a check in `warning` state counts as passing",
);

pub static CHECK_RESTART: Schema = Schema {
    kind: "check_restart",
    what: "a check's restart policy",
    label: Label::None,
    attrs: &[RESTART_LIMIT, RESTART_GRACE, RESTART_IGNORE_WARNINGS],
    inherits: None,
    blocks: &[],
};

pub const VOLUME_HOST: Attr = attr(
    "host",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"app-data\""),
    "the Nomad client's `host_volume`",
);
pub const VOLUME_PATH: Attr = attr(
    "path",
    Ty::Str(StrClass::FilePath),
    Dflt::Req("\"/data\""),
    "absolute ([E0312](errors.md#e0312-unsafe-or-malformed-string)); a container runtime socket or a directory holding one is [W0505](errors.md#w0505-docker-socket-mounted)",
);
pub const VOLUME_READ_ONLY: Attr = attr("read_only", Ty::Bool, Dflt::Bool(false), "");
pub const VOLUME_HOST_PATH: Attr = attr(
    "host_path",
    Ty::Str(StrClass::FilePath),
    Dflt::Said("`/opt/nomad/volumes/<host>`, created by cloud-init"),
    "the node's path the client's `host_volume` points at (absolute; a socket such as `/var/run/docker.sock`, or a directory the node has); cloud-init does not create it",
);

pub static VOLUME: Schema = Schema {
    kind: "volume",
    what: "a volume",
    label: Label::One(StrClass::Name),
    attrs: &[VOLUME_HOST, VOLUME_PATH, VOLUME_READ_ONLY, VOLUME_HOST_PATH],
    inherits: None,
    blocks: &[],
};
