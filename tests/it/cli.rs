//! The binary end to end: exit codes, streams, and the output tree.

use std::path::PathBuf;
use std::process::Command;

fn eosc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eosc"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eosc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn check_examples_exit_zero() {
    for ex in [
        "examples/cybermonkey/hecate.hcl",
        "examples/minimal/hecate.hcl",
    ] {
        let out = eosc().args(["check", ex]).output().expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{ex}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout.is_empty(),
            "check prints nothing but diagnostics (to stderr)"
        );
    }
}

#[test]
fn deny_warnings_passes_with_the_wazuh_warning_allowed_and_keeps_it_as_suppressed() {
    let out = eosc()
        .args([
            "check",
            "examples/cybermonkey/hecate.hcl",
            "--deny",
            "warnings",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    // Machine formats are the command's result: stdout.
    let text = String::from_utf8_lossy(&out.stdout);
    let all: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    // Both of the example's findings are allowed: the worker's socket and Wazuh.
    assert_eq!(all.len(), 2, "{text}");
    assert!(all.iter().all(|d| d["suppressed"]["kind"] == "inSource"));
    let first = all.iter().find(|d| d["code"] == "W0501").expect("W0501");
    assert_eq!(first["file"], "examples/cybermonkey/hecate.hcl");
    assert_eq!(first["suppressed"]["kind"], "inSource");
    assert!(first["suppressed"]["justification"]
        .as_str()
        .is_some_and(|j| j.contains("self-signed")));
    assert!(first["line"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn errors_exit_one_and_missing_file_exits_two() {
    let dir = temp_dir("errors");
    let bad = dir.join("hecate.hcl");
    std::fs::write(
        &bad,
        "project \"p\" { regoin = \"x\" }\nenvironment \"prod\" {}\n",
    )
    .expect("write");
    let out = eosc().arg("check").arg(&bad).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E0202") && err.contains("did you mean `region`?"),
        "{err}"
    );

    let out = eosc()
        .args(["check", "no/such/hecate.hcl"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = eosc()
        .args(["check", "--format", "yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_prints_the_section_and_refuses_unknown_codes() {
    let out = eosc().args(["explain", "E0202"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("## E0202"));
    let out = eosc().args(["explain", "E9999"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn compile_writes_every_environment_with_a_manifest_and_is_byte_identical() {
    let dir = temp_dir("compile");
    let run = |out: &PathBuf| {
        let o = eosc()
            .args(["compile", "examples/cybermonkey/hecate.hcl", "-o"])
            .arg(out)
            .output()
            .expect("runs");
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let a = dir.join("a");
    let b = dir.join("b");
    run(&a);
    run(&b);
    for env in ["staging", "production"] {
        let manifest =
            std::fs::read_to_string(a.join(env).join("manifest.json")).expect("manifest");
        let doc: serde_json::Value = serde_json::from_str(&manifest).expect("manifest is JSON");
        assert_eq!(doc["environment"], env);
        assert_eq!(
            doc["source"], "hecate.hcl",
            "no directories or absolute paths in output"
        );
        for (file, _) in doc["files"].as_object().expect("files") {
            let x = std::fs::read(a.join(env).join(file)).expect("listed file exists");
            let y = std::fs::read(b.join(env).join(file)).expect("listed file exists");
            assert_eq!(x, y, "{env}/{file} differs between two compiles");
        }
        assert_eq!(
            manifest,
            std::fs::read_to_string(b.join(env).join("manifest.json")).expect("manifest")
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&a)
        .expect("out")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        3,
        "only the environment trees and jenkins/ remain: {leftovers:?}"
    );
}

#[test]
fn a_failed_compile_leaves_the_previous_tree_untouched() {
    let dir = temp_dir("atomic");
    let out = dir.join("out");
    let o = eosc()
        .args(["compile", "examples/minimal/hecate.hcl", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0));
    let before = std::fs::read(out.join("production/manifest.json")).expect("manifest");
    let bad = dir.join("hecate.hcl");
    std::fs::write(
        &bad,
        "project \"p\" {}\nenvironment \"production\" {}\napp \"x\" { image = 3 }\n",
    )
    .expect("write");
    let o = eosc()
        .arg("compile")
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(out.join("production/manifest.json")).expect("manifest"),
        before
    );
}
