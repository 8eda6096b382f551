//! `eosc drift` against a real Caddy (the pinned 2.11) on 127.0.0.1: the
//! example's compiled staging caddy.json is loaded with its listeners and
//! admin API moved to loopback ports (the routes exactly as compiled), then
//! changed through the admin API: a route removed, a header changed, an
//! upstream changed. A fresh load reports no drift; each injected change is
//! reported on its route with its JSON path and both values. And the
//! errors: nothing listening, no answer in time, an answer that is not
//! HTTP, not JSON, or JSON that is no Caddy config.

use crate::support::caddy::run::{loopback, start_with};
use crate::support::caddy::tool;
use crate::support::cli::{eosc, Run};
use crate::support::tools::TempDir;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

const SPEC: &str = "examples/cybermonkey/hecate.hcl";

/// The staging caddy.json exactly as `eosc compile` writes it.
fn compiled() -> Value {
    let loader = crate::support::loader::FsLoader::new(&crate::support::root().join(SPEC));
    let checked = eosc::check("hecate.hcl", &loader).expect("loads");
    let trees = eosc::compile(&checked.models);
    let (_, arts) = trees.iter().find(|(n, _)| n == "staging").expect("staging");
    let text = &arts
        .iter()
        .find(|a| a.path == "caddy/caddy.json")
        .expect("caddy.json")
        .contents;
    serde_json::from_str(text).expect("json")
}

/// One admin API call; the status and body.
fn admin(at: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut s = TcpStream::connect(at).expect("admin API");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: {at}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("answer");
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// The index of the route whose first matcher has exactly `host` and no path.
fn route_index(config: &Value, host: &str) -> usize {
    config["apps"]["http"]["servers"]["srv0"]["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .position(|r| r["match"][0]["host"] == json!([host]) && r["match"][0].get("path").is_none())
        .unwrap_or_else(|| panic!("no route for {host}"))
}

/// The JSON pointer of the first object member `key` under `v` (depth first).
fn find(v: &Value, key: &str, at: String) -> Option<String> {
    match v {
        Value::Object(o) => {
            if o.contains_key(key) {
                return Some(format!(
                    "{at}/{}",
                    key.replace('~', "~0").replace('/', "~1")
                ));
            }
            o.iter().find_map(|(k, c)| {
                find(
                    c,
                    key,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                )
            })
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, c)| find(c, key, format!("{at}/{i}"))),
        _ => None,
    }
}

fn drift(args: &[&str]) -> Run {
    let mut all = vec!["drift"];
    all.extend_from_slice(args);
    eosc(&all, None)
}

#[test]
fn drift_in_a_live_caddy() {
    let Some(caddy) = tool("caddy") else { return };
    let config = compiled();
    let (c, loaded) = start_with(
        &caddy,
        &|cfg, listen, admin_at, dir| {
            let mut cfg = cfg.clone();
            loopback(&mut cfg, listen, admin_at, dir);
            cfg
        },
        &config,
    );
    let log = || c.log();
    let dir = TempDir::new("drift");
    let expected = dir.write(
        "caddy.json",
        &serde_json::to_string_pretty(&loaded).expect("json"),
    );
    let expected = expected.to_string_lossy().into_owned();
    let addr = c.admin.to_string();

    // A fresh load: no drift, exit 0.
    let r = drift(&["--caddy", &addr, "--compiled", &expected]).expect(0);
    assert!(r.stdout.starts_with("no drift"), "{}\n{}", r.stdout, log());

    // The spec compiled in memory differs only outside the routes (the
    // listeners and admin moved to loopback for the test): every route
    // is as compiled.
    let r = drift(&[SPEC, "--env", "staging", "--caddy", &addr]).expect(2);
    assert!(!r.stdout.contains("route "), "{}", r.stdout);
    for path in [
        "admin.listen",
        "apps.http.servers.srv0.listen[0]",
        "apps.tls",
    ] {
        assert!(
            r.stdout.contains(&format!("      {path}: ")),
            "no {path} in {}",
            r.stdout
        );
    }

    // 1. A route removed.
    let routes = &loaded["apps"]["http"]["servers"]["srv0"]["routes"];
    let u = route_index(&loaded, "u-staging.cybermonkey.dev");
    let (st, body) = admin(
        c.admin,
        "DELETE",
        &format!("/config/apps/http/servers/srv0/routes/{u}"),
        None,
    );
    assert_eq!(st, 200, "{body}");
    let r = drift(&["--caddy", &addr, "--compiled", &expected]).expect(2);
    assert!(
        r.stdout.contains(&format!(
            "- route u-staging.cybermonkey.dev: only compiled (removed from the live config)\n      at apps.http.servers.srv0.routes[{u}]"
        )),
        "{}",
        r.stdout
    );
    let entries = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "));
    assert_eq!(entries.count(), 1, "only that route: {}", r.stdout);

    // 2. A header changed: X-Frame-Options on cloud-staging.cybermonkey.dev. The
    // indexes live shift after the removal above, so look it up live.
    let live = |p: &str| {
        let (st, body) = admin(c.admin, "GET", p, None);
        assert_eq!(st, 200, "{body}");
        serde_json::from_str::<Value>(body.split("\r\n\r\n").nth(1).unwrap_or("null"))
            .expect("json")
    };
    let now = live("/config/");
    let cloud = route_index(&now, "cloud-staging.cybermonkey.dev");
    let route = &now["apps"]["http"]["servers"]["srv0"]["routes"][cloud];
    let header =
        find(route, "X-Frame-Options", String::new()).expect("the route sets X-Frame-Options");
    let ptr = format!("/config/apps/http/servers/srv0/routes/{cloud}{header}");
    let (st, body) = admin(c.admin, "PATCH", &ptr, Some(&json!(["DENY"])));
    assert_eq!(st, 200, "{body}");
    // 3. An upstream changed: observe-staging.cybermonkey.dev's dial.
    let observe = route_index(&now, "observe-staging.cybermonkey.dev");
    let route = &now["apps"]["http"]["servers"]["srv0"]["routes"][observe];
    let dial = find(route, "dial", String::new()).expect("the route dials an upstream");
    let ptr = format!("/config/apps/http/servers/srv0/routes/{observe}{dial}");
    let (st, body) = admin(c.admin, "PATCH", &ptr, Some(&json!("127.0.0.1:1")));
    assert_eq!(st, 200, "{body}");

    let r = drift(&[
        "--caddy",
        &addr,
        "--compiled",
        &expected,
        "--format",
        "json",
    ])
    .expect(2);
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    let changes = v["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 3, "{}", r.stdout);
    let by = |name: &str| {
        changes
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no change of {name} in {}", r.stdout))
    };
    assert_eq!(by("u-staging.cybermonkey.dev")["op"], "removed");
    let cloud_change = by("cloud-staging.cybermonkey.dev");
    assert_eq!(cloud_change["op"], "changed");
    let f = &cloud_change["fields"][0];
    assert_eq!(
        cloud_change["fields"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.stdout
    );
    let want_path = format!(
        "apps.http.servers.srv0.routes[{cloud}]{}",
        header
            .split('/')
            .skip(1)
            .map(|s| match s.parse::<usize>() {
                Ok(i) => format!("[{i}]"),
                Err(_) if s == "X-Frame-Options" => "[\"X-Frame-Options\"]".to_string(),
                Err(_) => format!(".{s}"),
            })
            .collect::<String>()
            + "[0]"
    );
    assert_eq!(f["path"], want_path.as_str(), "{}", r.stdout);
    assert_eq!(f["compiled"], "SAMEORIGIN", "{}", r.stdout);
    assert_eq!(f["live"], "DENY", "{}", r.stdout);
    let obs = by("observe-staging.cybermonkey.dev");
    let f = &obs["fields"][0];
    assert!(
        f["path"].as_str().unwrap_or_default().ends_with(".dial"),
        "{}",
        r.stdout
    );
    assert_eq!(f["live"], "127.0.0.1:1");
    assert_eq!(
        f["compiled"],
        routes[observe].pointer(&dial).cloned().unwrap_or_default()
    );
    // The text names the same routes and paths.
    let r = drift(&["--caddy", &addr, "--compiled", &expected]).expect(2);
    assert!(
        r.stdout
            .contains("~ route cloud-staging.cybermonkey.dev: changed"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("[\"X-Frame-Options\"][0]: \"SAMEORIGIN\" → \"DENY\""),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(" → \"127.0.0.1:1\""), "{}", r.stdout);

    // Loading the compiled config again: no drift.
    let (st, body) = admin(c.admin, "POST", "/load", Some(&loaded));
    assert_eq!(st, 200, "{body}");
    drift(&["--caddy", &addr, "--compiled", &expected]).expect(0);
}

/// A one-shot server answering `answer` (or nothing, holding the
/// connection, when `None`).
fn fake(answer: Option<&'static str>) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let at = l.local_addr().expect("addr");
    std::thread::spawn(move || {
        for conn in l.incoming().flatten() {
            let mut conn = conn;
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            match answer {
                Some(a) => {
                    let _ = conn.write_all(a.as_bytes());
                }
                None => std::thread::sleep(Duration::from_secs(5)),
            }
        }
    });
    at
}

#[test]
fn drift_errors_are_clear() {
    let json = "caddy.json";
    let dir = TempDir::new("drift-errors");
    let expected = dir.write(json, "{}").to_string_lossy().into_owned();
    let check = |addr: &str, extra: &[&str], want: &str| {
        let mut args = vec!["--caddy", addr, "--compiled", &expected];
        args.extend_from_slice(extra);
        let r = drift(&args).expect(1);
        assert!(
            r.stderr.contains(want),
            "{addr}: {:?} lacks {want:?}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    };
    // Nothing listens (a port just freed).
    let free = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    check(&free.to_string(), &[], "cannot reach the Caddy admin API");
    check(
        "unix//nonexistent/admin.sock",
        &[],
        "cannot reach the Caddy admin API",
    );
    // Accepts, never answers.
    let silent = fake(None).to_string();
    check(&silent, &["--timeout", "1"], "did not answer within 1 s");
    check(
        &fake(Some("SSH-2.0-OpenSSH_9.6\r\n")).to_string(),
        &[],
        "did not answer with HTTP",
    );
    check(
        &fake(Some(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\n\r\n<html>",
        ))
        .to_string(),
        &[],
        "not JSON",
    );
    check(
        &fake(Some("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}")).to_string(),
        &[],
        "not a Caddy config",
    );
    check(
        &fake(Some(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
        ))
        .to_string(),
        &[],
        "status 404",
    );
    // A chunked answer of Caddy's shape is read whole.
    let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n9\r\ndmin\":{}}\r\n0\r\n\r\n";
    let r = drift(&[
        "--caddy",
        &fake(Some(chunked)).to_string(),
        "--compiled",
        &expected,
    ])
    .expect(2);
    assert!(r.stdout.contains("admin: (absent) → {}"), "{}", r.stdout);
}

/// The admin API on a unix socket (`unix//path`, Caddy's form): a real
/// Caddy answers eosc's request (with the empty Host Caddy expects there),
/// and a fresh load reports no drift.
#[test]
fn drift_over_a_unix_socket() {
    use crate::support::caddy::net::{free_port, wait_for_port};
    use crate::support::caddy::Killed;
    let Some(caddy) = tool("caddy") else { return };
    let dir = TempDir::new("drift-unix");
    let sock = dir.path().join("admin.sock");
    let listen: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
    let mut cfg = compiled();
    loopback(&mut cfg, listen, listen, dir.path());
    cfg["admin"] = json!({"listen": format!("unix/{}", sock.display())});
    let file = dir.write(
        "caddy.json",
        &serde_json::to_string_pretty(&cfg).expect("json"),
    );
    let log = std::fs::File::create(dir.path().join("caddy.log")).expect("log");
    let child = std::process::Command::new(&caddy)
        .arg("run")
        .arg("--config")
        .arg(&file)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(std::process::Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start caddy run");
    let _caddy = Killed(child);
    wait_for_port(listen, Duration::from_secs(20));
    let start = std::time::Instant::now();
    while !sock.exists() {
        assert!(start.elapsed() < Duration::from_secs(20), "no admin socket");
        std::thread::sleep(Duration::from_millis(50));
    }
    let addr = format!("unix/{}", sock.display());
    let file = file.to_string_lossy().into_owned();
    let r = drift(&["--caddy", &addr, "--compiled", &file]).expect(0);
    assert!(r.stdout.starts_with("no drift"), "{}", r.stdout);
    // Against the spec compiled in memory: the admin and listeners differ.
    let r = drift(&[SPEC, "--env", "staging", "--caddy", &addr]).expect(2);
    assert!(
        r.stdout
            .contains("      admin.listen: \"localhost:2019\" → "),
        "{}",
        r.stdout
    );
}
