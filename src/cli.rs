//! The command line, and the only module that touches the filesystem.

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::sema::resolve::Loader;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reads spec files relative to the root file's directory.
pub struct FsLoader {
    base: PathBuf,
}

impl FsLoader {
    /// `root` is the path the user gave; imports resolve beside it.
    pub fn new(root: &Path) -> Self {
        FsLoader {
            base: root.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }
    /// The name under which the root file is loaded.
    pub fn root_name(root: &Path) -> String {
        root.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

impl Loader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        let bytes = std::fs::read(&full).map_err(|e| format!("{}: {e}", full.display()))?;
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "{} is not UTF-8 (invalid byte at offset {})",
                full.display(),
                e.utf8_error().valid_up_to()
            )
        })
    }
}

#[derive(Parser)]
#[command(
    name = "eosc",
    version,
    about = "Compile a hecate spec into Salt, Terraform, Nomad, Caddy, DNS and Jenkins artifacts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Deny {
    Warnings,
}

#[derive(Subcommand)]
enum Command {
    /// Check the spec and print diagnostics (for pre-commit hooks).
    Check {
        #[arg(default_value = "hecate.hcl")]
        file: PathBuf,
        /// Only report problems of this environment.
        #[arg(long)]
        env: Option<String>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny: Option<Deny>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Write the artifacts of every environment to DIR/<env>/.
    Compile {
        #[arg(default_value = "hecate.hcl")]
        file: PathBuf,
        #[arg(short = 'o', long = "out", default_value = "out")]
        out: PathBuf,
        /// Compile only these environments.
        #[arg(long)]
        env: Vec<String>,
    },
    /// Print the long explanation of an error code.
    Explain { code: String },
    /// Rewrite spec files in the canonical layout, printing the paths it changed.
    Fmt {
        #[arg(default_value = "hecate.hcl")]
        files: Vec<PathBuf>,
        /// Write nothing: list the files that are not formatted, exit 1 if any.
        #[arg(long)]
        check: bool,
    },
}

const ERRORS_MD: &str = include_str!("../docs/errors.md");

/// The section of docs/errors.md for `code`, without its heading line.
pub fn explanation(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    let heading = format!("## {code}");
    let start = ERRORS_MD.lines().position(|l| {
        l.strip_prefix(&heading)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ']))
    })?;
    let mut offset = 0;
    for (i, line) in ERRORS_MD.split_inclusive('\n').enumerate() {
        if i == start {
            break;
        }
        offset += line.len();
    }
    let rest = &ERRORS_MD[offset..];
    let end = rest[1..].find("\n## ").map(|e| e + 2).unwrap_or(rest.len());
    Some(rest[..end].trim_end())
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check {
            file,
            env,
            deny,
            format,
        } => check(&file, env.as_deref(), deny.is_some(), format),
        Command::Compile { file, out, env } => compile(&file, &out, &env),
        Command::Explain { code } => match explanation(&code) {
            Some(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no error code `{code}`; codes look like E0203 or W0501 (see docs/errors.md)");
                ExitCode::from(2)
            }
        },
        Command::Fmt { files, check } => fmt(&files, check),
    }
}

fn load(file: &Path) -> Result<crate::Checked, ExitCode> {
    let loader = FsLoader::new(file);
    crate::check(&FsLoader::root_name(file), &loader).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", file.display());
        ExitCode::from(2)
    })
}

fn report(checked: &crate::Checked, diags: &[Diagnostic], format: Format) {
    let text = match format {
        Format::Human => {
            diagnostics::render_human(diags, &checked.sources, std::io::stderr().is_terminal())
        }
        Format::Json => diagnostics::render_json(diags, &checked.sources),
    };
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
}

fn filter_env(diags: &[Diagnostic], env: Option<&str>, deny: bool) -> Vec<Diagnostic> {
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

fn check(file: &Path, env: Option<&str>, deny: bool, format: Format) -> ExitCode {
    let checked = match load(file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(e) = env {
        if !checked.has_errors() && !checked.models.iter().any(|m| m.env.name == e) {
            eprintln!("error: the spec has no environment `{e}`");
            return ExitCode::from(2);
        }
    }
    let diags = filter_env(&checked.diagnostics, env, deny);
    report(&checked, &diags, format);
    if diags.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn compile(file: &Path, out: &Path, envs: &[String]) -> ExitCode {
    let checked = match load(file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    report(&checked, &checked.diagnostics, Format::Human);
    if checked.has_errors() {
        return ExitCode::from(1);
    }
    for e in envs {
        if !checked.models.iter().any(|m| &m.env.name == e) {
            eprintln!("error: the spec has no environment `{e}`");
            return ExitCode::from(2);
        }
    }
    let mut trees = crate::compile(&checked.models);
    trees.retain(|(name, _)| envs.is_empty() || envs.contains(name));
    match write_atomically(out, &trees) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

/// `eosc fmt`: a file that does not parse is reported and left alone (exit
/// 1), as is, with `check`, one that is not formatted; an unreadable or
/// unwritable file is exit 2. Every file is tried either way.
fn fmt(files: &[PathBuf], check: bool) -> ExitCode {
    let mut status = 0;
    for file in files {
        let text = match std::fs::read(file).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => {
                eprintln!(
                    "error: {} is not UTF-8 (invalid byte at offset {})",
                    file.display(),
                    e.utf8_error().valid_up_to()
                );
                status = 2;
                continue;
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", file.display());
                status = 2;
                continue;
            }
        };
        let mut sources = crate::source::SourceMap::new();
        let id = sources.add(file.display().to_string(), text.as_str());
        match crate::syntax::format_source(id, &text) {
            Err(diags) => {
                let rendered =
                    diagnostics::render_human(&diags, &sources, std::io::stderr().is_terminal());
                let _ = std::io::stderr().lock().write_all(rendered.as_bytes());
                status = status.max(1);
            }
            Ok(formatted) if formatted == text => {}
            Ok(_) if check => {
                println!("{}", file.display());
                status = status.max(1);
            }
            Ok(formatted) => match replace_file(file, &formatted) {
                Ok(()) => println!("{}", file.display()),
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", file.display());
                    status = 2;
                }
            },
        }
    }
    ExitCode::from(status)
}

/// Replaces a file's contents by renaming a sibling temporary file over it,
/// so a reader sees the old or the new text, never half of it. The target
/// is the symlink's destination (the link stays a link) and keeps its mode.
fn replace_file(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.eosc-fmt-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        std::fs::set_permissions(&tmp, std::fs::metadata(&target)?.permissions())?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes every environment's tree into a temporary directory beside the
/// output, then swaps each `out/<env>` in with renames: a failure at any
/// point before the swap leaves the previous tree as it was.
fn write_atomically(
    out: &Path,
    trees: &[(String, Vec<crate::emit::Artifact>)],
) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let staging = out.join(format!(".eosc-staging-{}", std::process::id()));
    let result = (|| {
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        for (env, artifacts) in trees {
            for a in artifacts {
                let path = staging.join(env).join(&a.path);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&path, &a.contents)?;
            }
        }
        for (env, _) in trees {
            let target = out.join(env);
            let old = out.join(format!(".eosc-old-{}-{env}", std::process::id()));
            if target.exists() {
                std::fs::rename(&target, &old)?;
            }
            if let Err(e) = std::fs::rename(staging.join(env), &target) {
                if old.exists() {
                    std::fs::rename(&old, &target)?;
                }
                return Err(e);
            }
            if old.exists() {
                std::fs::remove_dir_all(&old)?;
            }
        }
        Ok(())
    })();
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
