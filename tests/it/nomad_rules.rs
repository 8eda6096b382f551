//! Nomad's validation rules (`eosc::sema::nomad_rules`, ported from Nomad's
//! source) over every job eosc emits for every example and valid case, read
//! back from the emitted text: whatever an emitter default writes, or leaves
//! to Nomad's defaults, must be a job Nomad accepts. The model-side
//! description of each job must also agree with what was emitted.

use crate::support::specs;

use eosc::sema::model::JobType;
use eosc::sema::model::{Affinity, Constraint, Migrate, Reschedule, Spread, SpreadTarget};
use eosc::sema::nomad_rules::{self, Check, Job, RestartRule, Service, Task, TaskTemplate, Update};
use hcl::{Block, Body, Expression};
use std::time::Duration;

#[test]
fn every_emitted_job_passes_nomads_rules() {
    let mut jobs = 0;
    let mut failures = Vec::new();
    for spec in specs::all() {
        for model in specs::models(&spec) {
            for artifact in eosc::emit::nomad::emit(&model) {
                let label = format!(
                    "{} ({}) {}",
                    specs::name(&spec),
                    model.env.name,
                    artifact.path
                );
                let mut job = match job_from_text(&artifact.contents) {
                    Ok(j) => j,
                    Err(e) => {
                        failures.push(format!("{label}: cannot read back: {e}"));
                        continue;
                    }
                };
                job.canonicalize();
                for v in job.validate() {
                    failures.push(format!("{label}: {} ({}: {})", v.message, v.rule, v.nomad));
                }
                // The check-time description is the emitted job (the
                // proxy's job is no app: its rules are the ones above).
                let Some(app) = model.apps.get(&job.name) else {
                    assert_eq!(job.name, "hecate-proxy", "{label}: a job of no app");
                    continue;
                };
                let mut from_model = nomad_rules::job_of(&model, app);
                for c in from_model
                    .services
                    .iter_mut()
                    .flat_map(|s| s.checks.iter_mut())
                {
                    c.health = None;
                }
                if from_model != job {
                    failures.push(format!(
                        "{label}: the model's job differs from the emitted one\n model: {from_model:?}\n text:  {job:?}"
                    ));
                }
                jobs += 1;
            }
        }
    }
    assert!(jobs >= 20, "only {jobs} jobs found; is the walk broken?");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rules can fail: a job the cybermonkey example used to emit
/// (healthy_deadline 10m against Nomad's default progress deadline) and
/// other known rejections.
#[test]
fn the_rules_reject_what_nomad_rejects() {
    let text = r#"
job "authentik" {
  type = "service"
  group "authentik" {
    ephemeral_disk { size = 5 }
    update {
      min_healthy_time = "60s"
      healthy_deadline = "10m"
    }
    service {
      name = "authentik_server"
      port = "http"
      check {
        type     = "http"
        path     = "/"
        interval = "500ms"
        timeout  = "2s"
      }
    }
    task "authentik" {
      resources {
        cpu        = 100
        memory     = 512
        memory_max = 256
      }
    }
  }
}
"#;
    let mut job = job_from_text(text).expect("parses");
    job.canonicalize();
    let rules: Vec<String> = job.validate().into_iter().map(|v| v.nomad).collect();
    for want in [
        "healthy_deadline must be less than progress_deadline",
        "MemoryMaxMB should be larger than MemoryMB",
        "minimum DiskMB value is 10",
        "service names are RFC 1123 labels",
        "interval cannot be lower than 1s",
    ] {
        assert!(
            rules.iter().any(|r| r.starts_with(want)),
            "missing `{want}` in {rules:?}"
        );
    }
}

/// The Docker driver's rules can fail too: a port the network lacks, one
/// port in two containers, a bind outside the allocation, an unknown
/// capability, and a bind on a volume's mount point.
#[test]
fn the_docker_rules_reject_what_the_driver_rejects() {
    let text = r#"
job "authentik" {
  group "authentik" {
    network {
      port "http" { to = 9000 }
    }
    task "server" {
      config {
        image   = "x:1"
        ports   = ["http", "metrics"]
        cap_add = ["NET_BIND_SERVICE", "CAP_NOT_ONE"]
      }
    }
    task "worker" {
      config {
        image = "x:1"
        ports = ["http"]
        mount {
          type   = "bind"
          source = "../../etc"
          target = "/media"
        }
      }
      volume_mount {
        volume      = "media"
        destination = "/media"
      }
    }
  }
}
"#;
    let mut job = job_from_text(text).expect("parses");
    job.canonicalize();
    let rules: Vec<String> = job.validate().into_iter().map(|v| v.nomad).collect();
    for want in [
        "Port \"metrics\" not found, check network block",
        "the second container fails to start: its host port is taken",
        "volumes are not enabled; cannot mount host path",
        "Docker refuses an unknown capability",
        "the task fails to start: Docker refuses a duplicate mount point",
    ] {
        assert!(
            rules.iter().any(|r| r.starts_with(want)),
            "missing `{want}` in {rules:?}"
        );
    }
    assert_eq!(rules.len(), 5, "{rules:?}");
    // Names as Nomad's `capabilities.normalize` reads them.
    assert_eq!(
        nomad_rules::capability(" cap_net_raw "),
        Some("NET_RAW".into())
    );
    assert_eq!(nomad_rules::capability("all"), Some("ALL".into()));
    assert!(nomad_rules::default_allowed("NET_BIND_SERVICE"));
    assert!(!nomad_rules::default_allowed("NET_RAW"));
    assert!(!nomad_rules::default_allowed("ALL"));
}

/// `Template.Validate`'s rules reject what Nomad rejects, and pass the
/// defaults.
#[test]
fn the_template_rules_reject_what_nomad_rejects() {
    let rules = |t: TaskTemplate| {
        let mut job = Job {
            name: "web".into(),
            tasks: vec![Task {
                name: "main".into(),
                templates: vec![t],
                ..Task::default()
            }],
            ..Job::default()
        };
        job.canonicalize();
        job.validate()
            .into_iter()
            .map(|v| v.nomad)
            .collect::<Vec<_>>()
    };
    let ok = TaskTemplate {
        destination: "local/a.conf".into(),
        embedded: true,
        ..TaskTemplate::default()
    };
    assert_eq!(rules(ok.clone()), Vec::<String>::new());
    let cases: Vec<(TaskTemplate, &str)> = vec![
        (
            TaskTemplate {
                embedded: false,
                ..ok.clone()
            },
            "Must specify a source path or have an embedded template",
        ),
        (
            TaskTemplate {
                destination: String::new(),
                ..ok.clone()
            },
            "Must specify a destination for the template",
        ),
        (
            TaskTemplate {
                destination: "../../etc/passwd".into(),
                ..ok.clone()
            },
            "destination escapes allocation directory",
        ),
        (
            TaskTemplate {
                change_mode: Some("script".into()),
                ..ok.clone()
            },
            "Invalid change mode. Must be one of the following: noop, signal, restart",
        ),
        (
            TaskTemplate {
                change_mode: Some("signal".into()),
                ..ok.clone()
            },
            "Must specify signal value when change mode is signal",
        ),
        (
            TaskTemplate {
                change_mode: Some("signal".into()),
                change_signal: Some("sighup".into()),
                env: true,
                ..ok.clone()
            },
            "cannot use signals with env var templates",
        ),
        (
            TaskTemplate {
                perms: Some("0o644".into()),
                ..ok.clone()
            },
            "Failed to parse perms as octal",
        ),
        (
            TaskTemplate {
                perms: Some("10000".into()),
                ..ok.clone()
            },
            "Failed to parse perms as octal",
        ),
    ];
    for (t, want) in cases {
        let got = rules(t.clone());
        assert_eq!(got, vec![want.to_string()], "{t:?}");
    }
    // `../x` from the task directory is the allocation directory: allowed.
    assert!(!nomad_rules::path_escapes_alloc_dir("task", "../alloc/x"));
    assert!(nomad_rules::path_escapes_alloc_dir(
        "task",
        "local/../../../x"
    ));
}

fn job_from_text(text: &str) -> Result<Job, String> {
    let body: Body = hcl::parse(text).map_err(|e| e.to_string())?;
    let job = body
        .blocks()
        .find(|b| b.identifier() == "job")
        .ok_or("no job block")?;
    let name = job
        .labels()
        .first()
        .map(|l| l.as_str().to_string())
        .unwrap_or_default();
    let job_type = match string(&job.body, "type").as_deref() {
        Some("batch") => Some(JobType::Batch),
        Some("system") => Some(JobType::System),
        Some("service") => Some(JobType::Service),
        Some(other) => return Err(format!("unknown job type {other}")),
        None => None,
    };
    let group = blocks(&job.body, "group").next().ok_or("no group")?;
    let update = blocks(&group.body, "update").next().map(|u| Update {
        min_healthy_time: duration(&u.body, "min_healthy_time"),
        healthy_deadline: duration(&u.body, "healthy_deadline"),
        progress_deadline: duration(&u.body, "progress_deadline"),
        stagger: duration(&u.body, "stagger"),
        canary: number(&u.body, "canary").unwrap_or(0) as u32,
    });
    let ephemeral_disk_mb = blocks(&group.body, "ephemeral_disk")
        .next()
        .and_then(|d| number(&d.body, "size"));
    let tasks = blocks(&group.body, "task")
        .map(|t| {
            let res = blocks(&t.body, "resources").next();
            let config = blocks(&t.body, "config").next();
            Task {
                name: t
                    .labels()
                    .first()
                    .map(|l| l.as_str().to_string())
                    .unwrap_or_default(),
                cpu: res.and_then(|r| number(&r.body, "cpu")),
                memory_mb: res.and_then(|r| number(&r.body, "memory")),
                memory_max_mb: res.and_then(|r| number(&r.body, "memory_max")),
                mounts: blocks(&t.body, "volume_mount")
                    .filter_map(|m| string(&m.body, "destination"))
                    .collect(),
                binds: config
                    .map(|c| {
                        blocks(&c.body, "mount")
                            .filter(|m| string(&m.body, "type").as_deref() == Some("bind"))
                            .map(|m| {
                                (
                                    string(&m.body, "source").unwrap_or_default(),
                                    string(&m.body, "target").unwrap_or_default(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                ports: config.map(|c| list(&c.body, "ports")).unwrap_or_default(),
                cap_add: config.map(|c| list(&c.body, "cap_add")).unwrap_or_default(),
                cap_drop: config
                    .map(|c| list(&c.body, "cap_drop"))
                    .unwrap_or_default(),
                templates: blocks(&t.body, "template")
                    .map(|b| TaskTemplate {
                        destination: string(&b.body, "destination").unwrap_or_default(),
                        embedded: match attr(&b.body, "data") {
                            Some(Expression::String(s)) => !s.is_empty(),
                            Some(_) => true,
                            None => false,
                        },
                        source_path: string(&b.body, "source"),
                        change_mode: string(&b.body, "change_mode"),
                        change_signal: string(&b.body, "change_signal"),
                        splay: duration(&b.body, "splay"),
                        perms: string(&b.body, "perms"),
                        env: matches!(attr(&b.body, "env"), Some(Expression::Bool(true))),
                    })
                    .collect(),
            }
        })
        .collect();
    let services = blocks(&group.body, "service")
        .map(|s| Service {
            name: string(&s.body, "name").unwrap_or_default(),
            port: string(&s.body, "port").unwrap_or_default(),
            checks: blocks(&s.body, "check")
                .map(|c| Check {
                    kind: string(&c.body, "type").unwrap_or_default(),
                    path: string(&c.body, "path"),
                    interval: duration(&c.body, "interval"),
                    timeout: duration(&c.body, "timeout"),
                    health: None,
                })
                .collect(),
        })
        .collect();
    let crons = blocks(&job.body, "periodic")
        .flat_map(|p| match attr(&p.body, "crons") {
            Some(Expression::Array(items)) => items
                .iter()
                .filter_map(|e| match e {
                    Expression::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let network_ports = blocks(&group.body, "network")
        .flat_map(|n| blocks(&n.body, "port"))
        .filter_map(|p| p.labels().first().map(|l| l.as_str().to_string()))
        .collect();
    // `runs_on`'s `${node.class}` constraint is written without an
    // operator; every user constraint with one (emit::nomad::placement).
    let constraints = blocks(&job.body, "constraint")
        .filter(|c| attr(&c.body, "operator").is_some())
        .map(|c| Constraint {
            attribute: target_text(&c.body, "attribute"),
            operator: string(&c.body, "operator").unwrap_or_default(),
            value: string(&c.body, "value"),
        })
        .collect();
    let affinities = blocks(&group.body, "affinity")
        .map(|a| Affinity {
            attribute: target_text(&a.body, "attribute").unwrap_or_default(),
            operator: string(&a.body, "operator").unwrap_or_else(|| "=".into()),
            value: string(&a.body, "value").unwrap_or_default(),
            weight: signed(&a.body, "weight").unwrap_or(50),
        })
        .collect();
    let spreads = blocks(&group.body, "spread")
        .map(|s| Spread {
            attribute: target_text(&s.body, "attribute").unwrap_or_default(),
            weight: signed(&s.body, "weight").unwrap_or(50),
            targets: blocks(&s.body, "target")
                .map(|t| SpreadTarget {
                    value: t
                        .labels()
                        .first()
                        .map(|l| l.as_str().to_string())
                        .unwrap_or_default(),
                    percent: number(&t.body, "percent").unwrap_or(0) as u32,
                })
                .collect(),
        })
        .collect();
    let restart = blocks(&group.body, "restart").next().map(|r| RestartRule {
        attempts: number(&r.body, "attempts").unwrap_or(0) as u32,
        interval: duration(&r.body, "interval").unwrap_or_default(),
        delay: duration(&r.body, "delay").unwrap_or_default(),
        mode: string(&r.body, "mode").unwrap_or_default(),
    });
    let reschedule = blocks(&group.body, "reschedule")
        .next()
        .map(|r| Reschedule {
            attempts: number(&r.body, "attempts").unwrap_or(0) as u32,
            interval: duration(&r.body, "interval").unwrap_or_default(),
            delay: duration(&r.body, "delay").unwrap_or_default(),
            delay_function: string(&r.body, "delay_function").unwrap_or_default(),
            max_delay: duration(&r.body, "max_delay").unwrap_or_default(),
            unlimited: matches!(attr(&r.body, "unlimited"), Some(Expression::Bool(true))),
        });
    let migrate = blocks(&group.body, "migrate").next().map(|m| Migrate {
        max_parallel: number(&m.body, "max_parallel").unwrap_or(0) as u32,
        health_check: string(&m.body, "health_check").unwrap_or_default(),
        min_healthy_time: duration(&m.body, "min_healthy_time").unwrap_or_default(),
        healthy_deadline: duration(&m.body, "healthy_deadline").unwrap_or_default(),
    });
    let time_zone = blocks(&job.body, "periodic")
        .next()
        .and_then(|p| string(&p.body, "time_zone"));
    Ok(Job {
        name,
        job_type,
        update,
        ephemeral_disk_mb,
        tasks,
        services,
        crons,
        network_ports,
        constraints,
        affinities,
        spreads,
        restart,
        reschedule,
        migrate,
        time_zone,
    })
}

/// A string, or a quoted template written as is (a node target).
fn target_text(body: &Body, name: &str) -> Option<String> {
    match attr(body, name)? {
        Expression::String(s) => Some(s.clone()),
        Expression::TemplateExpr(t) => match t.as_ref() {
            hcl::TemplateExpr::QuotedString(s) => Some(s.clone()),
            hcl::TemplateExpr::Heredoc(h) => Some(h.template.clone()),
        },
        _ => None,
    }
}

fn signed(body: &Body, name: &str) -> Option<i64> {
    match attr(body, name)? {
        Expression::Number(n) => n.as_i64(),
        _ => None,
    }
}

fn blocks<'a>(body: &'a Body, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    body.blocks().filter(move |b| b.identifier() == kind)
}

fn attr<'a>(body: &'a Body, name: &str) -> Option<&'a Expression> {
    body.attributes()
        .find(|a| a.key() == name)
        .map(|a| a.expr())
}

fn string(body: &Body, name: &str) -> Option<String> {
    match attr(body, name)? {
        Expression::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn list(body: &Body, name: &str) -> Vec<String> {
    match attr(body, name) {
        Some(Expression::Array(items)) => items
            .iter()
            .filter_map(|e| match e {
                Expression::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn number(body: &Body, name: &str) -> Option<u64> {
    match attr(body, name)? {
        Expression::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// A Go `time.ParseDuration` string of the forms eosc writes.
fn duration(body: &Body, name: &str) -> Option<Duration> {
    let s = string(body, name)?;
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = num.parse().ok()?;
    Some(match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        _ => return None,
    })
}

/// The placement and failure-handling rules (#18) fail where Nomad's
/// `Validate` functions do, each with its own code.
#[test]
fn the_placement_rules_reject_what_nomad_rejects() {
    let text = r#"
job "web" {
  type = "service"
  constraint {
    attribute = "${attr.kernel.name}"
    operator  = "regexp"
    value     = "(unclosed"
  }
  constraint {
    attribute = "${attr.kernel.version}"
    operator  = "version"
    value     = ">= 5.x"
  }
  constraint {
    attribute = "${meta.rack}"
    operator  = "is_set"
    value     = "a"
  }
  constraint {
    operator  = "="
    value     = "x"
  }
  group "web" {
    affinity {
      attribute = "${node.datacenter}"
      operator  = "="
      value     = "dc1"
      weight    = 0
    }
    spread {
      attribute = "${node.datacenter}"
      weight    = 50
      target "dc1" { percent = 70 }
      target "dc2" { percent = 40 }
    }
    restart {
      attempts = 5
      interval = "1m"
      delay    = "30s"
      mode     = "fail"
    }
    reschedule {
      attempts       = 10
      interval       = "1m"
      delay          = "30s"
      delay_function = "constant"
      max_delay      = "1h"
      unlimited      = false
    }
    migrate {
      max_parallel     = 1
      health_check     = "checks"
      min_healthy_time = "10m"
      healthy_deadline = "5m"
    }
    task "web" {}
  }
}
"#;
    let mut job = job_from_text(text).expect("parses");
    job.canonicalize();
    let rules: Vec<String> = job.validate().into_iter().map(|v| v.nomad).collect();
    for want in [
        "Regular expression failed to compile",
        "Version constraint is invalid: Malformed constraint: >= 5.x",
        "Operator \"is_set\" does not support an RTarget",
        "No LTarget provided but is required by constraint",
        "Affinity weight cannot be zero",
        "Sum of spread target percentages must not be greater than 100%; got 110%",
        "Nomad can't restart the TaskGroup 5 times in an interval of 1m with a delay of 30s",
        "Nomad can only make 2 attempts in 1m",
        "MinHealthyTime must be less than HealthyDeadline",
    ] {
        assert!(
            rules.iter().any(|r| r.starts_with(want)),
            "missing `{want}` in {rules:?}"
        );
    }
    assert_eq!(rules.len(), 9, "{rules:?}");
    // go-version's grammar: what NewConstraint takes and refuses.
    for ok in [
        ">= 1.2",
        "~> 1.2.3",
        "= 1.0.0-beta.1",
        "1.2, < 2",
        "v1.2.3+build.5",
        "1.2rc1",
    ] {
        assert_eq!(nomad_rules::version_constraint(ok, false), Ok(()), "{ok}");
    }
    for bad in ["", ">= ", "1.", "1..2", "> 1.x", "=> 1"] {
        assert!(
            nomad_rules::version_constraint(bad, false).is_err(),
            "{bad}"
        );
    }
    // Semver needs `-` before a pre-release and has no `~>`.
    assert!(nomad_rules::version_constraint("~> 1.2", true).is_err());
    assert!(nomad_rules::version_constraint("1.2rc1", true).is_err());
    assert_eq!(
        nomad_rules::version_constraint(">= 1.2.0-rc.1", true),
        Ok(())
    );
    // System jobs take no affinity, spread or reschedule; migrate is for
    // service jobs only.
    let system = text.replace("type = \"service\"", "type = \"system\"");
    let mut job = job_from_text(&system).expect("parses");
    job.canonicalize();
    let rules: Vec<String> = job.validate().into_iter().map(|v| v.nomad).collect();
    for want in [
        "System jobs may not have an affinity stanza",
        "System jobs may not have a spread stanza",
        "System jobs should not have a reschedule policy",
        "Job type \"system\" does not allow migrate block",
    ] {
        assert!(
            rules.iter().any(|r| r == want),
            "missing `{want}` in {rules:?}"
        );
    }
}
