//! The output directory on disk: reading the trees eosc wrote, finding its
//! orphans, and writing new trees atomically. The rules (names, manifest,
//! what an orphan is) are the library's `eosc::output_tree`; this is only
//! their IO. A tree is replaced in one place, [`replace_tree`], and removed
//! in one, [`remove_tree`]: checks that must hold before eosc touches a
//! tree belong there.

use super::USAGE;
use eosc::output_tree::{self, drift::Tree, Trees};
use std::collections::BTreeMap;
use std::path::Path;

/// The files under `out/<tree>/` for each tree compile would write (a
/// tree that does not exist yet is empty), and with `orphans_too` those of
/// the trees it would remove.
pub fn read_trees(
    out: &Path,
    trees: &Trees,
    orphans_too: bool,
) -> Result<BTreeMap<String, Tree>, u8> {
    let mut names: Vec<String> = trees.iter().map(|(n, _)| n.clone()).collect();
    if orphans_too {
        names.extend(orphans(out, trees));
    }
    let mut found = BTreeMap::new();
    for name in names {
        let mut tree = Tree::new();
        let root = out.join(&name);
        if let Err(e) = read_dir_into(&root, "", &mut tree) {
            if e.kind() != std::io::ErrorKind::NotFound || root.exists() {
                eprintln!("error: cannot read {}: {e}", root.display());
                return Err(USAGE);
            }
        }
        found.insert(name, tree);
    }
    Ok(found)
}

/// Trees in `out` that eosc wrote but would not write now
/// ([`output_tree::is_orphan`]), sorted.
pub fn orphans(out: &Path, trees: &Trees) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            output_tree::is_orphan(name, trees, || {
                std::fs::read_to_string(out.join(name).join(output_tree::MANIFEST)).ok()
            })
        })
        .collect();
    found.sort();
    found
}

fn read_dir_into(dir: &Path, prefix: &str, tree: &mut Tree) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        // Not following symbolic links to directories: no loops.
        if entry.file_type()?.is_dir() {
            read_dir_into(&path, &rel, tree)?;
        } else {
            tree.insert(rel, std::fs::read(&path)?);
        }
    }
    Ok(())
}

/// Writes every tree into a staging directory beside the output, then
/// swaps each `out/<tree>` in with renames ([`replace_tree`]): a failure at
/// any point before the swap leaves the previous tree as it was. Then the
/// `remove` trees (no longer generated) go.
pub fn write_atomically(out: &Path, trees: &Trees, remove: &[String]) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let pid = std::process::id();
    let staging = out.join(output_tree::staging_dir(pid));
    let result = (|| {
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        for (name, artifacts) in trees {
            // An environment without artifacts still gets its directory.
            std::fs::create_dir_all(staging.join(name))?;
            for a in artifacts {
                let path = staging.join(name).join(&a.path);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&path, &a.contents)?;
            }
        }
        for (name, _) in trees {
            replace_tree(out, &staging.join(name), name, pid)?;
        }
        for name in remove {
            remove_tree(out, name)?;
        }
        Ok(())
    })();
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Puts the tree built at `new` in place of `out/<name>`: the old tree is
/// moved aside, the new one renamed in (the old one back if that fails),
/// then the old one deleted. The one place a tree is replaced.
fn replace_tree(out: &Path, new: &Path, name: &str, pid: u32) -> std::io::Result<()> {
    let target = out.join(name);
    let old = out.join(output_tree::old_dir(pid, name));
    if target.exists() {
        std::fs::rename(&target, &old)?;
    }
    if let Err(e) = std::fs::rename(new, &target) {
        if old.exists() {
            std::fs::rename(&old, &target)?;
        }
        return Err(e);
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Deletes `out/<name>`, a tree eosc no longer writes ([`orphans`]). The
/// one place a tree is removed.
fn remove_tree(out: &Path, name: &str) -> std::io::Result<()> {
    std::fs::remove_dir_all(out.join(name))
}
