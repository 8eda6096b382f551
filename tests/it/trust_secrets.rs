//! Issue 14's repros: secret keys that inject variables, secrets the old
//! rules missed, zone-file injection. Each is rejected with its code, no
//! diagnostic (in any format, through the binary) prints the secret, and
//! the zone data that passes is read back by `named-checkzone`.

use crate::support::tools;

use std::process::Command;

fn spec(body: &str) -> String {
    if body.starts_with("project") {
        return format!(
            "{body}\nenvironment \"e\" {{}}\nsecret \"db\" {{ vault = \"secret/db\" }}\n"
        );
    }
    format!("project \"p\" {{\n  datacenters = [\"dc1\"]\n}}\nenvironment \"e\" {{}}\nsecret \"db\" {{ vault = \"secret/db\" }}\n{body}\n")
}

fn app(attrs: &str) -> String {
    format!("app \"a\" {{\n  image = \"x/a:1\"\n  {attrs}\n  port \"p\" {{ to = 1 }}\n  health \"tcp\" {{}}\n}}")
}

fn codes(text: &str) -> Vec<String> {
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.to_string())]);
    let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
    checked
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} | {} | {}",
                d.code, d.message, d.primary.message, d.help
            )
        })
        .collect()
}

/// (code, what, spec body, the secret that must never be printed)
fn repros() -> Vec<(&'static str, &'static str, String, &'static str)> {
    vec![
        ("E0324", "LD_PRELOAD through a secrets key", app(r#"secrets = { "LD_PRELOAD=/tmp/evil.so\nDB_PASSWORD" = secret.db }"#), "evil.so"),
        ("E0324", "literal through a secrets key", app(r#"secrets = { "DB_PASSWORD=zqk7wombat\nUNUSED" = secret.db }"#), "zqk7wombat"),
        ("E0501", "PGPASSWORD", app(r#"env = { PGPASSWORD = "zqk7wombat" }"#), "zqk7wombat"),
        ("E0501", "dbPassword", app(r#"env = { dbPassword = "zqk7wombat" }"#), "zqk7wombat"),
        ("E0501", "GPG_PASSPHRASE", app(r#"env = { GPG_PASSPHRASE = "zqk7wombat" }"#), "zqk7wombat"),
        ("E0505", "DATABASE_URL with user:pass@", app(r#"env = { DATABASE_URL = "postgres://app:zqk7wombat@db/app" }"#), "zqk7wombat"),
        ("E0502", "--requirepass x", app(r#"args = ["--requirepass", "zqk7wombat"]"#), "zqk7wombat"),
        ("E0502", "-pzqk7wombat", app(r#"args = ["-pzqk7wombat"]"#), "zqk7wombat"),
        ("E0502", "--auth=", app(r#"args = ["--auth=zqk7wombat"]"#), "zqk7wombat"),
        ("E0502", "command line with a password", app(r#"command = "redis-server --requirepass zqk7wombat""#), "zqk7wombat"),
        ("E0504", "token as a pipeline credential id", "pipeline \"p\" {\n  environments = [environment.e]\n  credentials = { SALT = \"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\" }\n}".into(), "ghp_aBcDeF"),
        ("E0504", "token in a response header", "middleware \"m\" {\n  headers = { \"X-Api\" = \"glpat-abcdefghij0123456789\" }\n}".into(), "glpat-abcdef"),
        ("E0504", "token as a server label", "server \"s\" {\n  type = \"cx22\"\n  location = \"fsn1\"\n  image = \"debian-12\"\n  labels = { owner = \"AKIAIOSFODNN7EXAMPLE\" }\n}".into(), "AKIAIOSF"),
        ("E0503", "PEM key in a TXT record", "dns \"example.com\" {\n  record \"k\" {\n    type = \"TXT\"\n    value = \"-----BEGIN PRIVATE KEY-----\\nMIIEowIBAAKCAQEAzq7kWombatXy\\n-----END PRIVATE KEY-----\"\n  }\n}".into(), "MIIEowIBAAKC"),
        ("E0313", "nameserver injecting a record", "project \"q\" {\n  nameservers = [\"ns2.example.net.\\nmail IN A 203.0.113.66\\n;\"]\n}".into(), "\u{0}"),
        ("E0303", "SRV with a comment", "dns \"example.com\" {\n  record \"_sip._tcp\" { type = \"SRV\", value = \"10 5 5060 sip.example.com. ; x\" }\n}".into(), "\u{0}"),
        ("E0312", "Caddy log file with {env.X}", "route \"example.com\" {\n  respond = 200\n  log { file = \"/var/log/{env.HOME}.log\" }\n}".into(), "\u{0}"),
        ("E0312", "Caddy log file with $${a}", "route \"example.com\" {\n  respond = 200\n  log { file = \"/var/log/$${a}.log\" }\n}".into(), "\u{0}"),
        ("E0312", "upstream health path with {…}", "upstream \"u\" {\n  targets = [\"10.0.0.5:8080\"]\n  health { path = \"/h{http.request.header.Authorization}\" }\n}".into(), "\u{0}"),
        ("E0303", "CAA with a paren", "dns \"example.com\" {\n  record \"@\" { type = \"CAA\", value = \"0 issue (\" }\n}".into(), "\u{0}"),
    ]
}

#[test]
fn every_repro_is_rejected_with_its_code() {
    for (code, what, body, secret) in repros() {
        let text = spec(&body);
        let found = codes(&text);
        assert!(
            found.iter().any(|d| d.starts_with(code)),
            "{what}: expected {code}, got {found:#?}\n{text}"
        );
        for d in &found {
            assert!(
                !d.contains(secret),
                "{what}: a diagnostic repeats the secret: {d}"
            );
        }
    }
}

#[test]
fn no_format_prints_the_secret() {
    let dir = std::env::temp_dir().join(format!("eosc-trust-secrets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for (code, what, body, secret) in repros() {
        if !code.starts_with("E05") {
            continue; // E0303/E0313/E0324 name the field; their values are not secrets
        }
        std::fs::write(dir.join("hecate.hcl"), spec(&body)).expect("write");
        for f in ["human", "json", "sarif", "github"] {
            let out = Command::new(env!("CARGO_BIN_EXE_eosc"))
                .args(["check", "--format", f, "hecate.hcl"])
                .current_dir(&dir)
                .output()
                .expect("eosc runs");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.status.code(), Some(1), "{what} {f}: {all}");
            assert!(all.contains(code), "{what} {f}: no {code}\n{all}");
            assert!(
                !all.contains(secret),
                "{what} --format {f} prints the secret:\n{all}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn innocent_values_pass() {
    let text = spec(&app(r#"secrets = { DB_PASSWORD = secret.db }
  env = { KEYCLOAK_URL = "https://id.example.com", DB_PASSWORD_FILE = "/run/secrets/db", COMMIT = "4f9c2ab1e07d3c55a8b0e6f1d2c3b4a5f6e7d8c9", DATABASE_URL = "postgres://app:$${DB_PASSWORD}@db/app" }
  args = ["--password=$DB_PASSWORD", "-p8080", "--verbose"]"#));
    let e05: Vec<String> = codes(&text)
        .into_iter()
        .filter(|d| d.starts_with("E05") || d.starts_with("E0324"))
        .collect();
    assert!(e05.is_empty(), "{e05:#?}");
}

/// The zone data that passes the checker is what BIND reads: SRV and CAA
/// with every field, through named-checkzone on the compiled zone file;
/// the injected nameserver never reaches a file (the spec is refused).
#[test]
fn accepted_zone_data_reads_back_in_named_checkzone() {
    let Some(nc) = tools::tool("named-checkzone") else {
        return;
    };
    let text = spec("dns \"example.com\" {\n  record \"@\" { type = \"CAA\", value = \"0 issue \\\"letsencrypt.org; account=1\\\"\" }\n  record \"_sip._tcp\" { type = \"SRV\", value = \"10 5 5060 sip.example.com.\" }\n  record \"sip\" { type = \"A\", value = \"192.0.2.7\" }\n}");
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.clone())]);
    let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        checked.diagnostics
    );
    let trees = eosc::compile(&checked.models);
    let zone = trees
        .iter()
        .flat_map(|(_, a)| a)
        .find(|a| a.path.ends_with("example.com.zone"))
        .expect("zone file");
    let dir = tools::TempDir::new("trust-zone");
    let file = dir.write("example.com.zone", &zone.contents);
    let out = tools::run(
        &nc,
        &["-D", "-o", "-", "example.com", file.to_str().expect("utf8")],
        None,
    );
    assert!(out.ok, "{}\n{}", out.stderr, zone.contents);
    assert!(
        out.stdout
            .contains("CAA\t0 issue \"letsencrypt.org; account=1\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("SRV\t10 5 5060 sip.example.com."),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("203.0.113.66"));
}
