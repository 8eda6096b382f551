//! `eosc compile`: write the output trees atomically, or with `--check`
//! compare them with what is on disk and write nothing.

use super::{display_path, load_clean, require_env, OK, PROBLEMS, USAGE};
use crate::drift::{self, Tree};
use crate::emit::Artifact;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    /// The output directory, relative to the current directory (not to the
    /// spec's; `-C DIR` changes the current directory first).
    #[arg(short = 'o', long = "out", value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// Compile only these environments.
    #[arg(long)]
    env: Vec<String>,
    /// Write nothing; exit 1 listing every file in DIR that is stale
    /// (differs, e.g. edited by hand), missing or extra.
    #[arg(long)]
    check: bool,
}

pub type Trees = Vec<(String, Vec<Artifact>)>;

pub fn run(a: &Args) -> u8 {
    let trees = match trees(&a.file, &a.env) {
        Ok(t) => t,
        Err(code) => return code,
    };
    if a.check {
        return check(a, &trees);
    }
    // Trees of environments no longer in the spec go, unless only some
    // environments are compiled.
    let stale = if a.env.is_empty() {
        orphans(&a.out, &trees)
    } else {
        Vec::new()
    };
    let code = match write_atomically(&a.out, &trees, &stale) {
        Ok(()) => {
            if !super::quiet() {
                eprintln!("{}", written(&a.out, &trees));
            }
            OK
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", a.out.display());
            USAGE
        }
    };
    // The process ends here: freeing every artifact one allocation at a
    // time would only delay the exit.
    std::mem::forget(trees);
    code
}

/// `wrote 59 files to out/staging, out/production, out/jenkins`: what
/// compile wrote and where, the output directory as the user named it.
fn written(out: &Path, trees: &Trees) -> String {
    let files: usize = trees.iter().map(|(_, a)| a.len()).sum();
    let dir = super::user_path(out);
    let dirs: Vec<String> = trees
        .iter()
        .map(|(t, _)| match dir.as_str() {
            "" => t.clone(),
            d => format!("{}/{t}", d.trim_end_matches('/')),
        })
        .collect();
    format!(
        "wrote {files} file{} to {}",
        if files == 1 { "" } else { "s" },
        dirs.join(", ")
    )
}

fn check(a: &Args, trees: &Trees) -> u8 {
    let on_disk = match read_trees(&a.out, trees, a.env.is_empty()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut changes = drift::compare(trees, &on_disk);
    // A manifest whose only difference is the input hash: the spec was
    // reformatted or a comment edited; its meaning, and so every artifact,
    // is the same.
    let before = changes.len();
    changes.retain(|c| !drift::only_input_hash(c));
    if changes.is_empty() {
        if before > 0 && !super::quiet() {
            eprintln!(
                "spec reformatted, artifacts current (only the input hash in {before} manifest{} differs)",
                if before == 1 { "" } else { "s" }
            );
        }
        return OK;
    }
    // `-o .` lists `staging/…`, not `/staging/…`.
    let dir = match display_path(&a.out) {
        d if d.is_empty() => String::new(),
        d => format!("{d}/"),
    };
    let mut listing = String::new();
    for c in &changes {
        listing.push_str(&format!(
            "{:<8} {dir}{}/{}\n",
            c.status.as_str(),
            c.tree,
            c.path
        ));
    }
    if super::print(&listing) != OK {
        return USAGE;
    }
    eprintln!(
        "error: {} file{} in {} {} not what `eosc compile` writes; run `eosc diff` to see how, `eosc compile` to update",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        if dir.is_empty() { "./" } else { &dir },
        if changes.len() == 1 { "is" } else { "are" },
    );
    PROBLEMS
}

/// The trees `compile` writes for `envs` (all when empty): the spec's
/// diagnostics go to stderr; exit 1 if it has errors, 2 if an
/// environment does not exist.
pub fn trees(file: &Path, envs: &[String]) -> Result<Trees, u8> {
    let checked = load_clean(file)?;
    for e in envs {
        require_env(&checked, e, file)?;
    }
    let mut trees = crate::compile(&checked.models);
    trees.retain(|(name, _)| envs.is_empty() || envs.contains(name));
    Ok(trees)
}

/// The files under `out/<tree>/` for each tree compile would write (a
/// tree that does not exist yet is empty), and with `orphans` those of the
/// trees it would remove.
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

/// Trees in `out` that eosc wrote but would not write now: an environment
/// removed from the spec (recognised by its eosc manifest), or `jenkins/`
/// once no pipeline is left. Anything else in `out` is not eosc's.
fn orphans(out: &Path, trees: &Trees) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && !trees.iter().any(|(t, _)| t == name))
        .filter(|name| name == "jenkins" || written_by_eosc(&out.join(name)))
        .collect();
    found.sort();
    found
}

fn written_by_eosc(tree: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(tree.join("manifest.json")) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|m| {
        m["generator"]
            .as_str()
            .is_some_and(|g| g.starts_with("eosc "))
    })
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

/// Writes every environment's tree into a temporary directory beside the
/// output, then swaps each `out/<env>` in with renames: a failure at any
/// point before the swap leaves the previous tree as it was. Then the
/// `remove` trees (no longer generated) go.
fn write_atomically(out: &Path, trees: &Trees, remove: &[String]) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let staging = out.join(format!(".eosc-staging-{}", std::process::id()));
    let result = (|| {
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        for (env, artifacts) in trees {
            // An environment without artifacts still gets its directory.
            std::fs::create_dir_all(staging.join(env))?;
            for a in artifacts {
                let path = staging.join(env).join(&a.path);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&path, &a.contents)?;
            }
        }
        for (env, _) in trees {
            let target = out.join(env);
            let old = out.join(format!(".eosc-old-{}-{env}", std::process::id()));
            if target.exists() {
                std::fs::rename(&target, &old)?;
            }
            if let Err(e) = std::fs::rename(staging.join(env), &target) {
                if old.exists() {
                    std::fs::rename(&old, &target)?;
                }
                return Err(e);
            }
            if old.exists() {
                std::fs::remove_dir_all(&old)?;
            }
        }
        for name in remove {
            std::fs::remove_dir_all(out.join(name))?;
        }
        Ok(())
    })();
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
