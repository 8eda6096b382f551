//! `eosc compile --check`: compares the output directory with what compile
//! would write, in memory; exit 1 naming every stale, missing or extra
//! file, 0 when up to date; never writes.

use crate::support::cli;
use crate::support::tools;

use cli::{copy_example, eosc, snapshot};
use tools::TempDir;

#[test]
fn fresh_output_of_both_examples_is_up_to_date() {
    for ex in ["minimal", "cybermonkey"] {
        let dir = TempDir::new("cli-fresh");
        copy_example(ex, &dir.0);
        eosc(&["compile"], Some(&dir.0)).expect(0);
        let before = snapshot(&dir.0);
        let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(0);
        assert!(run.stdout.is_empty(), "{ex}: {}", run.stdout);
        assert_eq!(snapshot(&dir.0), before, "{ex}: --check wrote something");
    }
}

#[test]
fn a_hand_edited_artifact_is_stale_and_named() {
    let dir = TempDir::new("cli-stale");
    copy_example("cybermonkey", &dir.0);
    eosc(&["compile", "-o", "build"], Some(&dir.0)).expect(0);
    let caddy = dir.0.join("build/production/caddy/caddy.json");
    let text = std::fs::read_to_string(&caddy).expect("caddy.json");
    // One character, in the middle of the file: still caught.
    let edited = text.replacen("\"listen\"", "\"Listen\"", 1);
    assert_ne!(edited, text);
    std::fs::write(&caddy, &edited).expect("edit");
    let before = snapshot(&dir.0);
    let run = eosc(&["compile", "--check", "-o", "build"], Some(&dir.0)).expect(1);
    assert_eq!(run.stdout, "stale    build/production/caddy/caddy.json\n");
    assert!(
        run.stderr
            .contains("1 file in build/ is not what `eosc compile` writes"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&dir.0), before, "--check must not repair anything");
    // Compile repairs it; then the check passes.
    eosc(&["compile", "-o", "build"], Some(&dir.0)).expect(0);
    eosc(&["compile", "--check", "-o", "build"], Some(&dir.0)).expect(0);
}

#[test]
fn stale_missing_and_extra_are_all_listed() {
    let dir = TempDir::new("cli-all-three");
    copy_example("minimal", &dir.0);
    eosc(&["compile"], Some(&dir.0)).expect(0);
    let out = dir.0.join("out");
    std::fs::write(out.join("production/dns/example.com.zone"), "; edited\n").expect("edit");
    std::fs::remove_file(out.join("production/nomad/site.nomad.hcl")).expect("remove");
    std::fs::write(out.join("production/nomad/old.nomad.hcl"), "job {}\n").expect("extra");
    let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(1);
    assert_eq!(
        run.stdout,
        "stale    out/production/dns/example.com.zone\n\
         extra    out/production/nomad/old.nomad.hcl\n\
         missing  out/production/nomad/site.nomad.hcl\n"
    );
    assert!(
        run.stderr.contains("3 files in out/ are not"),
        "{}",
        run.stderr
    );
}

#[test]
fn trees_compile_no_longer_writes_are_extra_and_removed() {
    let dir = TempDir::new("cli-orphans");
    let spec = copy_example("cybermonkey", &dir.0);
    eosc(&["compile"], Some(&dir.0)).expect(0);
    // Not eosc's: left alone by both.
    std::fs::create_dir_all(dir.0.join("out/notes")).expect("dir");
    std::fs::write(dir.0.join("out/notes/todo.txt"), "mine\n").expect("write");
    // Drop the staging environment and the pipeline.
    let text = std::fs::read_to_string(&spec).expect("spec");
    let cut = text.find("pipeline \"deploy\"").expect("pipeline");
    let text = text[..cut]
        .replace(
            "environment \"staging\" {\n  vars        = { replicas = 1, version = \"2026.11.22\" }\n  host_suffix = \"-staging\"\n  region      = \"staging\"\n}\n",
            "",
        )
        .replace("  promote_from = environment.staging\n", "");
    std::fs::write(&spec, text).expect("write");
    let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(1);
    assert!(
        run.stdout.contains("extra    out/staging/manifest.json\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("extra    out/jenkins/deploy.Jenkinsfile\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("notes"));
    // --env compiles only some environments: the others are not judged.
    eosc(&["compile", "--check", "--env", "production"], Some(&dir.0)).expect(1);
    eosc(&["compile"], Some(&dir.0)).expect(0);
    assert!(!dir.0.join("out/staging").exists());
    assert!(!dir.0.join("out/jenkins").exists());
    assert!(dir.0.join("out/notes/todo.txt").exists());
    eosc(&["compile", "--check"], Some(&dir.0)).expect(0);
}

#[test]
fn no_output_yet_means_every_file_is_missing_and_nothing_is_created() {
    let dir = TempDir::new("cli-missing");
    copy_example("minimal", &dir.0);
    let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(1);
    assert!(run.stdout.lines().count() > 10);
    assert!(run.stdout.lines().all(|l| l.starts_with("missing  out/")));
    assert!(run
        .stdout
        .contains("missing  out/production/manifest.json\n"));
    assert!(
        !dir.0.join("out").exists(),
        "--check created the output directory"
    );
}

#[test]
fn env_filter_a_changed_spec_and_exit_codes() {
    let dir = TempDir::new("cli-check-env");
    let spec = copy_example("cybermonkey", &dir.0);
    eosc(&["compile"], Some(&dir.0)).expect(0);
    std::fs::write(dir.0.join("out/production/manifest.json"), "{}").expect("edit");
    // Only staging is compared: production's staleness does not count.
    eosc(&["compile", "--check", "--env", "staging"], Some(&dir.0)).expect(0);
    eosc(&["compile", "--check", "--env", "production"], Some(&dir.0)).expect(1);
    eosc(&["compile", "--check", "--env", "qa"], Some(&dir.0)).expect(2);

    // The manifest is no longer eosc's: production's files are not known
    // to be eosc's (cli_ownership), so replacing them takes `--force`.
    eosc(&["compile"], Some(&dir.0)).expect(2);
    // A change to the spec makes the committed artifacts stale.
    eosc(&["compile", "--force"], Some(&dir.0)).expect(0);
    let text = std::fs::read_to_string(&spec).expect("spec");
    std::fs::write(&spec, text.replace("replicas = 2", "replicas = 3")).expect("write");
    let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(1);
    assert!(run
        .stdout
        .contains("stale    out/production/nomad/helen.nomad.hcl\n"));

    // A spec with errors: 1, and no listing.
    std::fs::write(
        &spec,
        "project \"p\" { regoin = \"x\" }\nenvironment \"prod\" {}\n",
    )
    .expect("write");
    let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("E0202"));

    // The output directory cannot be read: 2.
    let dir = TempDir::new("cli-check-io");
    copy_example("minimal", &dir.0);
    std::fs::create_dir_all(dir.0.join("out")).expect("out");
    std::fs::write(dir.0.join("out/production"), "not a directory").expect("file");
    let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(2);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    eosc(&["compile", "--check", "missing.hcl"], Some(&dir.0)).expect(2);
}

#[test]
fn output_in_the_working_directory_is_named_without_a_prefix() {
    let dir = TempDir::new("cli-check-dot");
    copy_example("minimal", &dir.0.join("spec"));
    eosc(&["compile", "spec/hecate.hcl", "-o", "."], Some(&dir.0)).expect(0);
    std::fs::write(dir.0.join("production/manifest.json"), "{}").expect("edit");
    let run = eosc(
        &["compile", "spec/hecate.hcl", "-o", ".", "--check"],
        Some(&dir.0),
    )
    .expect(1);
    assert_eq!(run.stdout, "stale    production/manifest.json\n");
    assert!(run.stderr.contains("1 file in ./ is not"), "{}", run.stderr);
}
