//! The rules of the output directory, pure: which trees eosc writes
//! (`out/<env>/` per environment, `manifest.json` last, then the
//! project-wide trees), how it recognises a tree it wrote earlier (its
//! manifest), which trees are orphans, the names of its scratch
//! directories, and what would change ([`drift`]). The binary's
//! `cli/out_dir.rs` does the IO these rules describe; a tree is replaced
//! in exactly one place there.

pub mod drift;
mod manifest;
pub mod ownership;

pub use manifest::{manifest, GENERATOR};

use crate::emit::{self, Artifact};
use crate::plan::Plan;
use crate::sema::model::Model;

/// The trees eosc writes, in order: `(name, files relative to the tree)`.
pub type Trees = Vec<(String, Vec<Artifact>)>;

/// The manifest's file name in an environment's tree.
pub const MANIFEST: &str = "manifest.json";

/// The output trees: one per environment (`out/<env>/`, its
/// `manifest.json` last), then one tree per project-wide target
/// (`jenkins`: pipelines span environments, so they are built from every
/// model) that has files. `plans[i]` is the deploy plan of `models[i]`.
pub fn trees(models: &[Model], plans: &[Plan]) -> Trees {
    let mut trees: Trees = models
        .iter()
        .zip(plans)
        .map(|(m, p)| {
            let mut arts = emit::emit_planned(m, p);
            arts.push(manifest(m, &arts));
            (m.env.name.clone(), arts)
        })
        .collect();
    for t in emit::TARGETS {
        let emit::Emit::Project(f) = t.emit else {
            continue;
        };
        let prefix = format!("{}/", t.name);
        let files: Vec<Artifact> = f(models, plans)
            .into_iter()
            .map(|a| Artifact::new(a.path.trim_start_matches(&prefix), a.contents))
            .collect();
        if !files.is_empty() {
            trees.push((t.name.to_string(), files));
        }
    }
    trees
}

/// The directory, beside the trees, that a compile writes into first.
pub fn staging_dir(pid: u32) -> String {
    format!(".eosc-staging-{pid}")
}

/// Where the previous `tree` waits while its replacement is renamed in.
pub fn old_dir(pid: u32, tree: &str) -> String {
    format!(".eosc-old-{pid}-{tree}")
}

/// Whether the directory `name` in the output directory is a tree eosc
/// wrote but would not write now: an environment removed from the spec
/// or a project-wide tree eosc no longer writes, recognised by its eosc
/// manifest (which `manifest` reads on demand: `manifest.json`, or
/// [`ownership::PROJECT_MANIFEST`] in a project-wide tree). Hidden directories (eosc's
/// scratch directories among them) and anything else are not eosc's.
pub fn is_orphan(name: &str, trees: &Trees, manifest: impl FnOnce() -> Option<String>) -> bool {
    !name.starts_with('.')
        && !trees.iter().any(|(t, _)| t == name)
        && manifest().is_some_and(|m| written_by_eosc(&m))
}

/// Whether `name` is the tree of a project-wide target.
pub fn is_project_tree(name: &str) -> bool {
    emit::project_trees().iter().any(|(t, _)| *t == name)
}

/// Whether a `manifest.json` text is one eosc wrote.
pub fn written_by_eosc(manifest: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(manifest).is_ok_and(|m| {
        m["generator"]
            .as_str()
            .is_some_and(|g| g.starts_with(GENERATOR))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orphans_are_eosc_trees_it_no_longer_writes() {
        let trees: Trees = vec![("prod".into(), vec![])];
        let ours = || Some(r#"{"generator": "eosc 0.1.0"}"#.to_string());
        assert!(is_orphan("staging", &trees, ours));
        assert!(!is_orphan("prod", &trees, ours));
        assert!(!is_orphan(".eosc-staging-1", &trees, ours));
        assert!(!is_orphan("notes", &trees, || Some("{}".into())));
        assert!(!is_orphan("notes", &trees, || None));
        assert!(!is_orphan("jenkins", &trees, || None));
        assert!(is_orphan("jenkins", &trees, ours));
    }
}
