//! The command line, and the only module that touches the filesystem: the
//! clap definitions and the plumbing every command shares are here, one
//! file per command under `cli/`.
//!
//! Exit codes, for every command: 0 ok; 1 the spec has errors, or the
//! output is stale (`compile --check`); 2 a usage or I/O error. Results go
//! to stdout, diagnostics and errors to stderr.

mod check;
mod compile;
mod diff;
mod drift_cmd;
mod edit;
mod fmt;
mod graph;
mod import;
mod init;
mod manual;
mod out_dir;
mod plan_cmd;

use clap::{Parser, Subcommand};
use eosc::diagnostics::{self, Diagnostic};
use eosc::sema::resolve::{LoadError, Loader, MAX_FILE_BYTES};
use std::io::{IsTerminal, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use eosc::diagnostics::explain::explanation;

/// Exit status: everything as it should be.
const OK: u8 = 0;
/// Exit status: the spec has errors, or generated files are stale.
const PROBLEMS: u8 = 1;
/// Exit status: bad arguments, or a file could not be read or written.
const USAGE: u8 = 2;

/// Reads spec files relative to the root file's directory, and only there:
/// an import must resolve (after symlinks) to a regular `.hcl` file under
/// that directory, of at most `MAX_FILE_BYTES`. Every refusal names the
/// path only, so a hostile import cannot make a diagnostic print another
/// file (`/proc/self/environ`, a key beside the spec).
pub struct FsLoader {
    base: PathBuf,
    /// `base` with symlinks resolved, once; `None` when it cannot be
    /// resolved (then every import is refused, the root still loads).
    real_base: Option<PathBuf>,
    /// The root's file name (`root_name`), the one file loaded without the
    /// import rules.
    root: String,
}

impl FsLoader {
    /// `root` is the path the user gave; imports resolve beside it.
    pub fn new(root: &Path) -> Self {
        let base = root.parent().map(Path::to_path_buf).unwrap_or_default();
        let lookup = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &base
        };
        let real_base = std::fs::canonicalize(lookup).ok();
        FsLoader {
            base,
            real_base,
            root: Self::root_name(root),
        }
    }
    /// The name under which the root file is loaded.
    pub fn root_name(root: &Path) -> String {
        root.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
    /// The root file is the one the user named: any regular file, size
    /// limited. Imports must also stay inside the root's directory.
    fn open(&self, path: &str, import: bool) -> Result<String, LoadError> {
        self.open_as(path, import, true)
    }
    /// `open`; `spec` requires the `.hcl` extension of an import (a data
    /// file, a template's `source`, may have any).
    fn open_as(&self, path: &str, import: bool, spec: bool) -> Result<String, LoadError> {
        let full = self.base.join(path);
        let shown = full.display().to_string().escape_debug().to_string();
        let real = std::fs::canonicalize(&full)
            .map_err(|e| LoadError::Unreadable(format!("{shown}: {e}")))?;
        if import {
            let inside = self
                .real_base
                .as_ref()
                .is_some_and(|b| real.starts_with(b) && real != *b);
            let system = ["/proc", "/sys", "/dev"]
                .iter()
                .any(|p| real.starts_with(p));
            if !inside || system {
                return Err(LoadError::Outside(format!(
                    "{shown} resolves to {}, outside the root spec's directory",
                    real.display().to_string().escape_debug()
                )));
            }
            if spec && real.extension().is_none_or(|e| e != "hcl") {
                return Err(LoadError::NotSpecFile(format!(
                    "{shown} resolves to {}, which is not a `.hcl` file",
                    real.display().to_string().escape_debug()
                )));
            }
        }
        let meta =
            std::fs::metadata(&real).map_err(|e| LoadError::Unreadable(format!("{shown}: {e}")))?;
        if !meta.is_file() {
            return Err(LoadError::NotSpecFile(format!(
                "{shown} is not a regular file ({})",
                file_kind(&meta)
            )));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge(format!(
                "{shown} has {} bytes, more than the limit of {} MiB",
                meta.len(),
                MAX_FILE_BYTES >> 20
            )));
        }
        // Read at most one byte past the limit: the file may grow after
        // the metadata was taken.
        let mut bytes = Vec::new();
        std::fs::File::open(&real)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| LoadError::Unreadable(format!("{shown}: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge(format!(
                "{shown} has more than {} MiB",
                MAX_FILE_BYTES >> 20
            )));
        }
        String::from_utf8(bytes).map_err(|e| {
            LoadError::Unreadable(format!(
                "{shown} is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })
    }
}

/// What a non-regular file is, for the E0218 label.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

impl Loader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        self.load_spec(path).map_err(|e| e.to_string())
    }
    /// The root is loaded under its bare file name and is the only file
    /// that may lie anywhere; everything else is an import.
    fn load_spec(&self, path: &str) -> Result<String, LoadError> {
        self.open(path, path != self.root)
    }
    fn load_data(&self, path: &str) -> Result<String, LoadError> {
        self.open_as(path, true, false)
    }
}

#[derive(Parser)]
#[command(
    name = "eosc",
    version,
    about = "Compile a hecate spec into Salt, Terraform, Nomad, Caddy, DNS and Jenkins artifacts",
    after_help = "Exit codes: 0 ok, 1 the spec has errors (or the output is stale), 2 usage or I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Run as if eosc was started in DIR (like `git -C`): every path,
    /// including `-o`, is then relative to DIR.
    #[arg(short = 'C', long = "chdir", value_name = "DIR", global = true)]
    chdir: Option<PathBuf>,
    /// No summary line on stderr (diagnostics and errors still print).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Colour: `auto` colours a terminal unless NO_COLOR is set or
    /// TERM=dumb (CLICOLOR_FORCE forces it).
    #[arg(long, value_enum, default_value = "auto", global = true)]
    color: Color,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// The global options every command reads, set once in [`main`].
struct Globals {
    quiet: bool,
    color: Color,
}

static GLOBALS: std::sync::OnceLock<Globals> = std::sync::OnceLock::new();

/// `-q`: no summary line.
fn quiet() -> bool {
    GLOBALS.get().is_some_and(|g| g.quiet)
}

/// Whether to colour a stream (`is_terminal`: whether it is one), by
/// `--color`, then the conventions of NO_COLOR (no-color.org), CLICOLOR /
/// CLICOLOR_FORCE and TERM=dumb.
fn use_color(is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let var = |name: &str| std::env::var(name).ok();
    match GLOBALS.get().map_or(Color::Auto, |g| g.color) {
        Color::Always => true,
        Color::Never => false,
        Color::Auto if set("NO_COLOR") => false,
        Color::Auto if set("CLICOLOR_FORCE") && var("CLICOLOR_FORCE").as_deref() != Some("0") => {
            true
        }
        Color::Auto if var("CLICOLOR").as_deref() == Some("0") => false,
        Color::Auto if var("TERM").as_deref() == Some("dumb") => false,
        Color::Auto => is_terminal,
    }
}

fn stderr_color() -> bool {
    use_color(std::io::stderr().is_terminal())
}

fn stdout_color() -> bool {
    use_color(std::io::stdout().is_terminal())
}

#[derive(Subcommand)]
enum Command {
    /// Check specs and report their diagnostics (pre-commit hooks, CI).
    Check(check::Args),
    /// Write every environment's artifacts to DIR/<env>/, or with --check
    /// verify that DIR holds exactly what would be written.
    Compile(compile::Args),
    /// Show as a unified diff what `compile` would change in DIR.
    Diff(diff::Args),
    /// Print the dependency graph as Graphviz DOT, Mermaid or JSON.
    Graph(graph::Args),
    /// Day 2: `eosc route|app|upstream|dns|secret|auth|middleware
    /// list|show|add|set|rm` (docs/operating.md).
    #[command(flatten)]
    Edit(edit::Noun),
    /// Turn a Caddyfile, docker-compose file, Nomad jobs or zone files into
    /// a commented hecate.hcl (to stdout, or -o FILE).
    Import(import::Args),
    /// Print the long explanation of an error code, or with --list every
    /// code and its title.
    Explain {
        /// A code such as E0203 or W0501.
        #[arg(required_unless_present = "list")]
        code: Option<String>,
        /// List every code with its title.
        #[arg(long, conflicts_with = "code")]
        list: bool,
    },
    /// What a spec change does, entity by entity, per environment: against
    /// a git revision's spec (--base REV) or the output tree (-o DIR).
    Plan(plan_cmd::Args),
    /// The semantic differences between two environments of one spec
    /// (exit 0 none, 2 some, 1 error).
    Compare(plan_cmd::CompareArgs),
    /// Compare a live Caddy's config (its admin API) with the compiled
    /// caddy.json (exit 0 no drift, 2 drift, 1 error).
    Drift(drift_cmd::Args),
    /// Write a commented starter hecate.hcl into DIR.
    Init(init::Args),
    /// Print a shell completion script.
    Completions(manual::CompletionArgs),
    /// Print the man page (roff).
    Man,
    /// Rewrite spec files in the canonical layout, printing the paths it
    /// changed; `-` formats standard input to standard output.
    Fmt {
        #[arg(default_value = "hecate.hcl")]
        files: Vec<PathBuf>,
        /// Write nothing: list the files that are not formatted, exit 1 if any.
        #[arg(long)]
        check: bool,
        /// With --check: print what formatting would change, as a unified
        /// diff (`git apply` accepts it), instead of the file names.
        #[arg(long, requires = "check")]
        diff: bool,
    },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { USAGE } else { OK });
        }
    };
    if let Some(dir) = &cli.chdir {
        if let Err(e) = std::env::set_current_dir(dir) {
            eprintln!("error: cannot change to directory {}: {e}", dir.display());
            return ExitCode::from(USAGE);
        }
    }
    let _ = GLOBALS.set(Globals {
        quiet: cli.quiet,
        color: cli.color,
    });
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Compile(args) => compile::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Edit(noun) => edit::run(noun),
        Command::Import(args) => import::run(&args),
        Command::Explain { list: true, .. } => print(&diagnostics::explain::list()),
        Command::Explain { code, .. } => explain(code.as_deref().unwrap_or_default()),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Compare(args) => plan_cmd::compare(&args),
        Command::Drift(args) => drift_cmd::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => manual::completions(&args),
        Command::Man => manual::man(),
        Command::Fmt { files, check, diff } => fmt::run(&files, check, diff),
    };
    ExitCode::from(code)
}

fn explain(code: &str) -> u8 {
    match explanation(code) {
        Some(text) => print(&format!("{text}\n")),
        None => {
            eprintln!(
                "error: no error code `{code}`; codes look like E0203 or W0501 (see docs/errors.md)"
            );
            USAGE
        }
    }
}

/// Writes a command's result to stdout. A closed pipe (`eosc graph | head`)
/// is not an error: the reader has what it wanted.
fn print(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            USAGE
        }
    }
}

/// The name of standard input, as `check -` and `fmt -` report it.
const STDIN_NAME: &str = "<stdin>";

/// The root file read from standard input (`-`); imports resolve in the
/// working directory.
struct StdinLoader {
    text: String,
    fs: FsLoader,
}

impl Loader for StdinLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        if path == STDIN_NAME {
            Ok(self.text.clone())
        } else {
            self.fs.load(path)
        }
    }
    fn load_data(&self, path: &str) -> Result<String, LoadError> {
        self.fs.load_data(path)
    }
}

/// All of standard input as UTF-8.
fn read_stdin() -> Result<String, u8> {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
        eprintln!("error: cannot read standard input: {e}");
        return Err(USAGE);
    }
    String::from_utf8(bytes).map_err(|e| {
        eprintln!(
            "error: standard input is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        );
        USAGE
    })
}

/// Loads and checks the spec whose root is `file` (`-`: standard input).
/// Its files are named as the user typed the root's directory, so every
/// diagnostic format shows the same clickable `path:line:col`.
fn load(file: &Path) -> Result<eosc::Checked, u8> {
    let result = if file == Path::new("-") {
        let loader = StdinLoader {
            text: read_stdin()?,
            fs: FsLoader::new(Path::new("./-")),
        };
        eosc::check(STDIN_NAME, &loader)
    } else {
        let loader = FsLoader::new(file);
        eosc::check(&FsLoader::root_name(file), &loader)
    };
    let mut checked = result.map_err(|e| {
        eprintln!("error: cannot read {}: {e}", file.display());
        USAGE
    })?;
    checked.sources.prefix_names(&spec_base(file), |name| {
        name == STDIN_NAME || eosc::stdlib::get(name).is_some()
    });
    Ok(checked)
}

/// Loads the spec, prints its diagnostics, and hands it on only if it has
/// no errors: what every command that needs the models starts with.
fn load_clean(file: &Path) -> Result<eosc::Checked, u8> {
    let checked = load(file)?;
    report_human(&checked, &checked.diagnostics);
    if checked.has_errors() {
        return Err(PROBLEMS);
    }
    Ok(checked)
}

/// miette's report on stderr, in colour on a terminal.
fn report_human(checked: &eosc::Checked, diags: &[Diagnostic]) {
    let text = diagnostics::render_human(diags, &checked.sources, stderr_color());
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// An `--env` the spec does not declare is a usage error.
fn require_env(checked: &eosc::Checked, env: &str, file: &Path) -> Result<(), u8> {
    if checked.models.iter().any(|m| m.env.name == env) {
        return Ok(());
    }
    let known: Vec<&str> = checked.models.iter().map(|m| m.env.name.as_str()).collect();
    eprintln!(
        "error: {} has no environment `{env}` (it has: {})",
        file.display(),
        known.join(", ")
    );
    Err(USAGE)
}

/// A path as text with `/` separators, `./` dropped, and relative to the
/// working directory when it lies below it: how diagnostics and diffs name
/// files, so CI can map them onto the repository.
fn display_path(path: &Path) -> String {
    let mut path = path.to_path_buf();
    if path.is_absolute() {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(rel) = path.strip_prefix(&cwd) {
                path = rel.to_path_buf();
            }
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in path.components() {
        match c {
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// A path as the user typed it, with `/` separators and `./` dropped
/// (absolute stays absolute): how diagnostics name files.
fn user_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in path.components() {
        match c {
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The directory of a spec's root file as the user typed it, as a prefix
/// for the names in its source map (`examples/cybermonkey/`, or empty).
fn spec_base(file: &Path) -> String {
    let dir = user_path(file.parent().unwrap_or(Path::new("")));
    if dir.is_empty() || dir.ends_with('/') {
        dir
    } else {
        format!("{dir}/")
    }
}
