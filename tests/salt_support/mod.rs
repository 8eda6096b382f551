//! Shared by the Salt and Jenkins tests: a hand-built model (until specs
//! can be checked end to end), tool lookup and temp dirs.
#![allow(dead_code)]

#[path = "../support/fs_loader.rs"]
mod fs_loader;
use eosc::sema::model::*;
use indexmap::IndexMap;
use std::path::{Path, PathBuf};
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
        }],
        volumes: if stateful {
            vec![Volume {
                name: "data".into(),
                host: format!("{name}-data"),
                path: "/data".into(),
                read_only: false,
            }]
        } else {
            vec![]
        },
        depends_on: depends_on.iter().map(|s| s.to_string()).collect(),
        schedule: None,
        ephemeral_disk_mb: None,
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
    }
}

fn environment(name: &str) -> Environment {
    match name {
        "production" => Environment {
            name: "production".into(),
            approval: true,
            promote_from: Some("staging".into()),
            canary_stage: 1,
        },
        other => Environment {
            name: other.into(),
            approval: false,
            promote_from: None,
            canary_stage: 1,
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
    let mut vars = IndexMap::new();
    vars.insert("replicas".to_string(), serde_json::json!(2));
    vars.insert("ratio".to_string(), serde_json::json!(0.5));
    vars.insert("version".to_string(), serde_json::json!("2026-11-22"));
    vars.insert("on".to_string(), serde_json::json!("on"));
    vars.insert("time".to_string(), serde_json::json!("1:20"));
    vars.insert("nasty".to_string(), serde_json::json!(NASTY));
    vars.insert("list".to_string(), serde_json::json!(["a", 1, true, null]));
    let routes = vec![
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
            acme_email: Some("ops@cybermonkey.net.au".into()),
            caddy_admin: "localhost:2019".into(),
            caddy_plugins: vec![],
            nameservers: vec![],
            salt_targets,
            edge: Default::default(),
        },
        vars,
        secrets,
        servers: IndexMap::new(),
        firewalls: IndexMap::new(),
        apps,
        upstreams: IndexMap::new(),
        middlewares: IndexMap::new(),
        auths: IndexMap::new(),
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

/// A tool on PATH; `None` (after a loud note) when missing outside CI.
pub fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let p = dir.join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{name} not found: run scripts/install-test-tools.sh");
    }
    eprintln!("!!!!! SKIPPED: {name} not found on PATH (run scripts/install-test-tools.sh) !!!!!");
    None
}

/// A fresh empty directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "eosc-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Removes a directory when dropped, also when a test fails.
pub struct Cleanup(pub PathBuf);
impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
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

pub mod salt;

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
    eosc::emit::salt::steps::route_checks(model, "hecate_verify_")
        .iter()
        .map(|c| (c.id.clone(), eosc::sema::graph::route_name(c.route)))
        .collect()
}

/// The checked models of a spec file (every environment); panics with the
/// diagnostics when it does not check.
pub fn models_of(path: &Path) -> Vec<Model> {
    let loader = fs_loader::FsLoader::new(path);
    let root = fs_loader::FsLoader::root_name(path);
    let checked = eosc::check(&root, &loader).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        !checked.models.is_empty(),
        "{} does not check: {:?}",
        path.display(),
        checked.diagnostics
    );
    checked.models
}

/// `examples/*/hecate.hcl` and `tests/cases/ok/*.hcl`, sorted.
pub fn spec_files() -> Vec<PathBuf> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(base.join("examples")) {
        for e in rd.flatten() {
            let p = e.path().join("hecate.hcl");
            if p.is_file() {
                out.push(p);
            }
        }
    }
    if let Ok(rd) = std::fs::read_dir(base.join("tests/cases/ok")) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "hcl") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A short name for a spec: `cybermonkey` for `examples/cybermonkey/hecate.hcl`,
/// the file stem for an ok case.
pub fn case_name(path: &Path) -> String {
    if path.file_name().is_some_and(|f| f == "hecate.hcl") {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        path.file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}
