//! Loading (imports) and the symbol table: which entities exist, by kind and
//! name, across every file of the spec.

use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Block, Module};
use indexmap::IndexMap;

/// Where file text comes from: the filesystem in the CLI, a map in tests.
pub trait Loader {
    /// `path` is relative to the root file's directory, `/`-separated.
    fn load(&self, path: &str) -> Result<String, String>;
}

pub const KINDS: &[&str] = &[
    "project",
    "variable",
    "environment",
    "secret",
    "server",
    "firewall",
    "app",
    "upstream",
    "middleware",
    "auth",
    "route",
    "stream",
    "dns",
    "rollout",
    "pipeline",
];

/// Loads the root file and everything it imports. Each file is parsed once;
/// cycles and missing files are reported at the import that causes them.
pub fn load_all(
    root: &str,
    loader: &dyn Loader,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Module>, String> {
    let text = loader.load(root)?;
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
                Diagnostic::error("E0209", imp.span, "import cycle")
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
                            "E0210",
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
            match loader.load(&target) {
                Ok(t) => t,
                Err(why) => {
                    diags.push(
                        Diagnostic::error(
                            "E0208",
                            imp.span,
                            format!("cannot import `{}`", imp.path),
                        )
                        .label(why)
                        .help(format!(
                            "the path is relative to the importing file; it resolved to `{target}`"
                        )),
                    );
                    continue;
                }
            }
        };
        visit(&target, text, loader, sources, diags, modules, stack);
    }
    stack.pop();
    modules.push(module);
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
}

impl<'a> Symbols<'a> {
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

pub fn symbols<'a>(modules: &'a [Module], diags: &mut Vec<Diagnostic>) -> Symbols<'a> {
    let mut syms = Symbols::default();
    for k in KINDS {
        syms.by_kind.insert(k, IndexMap::new());
    }
    for m in modules {
        for a in &m.stray_attributes {
            diags.push(
                Diagnostic::error("E0107", a.name.span, format!("attribute `{}` outside any block", a.name.name))
                    .label("not inside a block")
                    .help("attributes belong in a block body: `project \"name\" { … }`, `app \"name\" { … }`, …"),
            );
        }
        for b in &m.blocks {
            let Some(kind) = KINDS.iter().find(|k| **k == b.kind.name) else {
                diags.push(
                    Diagnostic::error(
                        "E0201",
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
            if *kind == "environment" && name.name == "jenkins" {
                diags.push(
                    Diagnostic::error("E0317", name.span, "`jenkins` cannot name an environment")
                        .label("reserved")
                        .help("`out/jenkins/` holds the project's Jenkinsfiles; name the environment otherwise"),
                );
                continue;
            }
            let table = syms.by_kind.entry(kind).or_default();
            if let Some(prev) = table.get(&name.name) {
                diags.push(
                    Diagnostic::error(
                        "E0204",
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
        "E0207",
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
        Diagnostic::error("E0317", span, format!("`{}` is not a valid {kind} name", name.escape_debug()))
            .label("invalid name")
            .help("names start with a letter and use only letters, digits, `_` and `-` (at most 63): they become file names, Terraform resource names and Salt state IDs")
    })
}
