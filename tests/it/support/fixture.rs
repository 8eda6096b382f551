//! A hand-built checked model covering what the workload emitters must
//! express: a multi-task app with secrets, a volume and a canary rollout; a
//! batch app on a schedule; postgres with a static port; servers with
//! firewalls; an auth protecting routes. Some strings are hostile on
//! purpose (template markers, quotes, Go template braces).

use eosc::sema::model::*;
use indexmap::IndexMap;
use std::time::Duration;

/// An env value that must reach the container exactly as written.
pub const HOSTILE: &str = "a \"q\" \\ ${x} $${y} %{z} %%{w} {{t}} ü\ttab\nline";

fn s(x: &str) -> String {
    x.to_string()
}

fn map(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
    pairs.iter().map(|(k, v)| (s(k), s(v))).collect()
}

fn e(kind: Kind, name: &str) -> Entity {
    Entity {
        kind,
        name: s(name),
    }
}

pub fn model() -> Model {
    let env = Environment {
        name: s("production"),
        approval: true,
        promote_from: None,
        canary_stage: 1,
        host_suffix: None,
        region: None,
        own_images: false,
    };
    let mut secrets = IndexMap::new();
    for (name, path, key) in [
        (
            "db_password",
            "secret/hecate/authentik/db_password",
            "value",
        ),
        ("secret_key", "secret/hecate/authentik/secret_key", "value"),
        ("smtp_user", "secret/hecate/authentik/email", "user-name"),
        ("odd", "secret/we\"ird\\${path}", "value"),
    ] {
        secrets.insert(
            s(name),
            Secret {
                name: s(name),
                vault_path: s(path),
                key: s(key),
            },
        );
    }

    let mut servers = IndexMap::new();
    servers.insert(
        s("edge"),
        Server {
            name: s("edge"),
            server_type: s("cx22"),
            location: s("nbg1"),
            image: s("ubuntu-24.04"),
            count: 2,
            firewalls: vec![s("web"), s("cluster")],
            labels: map(&[("role", "edge"), ("environment", "production")]),
            node_class: s("edge"),
        },
    );
    servers.insert(
        s("db"),
        Server {
            name: s("db"),
            server_type: s("cx32"),
            location: s("fsn1"),
            image: s("ubuntu-24.04"),
            count: 1,
            firewalls: vec![s("cluster")],
            labels: IndexMap::new(),
            node_class: s("db"),
        },
    );

    let mut firewalls = IndexMap::new();
    firewalls.insert(
        s("web"),
        Firewall {
            name: s("web"),
            rules: vec![
                FirewallRule {
                    name: s("https"),
                    protocol: s("tcp"),
                    port: Some(PortRange { from: 443, to: 443 }),
                    from: vec![s("0.0.0.0/0"), s("::/0")],
                },
                FirewallRule {
                    name: s("turn_relay"),
                    protocol: s("udp"),
                    port: Some(PortRange {
                        from: 49160,
                        to: 49200,
                    }),
                    from: vec![s("0.0.0.0/0")],
                },
                FirewallRule {
                    name: s("ping"),
                    protocol: s("icmp"),
                    port: None,
                    from: vec![s("0.0.0.0/0")],
                },
            ],
        },
    );
    firewalls.insert(
        s("cluster"),
        Firewall {
            name: s("cluster"),
            rules: vec![FirewallRule {
                name: s("nomad_rpc"),
                protocol: s("tcp"),
                port: Some(PortRange {
                    from: 4647,
                    to: 4647,
                }),
                from: vec![s("10.0.0.0/8")],
            }],
        },
    );

    let mut rollouts = IndexMap::new();
    rollouts.insert(
        s("canary"),
        Rollout {
            name: s("canary"),
            strategy: Strategy::Canary,
            max_parallel: 1,
            min_healthy_time: Duration::from_secs(30),
            healthy_deadline: Duration::from_secs(300),
            progress_deadline: None,
            auto_revert: true,
            stagger: None,
            canaries: None,
            health_check: None,
            stages: vec![
                Stage {
                    traffic: 5.0,
                    bake: Some(Duration::from_secs(1800)),
                },
                Stage {
                    traffic: 100.0,
                    bake: None,
                },
            ],
        },
    );
    rollouts.insert(
        s("rolling"),
        Rollout {
            name: s("rolling"),
            strategy: Strategy::Rolling,
            max_parallel: 1,
            min_healthy_time: Duration::from_secs(60),
            healthy_deadline: Duration::from_secs(600),
            progress_deadline: None,
            auto_revert: true,
            stagger: None,
            canaries: None,
            health_check: None,
            stages: vec![],
        },
    );
    rollouts.insert(
        s("bluegreen"),
        Rollout {
            name: s("bluegreen"),
            strategy: Strategy::BlueGreen,
            max_parallel: 2,
            min_healthy_time: Duration::from_secs(10),
            healthy_deadline: Duration::from_secs(120),
            progress_deadline: None,
            auto_revert: false,
            stagger: None,
            canaries: None,
            health_check: None,
            stages: vec![],
        },
    );

    let res = |cpu, mem, max| Resources {
        cpu,
        memory_mb: mem,
        memory_max_mb: max,
    };
    let port = |name: &str, to: Option<u16>, st: Option<u16>| {
        (
            s(name),
            Port {
                name: s(name),
                to,
                static_port: st,
                range_end: None,
                protocol: Default::default(),
            },
        )
    };

    let mut apps = IndexMap::new();
    apps.insert(
        s("postgres"),
        App {
            name: s("postgres"),
            job_type: JobType::Service,
            service: s("postgres-authentik"),
            count: 1,
            runs_on: Some(s("db")),
            rollout: Some(s("rolling")),
            ports: [port("db", Some(5432), Some(5432))].into_iter().collect(),
            tasks: vec![Task {
                name: s("postgres"),
                image: s("postgres:16-alpine"),
                command: None,
                args: vec![],
                env: map(&[("POSTGRES_USER", "authentik"), ("POSTGRES_DB", "authentik")]),
                secrets: map(&[("POSTGRES_PASSWORD", "db_password")]),
                resources: res(500, 1024, None),
                ..Default::default()
            }],
            health: vec![Health {
                kind: HealthKind::Tcp,
                port: s("db"),
                interval: Duration::from_secs(10),
                timeout: Duration::from_secs(5),
                method: "GET".into(),
                header: IndexMap::new(),
                check_restart: CheckRestart::default(),
                protocol: "http".into(),
                tls_skip_verify: false,
            }],
            volumes: vec![Volume {
                name: s("data"),
                host: s("postgres-authentik"),
                path: s("/var/lib/postgresql/data"),
                read_only: false,
                host_path: None,
            }],
            depends_on: vec![],
            schedule: None,
            ephemeral_disk_mb: None,
            tags: Vec::new(),
            meta: IndexMap::new(),
            scheduling: Default::default(),
        },
    );
    apps.insert(
        s("authentik"),
        App {
            name: s("authentik"),
            job_type: JobType::Service,
            service: s("authentik-server"),
            count: 2,
            runs_on: Some(s("edge")),
            rollout: Some(s("canary")),
            ports: [
                port("http", Some(9000), None),
                port("metrics", Some(9300), None),
            ]
            .into_iter()
            .collect(),
            tasks: vec![
                Task {
                    name: s("server"),
                    image: s("ghcr.io/goauthentik/server:2025.6.1"),
                    command: Some(s("server")),
                    args: vec![],
                    env: map(&[("AUTHENTIK_LOG_LEVEL", "info"), ("HOSTILE", HOSTILE)]),
                    secrets: map(&[
                        ("AUTHENTIK_SECRET_KEY", "secret_key"),
                        ("AUTHENTIK_POSTGRESQL__PASSWORD", "db_password"),
                        ("AUTHENTIK_EMAIL__USERNAME", "smtp_user"),
                        ("ODD{{NAME", "odd"),
                    ]),
                    resources: res(750, 1024, Some(2048)),
                    ..Default::default()
                },
                Task {
                    name: s("worker"),
                    image: s("ghcr.io/goauthentik/server:2025.6.1"),
                    command: Some(s("worker")),
                    args: vec![],
                    env: map(&[("discovery.type", "single-node")]),
                    secrets: map(&[("AUTHENTIK_SECRET_KEY", "secret_key")]),
                    resources: res(500, 512, None),
                    ..Default::default()
                },
            ],
            health: vec![
                Health {
                    kind: HealthKind::Http {
                        path: s("/api/v3/root/config/"),
                    },
                    port: s("http"),
                    interval: Duration::from_secs(30),
                    timeout: Duration::from_secs(10),
                    method: "GET".into(),
                    header: IndexMap::new(),
                    check_restart: CheckRestart::default(),
                    protocol: "http".into(),
                    tls_skip_verify: false,
                },
                Health {
                    kind: HealthKind::Script {
                        command: s("/bin/sh"),
                        args: vec![s("-c"), s("test -f /tmp/ok")],
                    },
                    port: s("metrics"),
                    interval: Duration::from_secs(60),
                    timeout: Duration::from_secs(5),
                    method: "GET".into(),
                    header: IndexMap::new(),
                    check_restart: CheckRestart::default(),
                    protocol: "http".into(),
                    tls_skip_verify: false,
                },
            ],
            volumes: vec![Volume {
                name: s("media"),
                host: s("authentik-media"),
                path: s("/media"),
                read_only: false,
                host_path: None,
            }],
            depends_on: vec![s("postgres")],
            schedule: None,
            ephemeral_disk_mb: Some(300),
            tags: Vec::new(),
            meta: IndexMap::new(),
            scheduling: Default::default(),
        },
    );
    apps.insert(
        s("helen"),
        App {
            name: s("helen"),
            job_type: JobType::Service,
            service: s("helen-web"),
            count: 3,
            runs_on: None,
            rollout: Some(s("bluegreen")),
            ports: [port("http", Some(80), None)].into_iter().collect(),
            tasks: vec![Task {
                name: s("helen"),
                image: s("registry.example.net:5000/helen:2026.11.22"),
                command: None,
                args: vec![s("--bind"), s("${NOMAD_PORT_http}")],
                env: IndexMap::new(),
                secrets: IndexMap::new(),
                resources: res(100, 64, None),
                ..Default::default()
            }],
            health: vec![Health {
                kind: HealthKind::Http { path: s("/health") },
                port: s("http"),
                interval: Duration::from_secs(30),
                timeout: Duration::from_secs(5),
                method: "GET".into(),
                header: IndexMap::new(),
                check_restart: CheckRestart::default(),
                protocol: "http".into(),
                tls_skip_verify: false,
            }],
            volumes: vec![Volume {
                name: s("data"),
                host: s("helen-data"),
                path: s("/data"),
                read_only: true,
                host_path: None,
            }],
            depends_on: vec![],
            schedule: None,
            ephemeral_disk_mb: None,
            tags: Vec::new(),
            meta: IndexMap::new(),
            scheduling: Default::default(),
        },
    );
    apps.insert(
        s("backup"),
        App {
            name: s("backup"),
            job_type: JobType::Batch,
            service: s("backup"),
            count: 1,
            runs_on: Some(s("db")),
            rollout: None,
            ports: IndexMap::new(),
            tasks: vec![Task {
                name: s("backup"),
                image: s("postgres:16-alpine"),
                command: Some(s("/bin/sh")),
                args: vec![s("-c"), s("pg_dumpall > /backup/all.sql")],
                env: IndexMap::new(),
                secrets: map(&[("PGPASSWORD", "db_password")]),
                resources: res(200, 256, None),
                ..Default::default()
            }],
            health: vec![],
            volumes: vec![],
            depends_on: vec![s("postgres")],
            schedule: Some(s("0 3 * * *")),
            ephemeral_disk_mb: None,
            tags: Vec::new(),
            meta: IndexMap::new(),
            scheduling: Default::default(),
        },
    );

    let mut auths = IndexMap::new();
    auths.insert(
        s("staff"),
        Auth {
            name: s("staff"),
            provider: s("authentik"),
            outpost: Target::App {
                app: s("authentik"),
                port: s("http"),
            },
            groups: vec![s("employees"), s("contractors")],
            token: None,
        },
    );
    auths.insert(
        s("admins"),
        Auth {
            name: s("admins"),
            provider: s("authentik"),
            outpost: Target::App {
                app: s("authentik"),
                port: s("http"),
            },
            groups: vec![s("admins"), s("employees")],
            token: None,
        },
    );

    let route = |host: &str, path: Option<&str>, target: Target, auth: Option<&str>| Route {
        host: s(host),
        path: path.map(s),
        action: RouteAction::Proxy(target),
        middleware: vec![],
        auth: auth.map(s),
        log: None,
        dns_external: false,
        verify: Vec::new(),
        proxy: Default::default(),
    };
    let routes = vec![
        route(
            "hera.example.com",
            None,
            Target::App {
                app: s("authentik"),
                port: s("http"),
            },
            None,
        ),
        route(
            "jenkins.example.com",
            Some("/github-webhook/*"),
            Target::Upstream(s("jenkins")),
            None,
        ),
        route(
            "jenkins.example.com",
            None,
            Target::Upstream(s("jenkins")),
            Some("admins"),
        ),
        route(
            "observe.example.com",
            None,
            Target::Upstream(s("grafana")),
            Some("staff"),
        ),
        route(
            "example.com",
            None,
            Target::App {
                app: s("helen"),
                port: s("http"),
            },
            None,
        ),
    ];

    let mut upstreams = IndexMap::new();
    for (n, t) in [
        ("jenkins", "100.65.138.128:8059"),
        ("grafana", "100.65.138.128:8069"),
    ] {
        upstreams.insert(
            s(n),
            Upstream {
                name: s(n),
                targets: vec![s(t)],
                tls: false,
                tls_skip_verify: false,
                health: None,
            },
        );
    }

    let edges = vec![
        (e(Kind::App, "postgres"), e(Kind::Server, "db")),
        (e(Kind::App, "postgres"), e(Kind::Secret, "db_password")),
        (e(Kind::App, "authentik"), e(Kind::App, "postgres")),
        (e(Kind::App, "authentik"), e(Kind::Server, "edge")),
        (e(Kind::App, "authentik"), e(Kind::Rollout, "canary")),
        (e(Kind::App, "backup"), e(Kind::App, "postgres")),
        (e(Kind::App, "backup"), e(Kind::Server, "db")),
        (e(Kind::Server, "edge"), e(Kind::Firewall, "web")),
        (e(Kind::Auth, "staff"), e(Kind::App, "authentik")),
    ];
    let graph = Graph {
        nodes: vec![],
        edges,
        order: vec![],
    };

    Model {
        source_name: s("hecate.hcl"),
        input_hash: s("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        model_hash: s("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"),
        env: env.clone(),
        environments: vec![env],
        project: Project {
            name: s("fixture"),
            datacenters: vec![s("dc1")],
            region: s("global"),
            registry: Some(s("registry.example.net:5000")),
            vault: Some(s("https://vault.example.com")),
            hcloud_token: None,
            acme_email: None,
            caddy_admin: s("localhost:2019"),
            caddy_plugins: vec![],
            nameservers: vec![],
            salt_targets: IndexMap::new(),
            edge: Default::default(),
            terraform_backend: Default::default(),
            log: None,
            storage: None,
        },
        vars: IndexMap::new(),
        secrets,
        servers,
        firewalls,
        apps,
        upstreams,
        middlewares: IndexMap::new(),
        auths,
        routes,
        zones: IndexMap::new(),
        rollouts,
        pipelines: IndexMap::new(),
        streams: IndexMap::new(),
        proxy_servers: Vec::new(),
        graph,
    }
}
