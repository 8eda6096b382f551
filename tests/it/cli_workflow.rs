//! Issue 19 through the binary: artifacts that survive `eosc fmt`, per-finding
//! allows, summaries and colours, one path form, exit codes and patches
//! `git apply` takes, stdin, `explain --list`.

use crate::support::cli;
use crate::support::tools;

use cli::{copy_example, root, snapshot, Run};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use tools::{tool, TempDir};

/// `eosc ARGS` in `dir` with extra environment variables and `stdin`;
/// the colour variables of the caller's environment removed.
fn run(args: &[&str], dir: &Path, env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_eosc"));
    c.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("eosc runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(input);
    let out = child.wait_with_output().expect("eosc ends");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn eosc(args: &[&str], dir: &Path) -> Run {
    run(args, dir, &[], None)
}

/// The example with its allow comment removed: a spec with one warning.
fn with_warning(dir: &Path) -> std::path::PathBuf {
    let spec = copy_example("cybermonkey", dir);
    let text = std::fs::read_to_string(&spec).expect("spec");
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("# eosc:allow W0501"))
        .collect();
    assert_ne!(kept.len(), text.lines().count(), "the example allows W0501");
    std::fs::write(&spec, kept.join("\n") + "\n").expect("write");
    spec
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

// --- 1. artifacts depend on meaning, not bytes -------------------------

#[test]
fn fmt_and_comment_edits_change_only_the_manifest_and_check_stays_green() {
    let dir = TempDir::new("wf-fmt");
    let spec = copy_example("cybermonkey", &dir.0);
    eosc(&["compile", "-q"], &dir.0).expect(0);
    let before = snapshot(&dir.0.join("out"));

    // Unformat (alignment, spacing) and edit a comment: same meaning.
    edit(&spec, "  tls     = true", "  tls   =    true   ");
    edit(&spec, "# Project", "# The project, reworded");
    let r = eosc(&["compile", "--check"], &dir.0).expect(0);
    assert!(
        r.stderr.contains("spec reformatted, artifacts current"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "nothing listed: {}", r.stdout);

    // `eosc fmt` (the pre-commit hook) likewise.
    eosc(&["fmt"], &dir.0).expect(0);
    eosc(&["compile", "--check"], &dir.0).expect(0);

    // Recompiling rewrites the manifests' input hash and nothing else.
    eosc(&["compile", "-q"], &dir.0).expect(0);
    let after = snapshot(&dir.0.join("out"));
    assert_eq!(before.len(), after.len());
    let mut manifests = 0;
    for ((p, a), (q, b)) in before.iter().zip(&after) {
        assert_eq!(p, q);
        if p.ends_with("manifest.json") {
            manifests += usize::from(a != b);
        } else {
            assert!(a == b, "{} changed by a reformat", p.display());
        }
    }
    assert_eq!(
        manifests, 2,
        "each environment's manifest has the new input hash"
    );

    // A change of meaning is still stale.
    edit(&spec, "tls_skip_verify = true", "tls_skip_verify = false");
    let r = eosc(&["compile", "--check"], &dir.0).expect(1);
    assert!(r.stdout.contains("stale"), "{}", r.stdout);
    assert!(!r.stderr.contains("reformatted"), "{}", r.stderr);
}

#[test]
fn examples_the_init_template_and_the_language_docs_are_fmt_clean() {
    let r = root();
    for f in [
        "examples/cybermonkey/hecate.hcl",
        "examples/minimal/hecate.hcl",
        "src/cli/starter.hcl",
    ] {
        let out = eosc(&["fmt", "--check", "--diff", f], &r);
        assert_eq!(out.code, 0, "{f} is not fmt-clean:\n{}", out.stdout);
    }
    let dir = TempDir::new("wf-init");
    eosc(&["init", "-q", "sub"], &dir.0).expect(0);
    eosc(&["fmt", "--check", "sub/hecate.hcl"], &dir.0).expect(0);

    let doc = std::fs::read_to_string(r.join("docs/language.md")).expect("language.md");
    let blocks: Vec<&str> = doc
        .split("```hcl\n")
        .skip(1)
        .filter_map(|b| b.split_once("```").map(|(body, _)| body))
        .collect();
    assert!(blocks.len() >= 9, "{} hcl blocks", blocks.len());
    for (i, b) in blocks.iter().enumerate() {
        let out = run(&["fmt", "--check", "--diff", "-"], &r, &[], Some(b));
        assert_eq!(
            out.code, 0,
            "hcl block {i} of docs/language.md is not fmt-clean:\n{}{}",
            out.stdout, out.stderr
        );
    }
}

// --- 2. per-finding allow -----------------------------------------------

#[test]
fn the_example_passes_deny_warnings_and_sarif_shows_the_suppression() {
    let r = root();
    let spec = "examples/cybermonkey/hecate.hcl";
    let out = eosc(&["check", "--deny", "warnings", spec], &r).expect(0);
    assert_eq!(
        out.stderr.trim(),
        "checked examples/cybermonkey/hecate.hcl: 2 environments, 0 errors, 2 warnings (2 allowed)"
    );
    let out = eosc(&["check", "--format", "sarif", spec], &r).expect(0);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).expect("sarif");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let w = results
        .iter()
        .find(|x| x["ruleId"] == "W0501")
        .expect("the allowed W0501 is still a result");
    let s = &w["suppressions"][0];
    assert_eq!(s["kind"], "inSource");
    assert!(s["justification"]
        .as_str()
        .is_some_and(|j| j.contains("self-signed certificate")));
    assert_eq!(
        s["location"]["physicalLocation"]["artifactLocation"]["uri"],
        spec
    );
}

#[test]
fn allows_without_reason_unused_or_for_errors_are_reported() {
    let dir = TempDir::new("wf-allow");
    let spec = copy_example("cybermonkey", &dir.0);
    // No reason: still allowed, but W0101.
    edit(
        &spec,
        "# eosc:allow W0501 -- the Wazuh",
        "# eosc:allow W0501 # the Wazuh",
    );
    let out = eosc(&["check", "--format", "json"], &dir.0).expect(0);
    assert!(out.stdout.contains("\"code\":\"W0101\""), "{}", out.stdout);
    assert!(!out.stdout.contains("\"code\":\"W0102\""), "{}", out.stdout);
    let j: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert!(j
        .iter()
        .any(|d| d["code"] == "W0501" && d["suppressed"]["justification"] == ""));
    eosc(&["check", "--deny", "warnings"], &dir.0).expect(1);

    // Unused, an error code and an unknown code: W0102 each.
    let spec = copy_example("cybermonkey", &dir.0);
    edit(
        &spec,
        "upstream \"grafana\"",
        "# eosc:allow W0501 -- not here\nupstream \"grafana\"",
    );
    edit(
        &spec,
        "upstream \"jenkins\"",
        "# eosc:allow E0203, W9999 -- nope\nupstream \"jenkins\"",
    );
    let out = eosc(&["check"], &dir.0).expect(0);
    assert!(
        out.stderr.contains("unused `eosc:allow W0501`"),
        "{}",
        out.stderr
    );
    assert!(out
        .stderr
        .contains("`eosc:allow E0203`: errors cannot be allowed"));
    assert!(out
        .stderr
        .contains("`eosc:allow W9999`: no such warning code"));
    assert!(
        out.stderr
            .contains("checked hecate.hcl: 2 environments, 0 errors, 5 warnings (2 allowed)"),
        "{}",
        out.stderr
    );
    let out = eosc(&["explain", "W0102"], &dir.0).expect(0);
    assert!(out.stdout.starts_with("## W0102"));
}

// --- 3. terminal manners -----------------------------------------------

#[test]
fn check_and_compile_summarise_on_stderr_and_q_silences() {
    let dir = TempDir::new("wf-summary");
    copy_example("cybermonkey", &dir.0.join("deploy"));
    let out = eosc(&["check", "deploy/hecate.hcl"], &dir.0).expect(0);
    assert_eq!(
        out.stderr,
        "checked deploy/hecate.hcl: 2 environments, 0 errors, 2 warnings (2 allowed)\n"
    );
    let out = eosc(&["check", "-q", "deploy/hecate.hcl"], &dir.0).expect(0);
    assert_eq!(out.stderr, "");

    // -o is relative to the current directory, and the summary says where.
    let out = eosc(&["compile", "deploy/hecate.hcl", "-o", "build"], &dir.0).expect(0);
    // jenkins/.eosc-manifest.json is eosc's bookkeeping, not an artifact.
    let files = snapshot(&dir.0.join("build"))
        .iter()
        .filter(|(p, _)| !p.ends_with(".eosc-manifest.json"))
        .count();
    assert_eq!(
        out.stderr,
        format!("wrote {files} files to build/staging, build/production, build/jenkins\n")
    );
    assert!(!dir.0.join("deploy/build").exists());
    let out = eosc(&["compile", "--quiet", "deploy/hecate.hcl"], &dir.0).expect(0);
    assert_eq!(out.stderr, "");
    assert!(dir.0.join("out/staging/manifest.json").is_file());

    // -C DIR: as if started there; -o then lies in DIR.
    let out = eosc(&["-C", "deploy", "compile", "-o", "o2"], &dir.0).expect(0);
    assert!(out.stderr.starts_with("wrote "), "{}", out.stderr);
    assert!(out.stderr.contains("o2/staging"), "{}", out.stderr);
    assert!(dir.0.join("deploy/o2/production/manifest.json").is_file());
    let out = eosc(&["check", "-C", "deploy"], &dir.0).expect(0);
    assert!(
        out.stderr.starts_with("checked hecate.hcl:"),
        "{}",
        out.stderr
    );
    let out = eosc(&["-C", "nowhere", "check"], &dir.0).expect(2);
    assert!(out.stderr.contains("cannot change to directory nowhere"));
}

#[test]
fn colour_follows_the_flag_no_color_clicolor_force_and_term() {
    let dir = TempDir::new("wf-color");
    with_warning(&dir.0);
    let esc = |r: &Run| r.stderr.contains('\x1b');
    assert!(!esc(&eosc(&["check"], &dir.0)), "no colour on a pipe");
    assert!(esc(&eosc(&["check", "--color", "always"], &dir.0)));
    assert!(!esc(&run(
        &["check", "--color", "never"],
        &dir.0,
        &[("CLICOLOR_FORCE", "1")],
        None
    )));
    assert!(esc(&run(
        &["check"],
        &dir.0,
        &[("CLICOLOR_FORCE", "1")],
        None
    )));
    assert!(!esc(&run(
        &["check"],
        &dir.0,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        None
    )));
    // On a real terminal (script(1)): colour, unless TERM=dumb or NO_COLOR.
    if let Some(script) = tool("script") {
        let on_tty = |env: &str| {
            let cmd = format!(
                "env -u NO_COLOR -u CLICOLOR_FORCE {env} {} check",
                env!("CARGO_BIN_EXE_eosc")
            );
            let out = Command::new(&script)
                .args(["-qec", &cmd, "/dev/null"])
                .current_dir(&dir.0)
                .output()
                .expect("script runs");
            String::from_utf8_lossy(&out.stdout).contains('\x1b')
        };
        assert!(on_tty("TERM=xterm"), "colour on a terminal");
        assert!(!on_tty("TERM=dumb"), "TERM=dumb: no colour");
        assert!(!on_tty("TERM=xterm NO_COLOR=1"), "NO_COLOR: no colour");
    }
    // Every command takes --color, -q and -C.
    for cmd in [
        "check",
        "compile",
        "diff",
        "graph",
        "explain",
        "init",
        "fmt",
        "completions",
        "man",
    ] {
        let help = eosc(&[cmd, "--help"], &dir.0).expect(0).stdout;
        for flag in ["--color <COLOR>", "--quiet", "--chdir <DIR>"] {
            assert!(help.contains(flag), "eosc {cmd} --help lacks {flag}");
        }
    }
}

// --- 4. one path form ----------------------------------------------------

#[test]
fn every_format_names_the_file_as_typed() {
    let dir = TempDir::new("wf-paths");
    let spec = with_warning(&dir.0.join("deploy"));
    let abs = spec.to_string_lossy().into_owned();
    for (given, shown) in [
        ("deploy/hecate.hcl", "deploy/hecate.hcl"),
        ("./deploy/hecate.hcl", "deploy/hecate.hcl"),
        (abs.as_str(), abs.as_str()),
    ] {
        let human = eosc(&["check", given], &dir.0).expect(0).stderr;
        let at = human
            .lines()
            .find_map(|l| l.split_once(&format!("[{shown}:")))
            .map(|(_, rest)| rest.trim_end_matches(']').to_string())
            .unwrap_or_else(|| panic!("no [{shown}:…] in\n{human}"));
        let (line, col) = at.split_once(':').expect("line:col");

        let json = eosc(&["check", "--format", "json", given], &dir.0).expect(0);
        let j: serde_json::Value =
            serde_json::from_str(json.stdout.lines().next().expect("one")).expect("json");
        assert_eq!(j["file"], shown);
        assert_eq!(j["line"].to_string(), line);
        assert_eq!(j["column"].to_string(), col);

        let sarif = eosc(&["check", "--format", "sarif", given], &dir.0).expect(0);
        let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("sarif");
        let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"]
            .as_str()
            .expect("uri")
            .to_string();
        if shown.starts_with('/') {
            assert_eq!(uri, format!("file://{shown}"));
        } else {
            assert_eq!(uri, shown);
        }

        let gh = eosc(&["check", "--format", "github", given], &dir.0).expect(0);
        assert!(
            gh.stdout.contains(&format!(
                "file={},line={line},col={col}",
                shown.replace(':', "%3A")
            )),
            "{}",
            gh.stdout
        );
    }
}

// --- 5. exit codes and diffs ----------------------------------------------

#[test]
fn diff_exit_code_and_stat() {
    let dir = TempDir::new("wf-diff");
    let spec = copy_example("minimal", &dir.0);
    eosc(&["compile", "-q"], &dir.0).expect(0);
    eosc(&["diff", "--exit-code"], &dir.0).expect(0);
    edit(&spec, "nginx:1.27-alpine", "nginx:1.28-alpine");
    eosc(&["diff"], &dir.0).expect(0);
    let full = eosc(&["diff", "--exit-code"], &dir.0).expect(1).stdout;
    let stat = eosc(&["diff", "--stat", "--exit-code"], &dir.0)
        .expect(1)
        .stdout;
    let changed = full.matches("\ndiff --git ").count() + usize::from(full.starts_with("diff"));
    let lines: Vec<&str> = stat.lines().collect();
    assert_eq!(lines.len(), changed + 1, "{stat}");
    let job = lines
        .iter()
        .find(|l| l.contains("out/production/nomad/site.nomad.hcl"))
        .expect("the job in the stat");
    assert!(
        job.trim_end().ends_with("| 4 ++--") || job.contains(" ++"),
        "{job}"
    );
    let last = lines.last().expect("totals");
    assert!(
        last.starts_with(&format!(" {changed} files changed, ")),
        "{last}"
    );
    let plus = full
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .count();
    assert!(last.contains(&format!("{plus} insertions(+)")), "{last}");
}

/// `eosc diff -o DIR > p && git apply p` from the working directory (a git
/// repository), and `compile --check -o DIR` is clean: for a relative DIR,
/// an absolute one inside the working directory, and, with the
/// `--unsafe-paths` the note on stderr names, an absolute one outside it
/// and `../x`. The patch's paths are relative to the working directory.
#[test]
fn the_diff_applies_with_git_for_any_output_directory() {
    let Some(git) = tool("git") else { return };
    let dir = TempDir::new("wf-apply");
    let work = dir.0.join("work");
    let spec = copy_example("minimal", &work);
    let init = tools::run(&git, &["init", "-q", "."], Some(&work));
    assert!(init.ok, "git init: {}", init.stderr);
    let abs = dir.0.join("abs-out");
    let abs_in = work.join("abs-in");
    // (-o as given, the patch's path prefix, outside the working directory)
    let cases: Vec<(String, &str, bool)> = vec![
        ("in/out".to_string(), "in/out", false),
        ("./in/../in2/".to_string(), "in2", false),
        (abs_in.to_string_lossy().into_owned(), "abs-in", false),
        (abs.to_string_lossy().into_owned(), "../abs-out", true),
        ("../x".to_string(), "../x", true),
    ];
    for (o, _, _) in &cases {
        eosc(&["compile", "-q", "-o", o], &work).expect(0);
    }
    edit(&spec, "memory = 64MiB", "memory = 96MiB");
    for (o, prefix, outside) in &cases {
        eosc(&["compile", "--check", "-o", o], &work).expect(1);
        let d = eosc(&["diff", "--exit-code", "-o", o], &work).expect(1);
        assert!(
            d.stdout
                .contains(&format!("diff --git a/{prefix}/production/")),
            "-o {o}: {}",
            d.stdout
        );
        let patch = dir.0.join("p.diff");
        std::fs::write(&patch, &d.stdout).expect("patch");
        let patch = patch.to_string_lossy().into_owned();
        let mut args = vec!["apply"];
        if *outside {
            assert!(
                d.stderr.contains("git apply --unsafe-paths PATCH"),
                "{}",
                d.stderr
            );
            // What git says without it: the reason for the note.
            let refused = tools::run(&git, &["apply", "--check", &patch], Some(&work));
            assert!(!refused.ok, "git apply took ../ paths for -o {o}");
            args.push("--unsafe-paths");
        } else {
            assert!(d.stderr.is_empty(), "{}", d.stderr);
        }
        args.push(&patch);
        let out = tools::run(&git, &args, Some(&work));
        assert!(out.ok, "git apply for -o {o}: {}\n{}", out.stderr, d.stdout);
        eosc(&["compile", "--check", "-o", o], &work).expect(0);
    }
}

#[test]
fn fmt_check_diff_applies_and_stdin_works_for_fmt_and_check() {
    let Some(git) = tool("git") else { return };
    let dir = TempDir::new("wf-fmtdiff");
    let spec = copy_example("minimal", &dir.0);
    edit(&spec, "  region      = \"global\"", "  region = \"global\"");
    let clean = std::fs::read_to_string(root().join("examples/minimal/hecate.hcl")).unwrap();
    let d = eosc(&["fmt", "--check", "--diff"], &dir.0).expect(1);
    assert!(
        d.stdout
            .starts_with("diff --git a/hecate.hcl b/hecate.hcl\n"),
        "{}",
        d.stdout
    );
    std::fs::write(dir.0.join("p.diff"), &d.stdout).unwrap();
    let out = tools::run(&git, &["apply", "p.diff"], Some(&dir.0));
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), clean);
    eosc(&["fmt", "--check", "--diff"], &dir.0).expect(0);

    // fmt -: stdin to stdout.
    let messy = clean.replace("  region      = ", "  region = ");
    let out = run(&["fmt", "-"], &dir.0, &[], Some(&messy)).expect(0);
    assert_eq!(out.stdout, clean);
    run(&["fmt", "--check", "-"], &dir.0, &[], Some(&messy)).expect(1);
    run(&["fmt", "--check", "-"], &dir.0, &[], Some(&clean)).expect(0);

    // check -: stdin, imports from the working directory's std.
    let out = run(&["check", "-"], &dir.0, &[], Some(&clean)).expect(0);
    assert_eq!(
        out.stderr,
        "checked <stdin>: 1 environment, 0 errors, 0 warnings\n"
    );
    let broken = clean.replace("runs_on = server.web", "runs_on = server.wbe");
    let out = run(
        &["check", "--format", "json", "-"],
        &dir.0,
        &[],
        Some(&broken),
    )
    .expect(1);
    assert!(
        out.stdout.contains("\"file\":\"<stdin>\""),
        "{}",
        out.stdout
    );
}

#[test]
fn explain_lists_every_documented_code() {
    let r = root();
    let out = eosc(&["explain", "--list"], &r).expect(0).stdout;
    let doc = std::fs::read_to_string(r.join("docs/errors.md")).unwrap();
    let codes: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|h| h.split_once(": "))
        .map(|(c, _)| c)
        .collect();
    assert_eq!(out.lines().count(), codes.len());
    for c in &codes {
        assert!(out.lines().any(|l| l.starts_with(&format!("{c}  "))), "{c}");
    }
    assert!(out.contains("W0501  TLS verification skipped\n"));
    eosc(&["explain"], &r).expect(2);
}

// --- 6. onboarding -------------------------------------------------------

/// The README says how to install, lists every command `eosc --help`
/// knows and every global option, and names the fmt hook.
#[test]
fn the_readme_documents_install_and_the_whole_cli() {
    let r = root();
    let readme = std::fs::read_to_string(r.join("README.md")).expect("README");
    assert!(readme.contains("cargo install --path .\n"));
    assert!(readme.contains("eosc-fmt"));
    let help = eosc(&["--help"], &r).expect(0).stdout;
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .expect("commands")
        .split("Options:")
        .next()
        .expect("list")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 9, "{commands:?}");
    for c in commands {
        assert!(
            readme.contains(&format!("\neosc {c} ")) || readme.contains(&format!("\neosc {c}\n")),
            "README lacks `eosc {c}`"
        );
    }
    for flag in [
        "-C DIR",
        "--quiet",
        "--color auto|always|never",
        "--exit-code",
        "--stat",
        "--list",
    ] {
        assert!(readme.contains(flag), "README lacks {flag}");
    }
}
