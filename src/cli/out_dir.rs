//! The output directory on disk: reading the trees eosc wrote, finding its
//! orphans, and writing new trees atomically. The rules (names, manifest,
//! what an orphan is) are the library's `eosc::output_tree`; this is only
//! their IO. A tree is replaced in one place, [`replace_tree`], and removed
//! in one, [`remove_tree`]; before either, under the output directory's
//! [`lock`], [`refuse_sources`] and [`refuse_foreign`] decide whether eosc
//! may touch the trees at all (`output_tree::ownership`).

use super::USAGE;
use eosc::emit::Artifact;
use eosc::output_tree::ownership::{self, LOCK, PROJECT_MANIFEST};
use eosc::output_tree::{self, drift::Tree, Trees};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
        let read = read_dir_into(&root, "", &mut tree);
        // A project-wide tree's hidden manifest is bookkeeping, not an
        // artifact: `--check` and `diff` do not compare it.
        if output_tree::is_project_tree(&name) {
            tree.remove(PROJECT_MANIFEST);
        }
        if let Err(e) = read {
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
                std::fs::read_to_string(out.join(name).join(ownership::manifest_name(name))).ok()
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
            write_files(&staging.join(name), artifacts)?;
            if output_tree::is_project_tree(name) {
                std::fs::write(
                    staging.join(name).join(PROJECT_MANIFEST),
                    ownership::project_manifest(artifacts),
                )?;
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

/// Writes `artifacts` under `root`: each directory created once, and the
/// files of a large tree on every core (thousands of small files cost
/// their system calls more than their bytes).
fn write_files(root: &Path, artifacts: &[Artifact]) -> std::io::Result<()> {
    let mut dirs: Vec<PathBuf> = artifacts
        .iter()
        .filter_map(|a| root.join(&a.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        std::fs::create_dir_all(dir)?;
    }
    let write = |run: &[Artifact]| -> std::io::Result<()> {
        run.iter()
            .try_for_each(|a| std::fs::write(root.join(&a.path), &a.contents))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if artifacts.len() < 256 || threads < 2 {
        return write(artifacts);
    }
    let per = artifacts.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = artifacts
            .chunks(per)
            .map(|run| scope.spawn(move || write(run)))
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a writer thread panicked")))
        })
    })
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

/// Every file under `root` relative to it, symbolic links and other
/// non-directories included (not followed): what replacing the tree would
/// delete.
fn list_files(root: &Path, prefix: &str, found: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), &rel, found)?;
        } else {
            found.push(rel);
        }
    }
    Ok(())
}

/// Exit 2 if a tree compile would replace (`trees`) or remove (`remove`)
/// holds a file that is not eosc's (`ownership::foreign_files`), listing
/// them all, unless `force`.
pub fn refuse_foreign(out: &Path, trees: &Trees, remove: &[String], force: bool) -> Result<(), u8> {
    let mut foreign = Vec::new();
    let names = trees
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(remove.iter().map(String::as_str));
    for name in names {
        let root = out.join(name);
        let Ok(meta) = std::fs::symlink_metadata(&root) else {
            continue;
        };
        if !meta.is_dir() {
            foreign.push(root.display().to_string());
            continue;
        }
        let mut files = Vec::new();
        if let Err(e) = list_files(&root, "", &mut files) {
            eprintln!("error: cannot read {}: {e}", root.display());
            return Err(USAGE);
        }
        let manifest_path = root.join(ownership::manifest_name(name));
        let manifest = std::fs::symlink_metadata(&manifest_path)
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::read_to_string(&manifest_path).ok())
            .flatten();
        for f in ownership::foreign_files(name, manifest.as_deref(), &files) {
            foreign.push(root.join(f).display().to_string());
        }
    }
    if foreign.is_empty() || force {
        return Ok(());
    }
    eprintln!(
        "error: {} file{} in the output trees {} not written by eosc; compile would delete {}:",
        foreign.len(),
        if foreign.len() == 1 { "" } else { "s" },
        if foreign.len() == 1 { "was" } else { "were" },
        if foreign.len() == 1 { "it" } else { "them" },
    );
    for f in &foreign {
        eprintln!("  {f}");
    }
    eprintln!("help: move them out of the way, choose another `-o DIR`, or pass `--force` to replace the trees anyway");
    Err(USAGE)
}

/// Exit 2 if a tree compile would replace or remove holds a file of the
/// spec (`sources`: the root and its imports, canonical): `-o .` with an
/// environment named like a source folder. `--force` does not override.
pub fn refuse_sources(
    out: &Path,
    trees: &Trees,
    remove: &[String],
    sources: &[PathBuf],
) -> Result<(), u8> {
    let Ok(out_abs) = std::fs::canonicalize(out) else {
        // An output directory that does not exist holds no source.
        return Ok(());
    };
    let names = trees
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(remove.iter().map(String::as_str));
    for name in names {
        let tree = out_abs.join(name);
        let tree = std::fs::canonicalize(&tree).unwrap_or(tree);
        if let Some(src) = ownership::source_inside(&tree, sources) {
            eprintln!(
                "error: the output tree {} would replace the spec's own file {}",
                out.join(name).display(),
                src.display()
            );
            eprintln!("help: write the artifacts elsewhere, e.g. `-o out`, or rename the environment or the source folder");
            return Err(USAGE);
        }
    }
    Ok(())
}

/// Held while a compile writes into the output directory: the file
/// [`LOCK`] holding the writer's pid, removed when dropped (only if it is
/// still this process's).
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let ours = std::fs::read_to_string(&self.path)
            .is_ok_and(|t| ownership::lock_pid(&t) == Some(std::process::id()));
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// How long a compile waits for another to finish: `EOSC_LOCK_TIMEOUT`
/// seconds (tests shorten it), 30 by default.
fn lock_timeout() -> Duration {
    std::env::var("EOSC_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(Duration::from_secs(30), Duration::from_secs_f64)
}

/// Takes the output directory's lock (which must exist): the pid is
/// written to a file of this process's, then hard-linked to [`LOCK`], which
/// fails if the lock exists, so the lock never exists without its pid. A
/// lock whose pid is dead (a killed compile) is stale and broken; a live
/// one is waited for up to [`lock_timeout`], then exit 2.
pub fn lock(out: &Path) -> Result<Lock, u8> {
    lock_unless(out, |_| false)?.ok_or(USAGE)
}

/// The lock of a spec's directory, which `eosc route add` and the other
/// edits take while they rewrite its files, held by `compile` while it
/// reads them, so that it never sees half of a multi-file edit. A
/// directory this process cannot write to is not locked (nothing can be
/// edited there by eosc either), so a read-only checkout still compiles.
pub fn lock_to_read(dir: &Path) -> Result<Option<Lock>, u8> {
    lock_unless(dir, |e| {
        matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        )
    })
}

/// [`lock`], or `None` when writing the pid file fails in a way `skip`
/// accepts.
fn lock_unless(out: &Path, skip: fn(&std::io::Error) -> bool) -> Result<Option<Lock>, u8> {
    let pid = std::process::id();
    let path = out.join(LOCK);
    let mine = out.join(format!("{LOCK}.{pid}"));
    let fail = |e: std::io::Error| {
        eprintln!("error: cannot lock {}: {e}", out.display());
        USAGE
    };
    match std::fs::write(&mine, format!("{pid}\n")) {
        Err(e) if skip(&e) => return Ok(None),
        other => other.map_err(fail)?,
    }
    let deadline = Instant::now() + lock_timeout();
    let result = loop {
        let taken = match std::fs::hard_link(&mine, &path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: exclusive creation.
            Err(_) => std::fs::File::create_new(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{pid}\n").as_bytes())),
            Ok(()) => Ok(()),
        };
        match taken {
            Ok(()) => break Ok(Some(Lock { path: path.clone() })),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => break Err(fail(e)),
        }
        let holder = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| ownership::lock_pid(&t));
        if let Some(h) = holder.filter(|h| !pid_alive(*h)) {
            break_stale(&path, h, pid);
            continue;
        }
        if Instant::now() >= deadline {
            eprintln!(
                "error: another eosc (pid {}) is writing to {}; gave up waiting after {:.0?}",
                holder.map_or_else(|| "?".to_string(), |h| h.to_string()),
                out.display(),
                lock_timeout()
            );
            eprintln!(
                "help: run the compiles one after the other; if no eosc is running, remove {}",
                path.display()
            );
            break Err(USAGE);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = std::fs::remove_file(&mine);
    result
}

/// Removes the lock of the dead process `dead`: renamed aside first, so
/// that if another compile broke it and took the lock meanwhile, its lock
/// is put back (with a link, which never replaces a newer lock).
fn break_stale(path: &Path, dead: u32, pid: u32) {
    let aside = path.with_file_name(format!("{LOCK}.stale-{pid}"));
    if std::fs::rename(path, &aside).is_err() {
        return;
    }
    let held_by = std::fs::read_to_string(&aside)
        .ok()
        .and_then(|t| ownership::lock_pid(&t));
    if held_by != Some(dead) {
        let _ = std::fs::hard_link(&aside, path);
    }
    let _ = std::fs::remove_file(&aside);
}

/// Whether process `pid` is running. Where that cannot be known (no
/// `/proc`), every process counts as alive: nothing is removed.
fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() || !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes what killed compiles left in the output directory: staging
/// directories named exactly `.eosc-staging-<pid>` whose process is dead,
/// and their pid files `.eosc.lock.<pid>`. Nothing else is touched (not
/// `.eosc-old-*`: it may hold the only copy of a tree). Call with the lock.
pub fn remove_stale_scratch(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(kind) = e.file_type() else { continue };
        if let Some(pid) = ownership::staging_pid(&name) {
            if kind.is_dir() && !pid_alive(pid) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        } else if let Some(pid) = name
            .strip_prefix(&format!("{LOCK}."))
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
        {
            if kind.is_file() && !pid_alive(pid) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
