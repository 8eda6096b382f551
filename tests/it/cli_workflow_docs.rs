//! The workflow the README promises, checked by its real consumers: the
//! pre-commit manifest and the README's `.pre-commit-config.yaml` by
//! pre-commit itself, the README's CI steps run as written on a copy of an
//! example, and the README's first commands unchanged.

use crate::support::cli;
use crate::support::tools;

use cli::{copy_example, root};
use std::path::Path;
use tools::{tool, TempDir};

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

/// The fenced blocks of a language in the README, in order.
fn blocks(lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    readme()
        .split(&fence)
        .skip(1)
        .filter_map(|b| b.split_once("```").map(|(body, _)| body.to_string()))
        .collect()
}

#[test]
fn the_first_two_commands_stay() {
    let sh = blocks("sh");
    assert_eq!(
        sh[0],
        "cargo run --release -- compile examples/cybermonkey/hecate.hcl -o out\n"
    );
    assert_eq!(sh[1], "bash scripts/test.sh\n");
}

#[test]
fn the_hook_manifest_declares_eosc_check() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("manifest");
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let check = hooks
        .as_sequence()
        .expect("a list of hooks")
        .iter()
        .find(|h| h["id"] == "eosc-check")
        .expect("an eosc-check hook");
    assert_eq!(check["entry"], "eosc check");
    assert_eq!(check["language"], "rust");
    assert_eq!(check["pass_filenames"], false);
    assert_eq!(check["files"], "\\.hcl$");
    let Some(pre_commit) = tool("pre-commit") else {
        return;
    };
    let out = tools::run(
        &pre_commit,
        &["validate-manifest", ".pre-commit-hooks.yaml"],
        Some(&root()),
    );
    assert!(
        out.ok,
        "pre-commit rejects the manifest: {}{}",
        out.stdout, out.stderr
    );
}

#[test]
fn the_readme_pre_commit_config_is_valid() {
    let config = blocks("yaml")
        .into_iter()
        .find(|b| b.contains("repos:"))
        .expect("a .pre-commit-config.yaml in the README");
    assert!(config.contains("id: eosc-check"));
    let Some(pre_commit) = tool("pre-commit") else {
        return;
    };
    let dir = TempDir::new("readme-precommit");
    let file = dir.write(".pre-commit-config.yaml", &config);
    let out = tools::run(
        &pre_commit,
        &["validate-config", &file.to_string_lossy()],
        None,
    );
    assert!(
        out.ok,
        "pre-commit rejects the README's config: {}{}",
        out.stdout, out.stderr
    );
}

/// The README's CI steps, as `(name, command)`.
fn ci_steps() -> Vec<(String, String)> {
    let block = blocks("yaml")
        .into_iter()
        .find(|b| b.contains("eosc compile --check"))
        .expect("the CI steps in the README");
    let steps: serde_yaml::Value = serde_yaml::from_str(&block).expect("CI steps are YAML");
    steps
        .as_sequence()
        .expect("a list of steps")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("name").to_string(),
                s["run"].as_str().expect("run").to_string(),
            )
        })
        .collect()
}

fn run_step(dir: &Path, command: &str) -> tools::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_eosc"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let out = std::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", command])
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("bash runs");
    tools::Output {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_readme_ci_steps_pass_on_fresh_artifacts_and_catch_mistakes() {
    let steps = ci_steps();
    assert_eq!(steps.len(), 3);
    let dir = TempDir::new("readme-ci");
    let spec = copy_example("minimal", &dir.0.join("deploy"));
    cli::eosc(
        &["compile", "deploy/hecate.hcl", "-o", "deploy/out"],
        Some(&dir.0),
    )
    .expect(0);
    for (name, command) in &steps {
        let out = run_step(&dir.0, command);
        assert!(
            out.ok,
            "step `{name}` fails on a clean spec: {}{}",
            out.stdout, out.stderr
        );
    }
    // A hand-edited artifact fails the freshness step.
    std::fs::write(dir.0.join("deploy/out/production/caddy/caddy.json"), "{}").expect("edit");
    let fresh = &steps[1].1;
    let out = run_step(&dir.0, fresh);
    assert!(
        !out.ok
            && out
                .stdout
                .contains("stale    deploy/out/production/caddy/caddy.json")
    );
    // A mistake in the spec: an annotation on its line, and a failed step.
    let text = std::fs::read_to_string(&spec).expect("spec");
    let text = text.replace("region ", "regoin ");
    std::fs::write(&spec, &text).expect("write");
    let line = text
        .lines()
        .position(|l| l.contains("regoin"))
        .expect("line")
        + 1;
    let out = run_step(&dir.0, &steps[0].1);
    assert!(!out.ok);
    assert!(
        out.stdout.starts_with(&format!(
            "::error file=deploy/hecate.hcl,line={line},col=3,endLine={line},endColumn=9,"
        )),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("title=E0202::"));
}
