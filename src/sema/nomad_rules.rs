//! Nomad's own job validation, applied at check time so that a spec eosc
//! accepts is a job Nomad accepts.
//!
//! Ported from Nomad's source, with Nomad's defaults filled in first the way
//! `api/jobs.go` `Canonicalize` does before the server validates:
//! - `UpdateStrategy.Validate` (nomad/structs/structs.go): a healthy deadline
//!   above zero, `MinHealthyTime < HealthyDeadline`,
//!   `HealthyDeadline < ProgressDeadline` unless the progress deadline is 0,
//!   and a stagger above zero (`health_check` and the canary count are held
//!   by their schema rows: a choice, and 1..);
//!   defaults (`DefaultUpdateStrategy`): min_healthy_time 10s,
//!   healthy_deadline 5m, progress_deadline 10m;
//! - `TaskGroup.Validate`: an update block only on service and system jobs;
//! - `Resources.Validate` / `MeetsMinResources` (`MinResources`: cpu 1,
//!   memory 10 MB) and `MemoryMaxMB >= MemoryMB`; defaults cpu 100, memory
//!   300 MB (`DefaultResources`);
//! - `EphemeralDisk.Validate`: at least 10 MB (default 300 MB);
//! - `Service.ValidateName`: `^(?i:[a-z0-9]|[a-z0-9][a-z0-9\-]{0,61}[a-z0-9])$`;
//! - `ServiceCheck.validate` (structs/services.go): an http check has a
//!   relative path; interval and timeout at least 1s (`minCheckInterval`,
//!   `minCheckTimeout`);
//! - `PeriodicConfig.Validate` → `cronexpr.Parse` (hashicorp/cronexpr): each
//!   field's values, ranges, steps and the `L`/`W`/`#` forms;
//! - the Docker driver (drivers/docker/driver.go `createContainerConfig`):
//!   every label of `config.ports` is a port of the group network ("Port %q
//!   not found, check network block"), and one host port published by two
//!   containers is Docker's "port is already allocated";
//!   `toDockerMount`: a `bind` mount's source is expanded against the task
//!   directory and must stay inside the allocation directory unless the
//!   client enables `volumes` (eosc's cloud-init does not);
//!   `capabilities.Delta` (drivers/shared/capabilities): a `cap_add` outside
//!   the client's `allow_caps` (default `NomadDefaults`, `HCLSpecLiteral`)
//!   fails the task ([`delta_missing`]; client-dependent, so a warning at
//!   check time, not a rule here), and names normalize as `Set.normalize`
//!   does; Docker refuses names that are no Linux capability.
//!
//! - placement and failure handling (#18), each with its own code:
//!   `Constraint.Validate` and `Affinity.Validate` (operators, the RTarget
//!   each needs or refuses, regexp / version / semver values that parse,
//!   affinity weight in -100..=100 and not 0), `Spread.Validate` (weight
//!   1..=100, no target twice, percents summing to at most 100),
//!   `RestartPolicy.Validate` (mode, `attempts = 0` only with `fail`,
//!   interval ≥ 5s, `attempts × delay ≤ interval`),
//!   `ReschedulePolicy.Validate` with `validateDelayParams` /
//!   `viableAttempts`, `MigrateStrategy.Validate`, and `TaskGroup.Validate`'s
//!   job-type rules (no affinity, spread or reschedule on system jobs,
//!   migrate on service jobs only); `PeriodicConfig.Validate`'s
//!   `time.LoadLocation(TimeZone)` against the zone names compiled into
//!   eosc (`sema::tz_names`).
//! - `Template.Validate` (nomad/structs/structs.go) after `DefaultTemplate`
//!   (`change_mode` restart, `splay` 5s, `perms` 0644) and
//!   `Template.Canonicalize` (`change_signal` upper-cased): a source path or
//!   an embedded template, a destination that `PathEscapesAllocDir("task",
//!   …)` keeps inside the allocation directory, a change mode of noop,
//!   restart or signal, a signal with `signal` and none on an env template,
//!   `splay` not negative (a Go duration; eosc's durations cannot be), and
//!   `perms` that `strconv.ParseUint(perms, 8, 12)` accepts ([`octal_perms`]).
//!
//! The rules run over [`Job`], a neutral description of one job: built here
//! from the checked model (mirroring what the Nomad emitter writes), and in
//! tests from the emitted job text, so an emitter default cannot produce a
//! job Nomad rejects without a test failing.

use super::model::{App, HealthKind, JobType, Model, Rollout, Strategy};
use super::scheduling_model::{Affinity, Constraint, Migrate, Reschedule, Spread};
use crate::diagnostics::Code;
use std::time::Duration;

/// What one Nomad job asks for, as far as the ported rules look. `None`
/// is "not written": Nomad's default applies ([`Job::canonicalize`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Job {
    pub name: String,
    pub job_type: Option<JobType>,
    pub update: Option<Update>,
    pub ephemeral_disk_mb: Option<u64>,
    pub tasks: Vec<Task>,
    pub services: Vec<Service>,
    pub crons: Vec<String>,
    /// Labels of the group network's ports.
    pub network_ports: Vec<String>,
    /// The user's constraints (not eosc's `${node.class}` one of `runs_on`).
    pub constraints: Vec<Constraint>,
    pub affinities: Vec<Affinity>,
    pub spreads: Vec<Spread>,
    pub restart: Option<RestartRule>,
    pub reschedule: Option<Reschedule>,
    pub migrate: Option<Migrate>,
    pub time_zone: Option<String>,
}

/// The group's restart policy as written.
#[derive(Clone, Debug, PartialEq)]
pub struct RestartRule {
    pub attempts: u32,
    pub interval: Duration,
    pub delay: Duration,
    pub mode: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Update {
    pub min_healthy_time: Option<Duration>,
    pub healthy_deadline: Option<Duration>,
    pub progress_deadline: Option<Duration>,
    pub stagger: Option<Duration>,
    pub canary: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Task {
    pub name: String,
    pub cpu: Option<u64>,
    pub memory_mb: Option<u64>,
    pub memory_max_mb: Option<u64>,
    /// `volume_mount` destinations, in order.
    pub mounts: Vec<String>,
    /// Docker `mount` blocks of type `bind` as (source, target).
    pub binds: Vec<(String, String)>,
    /// Docker `config.ports` labels.
    pub ports: Vec<String>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// Every `template` block (eosc's secrets template too), in order.
    pub templates: Vec<TaskTemplate>,
}

/// A `template` block as far as `Template.Validate` looks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskTemplate {
    pub destination: String,
    /// `data` is set and not empty (`EmbeddedTmpl`).
    pub embedded: bool,
    pub source_path: Option<String>,
    pub change_mode: Option<String>,
    pub change_signal: Option<String>,
    pub splay: Option<Duration>,
    pub perms: Option<String>,
    pub env: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    pub name: String,
    /// The app port it registers (eosc: one service per port).
    pub port: String,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    /// `http`, `tcp` or `script`.
    pub kind: String,
    pub path: Option<String>,
    pub interval: Option<Duration>,
    pub timeout: Option<Duration>,
    /// Index into `App::health` when built from the model.
    pub health: Option<usize>,
}

/// Where in the spec a violated rule points.
#[derive(Clone, Debug, PartialEq)]
pub enum At {
    /// A rollout attribute (`healthy_deadline`, …).
    Rollout(&'static str),
    /// A task's `resources` attribute (`memory`, `memory_max`, `cpu`).
    Resources {
        task: String,
        field: &'static str,
    },
    EphemeralDisk,
    /// The service name of the app's port.
    ServiceName {
        port: String,
    },
    /// A health check attribute (`interval`, `timeout`, `path`).
    Check {
        health: Option<usize>,
        field: &'static str,
    },
    Schedule,
    /// The second volume mounted on one path.
    Mount {
        task: String,
        path: String,
    },
    /// The job's update block as a whole.
    UpdateBlock,
    /// A Docker option of a task (`ports`, `cap_add`, `cap_drop`, `mount`).
    Docker {
        task: String,
        field: &'static str,
    },
    /// The `index`th `kind` block of the app (`constraint`, `spread`,
    /// `restart`, …) and its attribute (`""`: the block itself).
    Block {
        kind: &'static str,
        index: usize,
        field: &'static str,
    },
    /// An attribute of the app itself (`time_zone`).
    Attr(&'static str),
    /// A template of a task, by destination (`change_mode`, `perms`, …).
    Template {
        task: String,
        destination: String,
        field: &'static str,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub at: At,
    /// The diagnostic code, where the rule has its own (else E0322).
    pub code: Option<Code>,
    /// Nomad's function that rejects it (`UpdateStrategy.Validate`).
    pub rule: &'static str,
    /// What is wrong, in eosc's terms.
    pub message: String,
    /// Nomad's rule in a sentence, for the help line.
    pub nomad: String,
}

/// `DefaultUpdateStrategy` in nomad/structs and api/jobs.go.
pub const DEFAULT_MIN_HEALTHY_TIME: Duration = Duration::from_secs(10);
pub const DEFAULT_HEALTHY_DEADLINE: Duration = Duration::from_secs(300);
pub const DEFAULT_PROGRESS_DEADLINE: Duration = Duration::from_secs(600);
/// `DefaultResources`, `MinResources`, `DefaultEphemeralDisk`.
pub const DEFAULT_CPU: u64 = 100;
pub const DEFAULT_MEMORY_MB: u64 = 300;
pub const MIN_CPU: u64 = 1;
pub const MIN_MEMORY_MB: u64 = 10;
pub const DEFAULT_DISK_MB: u64 = 300;
pub const MIN_DISK_MB: u64 = 10;
/// `minCheckInterval`, `minCheckTimeout` (Consul's MinInterval).
pub const MIN_CHECK_INTERVAL: Duration = Duration::from_secs(1);
pub const MIN_CHECK_TIMEOUT: Duration = Duration::from_secs(1);

impl Job {
    /// Nomad's defaults for what the job leaves out, as `Canonicalize` fills
    /// them in before `Validate` runs.
    pub fn canonicalize(&mut self) {
        self.job_type.get_or_insert(JobType::Service);
        if let Some(u) = &mut self.update {
            u.min_healthy_time.get_or_insert(DEFAULT_MIN_HEALTHY_TIME);
            u.healthy_deadline.get_or_insert(DEFAULT_HEALTHY_DEADLINE);
            u.progress_deadline.get_or_insert(DEFAULT_PROGRESS_DEADLINE);
        }
        self.ephemeral_disk_mb.get_or_insert(DEFAULT_DISK_MB);
        for t in &mut self.tasks {
            t.cpu.get_or_insert(DEFAULT_CPU);
            t.memory_mb.get_or_insert(DEFAULT_MEMORY_MB);
            for tpl in &mut t.templates {
                tpl.change_mode.get_or_insert_with(|| "restart".into());
                tpl.splay.get_or_insert(Duration::from_secs(5));
                tpl.perms.get_or_insert_with(|| "0644".into());
                if let Some(s) = &mut tpl.change_signal {
                    *s = s.to_uppercase();
                }
            }
        }
    }

    /// Every rule the job breaks (after [`Job::canonicalize`]).
    pub fn validate(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        let job_type = self.job_type.unwrap_or(JobType::Service);
        if let Some(u) = &self.update {
            update_rules(u, job_type, &mut out);
        }
        for t in &self.tasks {
            task_rules(t, &mut out);
            for tpl in &t.templates {
                template_rules(&t.name, tpl, &mut out);
            }
            docker_rules(t, &self.network_ports, &mut out);
        }
        published_twice(&self.tasks, &mut out);
        if let Some(mb) = self.ephemeral_disk_mb {
            if mb < MIN_DISK_MB {
                out.push(Violation {
                    at: At::EphemeralDisk,
                    code: None,
                    rule: "EphemeralDisk.Validate",
                    message: format!("an ephemeral disk of {mb} MB is below Nomad's minimum"),
                    nomad: format!("minimum DiskMB value is {MIN_DISK_MB}"),
                });
            }
        }
        for s in &self.services {
            service_rules(s, &mut out);
        }
        placement_rules(self, job_type, &mut out);
        for c in &self.crons {
            if let Err(why) = cron(c) {
                out.push(Violation {
                    at: At::Schedule,
                    code: None,
                    rule: "PeriodicConfig.Validate",
                    message: format!(
                        "`{}` is not a cron expression Nomad parses: {why}",
                        c.escape_debug()
                    ),
                    nomad: "cronexpr.Parse must accept the spec".into(),
                });
            }
        }
        out
    }
}

fn update_rules(u: &Update, job_type: JobType, out: &mut Vec<Violation>) {
    if job_type == JobType::Batch {
        out.push(Violation {
            at: At::UpdateBlock,
            code: None,
            rule: "TaskGroup.Validate",
            message: "a batch job cannot have an update strategy".into(),
            nomad: "Job type \"batch\" does not allow update block".into(),
        });
    }
    let mht = u.min_healthy_time.unwrap_or(DEFAULT_MIN_HEALTHY_TIME);
    let hd = u.healthy_deadline.unwrap_or(DEFAULT_HEALTHY_DEADLINE);
    let pd = u.progress_deadline.unwrap_or(DEFAULT_PROGRESS_DEADLINE);
    if hd.is_zero() {
        out.push(Violation {
            at: At::Rollout("healthy_deadline"),
            code: None,
            rule: "UpdateStrategy.Validate",
            message: "healthy_deadline is 0".into(),
            nomad: "healthy deadline must be greater than zero".into(),
        });
    } else if mht >= hd {
        out.push(Violation {
            at: At::Rollout("min_healthy_time"),
            code: None,
            rule: "UpdateStrategy.Validate",
            message: format!(
                "min_healthy_time ({}) is not below healthy_deadline ({})",
                go(mht),
                go(hd)
            ),
            nomad: "min_healthy_time must be less than healthy_deadline".into(),
        });
    }
    // `Stagger <= 0` (Nomad's default 30s when not written).
    if u.stagger.is_some_and(|s| s.is_zero()) {
        out.push(Violation {
            at: At::Rollout("stagger"),
            code: None,
            rule: "UpdateStrategy.Validate",
            message: "stagger is 0".into(),
            nomad: "stagger must be greater than zero".into(),
        });
    }
    if !pd.is_zero() && !hd.is_zero() && hd >= pd {
        out.push(Violation {
            at: At::Rollout("healthy_deadline"),
            code: None,
            rule: "UpdateStrategy.Validate",
            message: format!(
                "healthy_deadline ({}) is not below progress_deadline ({}{})",
                go(hd),
                go(pd),
                if u.progress_deadline.is_none()
                    || u.progress_deadline == Some(DEFAULT_PROGRESS_DEADLINE)
                {
                    ", Nomad's default"
                } else {
                    ""
                }
            ),
            nomad: "healthy_deadline must be less than progress_deadline".into(),
        });
    }
}

fn task_rules(t: &Task, out: &mut Vec<Violation>) {
    let cpu = t.cpu.unwrap_or(DEFAULT_CPU);
    let mem = t.memory_mb.unwrap_or(DEFAULT_MEMORY_MB);
    if cpu < MIN_CPU {
        out.push(Violation {
            at: At::Resources {
                task: t.name.clone(),
                field: "cpu",
            },
            code: None,
            rule: "Resources.MeetsMinResources",
            message: format!("task `{}` asks for {cpu} MHz of CPU", t.name),
            nomad: format!("minimum CPU value is {MIN_CPU}"),
        });
    }
    if mem < MIN_MEMORY_MB {
        out.push(Violation {
            at: At::Resources {
                task: t.name.clone(),
                field: "memory",
            },
            code: None,
            rule: "Resources.MeetsMinResources",
            message: format!(
                "task `{}` reserves {mem} MB of memory, below Nomad's minimum",
                t.name
            ),
            nomad: format!("minimum MemoryMB value is {MIN_MEMORY_MB}"),
        });
    }
    if let Some(max) = t.memory_max_mb {
        if max != 0 && max < mem {
            out.push(Violation {
                at: At::Resources {
                    task: t.name.clone(),
                    field: "memory_max",
                },
                code: None,
                rule: "Resources.Validate",
                message: format!(
                    "task `{}`: memory_max ({max} MB) is below memory ({mem} MB{})",
                    t.name,
                    if t.memory_mb.is_none() || t.memory_mb == Some(DEFAULT_MEMORY_MB) {
                        ", the default"
                    } else {
                        ""
                    }
                ),
                nomad: "MemoryMaxMB should be larger than MemoryMB".into(),
            });
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for m in t
        .mounts
        .iter()
        .chain(t.binds.iter().map(|(_, target)| target))
    {
        let norm = m.trim_end_matches('/');
        let norm = if norm.is_empty() { "/" } else { norm };
        if seen.contains(&norm) {
            out.push(Violation {
                at: At::Mount {
                    task: t.name.clone(),
                    path: m.clone(),
                },
                code: None,
                rule: "docker: duplicate mount point",
                message: format!("task `{}` mounts two volumes on `{m}`", t.name),
                nomad: "the task fails to start: Docker refuses a duplicate mount point".into(),
            });
        } else {
            seen.push(norm);
        }
    }
}

/// The Linux capabilities (include/uapi/linux/capability.h through
/// `CAP_CHECKPOINT_RESTORE`, Linux 5.9), what Nomad's `capabilities.Supported`
/// lists on a current kernel.
pub const LINUX_CAPABILITIES: &[&str] = &[
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// `capabilities.HCLSpecLiteral`: the Docker driver's default `allow_caps`
/// (Docker's defaults without `NET_RAW`).
pub const NOMAD_DEFAULT_CAPS: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// A capability name as `capabilities.normalize` reads it (trimmed, any
/// case, `CAP_` optional), upper-case without the prefix; `ALL` is Nomad's
/// and Docker's word for every capability. `None`: no Linux capability.
pub fn capability(name: &str) -> Option<String> {
    let up = name.trim().to_ascii_uppercase();
    let bare = up.strip_prefix("CAP_").unwrap_or(&up);
    (bare == "ALL" || LINUX_CAPABILITIES.contains(&bare)).then(|| bare.to_string())
}

/// What `capabilities.Delta` refuses: the `cap_add` names outside the
/// driver's `allow_caps` (`ALL` expands to every capability, so it is
/// outside any list short of all of them).
pub fn delta_missing(allow: &[&str], cap_add: &[String]) -> Vec<String> {
    cap_add
        .iter()
        .filter(|c| capability(c).is_none_or(|c| !allow.contains(&c.as_str())))
        .cloned()
        .collect()
}

/// Whether a client with the default `allow_caps` lets a task add `cap`.
pub fn default_allowed(cap: &str) -> bool {
    delta_missing(NOMAD_DEFAULT_CAPS, &[cap.to_string()]).is_empty()
}

/// `Template.Validate` (nomad/structs/structs.go), after canonicalizing.
fn template_rules(task: &str, t: &TaskTemplate, out: &mut Vec<Violation>) {
    let mut push = |field: &'static str, message: String, nomad: &str| {
        out.push(Violation {
            code: None,
            at: At::Template {
                task: task.into(),
                destination: t.destination.clone(),
                field,
            },
            rule: "Template.Validate",
            message,
            nomad: nomad.into(),
        })
    };
    let dest = t.destination.escape_debug().to_string();
    if t.source_path.as_deref().unwrap_or("").is_empty() && !t.embedded {
        push(
            "data",
            format!("template `{dest}` of task `{task}` has no text"),
            "Must specify a source path or have an embedded template",
        );
    }
    if t.destination.is_empty() {
        push(
            "destination",
            format!("a template of task `{task}` has no destination"),
            "Must specify a destination for the template",
        );
    } else if path_escapes_alloc_dir("task", &t.destination) {
        push(
            "destination",
            format!("template `{dest}` of task `{task}` escapes the allocation directory"),
            "destination escapes allocation directory",
        );
    }
    match t.change_mode.as_deref() {
        Some("noop" | "restart") | None => {}
        Some("signal") => {
            if t.change_signal.as_deref().unwrap_or("").is_empty() {
                push(
                    "change_signal",
                    format!("template `{dest}` of task `{task}` signals without a signal"),
                    "Must specify signal value when change mode is signal",
                );
            }
            if t.env {
                push(
                    "env",
                    format!("env template `{dest}` of task `{task}` signals the task"),
                    "cannot use signals with env var templates",
                );
            }
        }
        Some(other) => push(
            "change_mode",
            format!(
                "template `{dest}` of task `{task}` has change mode `{}`",
                other.escape_debug()
            ),
            "Invalid change mode. Must be one of the following: noop, signal, restart",
        ),
    }
    if let Some(p) = &t.perms {
        if !octal_perms(p) {
            push(
                "perms",
                format!(
                    "template `{dest}` of task `{task}` has perms `{}`",
                    p.escape_debug()
                ),
                "Failed to parse perms as octal",
            );
        }
    }
}

/// `PathEscapesAllocDir(prefix, path)` (nomad/structs/structs.go): `path`
/// joined under `/alloc-dir/alloc-id/<prefix>` and cleaned leaves
/// `/alloc-dir/alloc-id`.
pub fn path_escapes_alloc_dir(prefix: &str, path: &str) -> bool {
    let mut parts: Vec<&str> = vec!["alloc-dir", "alloc-id"];
    let base = parts.len();
    let mut above = false;
    for c in prefix.split('/').chain(path.split('/')) {
        match c {
            "" | "." => {}
            ".." => {
                // `filepath.Clean` stops at the root.
                if parts.pop().is_none() {
                    continue;
                }
                above |= parts.len() < base;
            }
            c => parts.push(c),
        }
    }
    above
}

/// `Template.Validate`: `strconv.ParseUint(t.Perms, 8, 12)` — octal digits
/// only (no sign, prefix or `_` with an explicit base), below `0o10000`.
pub fn octal_perms(p: &str) -> bool {
    !p.is_empty()
        && p.bytes().all(|c| (b'0'..=b'7').contains(&c))
        && u64::from_str_radix(p, 8).is_ok_and(|v| v < 0o10000)
}

/// The signal names a template's `change_signal` may take: the Linux
/// signals of consul-template's `signals.SignalLookup` (signals/mapping.go,
/// `syscall` names), which Nomad's client uses to send it, after
/// `Template.Canonicalize` upper-cased the value.
pub const SIGNALS: &[&str] = &[
    "SIGABRT",
    "SIGALRM",
    "SIGBUS",
    "SIGCHLD",
    "SIGCONT",
    "SIGFPE",
    "SIGHUP",
    "SIGILL",
    "SIGINT",
    "SIGIO",
    "SIGIOT",
    "SIGKILL",
    "SIGPIPE",
    "SIGPROF",
    "SIGPWR",
    "SIGQUIT",
    "SIGSEGV",
    "SIGSTKFLT",
    "SIGSTOP",
    "SIGSYS",
    "SIGTERM",
    "SIGTRAP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGUSR1",
    "SIGUSR2",
    "SIGVTALRM",
    "SIGWINCH",
    "SIGXCPU",
    "SIGXFSZ",
];

/// Why `source` cannot be a bind source inside the task directory, if it
/// cannot: `toDockerMount` expands it against the task directory and
/// refuses what leaves the allocation directory; eosc takes only the task's
/// own `local/`, `secrets/` and the shared `alloc/`, in plain components
/// (no `.`/`..`, nothing a shell or a `volumes` string would split on).
pub fn task_dir_problem(source: &str) -> Option<&'static str> {
    if source.starts_with('/') {
        return Some("an absolute path (the host's, not the task directory's)");
    }
    let mut parts = source.split('/');
    if !matches!(parts.next(), Some("local" | "alloc" | "secrets")) {
        return Some("not under `local/`, `alloc/` or `secrets/`");
    }
    for p in source.split('/') {
        if p.is_empty() {
            return Some("an empty path component");
        }
        if p == "." || p == ".." {
            return Some("a `.` or `..` component");
        }
        if !p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Some("a component with characters other than letters, digits, `.`, `_`, `-`");
        }
    }
    None
}

fn docker_rules(t: &Task, network: &[String], out: &mut Vec<Violation>) {
    for p in &t.ports {
        if !network.contains(p) {
            out.push(Violation {
                at: At::Docker {
                    task: t.name.clone(),
                    field: "ports",
                },
                code: None,
                rule: "docker: createContainerConfig",
                message: format!(
                    "task `{}` publishes port `{p}`, which the group's network does not have",
                    t.name
                ),
                nomad: format!("Port {p:?} not found, check network block"),
            });
        }
    }
    for (field, caps) in [("cap_add", &t.cap_add), ("cap_drop", &t.cap_drop)] {
        for c in caps {
            if capability(c).is_none() {
                out.push(Violation {
                    at: At::Docker {
                        task: t.name.clone(),
                        field,
                    },
                    code: None,
                    rule: "docker: capabilities",
                    message: format!("task `{}`: `{c}` is not a Linux capability", t.name),
                    nomad: "Docker refuses an unknown capability".into(),
                });
            }
        }
    }
    for (source, _) in &t.binds {
        if let Some(why) = task_dir_problem(source) {
            out.push(Violation {
                at: At::Docker {
                    task: t.name.clone(),
                    field: "mount",
                },
                code: None,
                rule: "docker: toDockerMount",
                message: format!("task `{}` binds `{source}`: {why}", t.name),
                nomad: "volumes are not enabled; cannot mount host path".into(),
            });
        }
    }
}

/// Docker publishes each host port once per node: two tasks of one group
/// listing the same port collide ("port is already allocated").
fn published_twice(tasks: &[Task], out: &mut Vec<Violation>) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for t in tasks {
        for p in &t.ports {
            match seen.iter().find(|(q, _)| q == p) {
                Some((_, first)) if *first != t.name => out.push(Violation {
                    at: At::Docker {
                        task: t.name.clone(),
                        field: "ports",
                    },
                    code: None,
                    rule: "docker: port is already allocated",
                    message: format!("tasks `{first}` and `{}` both publish port `{p}`", t.name),
                    nomad: "the second container fails to start: its host port is taken".into(),
                }),
                Some(_) => {}
                None => seen.push((p, &t.name)),
            }
        }
    }
}

/// `Service.ValidateName`'s pattern, without a regex engine.
pub fn valid_service_name(name: &str) -> bool {
    let b = name.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    !b.is_empty()
        && b.len() <= 63
        && alnum(&b[0])
        && alnum(&b[b.len() - 1])
        && b.iter().all(|c| alnum(c) || *c == b'-')
}

fn service_rules(s: &Service, out: &mut Vec<Violation>) {
    if !valid_service_name(&s.name) {
        out.push(Violation {
            at: At::ServiceName {
                port: s.port.clone(),
            },
            code: None,
            rule: "Service.ValidateName",
            message: format!("`{}` is not a service name Nomad accepts", s.name.escape_debug()),
            nomad: "service names are RFC 1123 labels: letters, digits and `-`, at most 63, no `_` or `.`".into(),
        });
    }
    for c in &s.checks {
        if c.kind == "http" {
            let path = c.path.as_deref().unwrap_or("");
            if path.is_empty() || path.contains("://") {
                out.push(Violation {
                    at: At::Check {
                        health: c.health,
                        field: "path",
                    },
                    code: None,
                    rule: "ServiceCheck.validate",
                    message: format!("`{}` is not a relative HTTP path", path.escape_debug()),
                    nomad: "http type must have a relative http path".into(),
                });
            }
        }
        if let Some(i) = c.interval {
            if i < MIN_CHECK_INTERVAL {
                out.push(Violation {
                    at: At::Check {
                        health: c.health,
                        field: "interval",
                    },
                    code: None,
                    rule: "ServiceCheck.validate",
                    message: format!("a check interval of {} is below Nomad's minimum", go(i)),
                    nomad: "interval cannot be lower than 1s".into(),
                });
            }
        }
        if let Some(t) = c.timeout {
            if t < MIN_CHECK_TIMEOUT {
                out.push(Violation {
                    at: At::Check {
                        health: c.health,
                        field: "timeout",
                    },
                    code: None,
                    rule: "ServiceCheck.validate",
                    message: format!("a check timeout of {} is below Nomad's minimum", go(t)),
                    nomad: "timeout cannot be lower than 1s".into(),
                });
            }
        }
    }
}

fn go(d: Duration) -> String {
    super::model::go_duration(d)
}

/// One field of hashicorp/cronexpr: its name, range and value words.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    words: &'static [&'static str],
    /// Where the words count from (`jan` = 1, `sun` = 0).
    word_base: u32,
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const MONTHS_LONG: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DAYS_LONG: &[&str] = &[
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        words: &[],
        word_base: 0,
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        words: &[],
        word_base: 0,
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        words: &[],
        word_base: 0,
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        words: MONTHS,
        word_base: 1,
    },
    Field {
        name: "day-of-week",
        min: 0,
        // cronexpr accepts 7 for Sunday.
        max: 7,
        words: DAYS,
        word_base: 0,
    },
];

/// A five-field cron expression as hashicorp/cronexpr parses it (eosc
/// writes the five-field form only).
pub fn cron(spec: &str) -> Result<(), String> {
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("expected 5 fields, found {}", fields.len()));
    }
    for (text, f) in fields.iter().zip(FIELDS.iter()) {
        let lower = text.to_ascii_lowercase();
        for entry in lower.split(',') {
            if entry.is_empty() {
                return Err(format!("{} field: empty entry in `{text}`", f.name));
            }
            cron_entry(entry, f).map_err(|why| format!("{} field `{text}`: {why}", f.name))?;
        }
    }
    Ok(())
}

fn cron_entry(e: &str, f: &Field) -> Result<(), String> {
    if e == "*" || e == "?" {
        return Ok(());
    }
    if f.name == "day-of-month" && (e == "l" || e == "lw") {
        return Ok(());
    }
    if f.name == "day-of-month" {
        if let Some(v) = e.strip_suffix('w') {
            return cron_value(v, f).map(|_| ());
        }
    }
    if f.name == "day-of-week" {
        if let Some(v) = e.strip_suffix('l') {
            return cron_value(v, f).map(|_| ());
        }
        if let Some((v, n)) = e.split_once('#') {
            cron_value(v, f)?;
            return match n.parse::<u32>() {
                Ok(1..=5) => Ok(()),
                _ => Err(format!("`#{n}`: the week of the month is 1 to 5")),
            };
        }
    }
    let (range, step) = match e.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (e, None),
    };
    if let Some(s) = step {
        match s.parse::<u32>() {
            Ok(n) if n > 0 => {}
            _ => return Err(format!("`/{s}` is not a step (a whole number above 0)")),
        }
    }
    if range == "*" {
        return if step.is_some() {
            Ok(())
        } else {
            Err("unexpected `*`".into())
        };
    }
    match range.split_once('-') {
        Some((a, b)) => {
            cron_value(a, f)?;
            cron_value(b, f)?;
            Ok(())
        }
        None => cron_value(range, f).map(|_| ()),
    }
}

fn cron_value(v: &str, f: &Field) -> Result<u32, String> {
    if let Some(i) = f.words.iter().position(|w| *w == v) {
        return Ok(i as u32 + f.word_base);
    }
    let long: &[&str] = match f.name {
        "month" => MONTHS_LONG,
        "day-of-week" => DAYS_LONG,
        _ => &[],
    };
    if let Some(i) = long.iter().position(|w| *w == v) {
        return Ok(i as u32 + f.word_base);
    }
    // cronexpr's value patterns allow at most two digits (`0?[0-9]`).
    if v.is_empty() || v.len() > 2 || !v.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!("`{v}` is not a value"));
    }
    let n: u32 = v.parse().map_err(|_| format!("`{v}` is not a value"))?;
    if n < f.min || n > f.max {
        return Err(format!("{n} is outside {}..={}", f.min, f.max));
    }
    Ok(n)
}

/// `RestartPolicyMinInterval`, `ReschedulePolicyMinInterval`,
/// `ReschedulePolicyMinDelay`.
pub const RESTART_MIN_INTERVAL: Duration = Duration::from_secs(5);
pub const RESCHEDULE_MIN_INTERVAL: Duration = Duration::from_secs(15);
pub const RESCHEDULE_MIN_DELAY: Duration = Duration::from_secs(5);

fn violation(code: Code, at: At, rule: &'static str, message: String, nomad: String) -> Violation {
    Violation {
        at,
        code: Some(code),
        rule,
        message,
        nomad,
    }
}

/// The placement and failure-handling rules of `TaskGroup.Validate` and the
/// `Validate` of each block (nomad/structs/structs.go).
fn placement_rules(job: &Job, job_type: JobType, out: &mut Vec<Violation>) {
    let block = |kind, index, field| At::Block { kind, index, field };
    for (i, c) in job.constraints.iter().enumerate() {
        for (field, why) in constraint_problems(c) {
            out.push(violation(
                Code::E0326,
                block("constraint", i, field),
                "Constraint.Validate",
                format!("its constraint {}: {why}", i + 1),
                why,
            ));
        }
    }
    let system = job_type == JobType::System;
    for (i, a) in job.affinities.iter().enumerate() {
        let problems = if system {
            vec![(
                "",
                "System jobs may not have an affinity stanza".to_string(),
            )]
        } else {
            affinity_problems(a)
        };
        for (field, why) in problems {
            out.push(violation(
                Code::E0326,
                block("affinity", i, field),
                if system {
                    "TaskGroup.Validate"
                } else {
                    "Affinity.Validate"
                },
                format!("its affinity {}: {why}", i + 1),
                why,
            ));
        }
    }
    for (i, s) in job.spreads.iter().enumerate() {
        let problems = if system {
            vec![("", "System jobs may not have a spread stanza".to_string())]
        } else {
            spread_problems(s)
        };
        for (field, why) in problems {
            out.push(violation(
                Code::E0328,
                block("spread", i, field),
                if system {
                    "TaskGroup.Validate"
                } else {
                    "Spread.Validate"
                },
                format!("its spread {}: {why}", i + 1),
                why,
            ));
        }
    }
    if let Some(r) = &job.restart {
        for (field, why) in restart_problems(r) {
            out.push(violation(
                Code::E0329,
                block("restart", 0, field),
                "RestartPolicy.Validate",
                format!("its restart policy: {why}"),
                why,
            ));
        }
    }
    if let Some(r) = &job.reschedule {
        let problems = if system {
            vec![(
                "",
                "System jobs should not have a reschedule policy".to_string(),
            )]
        } else {
            reschedule_problems(r)
        };
        for (field, why) in problems {
            out.push(violation(
                Code::E0329,
                block("reschedule", 0, field),
                if system {
                    "TaskGroup.Validate"
                } else {
                    "ReschedulePolicy.Validate"
                },
                format!("its reschedule policy: {why}"),
                why,
            ));
        }
    }
    if let Some(m) = &job.migrate {
        let problems = if job_type != JobType::Service {
            vec![(
                "",
                format!(
                    "Job type {:?} does not allow migrate block",
                    job_type.as_str()
                ),
            )]
        } else {
            migrate_problems(m)
        };
        for (field, why) in problems {
            out.push(violation(
                Code::E0329,
                block("migrate", 0, field),
                if job_type != JobType::Service {
                    "TaskGroup.Validate"
                } else {
                    "MigrateStrategy.Validate"
                },
                format!("its migrate strategy: {why}"),
                why,
            ));
        }
    }
    if let Some(tz) = &job.time_zone {
        if !super::tz_names::known(tz) {
            out.push(violation(
                Code::E0331,
                At::Attr("time_zone"),
                "PeriodicConfig.Validate",
                format!("`{}` is not a time zone", tz.escape_debug()),
                "Invalid time zone: time.LoadLocation finds no such zone".into(),
            ));
        }
    }
}

/// `Constraint.Validate`: what each operator needs of LTarget (`attribute`)
/// and RTarget (`value`). Each problem with the attribute it is about.
pub fn constraint_problems(c: &Constraint) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let rt = c.value.as_deref().unwrap_or("");
    let mut require_ltarget = true;
    match c.operator.as_str() {
        "distinct_hosts" => require_ltarget = false,
        "set_contains" | "set_contains_all" | "set_contains_any" if rt.is_empty() => out.push((
            "value",
            "Set contains constraint requires an RTarget".into(),
        )),
        "regexp" => {
            if let Err(e) = re2(rt) {
                out.push((
                    "value",
                    format!("Regular expression failed to compile: {e}"),
                ));
            }
        }
        "version" => {
            if let Err(e) = version_constraint(rt, false) {
                out.push(("value", format!("Version constraint is invalid: {e}")));
            }
        }
        "semver" => {
            if let Err(e) = version_constraint(rt, true) {
                out.push(("value", format!("Semver constraint is invalid: {e}")));
            }
        }
        "distinct_property" if !rt.is_empty() => match rt.parse::<u64>() {
            Err(_) => out.push((
                "value",
                format!("Failed to convert RTarget {rt:?} to uint64"),
            )),
            Ok(0) => out.push((
                "value",
                "Distinct Property must have an allowed count of 1 or greater: 0 < 1".into(),
            )),
            Ok(_) => {}
        },
        "is_set" | "is_not_set" if !rt.is_empty() => out.push((
            "value",
            format!("Operator {:?} does not support an RTarget", c.operator),
        )),
        "=" | "==" | "is" | "!=" | "not" | "<" | "<=" | ">" | ">=" if rt.is_empty() => out.push((
            "value",
            format!("Operator {:?} requires an RTarget", c.operator),
        )),
        "set_contains" | "set_contains_all" | "set_contains_any" | "distinct_property"
        | "is_set" | "is_not_set" | "=" | "==" | "is" | "!=" | "not" | "<" | "<=" | ">" | ">=" => {}
        other => out.push(("operator", format!("Unknown constraint type {other:?}"))),
    }
    if require_ltarget && c.attribute.as_deref().unwrap_or("").is_empty() {
        out.push((
            "attribute",
            "No LTarget provided but is required by constraint".into(),
        ));
    }
    // `distinct_hosts` ignores an LTarget Nomad-side; eosc refuses it so the
    // spec does not read as a property it does not spread on.
    if c.operator == "distinct_hosts" && c.attribute.is_some() {
        out.push((
            "attribute",
            "distinct_hosts takes no LTarget (it compares node IDs); for an attribute use distinct_property".into(),
        ));
    }
    out
}

/// `Affinity.Validate`.
pub fn affinity_problems(a: &Affinity) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let rt = a.value.as_str();
    match a.operator.as_str() {
        "set_contains" | "set_contains_all" | "set_contains_any" if rt.is_empty() => {
            out.push(("value", "Set contains operators require an RTarget".into()))
        }
        "regexp" => {
            if let Err(e) = re2(rt) {
                out.push((
                    "value",
                    format!("Regular expression failed to compile: {e}"),
                ));
            }
        }
        "version" => {
            if let Err(e) = version_constraint(rt, false) {
                out.push(("value", format!("Version affinity is invalid: {e}")));
            }
        }
        "semver" => {
            if let Err(e) = version_constraint(rt, true) {
                out.push(("value", format!("Semver affinity is invalid: {e}")));
            }
        }
        "=" | "==" | "is" | "!=" | "not" | "<" | "<=" | ">" | ">=" if rt.is_empty() => out.push((
            "value",
            format!("Operator {:?} requires an RTarget", a.operator),
        )),
        "set_contains" | "set_contains_all" | "set_contains_any" | "=" | "==" | "is" | "!="
        | "not" | "<" | "<=" | ">" | ">=" => {}
        other => out.push(("operator", format!("Unknown affinity operator {other:?}"))),
    }
    if a.attribute.is_empty() {
        out.push(("attribute", "No LTarget provided but is required".into()));
    }
    if a.weight == 0 {
        out.push(("weight", "Affinity weight cannot be zero".into()));
    }
    if a.weight > 100 || a.weight < -100 {
        out.push((
            "weight",
            "Affinity weight must be within the range [-100,100]".into(),
        ));
    }
    out
}

/// `Spread.Validate`.
pub fn spread_problems(s: &Spread) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if s.attribute.is_empty() {
        out.push(("attribute", "Missing spread attribute".into()));
    }
    if s.weight <= 0 || s.weight > 100 {
        out.push((
            "weight",
            "Spread stanza must have a positive weight from 0 to 100".into(),
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut sum = 0u32;
    for t in &s.targets {
        if seen.contains(&t.value.as_str()) {
            out.push((
                "target",
                format!("Spread target value {:?} already defined", t.value),
            ));
        }
        seen.push(&t.value);
        if t.percent > 100 {
            out.push((
                "target",
                format!(
                    "Spread target percentage for value {:?} must be between 0 and 100",
                    t.value
                ),
            ));
        }
        sum += t.percent;
    }
    if sum > 100 {
        out.push((
            "target",
            format!("Sum of spread target percentages must not be greater than 100%; got {sum}%"),
        ));
    }
    out
}

/// `RestartPolicy.Validate`.
pub fn restart_problems(r: &RestartRule) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if r.mode != "delay" && r.mode != "fail" {
        out.push(("mode", format!("Unsupported restart mode: {:?}", r.mode)));
    }
    if r.attempts == 0 && r.mode != "fail" {
        out.push((
            "attempts",
            format!(
                "Restart policy {:?} with {} attempts is ambiguous",
                r.mode, r.attempts
            ),
        ));
    }
    if r.interval < RESTART_MIN_INTERVAL {
        out.push((
            "interval",
            format!(
                "Interval can not be less than {} (got {})",
                go(RESTART_MIN_INTERVAL),
                go(r.interval)
            ),
        ));
    }
    if r.delay.saturating_mul(r.attempts) > r.interval {
        out.push((
            "interval",
            format!(
                "Nomad can't restart the TaskGroup {} times in an interval of {} with a delay of {}",
                r.attempts,
                go(r.interval),
                go(r.delay)
            ),
        ));
    }
    out
}

/// `ReschedulePolicy.Validate` (with `validateDelayParams`).
pub fn reschedule_problems(r: &Reschedule) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // `Enabled`: no attempts and not unlimited is "never reschedule".
    if r.attempts == 0 && !r.unlimited {
        return out;
    }
    if r.attempts > 0 {
        if r.interval.is_zero() {
            out.push((
                "interval",
                "Interval must be a non zero value if Attempts > 0".into(),
            ));
        }
        if r.unlimited {
            out.push((
                "unlimited",
                "If Attempts >0, Unlimited cannot also be set to true".into(),
            ));
        }
    }
    let mut pre_check = true;
    if r.delay < RESCHEDULE_MIN_DELAY {
        out.push((
            "delay",
            format!(
                "Delay cannot be less than {} (got {})",
                go(RESCHEDULE_MIN_DELAY),
                go(r.delay)
            ),
        ));
        pre_check = false;
    }
    if !["constant", "exponential", "fibonacci"].contains(&r.delay_function.as_str()) {
        out.push((
            "delay_function",
            format!("Invalid delay function {:?}", r.delay_function),
        ));
        pre_check = false;
    }
    if r.delay_function != "constant" {
        if r.max_delay < RESCHEDULE_MIN_DELAY {
            out.push((
                "max_delay",
                format!(
                    "Max Delay cannot be less than {} (got {})",
                    go(RESCHEDULE_MIN_DELAY),
                    go(r.max_delay)
                ),
            ));
            pre_check = false;
        }
        if r.max_delay < r.delay {
            out.push((
                "max_delay",
                format!(
                    "Max Delay cannot be less than Delay {} (got {})",
                    go(r.delay),
                    go(r.max_delay)
                ),
            ));
            pre_check = false;
        }
    }
    if !r.unlimited {
        if r.interval < RESCHEDULE_MIN_INTERVAL {
            out.push((
                "interval",
                format!(
                    "Interval cannot be less than {} (got {})",
                    go(RESCHEDULE_MIN_INTERVAL),
                    go(r.interval)
                ),
            ));
        }
        if pre_check {
            if let Some((possible, recommended)) = unviable_attempts(r) {
                out.push((
                    "interval",
                    format!(
                        "Nomad can only make {possible} attempts in {}; set the interval to at least {} to accommodate {} attempts",
                        go(r.interval),
                        go(Duration::from_secs(recommended.as_secs_f64().round() as u64)),
                        r.attempts
                    ),
                ));
            }
        }
    }
    out
}

/// `viableAttempts`: `None` when `attempts` fit in `interval`, else how
/// many do and the interval that would hold them all.
fn unviable_attempts(r: &Reschedule) -> Option<(u32, Duration)> {
    let mut possible: u32 = 0;
    let recommended: Duration;
    let valid;
    match r.delay_function.as_str() {
        "constant" => {
            recommended = r.delay.saturating_mul(r.attempts);
            valid = r.interval >= recommended;
            if !valid {
                possible = (r.interval.as_nanos() / r.delay.as_nanos().max(1)) as u32;
            }
        }
        "exponential" => {
            let mut rec = Duration::ZERO;
            for i in 0..r.attempts {
                let mut next = r.delay.saturating_mul(2u32.saturating_pow(i));
                if next > r.max_delay {
                    next = r.max_delay;
                    rec += next;
                } else {
                    rec = next;
                }
                if rec < r.interval {
                    possible += 1;
                }
            }
            recommended = rec;
            valid = possible >= r.attempts;
        }
        _ => {
            let mut slots = vec![r.delay, r.delay];
            let mut ceiling = false;
            for i in 2..r.attempts as usize {
                let next = if ceiling {
                    slots[i - 1] + r.max_delay
                } else {
                    let n = slots[i - 1] + slots[i - 2];
                    if n > r.max_delay {
                        ceiling = true;
                        r.max_delay
                    } else {
                        n
                    }
                };
                slots.push(next);
            }
            recommended = slots[slots.len() - 1];
            valid = r.interval >= recommended;
            if !valid {
                possible = slots.iter().position(|s| *s > r.interval).unwrap_or(0) as u32;
            }
        }
    }
    (!valid).then_some((possible, recommended))
}

/// `MigrateStrategy.Validate` (durations are never negative here).
pub fn migrate_problems(m: &Migrate) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !["checks", "task_states"].contains(&m.health_check.as_str()) {
        out.push((
            "health_check",
            format!("Invalid HealthCheck: {:?}", m.health_check),
        ));
    }
    if m.min_healthy_time > m.healthy_deadline {
        out.push((
            "min_healthy_time",
            "MinHealthyTime must be less than HealthyDeadline".into(),
        ));
    }
    out
}

/// Whether Go's `regexp.Compile` (RE2) takes `re`, as far as
/// `regex-syntax` (already eosc's RE2 check for middleware) can tell: both
/// refuse look-around and back-references and parse the same classes and
/// repetitions; RE2's repetition limit (1000) is checked besides.
pub fn re2(re: &str) -> Result<(), String> {
    regex_syntax::Parser::new()
        .parse(re)
        .map(|_| ())
        .map_err(|e| {
            e.to_string()
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string()
        })?;
    let mut digits = String::new();
    for ch in re.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            if digits.parse::<u32>().is_ok_and(|n| n > 1000) && matches!(ch, '}' | ',') {
                return Err("invalid repeat count".into());
            }
            digits.clear();
        }
    }
    Ok(())
}

/// hashicorp/go-version `NewConstraint` (`semver`: Nomad's
/// helper/constraints/semver, which takes no `~>` and needs `-` before a
/// pre-release): comma-separated `OP VERSION`, OP one of `=`, `!=`, `>`,
/// `<`, `>=`, `<=`, `~>` or none.
pub fn version_constraint(s: &str, semver: bool) -> Result<(), String> {
    for single in s.split(',') {
        let t = single.trim();
        let ops: &[&str] = if semver {
            &[">=", "<=", "!=", "=", ">", "<"]
        } else {
            &["~>", ">=", "<=", "!=", "=", ">", "<"]
        };
        let rest = ops
            .iter()
            .find_map(|op| t.strip_prefix(op))
            .unwrap_or(t)
            .trim_start();
        if !version(rest, semver) {
            return Err(format!("Malformed constraint: {single}"));
        }
    }
    Ok(())
}

/// `VersionRegexpRaw` / `SemverRegexpRaw` of go-version, anchored:
/// `v?N(.N)*`, a pre-release (after `-`; for a plain version also a
/// letter right after the numbers), `+metadata`; numbers fit an int64.
fn version(s: &str, semver: bool) -> bool {
    let ident = |x: &str| {
        !x.is_empty()
            && x.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'~')
    };
    let dotted = |x: &str| x.split('.').all(ident);
    let s = s.strip_prefix('v').unwrap_or(s);
    let (core, meta) = match s.split_once('+') {
        Some((c, m)) => (c, Some(m)),
        None => (s, None),
    };
    if meta.is_some_and(|m| !dotted(m)) {
        return false;
    }
    let end = core
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(core.len(), |(i, _)| i);
    // A trailing `.` belongs to no segment: `1.` is malformed.
    let (nums, pre) = core.split_at(end);
    if nums.is_empty()
        || !nums
            .split('.')
            .all(|n| !n.is_empty() && n.parse::<i64>().is_ok())
    {
        return false;
    }
    match pre.strip_prefix('-') {
        _ if pre.is_empty() => true,
        Some(p) => dotted(p),
        None if semver => false,
        None => {
            pre.starts_with(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '~')
                && dotted(pre)
        }
    }
}

/// The job `emit::nomad` writes for `app`, as the rules see it: the same
/// update block (none for batch jobs; canaries as the emitter counts them),
/// resources, ephemeral disk, services per port with their checks, mounts
/// and periodic spec.
/// The templates the Nomad emitter writes for a task: eosc's secrets
/// template first (when the task has secrets), then the user's.
fn templates_of(t: &super::model::Task) -> Vec<TaskTemplate> {
    let own = (!t.secrets.is_empty()).then(|| TaskTemplate {
        destination: format!("secrets/{}.env", t.name),
        embedded: true,
        change_mode: Some(t.secrets_change_mode().into()),
        env: true,
        ..TaskTemplate::default()
    });
    own.into_iter()
        .chain(t.templates.iter().map(|u| TaskTemplate {
            destination: u.destination.clone(),
            embedded: !u.data.is_empty(),
            source_path: None,
            change_mode: Some(u.change_mode.clone()),
            change_signal: u.change_signal.clone(),
            splay: Some(u.splay),
            perms: Some(u.perms.clone()),
            env: u.env,
        }))
        .collect()
}

pub fn job_of(model: &Model, app: &App) -> Job {
    let rollout = app.rollout.as_deref().and_then(|r| model.rollouts.get(r));
    job_from(app, rollout)
}

pub fn job_from(app: &App, rollout: Option<&Rollout>) -> Job {
    let update = match (app.job_type, rollout) {
        (JobType::Batch, _) | (_, None) => None,
        (_, Some(r)) => Some(Update {
            min_healthy_time: Some(r.min_healthy_time),
            healthy_deadline: Some(r.healthy_deadline),
            progress_deadline: r.progress_deadline,
            stagger: r.stagger,
            canary: match (app.job_type, r.strategy) {
                (JobType::System, _) | (_, Strategy::Rolling) => 0,
                (_, Strategy::Canary) => r.canaries.unwrap_or(1),
                (_, Strategy::BlueGreen) => app.count.max(1),
            },
        }),
    };
    let tasks = app
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| Task {
            name: t.name.clone(),
            cpu: Some(u64::from(t.resources.cpu)),
            memory_mb: Some(t.resources.memory_mb),
            memory_max_mb: t.resources.memory_max_mb,
            mounts: app.task_mounts(i).into_iter().map(|m| m.path).collect(),
            binds: t
                .dir_mounts
                .iter()
                .map(|m| (m.source.clone(), m.path.clone()))
                .collect(),
            ports: app
                .task_ports(i)
                .into_iter()
                .flat_map(|p| p.nomad_ports().into_iter().map(|(label, _, _)| label))
                .collect(),
            cap_add: t.cap_add.clone(),
            cap_drop: t.cap_drop.clone(),
            templates: templates_of(t),
        })
        .collect();
    let network_ports = app
        .ports
        .values()
        .flat_map(|p| p.nomad_ports().into_iter().map(|(label, _, _)| label))
        .collect();
    let services = app
        .registrations()
        .into_iter()
        .map(|reg| Service {
            name: reg.name,
            port: reg.port.name.clone(),
            checks: reg
                .checks
                .into_iter()
                .map(|(i, h)| Check {
                    kind: match &h.kind {
                        HealthKind::Http { .. } => "http",
                        HealthKind::Tcp => "tcp",
                        HealthKind::Script { .. } => "script",
                    }
                    .into(),
                    path: match &h.kind {
                        HealthKind::Http { path } => Some(path.clone()),
                        _ => None,
                    },
                    interval: Some(h.interval),
                    timeout: Some(h.timeout),
                    health: Some(i),
                })
                .collect(),
        })
        .collect();
    let crons = match (app.job_type, &app.schedule) {
        (JobType::Batch, Some(c)) => vec![c.clone()],
        _ => Vec::new(),
    };
    let mut job = Job {
        name: app.name.clone(),
        job_type: Some(app.job_type),
        update,
        ephemeral_disk_mb: app.ephemeral_disk_mb,
        tasks,
        services,
        crons,
        network_ports,
        constraints: app.scheduling.constraints.clone(),
        affinities: app.scheduling.affinities.clone(),
        spreads: app.scheduling.spreads.clone(),
        restart: Some({
            let r = app.restart();
            RestartRule {
                attempts: r.attempts,
                interval: r.interval,
                delay: r.delay,
                mode: r.mode.into(),
            }
        }),
        reschedule: app.scheduling.reschedule.clone(),
        migrate: app.scheduling.migrate.clone(),
        time_zone: match (app.job_type, &app.schedule) {
            (JobType::Batch, Some(_)) => app.scheduling.time_zone.clone(),
            _ => None,
        },
    };
    job.canonicalize();
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_fields_follow_cronexpr() {
        for ok in [
            "0 3 * * *",
            "*/15 * * * *",
            "0 0 1 jan *",
            "0 0 * * mon-fri",
            "0 0 L * *",
            "0 0 15W * *",
            "0 0 * * 5L",
            "0 0 * * 1#2",
            "0 0 * * 7",
            "5,35 1-3/2 * * *",
            "0 0 ? * sunday",
        ] {
            assert_eq!(cron(ok), Ok(()), "{ok}");
        }
        for bad in [
            "0 25 * * *",
            "60 * * * *",
            "0 0 0 * *",
            "0 0 * 13 *",
            "0 0 * * 8",
            "*/0 * * * *",
            "0 0 * * fr",
            "0 0 * * 1#6",
            "0,,5 * * * *",
            "0 0 * *",
            "100 * * * *",
        ] {
            assert!(cron(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn service_names_follow_validate_name() {
        assert!(valid_service_name("authentik-server"));
        assert!(valid_service_name("a"));
        assert!(!valid_service_name("my_app"));
        assert!(!valid_service_name("-x"));
        assert!(!valid_service_name("x-"));
        assert!(!valid_service_name("a.b"));
        assert!(!valid_service_name(&"a".repeat(64)));
    }

    #[test]
    fn defaults_are_applied_before_the_rules() {
        let mut j = Job {
            update: Some(Update {
                healthy_deadline: Some(Duration::from_secs(600)),
                ..Update::default()
            }),
            tasks: vec![Task {
                name: "t".into(),
                memory_max_mb: Some(256),
                ..Task::default()
            }],
            ..Job::default()
        };
        j.canonicalize();
        let rules: Vec<String> = j.validate().into_iter().map(|v| v.nomad).collect();
        assert_eq!(rules.len(), 2, "{rules:?}");
        assert!(rules[0].starts_with("healthy_deadline"), "{rules:?}");
        assert!(rules[1].starts_with("MemoryMaxMB"), "{rules:?}");
    }
}
