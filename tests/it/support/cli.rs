//! Running the eosc binary end to end: exit code and both streams, in a
//! chosen working directory, on copies of the examples.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the exit code is `code`.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code {} instead of {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

pub use super::root;

/// `eosc ARGS` run in `dir` (the package root if `None`).
pub fn eosc(args: &[&str], dir: Option<&Path>) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_eosc"));
    c.args(args)
        .current_dir(dir.map_or_else(root, Path::to_path_buf));
    let out = c.output().expect("eosc runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Copies `examples/<name>/` (its spec files) into `dest`; returns the
/// root spec's path.
pub fn copy_example(name: &str, dest: &Path) -> PathBuf {
    let src = root().join("examples").join(name);
    std::fs::create_dir_all(dest).expect("create dest");
    for entry in std::fs::read_dir(&src).expect("example dir").flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dest.join(entry.file_name())).expect("copy");
        }
    }
    dest.join("hecate.hcl")
}

/// Every file under `dir` with its contents, sorted: to prove that a
/// command wrote nothing.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read");
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}
