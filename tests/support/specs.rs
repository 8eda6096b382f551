//! The specs every emitter is proven on: `examples/*/hecate.hcl` and
//! `tests/cases/ok/*.hcl`, checked through the filesystem loader.

#![allow(dead_code)]

#[path = "fs_loader.rs"]
pub mod fs_loader;
use eosc::Model;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every spec file, sorted: the examples, then the valid cases.
pub fn all() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut examples: Vec<PathBuf> = read_dir(&root().join("examples"))
        .into_iter()
        .map(|d| d.join("hecate.hcl"))
        .filter(|p| p.is_file())
        .collect();
    examples.sort();
    out.extend(examples);
    let mut ok: Vec<PathBuf> = read_dir(&root().join("tests/cases/ok"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "hcl"))
        .collect();
    ok.sort();
    out.extend(ok);
    out
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// A short name for a spec: `cybermonkey` for an example, `ok-<stem>` for a case.
pub fn name(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    if stem == "hecate" {
        path.parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
            .unwrap_or("example")
            .to_string()
    } else {
        format!("ok-{stem}")
    }
}

/// The checked models (one per environment); panics if the spec has errors.
pub fn models(path: &Path) -> Vec<Model> {
    let checked = eosc::check(
        &fs_loader::FsLoader::root_name(path),
        &fs_loader::FsLoader::new(path),
    )
    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert!(!checked.has_errors(), "{} does not check", path.display());
    checked.models
}
