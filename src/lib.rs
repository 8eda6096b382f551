//! eosc: one hecate spec in, Salt/Terraform/Nomad/Caddy/DNS/Jenkins out.
//!
//! The pipeline, on one screen:
//! 1. [`sema::resolve::load_all`]: read the root file and its imports
//!    (through a [`Loader`]: the filesystem in the CLI, a map in tests) and
//!    parse each with [`syntax::parse`];
//! 2. [`sema::resolve::symbols`]: the table of entities by kind and name;
//! 3. [`sema::check_all`]: per environment, evaluate, type-check, graph →
//!    one [`Model`] per environment, or diagnostics;
//! 4. [`plan::plan`]: each model → its deploy plan, once;
//! 5. [`emit::emit_planned`]: each model and plan → artifacts.
//!
//! Only the binary (`main.rs` and its `cli` module) touches the filesystem;
//! this library knows no command line.

// pest without its `std` feature (which probes the stack on every rule
// call; nesting is bounded before parsing instead) names `::alloc`.
extern crate alloc;

pub mod changes;
pub mod diagnostics;
pub mod digest;
pub mod edit;
pub mod emit;
pub mod import;
pub mod output_tree;
pub mod plan;
pub mod sema;
pub mod source;
pub mod stdlib;
pub mod syntax;

pub use output_tree::drift;
pub use sema::model::Model;
pub use sema::resolve::Loader;

use diagnostics::Diagnostic;
use sha2::{Digest, Sha256};
use source::SourceMap;

/// The result of checking a spec.
pub struct Checked {
    pub sources: SourceMap,
    /// Sorted; errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// One per environment, in declaration order; empty if any error.
    pub models: Vec<Model>,
    /// Warnings accepted by an `eosc:allow` comment (not in `diagnostics`).
    pub allowed: Vec<diagnostics::allow::Allowed>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    /// The model of environment `env`, or of the first one declared; `None`
    /// if the spec has errors or no such environment.
    pub fn model(&self, env: Option<&str>) -> Option<&Model> {
        match env {
            Some(e) => self.models.iter().find(|m| m.env.name == e),
            None => self.models.first(),
        }
    }
    /// The dependency graph of one environment (see [`Checked::model`]);
    /// `sema::graph_export` renders it.
    pub fn graph(&self, env: Option<&str>) -> Option<&sema::model::Graph> {
        self.model(env).map(|m| &m.graph)
    }
}

/// Loads, parses, resolves and checks `root` (a path the loader knows).
/// `Err` only when the root file itself cannot be read.
pub fn check(root: &str, loader: &dyn Loader) -> Result<Checked, String> {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let modules = sema::resolve::load_all(root, loader, &mut sources, &mut diagnostics)?;
    let data = sema::resolve::load_data_files(&modules, loader, &mut sources);
    let mut hasher = Sha256::new();
    for (_, f) in sources.files() {
        hasher.update(f.name.as_bytes());
        hasher.update([0]);
        hasher.update(f.text.as_bytes());
        hasher.update([0]);
    }
    let input_hash = hex(&hasher.finalize());
    let mut syms = sema::resolve::symbols(&modules, &emit::project_trees(), &mut diagnostics);
    syms.data = data;
    syms.sources = Some(&sources);
    let source_name = root.rsplit(['/', '\\']).next().unwrap_or(root);
    let mut models = Vec::new();
    let parse_failed = diagnostics.iter().any(|d| d.code.stops_checking());
    if !modules.is_empty() && !parse_failed {
        let (m, d) = sema::check_all(&syms, source_name, &input_hash);
        models = m;
        diagnostics.extend(d);
    }
    diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    let (diagnostics, allowed) = diagnostics::allow::apply(&sources, diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        models.clear();
    }
    for m in &mut models {
        m.model_hash = model_hash(m);
    }
    Ok(Checked {
        sources,
        diagnostics,
        models,
        allowed,
    })
}

pub use digest::hex;

/// The hash over a model's meaning ([`digest::json_hash`]; the model's
/// JSON form leaves both of its hashes out).
pub fn model_hash(model: &Model) -> String {
    digest::json_hash(model)
}

/// The output trees ([`output_tree::trees`]): one per environment, then
/// the project-wide ones. Each environment's deploy plan is computed here,
/// once, and handed to every emitter that renders it.
pub fn compile(models: &[Model]) -> output_tree::Trees {
    let plans: Vec<plan::Plan> = models.iter().map(plan::plan).collect();
    output_tree::trees(models, &plans)
}

/// Files held in memory: for tests, fuzzing and benchmarks.
#[derive(Default, Clone)]
pub struct MemLoader {
    pub files: indexmap::IndexMap<String, String>,
}

impl MemLoader {
    pub fn new(files: impl IntoIterator<Item = (String, String)>) -> Self {
        MemLoader {
            files: files.into_iter().collect(),
        }
    }
}

impl Loader for MemLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }
}
