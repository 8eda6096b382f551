//! Imports stay inside the project (issue 14): through the binary, an
//! import that leaves the root spec's directory, names a device, a FIFO,
//! `/proc`, a non-`.hcl` file or a file over 64 MiB is refused with a code
//! that names the path, and no byte of that file reaches stdout or stderr
//! in any output format.

use std::path::{Path, PathBuf};
use std::process::Command;

const CANARY: &str = "canary-7f3d9a1c-never-print-me";

fn temp(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("eosc-trust-imports-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

struct Out {
    code: i32,
    all: String,
}

/// `eosc ARGS` in `dir` with the canary in its environment (so that
/// `/proc/self/environ` of the process holds it).
fn run(dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_eosc"))
        .args(args)
        .current_dir(dir)
        .env("EOSC_TEST_CANARY", CANARY)
        .output()
        .expect("eosc runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        all: format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn spec_importing(dir: &Path, import: &str) {
    std::fs::write(
        dir.join("hecate.hcl"),
        format!(
            "import \"{import}\"\nproject \"p\" {{ domain = \"example.com\" }}\nenvironment \"e\" {{}}\n"
        ),
    )
    .expect("write spec");
}

const FORMATS: &[&str] = &["human", "json", "sarif", "github"];

/// Every format of `check`, and `compile`: exit 1, the code, never the
/// canary nor any `leak` string.
fn refused(dir: &Path, code: &str, leaks: &[&str]) {
    let mut runs = Vec::new();
    for f in FORMATS {
        runs.push((
            format!("check --format {f}"),
            run(dir, &["check", "--format", f, "hecate.hcl"]),
        ));
    }
    runs.push((
        "compile".into(),
        run(dir, &["compile", "hecate.hcl", "-o", "out"]),
    ));
    for (what, out) in runs {
        assert_eq!(out.code, 1, "{what}: exit {}\n{}", out.code, out.all);
        assert!(out.all.contains(code), "{what}: no {code}\n{}", out.all);
        assert!(
            !out.all.contains(CANARY),
            "{what}: the canary leaked\n{}",
            out.all
        );
        for l in leaks {
            assert!(!out.all.contains(l), "{what}: `{l}` leaked\n{}", out.all);
        }
    }
    assert!(!dir.join("out").exists(), "a refused spec wrote output");
}

#[test]
fn proc_self_environ_is_refused_and_never_printed() {
    let dir = temp("environ");
    spec_importing(&dir, "../../../../proc/self/environ");
    refused(&dir, "E0217", &[]);
    // The path is named.
    let out = run(&dir, &["check", "hecate.hcl"]);
    assert!(out.all.contains("proc/self/environ"), "{}", out.all);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn symlinks_out_of_the_project_are_refused() {
    let dir = temp("symlink");
    let outside = temp("symlink-outside");
    std::fs::write(
        outside.join("secret.hcl"),
        format!("# {CANARY}\nproject \"x\" {{ \0 }}\n"),
    )
    .expect("write");
    std::os::unix::fs::symlink(outside.join("secret.hcl"), dir.join("shared.hcl"))
        .expect("symlink");
    spec_importing(&dir, "./shared.hcl");
    refused(&dir, "E0217", &[]);

    std::os::unix::fs::symlink("/proc/self/environ", dir.join("environ.hcl")).expect("symlink");
    spec_importing(&dir, "./environ.hcl");
    refused(&dir, "E0217", &[]);

    // A directory symlink that leaves the project, then `..` inside it.
    std::os::unix::fs::symlink(&outside, dir.join("sub")).expect("symlink");
    spec_importing(&dir, "./sub/secret.hcl");
    refused(&dir, "E0217", &[]);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&outside);
}

#[test]
fn absolute_paths_devices_fifos_and_other_files_are_refused() {
    let dir = temp("kinds");
    spec_importing(&dir, "/etc/passwd");
    refused(&dir, "E0217", &["root:x:"]);
    spec_importing(&dir, "./../x.hcl");
    refused(&dir, "E0217", &[]);

    std::fs::write(dir.join("notes.txt"), format!("{CANARY}\0")).expect("write");
    spec_importing(&dir, "./notes.txt");
    refused(&dir, "E0218", &[]);

    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.hcl")).expect("symlink");
    spec_importing(&dir, "./zero.hcl");
    refused(&dir, "E0217", &[]);

    let fifo = dir.join("pipe.hcl");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    spec_importing(&dir, "./pipe.hcl");
    refused(&dir, "E0218", &[]); // and does not block on the FIFO

    std::fs::create_dir(dir.join("folder.hcl")).expect("mkdir");
    spec_importing(&dir, "./folder.hcl");
    refused(&dir, "E0218", &[]);

    // A symlink that stays in the project is fine.
    std::fs::write(
        dir.join("real.hcl"),
        "secret \"s\" {\n  vault_path = \"kv/s\"\n  key = \"k\"\n}\n",
    )
    .expect("write");
    std::os::unix::fs::symlink("real.hcl", dir.join("alias.hcl")).expect("symlink");
    spec_importing(&dir, "./alias.hcl");
    let out = run(&dir, &["check", "hecate.hcl"]);
    assert!(!out.all.contains("E021"), "{}", out.all);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_over_64_mib_is_refused_before_it_is_read() {
    let dir = temp("large");
    let big = std::fs::File::create(dir.join("big.hcl")).expect("create");
    big.set_len((64 << 20) + 1).expect("sparse file");
    spec_importing(&dir, "./big.hcl");
    refused(&dir, "E0219", &[]);
    let out = run(&dir, &["check", "hecate.hcl"]);
    assert!(out.all.contains("64 MiB"), "{}", out.all);
    // The root file too (exit 2: it is what the user named).
    let out = run(&dir, &["check", "big.hcl"]);
    assert_eq!(out.code, 2, "{}", out.all);
    assert!(out.all.contains("64 MiB"), "{}", out.all);
    let _ = std::fs::remove_dir_all(&dir);
}
