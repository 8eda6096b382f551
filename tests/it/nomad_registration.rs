//! The example's Consul registrations as Nomad reads them: the emitted jobs
//! of examples/cybermonkey go through HashiCorp's HCL parser (hcl2json), and
//! the services carry what the seed's jobs register (004:1127, 004:1216,
//! 004:1360-1376): the user's tags beside eosc's, the Authentik check's
//! `Accept` header, the pg_isready and redis-cli script checks and their
//! restart policy.

use crate::support::specs;
use crate::support::tools::{hcl2json, tool, TempDir};

use serde_json::Value;
use std::path::Path;

/// The single service block of `job`'s group, parsed, for the production
/// environment of the example.
fn service(dir: &TempDir, parser: &Path, job: &str) -> Value {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cybermonkey/hecate.hcl");
    let model = specs::models(&example)
        .into_iter()
        .find(|m| m.env.name == "production")
        .expect("production environment");
    let artifact = eosc::emit::nomad::emit(&model)
        .into_iter()
        .find(|a| a.path == format!("nomad/{job}.nomad.hcl"))
        .expect("job emitted");
    let file = dir.write(&format!("{job}.nomad.hcl"), &artifact.contents);
    let parsed = hcl2json(parser, &file).expect("hcl2json parses the job");
    let services = &parsed["job"][job][0]["group"][job][0]["service"];
    let services = services.as_array().expect("service blocks");
    services
        .iter()
        .find(|s| s["port"] == services[0]["port"])
        .cloned()
        .expect("a service")
}

#[test]
fn the_examples_services_carry_the_seeds_tags_headers_and_script_checks() {
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    let dir = TempDir::new("nomad-registration");

    let authentik = service(&dir, &parser, "authentik");
    assert_eq!(authentik["name"], "authentik-server");
    assert_eq!(
        authentik["tags"],
        serde_json::json!(["authentik", "identity-provider", "hecate-route"])
    );
    let check = &authentik["check"][0];
    assert_eq!(check["type"], "http");
    assert_eq!(
        check["header"][0]["Accept"],
        serde_json::json!(["application/json"]),
        "{check}"
    );

    let postgres = service(&dir, &parser, "postgres");
    assert_eq!(
        postgres["tags"],
        serde_json::json!(["postgres", "authentik", "database"])
    );
    let check = &postgres["check"][0];
    assert_eq!(check["type"], "script");
    assert_eq!(check["command"], "/usr/local/bin/pg_isready");
    assert_eq!(
        check["args"],
        serde_json::json!(["-U", "authentik", "-d", "authentik"])
    );
    // A group-level script check names the task it runs in.
    assert_eq!(check["task"], "postgres");
    assert_eq!(check["check_restart"][0]["limit"], 3);
    assert_eq!(check["check_restart"][0]["grace"], "90s");

    let redis = service(&dir, &parser, "redis");
    let check = &redis["check"][0];
    assert_eq!(
        (check["type"].as_str(), check["command"].as_str()),
        (Some("script"), Some("redis-cli"))
    );
    assert_eq!(check["args"], serde_json::json!(["ping"]));
}
