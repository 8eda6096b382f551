//! eosc owns only what it wrote (docs/security.md, "Output directory"):
//! `compile` replaces a tree only if it is empty or eosc's manifest lists
//! every file in it (`--force` overrides), never a tree holding the spec's
//! own files, serialises concurrent compiles with a lock, and removes the
//! staging directories of killed compiles.

use crate::support::cli;
use crate::support::tools;

use cli::{copy_example, eosc, snapshot};
use std::collections::BTreeMap;
use std::path::Path;
use tools::TempDir;

#[test]
fn a_hand_written_file_in_a_tree_survives_and_force_replaces() {
    let dir = TempDir::new("own-foreign");
    copy_example("cybermonkey", &dir.0);
    eosc(&["compile"], Some(&dir.0)).expect(0);
    let notes = dir.0.join("out/production/notes.txt");
    std::fs::write(&notes, "mine\n").expect("notes");
    let jenkins_notes = dir.0.join("out/jenkins/README");
    std::fs::write(&jenkins_notes, "mine too\n").expect("notes");
    let before = snapshot(&dir.0);
    let run = eosc(&["compile"], Some(&dir.0)).expect(2);
    assert!(
        run.stderr.contains("out/production/notes.txt"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("out/jenkins/README"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(snapshot(&dir.0), before, "a refused compile wrote nothing");
    // `--check` and `diff` are unchanged: they list the file, write nothing.
    let check = eosc(&["compile", "--check"], Some(&dir.0)).expect(1);
    assert!(
        check.stdout.contains("extra    out/production/notes.txt"),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains(".eosc"), "{}", check.stdout);
    eosc(&["diff"], Some(&dir.0));
    assert_eq!(snapshot(&dir.0), before);

    eosc(&["compile", "--force"], Some(&dir.0)).expect(0);
    assert!(!notes.exists() && !jenkins_notes.exists());
    eosc(&["compile", "--check"], Some(&dir.0)).expect(0);
    eosc(&["compile"], Some(&dir.0)).expect(0);
}

#[test]
fn a_tree_without_eosc_manifest_is_not_replaced() {
    let dir = TempDir::new("own-nomanifest");
    copy_example("minimal", &dir.0);
    std::fs::create_dir_all(dir.0.join("out/production/nomad")).expect("mkdir");
    std::fs::write(dir.0.join("out/production/nomad/site.nomad.hcl"), "x").expect("w");
    let run = eosc(&["compile"], Some(&dir.0)).expect(2);
    assert!(
        run.stderr.contains("out/production/nomad/site.nomad.hcl"),
        "{}",
        run.stderr
    );
    // An empty tree is eosc's to fill.
    std::fs::remove_dir_all(dir.0.join("out/production")).expect("rm");
    std::fs::create_dir_all(dir.0.join("out/production")).expect("mkdir");
    eosc(&["compile"], Some(&dir.0)).expect(0);
}

#[test]
fn an_environment_named_like_a_source_folder_is_refused() {
    let dir = TempDir::new("own-source");
    let spec = copy_example("minimal", &dir.0);
    let text = std::fs::read_to_string(&spec).expect("spec");
    std::fs::write(&spec, format!("import \"./production/extra.hcl\"\n{text}")).expect("spec");
    std::fs::create_dir_all(dir.0.join("production")).expect("mkdir");
    std::fs::write(
        dir.0.join("production/extra.hcl"),
        "middleware \"extra\" {\n  use = [middleware.security]\n}\n",
    )
    .expect("import");
    eosc(&["check"], Some(&dir.0)).expect(0);
    let before = snapshot(&dir.0);
    for args in [
        &["compile", "-o", "."][..],
        &["compile", "-o", ".", "--force"],
    ] {
        let run = eosc(args, Some(&dir.0)).expect(2);
        assert!(
            run.stderr.contains("would replace the spec's own file")
                && run.stderr.contains("extra.hcl"),
            "{}",
            run.stderr
        );
        assert_eq!(snapshot(&dir.0), before, "the source is untouched");
    }
    // Elsewhere it compiles.
    eosc(&["compile", "-o", "out"], Some(&dir.0)).expect(0);
}

#[test]
fn a_stale_staging_dir_of_a_dead_process_is_removed() {
    let dir = TempDir::new("own-stale");
    copy_example("minimal", &dir.0);
    let mut child = std::process::Command::new("true").spawn().expect("true");
    let dead = child.id();
    child.wait().expect("wait");
    let out = dir.0.join("out");
    let stale = out.join(format!(".eosc-staging-{dead}"));
    std::fs::create_dir_all(stale.join("production/nomad")).expect("mkdir");
    std::fs::write(stale.join("production/nomad/big"), "x".repeat(4096)).expect("w");
    // A lock left by the same dead process is stale, not waited for.
    std::fs::write(out.join(".eosc.lock"), format!("{dead}\n")).expect("lock");
    // Not exactly named so, or alive: kept.
    let alive = out.join(format!(".eosc-staging-{}", std::process::id()));
    std::fs::create_dir_all(&alive).expect("mkdir");
    let other = out.join(format!(".eosc-staging-{dead}x"));
    std::fs::create_dir_all(&other).expect("mkdir");
    let run = eosc(&["compile"], Some(&dir.0)).expect(0);
    assert!(!stale.exists(), "{}", run.stderr);
    assert!(!out.join(".eosc.lock").exists());
    assert!(alive.exists() && other.exists());
}

#[test]
fn a_held_lock_makes_the_second_compile_wait_then_give_up() {
    let dir = TempDir::new("own-lock");
    copy_example("minimal", &dir.0);
    let out = dir.0.join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    // This test process is alive: its pid holds the lock.
    std::fs::write(out.join(".eosc.lock"), format!("{}\n", std::process::id())).expect("lock");
    let started = std::time::Instant::now();
    let run = cli_env(&["compile"], &dir.0, &[("EOSC_LOCK_TIMEOUT", "0.5")]);
    assert_eq!(run.0, 2, "{}", run.1);
    assert!(run.1.contains("another eosc"), "{}", run.1);
    assert!(started.elapsed() >= std::time::Duration::from_millis(500));
    assert!(!out.join("production").exists());
}

/// `compile` reads the spec under the lock an edit (`eosc route add`)
/// holds while it rewrites the spec's files: a held lock beside the spec
/// makes it wait, and it never leaves that lock behind. A spec directory it
/// cannot write to (a read-only checkout) is read without the lock.
#[test]
fn compile_reads_the_spec_under_the_edit_lock() {
    let dir = TempDir::new("own-spec-lock");
    copy_example("minimal", &dir.0);
    std::fs::write(
        dir.0.join(".eosc.lock"),
        format!("{}\n", std::process::id()),
    )
    .expect("lock");
    let run = cli_env(&["compile"], &dir.0, &[("EOSC_LOCK_TIMEOUT", "0.5")]);
    assert_eq!(run.0, 2, "{}", run.1);
    assert!(run.1.contains("another eosc"), "{}", run.1);
    assert!(!dir.0.join("out").join("production").exists());
    std::fs::remove_file(dir.0.join(".eosc.lock")).expect("unlock");
    eosc(&["compile"], Some(&dir.0)).expect(0);
    let left: Vec<_> = std::fs::read_dir(&dir.0)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".eosc"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

fn cli_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eosc"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("eosc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `{env tree: {file: sha256}}` from each environment's manifest.
type Manifests = BTreeMap<String, BTreeMap<String, String>>;

fn manifests(out: &Path) -> Manifests {
    let mut all = Manifests::new();
    for e in std::fs::read_dir(out).expect("out").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "jenkins" {
            continue;
        }
        let text = std::fs::read_to_string(e.path().join("manifest.json")).expect("manifest");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        let files = doc["files"]
            .as_object()
            .expect("files")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("hash").to_string()))
            .collect();
        all.insert(name, files);
    }
    all
}

fn tree_hashes(root: &Path, prefix: &str, found: &mut BTreeMap<String, String>) {
    for e in std::fs::read_dir(root).expect("tree").flatten() {
        let rel = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().expect("type").is_dir() {
            tree_hashes(&e.path(), &format!("{rel}/"), found);
        } else if rel != "manifest.json" {
            let bytes = std::fs::read(e.path()).expect("read");
            found.insert(rel, eosc::digest::sha256_hex(&bytes));
        }
    }
}

#[test]
fn paired_concurrent_compiles_never_leave_a_mixed_tree() {
    let dir = TempDir::new("own-concurrent");
    // Two specs, same environments, different artifacts.
    let a = copy_example("cybermonkey", &dir.0.join("a"));
    let b = copy_example("cybermonkey", &dir.0.join("b"));
    let text = std::fs::read_to_string(&b).expect("spec");
    let changed = text.replacen("redis:7.4-alpine", "redis:7.4.1-alpine", 1);
    assert_ne!(changed, text);
    std::fs::write(&b, changed).expect("spec b");
    let out = dir.0.join("out");
    // What each compiles to alone.
    let mut expected = Vec::new();
    for spec in [&a, &b] {
        let alone = dir.0.join("alone");
        let _ = std::fs::remove_dir_all(&alone);
        eosc(
            &[
                "compile",
                &spec.display().to_string(),
                "-o",
                &alone.display().to_string(),
            ],
            None,
        )
        .expect(0);
        expected.push(manifests(&alone));
    }
    assert_ne!(
        expected[0], expected[1],
        "the two specs compile differently"
    );
    let started = std::time::Instant::now();
    let rounds = 20;
    let mut both_ok = 0;
    for round in 0..rounds {
        let spawn = |spec: &Path| {
            std::process::Command::new(env!("CARGO_BIN_EXE_eosc"))
                .args(["-q", "compile"])
                .arg(spec)
                .arg("-o")
                .arg(&out)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let p = spawn(first);
        let q = spawn(second);
        let p = p.wait_with_output().expect("wait");
        let q = q.wait_with_output().expect("wait");
        let codes = (p.status.code(), q.status.code());
        let found = manifests(&out);
        let whole = expected.contains(&found);
        for (env, files) in &found {
            let mut on_disk = BTreeMap::new();
            tree_hashes(&out.join(env), "", &mut on_disk);
            assert_eq!(
                &on_disk, files,
                "round {round}: {env} is not what its manifest lists"
            );
        }
        assert!(
            whole,
            "round {round}: the environment trees come from different compiles (exit {codes:?}):\n{}\n{}",
            String::from_utf8_lossy(&p.stderr),
            String::from_utf8_lossy(&q.stderr)
        );
        if codes == (Some(0), Some(0)) {
            both_ok += 1;
        }
    }
    eprintln!(
        "concurrent: {rounds} paired compiles, {both_ok} with both exit 0, no mixed tree, {:.1?}",
        started.elapsed()
    );
    assert_eq!(both_ok, rounds, "the second compile waits for the first");
}
