//! `eosc diff`: what `compile` would change in DIR, as a unified diff per
//! file after a one-line summary per environment: what a reviewer reads in
//! a pull request. Its paths are relative to the working directory, so it
//! applies with `git apply` there (for a DIR outside it, `git apply
//! --unsafe-paths`, as git refuses `../` paths otherwise); `--stat`
//! counts instead, `--exit-code` exits 1 on any change.

use super::compile::trees;
use super::display_path;
use super::out_dir::read_trees;
use eosc::output_tree::drift::{self, Labels};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    /// The output directory, relative to the current directory (as for
    /// `compile`).
    #[arg(short = 'o', long = "out", value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// Only these environments.
    #[arg(long)]
    env: Vec<String>,
    /// Exit 1 when compile would change anything (as `git diff
    /// --exit-code`), 0 when DIR is current.
    #[arg(long)]
    exit_code: bool,
    /// Only a line per changed file with its counts, and the totals (as
    /// `git diff --stat`).
    #[arg(long)]
    stat: bool,
}

pub fn run(a: &Args) -> u8 {
    let trees = match trees(&a.file, &a.env) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let on_disk = match read_trees(&a.out, &trees, a.env.is_empty()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let color = super::stdout_color();
    let dir = patch_dir(&a.out);
    let labels = Labels { dir: &dir };
    let changes = drift::compare(&trees, &on_disk);
    let status = if a.exit_code && !changes.is_empty() {
        super::PROBLEMS
    } else {
        super::OK
    };
    if a.stat {
        return match super::print(&stat(&changes, &labels)) {
            super::OK => status,
            code => code,
        };
    }
    // The trees compile writes, then those it would remove.
    let mut names: Vec<(&str, usize)> = trees.iter().map(|(t, a)| (t.as_str(), a.len())).collect();
    for c in &changes {
        if !names.iter().any(|(t, _)| *t == c.tree) {
            names.push((c.tree, 0));
        }
    }
    let mut out = String::new();
    for (tree, files) in names {
        let diffs: Vec<(drift::Status, drift::FileDiff)> = changes
            .iter()
            .filter(|c| c.tree == tree)
            .map(|c| (c.status, drift::unified(c, &labels)))
            .collect();
        let counts: Vec<_> = diffs
            .iter()
            .map(|(s, d)| (*s, d.added, d.removed))
            .collect();
        let summary = format!("# {}\n", drift::summary(tree, files, &counts));
        if color {
            out.push_str(&format!("\x1b[1;33m{}\x1b[0m\n", summary.trim_end()));
        } else {
            out.push_str(&summary);
        }
        for (_, d) in diffs {
            if color {
                out.push_str(&drift::colorize(&d.text));
            } else {
                out.push_str(&d.text);
            }
        }
    }
    match super::print(&out) {
        super::OK => status,
        code => code,
    }
}

/// The directory the patch's paths start with: the output directory
/// relative to the current directory, so `git apply PATCH` run here
/// patches it, whether `-o` was relative, absolute or `../x`. `git apply`
/// refuses paths that leave the current directory (`../x/…`) unless given
/// `--unsafe-paths`, so for such a directory stderr says so.
fn patch_dir(out: &Path) -> String {
    let shown = display_path(out);
    let Some(rel) = relative_to_cwd(out) else {
        return shown;
    };
    if (rel == ".." || rel.starts_with("../")) && !super::quiet() {
        eprintln!(
            "note: {shown} is outside the current directory, and git apply refuses paths that leave it unless told: apply this diff here with git apply --unsafe-paths PATCH (not from a subdirectory of a repository, where git skips paths outside it)"
        );
    }
    rel
}

/// `out` relative to the current directory, `/`-separated, without `.`
/// or inner `..` (`""` for the current directory itself). An absolute
/// path through a symbolic link (`/tmp` → `/private/tmp`) is resolved
/// when that makes it fall inside.
fn relative_to_cwd(out: &Path) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let lexical = relative(&normalize(&cwd.join(out)), &normalize(&cwd));
    if lexical.as_ref().is_some_and(|r| !r.starts_with("..")) || !out.is_absolute() {
        return lexical;
    }
    // The deepest existing ancestor, resolved, and the rest as written.
    let full = normalize(out);
    let mut base = full.as_path();
    let mut rest = Vec::new();
    while !base.exists() {
        rest.push(base.file_name()?.to_owned());
        base = base.parent()?;
    }
    let mut resolved = base.canonicalize().ok()?;
    resolved.extend(rest.iter().rev());
    relative(&resolved, &cwd.canonicalize().ok()?).or(lexical)
}

/// `.` dropped and `..` applied, lexically.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base` (both absolute and normalised), with `..`
/// for each component of `base` that `path` leaves.
fn relative(path: &Path, base: &Path) -> Option<String> {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

/// `git diff --stat`'s form: ` path | 4 ++--` per file, then the totals.
fn stat(changes: &[drift::Change], labels: &Labels) -> String {
    let rows: Vec<(String, usize, usize)> = changes
        .iter()
        .map(|c| {
            let d = drift::unified(c, labels);
            let path = d
                .text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("diff --git a/"))
                .and_then(|l| l.split_once(" b/"))
                .map_or_else(String::new, |(p, _)| p.to_string());
            (path, d.added, d.removed)
        })
        .collect();
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (path, added, removed) in &rows {
        let n = added + removed;
        // At most 40 marks, in proportion, as git does on a narrow terminal.
        let (plus, minus) = if n > 40 {
            let p = added * 40 / n;
            (p, 40 - p)
        } else {
            (*added, *removed)
        };
        out.push_str(&format!(
            " {path:<width$} | {n:>4} {}{}\n",
            "+".repeat(plus),
            "-".repeat(minus)
        ));
    }
    let added: usize = rows.iter().map(|r| r.1).sum();
    let removed: usize = rows.iter().map(|r| r.2).sum();
    let files = rows.len();
    out.push_str(&format!(
        " {files} file{} changed, {added} insertion{}(+), {removed} deletion{}(-)\n",
        if files == 1 { "" } else { "s" },
        if added == 1 { "" } else { "s" },
        if removed == 1 { "" } else { "s" },
    ));
    out
}
