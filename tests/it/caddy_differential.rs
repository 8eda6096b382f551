//! The user's own Caddyfile (tests/data/seed.Caddyfile, copied verbatim
//! from their notes) against eosc's config for the same deployment: both
//! run side by side on loopback in front of the same backends and get the
//! same requests. Routing, security headers and compression agree; every
//! divergence is listed below with its cause, and eosc's side is what the
//! user meant. eosc's side is examples/cybermonkey/hecate.hcl (production).

use crate::support::caddy::net::{get, Backends, Response};
use crate::support::caddy::{cybermonkey, optional_tool, run, tool};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;

const SEED: &str = include_str!("../data/seed.Caddyfile");

const SECURITY_HEADERS: [&str; 5] = [
    "x-frame-options",
    "x-content-type-options",
    "strict-transport-security",
    "referrer-policy",
    "x-xss-protection",
];

/// Why the seed and eosc answer a request differently. eosc's answer is the
/// intended one in every case.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cause {
    /// The spec puts Authentik forward auth in front of the admin consoles
    /// (Grafana, Jenkins, MinIO consoles, Wazuh); the Caddyfile had none.
    /// Without a session eosc answers the outpost's 401, the seed proxies.
    AuthAdded,
    /// `@blocked` lists three `header` lines; Caddy merges them into one
    /// header matcher that needs ALL of Cf-Worker, Cf-Connecting-Ip and
    /// Cf-Ray. A request with one or two of them passes the seed.
    CloudflareHeadersAnded,
    /// `@scanners` holds `path` and `path_regexp` in one named matcher;
    /// Caddy ANDs matchers of different types, so the seed blocks only a
    /// listed path that also matches the regexp (e.g. /backup/db.sql), and
    /// neither `/.env` nor `/x.sql` alone.
    ScannerPathAndRegexpAnded,
    /// The `\?rest_route=` branch of the scanner regexp never matches: a
    /// path regexp sees the path, never the query string. eosc matches the
    /// `rest_route` query parameter.
    RestRouteQueryNeverSeen,
    /// `@suspicious_agents` ANDs an exact `User-Agent: Go-http-client/1.1`
    /// with a regexp that string never matches, so the seed refuses no
    /// agent at all. eosc refuses either, by closing the connection (the
    /// `444` the comment asks for is nginx's; Caddy's `respond 444` sends
    /// a response with status 444, see `seed_respond_444_is_a_status`).
    AgentsAnded,
    /// Both refuse with 404, but the seed's 404 carries the security
    /// headers: the Caddyfile's directive order runs `header` before
    /// `respond`. eosc refuses before doing anything else.
    BlockedResponseHeaders,
}

#[derive(Clone, Debug, PartialEq)]
struct Seen {
    /// 0: closed without a response.
    status: u16,
    backend: Option<String>,
    security_headers: Vec<&'static str>,
    encoding: Option<String>,
}

fn observe(r: &Response) -> Seen {
    Seen {
        status: r.status,
        backend: r.backend(),
        security_headers: SECURITY_HEADERS
            .iter()
            .copied()
            .filter(|h| r.header(h).is_some())
            .collect(),
        encoding: r.header("content-encoding").map(String::from),
    }
}

/// Does the pair (seed, eosc) show exactly the divergence `cause` names?
fn shows(cause: Cause, seed: &Seen, eosc: &Seen) -> bool {
    let seed_served = seed.status == 200 && seed.backend.is_some();
    let eosc_refused_404 = eosc.status == 404 && eosc.backend.is_none();
    match cause {
        Cause::AuthAdded => seed_served && eosc.status == 401 && eosc.backend.is_none(),
        Cause::CloudflareHeadersAnded
        | Cause::ScannerPathAndRegexpAnded
        | Cause::RestRouteQueryNeverSeen => {
            seed_served && eosc_refused_404 && eosc.security_headers.is_empty()
        }
        Cause::AgentsAnded => seed_served && eosc.status == 0,
        Cause::BlockedResponseHeaders => {
            seed.status == 404
                && eosc_refused_404
                && seed.security_headers.len() == SECURITY_HEADERS.len()
                && eosc.security_headers.is_empty()
        }
    }
}

struct Probe {
    host: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    expect: Option<Cause>,
}

const HOSTS: [(&str, bool); 10] = [
    ("hera.cybermonkey.dev", false),
    ("cloud.cybermonkey.dev", false),
    ("observe.cybermonkey.dev", true),
    ("jenkins.cybermonkey.dev", true),
    ("s3.cybermonkey.dev", true),
    ("s3api.cybermonkey.dev", false),
    ("persephone.cybermonkey.dev", true),
    ("delphi.cybermonkey.dev", true),
    ("u.cybermonkey.dev", false),
    ("cybermonkey.dev", false),
];

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

fn corpus() -> Vec<Probe> {
    let mut out = Vec::new();
    let p = |host, path: &str, headers: &[(&'static str, &str)], expect| Probe {
        host,
        path: path.to_string(),
        headers: headers.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        expect,
    };
    // Every host, normal browsing, with and without a session, compressed or not.
    for (host, auth) in HOSTS {
        for path in ["/", "/index.html?page=2&sort=asc", "/search?q=caddy+json"] {
            let ua = ("User-Agent", FIREFOX);
            out.push(p(host, path, &[ua, ("X-Test-Allow", "1")], None));
            out.push(p(
                host,
                path,
                &[
                    ua,
                    ("X-Test-Allow", "1"),
                    ("Accept-Encoding", "gzip, deflate, br"),
                ],
                None,
            ));
            out.push(p(host, path, &[ua], auth.then_some(Cause::AuthAdded)));
        }
        // Ordinary non-browser clients are not scanners.
        for ua in ["curl/8.5.0", "python-requests/2.32.3", "Go-http-client/2.0"] {
            out.push(p(
                host,
                "/",
                &[("User-Agent", ua), ("X-Test-Allow", "1")],
                None,
            ));
        }
    }
    let allow = ("X-Test-Allow", "1");
    let ff = ("User-Agent", FIREFOX);
    for host in [
        "cloud.cybermonkey.dev",
        "observe.cybermonkey.dev",
        "cybermonkey.dev",
    ] {
        // Cloudflare headers.
        for hs in [
            vec![("Cf-Ray", "8a1b2c3d4e5f-FRA")],
            vec![("Cf-Worker", "evil.workers.dev")],
            vec![("Cf-Connecting-Ip", "203.0.113.9")],
            vec![("Cf-Ray", "x"), ("Cf-Connecting-Ip", "203.0.113.9")],
        ] {
            let mut h = vec![ff, allow];
            h.extend(hs);
            out.push(p(host, "/", &h, Some(Cause::CloudflareHeadersAnded)));
        }
        let all = [
            ff,
            allow,
            ("Cf-Ray", "x"),
            ("Cf-Worker", "w"),
            ("Cf-Connecting-Ip", "203.0.113.9"),
        ];
        out.push(p(host, "/", &all, Some(Cause::BlockedResponseHeaders)));
        // Scanner paths: listed only, regexp only, both.
        for path in [
            "/wp-admin/install.php",
            "/wp-login.php",
            "/.env",
            "/.git/HEAD",
            "/phpmyadmin/",
            "/config.json",
            "/.DS_Store",
            "/phpinfo.php",
            "/telescope/requests",
            "/.well-known/security.txt",
            "/admin/login",
            "/shell.php",
            "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
            "/node_modules/.bin/x",
            "/db.sql",
            "/index.php.bak",
            "/.index.php.swp",
            "/error.log",
        ] {
            out.push(p(
                host,
                path,
                &[ff, allow],
                Some(Cause::ScannerPathAndRegexpAnded),
            ));
        }
        for path in [
            "/backup/site.sql",
            "/old/index.php.orig",
            "/tmp/dump.tmp",
            "/sql/x.bak",
        ] {
            out.push(p(
                host,
                path,
                &[ff, allow],
                Some(Cause::BlockedResponseHeaders),
            ));
        }
        out.push(p(
            host,
            "/?rest_route=/wp/v2/users",
            &[ff, allow],
            Some(Cause::RestRouteQueryNeverSeen),
        ));
        out.push(p(
            host,
            "/index.php?rest_route=/",
            &[ff, allow],
            Some(Cause::RestRouteQueryNeverSeen),
        ));
        // Hostile agents.
        for ua in [
            "sqlmap/1.7.2#stable (https://sqlmap.org)",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0)",
            "Nikto/2.5.0",
            "masscan/1.3",
            "Go-http-client/1.1",
        ] {
            out.push(p(
                host,
                "/",
                &[("User-Agent", ua), allow],
                Some(Cause::AgentsAnded),
            ));
        }
        // Near misses that must pass both.
        for path in [
            "/wp-content/themes/x.css",
            "/administrator",
            "/blog/2025/07/old-post",
            "/sqlite-guide",
            "/?route=1",
        ] {
            out.push(p(host, path, &[ff, allow], None));
        }
    }
    // A host neither config serves.
    out.push(p("unknown.example.com", "/", &[ff], None));
    out
}

/// Both configs' upstreams (the seed's addresses and eosc's Consul names)
/// → the same local backends.
const DIALS: &[(&str, &str)] = &[
    ("100.65.138.128:11000", "nextcloud"),
    ("100.65.138.128:8069", "grafana"),
    ("100.65.138.128:8059", "jenkins"),
    ("100.65.138.128:8123", "minio_console"),
    ("100.65.138.128:9123", "minio_api"),
    ("100.69.147.69:8123", "persephone"),
    ("100.65.138.128:8117", "u_page"),
    ("100.65.138.128:8009", "helen"),
    ("stable.helen-web.service.consul", "helen"),
    ("canary.helen-web.service.consul", "helen"),
    ("hecate-server-1:9000", "authentik"),
    ("authentik-server.service.consul", "authentik"),
];

fn send(at: SocketAddr, probe: &Probe) -> Seen {
    let headers: Vec<(&str, &str)> = probe
        .headers
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    observe(&get(at, probe.host, &probe.path, &headers))
}

#[test]
fn seed_and_eosc_agree_except_the_listed_divergences() {
    let Some(caddy) = tool("caddy") else { return };
    let openssl = optional_tool("openssl");
    let backends = Backends::start(DIALS, openssl.as_deref());
    let seed_json = run::adapt(&caddy, SEED);
    let eosc_json = eosc::emit::caddy::config(&cybermonkey(4));
    let seed = run::start(&caddy, &seed_json, &|d| backends.dial(d));
    let eosc = run::start(&caddy, &eosc_json, &|d| backends.dial(d));

    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    // Without openssl there is no HTTPS backend: leave the TLS site out.
    let corpus: Vec<Probe> = corpus()
        .into_iter()
        .filter(|p| backends.tls.is_some() || p.host != "delphi.cybermonkey.dev")
        .collect();
    for probe in &corpus {
        let (s, e) = (send(seed.addr, probe), send(eosc.addr, probe));
        let key = probe
            .expect
            .map(|c| format!("{c:?}"))
            .unwrap_or_else(|| "agree".into());
        *counts.entry(key).or_default() += 1;
        let ok = match probe.expect {
            None => s == e && (s.status == 200 || probe.host == "unknown.example.com"),
            Some(c) => shows(c, &s, &e),
        };
        if !ok {
            failures.push(format!(
                "{} {} {:?}: expected {:?}\n  seed: {s:?}\n  eosc: {e:?}",
                probe.host, probe.path, probe.headers, probe.expect
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} probes differ from the listed divergences:\n{}\n--- eosc caddy log ---\n{}",
        failures.len(),
        corpus.len(),
        failures.join("\n"),
        eosc.log()
    );
    // The corpus exercises every cause and plenty of agreement.
    for c in [
        "agree",
        "AuthAdded",
        "CloudflareHeadersAnded",
        "ScannerPathAndRegexpAnded",
        "RestRouteQueryNeverSeen",
        "AgentsAnded",
        "BlockedResponseHeaders",
    ] {
        assert!(counts.get(c).copied().unwrap_or(0) > 0, "no probe for {c}");
    }
    eprintln!(
        "differential: {} probes sent to each config ({} requests): {counts:?}",
        corpus.len(),
        2 * corpus.len()
    );
}

/// The snippet rules as Caddy adapts them: one matcher set each, so their
/// matchers are ANDed (the cause of three divergences above).
#[test]
fn seed_snippet_rules_are_single_anded_matcher_sets() {
    let Some(caddy) = tool("caddy") else { return };
    let seed = run::adapt(&caddy, SEED);
    let routes = seed
        .pointer("/apps/http/servers/srv0/routes")
        .and_then(Value::as_array)
        .expect("routes");
    assert_eq!(routes.len(), 10, "ten sites");
    for site in routes {
        let sub = site
            .pointer("/handle/0/routes")
            .and_then(Value::as_array)
            .expect("subroute");
        let matched: Vec<&Value> = sub.iter().filter_map(|r| r.get("match")).collect();
        assert_eq!(matched.len(), 3, "three refusing rules per site");
        for m in &matched {
            assert_eq!(
                m.as_array().map(Vec::len),
                Some(1),
                "one matcher set (AND): {m}"
            );
        }
        let cf = matched[0][0]["header"].as_object().expect("header matcher");
        assert_eq!(
            cf.len(),
            3,
            "three headers in one matcher: all must be present"
        );
        assert!(matched[1][0].get("path").is_some() && matched[1][0].get("path_regexp").is_some());
        assert!(
            matched[2][0].get("header").is_some() && matched[2][0].get("header_regexp").is_some()
        );
        // Directive order: header and encode run before the refusals.
        let first = &sub[0]["handle"];
        assert_eq!(first[0]["handler"], "headers");
        assert_eq!(first[1]["handler"], "encode");
    }
}

/// `respond @suspicious_agents 444` does not close the connection: Caddy
/// sends a response with status 444. Shown by splitting the seed's agent
/// matcher into two sets (what the user meant) and sending a bot through.
#[test]
fn seed_respond_444_is_a_status() {
    let Some(caddy) = tool("caddy") else { return };
    let backends = Backends::start(DIALS, None);
    let mut seed = run::adapt(&caddy, SEED);
    let routes = seed
        .pointer_mut("/apps/http/servers/srv0/routes")
        .and_then(Value::as_array_mut)
        .expect("routes");
    for site in routes {
        let Some(sub) = site
            .pointer_mut("/handle/0/routes")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for r in sub {
            if r.pointer("/match/0/header_regexp").is_some() {
                let set = r["match"][0].clone();
                r["match"] =
                    json!([{"header": set["header"]}, {"header_regexp": set["header_regexp"]}]);
            }
        }
    }
    let c = run::start(&caddy, &seed, &|d| backends.dial(d));
    let r = get(
        c.addr,
        "cloud.cybermonkey.dev",
        "/",
        &[("User-Agent", "sqlmap/1.7")],
    );
    assert_eq!(r.status, 444, "respond 444 answers with status 444");
}
