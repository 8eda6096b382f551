//! `eosc check`: diagnostics for people (miette, on stderr) and for
//! machines (JSON Lines, SARIF, GitHub workflow commands, on stdout).

use super::{load, report_human, require_env, spec_base, PROBLEMS, USAGE};
use clap::ValueEnum;
use eosc::diagnostics::{self, Diagnostic, Report, Severity};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    /// miette's report on stderr.
    Human,
    /// One JSON object per diagnostic (JSON Lines) on stdout.
    Json,
    /// A SARIF 2.1.0 log on stdout, for GitHub code scanning.
    Sarif,
    /// GitHub Actions `::error`/`::warning` commands on stdout.
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Deny {
    Warnings,
}

#[derive(clap::Args)]
pub struct Args {
    /// Root files of the specs to check (each with what it imports).
    #[arg(default_value = "hecate.hcl")]
    files: Vec<PathBuf>,
    /// Only report problems of this environment.
    #[arg(long)]
    env: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    deny: Option<Deny>,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

pub fn run(a: &Args) -> u8 {
    let mut status = 0;
    let mut specs = Vec::new();
    for file in &a.files {
        let checked = match load(file) {
            Ok(c) => c,
            Err(code) => {
                status = status.max(code);
                continue;
            }
        };
        if let Some(e) = &a.env {
            if !checked.has_errors() {
                if let Err(code) = require_env(&checked, e, file) {
                    status = status.max(code);
                    continue;
                }
            }
        }
        let diags = filter(&checked.diagnostics, a.env.as_deref(), a.deny.is_some());
        if diags.iter().any(Diagnostic::is_error) {
            status = status.max(PROBLEMS);
        }
        specs.push((spec_base(file), checked, diags));
    }
    let reports: Vec<Report> = specs
        .iter()
        .map(|(base, checked, diags)| Report {
            diagnostics: diags,
            sources: &checked.sources,
            base,
        })
        .collect();
    let text = match a.format {
        Format::Human => {
            for (_, checked, diags) in &specs {
                report_human(checked, diags);
            }
            return status;
        }
        Format::Json => diagnostics::render_json(&reports),
        Format::Sarif => diagnostics::sarif::render(&reports),
        Format::Github => diagnostics::github::render(&reports),
    };
    if super::print(&text) != 0 {
        return USAGE;
    }
    status
}

fn filter(diags: &[Diagnostic], env: Option<&str>, deny: bool) -> Vec<Diagnostic> {
    diags
        .iter()
        .filter(|d| env.is_none_or(|e| d.envs.is_empty() || d.envs.iter().any(|x| x == e)))
        .cloned()
        .map(|mut d| {
            if deny {
                d.severity = Severity::Error;
            }
            d
        })
        .collect()
}
