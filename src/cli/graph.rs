//! `eosc graph`: the dependency graph of one environment.

use super::{load_clean, require_env};
use clap::ValueEnum;
use eosc::sema::graph_export;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    /// Graphviz: `eosc graph | dot -Tsvg > graph.svg`.
    Dot,
    /// A Mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
    /// Nodes, edges and the deployment order.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    /// The environment (default: the first one declared).
    #[arg(long)]
    env: Option<String>,
    #[arg(long, value_enum, default_value = "dot")]
    format: Format,
}

pub fn run(a: &Args) -> u8 {
    let checked = match load_clean(&a.file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(e) = &a.env {
        if let Err(code) = require_env(&checked, e, &a.file) {
            return code;
        }
    }
    let Some(model) = checked.model(a.env.as_deref()) else {
        eprintln!("error: {} declares no environment", a.file.display());
        return super::PROBLEMS;
    };
    let text = match a.format {
        Format::Dot => graph_export::dot(model),
        Format::Mermaid => graph_export::mermaid(model),
        Format::Json => graph_export::json(model),
    };
    super::print(&text)
}
