//! `eosc compile`: write the output trees atomically, or with `--check`
//! compare them with what is on disk and write nothing.

use super::out_dir::{self, orphans, read_trees, write_atomically};
use super::{display_path, load_clean, require_env, OK, PROBLEMS, USAGE};
use eosc::output_tree::drift;
pub use eosc::output_tree::Trees;
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
    /// Replace the output trees even if they hold files eosc did not write
    /// (listed when compile refuses without it); those files are deleted.
    #[arg(long)]
    force: bool,
}

pub fn run(a: &Args) -> u8 {
    let (trees, sources) = match trees_and_sources(&a.file, &a.env) {
        Ok(t) => t,
        Err(code) => return code,
    };
    if a.check {
        return check(a, &trees);
    }
    if let Err(e) = std::fs::create_dir_all(&a.out) {
        eprintln!("error: cannot create {}: {e}", a.out.display());
        return USAGE;
    }
    // One compile at a time writes here; what it may replace is decided
    // under the lock, as the trees are then.
    let _lock = match out_dir::lock(&a.out) {
        Ok(l) => l,
        Err(code) => return code,
    };
    out_dir::remove_stale_scratch(&a.out);
    // Trees of environments no longer in the spec go, unless only some
    // environments are compiled.
    let stale = if a.env.is_empty() {
        orphans(&a.out, &trees)
    } else {
        Vec::new()
    };
    if let Err(code) = out_dir::refuse_sources(&a.out, &trees, &stale, &sources)
        .and_then(|()| out_dir::refuse_foreign(&a.out, &trees, &stale, a.force))
    {
        return code;
    }
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
    trees_and_sources(file, envs).map(|(t, _)| t)
}

/// [`trees`], and the canonical paths of the spec's files (the root and
/// every import read from disk) that no output tree may hold.
fn trees_and_sources(file: &Path, envs: &[String]) -> Result<(Trees, Vec<PathBuf>), u8> {
    // The spec is read under its directory's lock: an edit (`eosc route
    // add`, which takes it too) rewrites several files one by one.
    let spec_lock = match file.parent() {
        _ if file == Path::new("-") => None,
        Some(d) if !d.as_os_str().is_empty() => out_dir::lock_to_read(d)?,
        _ => out_dir::lock_to_read(Path::new("."))?,
    };
    let checked = load_clean(file)?;
    drop(spec_lock);
    for e in envs {
        require_env(&checked, e, file)?;
    }
    // Names are as the user typed the root's directory, so relative to the
    // working directory; the standard library and stdin are not on disk.
    let sources = checked
        .sources
        .files()
        .filter(|(_, f)| eosc::stdlib::get(&f.name).is_none())
        .filter_map(|(_, f)| std::fs::canonicalize(&f.name).ok())
        .collect();
    let mut trees = eosc::compile(&checked.models);
    trees.retain(|(name, _)| envs.is_empty() || envs.contains(name));
    Ok((trees, sources))
}
