//! The specs every emitter is proven on: `examples/*/hecate.hcl` and
//! `tests/cases/ok/*.hcl`, checked through the filesystem loader.

use super::loader;
pub use super::root;
use eosc::Model;
use std::path::{Path, PathBuf};

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

/// Every spec as (case name, path), sorted: `examples/cybermonkey`,
/// `tests/cases/ok/batch_schedule.hcl`.
pub fn spec_cases() -> Vec<(String, PathBuf)> {
    all()
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root()).unwrap_or(&p);
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel.trim_end_matches("/hecate.hcl").to_string(), p)
        })
        .collect()
}

/// A copy of `spec` as `dir/hecate.hcl`, with the data files it reads
/// (template sources) at the same places beside it.
pub fn copy_into(spec: &Path, dir: &Path) -> PathBuf {
    let copy = dir.join("hecate.hcl");
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::copy(spec, &copy).expect("copy");
    let original = eosc::check(
        &loader::FsLoader::root_name(spec),
        &loader::FsLoader::new(spec),
    )
    .expect("readable");
    for (_, f) in original.sources.files().filter(|(_, f)| f.data) {
        let to = dir.join(&f.name);
        std::fs::create_dir_all(to.parent().expect("dir")).expect("mkdir");
        std::fs::write(&to, &f.text).expect("copy data file");
    }
    copy
}

/// The checked models (one per environment); a spec with errors fails the
/// test with its codes.
pub fn models(path: &Path) -> Vec<Model> {
    let checked = loader::check(path);
    assert!(
        !checked.has_errors(),
        "{} has errors: {:?}",
        path.display(),
        checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>()
    );
    checked.models
}
