//! `eosc diff`: what compile would change, as a unified diff per file
//! after a summary per environment; plain on a pipe, coloured on request;
//! and a real consumer of the format: `git apply` turns a stale tree into
//! the one compile writes.

use crate::support::cli;
use crate::support::tools;

use cli::{copy_example, eosc, snapshot};
use tools::{tool, TempDir};

/// The hashes artifacts carry: the input hash (manifest) and the model hash.
fn hashes(text: &str) -> (String, String) {
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.to_string())]);
    let checked = eosc::check("hecate.hcl", &loader).expect("loads");
    let m = &checked.models[0];
    (m.input_hash.clone(), m.model_hash.clone())
}

/// The `diff --git` section of one file in the whole output.
fn file_section<'a>(diff: &'a str, path: &str) -> &'a str {
    let start = diff
        .find(&format!("diff --git a/{path} b/{path}\n"))
        .unwrap_or_else(|| panic!("no diff of {path} in:\n{diff}"));
    let rest = &diff[start..];
    let end = rest[1..]
        .find("\ndiff --git ")
        .into_iter()
        .chain(rest[1..].find("\n# "))
        .min()
        .map_or(rest.len(), |e| e + 2);
    &rest[..end]
}

#[test]
fn a_spec_change_shows_exactly_its_hunk() {
    let dir = TempDir::new("cli-diff");
    let spec = copy_example("minimal", &dir.0);
    eosc(&["compile"], Some(&dir.0)).expect(0);
    let before = std::fs::read_to_string(&spec).expect("spec");
    let after = before.replace("memory = 64MiB", "memory = 128MiB");
    assert_ne!(before, after);
    std::fs::write(&spec, &after).expect("write");
    let (old_hash, new_hash) = (hashes(&before), hashes(&after));
    let tree_before = snapshot(&dir.0.join("out"));

    let run = eosc(&["diff"], Some(&dir.0)).expect(0);
    assert!(!run.stdout.contains('\x1b'), "no colour on a pipe");
    assert_eq!(
        snapshot(&dir.0.join("out")),
        tree_before,
        "diff wrote something"
    );

    // The job's memory: one hunk, with the context compile writes.
    let job =
        std::fs::read_to_string(dir.0.join("out/production/nomad/site.nomad.hcl")).expect("job");
    let at = job
        .lines()
        .position(|l| l.trim() == "memory = 64")
        .expect("memory line")
        + 1;
    let nomad = file_section(&run.stdout, "out/production/nomad/site.nomad.hcl");
    let expected_hunk = format!(
        "@@ -{s},7 +{s},7 @@\n \n       resources {{\n         cpu    = 100\n-        memory = 64\n+        memory = 128\n       }}\n     }}\n   }}\n",
        s = at - 3
    );
    assert!(
        nomad.ends_with(&expected_hunk),
        "expected the hunk\n{expected_hunk}\nin\n{nomad}"
    );

    // Every other changed line only swaps the spec's hash (artifacts record
    // the input they came from), and each file changed says so.
    let mut changed_files = Vec::new();
    let mut minus = Vec::new();
    let mut plus = Vec::new();
    for line in run.stdout.lines() {
        if let Some(p) = line.strip_prefix("+++ b/") {
            changed_files.push(p.to_string());
        } else if line.starts_with("---") || line.starts_with("+++") {
        } else if let Some(l) = line.strip_prefix('-') {
            minus.push(l.to_string());
        } else if let Some(l) = line.strip_prefix('+') {
            plus.push(l.to_string());
        }
    }
    assert_eq!(minus.len(), plus.len());
    for (m, p) in minus.iter().zip(&plus) {
        if m.trim() == "memory = 64" {
            assert_eq!(p.trim(), "memory = 128");
            continue;
        }
        // The changed app's job records the hash of its own part of the spec.
        if m.trim().starts_with("spec_hash") && p.trim().starts_with("spec_hash") {
            continue;
        }
        // YAML quotes a hash only when it could read as a number, so the
        // quotes may come and go with the value.
        let m = m
            .replace(&old_hash.0, "HASH")
            .replace(&old_hash.1, "HASH")
            .replace("\"HASH\"", "HASH");
        let p = p
            .replace(&new_hash.0, "HASH")
            .replace(&new_hash.1, "HASH")
            .replace("\"HASH\"", "HASH");
        // manifest.json also lists each changed file's new sha256.
        let strip = |s: &str| {
            s.split_once("\": \"")
                .map_or(s.to_string(), |(k, _)| k.to_string())
        };
        assert_eq!(strip(&m), strip(&p), "unexpected change:\n-{m}\n+{p}");
    }
    assert_eq!(
        changed_files,
        [
            "out/production/manifest.json",
            "out/production/nomad/site.nomad.hcl",
            "out/production/salt/hecate/orchestrate.sls",
            "out/production/salt/hecate/promote.sls",
            "out/production/salt/pillar/hecate.sls",
        ]
    );
    let first = run.stdout.lines().next().expect("summary");
    assert_eq!(
        first,
        format!(
            "# production: 5 files would change (5 stale, 0 missing, 0 extra), +{n} -{n}",
            n = plus.len()
        )
    );
}

#[test]
fn up_to_date_is_one_summary_line_per_environment() {
    let dir = TempDir::new("cli-diff-clean");
    copy_example("cybermonkey", &dir.0);
    eosc(&["compile", "-o", "gen"], Some(&dir.0)).expect(0);
    let run = eosc(&["diff", "-o", "gen"], Some(&dir.0)).expect(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].starts_with("# staging: up to date ("));
    assert!(lines[1].starts_with("# production: up to date ("));
    assert_eq!(lines[2], "# jenkins: up to date (1 file)");
    let run = eosc(&["diff", "-o", "gen", "--env", "production"], Some(&dir.0)).expect(0);
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn colour_on_request() {
    let dir = TempDir::new("cli-diff-colour");
    copy_example("minimal", &dir.0);
    let run = eosc(&["diff", "--color", "always"], Some(&dir.0)).expect(0);
    assert!(
        run.stdout.starts_with("\x1b[1;33m# production: "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\x1b[1mdiff --git a/out/production/"));
    assert!(run.stdout.contains("\x1b[36m@@ -0,0 +1,"));
    assert!(run.stdout.contains("\x1b[32m+"));
    let plain = eosc(&["diff", "--color", "never"], Some(&dir.0)).expect(0);
    assert!(!plain.stdout.contains('\x1b'));
}

#[test]
fn git_apply_takes_the_diff_to_what_compile_writes() {
    let Some(git) = tool("git") else { return };
    let dir = TempDir::new("cli-diff-apply");
    let spec = copy_example("cybermonkey", &dir.0);
    eosc(&["compile"], Some(&dir.0)).expect(0);
    // Stale, missing and extra files, and a changed spec.
    std::fs::write(dir.0.join("out/production/caddy/caddy.json"), "{}\n").expect("edit");
    std::fs::remove_file(dir.0.join("out/production/nomad/redis.nomad.hcl")).expect("rm");
    std::fs::write(
        dir.0.join("out/staging/nomad/old.nomad.hcl"),
        "job \"old\" {}\n",
    )
    .expect("add");
    std::fs::write(dir.0.join("out/staging/empty"), "").expect("add");
    let text = std::fs::read_to_string(&spec).expect("spec");
    std::fs::write(&spec, text.replace("replicas = 2", "replicas = 3")).expect("spec");
    eosc(&["compile", "--check"], Some(&dir.0)).expect(1);

    let patch = eosc(&["diff"], Some(&dir.0)).expect(0).stdout;
    std::fs::write(dir.0.join("changes.patch"), &patch).expect("patch");
    let applied = tools::run(&git, &["apply", "changes.patch"], Some(&dir.0));
    assert!(applied.ok, "git apply refused the diff: {}", applied.stderr);
    let run = eosc(&["compile", "--check"], Some(&dir.0)).expect(0);
    assert!(run.stdout.is_empty());
}

#[test]
fn exit_codes() {
    let dir = TempDir::new("cli-diff-codes");
    let spec = copy_example("minimal", &dir.0);
    eosc(&["diff", "--env", "qa"], Some(&dir.0)).expect(2);
    eosc(&["diff", "nowhere.hcl"], Some(&dir.0)).expect(2);
    eosc(&["diff", "--color", "sometimes"], Some(&dir.0)).expect(2);
    std::fs::write(&spec, "project \"p\" {}\n").expect("write");
    let run = eosc(&["diff"], Some(&dir.0)).expect(1);
    assert!(run.stdout.is_empty());
    assert!(!run.stderr.is_empty());
}
