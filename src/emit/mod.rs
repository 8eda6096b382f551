//! Checked model → artifacts. Each emitter reads only the [`Model`] of one
//! environment (or, for a project-wide target, every model) and returns
//! files; none can fail on a model that checked, and none does IO. The
//! deployers (Salt, the Jenkinsfile) also get the deploy [`Plan`], computed
//! once per environment, and render it. The targets are listed once, in
//! [`TARGETS`].

pub mod caddy;
pub mod dns;
pub mod hcl_out;
pub mod jenkins;
pub mod names;
pub mod nginx;
pub mod nomad;
pub mod salt;
pub mod shell;
pub mod terraform;

use crate::plan::Plan;
use crate::sema::model::Model;

/// One generated file, relative to the environment's output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    pub path: String,
    pub contents: String,
}

impl Artifact {
    pub fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        Artifact {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// Where a target's files land.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// In every environment's tree, from that environment's model.
    Environment,
    /// In a tree of its own named after the target (`out/<name>/`), from
    /// every model at once; no environment may take that name.
    Project,
}

/// How a target is emitted.
#[derive(Clone, Copy)]
pub enum Emit {
    /// Files of one environment, relative to `out/<env>/`.
    Environment(fn(&Model) -> Vec<Artifact>),
    /// The deployer: everything from the model and its plan, and one file
    /// built from the files it ships (`files.sls` names exactly what the
    /// other targets wrote).
    Deployer {
        model: fn(&Model, &Plan) -> Vec<Artifact>,
        shipped: fn(&Model, &[Artifact]) -> Artifact,
    },
    /// Files of the project, relative to `out/` (under `<name>/`), from
    /// every model and its plan (in the same order).
    Project(fn(&[Model], &[Plan]) -> Vec<Artifact>),
}

/// One output target.
pub struct Target {
    /// Also the directory its files are under.
    pub name: &'static str,
    pub scope: Scope,
    /// Salt puts its files on the minions and applies them.
    pub shipped: bool,
    /// What its tree holds, for the help of an environment that would
    /// take a project tree's name.
    pub holds: &'static str,
    pub emit: Emit,
}

/// Every output target: adding one is a module and a row here.
pub const TARGETS: &[Target] = &[
    Target {
        name: "nomad",
        scope: Scope::Environment,
        shipped: true,
        holds: "the Nomad jobs",
        emit: Emit::Environment(nomad::emit),
    },
    Target {
        name: "terraform",
        scope: Scope::Environment,
        shipped: true,
        holds: "the Terraform configuration",
        emit: Emit::Environment(terraform::emit),
    },
    Target {
        name: "caddy",
        scope: Scope::Environment,
        shipped: true,
        holds: "the Caddy configuration",
        emit: Emit::Environment(|m| vec![caddy::emit(m)]),
    },
    Target {
        name: "nginx",
        scope: Scope::Environment,
        shipped: true,
        holds: "the nginx stream proxy's configuration",
        emit: Emit::Environment(|m| nginx::emit(m).into_iter().collect()),
    },
    Target {
        name: "dns",
        scope: Scope::Environment,
        shipped: true,
        holds: "the zone files",
        emit: Emit::Environment(dns::emit),
    },
    Target {
        name: "salt",
        scope: Scope::Environment,
        shipped: false,
        holds: "the Salt states",
        emit: Emit::Deployer {
            model: salt::emit_but_files,
            shipped: salt::files_sls,
        },
    },
    Target {
        name: "jenkins",
        scope: Scope::Project,
        shipped: false,
        holds: "the project's Jenkinsfiles",
        emit: Emit::Project(jenkins::emit_planned),
    },
];

/// The project-wide trees: `(name, what it holds)`.
pub fn project_trees() -> Vec<(&'static str, &'static str)> {
    TARGETS
        .iter()
        .filter(|t| t.scope == Scope::Project)
        .map(|t| (t.name, t.holds))
        .collect()
}

/// Every artifact of one environment, sorted by path (the plan computed
/// here; `lib::compile` computes it once and calls [`emit_planned`]).
pub fn emit_all(model: &Model) -> Vec<Artifact> {
    emit_planned(model, &crate::plan::plan(model))
}

/// Every artifact of one environment whose deploy plan is `plan`.
pub fn emit_planned(model: &Model, plan: &Plan) -> Vec<Artifact> {
    // The deployer (Salt) is the largest emitter and, but for the file it
    // builds from the shipped ones, needs nothing the other emitters
    // produce: it runs on a second thread. The result is sorted, so it does
    // not depend on which finishes first.
    let deployer = TARGETS.iter().find_map(|t| match t.emit {
        Emit::Deployer { model, shipped } => Some((model, shipped)),
        _ => None,
    });
    let (mut out, own) = std::thread::scope(|s| {
        let own = deployer.map(|(f, _)| s.spawn(move || f(model, plan)));
        let out = deployable(model);
        (out, own.map(join))
    });
    if let Some((_, shipped)) = deployer {
        let file = shipped(model, &out);
        out.extend(own.unwrap_or_default());
        out.push(file);
    }
    for t in TARGETS.iter().filter(|t| !t.shipped) {
        if let Emit::Environment(f) = t.emit {
            out.extend(f(model));
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A scoped thread's result; its panic, if any, continues on this thread.
pub(crate) fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The artifacts Salt puts in place and applies: those of the shipped
/// targets. Salt's `files.sls` is built from this list, so it names exactly
/// the files the other emitters wrote.
pub fn deployable(model: &Model) -> Vec<Artifact> {
    let mut out: Vec<Artifact> = Vec::new();
    for t in TARGETS.iter().filter(|t| t.shipped) {
        if let Emit::Environment(f) = t.emit {
            out.extend(f(model));
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The first line of every artifact that has comments: who wrote it, from what.
pub fn header(model: &Model, comment: &str) -> String {
    format!(
        "{comment} Generated by eosc {} from {} (environment {}). Do not edit: change the spec and recompile.\n",
        env!("CARGO_PKG_VERSION"),
        one_line(&model.source_name),
        model.env.name
    )
}

/// A file may be named anything, line breaks included; in a one-line
/// comment they would end the comment and turn the rest of the name into
/// code, so they become spaces (Unicode separators too: YAML and Groovy
/// break lines at them).
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}
