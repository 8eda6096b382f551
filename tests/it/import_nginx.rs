//! `eosc import nginx`: a stream proxy in the shape of the hecate edge's
//! (tests/data/import/stream.nginx.conf) imports to a spec that checks;
//! compiled, its nginx.conf passes the real `nginx -t` and carries the same
//! streams (port, protocol, backends, timeouts, allow lists) as the
//! original; each unsupported directive is a located diagnostic.

use crate::edge_runtime::{nginx, run_nginx, with_module};
use crate::support::tools::TempDir;
use eosc::import::nginx::{parse, Directive};
use eosc::import::{import, Format, Input, Options};

const SOURCE: &str = include_str!("../data/import/stream.nginx.conf");

fn imported(text: &str) -> eosc::import::Outcome {
    import(
        &[Input {
            format: Format::Nginx,
            name: "stream.nginx.conf".into(),
            text: text.into(),
        }],
        &Options {
            project: "edge".into(),
        },
    )
}

/// A stream server as nginx sees it: (listen port, udp, backends,
/// proxy_timeout, proxy_connect_timeout, allow list).
type Server = (
    String,
    bool,
    Vec<String>,
    Option<String>,
    Option<String>,
    Vec<String>,
);

fn args(d: &Directive) -> Vec<String> {
    d.args.iter().map(|a| a.text.clone()).collect()
}

/// Every `listen` of every stream server, with what it passes to, from a
/// parsed configuration (upstream names resolved to their servers, so the
/// two configurations' names need not agree).
fn stream_servers(conf: &str) -> Vec<Server> {
    let dirs = parse(conf).unwrap_or_else(|e| panic!("{e:?}\n{conf}"));
    let stream = dirs
        .iter()
        .find(|d| d.name.text == "stream")
        .expect("stream {}");
    let body = stream.block.as_ref().unwrap();
    let upstream = |name: &str| -> Vec<String> {
        body.iter()
            .find(|u| u.name.text == "upstream" && u.args[0].text == name)
            .map(|u| {
                u.block
                    .as_ref()
                    .unwrap()
                    .iter()
                    .filter(|s| s.name.text == "server")
                    .map(|s| s.args[0].text.clone())
                    .collect()
            })
            .unwrap_or_else(|| vec![name.to_string()])
    };
    let mut out = Vec::new();
    for s in body.iter().filter(|d| d.name.text == "server") {
        let inner = s.block.as_ref().unwrap();
        let one = |n: &str| {
            inner
                .iter()
                .find(|d| d.name.text == n)
                .map(|d| args(d)[0].clone())
        };
        let mut backends = upstream(&one("proxy_pass").unwrap());
        backends.sort();
        let allow: Vec<String> = inner
            .iter()
            .filter(|d| d.name.text == "allow")
            .map(|d| args(d)[0].clone())
            .collect();
        for l in inner.iter().filter(|d| d.name.text == "listen") {
            let a = args(l);
            out.push((
                a[0].clone(),
                a.iter().any(|x| x == "udp"),
                backends.clone(),
                one("proxy_timeout"),
                one("proxy_connect_timeout"),
                allow.clone(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn the_edge_stream_config_round_trips_through_real_nginx() {
    let out = imported(SOURCE);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    assert_eq!(
        out.summary.imported.get("stream"),
        Some(&4),
        "{:?}",
        out.summary
    );
    assert!(out.spec.contains("protocol = \"udp\""), "{}", out.spec);
    // Everything left out is said, at its line.
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.iter().all(|c| c.starts_with("W06")), "{codes:?}");
    let line_of = |needle: &str| SOURCE.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (msg, needle) in [
        ("proxy_responses", "proxy_responses 0;"),
        ("`log_format`", "log_format proxy"),
        ("max_fails=3", "100.64.0.10:1515 max_fails"),
        ("redirect server", "return 301"),
    ] {
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.message.contains(msg))
            .unwrap_or_else(|| panic!("no diagnostic about {msg}"));
        let f = out.sources.get(d.primary.span.file);
        let (line, _) = f.line_col(d.primary.span.start);
        let want = line_of(needle);
        // The redirect server's span starts at `server {` above its return.
        assert!(
            line == want || (msg == "redirect server" && line + 3 == want),
            "{msg}: line {line}, want {want}"
        );
    }

    // The imported spec checks and compiles.
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), out.spec.clone())]);
    let checked = eosc::check("hecate.hcl", &loader).unwrap();
    assert!(
        checked.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}\n{}",
        checked.diagnostics,
        out.spec
    );
    let model = &checked.models[0];
    let all = eosc::emit::emit_all(model);
    let conf = &all
        .iter()
        .find(|a| a.path == "nginx/nginx.conf")
        .expect("an nginx.conf")
        .contents;
    // The same streams: ports, protocols, backends, timeouts, allow lists.
    assert_eq!(stream_servers(conf), stream_servers(SOURCE), "{conf}");

    let Some((bin, module)) = nginx() else {
        assert!(std::env::var("CI").is_err(), "nginx missing in CI");
        eprintln!("nginx not installed (apt install nginx libnginx-mod-stream): skipped nginx -t");
        return;
    };
    // nginx -t binds nothing; the ports stay as generated.
    let dir = TempDir::new("nginx-import");
    let _running = run_nginx_t(&bin, &dir, &with_module(conf, &module));
    // And a broken copy is refused, so the check can fail.
    let broken = conf.replacen("proxy_pass", "proxy_pas", 1);
    assert!(run_nginx(&bin, &dir.0, &with_module(&broken, &module)).is_err());
}

fn run_nginx_t(
    bin: &std::path::Path,
    dir: &TempDir,
    conf: &str,
) -> Option<crate::edge_runtime::Killed> {
    let ports: Vec<&str> = conf
        .lines()
        .filter_map(|l| l.trim().strip_prefix("listen "))
        .collect();
    // Ports below 1024 need root; the fixture's are all above.
    assert!(ports
        .iter()
        .all(|p| p.split([' ', ';']).next().unwrap().parse::<u16>().unwrap() > 1024));
    match run_nginx(bin, &dir.0, conf) {
        Ok(k) => Some(k),
        Err(e) => panic!("nginx -t rejected the imported streams: {e}\n{conf}"),
    }
}

#[test]
fn unsupported_directives_are_located_errors() {
    let src = "stream {\n    server {\n        listen 1515;\n        proxy_pass 10.0.0.1:1515;\n        ssl_preread on;\n    }\n    include conf.d/*.conf;\n}\nhttp {\n    server {\n        server_name a.example.com;\n        location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; }\n        location /api/ { proxy_pass http://10.0.0.2:8080/; }\n    }\n}\n";
    let out = imported(src);
    let found: Vec<(&str, usize)> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                out.sources
                    .get(d.primary.span.file)
                    .line_col(d.primary.span.start)
                    .0,
            )
        })
        .collect();
    for want in [("E0602", 5), ("E0602", 7), ("E0602", 12), ("E0602", 13)] {
        assert!(found.contains(&want), "{want:?} not in {found:?}");
    }
    assert!(out.has_errors());
    // A template or an unbalanced file is a parse error, never a panic.
    for bad in [
        "stream { server {{ .Address }}; }",
        "stream {",
        "}",
        "a \"b",
    ] {
        let out = imported(bad);
        assert!(out.diagnostics.iter().any(|d| d.code == "E0601"), "{bad}");
    }
}
