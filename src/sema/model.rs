//! The checked model: what a spec means for one environment, with every
//! reference resolved, every default applied and every unit normalised.
//! Emitters read this and nothing else; anything in here has already been
//! validated, so an emitter has no reason to fail.

use indexmap::IndexMap;
use serde::Serialize;
use std::time::Duration;

pub use super::scheduling_model::{
    Affinity, Constraint, Migrate, Reschedule, RestartSpec, Scheduling, Spread, SpreadTarget,
};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Model {
    /// The root file's name as the user wrote it, for artifact headers.
    pub source_name: String,
    /// sha256 (hex) over every input file's text, in load order: only
    /// `manifest.json` carries it (formatting or a comment changes it).
    #[serde(skip)]
    pub input_hash: String,
    /// sha256 (hex) over this model's meaning (its JSON form, both hashes
    /// left out), set by [`crate::check`]: what artifacts carry to tell
    /// deployments apart, so `eosc fmt` or a comment edit changes none.
    #[serde(skip)]
    pub model_hash: String,
    pub env: Environment,
    /// Every environment of the spec, in declaration order.
    pub environments: Vec<Environment>,
    pub project: Project,
    /// Variable values in this environment (non-secret by construction).
    pub vars: IndexMap<String, serde_json::Value>,
    pub secrets: IndexMap<String, Secret>,
    pub servers: IndexMap<String, Server>,
    pub firewalls: IndexMap<String, Firewall>,
    pub apps: IndexMap<String, App>,
    pub upstreams: IndexMap<String, Upstream>,
    pub middlewares: IndexMap<String, Middleware>,
    pub auths: IndexMap<String, Auth>,
    /// Sorted by host, then most specific path first (no path last).
    pub routes: Vec<Route>,
    pub zones: IndexMap<String, Zone>,
    pub rollouts: IndexMap<String, Rollout>,
    pub pipelines: IndexMap<String, Pipeline>,
    /// Layer-4 proxies (`stream` blocks), run by nginx in the proxy job.
    pub streams: IndexMap<String, Stream>,
    /// Servers whose instances run the proxy job (their `labels.role` is
    /// the proxy's Salt role, `hecate-proxy` by default), in server order.
    pub proxy_servers: Vec<String>,
    pub graph: Graph,
}

/// A `stream` block: nginx listens on `listen` and passes the bytes on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stream {
    pub name: String,
    pub protocol: Protocol,
    pub listen: PortRange,
    pub target: StreamTarget,
    /// Send the PROXY protocol header to the backends (TCP only).
    pub proxy_protocol: bool,
    /// Time to connect to a backend (TCP only).
    pub connect_timeout: Option<Duration>,
    /// Idle time after which a session is closed.
    pub timeout: Option<Duration>,
    /// Client CIDRs let in (everyone when empty); the firewall opens the
    /// ports to these only.
    pub allow: Vec<String>,
    /// Client CIDRs refused (nginx `deny`, before `allow`).
    pub deny: Vec<String>,
}

/// Where a stream sends its sessions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StreamTarget {
    /// `host:port` backends, from a list or an upstream's targets.
    Addresses {
        upstream: Option<String>,
        targets: Vec<String>,
    },
    /// One address without port: a port range passes each port to the same
    /// port there (`$server_port`).
    SamePort { host: String },
    /// An app's static port, through Consul DNS.
    App {
        app: String,
        port: String,
        service: String,
        static_port: u16,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Environment {
    pub name: String,
    /// A Jenkins `input` gate before apply.
    pub approval: bool,
    pub promote_from: Option<String>,
    /// 1-based index of the canary stage whose traffic split Caddy serves.
    pub canary_stage: usize,
    /// `host_suffix`: appended to route hosts and record names
    /// (`sema::env_names`); already applied to the model's routes and zones.
    /// Left out of the model's JSON (and so its hash) when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_suffix: Option<String>,
    /// `region`: the Nomad region of this environment; already applied to
    /// the model's `project.region`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `own_images`: with `promote_from`, this environment deploys images
    /// of its own (no check-time or run-time comparison with the source's).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub own_images: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Project {
    pub name: String,
    pub datacenters: Vec<String>,
    pub region: String,
    pub registry: Option<String>,
    /// Vault address.
    pub vault: Option<String>,
    /// `hcloud_token`: the secret the infra root's Terraform reads from
    /// Vault. Left out of the model's JSON when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hcloud_token: Option<String>,
    pub acme_email: Option<String>,
    /// Caddy admin listen address; `localhost:2019` unless set.
    pub caddy_admin: String,
    /// Caddy plugins the operator's Caddy build ships (`rate_limit`, …).
    pub caddy_plugins: Vec<String>,
    /// DNS name servers for zone files; Hetzner's by default.
    pub nameservers: Vec<String>,
    /// Salt grain targets by role (`controller` → `roles:hecate-controller`).
    pub salt_targets: IndexMap<String, String>,
    /// The edge runtime: target Caddy version and the images of the proxy job.
    pub edge: EdgeSettings,
    /// Where Terraform keeps each environment's state.
    pub terraform_backend: TerraformBackend,
    /// `log { … }`: Caddy's default log to a file. Left out of the
    /// model's JSON when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<GlobalLog>,
    /// `storage { root }`: Caddy's `file_system` storage root. Left out of
    /// the model's JSON when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
}

/// The project's `log` block: Caddy's default log written to a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GlobalLog {
    pub file: String,
    /// Upper case: DEBUG, INFO, WARN, ERROR.
    pub level: String,
    /// Caddy's `roll_size_mb`, when set.
    pub roll_size_mb: Option<u64>,
    pub roll_keep: Option<u32>,
    /// Caddy's `roll_keep_days`, when set.
    pub roll_keep_days: Option<u32>,
}

/// A name made safe as one Hetzner (RFC 1123) host name part: lower case,
/// every other character `-`, no `-` at either end.
pub fn hostname_part(name: &str) -> String {
    let s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "x".to_string()
    } else {
        s
    }
}

impl Model {
    /// `<project>-<env>-<name>`: the Hetzner name of a server or firewall
    /// (instances add `-<n>`). Hetzner names are unique per project, and
    /// two environments may share one.
    pub fn cloud_name(&self, name: &str) -> String {
        format!(
            "{}-{}-{}",
            hostname_part(&self.project.name),
            hostname_part(&self.env.name),
            hostname_part(name)
        )
    }

    /// `hecate/<project>/<env>`: the environment's Consul KV prefix (the
    /// Terraform states below it, the deployment and promotion records).
    pub fn consul_prefix(&self) -> String {
        format!("hecate/{}/{}", self.project.name, self.env.name)
    }

    /// The Consul KV path of one Terraform root's state (`terraform`,
    /// `terraform-auth`).
    pub fn terraform_state_path(&self, root: &str) -> String {
        format!("{}/{root}", self.consul_prefix())
    }
}

/// `terraform_backend` of the project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TerraformBackend {
    /// Consul KV, one path per environment, with state locking.
    #[default]
    Consul,
    /// `terraform.tfstate` beside the module on the controller.
    Local,
}

/// Settings of the proxy runtime (`caddy_version`, `caddy_image`,
/// `nginx_image` in `project`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdgeSettings {
    /// The Caddy the config targets is 2.<caddy_minor>; see
    /// [`CADDY_MINORS`] for the supported ones.
    pub caddy_minor: u8,
    /// Image of the proxy job's Caddy task. `None` only when `caddy_plugins`
    /// is set without `caddy_image`, which the check rejects (E0332).
    pub caddy_image: Option<String>,
    /// Image of the proxy job's nginx stream task.
    pub nginx_image: String,
}

/// Caddy 2 minor versions eosc's caddy.json is tested against: Debian
/// stable's 2.6 through the current 2.11.
pub const CADDY_MINORS: std::ops::RangeInclusive<u8> = 6..=11;

/// The official images eosc runs when the spec names none (pinned, not `latest`).
pub const DEFAULT_NGINX_IMAGE: &str = "nginx:1.28-alpine";

impl EdgeSettings {
    /// Stock Caddy of the target version.
    pub fn stock_caddy_image(minor: u8) -> String {
        format!("caddy:2.{minor}-alpine")
    }
    /// From Caddy 2.8, a host's access log can go to several logs.
    pub fn caddy_many_logs_per_host(&self) -> bool {
        self.caddy_minor >= 8
    }
}

impl Default for EdgeSettings {
    fn default() -> Self {
        EdgeSettings {
            caddy_minor: *CADDY_MINORS.end(),
            caddy_image: Some(Self::stock_caddy_image(*CADDY_MINORS.end())),
            nginx_image: DEFAULT_NGINX_IMAGE.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Secret {
    pub name: String,
    /// KV v2 path, e.g. `secret/hecate/authentik/secret_key`.
    pub vault_path: String,
    /// Field in the KV entry; `value` unless set.
    pub key: String,
}

/// The Nomad job that runs the edge (Caddy, nginx); no app may be named so
/// (E0317). The emitters name it through `emit::names::PROXY_JOB`.
pub const PROXY_JOB: &str = "hecate-proxy";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Server {
    pub name: String,
    pub server_type: String,
    pub location: String,
    pub image: String,
    pub count: u32,
    pub firewalls: Vec<String>,
    pub labels: IndexMap<String, String>,
    /// The Nomad node class of its clients: the server's name.
    pub node_class: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Firewall {
    pub name: String,
    pub rules: Vec<FirewallRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirewallRule {
    pub name: String,
    /// `tcp`, `udp` or `icmp`.
    pub protocol: String,
    /// None for icmp.
    pub port: Option<PortRange>,
    /// Source CIDRs.
    pub from: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub fn overlaps(&self, o: &PortRange) -> bool {
        self.from <= o.to && o.from <= self.to
    }
    /// `443` or `49160-49200`.
    pub fn text(&self) -> String {
        if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{}-{}", self.from, self.to)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobType {
    Service,
    Batch,
    System,
}

impl JobType {
    pub fn as_str(self) -> &'static str {
        match self {
            JobType::Service => "service",
            JobType::Batch => "batch",
            JobType::System => "system",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct App {
    pub name: String,
    pub job_type: JobType,
    /// Consul/Nomad service name (the app name unless `service` is set).
    pub service: String,
    pub count: u32,
    /// Server (= node class) it is constrained to.
    pub runs_on: Option<String>,
    pub rollout: Option<String>,
    pub ports: IndexMap<String, Port>,
    /// Never empty: a single-container app is one task named after the app.
    pub tasks: Vec<Task>,
    pub health: Vec<Health>,
    pub volumes: Vec<Volume>,
    /// Apps this one depends on (direct `depends_on`).
    pub depends_on: Vec<String>,
    /// Cron expression for batch apps.
    pub schedule: Option<String>,
    /// Ephemeral disk in MB, where asked.
    pub ephemeral_disk_mb: Option<u64>,
    /// The user's Consul tags and service meta, on each registration.
    /// Left out of the model's JSON (its hash) when empty, so specs that
    /// set neither keep their hashes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub meta: IndexMap<String, String>,
    /// Constraints, affinities, spreads, restart/reschedule/migrate
    /// policies, disk flags, periodic options and job meta (#18); left out
    /// of the JSON at its default.
    #[serde(skip_serializing_if = "Scheduling::is_default")]
    pub scheduling: Scheduling,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Port {
    pub name: String,
    /// Container port.
    pub to: Option<u16>,
    /// Static host port; dynamic when None. The first port of a range.
    pub static_port: Option<u16>,
    /// The last port of a static range (`static = "49160-49200"`): Nomad
    /// has no port ranges (hashicorp/nomad#3242), so each port of it is its
    /// own `port "<name>_<n>"` with `static = to = n`. Never set with `to`.
    pub range_end: Option<u16>,
    /// `tcp` (default), `udp` or `both`: what the firewall and the stream
    /// proxy open. Nomad reserves a host port for both protocols.
    pub protocol: Protocol,
}

/// A layer-4 protocol of a port or stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
    Both,
}

impl Protocol {
    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "tcp" => Some(Protocol::Tcp),
            "udp" => Some(Protocol::Udp),
            "both" => Some(Protocol::Both),
            _ => None,
        }
    }
    /// The single protocols it covers (`both` = tcp and udp).
    pub fn each(self) -> &'static [&'static str] {
        match self {
            Protocol::Tcp => &["tcp"],
            Protocol::Udp => &["udp"],
            Protocol::Both => &["tcp", "udp"],
        }
    }
    pub fn overlaps(self, other: Protocol) -> bool {
        self.each().iter().any(|p| other.each().contains(p))
    }
}

impl Port {
    /// The Nomad port blocks of this port: `(label, static, to)`, one per
    /// host port of a range.
    pub fn nomad_ports(&self) -> Vec<(String, Option<u16>, Option<u16>)> {
        match (self.static_port, self.range_end) {
            (Some(a), Some(z)) => (a..=z)
                .map(|n| (format!("{}_{n}", self.name), Some(n), Some(n)))
                .collect(),
            _ => vec![(self.name.clone(), self.static_port, self.to)],
        }
    }
    /// Host ports it holds on a node (empty for a dynamic port).
    pub fn host_range(&self) -> Option<PortRange> {
        let a = self.static_port?;
        Some(PortRange {
            from: a,
            to: self.range_end.unwrap_or(a),
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Task {
    pub name: String,
    pub image: String,
    pub command: Option<String>,
    pub args: Vec<String>,
    pub env: IndexMap<String, String>,
    /// Env var name → secret name (see `Model::secrets`).
    pub secrets: IndexMap<String, String>,
    pub resources: Resources,
    /// The app's ports this task publishes; `None` when the spec does not
    /// say (see [`App::task_ports`]). Left out of the JSON when unset, so
    /// the job hash of a spec that does not use it stays the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<String>>,
    /// The app's volumes this task mounts; `None`: every volume, at the
    /// volume's path (see [`App::task_mounts`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_mounts: Option<Vec<VolumeMount>>,
    /// Task-directory binds (`local/…`, `alloc/…`, `secrets/…`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dir_mounts: Vec<DirMount>,
    /// Nomad's task `user`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Capability names upper-case without `CAP_` (`NET_BIND_SERVICE`, `ALL`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cap_add: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cap_drop: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub readonly_rootfs: bool,
    /// Docker `network_mode` (`bridge`, `host`, `none`); `None`: Docker's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging: Option<Logging>,
    /// The user's `template` blocks, in order (eosc's own secrets template
    /// is not one of them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    /// The task's `vault { … }`; None: the agent's default role, restart
    /// on a changed secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vault: Option<VaultUse>,
}

/// How a task reaches Vault. Its token stays with Nomad's template runner
/// (emitted `env = false`, `disable_file = true`), so only the renders see
/// it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VaultUse {
    /// Nomad `vault.role`: the JWT auth role of the workload identity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `restart` or `noop`: the change mode of the task's
    /// `secrets/<task>.env` template.
    pub change_mode: String,
}

impl Task {
    /// Whether the task reads Vault: its `secrets`, or a template's `secret`.
    pub fn reads_vault(&self) -> bool {
        !self.secrets.is_empty() || self.templates.iter().any(|t| !t.secrets.is_empty())
    }

    /// The change mode of eosc's secrets template.
    pub fn secrets_change_mode(&self) -> &str {
        self.vault
            .as_ref()
            .map_or("restart", |v| v.change_mode.as_str())
    }
}

/// A file (or environment lines) Nomad renders into the task directory
/// with consul-template. Holds Vault paths and Consul names, never a value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    /// Relative to the task directory, under `local/`, `alloc/` or `secrets/`.
    pub destination: String,
    /// The template text, byte for byte (inline, or the `source` file's).
    pub data: String,
    /// The file it was read from, relative to the root spec's directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `restart`, `signal` or `noop`.
    pub change_mode: String,
    /// Upper-case (`SIGHUP`); only with `signal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_signal: Option<String>,
    pub splay: Duration,
    pub env: bool,
    /// Octal file mode.
    pub perms: String,
    pub left_delimiter: String,
    pub right_delimiter: String,
    /// The secrets (`Model::secrets` names) it reads, sorted.
    pub secrets: Vec<String>,
    /// Its `secret` and `service` lookups with their spans, for the checks
    /// made once every entity exists (`sema::templates::resolve`).
    #[serde(skip)]
    pub lookups: Vec<Lookup>,
}

/// A lookup of a template, resolved against the spec once every app and
/// secret exists (`sema::templates::resolve`).
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    pub kind: LookupKind,
    pub arg: String,
    pub span: crate::source::Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupKind {
    Secret,
    Service,
}

/// [`App::task_ports`] before the app is assembled.
pub fn task_ports<'a>(
    tasks: &[Task],
    ports: &'a IndexMap<String, Port>,
    i: usize,
) -> Vec<&'a Port> {
    if tasks.iter().any(|t| t.ports.is_some()) {
        let Some(own) = tasks.get(i).and_then(|t| t.ports.as_ref()) else {
            return Vec::new();
        };
        own.iter().filter_map(|p| ports.get(p)).collect()
    } else if i == 0 {
        ports.values().collect()
    } else {
        Vec::new()
    }
}

/// One volume of the app mounted into one task.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VolumeMount {
    /// The app's volume (`App::volumes`).
    pub volume: String,
    pub path: String,
    pub read_only: bool,
}

/// A directory of the task's allocation bound into its container.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DirMount {
    /// Relative to the task directory: `local/x`, `alloc/data/x`, `secrets/x`.
    pub source: String,
    pub path: String,
    pub read_only: bool,
}

/// A task's Docker logging driver.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Logging {
    pub driver: String,
    pub config: IndexMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resources {
    /// MHz.
    pub cpu: u32,
    pub memory_mb: u64,
    pub memory_max_mb: Option<u64>,
}

/// eosc's (and Nomad's) defaults: 100 MHz, 300 MB.
impl Default for Resources {
    fn default() -> Self {
        Resources {
            cpu: 100,
            memory_mb: 300,
            memory_max_mb: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum HealthKind {
    Http { path: String },
    Tcp,
    Script { command: String, args: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Health {
    pub kind: HealthKind,
    /// Name of the app port it checks.
    pub port: String,
    pub interval: Duration,
    pub timeout: Duration,
    /// http only: the request's method and headers. Each is left out of
    /// the model's JSON (its hash) at its default, so specs that set none
    /// keep their hashes.
    #[serde(skip_serializing_if = "is_get")]
    pub method: String,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub header: IndexMap<String, String>,
    #[serde(skip_serializing_if = "CheckRestart::is_default")]
    pub check_restart: CheckRestart,
    /// http only: `https` checks over TLS (Consul's `protocol`).
    #[serde(skip_serializing_if = "is_http")]
    pub protocol: String,
    /// https only: Consul does not verify the app's certificate.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tls_skip_verify: bool,
}

/// When Nomad restarts a task whose check fails (`check_restart`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckRestart {
    pub limit: u32,
    pub grace: Duration,
    pub ignore_warnings: bool,
}

fn is_get(method: &String) -> bool {
    method == "GET"
}

fn is_http(protocol: &String) -> bool {
    protocol == "http"
}

impl CheckRestart {
    fn is_default(&self) -> bool {
        *self == CheckRestart::default()
    }
}

impl Default for CheckRestart {
    /// The schema's defaults: three failures, 90 s of grace.
    fn default() -> Self {
        CheckRestart {
            limit: 3,
            grace: Duration::from_secs(90),
            ignore_warnings: false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Volume {
    pub name: String,
    /// Nomad host volume name (client config `host_volume`).
    pub host: String,
    /// Mount path in the container.
    pub path: String,
    pub read_only: bool,
    /// The node's path the client's `host_volume` points at, when the spec
    /// names one (a runtime socket, a directory the node has); else
    /// cloud-init creates `/opt/nomad/volumes/<host>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Upstream {
    pub name: String,
    /// `host:port` dial addresses.
    pub targets: Vec<String>,
    pub tls: bool,
    pub tls_skip_verify: bool,
    pub health: Option<UpstreamHealth>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpstreamHealth {
    pub path: String,
    pub interval: Duration,
    pub timeout: Duration,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Middleware {
    pub name: String,
    /// Blocking rules, applied in order before anything else.
    pub rules: Vec<BlockRule>,
    /// Response headers to set.
    pub headers: IndexMap<String, String>,
    /// Encodings in preference order (`gzip`, `zstd`).
    pub encode: Vec<String>,
    /// Only when the project declares the `rate_limit` plugin.
    pub rate_limit: Option<RateLimit>,
    /// The chain's headers and compression are applied to the answers of
    /// blocking rules too (a Caddyfile's directive order runs `header` and
    /// `encode` before `respond`; `eosc import` keeps that behaviour).
    pub refusal_headers: bool,
    /// `log { … }`: the access log of every route using this middleware
    /// that has none of its own. Left out of the model's JSON when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<RouteLog>,
}

/// One blocking rule. It matches a request when ANY of its conditions does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlockRule {
    pub name: String,
    /// Header names whose mere presence blocks.
    pub headers: Vec<String>,
    /// Caddy path patterns (`/wp-admin/*`, `/.env`).
    pub paths: Vec<String>,
    /// RE2 regexp on the path (never sees the query string).
    pub path_regexp: Option<String>,
    /// Query parameter names whose presence blocks.
    pub query: Vec<String>,
    /// Exact User-Agent values.
    pub user_agents: Vec<String>,
    /// RE2 regexp on User-Agent.
    pub user_agent_regexp: Option<String>,
    /// `match = "all"`: the rule matches only when EVERY condition written
    /// does (each header present, a path of the list, …), as a Caddy named
    /// matcher does; kept by `eosc import` so behaviour does not change.
    pub match_all: bool,
    pub action: BlockAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum BlockAction {
    Respond(u16),
    /// Close the connection without a response (nginx's 444).
    Abort,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RateLimit {
    pub events: u32,
    pub window: Duration,
    /// What one limiter counts, a header template (`sema::placeholders`);
    /// left out of the model's JSON when it is the default.
    #[serde(skip_serializing_if = "RateLimit::default_key")]
    pub key: String,
}

impl RateLimit {
    /// Per client address, a Caddyfile `key {remote_host}`.
    pub const DEFAULT_KEY: &'static str = "{remote_host}";
    fn default_key(k: &String) -> bool {
        k == Self::DEFAULT_KEY
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Auth {
    pub name: String,
    /// Always `authentik` today.
    pub provider: String,
    pub outpost: Target,
    pub groups: Vec<String>,
    /// `token`: the secret holding the Authentik API token the auth root's
    /// Terraform uses (on a first install, AUTHENTIK_BOOTSTRAP_TOKEN).
    /// Left out of the model's JSON when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Target {
    App { app: String, port: String },
    Upstream(String),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Route {
    pub host: String,
    pub path: Option<String>,
    pub action: RouteAction,
    /// Middleware names, `use` chains expanded (used ones first), deduplicated.
    pub middleware: Vec<String>,
    pub auth: Option<String>,
    pub log: Option<RouteLog>,
    /// `dns = "external"`: no zone of this spec needs to cover the host.
    pub dns_external: bool,
    /// The `verify` blocks, in order; none means one check of the route's
    /// own URL with [`Route::default_status`]. Left out of the model's JSON
    /// when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub verify: Vec<RouteVerify>,
    /// A proxying route's `reverse_proxy` options; left out of the model's
    /// JSON when none is set.
    #[serde(skip_serializing_if = "ProxyOptions::is_empty")]
    pub proxy: ProxyOptions,
}

/// A proxying route's options (`sema::schema::proxy`), defaults applied:
/// with `fallback`, `lb_policy` is `first`, `try_duration` 5s and
/// `fail_duration` 10s unless written.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProxyOptions {
    /// Tried in order after the route's own target.
    pub fallback: Vec<Target>,
    pub lb_policy: Option<String>,
    /// The header `lb_policy = "header"` hashes.
    pub lb_field: Option<String>,
    pub try_duration: Option<Duration>,
    pub try_interval: Option<Duration>,
    pub retries: Option<u32>,
    pub fail_duration: Option<Duration>,
    pub max_fails: Option<u32>,
    pub unhealthy_status: Vec<u16>,
    pub unhealthy_latency: Option<Duration>,
    /// The route's own active check (only on static addresses: Caddy does
    /// not actively check dynamic upstreams, W0516).
    pub health: Option<UpstreamHealth>,
    pub header_up: HeaderOps,
    pub header_down: HeaderOps,
}

impl ProxyOptions {
    pub fn is_empty(&self) -> bool {
        *self == ProxyOptions::default()
    }
}

/// Header operations of Caddy's `headers` handler; values are header
/// templates (`sema::placeholders`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HeaderOps {
    pub set: IndexMap<String, String>,
    pub add: IndexMap<String, String>,
    pub delete: Vec<String>,
}

impl HeaderOps {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.add.is_empty() && self.delete.is_empty()
    }
}

/// One `verify` block of a route: what the deployment's check GETs
/// through Caddy and what the answer must be.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteVerify {
    /// `None`: the route's own path up to its first `*`, else `/`.
    pub path: Option<String>,
    /// The exact status (the block's, else [`Route::default_status`]).
    pub status: u16,
    pub body_contains: Option<String>,
    /// Header name → text its value must contain.
    pub headers: IndexMap<String, String>,
}

impl Route {
    /// What a check expects when the spec says nothing: a redirect's or a
    /// respond's own status; 302 behind forward auth (Authentik sends an
    /// anonymous request to its login); 200 otherwise.
    pub fn default_status(&self) -> u16 {
        match &self.action {
            RouteAction::Redirect { status, .. } | RouteAction::Respond { status, .. } => *status,
            RouteAction::Proxy(_) if self.auth.is_some() => 302,
            RouteAction::Proxy(_) => 200,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum RouteAction {
    Proxy(Target),
    Redirect { to: String, status: u16 },
    Respond { status: u16, body: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteLog {
    pub file: Option<String>,
    /// Upper case: DEBUG, INFO, WARN, ERROR.
    pub level: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Zone {
    /// Without trailing dot: `cybermonkey.dev`.
    pub name: String,
    /// The zone exists already at Hetzner (a data source, not a resource).
    pub existing: bool,
    /// Default TTL in seconds.
    pub ttl: u32,
    pub records: Vec<Record>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Record {
    /// `@` or a relative name (`hera`, `_dmarc`).
    pub name: String,
    /// Upper case: A, AAAA, CNAME, MX, TXT, CAA, NS, SRV.
    pub rtype: String,
    pub value: RecordValue,
    pub ttl: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum RecordValue {
    /// Zone-file text of the RDATA (`10 mail.example.com.`; TXT unquoted).
    Literal(String),
    /// An address only Terraform knows: the server's first instance.
    ServerIp { server: String, v6: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    Rolling,
    Canary,
    BlueGreen,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rollout {
    pub name: String,
    pub strategy: Strategy,
    pub max_parallel: u32,
    pub min_healthy_time: Duration,
    pub healthy_deadline: Duration,
    /// Nomad's `progress_deadline`, where set (Nomad's default otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_deadline: Option<Duration>,
    pub auto_revert: bool,
    /// Canary stages; rising, the last at 100.
    pub stages: Vec<Stage>,
    /// Nomad's `stagger`, canary count and `health_check`, where set
    /// (Nomad's or eosc's default otherwise; left out of the hash then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stagger: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canaries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    /// Percent of traffic to the canary, 0..=100.
    pub traffic: f64,
    pub bake: Option<Duration>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pipeline {
    pub name: String,
    pub agent: String,
    pub branch: String,
    pub environments: Vec<String>,
    pub notify: Option<String>,
    /// Jenkins credential ids exposed as environment variables (name → id).
    pub credentials: IndexMap<String, String>,
    pub timeout: Duration,
}

/// The dependency graph, resolved: `edges` go from a dependent to what it
/// depends on; `order` lists every entity with dependencies first.
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct Graph {
    pub nodes: Vec<Entity>,
    pub edges: Vec<(Entity, Entity)>,
    pub order: Vec<Entity>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Entity {
    pub kind: Kind,
    pub name: String,
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.kind.as_str(), self.name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Secret,
    Server,
    Firewall,
    Rollout,
    App,
    Upstream,
    Middleware,
    Auth,
    Route,
    Dns,
    Pipeline,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Server => "server",
            Kind::Firewall => "firewall",
            Kind::Rollout => "rollout",
            Kind::App => "app",
            Kind::Upstream => "upstream",
            Kind::Middleware => "middleware",
            Kind::Auth => "auth",
            Kind::Route => "route",
            Kind::Dns => "dns",
            Kind::Pipeline => "pipeline",
        }
    }
}

impl Graph {
    /// What `e` depends on directly, sorted.
    pub fn dependencies(&self, e: &Entity) -> Vec<&Entity> {
        let mut v: Vec<&Entity> = self
            .edges
            .iter()
            .filter(|(a, _)| a == e)
            .map(|(_, b)| b)
            .collect();
        v.sort();
        v
    }
    /// Every entity's direct dependencies, each list sorted, in one pass
    /// over the edges: for walks over many entities, where calling
    /// `dependencies` for each would scan every edge each time.
    pub fn dependency_map(&self) -> std::collections::HashMap<&Entity, Vec<&Entity>> {
        let mut map: std::collections::HashMap<&Entity, Vec<&Entity>> =
            std::collections::HashMap::new();
        for (a, b) in &self.edges {
            map.entry(a).or_default().push(b);
        }
        for deps in map.values_mut() {
            deps.sort();
        }
        map
    }
    /// What depends on `e` directly, sorted.
    pub fn dependents(&self, e: &Entity) -> Vec<&Entity> {
        let mut v: Vec<&Entity> = self
            .edges
            .iter()
            .filter(|(_, b)| b == e)
            .map(|(a, _)| a)
            .collect();
        v.sort();
        v
    }
}

/// Nomad's group `restart` policy: restart in place a few times before the
/// allocation fails and Nomad reschedules it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Restart {
    pub attempts: u32,
    pub interval: Duration,
    pub delay: Duration,
    /// `fail`: after the attempts, the allocation fails (and is rescheduled).
    pub mode: &'static str,
}

impl App {
    /// The restart policy of the app's group: what the spec's `restart`
    /// block sets, over eosc's defaults: batch jobs get Nomad's batch
    /// window (24h, 15s), others a short one; 3 attempts, mode `fail`.
    pub fn restart(&self) -> Restart {
        let (interval, delay) = match self.job_type {
            JobType::Batch => (86_400, 15),
            JobType::Service | JobType::System => (300, 30),
        };
        let spec = self.scheduling.restart.clone().unwrap_or_default();
        Restart {
            attempts: spec.attempts.unwrap_or(3),
            interval: spec.interval.unwrap_or(Duration::from_secs(interval)),
            delay: spec.delay.unwrap_or(Duration::from_secs(delay)),
            mode: spec.mode.unwrap_or("fail"),
        }
    }

    /// The port a route or health check means when it names none.
    pub fn default_port(&self) -> Option<&Port> {
        self.ports.values().next()
    }
    /// The ports task `i` publishes: its own `ports` once any task lists
    /// some, else every port into the first task (two containers cannot
    /// bind one host port).
    pub fn task_ports(&self, i: usize) -> Vec<&Port> {
        task_ports(&self.tasks, &self.ports, i)
    }
    /// The volumes task `i` mounts, as (volume, path, read_only): its own
    /// `volume_mount`s once any task has one, else every volume of the app
    /// at the volume's path.
    pub fn task_mounts(&self, i: usize) -> Vec<VolumeMount> {
        let all = || {
            self.volumes
                .iter()
                .map(|v| VolumeMount {
                    volume: v.name.clone(),
                    path: v.path.clone(),
                    read_only: v.read_only,
                })
                .collect()
        };
        if self.tasks.iter().any(|t| t.volume_mounts.is_some()) {
            self.tasks
                .get(i)
                .and_then(|t| t.volume_mounts.clone())
                .unwrap_or_default()
        } else {
            all()
        }
    }
    /// The Consul service that carries `port`: the app's service name for
    /// its default (first) port, `<service>-<port>` for any other, with `_`
    /// made `-` (Consul service names are DNS labels). Nomad registers it,
    /// Caddy dials it, and the Nomad rules check it.
    pub fn service_name(&self, port: &str) -> String {
        match self.default_port() {
            Some(p) if p.name == port => self.service.clone(),
            _ => format!("{}-{}", self.service, port.replace('_', "-")),
        }
    }

    /// The Consul services the app registers: one per port that is not a
    /// range (a relay range is not dialled by name), with the health
    /// checks on that port and their index in `health`. The Nomad emitter
    /// writes these and the Nomad rules check them, so the two cannot
    /// disagree on what a job registers.
    pub fn registrations(&self) -> Vec<Registration<'_>> {
        self.ports
            .values()
            .filter(|p| p.range_end.is_none())
            .map(|port| Registration {
                name: self.service_name(&port.name),
                port,
                checks: self
                    .health
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| h.port == port.name)
                    .collect(),
            })
            .collect()
    }
}

/// One service registration of an app ([`App::registrations`]).
pub struct Registration<'a> {
    pub name: String,
    pub port: &'a Port,
    pub checks: Vec<(usize, &'a Health)>,
}

/// A duration as Go's `time.ParseDuration` reads it (Nomad's job files and
/// its messages): the largest whole unit, `0ms` for zero.
pub fn go_duration(d: Duration) -> String {
    let ms = d.as_millis();
    for (unit, size) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000)] {
        if ms != 0 && ms % size == 0 {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

impl Model {
    /// The traffic of the environment's `canary_stage` (the first stage its
    /// pipeline runs), when the app rolls out as a canary; Caddy starts
    /// every canary split at 0 % whatever it says.
    pub fn canary_traffic(&self, app: &App) -> Option<f64> {
        let rollout = self.rollouts.get(app.rollout.as_deref()?)?;
        if rollout.strategy != Strategy::Canary {
            return None;
        }
        let i = self.env.canary_stage.clamp(1, rollout.stages.len().max(1)) - 1;
        rollout.stages.get(i).map(|s| s.traffic)
    }
}

/// The oldest Caddy 2 minor version that does what eosc writes for one
/// route, when that is above 2.6, with the reason and what to do instead:
/// a canary split reads its share from a file on every request (the
/// `{file.*}` placeholder, caddyserver/caddy#5463, Caddy 2.8; 2.6 refuses
/// the expression); a fallback through Consul-discovered (dynamic)
/// upstreams needs Caddy to remember a failed upstream between two tries
/// of one request (caddyserver/caddy#7539; Caddy 2.6 accepts the config
/// and answers 502 when the first backend is down, tests/it/caddy_e2e.rs).
/// Two logs on one host (2.8) are counted by the caller, which sees all
/// routes.
pub fn caddy_minimum_for_route(
    route: &Route,
    apps: &IndexMap<String, App>,
    rollouts: &IndexMap<String, Rollout>,
) -> Option<CaddyMinimum> {
    let RouteAction::Proxy(target) = &route.action else {
        return None;
    };
    let dynamic = |t: &Target| matches!(t, Target::App { .. });
    if !route.proxy.fallback.is_empty()
        && (dynamic(target) || route.proxy.fallback.iter().any(dynamic))
    {
        return Some(CaddyMinimum {
            minor: 11,
            what: "a fallback across Consul-discovered instances (Caddy forgets a failed dynamic upstream between tries before caddyserver/caddy#7539)",
            instead: "or make every target of the route an `upstream`",
            attr: "fallback",
        });
    }
    let Target::App { app, .. } = target else {
        return None;
    };
    let a = apps.get(app)?;
    let rollout = rollouts.get(a.rollout.as_deref()?)?;
    (rollout.strategy == Strategy::Canary && !rollout.stages.is_empty()).then_some(CaddyMinimum {
        minor: 8,
        what:
            "a canary traffic split (its share read per request through the {file.*} placeholder)",
        instead: "or use a rolling rollout for this app",
        attr: "to",
    })
}

/// What [`caddy_minimum_for_route`] found: the minor version, what needs
/// it, the other way out, and the route attribute that asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaddyMinimum {
    pub minor: u8,
    pub what: &'static str,
    pub instead: &'static str,
    pub attr: &'static str,
}
