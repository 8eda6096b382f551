//! Shared by the Salt and Jenkins tests: a hand-built model (until specs
//! can be checked end to end) and running tools without a network.

pub use super::tools::{tool, TempDir};

use eosc::sema::model::*;
use indexmap::IndexMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// A string that breaks every target language that fails to escape it.
pub const NASTY: &str = "{{ salt['cmd.run']('id') }} {% if 1 %}x{% endif %} a: b # c\n- d * &e @f 'g' \"h\" ${System.exit(1)} $x ''' \"\"\" \\ \\n \\u0041 tab\there";

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn entity(kind: Kind, name: &str) -> Entity {
    Entity {
        kind,
        name: name.to_string(),
    }
}

fn task(name: &str, image: &str) -> Task {
    Task {
        name: name.into(),
        image: image.into(),
        command: None,
        args: vec![],
        env: IndexMap::new(),
        secrets: IndexMap::new(),
        resources: Resources {
            cpu: 500,
            memory_mb: 256,
            memory_max_mb: None,
        },
        ..Default::default()
    }
}

fn app(name: &str, image: &str, depends_on: &[&str], stateful: bool, rollout: Option<&str>) -> App {
    let mut ports = IndexMap::new();
    ports.insert(
        "http".to_string(),
        Port {
            name: "http".into(),
            to: Some(80),
            static_port: None,
            range_end: None,
            protocol: Default::default(),
        },
    );
    App {
        name: name.into(),
        job_type: JobType::Service,
        service: name.into(),
        count: 1,
        runs_on: Some("edge".into()),
        rollout: rollout.map(str::to_string),
        ports,
        tasks: vec![task(name, image)],
        health: vec![Health {
            kind: HealthKind::Http {
                path: "/health".into(),
            },
            port: "http".into(),
            interval: secs(30),
            timeout: secs(5),
            method: "GET".into(),
            header: IndexMap::new(),
            check_restart: CheckRestart::default(),
            protocol: "http".into(),
            tls_skip_verify: false,
        }],
        volumes: if stateful {
            vec![Volume {
                name: "data".into(),
                host: format!("{name}-data"),
                path: "/data".into(),
                read_only: false,
                host_path: None,
            }]
        } else {
            vec![]
        },
        depends_on: depends_on.iter().map(|s| s.to_string()).collect(),
        schedule: None,
        ephemeral_disk_mb: None,
        tags: Vec::new(),
        meta: IndexMap::new(),
        scheduling: Default::default(),
    }
}

fn route(host: &str, path: Option<&str>, action: RouteAction, auth: Option<&str>) -> Route {
    Route {
        host: host.into(),
        path: path.map(str::to_string),
        action,
        middleware: vec!["common".into()],
        auth: auth.map(str::to_string),
        log: None,
        dns_external: false,
        verify: Vec::new(),
        proxy: Default::default(),
    }
}

fn environment(name: &str) -> Environment {
    match name {
        "production" => Environment {
            name: "production".into(),
            approval: true,
            promote_from: Some("staging".into()),
            canary_stage: 1,
            host_suffix: None,
            region: None,
            own_images: false,
        },
        other => Environment {
            name: other.into(),
            approval: false,
            promote_from: None,
            canary_stage: 1,
            host_suffix: None,
            region: None,
            own_images: false,
        },
    }
}

/// The user's deployment in small: stateful postgres and redis, Authentik
/// depending on both, Helen (a canary) depending on Authentik, an external
/// upstream, a redirect and a fixed response.
pub fn model(env: &str) -> Model {
    let mut apps = IndexMap::new();
    // Declared out of dependency order on purpose.
    for a in [
        app(
            "helen",
            "registry.cybermonkey.net.au/helen:2026.11.22",
            &["authentik"],
            false,
            Some("canary"),
        ),
        app(
            "authentik",
            "ghcr.io/goauthentik/server:2025.6.1",
            &["postgres", "redis"],
            false,
            None,
        ),
        app("postgres", "postgres:16-alpine", &[], true, None),
        app("redis", "redis:7-alpine", &[], true, None),
        app("whoami", "traefik/whoami:v1.10", &[], false, None),
    ] {
        apps.insert(a.name.clone(), a);
    }
    let mut rollouts = IndexMap::new();
    rollouts.insert(
        "canary".to_string(),
        Rollout {
            name: "canary".into(),
            strategy: Strategy::Canary,
            max_parallel: 1,
            min_healthy_time: secs(30),
            healthy_deadline: secs(300),
            progress_deadline: None,
            auto_revert: true,
            stagger: None,
            canaries: None,
            health_check: None,
            stages: vec![
                Stage {
                    traffic: 5.0,
                    bake: Some(secs(1800)),
                },
                Stage {
                    traffic: 25.5,
                    bake: Some(secs(7200)),
                },
                Stage {
                    traffic: 100.0,
                    bake: None,
                },
            ],
        },
    );
    let mut secrets = IndexMap::new();
    secrets.insert(
        "authentik_secret_key".to_string(),
        Secret {
            name: "authentik_secret_key".into(),
            vault_path: "secret/hecate/authentik/secret_key".into(),
            key: "value".into(),
        },
    );
    secrets.insert(
        "authentik_bootstrap_token".to_string(),
        Secret {
            name: "authentik_bootstrap_token".into(),
            vault_path: "secret/hecate/authentik/bootstrap_token".into(),
            key: "value".into(),
        },
    );
    let mut auths = IndexMap::new();
    auths.insert(
        "staff".to_string(),
        Auth {
            name: "staff".into(),
            provider: "authentik".into(),
            outpost: Target::App {
                app: "authentik".into(),
                port: "http".into(),
            },
            groups: vec!["staff".into()],
            token: Some("authentik_bootstrap_token".into()),
        },
    );
    let mut vars = IndexMap::new();
    vars.insert("replicas".to_string(), serde_json::json!(2));
    vars.insert("ratio".to_string(), serde_json::json!(0.5));
    vars.insert("version".to_string(), serde_json::json!("2026-11-22"));
    vars.insert("on".to_string(), serde_json::json!("on"));
    vars.insert("time".to_string(), serde_json::json!("1:20"));
    vars.insert("nasty".to_string(), serde_json::json!(NASTY));
    vars.insert("list".to_string(), serde_json::json!(["a", 1, true, null]));
    let mut routes = vec![
        route(
            "cybermonkey.dev",
            Some("/api/*"),
            RouteAction::Proxy(Target::App {
                app: "helen".into(),
                port: "http".into(),
            }),
            None,
        ),
        route(
            "cybermonkey.dev",
            None,
            RouteAction::Proxy(Target::App {
                app: "helen".into(),
                port: "http".into(),
            }),
            None,
        ),
        route(
            "delphi.cybermonkey.dev",
            None,
            RouteAction::Proxy(Target::Upstream("wazuh".into())),
            Some("staff"),
        ),
        route(
            "hera.cybermonkey.dev",
            None,
            RouteAction::Proxy(Target::App {
                app: "authentik".into(),
                port: "http".into(),
            }),
            None,
        ),
        route(
            "old.cybermonkey.dev",
            None,
            RouteAction::Redirect {
                to: "https://cybermonkey.dev".into(),
                status: 308,
            },
            None,
        ),
        route(
            "u.cybermonkey.dev",
            None,
            RouteAction::Respond {
                status: 404,
                body: None,
            },
            None,
        ),
    ];
    // Helen verifies as seed 000 does: /health answers 200 and the page
    // says "Helen".
    routes[1].verify = vec![
        RouteVerify {
            path: Some("/health".into()),
            status: 200,
            body_contains: None,
            headers: IndexMap::new(),
        },
        RouteVerify {
            path: None,
            status: 200,
            body_contains: Some("Helen".into()),
            headers: [("Content-Type".to_string(), "text/html".to_string())]
                .into_iter()
                .collect(),
        },
    ];
    let mut credentials = IndexMap::new();
    credentials.insert(
        "SALT_API_CREDS".to_string(),
        "salt-api-credentials".to_string(),
    );
    credentials.insert("HCLOUD_TOKEN".to_string(), "hcloud-token".to_string());
    let mut pipelines = IndexMap::new();
    pipelines.insert(
        "deploy".to_string(),
        Pipeline {
            name: "deploy".into(),
            agent: "any".into(),
            branch: "main".into(),
            environments: vec!["staging".into(), "production".into()],
            notify: Some("deployments".into()),
            credentials,
            timeout: secs(3600),
        },
    );
    let mut salt_targets = IndexMap::new();
    salt_targets.insert(
        "controller".to_string(),
        "roles:hecate-controller".to_string(),
    );
    salt_targets.insert("proxy".to_string(), "roles:hecate-proxy".to_string());

    let mut edges = vec![];
    for a in apps.values() {
        for d in &a.depends_on {
            edges.push((entity(Kind::App, &a.name), entity(Kind::App, d)));
        }
        edges.push((entity(Kind::App, &a.name), entity(Kind::Server, "edge")));
    }
    edges.push((
        entity(Kind::App, "authentik"),
        entity(Kind::Secret, "authentik_secret_key"),
    ));
    for r in &routes {
        if let RouteAction::Proxy(Target::App { app, .. }) = &r.action {
            edges.push((
                entity(Kind::Route, &eosc::sema::graph::route_name(r)),
                entity(Kind::App, app),
            ));
        }
    }
    let mut nodes: Vec<Entity> = edges
        .iter()
        .flat_map(|(a, b)| [a.clone(), b.clone()])
        .collect();
    nodes.sort();
    nodes.dedup();

    Model {
        source_name: "hecate.hcl".into(),
        input_hash: "0123456789abcdef".into(),
        model_hash: "fedcba9876543210".into(),
        env: environment(env),
        environments: vec![environment("staging"), environment("production")],
        project: Project {
            name: "cybermonkey".into(),
            datacenters: vec!["dc1".into()],
            region: "global".into(),
            registry: Some("registry.cybermonkey.net.au".into()),
            vault: Some("https://vault.cybermonkey.dev".into()),
            hcloud_token: None,
            acme_email: Some("ops@cybermonkey.net.au".into()),
            caddy_admin: "localhost:2019".into(),
            caddy_plugins: vec![],
            nameservers: vec![],
            salt_targets,
            edge: Default::default(),
            terraform_backend: Default::default(),
            log: None,
            storage: None,
        },
        vars,
        secrets,
        servers: IndexMap::new(),
        firewalls: IndexMap::new(),
        apps,
        upstreams: IndexMap::new(),
        middlewares: IndexMap::new(),
        auths,
        routes,
        zones: IndexMap::new(),
        rollouts,
        pipelines,
        streams: IndexMap::new(),
        proxy_servers: Vec::new(),
        graph: Graph {
            nodes: nodes.clone(),
            edges,
            order: nodes,
        },
    }
}

pub fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, contents).expect("write");
}

/// Runs a command, with only loopback networking when `unshare -n` works.
pub fn run(cmd: &Path, args: &[&str]) -> std::process::Output {
    let isolated = Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success());
    let out = if isolated {
        Command::new("unshare")
            .arg("-n")
            .arg(cmd)
            .args(args)
            .output()
    } else {
        Command::new(cmd).args(args).output()
    };
    out.unwrap_or_else(|e| panic!("cannot run {}: {e}", cmd.display()))
}

pub mod real;

/// `(state, required state)` pairs among the app states of an
/// orchestration, read back from its YAML.
pub fn yaml_requisites(sls: &str, kind: &str) -> std::collections::BTreeSet<(String, String)> {
    let doc: serde_yaml::Value = serde_yaml::from_str(sls).expect("SLS is YAML");
    let mut out = std::collections::BTreeSet::new();
    for (id, body) in doc.as_mapping().into_iter().flatten() {
        let id = id.as_str().expect("string ID").to_string();
        for (_, args) in body.as_mapping().into_iter().flatten() {
            for arg in args.as_sequence().into_iter().flatten() {
                for r in arg
                    .get(kind)
                    .and_then(|v| v.as_sequence())
                    .into_iter()
                    .flatten()
                {
                    for (_, target) in r.as_mapping().into_iter().flatten() {
                        out.insert((id.clone(), target.as_str().expect("ID").to_string()));
                    }
                }
            }
        }
    }
    out
}

/// The requisites the graph demands: an app state requires the app states
/// of its direct app dependencies; a route check (state ID, route name)
/// requires the app states of the apps the route's node points to.
pub fn graph_requisites(
    model: &Model,
    verify_ids: &[(String, String)],
) -> std::collections::BTreeSet<(String, String)> {
    let mut out = std::collections::BTreeSet::new();
    for (a, b) in &model.graph.edges {
        if a.kind == Kind::App && b.kind == Kind::App {
            out.insert((
                format!("hecate_nomad_{}", a.name),
                format!("hecate_nomad_{}", b.name),
            ));
        }
        if a.kind == Kind::Route && b.kind == Kind::App {
            for (id, route) in verify_ids {
                if *route == a.name {
                    out.insert((id.clone(), format!("hecate_nomad_{}", b.name)));
                }
            }
        }
    }
    out
}

/// `(route check state ID, route name)` of a model's orchestration.
pub fn verify_ids(model: &Model) -> Vec<(String, String)> {
    eosc::plan::plan(model)
        .deploy
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            eosc::plan::StepKind::Verify { route } => Some((s.id.clone(), route.clone())),
            _ => None,
        })
        .collect()
}
