//! `eosc diff`: what `compile` would change in DIR, as a unified diff per
//! file after a one-line summary per environment: what a reviewer reads in
//! a pull request. The diff applies with `git apply` from the working
//! directory (for a DIR outside it, with `git -C DIR apply`); `--stat`
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

/// The directory the patch's paths start with. `git apply` rejects paths
/// that are absolute or leave the working directory (`../x`), so for such
/// an output directory the paths are relative to it, and stderr says how
/// to apply them there.
fn patch_dir(out: &Path) -> String {
    let shown = display_path(out);
    let outside = shown.starts_with('/') || shown == ".." || shown.starts_with("../");
    if !outside {
        return shown;
    }
    if !super::quiet() {
        eprintln!(
            "note: {shown} is outside the current directory, so the paths in this diff are relative to it; apply it there: git -C {shown} apply PATCH"
        );
    }
    String::new()
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
