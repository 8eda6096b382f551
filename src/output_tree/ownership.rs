//! What eosc may replace or delete in an output directory, pure: a tree is
//! eosc's only if it is empty or carries eosc's manifest and holds no file
//! that manifest does not list (anything else is the user's, and `compile`
//! refuses unless `--force`); no tree may hold a file of the spec itself;
//! the names of the lock and the scratch directories a killed compile
//! leaves behind. The binary's `cli/out_dir.rs` does the IO.

use super::{is_project_tree, written_by_eosc, GENERATOR, MANIFEST};
use crate::digest;
use crate::emit::Artifact;
use std::path::{Path, PathBuf};

/// The manifest of a project-wide tree (`out/jenkins/`): hidden, because
/// it is eosc's bookkeeping, not an artifact (`compile --check` and `diff`
/// do not list it). Environment trees carry their `manifest.json`.
pub const PROJECT_MANIFEST: &str = ".eosc-manifest.json";

/// The lock file in the output directory that serialises compiles.
pub const LOCK: &str = ".eosc.lock";

/// The manifest file of tree `name`.
pub fn manifest_name(name: &str) -> &'static str {
    if is_project_tree(name) {
        PROJECT_MANIFEST
    } else {
        MANIFEST
    }
}

/// The hidden manifest of a project-wide tree: every file with its sha256.
pub fn project_manifest(artifacts: &[Artifact]) -> String {
    let files: serde_json::Map<String, serde_json::Value> = artifacts
        .iter()
        .map(|a| {
            (
                a.path.clone(),
                digest::sha256_hex(a.contents.as_bytes()).into(),
            )
        })
        .collect();
    let doc = serde_json::json!({
        "generator": format!("{GENERATOR}{}", env!("CARGO_PKG_VERSION")),
        "files": files,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The files of a tree that are not eosc's: `files` (relative to the tree,
/// sorted or not) minus those its eosc `manifest` lists and the manifest
/// itself. A tree without an eosc manifest owns nothing: every file in it
/// is foreign. An empty tree is always eosc's to fill.
pub fn foreign_files(name: &str, manifest: Option<&str>, files: &[String]) -> Vec<String> {
    let own = manifest_name(name);
    let listed: Option<Vec<String>> = manifest
        .filter(|m| written_by_eosc(m))
        .and_then(|m| serde_json::from_str::<serde_json::Value>(m).ok())
        .and_then(|m| m["files"].as_object().map(|f| f.keys().cloned().collect()));
    let mut foreign: Vec<String> = match listed {
        Some(listed) => files
            .iter()
            .filter(|f| f.as_str() != own && !listed.contains(f))
            .cloned()
            .collect(),
        None => files.to_vec(),
    };
    foreign.sort();
    foreign
}

/// The pid in the name of a staging directory (`.eosc-staging-<pid>`,
/// exactly: digits only), or `None` for any other name.
pub fn staging_pid(name: &str) -> Option<u32> {
    let digits = name.strip_prefix(".eosc-staging-")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The pid a lock file's text names (`<pid>\n`), `None` if it names none.
pub fn lock_pid(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

/// The first source file (canonical paths) lying inside `tree` (the
/// canonical path of a tree eosc would replace or remove), or `tree`
/// itself if it is one: compiling would destroy the spec.
pub fn source_inside<'a>(tree: &Path, sources: &'a [PathBuf]) -> Option<&'a PathBuf> {
    sources.iter().find(|s| s.starts_with(tree))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_listed_files_are_eosc_s() {
        let m = r#"{"generator": "eosc 0.1.0", "files": {"nomad/a.hcl": "00"}}"#;
        let on_disk = files(&["nomad/a.hcl", "manifest.json", "notes.txt"]);
        assert_eq!(foreign_files("prod", Some(m), &on_disk), ["notes.txt"]);
        assert_eq!(
            foreign_files("prod", None, &on_disk),
            ["manifest.json", "nomad/a.hcl", "notes.txt"]
        );
        assert_eq!(
            foreign_files("prod", Some(r#"{"files": {"nomad/a.hcl": ""}}"#), &on_disk).len(),
            3,
            "a manifest eosc did not write owns nothing"
        );
        assert!(foreign_files("prod", None, &[]).is_empty());
        let pm = project_manifest(&[Artifact::new("deploy.Jenkinsfile", "x")]);
        let on_disk = files(&["deploy.Jenkinsfile", PROJECT_MANIFEST, "manifest.json"]);
        assert_eq!(
            foreign_files("jenkins", Some(&pm), &on_disk),
            ["manifest.json"]
        );
    }

    #[test]
    fn staging_names_are_exact() {
        assert_eq!(staging_pid(".eosc-staging-42"), Some(42));
        for n in [
            ".eosc-staging-",
            ".eosc-staging-4x",
            "eosc-staging-4",
            ".eosc-staging--1",
        ] {
            assert_eq!(staging_pid(n), None, "{n}");
        }
        assert_eq!(lock_pid("17\n"), Some(17));
        assert_eq!(lock_pid(""), None);
    }

    #[test]
    fn a_tree_holding_the_spec_is_refused() {
        let srcs = vec![
            PathBuf::from("/p/modules/db.hcl"),
            PathBuf::from("/p/hecate.hcl"),
        ];
        assert!(source_inside(Path::new("/p/modules"), &srcs).is_some());
        assert!(source_inside(Path::new("/p/mod"), &srcs).is_none());
        assert!(source_inside(Path::new("/p/hecate.hcl"), &srcs).is_some());
    }
}
