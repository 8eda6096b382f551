//! Loading (imports) and the symbol table: which entities exist, by kind and
//! name, across every file of the spec.

use crate::diagnostics::Code;
use crate::diagnostics::{suggestion_help, Diagnostic, NameIndex};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Block, Module};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Where file text comes from: the filesystem in the CLI, a map in tests.
pub trait Loader {
    /// `path` is relative to the root file's directory, `/`-separated.
    fn load(&self, path: &str) -> Result<String, String>;
    /// `load` with the reason it failed, so each reason gets its own code.
    /// A loader that can tell a file outside the project or too large from
    /// an unreadable one (the filesystem loader) says so here.
    fn load_spec(&self, path: &str) -> Result<String, LoadError> {
        self.load(path).map_err(LoadError::Unreadable)
    }
    /// A data file a spec names (a template's `source`): the rules of an
    /// import (inside the root spec's directory after symlinks, a regular
    /// file, `MAX_FILE_BYTES`, UTF-8) but any extension.
    fn load_data(&self, path: &str) -> Result<String, LoadError> {
        self.load(path).map_err(LoadError::Unreadable)
    }
}

/// The data files the spec names, by their path relative to the root's
/// directory: the file (in the `SourceMap`, so diagnostics point into it)
/// and its text, or why it could not be loaded.
pub type DataFiles = IndexMap<String, Result<(crate::source::FileId, String), LoadError>>;

/// Where the `source` of a template written in `file` (`./x.tpl`) lies,
/// relative to the root's directory; `Err` when the path itself leaves the
/// project (absolute, `..` above the root, a backslash).
pub fn data_path(importer: &str, written: &str) -> Result<String, LoadError> {
    let shown = written.escape_debug();
    if written.is_empty()
        || written.starts_with('/')
        || written.starts_with('\\')
        || written.as_bytes().get(1) == Some(&b':')
    {
        return Err(LoadError::Outside(format!(
            "`{shown}` is not a relative path; a template's `source` is relative to the spec file and stays in the root spec's directory"
        )));
    }
    let target = join(importer, written);
    if target == ".." || target.starts_with("../") || written.contains('\\') {
        return Err(LoadError::Outside(format!(
            "`{shown}` leaves the root spec's directory"
        )));
    }
    Ok(target)
}

/// Loads every template `source` the modules name (a literal string; an
/// interpolated one is reported by the checker), each once, through the
/// loader's data rules.
pub fn load_data_files(
    modules: &[Module],
    loader: &dyn Loader,
    sources: &mut SourceMap,
) -> DataFiles {
    fn walk<'b>(blocks: &'b [Block], out: &mut Vec<&'b crate::syntax::ast::Expr>) {
        for b in blocks {
            if b.kind.name == "template" {
                if let Some(a) = b.body.attr("source") {
                    out.push(&a.value);
                }
            }
            walk(&b.body.blocks, out);
        }
    }
    let mut files = DataFiles::new();
    for m in modules {
        let mut found = Vec::new();
        walk(&m.blocks, &mut found);
        let importer = sources.get(m.file).name.clone();
        for e in found {
            let Some(written) = literal(e) else { continue };
            let target = match data_path(&importer, &written) {
                Ok(t) => t,
                Err(_) => continue,
            };
            if files.contains_key(&target) {
                continue;
            }
            let loaded = loader.load_data(&target).map(|text| {
                let id = sources.add_data(target.clone(), text.clone());
                (id, text)
            });
            files.insert(target, loaded);
        }
    }
    files
}

/// The value of a string expression without interpolation.
fn literal(e: &crate::syntax::ast::Expr) -> Option<String> {
    match &e.kind {
        crate::syntax::ast::ExprKind::Str(parts) => {
            let mut s = String::new();
            for p in parts {
                match p {
                    crate::syntax::ast::StrPart::Lit(l) => s.push_str(l),
                    crate::syntax::ast::StrPart::Interp(_) => return None,
                }
            }
            Some(s)
        }
        _ => None,
    }
}

/// The largest spec file eosc reads (64 MiB): a larger one is refused
/// before it is read, with its own code (E0219).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Why a file could not be loaded. Every message names the path and never
/// any byte of the file: a file that is not parsed as a spec is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// Missing, unreadable or not UTF-8 (E0208).
    Unreadable(String),
    /// Resolves (after symlinks) outside the root spec's directory, or into
    /// `/proc`, `/sys`, `/dev` (E0217).
    Outside(String),
    /// Not a regular `.hcl` file: a directory, device, FIFO, socket or
    /// another extension (E0218).
    NotSpecFile(String),
    /// Larger than `MAX_FILE_BYTES` (E0219).
    TooLarge(String),
}

impl LoadError {
    pub fn code(&self) -> Code {
        match self {
            LoadError::Unreadable(_) => Code::E0208,
            LoadError::Outside(_) => Code::E0217,
            LoadError::NotSpecFile(_) => Code::E0218,
            LoadError::TooLarge(_) => Code::E0219,
        }
    }
    pub fn message(&self) -> &str {
        match self {
            LoadError::Unreadable(m)
            | LoadError::Outside(m)
            | LoadError::NotSpecFile(m)
            | LoadError::TooLarge(m) => m,
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// The import path itself, before any file is touched: absolute paths,
/// paths that climb out of the root's directory and names that are not
/// `.hcl` are refused whatever the loader would find there.
fn import_path_problem(written: &str, target: &str) -> Option<LoadError> {
    let shown = written.escape_debug();
    if written.starts_with('/')
        || written.starts_with('\\')
        || written.as_bytes().get(1) == Some(&b':')
    {
        return Some(LoadError::Outside(format!(
            "`{shown}` is an absolute path; imports are relative to the importing file and stay in the root spec's directory"
        )));
    }
    if target == ".." || target.starts_with("../") || written.contains('\\') {
        return Some(LoadError::Outside(format!(
            "`{shown}` leaves the root spec's directory"
        )));
    }
    if !target.ends_with(".hcl") {
        return Some(LoadError::NotSpecFile(format!(
            "`{shown}` is not a `.hcl` file"
        )));
    }
    None
}

/// The top-level block kinds: the schemas own the list.
pub use super::schema::KINDS;

/// Loads the root file and everything it imports. Each file is parsed once;
/// cycles and missing files are reported at the import that causes them.
pub fn load_all(
    root: &str,
    loader: &dyn Loader,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Module>, String> {
    let text = loader.load_spec(root).map_err(|e| e.to_string())?;
    let mut modules = Vec::new();
    let mut stack = Vec::new();
    visit(root, text, loader, sources, diags, &mut modules, &mut stack);
    Ok(modules)
}

fn visit(
    name: &str,
    text: String,
    loader: &dyn Loader,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    modules: &mut Vec<Module>,
    stack: &mut Vec<String>,
) {
    let file = sources.add(name, text);
    let module = match crate::syntax::parse(file, &sources.get(file).text) {
        Ok(m) => m,
        Err(mut d) => {
            diags.append(&mut d);
            return;
        }
    };
    stack.push(name.to_string());
    for imp in &module.imports {
        let target = if imp.path.starts_with("std/") {
            imp.path.clone()
        } else {
            join(name, &imp.path)
        };
        if let Some(pos) = stack.iter().position(|s| *s == target) {
            let mut chain: Vec<&str> = stack[pos..].iter().map(String::as_str).collect();
            chain.push(&target);
            diags.push(
                Diagnostic::error(Code::E0209, imp.span, "import cycle")
                    .label(format!("`{target}` is already being imported"))
                    .help(format!(
                        "cycle: {}; move what both files need into a third file",
                        chain.join(" → ")
                    )),
            );
            continue;
        }
        if sources.find(&target).is_some() {
            continue; // imported twice (diamond): load once
        }
        let text = if let Some(std_name) = imp.path.strip_prefix("std/") {
            match crate::stdlib::get(&imp.path) {
                Some(t) => t.to_string(),
                None => {
                    let names: Vec<&str> = crate::stdlib::MODULES
                        .iter()
                        .map(|(n, _)| &n[4..])
                        .collect();
                    diags.push(
                        Diagnostic::error(
                            Code::E0210,
                            imp.span,
                            format!("no standard library module `{}`", imp.path),
                        )
                        .label("unknown module")
                        .help(
                            match crate::diagnostics::did_you_mean(std_name, names.iter().copied())
                            {
                                Some(s) => format!("did you mean `std/{s}`?"),
                                None => {
                                    let all: Vec<String> =
                                        names.iter().map(|n| format!("`std/{n}`")).collect();
                                    format!("the standard library has {}", all.join(", "))
                                }
                            },
                        ),
                    );
                    continue;
                }
            }
        } else {
            let loaded = match import_path_problem(&imp.path, &target) {
                Some(problem) => Err(problem),
                None => loader.load_spec(&target),
            };
            match loaded {
                Ok(t) => t,
                Err(why) => {
                    diags.push(import_error(&imp.path, &target, imp.span, &why));
                    continue;
                }
            }
        };
        visit(&target, text, loader, sources, diags, modules, stack);
    }
    stack.pop();
    modules.push(module);
}

/// The diagnostic for an import that cannot be loaded: the code says why,
/// the label and help name paths only (never the file's content).
fn import_error(written: &str, target: &str, span: Span, why: &LoadError) -> Diagnostic {
    let shown = written.escape_debug();
    let target = target.escape_debug();
    let (title, help) = match why {
        LoadError::Unreadable(_) => (
            format!("cannot import `{shown}`"),
            format!("the path is relative to the importing file; it resolved to `{target}`"),
        ),
        LoadError::Outside(_) => (
            format!("import `{shown}` is outside the project"),
            "an import names a `.hcl` file inside the root spec's directory, relative to the importing file, e.g. `import \"./shared/apps.hcl\"`; copy the file into the project".to_string(),
        ),
        LoadError::NotSpecFile(_) => (
            format!("import `{shown}` is not a spec file"),
            "an import names a regular file ending in `.hcl`, e.g. `import \"./shared/apps.hcl\"`".to_string(),
        ),
        LoadError::TooLarge(_) => (
            format!("import `{shown}` is too large"),
            format!(
                "a spec file holds at most {} MiB; split it into several files and import each",
                MAX_FILE_BYTES >> 20
            ),
        ),
    };
    Diagnostic::error(why.code(), span, title)
        .label(why.message().to_string())
        .help(help)
}

/// `dir/of/importer.hcl` + `./x/../y.hcl` → `dir/of/y.hcl`.
fn join(importer: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = importer.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(p) if *p != "..") && !parts.is_empty() {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every top-level entity by kind and name. Routes are keyed by host and
/// path, so they are listed but not deduplicated here.
#[derive(Default)]
pub struct Symbols<'a> {
    pub by_kind: IndexMap<&'static str, IndexMap<String, &'a Block>>,
    pub routes: Vec<&'a Block>,
    /// Kinds with thousands of names, indexed for did-you-mean the first
    /// time one of their names is misspelt (every environment asks again).
    name_index: Mutex<HashMap<String, Arc<NameIndex>>>,
    /// Template sources, loaded with the modules (`load_data_files`).
    pub data: DataFiles,
    /// The loaded files, to place a problem inside a template's text.
    pub sources: Option<&'a SourceMap>,
}

/// Below this many names a misspelling scans them all.
const INDEX_FROM: usize = 256;

impl<'a> Symbols<'a> {
    /// The help line for `name`, unknown among the `kind`s: the closest
    /// name, or the list of valid ones.
    pub fn unknown_help(&self, kind: &str, name: &str) -> String {
        let names = self.names(kind);
        if names.len() < INDEX_FROM {
            return suggestion_help(name, &names, kind);
        }
        let index = {
            let mut cache = self.name_index.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .entry(kind.to_string())
                .or_insert_with(|| Arc::new(NameIndex::new(names)))
                .clone()
        };
        index.help(name, kind)
    }

    pub fn get(&self, kind: &str, name: &str) -> Option<&'a Block> {
        self.by_kind.get(kind).and_then(|m| m.get(name)).copied()
    }
    pub fn names(&self, kind: &str) -> Vec<&str> {
        self.by_kind
            .get(kind)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
    pub fn of(&self, kind: &str) -> impl Iterator<Item = (&String, &&'a Block)> {
        self.by_kind.get(kind).into_iter().flat_map(|m| m.iter())
    }
}

/// The table of entities. `reserved` are names no environment may take,
/// with what their tree holds: the project-wide output trees
/// (`emit::project_trees`), passed in so this layer knows no target.
pub fn symbols<'a>(
    modules: &'a [Module],
    reserved: &[(&str, &str)],
    diags: &mut Vec<Diagnostic>,
) -> Symbols<'a> {
    let mut syms = Symbols::default();
    for k in KINDS {
        syms.by_kind.insert(k, IndexMap::new());
    }
    for m in modules {
        for a in &m.stray_attributes {
            diags.push(
                Diagnostic::error(Code::E0107, a.name.span, format!("attribute `{}` outside any block", a.name.name))
                    .label("not inside a block")
                    .help("attributes belong in a block body: `project \"name\" { … }`, `app \"name\" { … }`, …"),
            );
        }
        for b in &m.blocks {
            let Some(kind) = KINDS.iter().find(|k| **k == b.kind.name) else {
                diags.push(
                    Diagnostic::error(
                        Code::E0201,
                        b.kind.span,
                        format!("unknown block kind `{}`", b.kind.name),
                    )
                    .label("not a top-level block")
                    .help(suggestion_help(&b.kind.name, KINDS, "block kind")),
                );
                continue;
            };
            if b.labels.len() != 1 {
                diags.push(label_count_error(b, 1));
                continue;
            }
            let name = &b.labels[0];
            if *kind == "route" {
                syms.routes.push(b);
                continue;
            }
            if !matches!(*kind, "dns") {
                if let Some(d) = check_name(kind, name.span, &name.name) {
                    diags.push(d);
                    continue;
                }
            }
            if let Some((tree, holds)) = reserved
                .iter()
                .find(|(t, _)| *kind == "environment" && name.name == *t)
            {
                diags.push(
                    Diagnostic::error(
                        Code::E0317,
                        name.span,
                        format!("`{tree}` cannot name an environment"),
                    )
                    .label("reserved")
                    .help(format!(
                        "`out/{tree}/` holds {holds}; name the environment otherwise"
                    )),
                );
                continue;
            }
            let table = syms.by_kind.entry(kind).or_default();
            if let Some(prev) = table.get(&name.name) {
                diags.push(
                    Diagnostic::error(
                        Code::E0204,
                        name.span,
                        format!("{kind} `{}` is defined twice", name.name),
                    )
                    .label("second definition")
                    .with_secondary(prev.labels[0].span, "first defined here")
                    .help("rename one of them; names of a kind are shared by every imported file"),
                );
                continue;
            }
            table.insert(name.name.clone(), b);
        }
    }
    syms
}

pub fn label_count_error(b: &Block, want: usize) -> Diagnostic {
    let got = b.labels.len();
    let span = if got > want {
        b.labels[want].span
    } else {
        b.kind.span
    };
    let example = if want == 1 {
        format!("{} \"name\" {{ … }}", b.kind.name)
    } else {
        format!("{} {{ … }}", b.kind.name)
    };
    Diagnostic::error(
        Code::E0207,
        span,
        format!("`{}` takes {want} label(s), found {got}", b.kind.name),
    )
    .label(if got > want {
        "unexpected label"
    } else {
        "missing label"
    })
    .help(format!("write `{example}`"))
}

/// Names become Terraform resource names, Salt state IDs, Nomad job names
/// and file names: letters, digits, `_` and `-`, starting with a letter.
pub fn check_name(kind: &str, span: Span, name: &str) -> Option<Diagnostic> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name.len() <= 63;
    (!ok).then(|| {
        Diagnostic::error(Code::E0317, span, format!("`{}` is not a valid {kind} name", name.escape_debug()))
            .label("invalid name")
            .help(if name.len() > 63 {
                format!("a name is at most 63 characters (this one has {}): it becomes file names, Terraform resource names and Salt state IDs", name.len())
            } else {
                "names start with a letter and use only letters, digits, `_` and `-` (at most 63): they become file names, Terraform resource names and Salt state IDs".to_string()
            })
    })
}
