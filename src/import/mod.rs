//! `eosc import`: the Caddyfile, docker-compose file, Nomad jobs, nginx
//! configuration and BIND zones a user already has, turned into one commented `hecate.hcl`.
//!
//! Pure: text in, spec text and diagnostics out (the CLI reads and writes
//! the files). Each source is parsed natively with spans, so every
//! construct that cannot be expressed is a located diagnostic: a warning
//! when the spec is imported without it or approximates it (W06xx), an
//! error when the result would behave differently (E06xx). Nothing is
//! dropped in silence; the summary counts what was imported, approximated
//! and skipped.

mod caddy_sites;
pub mod caddyfile;
pub mod compose;
pub mod nginx;
pub mod nomad;
pub mod writer;
pub mod zone;

use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use indexmap::IndexMap;
use writer::{Block, Val};

/// What a source file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Caddyfile,
    Compose,
    Nomad,
    /// An nginx configuration: `stream {}` servers, simple `http {}` proxies.
    Nginx,
    /// A zone file; `origin` is the zone's name (`$ORIGIN` may change it).
    Zone {
        origin: String,
    },
}

pub struct Input {
    pub format: Format,
    /// How diagnostics name the file (the path the user gave).
    pub name: String,
    pub text: String,
}

/// Files a source refers to (compose `env_file`), read by the caller (the
/// CLI): `rel` is relative to the directory of the source named `source`
/// and has been checked to stay inside it; the caller refuses a path that
/// leaves it through a symbolic link. `None`: files are not read here
/// (the pure API without files, fuzzing); the import says so (W0601).
pub trait SideFiles {
    fn read(&self, source: &str, rel: &str) -> Option<Result<String, String>>;
}

/// No side files: every `env_file` is reported unread.
pub struct NoSideFiles;

impl SideFiles for NoSideFiles {
    fn read(&self, _: &str, _: &str) -> Option<Result<String, String>> {
        None
    }
}

pub struct Options {
    /// The `project` block's label.
    pub project: String,
}

/// Counts for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Blocks written, by kind (`route` → 10).
    pub imported: IndexMap<String, usize>,
    /// Constructs kept with a changed form (W0603).
    pub approximated: usize,
    /// Constructs left out (W0601, W0605, E0602).
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn line(&self) -> String {
        let items: Vec<String> = self
            .imported
            .iter()
            .map(|(k, n)| format!("{n} {k}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        format!(
            "imported {}; {} approximated, {} skipped; {} error{}, {} warning{}",
            if items.is_empty() {
                "nothing".to_string()
            } else {
                items.join(", ")
            },
            self.approximated,
            self.skipped,
            self.errors,
            if self.errors == 1 { "" } else { "s" },
            self.warnings,
            if self.warnings == 1 { "" } else { "s" },
        )
    }
}

pub struct Outcome {
    /// The formatted spec; written even when there are errors, so the user
    /// sees what was imported (the CLI then exits 1).
    pub spec: String,
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The spec being built, one table per kind, and what every importer
/// shares: the sources, the diagnostics, the summary.
#[derive(Default)]
pub struct Cx {
    /// The project's name: Vault paths are `secret/<project>/<name>`.
    pub project: String,
    pub sources: SourceMap,
    pub diags: Vec<Diagnostic>,
    pub summary: Summary,
    pub project_attrs: Vec<writer::Attr>,
    pub std_imports: Vec<String>,
    pub variables: IndexMap<String, Block>,
    pub secrets: IndexMap<String, Block>,
    pub apps: IndexMap<String, Block>,
    pub upstreams: IndexMap<String, Block>,
    pub middlewares: IndexMap<String, Block>,
    pub routes: Vec<Block>,
    pub streams: IndexMap<String, Block>,
    /// Servers the import needs (the proxy's, for coturn and the streams).
    pub servers: IndexMap<String, Block>,
    /// Ports the compose file's nginx publishes: (port, where), checked
    /// against the imported streams once every source is in.
    pub edge_ports: Vec<(u16, Span)>,
    pub dns: IndexMap<String, Block>,
    /// Compose services and container names → (app name, port name by
    /// container port): how Caddy upstreams find the apps of the same run.
    pub service_hosts: IndexMap<String, (String, Vec<(u16, String)>)>,
}

impl Cx {
    fn push(&mut self, d: Diagnostic) {
        match d.code {
            Code::W0603 => self.summary.approximated += 1,
            Code::W0601 | Code::W0605 | Code::E0602 => self.summary.skipped += 1,
            _ => {}
        }
        if d.is_error() {
            self.summary.errors += 1;
        } else {
            self.summary.warnings += 1;
        }
        self.diags.push(d);
    }
    pub fn warn(
        &mut self,
        code: Code,
        span: Span,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::warning(code, span, msg).help(help));
    }
    pub fn error(
        &mut self,
        code: Code,
        span: Span,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::error(code, span, msg).help(help));
    }
    /// `file:line` for comments in the spec.
    pub fn at(&self, span: Span) -> String {
        let f = self.sources.get(span.file);
        let (line, _) = f.line_col(span.start);
        format!("{}:{line}", f.name)
    }
    /// The app a Caddy upstream host names: a compose service, its
    /// `container_name`, or compose's `<project>-<service>-<n>`.
    pub fn service_host(&self, host: &str) -> Option<&(String, Vec<(u16, String)>)> {
        self.service_hosts.get(host).or_else(|| {
            let (_, rest) = host.split_once('-')?;
            self.service_hosts.get(&format!("*-{rest}"))
        })
    }
    /// A project attribute, once (the first importer to set it wins).
    pub fn project_attr(&mut self, name: &str, value: Val, comment: String) {
        if !self.project_attrs.iter().any(|a| a.name == name) {
            self.project_attrs.push(writer::Attr {
                name: name.into(),
                value,
                comment: Some(comment),
            });
        }
    }
}

/// A valid, unused entity name made from `raw` (`hecate-server-1` stays,
/// `cybermonkey.dev` → `cybermonkey_dev`, `9lives` → `x9lives`).
pub fn unique_name<V>(taken: &IndexMap<String, V>, raw: &str) -> String {
    let mut base: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert(0, 'x');
    }
    base.truncate(56);
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains_key(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Imports every input into one spec.
pub fn import(inputs: &[Input], opts: &Options) -> Outcome {
    import_with(inputs, opts, &NoSideFiles)
}

/// [`import`], reading the files the sources refer to through `files`.
pub fn import_with(inputs: &[Input], opts: &Options, files: &dyn SideFiles) -> Outcome {
    let mut cx = Cx {
        project: opts.project.clone(),
        ..Cx::default()
    };
    let ids: Vec<FileId> = inputs
        .iter()
        .map(|i| cx.sources.add(i.name.clone(), i.text.clone()))
        .collect();
    // Compose first: Caddy upstreams that name a compose service become
    // routes to its app; zones next, so routes know which hosts they cover.
    let order = |f: &Format| match f {
        Format::Compose => 0,
        Format::Nomad => 1,
        Format::Zone { .. } => 2,
        Format::Caddyfile => 3,
        Format::Nginx => 4,
    };
    let mut idx: Vec<usize> = (0..inputs.len()).collect();
    idx.sort_by_key(|&i| order(&inputs[i].format));
    for i in idx {
        let (input, id) = (&inputs[i], ids[i]);
        match &input.format {
            Format::Caddyfile => caddy_sites::import(&mut cx, id, &input.text),
            Format::Compose => compose::import(&mut cx, id, &input.text, &input.name, files),
            Format::Nomad => nomad::import(&mut cx, id, &input.text),
            Format::Nginx => nginx::import(&mut cx, id, &input.text),
            Format::Zone { origin } => zone::import(&mut cx, id, &input.text, origin),
        }
    }
    compose::check_edge_ports(&mut cx);
    finish(cx, inputs, opts)
}

fn finish(mut cx: Cx, inputs: &[Input], opts: &Options) -> Outcome {
    let mut blocks = Vec::new();
    let count = |kind: &str, n: usize, s: &mut Summary| {
        if n > 0 {
            *s.imported.entry(kind.to_string()).or_default() += n;
        }
    };
    let mut project = Block::new("project", Some(&opts.project));
    project.attrs = cx.project_attrs.clone();
    project.comment("Imported by `eosc import`; review every comment marked TODO.");
    blocks.push(project);
    for m in &cx.std_imports {
        let mut b = Block::new("import", None);
        b.labels = vec![m.clone()];
        blocks.push(b);
    }
    blocks.extend(cx.variables.values().cloned());
    let mut env = Block::new("environment", Some("production"));
    env.comment("The imported sources describe one deployment.");
    blocks.push(env);
    let mut summary = std::mem::take(&mut cx.summary);
    count("variable", cx.variables.len(), &mut summary);
    count("secret", cx.secrets.len(), &mut summary);
    count("server", cx.servers.len(), &mut summary);
    count("app", cx.apps.len(), &mut summary);
    count("upstream", cx.upstreams.len(), &mut summary);
    count("middleware", cx.middlewares.len(), &mut summary);
    count("route", cx.routes.len(), &mut summary);
    count("stream", cx.streams.len(), &mut summary);
    count("dns zone", cx.dns.len(), &mut summary);
    blocks.extend(cx.secrets.values().cloned());
    blocks.extend(cx.servers.values().cloned());
    blocks.extend(cx.apps.values().cloned());
    blocks.extend(cx.upstreams.values().cloned());
    blocks.extend(cx.middlewares.values().cloned());
    blocks.extend(cx.routes.iter().cloned());
    blocks.extend(cx.streams.values().cloned());
    blocks.extend(cx.dns.values().cloned());
    let mut header = vec!["hecate spec imported by `eosc import` from:".to_string()];
    for i in inputs {
        let kind = match &i.format {
            Format::Caddyfile => "Caddyfile".to_string(),
            Format::Compose => "docker-compose".to_string(),
            Format::Nomad => "Nomad job".to_string(),
            Format::Nginx => "nginx".to_string(),
            Format::Zone { origin } => format!("zone {origin}"),
        };
        header.push(format!("  {} ({kind})", i.name));
    }
    header.push(summary.line());
    let spec = match writer::render(&header, &blocks) {
        Ok(s) => s,
        Err(e) => {
            // Never expected; reported rather than hidden.
            let span = Span::new(FileId(0), 0, 0);
            cx.diags.push(
                Diagnostic::error(
                    Code::E0602,
                    span,
                    "the imported spec could not be formatted",
                )
                .help(e.lines().next().unwrap_or_default().to_string()),
            );
            summary.errors += 1;
            e
        }
    };
    let mut diagnostics = cx.diags;
    crate::diagnostics::sort(&mut diagnostics);
    Outcome {
        spec,
        sources: cx.sources,
        diagnostics,
        summary,
    }
}
