//! `eosc check`: diagnostics for people (miette, on stderr) and for
//! machines (JSON Lines, SARIF, GitHub workflow commands, on stdout).

use super::{load, report_human, require_env, PROBLEMS, USAGE};
use clap::ValueEnum;
use eosc::diagnostics::{self, allow::Allowed, Diagnostic, Report, Severity};
use std::path::{Path, PathBuf};

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
    /// Root files of the specs to check (each with what it imports); `-`
    /// reads the root from standard input (imports resolve in the current
    /// directory).
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
        let allowed: Vec<Allowed> = checked
            .allowed
            .iter()
            .filter(|x| in_env(&x.diagnostic, a.env.as_deref()))
            .cloned()
            .collect();
        specs.push((file, checked, diags, allowed));
    }
    let reports: Vec<Report> = specs
        .iter()
        .map(|(_, checked, diags, allowed)| Report {
            diagnostics: diags,
            allowed,
            sources: &checked.sources,
            base: "",
        })
        .collect();
    let summarize = || {
        if super::quiet() {
            return;
        }
        for (file, checked, diags, allowed) in &specs {
            eprintln!("{}", summary(file, checked, diags, allowed.len()));
        }
    };
    let text = match a.format {
        Format::Human => {
            for (_, checked, diags, _) in &specs {
                report_human(checked, diags);
            }
            summarize();
            return status;
        }
        Format::Json => diagnostics::render_json(&reports),
        Format::Sarif => diagnostics::sarif::render(&reports),
        Format::Github => diagnostics::github::render(&reports),
    };
    // Machine formats: stdout is the whole result, stderr stays empty.
    if super::print(&text) != 0 {
        return USAGE;
    }
    status
}

/// `checked hecate.hcl: 2 environments, 0 errors, 1 warning (1 allowed)`,
/// like cargo's count; the environments are known only without errors.
fn summary(file: &Path, checked: &eosc::Checked, diags: &[Diagnostic], allowed: usize) -> String {
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors + allowed;
    let name = if file == Path::new("-") {
        super::STDIN_NAME.to_string()
    } else {
        super::user_path(file)
    };
    let mut parts = Vec::new();
    if errors == 0 {
        parts.push(plural(checked.models.len(), "environment"));
    }
    parts.push(plural(errors, "error"));
    let mut w = plural(warnings, "warning");
    if allowed > 0 {
        w.push_str(&format!(" ({allowed} allowed)"));
    }
    parts.push(w);
    format!("checked {name}: {}", parts.join(", "))
}

fn in_env(d: &Diagnostic, env: Option<&str>) -> bool {
    env.is_none_or(|e| d.envs.is_empty() || d.envs.iter().any(|x| x == e))
}

fn filter(diags: &[Diagnostic], env: Option<&str>, deny: bool) -> Vec<Diagnostic> {
    diags
        .iter()
        .filter(|d| in_env(d, env))
        .cloned()
        .map(|mut d| {
            if deny {
                d.severity = Severity::Error;
            }
            d
        })
        .collect()
}
