//! Edits of a spec's concrete syntax (`eosc route add`, `eosc app set`, …),
//! pure: from the loaded files' text and the AST's byte spans, the new text
//! of the files an edit touches. Everything outside the edited block is
//! kept byte for byte (comments, blank lines, order, layout); a file that
//! was in the canonical layout is formatted again after the edit, so the
//! result is what `eosc fmt` writes. Whether the edited spec still checks
//! is the caller's to decide (`lib::check` on the new text) — this module
//! never reads or writes a file.

pub mod query;
pub mod text;
pub mod value;

use crate::diagnostics::did_you_mean;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Block, Body, Expr, ExprKind, Module, StrPart};
use text::{Item, Splice};
pub use value::{NewBlock, Value};

/// The parsed files of a spec, in load order.
pub struct Spec<'a> {
    pub sources: &'a SourceMap,
    modules: Vec<Module>,
}

/// The new text of one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub file: FileId,
    pub text: String,
}

/// Why an edit was not made: a message, a help line and, for a referenced
/// entity, where each reference is.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub message: String,
    pub help: Option<String>,
    pub sites: Vec<(Span, String)>,
}

impl Refusal {
    fn new(message: impl Into<String>, help: Option<String>) -> Self {
        Refusal {
            message: message.into(),
            help,
            sites: Vec::new(),
        }
    }
}

/// Which block an edit is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Locator {
    /// A top-level `kind "name"` block (app, upstream, secret, auth,
    /// middleware, dns zone).
    Entity { kind: String, name: String },
    /// A route: its host, and its `path` (`None`: the route without one,
    /// or the host's only route).
    Route { host: String, path: Option<String> },
    /// A record of a zone: its name, and its type when several share it.
    Record {
        zone: String,
        name: String,
        rtype: Option<String>,
    },
    /// A nested block such as `task "server"` of an app.
    Nested {
        parent: Box<Locator>,
        kind: String,
        label: String,
    },
}

impl Locator {
    pub fn entity(kind: &str, name: &str) -> Self {
        Locator::Entity {
            kind: kind.to_string(),
            name: name.to_string(),
        }
    }
    /// `route "host"`, `record "www" of dns "example.com"`, for messages.
    pub fn describe(&self) -> String {
        match self {
            Locator::Entity { kind, name } => format!("{kind} \"{name}\""),
            Locator::Route { host, path: None } => format!("route \"{host}\""),
            Locator::Route {
                host,
                path: Some(p),
            } => format!("route \"{host}\" (path \"{p}\")"),
            Locator::Record { zone, name, rtype } => match rtype {
                Some(t) => format!("{t} record \"{name}\" of dns \"{zone}\""),
                None => format!("record \"{name}\" of dns \"{zone}\""),
            },
            Locator::Nested {
                parent,
                kind,
                label,
            } => format!("{kind} \"{label}\" of {}", parent.describe()),
        }
    }
}

/// A found block and the file holding it.
#[derive(Clone, Copy)]
struct Found<'m> {
    file: FileId,
    block: &'m Block,
    /// The body the block sits in (`None` at the top level).
    parent: Option<&'m Body>,
}

/// A string attribute's literal value (no interpolation).
fn literal(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Str(parts) => {
            let mut s = String::new();
            for p in parts {
                match p {
                    StrPart::Lit(l) => s.push_str(l),
                    StrPart::Interp(_) => return None,
                }
            }
            Some(s)
        }
        _ => None,
    }
}

fn label(b: &Block) -> &str {
    b.label().map_or("", |l| l.name.as_str())
}

/// Every item of a body (attributes and blocks) by position, as
/// `(start, end)`.
fn body_items(body: &Body) -> Vec<(usize, usize)> {
    let mut items: Vec<(usize, usize)> = body
        .attributes
        .iter()
        .map(|a| a.span)
        .chain(body.blocks.iter().map(|b| b.span))
        .map(|s| (s.start as usize, s.end as usize))
        .collect();
    items.sort_unstable();
    items
}

/// `span` as an [`Item`] among `siblings` (sorted spans, `span` one of them).
fn item_among(span: (usize, usize), siblings: &[(usize, usize)]) -> Item {
    let i = siblings.iter().position(|s| *s == span).unwrap_or(0);
    Item {
        start: span.0,
        end: span.1,
        prev_end: i.checked_sub(1).map(|p| siblings[p].1),
        next_start: siblings.get(i + 1).map(|n| n.0),
    }
}

/// One place a reference to an entity is written.
#[derive(Clone, Debug)]
pub struct Reference {
    pub span: Span,
    /// `route "cloud.example.com"`, `app "helen"`: the top-level block.
    pub holder: String,
    /// The attribute holding it (`to`, `middleware`).
    pub attr: String,
    /// What `--force` removes: `None` when it cannot be removed (inside a
    /// string's `${}` or a built-in module).
    removal: Option<(FileId, Item, bool)>,
}

impl<'a> Spec<'a> {
    /// Parses every file of `sources` again (the checker does not keep its
    /// AST); `Err` with the diagnostics if one does not parse.
    pub fn parse(sources: &'a SourceMap) -> Result<Self, Vec<crate::diagnostics::Diagnostic>> {
        let mut modules = Vec::new();
        for (id, f) in sources.files().filter(|(_, f)| !f.data) {
            modules.push(crate::syntax::parse(id, &f.text)?);
        }
        Ok(Spec { sources, modules })
    }

    fn builtin(&self, file: FileId) -> bool {
        crate::stdlib::get(&self.sources.get(file).name).is_some()
    }

    fn text(&self, file: FileId) -> &str {
        &self.sources.get(file).text
    }

    /// Top-level blocks of `kind`, with their files, in load order.
    fn top(&self, kind: &str) -> Vec<Found<'_>> {
        self.modules
            .iter()
            .flat_map(|m| {
                m.blocks
                    .iter()
                    .filter(move |b| b.kind.name == kind)
                    .map(move |b| Found {
                        file: m.file,
                        block: b,
                        parent: None,
                    })
            })
            .collect()
    }

    /// The names of the top-level blocks of `kind` (for did-you-mean and lists).
    pub fn names(&self, kind: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .top(kind)
            .iter()
            .map(|f| label(f.block).to_string())
            .collect();
        v.dedup();
        v
    }

    fn unknown(&self, what: &str, name: &str, candidates: &[String]) -> Refusal {
        let help = match did_you_mean(name, candidates.iter().map(String::as_str)) {
            Some(s) => Some(format!("did you mean `{s}`?")),
            None if candidates.is_empty() => Some(format!("the spec declares no {what}")),
            None => Some(format!(
                "the spec declares: {}",
                candidates
                    .iter()
                    .take(12)
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        Refusal::new(format!("no {what} `{name}` in the spec"), help)
    }

    fn find(&self, loc: &Locator) -> Result<Found<'_>, Refusal> {
        match loc {
            Locator::Entity { kind, name } => {
                let all = self.top(kind);
                all.iter()
                    .find(|f| label(f.block) == name)
                    .copied()
                    .ok_or_else(|| self.unknown(kind, name, &self.names(kind)))
            }
            Locator::Route { host, path } => {
                let all = self.top("route");
                let of_host: Vec<Found> = all
                    .iter()
                    .filter(|f| label(f.block).eq_ignore_ascii_case(host))
                    .copied()
                    .collect();
                if of_host.is_empty() {
                    return Err(self.unknown("route", host, &self.names("route")));
                }
                let path_of = |f: &Found| f.block.body.attr("path").and_then(|a| literal(&a.value));
                let chosen: Vec<Found> = match path {
                    Some(p) => of_host
                        .iter()
                        .filter(|f| path_of(f).as_deref() == Some(p.as_str()))
                        .copied()
                        .collect(),
                    None if of_host.len() == 1 => of_host.clone(),
                    None => of_host
                        .iter()
                        .filter(|f| f.block.body.attr("path").is_none())
                        .copied()
                        .collect(),
                };
                match chosen.as_slice() {
                    [one] => Ok(*one),
                    _ => {
                        let paths: Vec<String> = of_host
                            .iter()
                            .map(|f| match path_of(f) {
                                Some(p) => format!("--path '{p}'"),
                                None => "(no --path)".to_string(),
                            })
                            .collect();
                        Err(Refusal::new(
                            format!(
                                "{} does not name one route of host `{host}`",
                                loc.describe()
                            ),
                            Some(format!("its routes: {}", paths.join(", "))),
                        ))
                    }
                }
            }
            Locator::Record { zone, name, rtype } => {
                let z = self.find(&Locator::entity("dns", zone))?;
                let records: Vec<&Block> = z
                    .block
                    .body
                    .blocks_of("record")
                    .filter(|r| label(r) == name)
                    .collect();
                if records.is_empty() {
                    let names: Vec<String> = z
                        .block
                        .body
                        .blocks_of("record")
                        .map(|r| label(r).to_string())
                        .collect();
                    return Err(self.unknown(&format!("record of dns \"{zone}\""), name, &names));
                }
                let type_of = |r: &Block| r.body.attr("type").and_then(|a| literal(&a.value));
                let chosen: Vec<&Block> = records
                    .iter()
                    .filter(|r| {
                        rtype
                            .as_ref()
                            .is_none_or(|t| type_of(r).is_some_and(|x| x.eq_ignore_ascii_case(t)))
                    })
                    .copied()
                    .collect();
                match chosen.as_slice() {
                    [one] => Ok(Found {
                        file: z.file,
                        block: one,
                        parent: Some(&z.block.body),
                    }),
                    _ => {
                        let types: Vec<String> = records
                            .iter()
                            .map(|r| type_of(r).unwrap_or_else(|| "?".into()))
                            .collect();
                        Err(Refusal::new(
                            format!("{} does not name one record", loc.describe()),
                            Some(format!(
                                "records named `{name}` have the types {}; pass one --type",
                                types.join(", ")
                            )),
                        ))
                    }
                }
            }
            Locator::Nested {
                parent,
                kind,
                label: l,
            } => {
                let p = self.find(parent)?;
                let found = p
                    .block
                    .body
                    .blocks
                    .iter()
                    .find(|b| b.kind.name == *kind && label(b) == l)
                    .ok_or_else(|| {
                        let names: Vec<String> = p
                            .block
                            .body
                            .blocks_of(kind)
                            .map(|b| label(b).to_string())
                            .collect();
                        self.unknown(&format!("{kind} of {}", parent.describe()), l, &names)
                    })?;
                Ok(Found {
                    file: p.file,
                    block: found,
                    parent: Some(&p.block.body),
                })
            }
        }
    }

    fn editable(&self, f: &Found, loc: &Locator) -> Result<(), Refusal> {
        if self.builtin(f.file) {
            return Err(Refusal::new(
                format!(
                    "{} is defined in `{}`, which is built into eosc",
                    loc.describe(),
                    self.sources.get(f.file).name
                ),
                Some("declare your own block under another name instead".into()),
            ));
        }
        Ok(())
    }

    /// The span of `loc`'s block, for messages.
    pub fn locate(&self, loc: &Locator) -> Result<Span, Refusal> {
        self.find(loc).map(|f| f.block.head_span())
    }

    /// The text of one file after `splices`: formatted again if it was in
    /// the canonical layout before.
    fn finish(&self, file: FileId, splices: &[Splice]) -> Result<Edit, Refusal> {
        let old = self.text(file);
        let new = text::apply(old, splices);
        let was_clean = crate::syntax::format_source(file, old).is_ok_and(|f| f == old);
        let text = if was_clean {
            crate::syntax::format_source(file, &new).map_err(|d| {
                Refusal::new(
                    format!(
                        "the edited text of {} does not parse: {}",
                        self.sources.get(file).name,
                        d.first().map_or("", |d| d.message.as_str())
                    ),
                    None,
                )
            })?
        } else {
            new
        };
        Ok(Edit { file, text })
    }

    /// A new top-level block in the canonical layout (aligned `=`), so
    /// the inserted text is what `eosc fmt` writes even in a file that is
    /// not formatted as a whole.
    fn canonical(&self, file: FileId, text: String) -> String {
        crate::syntax::format_source(file, &text).unwrap_or(text)
    }

    /// Adds a top-level block after the last one of its kind (in that
    /// block's file), or at the end of the root file if there is none.
    pub fn add(&self, block: &NewBlock) -> Result<Edit, Refusal> {
        let bad = |e: String| Refusal::new(e, None);
        let anchor = self
            .top(&block.kind)
            .into_iter()
            .rfind(|f| !self.builtin(f.file));
        let (file, pos, insert) = match anchor {
            Some(a) => {
                let t = self.text(a.file);
                let end = a.block.span.end as usize;
                let pos = text::next_line(t, end);
                let one_line = !t[a.block.span.start as usize..end].contains('\n');
                let line_above = text::line_start(t, a.block.span.start as usize);
                let tight = one_line
                    && line_above > 0
                    && !t[text::line_start(t, line_above - 1)..line_above]
                        .trim()
                        .is_empty();
                let body = if one_line && block.blocks.is_empty() {
                    format!("{}\n", block.render_inline().map_err(bad)?)
                } else {
                    self.canonical(a.file, block.render(0).map_err(bad)?)
                };
                let lead = if pos == t.len() && !t.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                let gap = if tight { "" } else { "\n" };
                (a.file, pos, format!("{lead}{gap}{body}"))
            }
            None => {
                let root = self
                    .modules
                    .first()
                    .map(|m| m.file)
                    .ok_or_else(|| bad("the spec has no files".into()))?;
                let t = self.text(root);
                let lead = if t.is_empty() {
                    ""
                } else if t.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                };
                (
                    root,
                    t.len(),
                    format!(
                        "{lead}{}",
                        self.canonical(root, block.render(0).map_err(bad)?)
                    ),
                )
            }
        };
        self.finish(
            file,
            &[Splice {
                start: pos,
                end: pos,
                text: insert,
            }],
        )
    }

    /// Adds `block` inside the block `parent` (a record into a zone): after
    /// the last nested block of the same kind, on one line like it.
    pub fn add_nested(&self, parent: &Locator, block: &NewBlock) -> Result<Edit, Refusal> {
        let bad = |e: String| Refusal::new(e, None);
        let p = self.find(parent)?;
        self.editable(&p, parent)?;
        let t = self.text(p.file);
        let body = &p.block.body;
        let line = block.render_inline().map_err(bad)?;
        let splice = match body.blocks_of(&block.kind).last() {
            Some(last) if text::alone_after(t, last.span.end as usize) => {
                let pos = text::next_line(t, last.span.end as usize);
                let indent = text::indent_at(t, last.span.start as usize);
                Splice {
                    start: pos,
                    end: pos,
                    text: format!("{}{line}\n", " ".repeat(indent)),
                }
            }
            _ => {
                let open = body.span.start as usize;
                let close = body.span.end as usize - 1;
                if t[open..close].contains('\n') {
                    let indent = text::indent_at(t, p.block.span.start as usize) + 2;
                    let pos = text::next_line(t, open);
                    Splice {
                        start: pos,
                        end: pos,
                        text: format!("{}{line}\n", " ".repeat(indent)),
                    }
                } else if body.attributes.is_empty() && body.blocks.is_empty() {
                    Splice {
                        start: open,
                        end: close + 1,
                        text: format!("{{ {line} }}"),
                    }
                } else {
                    let end = body_items(body).last().map_or(open + 1, |i| i.1);
                    Splice {
                        start: end,
                        end,
                        text: format!(", {line}"),
                    }
                }
            }
        };
        self.finish(p.file, &[splice])
    }

    /// Sets (`Some`) or removes (`None`) attributes of the block `loc`:
    /// a value is replaced where it is written, a new attribute goes after
    /// the last one at its indentation.
    pub fn set(&self, loc: &Locator, attrs: &[(String, Option<Value>)]) -> Result<Edit, Refusal> {
        let f = self.find(loc)?;
        self.editable(&f, loc)?;
        let t = self.text(f.file);
        let body = &f.block.body;
        let items = body_items(body);
        let mut splices = Vec::new();
        let mut appended = String::new();
        for (name, value) in attrs {
            let existing = body.attr(name);
            match (existing, value) {
                (Some(a), Some(v)) => splices.push(Splice {
                    start: a.value.span.start as usize,
                    end: a.value.span.end as usize,
                    text: v.render().map_err(|e| Refusal::new(e, None))?,
                }),
                (Some(a), None) => {
                    let item = item_among((a.span.start as usize, a.span.end as usize), &items);
                    let (s, e) = text::removal(t, item, false);
                    splices.push(Splice {
                        start: s,
                        end: e,
                        text: String::new(),
                    });
                }
                (None, Some(v)) => {
                    let r = v.render().map_err(|e| Refusal::new(e, None))?;
                    appended.push_str(&format!("{name} = {r}\n"));
                }
                (None, None) => {}
            }
        }
        if !appended.is_empty() {
            splices.push(self.insert_attrs(t, f.block, &appended));
        }
        self.finish(f.file, &splices)
    }

    /// Appends `items` to the list attribute `name` of the block `loc`
    /// (`--add-middleware`, `--add-target`): after its last element, on a
    /// line of its own when the elements are written one per line; a missing
    /// attribute is set to the list.
    pub fn append(&self, loc: &Locator, name: &str, items: &[Value]) -> Result<Edit, Refusal> {
        let f = self.find(loc)?;
        self.editable(&f, loc)?;
        let bad = |e: String| Refusal::new(e, None);
        let rendered: Vec<String> = items
            .iter()
            .map(Value::render)
            .collect::<Result<_, _>>()
            .map_err(bad)?;
        let Some(attr) = f.block.body.attr(name) else {
            return self.set(
                loc,
                &[(name.to_string(), Some(Value::List(items.to_vec())))],
            );
        };
        let ExprKind::List(elems) = &attr.value.kind else {
            return Err(Refusal::new(
                format!("`{name}` of {} is not written as a list", loc.describe()),
                Some(format!("give the whole value instead (`--{name}`)")),
            ));
        };
        let t = self.text(f.file);
        let mut splices = Vec::new();
        match elems.last() {
            None => splices.push(Splice {
                start: attr.value.span.start as usize,
                end: attr.value.span.end as usize,
                text: format!("[{}]", rendered.join(", ")),
            }),
            Some(last) => {
                let end = last.span.end as usize;
                if text::alone_before(t, last.span.start as usize) && text::alone_after(t, end) {
                    let has_comma = t[end..].trim_start_matches([' ', '\t']).starts_with(',');
                    if !has_comma {
                        splices.push(Splice {
                            start: end,
                            end,
                            text: ",".into(),
                        });
                    }
                    let pad = " ".repeat(text::indent_at(t, last.span.start as usize));
                    let pos = text::next_line(t, end);
                    splices.push(Splice {
                        start: pos,
                        end: pos,
                        text: rendered.iter().map(|r| format!("{pad}{r},\n")).collect(),
                    });
                } else {
                    splices.push(Splice {
                        start: end,
                        end,
                        text: rendered.iter().map(|r| format!(", {r}")).collect(),
                    });
                }
            }
        }
        self.finish(f.file, &splices)
    }

    /// Where and how new `name = value` lines (`lines`, each ending in
    /// `\n`) go into a block's body.
    fn insert_attrs(&self, t: &str, block: &Block, lines: &str) -> Splice {
        let body = &block.body;
        let open = body.span.start as usize;
        let close = body.span.end as usize - 1;
        let multi = t[open..close].contains('\n');
        let last_attr = body.attributes.iter().map(|a| a.span).max_by_key(|s| s.end);
        if multi {
            let (pos, indent) = match last_attr {
                Some(s) if text::alone_after(t, s.end as usize) => (
                    text::next_line(t, s.end as usize),
                    text::indent_at(t, s.start as usize),
                ),
                _ => (
                    text::next_line(t, open),
                    text::indent_at(t, block.span.start as usize) + 2,
                ),
            };
            let pad = " ".repeat(indent);
            let text: String = lines.lines().map(|l| format!("{pad}{l}\n")).collect();
            return Splice {
                start: pos,
                end: pos,
                text,
            };
        }
        let inline: Vec<&str> = lines.lines().collect();
        match body_items(body).last() {
            None => Splice {
                start: open,
                end: close + 1,
                text: format!("{{ {} }}", inline.join(", ")),
            },
            Some(&(_, end)) => Splice {
                start: end,
                end,
                text: format!(", {}", inline.join(", ")),
            },
        }
    }

    /// Every reference to the entity `kind.name` (`app.helen`,
    /// `app.helen.port.http`, inside lists and objects and `${}`).
    pub fn references(&self, kind: &str, name: &str) -> Vec<Reference> {
        let mut out = Vec::new();
        for m in &self.modules {
            let builtin = self.builtin(m.file);
            for b in &m.blocks {
                let holder = format!("{} \"{}\"", b.kind.name, label(b));
                walk_block(b, None, kind, name, &holder, &mut |r: Reference| {
                    out.push(Reference {
                        removal: if builtin {
                            None
                        } else {
                            r.removal.map(|(_, i, c)| (m.file, i, c))
                        },
                        ..r
                    })
                });
            }
        }
        out
    }

    /// Removes the block `loc`. If it is a top-level entity something
    /// references, refuses with the references, or with `force` removes
    /// them too (a route whose `to` it is, a record whose `value` it is, an
    /// element of a list, an entry of an object, otherwise the attribute).
    pub fn remove(&self, loc: &Locator, force: bool) -> Result<Vec<Edit>, Refusal> {
        let f = self.find(loc)?;
        self.editable(&f, loc)?;
        let mut cuts: Vec<(FileId, (usize, usize))> = Vec::new();
        let t = self.text(f.file);
        let siblings = match f.parent {
            Some(p) => body_items(p),
            None => self
                .modules
                .iter()
                .find(|m| m.file == f.file)
                .map(|m| {
                    let mut v: Vec<(usize, usize)> = m
                        .blocks
                        .iter()
                        .map(|b| (b.span.start as usize, b.span.end as usize))
                        .collect();
                    v.sort_unstable();
                    v
                })
                .unwrap_or_default(),
        };
        let me = (f.block.span.start as usize, f.block.span.end as usize);
        cuts.push((f.file, text::removal(t, item_among(me, &siblings), true)));
        if let Locator::Entity { kind, name } = loc {
            let refs = self.references(kind, name);
            if !refs.is_empty() && !force {
                let mut r = Refusal::new(
                    format!(
                        "{} is still referenced ({} reference{})",
                        loc.describe(),
                        refs.len(),
                        if refs.len() == 1 { "" } else { "s" }
                    ),
                    Some("remove the references first, or pass --force to remove them too".into()),
                );
                r.sites = refs
                    .iter()
                    .map(|x| (x.span, format!("{} `{}`", x.holder, x.attr)))
                    .collect();
                return Err(r);
            }
            for x in &refs {
                let Some((file, item, comments)) = x.removal else {
                    let mut r = Refusal::new(
                        format!(
                            "{} is referenced where --force cannot remove it",
                            loc.describe()
                        ),
                        Some("edit that reference by hand".into()),
                    );
                    r.sites = vec![(x.span, format!("{} `{}`", x.holder, x.attr))];
                    return Err(r);
                };
                cuts.push((file, text::removal(self.text(file), item, comments)));
            }
        }
        // One cut inside another (a route removed and its `to`) is dropped.
        cuts.sort_by_key(|(f, (s, e))| (f.0, *s, std::cmp::Reverse(*e)));
        let mut kept: Vec<(FileId, (usize, usize))> = Vec::new();
        for c in cuts {
            if let Some(last) = kept.last() {
                if last.0 == c.0 && c.1 .0 < last.1 .1 {
                    continue;
                }
            }
            kept.push(c);
        }
        let mut edits = Vec::new();
        let mut files: Vec<FileId> = kept.iter().map(|c| c.0).collect();
        files.dedup();
        for file in files {
            let splices: Vec<Splice> = kept
                .iter()
                .filter(|c| c.0 == file)
                .map(|c| Splice {
                    start: c.1 .0,
                    end: c.1 .1,
                    text: String::new(),
                })
                .collect();
            edits.push(self.finish(file, &splices)?);
        }
        Ok(edits)
    }
}

/// The top-level or nested block a reference sits in, for `--force`: its
/// kind and its own removal.
#[derive(Clone, Copy)]
struct Owner<'m> {
    block: &'m Block,
    item: Item,
}

fn walk_block(
    b: &Block,
    parent: Option<&Body>,
    kind: &str,
    name: &str,
    holder: &str,
    emit: &mut dyn FnMut(Reference),
) {
    let me = (b.span.start as usize, b.span.end as usize);
    let siblings = parent.map(body_items).unwrap_or_else(|| vec![me]);
    let owner = Owner {
        block: b,
        item: item_among(me, &siblings),
    };
    let items = body_items(&b.body);
    for a in &b.body.attributes {
        let attr_item = item_among((a.span.start as usize, a.span.end as usize), &items);
        // A route without its `to`, a record without its `value`: the
        // whole block goes.
        let whole_block = matches!(
            (owner.block.kind.name.as_str(), a.name.name.as_str()),
            ("route", "to") | ("record", "value")
        );
        let own = if whole_block {
            (owner.item, true)
        } else {
            (attr_item, false)
        };
        walk_expr(&a.value, Some(own), kind, name, &mut |span, removal| {
            emit(Reference {
                span,
                holder: holder.to_string(),
                attr: a.name.name.clone(),
                removal: removal.map(|(i, c)| (span.file, i, c)),
            })
        });
    }
    for nb in &b.body.blocks {
        walk_block(nb, Some(&b.body), kind, name, holder, emit);
    }
}

/// Calls `found` for each reference to `kind.name` in `e`, with what
/// removes it (`whole`: the removal of the attribute or block holding `e`).
fn walk_expr(
    e: &Expr,
    whole: Option<(Item, bool)>,
    kind: &str,
    name: &str,
    found: &mut dyn FnMut(Span, Option<(Item, bool)>),
) {
    match &e.kind {
        ExprKind::Ref(path) if path.len() >= 2 && path[0].name == kind && path[1].name == name => {
            found(e.span, whole);
        }
        ExprKind::List(items) => {
            let spans: Vec<(usize, usize)> = items
                .iter()
                .map(|x| (x.span.start as usize, x.span.end as usize))
                .collect();
            for x in items {
                let item = item_among((x.span.start as usize, x.span.end as usize), &spans);
                walk_expr(x, Some((item, false)), kind, name, found);
            }
        }
        ExprKind::Object(entries) => {
            let spans: Vec<(usize, usize)> = entries
                .iter()
                .map(|(k, v)| (k.span.start as usize, v.span.end as usize))
                .collect();
            for (k, v) in entries {
                let item = item_among((k.span.start as usize, v.span.end as usize), &spans);
                walk_expr(v, Some((item, false)), kind, name, found);
            }
        }
        ExprKind::Str(parts) => {
            for p in parts {
                if let StrPart::Interp(x) = p {
                    walk_expr(x, None, kind, name, found);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_of(text: &str) -> SourceMap {
        let mut s = SourceMap::new();
        s.add("hecate.hcl", text);
        s
    }

    fn one(r: Result<Edit, Refusal>) -> String {
        r.unwrap_or_else(|r| panic!("{}", r.message)).text
    }

    #[test]
    fn set_in_a_one_line_body_and_in_an_empty_one() {
        let src = spec_of("upstream \"a\" { targets = [\"x:1\"] } # note\nsecret \"s\" {}\n");
        let spec = Spec::parse(&src).unwrap();
        let up = Locator::entity("upstream", "a");
        let t = one(spec.set(&up, &[("tls".into(), Some(Value::Bool(true)))]));
        assert_eq!(
            t,
            "upstream \"a\" { targets = [\"x:1\"], tls = true } # note\nsecret \"s\" {}\n"
        );
        let s = Locator::entity("secret", "s");
        let t = one(spec.set(&s, &[("vault".into(), Some(Value::Str("secret/s".into())))]));
        assert_eq!(t, "upstream \"a\" { targets = [\"x:1\"] } # note\nsecret \"s\" { vault = \"secret/s\" }\n");
    }

    #[test]
    fn append_to_lists_in_both_layouts() {
        let src = spec_of("route \"h\" {\n  middleware = [middleware.a]\n  x = [\n    \"p\",\n    \"q\" # last\n  ]\n  y = []\n}\n");
        let spec = Spec::parse(&src).unwrap();
        let loc = Locator::Route {
            host: "h".into(),
            path: None,
        };
        let t = one(spec.append(&loc, "middleware", &[Value::Ref("middleware.b".into())]));
        assert!(
            t.contains("middleware = [middleware.a, middleware.b]\n"),
            "{t}"
        );
        let t = one(spec.append(&loc, "x", &[Value::Str("r".into())]));
        assert!(t.contains("    \"q\", # last\n    \"r\",\n  ]"), "{t}");
        let t = one(spec.append(&loc, "y", &[Value::Int(1)]));
        assert!(
            t.contains("y          = [1]\n") || t.contains("y = [1]\n"),
            "{t}"
        );
        let t = one(spec.append(&loc, "z", &[Value::Int(1)]));
        assert!(t.contains("z = [1]\n"), "{t}");
    }

    #[test]
    fn a_file_not_in_the_canonical_layout_is_spliced_only() {
        // `a=1` is not fmt-clean: it stays as written, the new line is indented like its neighbour.
        let src = spec_of("app \"x\" {\n    a=1\n}\n");
        let spec = Spec::parse(&src).unwrap();
        let t = one(spec.set(
            &Locator::entity("app", "x"),
            &[("count".into(), Some(Value::Int(2)))],
        ));
        assert_eq!(t, "app \"x\" {\n    a=1\n    count = 2\n}\n");
    }

    #[test]
    fn a_record_goes_into_an_empty_zone_and_out_again() {
        let text = "dns \"example.com\" {\n  ttl = 300\n}\n";
        let src = spec_of(text);
        let spec = Spec::parse(&src).unwrap();
        let mut r = NewBlock::new("record", &["www"]);
        r.attrs.push(("type".into(), Value::Str("A".into())));
        let t = one(spec.add_nested(&Locator::entity("dns", "example.com"), &r));
        assert_eq!(
            t,
            "dns \"example.com\" {\n  record \"www\" { type = \"A\" }\n  ttl = 300\n}\n"
        );
        let src2 = spec_of(&t);
        let spec2 = Spec::parse(&src2).unwrap();
        let loc = Locator::Record {
            zone: "example.com".into(),
            name: "www".into(),
            rtype: None,
        };
        let edits = spec2.remove(&loc, false).unwrap();
        assert_eq!(edits[0].text, text);
    }

    #[test]
    fn references_in_interpolations_are_found_but_not_removable() {
        let src = spec_of(
            "project \"p\" { registry = \"r\" }\napp \"a\" { image = \"${project.registry}/a\" }\nupstream \"u\" { targets = [\"x:1\"] }\nroute \"h.example\" { to = upstream.u }\n",
        );
        let spec = Spec::parse(&src).unwrap();
        let refs = spec.references("upstream", "u");
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].holder, "route \"h.example\"");
        let edits = spec
            .remove(&Locator::entity("upstream", "u"), true)
            .unwrap();
        assert_eq!(
            edits[0].text,
            "project \"p\" { registry = \"r\" }\napp \"a\" { image = \"${project.registry}/a\" }\n"
        );
        // Inside `${}`: found, and `--force` cannot take it out.
        let refs = spec.references("project", "registry");
        assert_eq!(refs.len(), 1);
        assert!(refs[0].removal.is_none());
    }
}
