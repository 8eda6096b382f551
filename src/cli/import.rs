//! `eosc import KIND FILE… [KIND FILE…]`: read the sources, run the pure
//! importer (`crate::import`), print its diagnostics and summary on
//! stderr, and write the spec to stdout or `-o FILE` (never over an
//! existing file without `--force`). Exit 1 when the import has errors:
//! a partial import never looks like a complete one.

use eosc::import::{Format, Input, Options};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  eosc import caddyfile Caddyfile\n  eosc import caddyfile Caddyfile compose docker-compose.yml -o hecate.hcl\n  eosc import nomad jobs/*.nomad\n  eosc import nginx nginx.conf\n  eosc import zone db.example.com --origin example.com\n\nKinds: caddyfile FILE…, compose FILE, nomad FILE…, nginx FILE…, zone FILE… (each zone takes the next --origin)."
)]
pub struct Args {
    /// KIND FILE... groups: `caddyfile`, `compose`, `nomad`, `nginx` or `zone`, each followed by its files.
    #[arg(required = true, num_args = 1.., value_name = "KIND FILE")]
    sources: Vec<String>,
    /// Write the spec to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
    /// The zone name of each zone file, in order.
    #[arg(long, value_name = "NAME")]
    origin: Vec<String>,
    /// The project's name (the `project` block, Vault paths).
    #[arg(long, default_value = "imported")]
    project: String,
}

fn kind(word: &str) -> Option<&'static str> {
    match word {
        "caddyfile" | "caddy" => Some("caddyfile"),
        "compose" | "docker-compose" => Some("compose"),
        "nomad" => Some("nomad"),
        "nginx" => Some("nginx"),
        "zone" | "bind" => Some("zone"),
        _ => None,
    }
}

/// (kind, file) pairs, or a usage message.
fn groups(words: &[String]) -> Result<Vec<(&'static str, String)>, String> {
    let mut out = Vec::new();
    let mut current: Option<&'static str> = None;
    let mut empty: Option<&'static str> = None;
    for w in words {
        if let Some(k) = kind(w) {
            if let Some(e) = empty {
                return Err(format!("`{e}` needs at least one file"));
            }
            current = Some(k);
            empty = Some(k);
            continue;
        }
        match current {
            Some(k) => {
                out.push((k, w.clone()));
                empty = None;
            }
            None => {
                return Err(format!(
                    "`{w}`: say what it is first (caddyfile, compose, nomad or zone)"
                ))
            }
        }
    }
    if let Some(e) = empty {
        return Err(format!("`{e}` needs at least one file"));
    }
    Ok(out)
}

pub fn run(args: &Args) -> u8 {
    let pairs = match groups(&args.sources) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return super::USAGE;
        }
    };
    let zones = pairs.iter().filter(|(k, _)| *k == "zone").count();
    if zones != args.origin.len() {
        eprintln!("error: {zones} zone file(s) but {} --origin; give each zone file its --origin NAME, in order", args.origin.len());
        return super::USAGE;
    }
    if let Some(out) = &args.output {
        if out.exists() && !args.force {
            eprintln!(
                "error: {} exists; pass --force to replace it",
                out.display()
            );
            return super::USAGE;
        }
    }
    let mut origins = args.origin.iter();
    let mut inputs = Vec::new();
    let mut paths = SourcePaths::default();
    for (k, file) in pairs {
        let text = match std::fs::read(&file).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                eprintln!("error: {file} is not UTF-8");
                return super::USAGE;
            }
            Err(e) => {
                eprintln!("error: cannot read {file}: {e}");
                return super::USAGE;
            }
        };
        let format = match k {
            "caddyfile" => Format::Caddyfile,
            "compose" => Format::Compose,
            "nomad" => Format::Nomad,
            "nginx" => Format::Nginx,
            _ => Format::Zone {
                origin: origins.next().cloned().unwrap_or_default(),
            },
        };
        let name = super::display_path(std::path::Path::new(&file));
        paths.0.push((name.clone(), PathBuf::from(&file)));
        inputs.push(Input { format, name, text });
    }
    let outcome = eosc::import::import_with(
        &inputs,
        &Options {
            project: args.project.clone(),
        },
        &paths,
    );
    let rendered = eosc::diagnostics::render_human(
        &outcome.diagnostics,
        &outcome.sources,
        std::io::stderr().is_terminal(),
    );
    let _ = std::io::stderr().lock().write_all(rendered.as_bytes());
    eprintln!("{}", outcome.summary.line());
    let status = if outcome.has_errors() {
        eprintln!("error: the import is incomplete: the spec would not behave like the sources (see the errors above)");
        super::PROBLEMS
    } else {
        super::OK
    };
    match &args.output {
        None => match super::print(&outcome.spec) {
            super::OK => status,
            other => other,
        },
        Some(path) => match write_new(path, &outcome.spec, args.force) {
            Ok(()) => status,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                super::USAGE
            }
        },
    }
}

/// Writes through a sibling temporary file renamed into place, so a
/// failed write never leaves half a spec.
fn write_new(path: &std::path::Path, text: &str, force: bool) -> std::io::Result<()> {
    if path.exists() && !force {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "exists (use --force)",
        ));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(
        ".{}.eosc-import.tmp",
        path.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_group_files() {
        let w: Vec<String> = ["caddyfile", "a", "b", "compose", "c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            groups(&w).unwrap(),
            vec![
                ("caddyfile", "a".into()),
                ("caddyfile", "b".into()),
                ("compose", "c".into())
            ]
        );
        assert!(groups(&["a".to_string()]).is_err());
        assert!(groups(&["zone".to_string()]).is_err());
    }
}

/// The sources' paths by the name the importer knows them by: compose
/// `env_file`s are read next to their compose file, never outside its
/// directory (the importer refuses `..` and absolute paths; a symbolic link
/// out of the directory is refused here).
#[derive(Default)]
struct SourcePaths(Vec<(String, PathBuf)>);

impl eosc::import::SideFiles for SourcePaths {
    fn read(&self, source: &str, rel: &str) -> Option<Result<String, String>> {
        Some(self.read_inside(source, rel))
    }
}

impl SourcePaths {
    fn read_inside(&self, source: &str, rel: &str) -> Result<String, String> {
        let (_, path) = self
            .0
            .iter()
            .find(|(n, _)| n == source)
            .ok_or_else(|| format!("unknown source {source}"))?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let dir = dir.canonicalize().map_err(|e| e.to_string())?;
        let file = dir.join(rel).canonicalize().map_err(|e| e.to_string())?;
        if !file.starts_with(&dir) {
            return Err(
                "it resolves (through a symbolic link) outside the compose file's directory".into(),
            );
        }
        let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|_| "it is not UTF-8".into())
    }
}
