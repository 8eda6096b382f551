//! `eosc import` through the binary: the seed's Caddyfile and compose file
//! import in one command to a spec that checks with only the expected
//! warnings, with a located W0602 at each ANDed matcher and a secret block
//! for the TURN secret (whose value never reaches the spec); refusals to
//! overwrite; exit 1 on an unfaithful import; every import code raised;
//! no panic on arbitrary input.

use crate::support::cli;

use cli::eosc;

fn tmp(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("eosc-import-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn seed_imports_to_a_spec_that_checks() {
    let d = tmp("seed");
    let spec = d.join("hecate.hcl");
    let s = spec.to_string_lossy().into_owned();
    let r = eosc(
        &[
            "import",
            "caddyfile",
            "tests/data/seed.Caddyfile",
            "compose",
            "tests/data/import/seed.docker-compose.yml",
            "--project",
            "hecate",
            "-o",
            &s,
        ],
        None,
    )
    .expect(0);
    // A located W0602 at each ANDed matcher of the (security) snippet.
    for (m, line) in [
        ("@blocked", 11),
        ("@scanners", 18),
        ("@suspicious_agents", 28),
    ] {
        let at = format!("tests/data/seed.Caddyfile:{line}:5");
        assert!(
            r.stderr.contains(&format!("matcher `{m}` ANDs")),
            "no W0602 for {m}:\n{}",
            r.stderr
        );
        assert!(r.stderr.contains(&at), "W0602 for {m} not at {at}");
    }
    assert_eq!(r.stderr.matches("W0602").count(), 3);
    assert!(r.stderr.contains("W0604") && r.stderr.contains("W0605") && r.stderr.contains("W0606"));
    assert!(r.stderr.contains("0 errors"), "{}", r.stderr);
    let text = std::fs::read_to_string(&spec).expect("spec written");
    assert!(
        text.contains("secret \"coturn_static_auth_secret\""),
        "{text}"
    );
    assert!(
        !text.contains("yets-EIGHT"),
        "the TURN secret's value reached the spec"
    );
    assert_eq!(
        text.matches("match = \"all\"").count()
            + text.matches("match   = \"all\"").count()
            + text.matches("match             = \"all\"").count(),
        3
    );
    assert_eq!(text.matches("route \"").count(), 10, "ten sites");
    // The edge maps to the proxy runtime: coturn is an app on the proxy's
    // server with its relay range as one UDP range, Caddy and nginx are the
    // proxy job's (no app), and the ports nginx publishes without an
    // imported stream are said, each at its line.
    assert!(text.contains("server \"edge\""), "{text}");
    assert!(text.contains("role = \"hecate-proxy\""), "{text}");
    assert!(text.contains("runs_on = server.edge"), "{text}");
    assert!(text.contains("static   = \"49160-49200\""), "{text}");
    assert!(!text.contains("app \"caddy\"") && !text.contains("app \"nginx\""));
    for port in [1515, 1514, 55000, 50000] {
        assert!(
            r.stderr.contains(&format!(
                "nginx publishes port {port}, but no imported stream"
            )),
            "{port}: {}",
            r.stderr
        );
    }
    // The .env next to the compose file is read: its secrets are secret
    // blocks (W0604 located in the .env), their values never in the spec.
    assert!(
        r.stderr.contains("tests/data/import/.env:3:1"),
        "{}",
        r.stderr
    );
    assert!(!text.contains("fixture-password") && !text.contains("fixture-key"));
    assert!(
        text.contains("AUTHENTIK_ERROR_REPORTING__ENABLED = \"true\""),
        "{text}"
    );
    // The worker's `user: root` and its docker socket bind (compose
    // 159-167): the user on the app, the socket as a host volume at its
    // node path, which the generated client config declares.
    assert!(text.contains("user       = \"root\""), "{text}");
    assert!(
        text.contains("host_path = \"/var/run/docker.sock\""),
        "{text}"
    );
    // The spec is formatted.
    eosc(&["fmt", "--check", &s], None).expect(0);
    // It checks: no errors, exactly the warnings the sources earn.
    let c = eosc(&["check", &s], None).expect(0);
    let mut codes: Vec<&str> = c
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("W0"))
        .map(|l| &l[..3.min(l.len())])
        .collect();
    codes.sort();
    // W0504 five times: the Authentik server and worker and coturn have no
    // healthcheck, and those of postgresql and redis have no port to attach
    // to (W0601 at the import: neither service publishes one); W0502:
    // coturn's image `coturn/coturn` is unpinned.
    assert_eq!(
        codes,
        ["501", "502", "504", "504", "504", "504", "504", "505"],
        "{}",
        c.stderr
    );
    // Never overwrite without --force.
    let again = eosc(
        &["import", "caddyfile", "tests/data/seed.Caddyfile", "-o", &s],
        None,
    )
    .expect(2);
    assert!(again.stderr.contains("--force"));
    eosc(
        &[
            "import",
            "caddyfile",
            "tests/data/seed.Caddyfile",
            "-o",
            &s,
            "--force",
        ],
        None,
    )
    .expect(0);
    let _ = std::fs::remove_dir_all(&d);
}

/// Each import code, from a small source of each kind.
#[test]
fn every_import_code_is_raised_with_a_location() {
    let d = tmp("codes");
    let caddy = d.join("Caddyfile");
    std::fs::write(
        &caddy,
        "{\n  admin 0.0.0.0:2019\n  servers {\n    protocols h1\n  }\n}\n(s) {\n  @m {\n    path /a/*\n    method POST\n  }\n  respond @m 403\n}\nfiles.example.com {\n  import s\n  root * /srv\n  file_server\n}\nbroken.example.com {\n",
    )
    .unwrap();
    let compose = d.join("compose.yml");
    std::fs::write(
        &compose,
        "services:\n  web:\n    image: nginx:latest\n  app:\n    image: example/app:latest\n    entrypoint: /x\n    environment:\n      DB_PASSWORD: hunter2\n    ports:\n      - \"8080:80\"\n      - \"53:53/udp\"\n",
    )
    .unwrap();
    let zone = d.join("db.example.com");
    std::fs::write(&zone, "$TTL 1h\n@ IN SOA ns1 host. ( 1 2 3 4 5 )\n@ IN NS ns1.example.net.\nwww 30 IN A 192.0.2.1\nmail IN PTR x.\n").unwrap();
    let (c, y, z) = (
        caddy.to_string_lossy(),
        compose.to_string_lossy(),
        zone.to_string_lossy(),
    );
    let r = eosc(
        &[
            "import",
            "caddyfile",
            &c,
            "compose",
            &y,
            "zone",
            &z,
            "--origin",
            "example.com",
        ],
        None,
    )
    .expect(1);
    for code in [
        "E0601", "E0602", "W0601", "W0603", "W0604", "W0605", "W0606",
    ] {
        assert!(r.stderr.contains(code), "{code} not raised:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("error: the import is incomplete"));
    assert!(!r.stdout.contains("hunter2"), "a password reached the spec");
    // W0602 alone: an ANDed matcher that otherwise imports cleanly.
    let ok = d.join("ok.Caddyfile");
    std::fs::write(&ok, "a.example.com {\n  @x {\n    path /x/*\n    header X-A *\n  }\n  respond @x 404\n  reverse_proxy 127.0.0.1:8080\n}\n").unwrap();
    let r = eosc(&["import", "caddyfile", &ok.to_string_lossy()], None).expect(0);
    assert!(
        r.stderr.contains("W0602") && r.stderr.contains("ok.Caddyfile:2:3"),
        "{}",
        r.stderr
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// Mangled sources of every kind: the importer never panics, and each
/// import either writes a spec that parses or reports errors.
#[test]
fn never_panics_on_mangled_sources() {
    let seeds = [
        (eosc::import::Format::Caddyfile, include_str!("../data/seed.Caddyfile")),
        (eosc::import::Format::Compose, include_str!("../data/import/seed.docker-compose.yml")),
        (eosc::import::Format::Zone { origin: "example.com".into() }, "$ORIGIN example.com.\n$TTL 300\n@ IN A 192.0.2.1\nwww IN CNAME @\n  IN TXT \"a\" \"b\"\n"),
        (eosc::import::Format::Nomad, "job \"x\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"docker\"\n      config { image = \"a:1\" }\n    }\n  }\n}\n"),
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut runs = 0;
    for (format, text) in seeds {
        let bytes = text.as_bytes();
        for _ in 0..300 {
            let mut b = bytes.to_vec();
            for _ in 0..(1 + next() % 8) {
                let i = (next() as usize) % b.len().max(1);
                match next() % 4 {
                    0 => b[i] = b"{}\"`#$()\n :;@*/\\<"[(next() % 17) as usize],
                    1 => {
                        b.remove(i);
                    }
                    2 => b.insert(i, b'{'),
                    _ => b.truncate(i),
                }
                if b.is_empty() {
                    break;
                }
            }
            let t = String::from_utf8_lossy(&b).into_owned();
            let out = eosc::import::import(
                &[eosc::import::Input {
                    format: format.clone(),
                    name: "f".into(),
                    text: t,
                }],
                &eosc::import::Options {
                    project: "p".into(),
                },
            );
            if !out.has_errors() {
                assert!(
                    eosc::syntax::parse(eosc::source::FileId(0), &out.spec).is_ok(),
                    "an import without errors wrote a spec that does not parse"
                );
            }
            runs += 1;
        }
    }
    assert_eq!(runs, 1200);
}

/// `env_file`s are read only inside the compose file's directory: `..` or
/// an absolute path is a located E0602, a symbolic link out of the
/// directory is refused when read (E0601); a file inside is read, its
/// secrets becoming `secret` blocks.
#[test]
fn env_files_stay_inside_the_compose_directory() {
    let d = tmp("envfile");
    let inner = d.join("stack");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(d.join("outside.env"), "API_TOKEN=outside-value\n").unwrap();
    std::fs::write(
        inner.join("app.env"),
        "# app\nLOG_LEVEL=debug\nexport DB_PASSWORD='inside-value'\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("outside.env"), inner.join("link.env")).unwrap();
    let compose = inner.join("docker-compose.yml");
    std::fs::write(
        &compose,
        "services:\n  app:\n    image: example/app:1.0\n    env_file:\n      - app.env\n      - ../outside.env\n      - /etc/passwd\n      - link.env\n",
    )
    .unwrap();
    let c = compose.to_string_lossy();
    let r = eosc(&["import", "compose", &c], None).expect(1);
    let at = |line: usize| format!("docker-compose.yml:{line}:");
    assert!(
        r.stderr
            .contains("`env_file: ../outside.env` of service `app` is outside"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&at(6)) && r.stderr.contains(&at(7)),
        "{}",
        r.stderr
    );
    assert!(r
        .stderr
        .contains("`env_file: /etc/passwd` of service `app` is outside"));
    #[cfg(unix)]
    assert!(
        r.stderr
            .contains("link.env` of service `app` cannot be read: it resolves"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("outside-value") && !r.stdout.contains("inside-value"));
    assert!(r.stdout.contains("LOG_LEVEL = \"debug\""), "{}", r.stdout);
    assert!(r.stdout.contains("DB_PASSWORD = secret."), "{}", r.stdout);
    assert!(
        r.stderr.contains("app.env:3:8"),
        "W0604 located in the env file: {}",
        r.stderr
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A compose service's container settings become the app's: user,
/// capabilities, a read-only root, host networking and the logging driver;
/// an absolute bind is a host volume at that node path; the spec compiles
/// to a Nomad job that carries them; a service joined to another
/// container's network is refused where it is written.
#[test]
fn compose_container_settings_import_and_reach_the_job() {
    let d = tmp("docker-options");
    let compose = d.join("compose.yml");
    std::fs::write(
        &compose,
        "services:\n  edge:\n    image: example/edge:1.2.3\n    user: \"1000:1000\"\n    read_only: true\n    network_mode: host\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n    logging:\n      driver: json-file\n      options:\n        max-size: 10m\n    volumes:\n      - /srv/edge/certs:/certs:ro\n",
    )
    .unwrap();
    let spec = d.join("hecate.hcl");
    let s = spec.to_string_lossy().into_owned();
    let r = eosc(
        &["import", "compose", &compose.to_string_lossy(), "-o", &s],
        None,
    )
    .expect(0);
    assert!(r.stderr.contains("0 errors"), "{}", r.stderr);
    let text = std::fs::read_to_string(&spec).expect("spec written");
    for want in [
        "user            = \"1000:1000\"",
        "readonly_rootfs = true",
        "network_mode    = \"host\"",
        "cap_drop        = [\"ALL\"]",
        "cap_add         = [\"NET_BIND_SERVICE\"]",
        "type = \"json-file\"",
        "host_path = \"/srv/edge/certs\"",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    let out = d.join("out");
    eosc(&["compile", &s, "-o", &out.to_string_lossy()], None).expect(0);
    let job = std::fs::read_to_string(out.join("production/nomad/edge.nomad.hcl"))
        .or_else(|_| {
            // The environment is the importer's default; find the job.
            let env = std::fs::read_dir(&out)
                .expect("out")
                .filter_map(Result::ok)
                .find(|e| e.path().join("nomad/edge.nomad.hcl").exists())
                .expect("an environment with the job");
            std::fs::read_to_string(env.path().join("nomad/edge.nomad.hcl"))
        })
        .expect("job");
    for want in [
        "user   = \"1000:1000\"",
        "readonly_rootfs = true",
        "network_mode    = \"host\"",
        "max-size = \"10m\"",
    ] {
        assert!(job.contains(want), "{want} missing:\n{job}");
    }

    std::fs::write(
        &compose,
        "services:\n  side:\n    image: example/side:1.2.3\n    network_mode: \"service:edge\"\n",
    )
    .unwrap();
    let r = eosc(&["import", "compose", &compose.to_string_lossy()], None).expect(1);
    assert!(
        r.stderr
            .contains("`network_mode: service:edge` of service `side`")
            && r.stderr.contains("compose.yml:4:5"),
        "{}",
        r.stderr
    );
    let _ = std::fs::remove_dir_all(&d);
}
