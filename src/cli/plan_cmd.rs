//! `eosc plan` and `eosc compare`: the change summary of `eosc::changes`
//! with its IO. `plan --base REV` reads the spec of a git revision through
//! `git show REV:./path` (the root's directory as git's working directory,
//! imports kept inside it as on disk) and compiles both sides; `plan -o
//! DIR` (the default, `-o out`) compares the compiled trees with the
//! committed output tree at artifact level, as the tree holds no model.

use super::out_dir::read_trees;
use super::{load_clean, print, require_env, FsLoader, OK, PROBLEMS, USAGE};
use eosc::changes::{self, artifacts::Files, render, EnvChanges};
use eosc::sema::resolve::{LoadError, Loader, MAX_FILE_BYTES};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    /// Compare with the spec as committed at this git revision (a commit,
    /// branch or tag), compiled the same way.
    #[arg(long, value_name = "REV", conflicts_with = "out")]
    base: Option<String>,
    /// Compare with the output tree committed in DIR (the default when
    /// --base is not given: `out`).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only these environments.
    #[arg(long)]
    env: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit 0 with no change, 2 with changes, 1 on any error (as
    /// `terraform plan -detailed-exitcode`).
    #[arg(long)]
    detailed_exitcode: bool,
}

pub fn run(a: &Args) -> u8 {
    let envs = match summarise(a) {
        Ok(envs) => envs,
        // terraform's convention: 1 for every error, 2 only for changes.
        Err(_) if a.detailed_exitcode => return PROBLEMS,
        Err(code) => return code,
    };
    let against = match (&a.base, &a.out) {
        (Some(rev), _) => rev.clone(),
        (None, out) => super::display_path(out.as_deref().unwrap_or(Path::new("out"))),
    };
    let title = format!(
        "eosc plan: {} against {against}",
        super::display_path(&a.file)
    );
    let text = match a.format {
        Format::Text => render::text(&envs),
        Format::Markdown => render::markdown(&envs, &title, render::MARKDOWN_LIMIT),
        Format::Json => render::json(&envs),
    };
    match print(&text) {
        OK if a.detailed_exitcode && changes::any(&envs) => 2,
        OK => OK,
        _ if a.detailed_exitcode => PROBLEMS,
        code => code,
    }
}

fn files(arts: &[eosc::emit::Artifact]) -> Files<'_> {
    arts.iter()
        .map(|a| (a.path.as_str(), a.contents.as_str()))
        .collect()
}

fn summarise(a: &Args) -> Result<Vec<EnvChanges>, u8> {
    let after = load_clean(&a.file)?;
    for e in &a.env {
        require_env(&after, e, &a.file)?;
    }
    let after_trees = eosc::compile(&after.models);
    let wanted = |e: &str| a.env.is_empty() || a.env.iter().any(|x| x == e);
    if let Some(rev) = &a.base {
        let before = load_rev(&a.file, rev)?;
        let before_trees = eosc::compile(&before.models);
        let mut names: Vec<&str> = after.models.iter().map(|m| m.env.name.as_str()).collect();
        for m in &before.models {
            if !names.contains(&m.env.name.as_str()) {
                names.push(&m.env.name);
            }
        }
        let mut out = Vec::new();
        for env in names.into_iter().filter(|e| wanted(e)) {
            let fb = tree_files(&before_trees, env);
            let fa = tree_files(&after_trees, env);
            let mb = before.models.iter().find(|m| m.env.name == env);
            let ma = after.models.iter().find(|m| m.env.name == env);
            out.push(changes::from_models(
                env,
                mb.map(|m| (m, &fb)),
                ma.map(|m| (m, &fa)),
            ));
        }
        return Ok(out);
    }
    let dir = a.out.clone().unwrap_or_else(|| PathBuf::from("out"));
    let mut env_trees = after_trees.clone();
    env_trees.retain(|(n, _)| !eosc::output_tree::is_project_tree(n) && wanted(n));
    let on_disk = read_trees(&dir, &env_trees, a.env.is_empty())?;
    let text: BTreeMap<&str, BTreeMap<&str, String>> = on_disk
        .iter()
        .filter(|(n, _)| !eosc::output_tree::is_project_tree(n))
        .map(|(n, t)| {
            let files = t
                .iter()
                .map(|(p, b)| (p.as_str(), String::from_utf8_lossy(b).into_owned()))
                .collect();
            (n.as_str(), files)
        })
        .collect();
    let mut names: Vec<&str> = env_trees.iter().map(|(n, _)| n.as_str()).collect();
    names.extend(
        text.keys()
            .filter(|n| !env_trees.iter().any(|(t, _)| t == *n)),
    );
    let mut out = Vec::new();
    for env in names {
        let before: Files = text
            .get(env)
            .map(|t| t.iter().map(|(p, s)| (*p, s.as_str())).collect())
            .unwrap_or_default();
        let after = tree_files(&env_trees, env);
        out.push(changes::from_trees(env, &before, &after));
    }
    Ok(out)
}

fn tree_files<'a>(trees: &'a eosc::output_tree::Trees, env: &str) -> Files<'a> {
    trees
        .iter()
        .find(|(n, _)| n == env)
        .map(|(_, arts)| files(arts))
        .unwrap_or_default()
}

/// The spec at `rev`: the root and its imports read with `git show`.
fn load_rev(file: &Path, rev: &str) -> Result<eosc::Checked, u8> {
    if rev.starts_with('-') || rev.contains(':') || rev.is_empty() {
        eprintln!(
            "error: --base {rev:?} is not a git revision (it may not start with `-` or hold `:`)"
        );
        return Err(USAGE);
    }
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let loader = GitLoader {
        dir: if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        },
        rev: rev.to_string(),
        root: FsLoader::root_name(file),
    };
    let checked = eosc::check(&loader.root, &loader).map_err(|e| {
        eprintln!("error: cannot read {} at {rev}: {e}", file.display());
        USAGE
    })?;
    if checked.has_errors() {
        super::report_human(&checked, &checked.diagnostics);
        eprintln!("error: the spec at {rev} has errors; plan compares two specs that check");
        return Err(PROBLEMS);
    }
    Ok(checked)
}

/// Spec files of a git revision, relative to the root's directory: an
/// import must stay inside that directory (lexically: git holds no
/// symlinks to follow) and be a `.hcl` file, as [`FsLoader`] requires.
struct GitLoader {
    dir: PathBuf,
    rev: String,
    root: String,
}

impl Loader for GitLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        self.load_spec(path).map_err(|e| e.to_string())
    }
    fn load_spec(&self, path: &str) -> Result<String, LoadError> {
        self.read(path, true)
    }
    fn load_data(&self, path: &str) -> Result<String, LoadError> {
        self.read(path, false)
    }
}

impl GitLoader {
    /// A file of the revision; `spec`: an import, which must be `.hcl`
    /// (a template's `source` may have any extension).
    fn read(&self, path: &str, spec: bool) -> Result<String, LoadError> {
        let shown = path.escape_debug().to_string();
        if path != self.root {
            let mut depth = 0i32;
            for c in Path::new(path).components() {
                match c {
                    Component::Normal(_) => depth += 1,
                    Component::CurDir => {}
                    Component::ParentDir => depth -= 1,
                    Component::RootDir | Component::Prefix(_) => depth = -1,
                }
                if depth < 0 {
                    return Err(LoadError::Outside(format!(
                        "{shown} is outside the root spec's directory"
                    )));
                }
            }
            if spec && !path.ends_with(".hcl") {
                return Err(LoadError::NotSpecFile(format!(
                    "{shown} is not a `.hcl` file"
                )));
            }
        }
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .arg("show")
            .arg(format!("{}:./{path}", self.rev))
            .output()
            .map_err(|e| LoadError::Unreadable(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(LoadError::Unreadable(format!(
                "{shown} at {}: {}",
                self.rev,
                err.lines().next().unwrap_or("git show failed").trim()
            )));
        }
        if out.stdout.len() as u64 > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge(format!(
                "{shown} has more than {} MiB",
                MAX_FILE_BYTES >> 20
            )));
        }
        String::from_utf8(out.stdout)
            .map_err(|_| LoadError::Unreadable(format!("{shown} at {} is not UTF-8", self.rev)))
    }
}

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The environment compared from.
    from: String,
    /// The environment compared to.
    to: String,
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// `eosc compare A B`: the entity diff of two environments' models. Exit
/// 0 when they do not differ, 2 when they do, 1 on any error.
pub fn compare(a: &CompareArgs) -> u8 {
    let checked = match load_clean(&a.file) {
        Ok(c) => c,
        Err(_) => return PROBLEMS,
    };
    for e in [&a.from, &a.to] {
        if require_env(&checked, e, &a.file).is_err() {
            return PROBLEMS;
        }
    }
    let (Some(from), Some(to)) = (checked.model(Some(&a.from)), checked.model(Some(&a.to))) else {
        return PROBLEMS;
    };
    let name = format!("{} → {}", a.from, a.to);
    let envs = vec![EnvChanges::new(
        &name,
        changes::entities::diff_environments(from, to),
    )];
    let text = match a.format {
        Format::Text => render::text(&envs),
        Format::Markdown => render::markdown(
            &envs,
            &format!("eosc compare {} {}", a.from, a.to),
            render::MARKDOWN_LIMIT,
        ),
        Format::Json => render::json(&envs),
    };
    match print(&text) {
        OK if changes::any(&envs) => 2,
        OK => OK,
        _ => PROBLEMS,
    }
}
