//! Where snapshots live: one folder per case under tests/snapshots/, so
//! that `ls tests/snapshots/<case>/` shows every output of that case:
//! - `examples/<name>/` for examples/<name>/hecate.hcl,
//! - `ok/<stem>/` for tests/cases/ok/<stem>.hcl (`check.snap` is its
//!   diagnostics, the others its artifacts),
//! - `err/` for the error cases (one output each: `<case>.snap`),
//! - `fixture/` for the hand-built routing model, `fmt/` for tests/fmt.
//!
//! Artifact snapshots are named `<env>__<artifact path, / as __>`.

use super::root;
use std::path::{Path, PathBuf};

/// The snapshot folder of a spec file: `examples/cybermonkey`,
/// `ok/batch_schedule`, `err` (for every file under tests/cases/err).
pub fn case_dir(spec: &Path) -> String {
    let rel = spec.strip_prefix(root()).unwrap_or(spec);
    let rel = rel.to_string_lossy().replace('\\', "/");
    if let Some(example) = rel
        .strip_prefix("examples/")
        .and_then(|r| r.strip_suffix("/hecate.hcl"))
    {
        return format!("examples/{example}");
    }
    if let Some(ok) = rel
        .strip_prefix("tests/cases/ok/")
        .and_then(|r| r.strip_suffix(".hcl"))
    {
        return format!("ok/{ok}");
    }
    if rel.starts_with("tests/cases/err/") {
        return "err".to_string();
    }
    panic!("{rel} is not an example or a case: which snapshot folder is it?")
}

/// The snapshot name of an artifact of environment `env` (`None` for the
/// artifacts of the whole project, such as the Jenkinsfile).
pub fn artifact_name(env: Option<&str>, path: &str) -> String {
    let path = path.replace('/', "__");
    match env {
        Some(env) => format!("{env}__{path}"),
        None => path,
    }
}

/// Asserts `contents` against tests/snapshots/`dir`/`name`.snap.
pub fn assert(dir: &str, name: &str, contents: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(folder(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), contents));
}

fn folder(dir: &str) -> PathBuf {
    root().join("tests/snapshots").join(dir)
}
