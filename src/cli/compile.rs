//! `eosc compile`: write the output trees atomically, or with `--check`
//! compare them with what is on disk and write nothing.

use super::out_dir::{orphans, read_trees, write_atomically};
use super::{display_path, load_clean, require_env, OK, PROBLEMS, USAGE};
use eosc::output_tree::drift;
pub use eosc::output_tree::Trees;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    #[arg(short = 'o', long = "out", default_value = "out")]
    out: PathBuf,
    /// Compile only these environments.
    #[arg(long)]
    env: Vec<String>,
    /// Write nothing; exit 1 listing every file in DIR that is stale
    /// (differs, e.g. edited by hand), missing or extra.
    #[arg(long)]
    check: bool,
}

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
        Ok(()) => OK,
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

fn check(a: &Args, trees: &Trees) -> u8 {
    let on_disk = match read_trees(&a.out, trees, a.env.is_empty()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let changes = drift::compare(trees, &on_disk);
    if changes.is_empty() {
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
    let mut trees = eosc::compile(&checked.models);
    trees.retain(|(name, _)| envs.is_empty() || envs.contains(name));
    Ok(trees)
}
