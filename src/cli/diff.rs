//! `eosc diff`: what `compile` would change in DIR, as a unified diff per
//! file after a one-line summary per environment: what a reviewer reads in
//! a pull request. The diff applies with `git apply` from the working
//! directory.

use super::compile::trees;
use super::display_path;
use super::out_dir::read_trees;
use clap::ValueEnum;
use eosc::output_tree::drift::{self, Labels};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Color {
    /// Colour when stdout is a terminal.
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    #[arg(short = 'o', long = "out", default_value = "out")]
    out: PathBuf,
    /// Only these environments.
    #[arg(long)]
    env: Vec<String>,
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
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
    let color = match a.color {
        Color::Auto => std::io::stdout().is_terminal(),
        Color::Always => true,
        Color::Never => false,
    };
    let dir = display_path(&a.out);
    let labels = Labels { dir: &dir };
    let changes = drift::compare(&trees, &on_disk);
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
    super::print(&out)
}
