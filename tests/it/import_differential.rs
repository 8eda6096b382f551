//! The differential request test of `eosc import`: the user's own
//! Caddyfile (tests/data/seed.Caddyfile) and docker-compose.yml
//! (tests/data/import/seed.docker-compose.yml) are imported in one command,
//! the imported spec is compiled, and its caddy.json runs in a real Caddy
//! on 127.0.0.1 beside `caddy adapt` of the original Caddyfile, both in
//! front of the same local backends (tests/caddy_support: only the listen
//! address, TLS automation and upstream dials are rewritten). Every probe
//! of the corpus — every host, every path and header of the snippets'
//! rules, with near misses — must get the same status, reach the same
//! backend and carry the same response headers from both.

use crate::support;
use crate::support::cli;

use crate::support::caddy::net::{get, Backend, Response, Role, TlsBackend};
use crate::support::caddy::{optional_tool, run, tool, TempDir};
use cli::eosc;
use std::collections::BTreeMap;
use std::net::SocketAddr;

const SEED: &str = include_str!("../data/seed.Caddyfile");

const HOSTS: [&str; 10] = [
    "hera.cybermonkey.dev",
    "cloud.cybermonkey.dev",
    "observe.cybermonkey.dev",
    "jenkins.cybermonkey.dev",
    "s3.cybermonkey.dev",
    "s3api.cybermonkey.dev",
    "persephone.cybermonkey.dev",
    "delphi.cybermonkey.dev",
    "u.cybermonkey.dev",
    "cybermonkey.dev",
];

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

/// What a client can tell about an answer.
#[derive(Debug, PartialEq)]
struct Seen {
    /// 0: the connection closed without a response.
    status: u16,
    backend: Option<String>,
    /// Every response header but `date` (the clock) and `content-length`
    /// (the echo body repeats the request, whose proxy headers carry the
    /// two Caddys' different ports).
    headers: BTreeMap<String, String>,
}

fn observe(r: &Response) -> Seen {
    Seen {
        status: r.status,
        backend: r.backend(),
        headers: r
            .headers
            .iter()
            .filter(|(k, _)| k.as_str() != "date" && k.as_str() != "content-length")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

struct Probe {
    host: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
}

/// The scanner paths of the `(security)` snippet, each globbed path with
/// a file under it, and the same with a suffix the regexp refuses.
fn scanner_paths() -> Vec<String> {
    let listed = crate::support::caddy::SCANNER_PATHS;
    let mut out = Vec::new();
    for p in listed {
        let base = p.replace('*', "index.php");
        out.push(base.clone());
        out.push(format!("{base}.bak"));
        out.push(p.replace('*', "dump.sql"));
        out.push(p.to_uppercase().replace('*', "x"));
    }
    for p in [
        "/vendor/phpunit/eval-stdin.php",
        "/node_modules/.bin/x",
        "/bower_components/a.js",
        "/db.sql",
        "/index.php.bak",
        "/.index.php.swp",
        "/error.log",
        "/site.orig",
        "/?rest_route=/wp/v2/users",
        "/index.php?rest_route=/",
        "/backup/vendor/x",
        "/tmp/node_modules/",
    ] {
        out.push(p.to_string());
    }
    out
}

fn corpus() -> Vec<Probe> {
    let mut out = Vec::new();
    let p = |host, path: &str, headers: &[(&'static str, &str)]| Probe {
        host,
        path: path.to_string(),
        headers: headers.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    };
    let ff = ("User-Agent", FIREFOX);
    for host in HOSTS {
        for path in [
            "/",
            "/index.html?page=2&sort=asc",
            "/search?q=caddy+json",
            "/administrator",
            "/blog/2025/07/old-post",
            "/sqlite-guide",
        ] {
            out.push(p(host, path, &[ff]));
            out.push(p(
                host,
                path,
                &[ff, ("Accept-Encoding", "gzip, deflate, br")],
            ));
        }
        for path in scanner_paths() {
            out.push(p(host, &path, &[ff]));
        }
        for hs in [
            vec![("Cf-Ray", "8a1b2c3d4e5f-FRA")],
            vec![("Cf-Worker", "evil.workers.dev")],
            vec![("Cf-Connecting-Ip", "203.0.113.9")],
            vec![("Cf-Ray", "x"), ("Cf-Connecting-Ip", "203.0.113.9")],
            vec![
                ("Cf-Ray", "x"),
                ("Cf-Worker", "w"),
                ("Cf-Connecting-Ip", "203.0.113.9"),
            ],
            vec![
                ("Cf-Ray", "x"),
                ("Cf-Worker", "w"),
                ("Cf-Connecting-Ip", "203.0.113.9"),
                ("Accept-Encoding", "gzip"),
            ],
        ] {
            let mut h = vec![ff];
            h.extend(hs);
            out.push(p(host, "/", &h));
            out.push(p(host, "/backup/site.sql", &h));
        }
        for ua in [
            "sqlmap/1.7.2#stable (https://sqlmap.org)",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
            "Nikto/2.5.0",
            "masscan/1.3",
            "Go-http-client/1.1",
            "Go-http-client/2.0",
            "curl/8.5.0",
            "python-requests/2.32.3",
        ] {
            out.push(p(host, "/", &[("User-Agent", ua)]));
        }
    }
    out.push(p("unknown.example.com", "/", &[ff]));
    out
}

/// Imports and compiles the seed; returns the imported caddy.json.
fn imported_config(dir: &TempDir) -> serde_json::Value {
    let spec = dir.path().join("hecate.hcl");
    let out = dir.path().join("out");
    let (spec_s, out_s) = (
        spec.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    eosc(
        &[
            "import",
            "caddyfile",
            "tests/data/seed.Caddyfile",
            "compose",
            "tests/data/import/seed.docker-compose.yml",
            "--project",
            "hecate",
            "-o",
            &spec_s,
        ],
        None,
    )
    .expect(0);
    eosc(&["compile", &spec_s, "-o", &out_s], None).expect(0);
    let text =
        std::fs::read_to_string(out.join("production/caddy/caddy.json")).expect("caddy.json");
    serde_json::from_str(&text).expect("caddy.json is JSON")
}

struct Backends {
    echo: BTreeMap<&'static str, Backend>,
    tls: Option<TlsBackend>,
}

impl Backends {
    /// The seed's upstream addresses and the imported spec's (the same
    /// addresses, and Consul's name for the Authentik app) → one local
    /// backend each.
    fn dial(&self, d: &str) -> Option<String> {
        let n = match d {
            "100.65.138.128:11000" => "nextcloud",
            "100.65.138.128:8069" => "grafana",
            "100.65.138.128:8059" => "jenkins",
            "100.65.138.128:8123" => "minio_console",
            "100.65.138.128:9123" => "minio_api",
            "100.69.147.69:8123" => "persephone",
            "100.65.138.128:8117" => "u_page",
            "100.65.138.128:8009" => "helen",
            "hecate-server-1:9000" | "server.service.consul" => "authentik",
            "100.88.163.85:443" => {
                return Some(match &self.tls {
                    Some(t) => t.addr.to_string(),
                    None => format!("127.0.0.1:{}", support::caddy::net::free_port()),
                })
            }
            _ => return None,
        };
        Some(self.echo[n].addr.to_string())
    }
}

fn send(at: SocketAddr, probe: &Probe) -> Seen {
    let headers: Vec<(&str, &str)> = probe
        .headers
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    observe(&get(at, probe.host, &probe.path, &headers))
}

#[test]
fn imported_seed_answers_like_the_original_caddyfile() {
    let Some(caddy) = tool("caddy") else { return };
    let openssl = optional_tool("openssl");
    let mut echo = BTreeMap::new();
    for n in [
        "nextcloud",
        "grafana",
        "jenkins",
        "minio_console",
        "minio_api",
        "persephone",
        "u_page",
        "helen",
        "authentik",
    ] {
        echo.insert(n, Backend::start(n, Role::Echo));
    }
    let backends = Backends {
        echo,
        tls: openssl.as_deref().map(TlsBackend::start),
    };
    let dir = TempDir::new("import-diff");
    let imported = imported_config(&dir);
    let original = run::adapt(&caddy, SEED);
    let a = run::start(&caddy, &original, &|d| backends.dial(d));
    let b = run::start(&caddy, &imported, &|d| backends.dial(d));
    let corpus: Vec<Probe> = corpus()
        .into_iter()
        .filter(|p| backends.tls.is_some() || p.host != "delphi.cybermonkey.dev")
        .collect();
    let mut failures = Vec::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for probe in &corpus {
        let (s, e) = (send(a.addr, probe), send(b.addr, probe));
        let kind = match (s.status, &s.backend) {
            (0, _) => "closed".to_string(),
            (st, Some(_)) => format!("{st} proxied"),
            (st, None) => format!("{st} answered by Caddy"),
        };
        *tally.entry(kind).or_default() += 1;
        if s != e {
            failures.push(format!(
                "{} {} {:?}\n  original: {s:?}\n  imported: {e:?}",
                probe.host, probe.path, probe.headers
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} probes differ:\n{}\n--- imported caddy log ---\n{}",
        failures.len(),
        corpus.len(),
        failures.join("\n"),
        b.log()
    );
    // The corpus reaches every backend and every refusal the snippets have.
    for (name, be) in &backends.echo {
        assert!(be.hits() > 0, "no probe reached {name}");
    }
    // (No probe gets 444: `@suspicious_agents` ANDs an exact agent with a
    // regexp it never matches, in the original and so in the import.)
    for kind in ["200 proxied", "404 answered by Caddy"] {
        assert!(
            tally.get(kind).copied().unwrap_or(0) > 0,
            "no probe got {kind}: {tally:?}"
        );
    }
    eprintln!(
        "import differential: {} probes, each sent to both Caddys: {tally:?}",
        corpus.len()
    );
}
