//! Secrets never reach an artifact. Two halves:
//! - a spec that uses secrets properly compiles (through the binary, with
//!   canary secret values planted in its environment and beside the spec)
//!   to a tree that names the Vault paths and holds no secret value;
//! - every way of writing a secret value into the spec, directly or through
//!   a variable, is refused with its E05xx code, the fix in the help, and
//!   nothing written.

use crate::support::tools;

use std::path::Path;
use std::process::Command;

/// Planted everywhere a careless compiler could pick a value up from.
const CANARY: &str = "hunter2-canary-value";

const SPEC: &str = r#"
project "vaulted" {
  datacenters = ["dc1"]
  vault       = "https://vault.example.com"
}

environment "staging" {
  region = "staging"
}
environment "production" {
  approval     = true
  promote_from = environment.staging
}

secret "db_password" {
  vault = "secret/canary/db"
  key   = "password"
}
secret "turn_secret" {
  vault = "secret/canary/turn"
}

server "edge" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "web" {
  image   = "example/web:1.0.0"
  command = "web"
  args    = ["--db-password=$DB_PASSWORD", "--listen", ":8080"]
  env     = { DB_USER = "web", LOG_LEVEL = "info" }
  secrets = { DB_PASSWORD = secret.db_password }
  port "http" { to = 8080 }
  health "http" { path = "/health" }
}

app "coturn" {
  image   = "coturn/coturn:4.6.2-alpine"
  command = "turnserver"
  args    = ["--static-auth-secret", "$TURN_SECRET"]
  secrets = { TURN_SECRET = secret.turn_secret }
  port "stun" { to = 3478 }
  health "tcp" {}
}

pipeline "deploy" {
  credentials = { VAULT_TOKEN = "vault-approle", HCLOUD_TOKEN = "hcloud-api" }
}
"#;

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn no_artifact_contains_a_secret_value() {
    let dir = tools::TempDir::new("secrets");
    let spec = dir.write("hecate.hcl", SPEC);
    // Where a value could leak from: files beside the spec, the process
    // environment under the secrets' own names and the usual tool tokens.
    dir.write(
        ".env",
        &format!("DB_PASSWORD={CANARY}\nTURN_SECRET={CANARY}\n"),
    );
    dir.write("secrets/canary/db", CANARY);
    let out_dir = dir.0.join("out");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eosc"));
    cmd.arg("compile").arg(&spec).arg("-o").arg(&out_dir);
    for var in [
        "DB_PASSWORD",
        "TURN_SECRET",
        "VAULT_TOKEN",
        "HCLOUD_TOKEN",
        "NOMAD_TOKEN",
        "AUTHENTIK_TOKEN",
        "TF_VAR_hcloud_token",
        "TF_VAR_authentik_token",
    ] {
        cmd.env(var, CANARY);
    }
    let run = cmd.output().expect("run eosc");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for stream in [&run.stdout, &run.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(CANARY));
    }
    let mut files = Vec::new();
    files_under(&out_dir, &mut files);
    assert!(files.len() > 10, "a full tree: {files:?}");
    let mut all = String::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("artifacts are text");
        assert!(!text.contains(CANARY), "{} holds the canary", f.display());
        assert!(!text.contains("-----BEGIN"), "{} holds a key", f.display());
        all.push_str(&text);
    }
    // The secrets are there as references: the Vault paths, rendered by
    // Nomad's template at run time, and the pillar's SDB lookups.
    for r in [
        "secret/canary/db",
        "secret/canary/turn",
        "sdb://vault/secret/canary/db/password",
    ] {
        assert!(all.contains(r), "no reference {r} in the artifacts");
    }
    let job =
        std::fs::read_to_string(out_dir.join("production/nomad/web.nomad.hcl")).expect("web job");
    assert!(job.contains(
        r#"DB_PASSWORD={{ with secret "secret/canary/db" }}{{ .Data.data.password }}{{ end }}"#
    ));
    // Credentials of the tools are sensitive Terraform variables without a
    // value, read by HashiCorp's parser.
    if let Some(bin) = tools::tool("hcl2json") {
        let vars = tools::hcl2json(&bin, &out_dir.join("production/terraform/variables.tf"))
            .unwrap_or_else(|e| panic!("{e}"));
        let vars = vars["variable"].as_object().expect("variables");
        let mut sensitive = 0;
        for (name, v) in vars {
            let v = &v[0];
            if eosc::sema::secret_rules::name_is_secret(name) {
                assert_eq!(v["sensitive"], true, "variable {name} is not sensitive");
                assert!(v.get("default").is_none(), "variable {name} has a default");
                sensitive += 1;
            }
        }
        assert!(sensitive >= 1, "no credential variable in {vars:?}");
    }
}

/// One spec per way of writing a secret; each must fail with its code.
const LEAKS: &[(&str, &str, &str)] = &[
    (
        "E0501",
        "env key PASSWORD",
        r#"app "a" {
  image = "x/a:1"
  env   = { DB_PASSWORD = "@CANARY@" }
}"#,
    ),
    (
        "E0501",
        "env key SECRET, lower case, task",
        r#"app "a" {
  task "t" {
    image = "x/a:1"
    env   = { app_secret = "@CANARY@" }
  }
}"#,
    ),
    (
        "E0501",
        "env key TOKEN via variable",
        r#"variable "v" { default = "@CANARY@" }
app "a" {
  image = "x/a:1"
  env   = { GITHUB_TOKEN = var.v }
}"#,
    ),
    (
        "E0501",
        "env key KEY via interpolation",
        r#"variable "v" { default = "@CANARY@" }
app "a" {
  image = "x/a:1"
  env   = { API_KEY = "prefix-${var.v}" }
}"#,
    ),
    (
        "E0501",
        "whole env object from a variable",
        r#"variable "settings" { default = { SMTP_PASS = "@CANARY@" } }
app "a" {
  image = "x/a:1"
  env   = var.settings
}"#,
    ),
    (
        "E0501",
        "variable named like a secret (pillar)",
        r#"variable "db_password" { type = string }
environment "other" { vars = { db_password = "@CANARY@" } }"#,
    ),
    (
        "E0502",
        "--static-auth-secret=",
        r#"app "a" {
  image = "x/a:1"
  args  = ["--static-auth-secret=@CANARY@"]
}"#,
    ),
    (
        "E0502",
        "--password VALUE",
        r#"app "a" {
  image = "x/a:1"
  args  = ["--user", "me", "--password", "@CANARY@"]
}"#,
    ),
    (
        "E0502",
        "-token= through a variable list",
        r#"variable "flags" { default = ["-token=@CANARY@"] }
app "a" {
  image = "x/a:1"
  args  = var.flags
}"#,
    ),
    (
        "E0502",
        "$NAME that is not one of the task's secrets",
        r#"app "a" {
  image = "x/a:1"
  args  = ["--api-key=$NOT_A_SECRET"]
}"#,
    ),
    (
        "E0502",
        "script health check",
        r#"app "a" {
  image = "x/a:1"
  port "p" { to = 1 }
  health "script" {
    command = "probe"
    args    = ["--secret=@CANARY@"]
  }
}"#,
    ),
    (
        "E0503",
        "PEM in env",
        "app \"a\" {\n  image = \"x/a:1\"\n  env = { TLS = \"-----BEGIN EC PRIVATE KEY-----\\n@CANARY@\" }\n}",
    ),
    (
        "E0503",
        "PEM in args",
        "app \"a\" {\n  image = \"x/a:1\"\n  args = [\"-----BEGIN RSA PRIVATE KEY----- @CANARY@\"]\n}",
    ),
    (
        "E0503",
        "PEM in command",
        "app \"a\" {\n  image = \"x/a:1\"\n  command = \"-----BEGIN PRIVATE KEY----- @CANARY@\"\n}",
    ),
    (
        "E0503",
        "PEM in a variable",
        "variable \"cert\" { default = \"-----BEGIN OPENSSH PRIVATE KEY-----\\n@CANARY@\" }",
    ),
    (
        "E0504",
        "high-entropy env value",
        r#"app "a" {
  image = "x/a:1"
  env   = { SENTRY_DSN_ID = "@TOKEN@" }
}"#,
    ),
    (
        "E0504",
        "high-entropy argument",
        r#"app "a" {
  image = "x/a:1"
  args  = ["login", "@TOKEN@"]
}"#,
    ),
    (
        "E0504",
        "high-entropy flag value",
        r#"app "a" {
  image = "x/a:1"
  args  = ["--dsn=@TOKEN@"]
}"#,
    ),
    (
        "E0504",
        "high-entropy variable",
        r#"variable "dsn" { default = "@TOKEN@" }"#,
    ),
];

/// A generated credential: long, mixed case, digits, high entropy.
const TOKEN: &str = "ghp_9aZ3kQ7mX2vB8nL4pR6tY1wE5sD0fG3hJ";

fn leak_spec(body: &str) -> String {
    let body = body.replace("@CANARY@", CANARY).replace("@TOKEN@", TOKEN);
    format!("project \"p\" {{}}\nenvironment \"e\" {{}}\n{body}\n")
}

#[test]
fn every_literal_secret_is_rejected_with_its_code_and_fix() {
    for (code, what, body) in LEAKS {
        let text = leak_spec(body);
        let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.clone())]);
        let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
        let found = checked.diagnostics.iter().find(|d| d.code == *code);
        let Some(d) = found else {
            panic!(
                "{what}: expected {code}, got {:?}\n{text}",
                checked
                    .diagnostics
                    .iter()
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect::<Vec<_>>()
            );
        };
        assert!(checked.models.is_empty(), "{what}: a model despite {code}");
        assert!(
            d.help.contains("secret") || d.help.contains("Vault"),
            "{what}: the help must say to declare a secret: {}",
            d.help
        );
        // The diagnostic's own words never repeat the value.
        for s in [&d.message, &d.help, &d.primary.message] {
            assert!(!s.contains(CANARY) && !s.contains(TOKEN), "{what}: {s}");
        }
    }
}

/// Through the binary: a refused spec exits 1 and writes nothing.
#[test]
fn refused_spec_writes_no_output() {
    let dir = tools::TempDir::new("secrets-refused");
    for (i, (_, what, body)) in LEAKS.iter().enumerate() {
        let spec = dir.write(&format!("{i}/hecate.hcl"), &leak_spec(body));
        let out_dir = dir.0.join(format!("{i}/out"));
        let run = Command::new(env!("CARGO_BIN_EXE_eosc"))
            .arg("compile")
            .arg(&spec)
            .arg("-o")
            .arg(&out_dir)
            .output()
            .expect("run eosc");
        assert_eq!(run.status.code(), Some(1), "{what}");
        assert!(!out_dir.exists(), "{what}: output written");
    }
}

/// Vault references are not literals: none of these is refused.
#[test]
fn references_and_innocent_values_pass() {
    let text = leak_spec(
        r#"secret "s" { vault = "secret/x" }
variable "password_min_length" { default = 12 }
app "a" {
  image   = "x/a:1"
  secrets = { DB_PASSWORD = secret.s }
  env     = { KEYCLOAK_URL = "https://id.example.com", DB_PASSWORD_FILE = "", COMMIT = "4f9c2ab1e07d3c55a8b0e6f1d2c3b4a5f6e7d8c9" }
  args    = ["--password=$DB_PASSWORD", "--token", "$${DB_PASSWORD}", "--verbose"]
  port "p" { to = 1 }
  health "tcp" {}
}"#,
    );
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.clone())]);
    let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
    let e05: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str().starts_with("E05"))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(e05.is_empty(), "{e05:?}\n{text}");
}
