//! `eosc fmt` end to end: rewriting in place, `--check`, exit codes and
//! streams, files that do not parse, and I/O errors.

use crate::support::tools;

use std::path::Path;
use std::process::{Command, Output};
use tools::TempDir;

fn eosc_fmt(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eosc"))
        .arg("fmt")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("eosc runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("readable")
}

/// The minimal example with its layout disturbed: alignment, indentation
/// and spacing gone, blank lines piled up.
fn misformatted() -> String {
    let example = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal/hecate.hcl"));
    let mut out = String::new();
    for line in example.lines() {
        let squeezed: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let bad = squeezed.replace(" = ", "=").replace(", ", " ,");
        out.push_str(&format!("\t{bad}   \n\n\n"));
    }
    out
}

const BROKEN: &str = "project \"p\" {\n  region \"global\"\n}\n";

#[test]
fn check_fails_on_a_misformatted_file_and_passes_after_fmt() {
    let dir = TempDir::new("fmt-check");
    let messy = misformatted();
    dir.write("hecate.hcl", &messy);

    let o = eosc_fmt(&dir.0, &["--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hecate.hcl\n", "lists the unformatted file");
    assert_eq!(
        read(&dir.0.join("hecate.hcl")),
        messy,
        "--check writes nothing"
    );

    let o = eosc_fmt(&dir.0, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hecate.hcl\n", "names the file it changed");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let formatted = read(&dir.0.join("hecate.hcl"));
    assert_ne!(formatted, messy);

    let o = eosc_fmt(&dir.0, &["--check", "hecate.hcl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).is_empty());

    // Idempotent: a second run changes nothing and names nothing.
    let o = eosc_fmt(&dir.0, &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert_eq!(read(&dir.0.join("hecate.hcl")), formatted);
}

#[test]
fn the_formatted_spec_still_checks_clean() {
    let dir = TempDir::new("fmt-checks");
    dir.write("hecate.hcl", &misformatted());
    assert_eq!(eosc_fmt(&dir.0, &[]).status.code(), Some(0));
    let o = Command::new(env!("CARGO_BIN_EXE_eosc"))
        .args(["check", "hecate.hcl"])
        .current_dir(&dir.0)
        .output()
        .expect("eosc runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_alone() {
    let dir = TempDir::new("fmt-broken");
    dir.write("broken.hcl", BROKEN);
    dir.write("messy.hcl", &misformatted());
    for args in [&["broken.hcl", "messy.hcl"][..], &["--check", "broken.hcl"]] {
        let o = eosc_fmt(&dir.0, args);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("E0101") && err.contains("broken.hcl:2:9"),
            "{err}"
        );
        assert_eq!(read(&dir.0.join("broken.hcl")), BROKEN);
    }
    // The other file was still formatted.
    let o = eosc_fmt(&dir.0, &["--check", "messy.hcl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn io_and_usage_errors_exit_two() {
    let dir = TempDir::new("fmt-io");
    let o = eosc_fmt(&dir.0, &[]);
    assert_eq!(o.status.code(), Some(2), "no hecate.hcl in the directory");
    assert!(
        stderr(&o).contains("cannot read hecate.hcl"),
        "{}",
        stderr(&o)
    );

    std::fs::write(dir.0.join("latin1.hcl"), b"# caf\xe9\n").expect("write");
    let o = eosc_fmt(&dir.0, &["latin1.hcl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not UTF-8"), "{}", stderr(&o));

    let o = eosc_fmt(&dir.0, &["--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));

    // An I/O error outranks an unformatted file, and both are reported.
    dir.write("messy.hcl", &misformatted());
    let o = eosc_fmt(&dir.0, &["--check", "messy.hcl", "missing.hcl"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "messy.hcl\n");
}

#[cfg(unix)]
#[test]
fn rewriting_keeps_the_mode_and_follows_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("fmt-atomic");
    let real = dir.write("specs/real.hcl", &misformatted());
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    std::os::unix::fs::symlink("specs/real.hcl", dir.0.join("hecate.hcl")).expect("symlink");

    let o = eosc_fmt(&dir.0, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(dir.0.join("hecate.hcl"))
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let mode = std::fs::metadata(&real).expect("real").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(eosc_fmt(&dir.0, &["--check"]).status.code(), Some(0));
    let leftovers: Vec<_> = std::fs::read_dir(dir.0.join("specs"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers, vec!["real.hcl"], "no temporary file left behind");
}
