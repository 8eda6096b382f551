//! Evaluation of expressions for one environment, and typed access to the
//! attributes of a block. `var.x`, `env.name` and `project.<attr>` are
//! constants here; references to entities stay references.

use super::resolve::{Symbols, KINDS};
use super::schema::{unsupported, Schema};
use crate::diagnostics::Code;
use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Block, Expr, ExprKind, Ident, StrPart};
use indexmap::IndexMap;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Dur(Duration),
    Size(u64),
    Pct(f64),
    List(Vec<Val>),
    Obj(Vec<(Ident, Val)>),
    Ref(Reference),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Val {
    pub v: V,
    pub span: Span,
}

/// `app.helen.port.http` → kind `app`, name `helen`, rest `[port, http]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub kind: String,
    pub name: String,
    pub rest: Vec<Ident>,
}

impl Reference {
    pub fn path(&self) -> String {
        let mut s = format!("{}.{}", self.kind, self.name);
        for r in &self.rest {
            s.push('.');
            s.push_str(&r.name);
        }
        s
    }
}

impl V {
    pub fn describe(&self) -> String {
        match self {
            V::Str(_) => "a string".into(),
            V::Num(_) => "a number".into(),
            V::Bool(_) => "a bool".into(),
            V::Null => "null".into(),
            V::Dur(_) => "a duration".into(),
            V::Size(_) => "a size".into(),
            V::Pct(_) => "a percent".into(),
            V::List(_) => "a list".into(),
            V::Obj(_) => "an object".into(),
            V::Ref(r) => format!("a reference to {} `{}`", r.kind, r.name),
        }
    }
}

pub struct Cx<'a> {
    pub syms: &'a Symbols<'a>,
    pub env: &'a str,
    pub vars: IndexMap<String, Val>,
    pub diags: Vec<Diagnostic>,
    /// Set while an environment's `vars` are evaluated: variables get their
    /// values from there, so `var.*` has none yet.
    pub setting_vars: bool,
    /// The variable whose `default` is being evaluated: it may refer only
    /// to variables declared before it (they are evaluated in order).
    pub default_of: Option<String>,
    depth: usize,
}

const ROOTS: &[&str] = &["var", "env", "project"];

impl<'a> Cx<'a> {
    /// E0220 when the default being evaluated refers to its own variable
    /// or one declared after it: that one has no value yet, and the
    /// default would silently be missing.
    fn later_variable(&mut self, name: &Ident, span: Span) {
        let Some(current) = self.default_of.clone() else {
            return;
        };
        let order: Vec<&str> = self.syms.names("variable");
        let (Some(at), Some(target)) = (
            order.iter().position(|n| *n == current),
            order.iter().position(|n| *n == name.name),
        ) else {
            return;
        };
        if target < at {
            return;
        }
        let mut d = Diagnostic::error(
            Code::E0220,
            span,
            if target == at {
                format!("the default of variable `{current}` refers to itself")
            } else {
                format!(
                    "the default of variable `{current}` refers to `var.{}`, declared after it",
                    name.name
                )
            },
        )
        .label("no value yet");
        if target != at {
            if let Some(b) = self.syms.get("variable", &name.name) {
                d = d.with_secondary(
                    b.labels[0].span,
                    format!("`{}` is declared here", name.name),
                );
            }
        }
        self.err(d.help(if target == at {
            "write the default value itself, or refer to an earlier variable".to_string()
        } else {
            format!(
                "variables are evaluated in order: move `variable \"{}\"` above `variable \"{current}\"`",
                name.name
            )
        }));
    }

    pub fn new(syms: &'a Symbols<'a>, env: &'a str) -> Self {
        Cx {
            syms,
            env,
            vars: IndexMap::new(),
            diags: Vec::new(),
            setting_vars: false,
            default_of: None,
            depth: 0,
        }
    }

    pub fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn eval(&mut self, e: &Expr) -> Option<Val> {
        let v = match &e.kind {
            ExprKind::Str(parts) => V::Str(self.interpolate(parts)?),
            ExprKind::Number(n) => V::Num(*n),
            ExprKind::Bool(b) => V::Bool(*b),
            ExprKind::Null => V::Null,
            ExprKind::Duration(d) => V::Dur(*d),
            ExprKind::Size(s) => V::Size(*s),
            ExprKind::Percent(p) => V::Pct(*p),
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for i in items {
                    match self.eval(i) {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                V::List(out)
            }
            ExprKind::Object(entries) => {
                let mut out: Vec<(Ident, Val)> = Vec::with_capacity(entries.len());
                let mut ok = true;
                for (k, v) in entries {
                    if let Some((prev, _)) = out.iter().find(|(p, _)| p.name == k.name) {
                        self.err(
                            Diagnostic::error(
                                Code::E0205,
                                k.span,
                                format!("key `{}` appears twice", k.name),
                            )
                            .label("duplicate key")
                            .with_secondary(prev.span, "first here")
                            .help("remove one of them"),
                        );
                        ok = false;
                        continue;
                    }
                    match self.eval(v) {
                        Some(val) => out.push((k.clone(), val)),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                V::Obj(out)
            }
            ExprKind::Ref(path) => return self.resolve_ref(path, e.span),
        };
        Some(Val { v, span: e.span })
    }

    fn interpolate(&mut self, parts: &[StrPart]) -> Option<String> {
        let mut s = String::new();
        let mut ok = true;
        for p in parts {
            match p {
                StrPart::Lit(l) => s.push_str(l),
                StrPart::Interp(e) => match self.eval(e) {
                    Some(Val { v: V::Str(x), .. }) => s.push_str(&x),
                    Some(Val { v: V::Num(n), .. }) => s.push_str(&fmt_num(n)),
                    Some(Val { v: V::Bool(b), .. }) => s.push_str(if b { "true" } else { "false" }),
                    Some(other) => {
                        let help = if matches!(other.v, V::Ref(_)) {
                            "only values known at compile time (`var.x`, `env.name`, `project.x`) can be interpolated; an entity's address is known only to Terraform or Consul at deploy time"
                        } else {
                            "interpolate strings, numbers or bools"
                        };
                        self.err(
                            Diagnostic::error(
                                Code::E0311,
                                e.span,
                                format!("cannot interpolate {}", other.v.describe()),
                            )
                            .label("not a compile-time string")
                            .help(help),
                        );
                        ok = false;
                    }
                    None => ok = false,
                },
            }
        }
        ok.then_some(s)
    }

    fn resolve_ref(&mut self, path: &[Ident], span: Span) -> Option<Val> {
        let root = &path[0];
        let unknown = |cx: &mut Self, what: &Ident, msg: String, help: String| {
            cx.err(
                Diagnostic::error(Code::E0203, what.span, msg)
                    .label("not defined")
                    .help(help),
            );
            None
        };
        match root.name.as_str() {
            "var" => {
                let Some(name) = path.get(1) else {
                    return self.incomplete(span, "var.<name>");
                };
                if self.setting_vars {
                    self.err(
                        Diagnostic::error(
                            Code::E0308,
                            span,
                            format!(
                                "the `vars` of environment `{}` refer to `var.{}`",
                                self.env, name.name
                            ),
                        )
                        .label("variables have no values yet here")
                        .help("write the value itself; `vars` is where variables get their values"),
                    );
                    return None;
                }
                match self.vars.get(&name.name) {
                    Some(v) => Some(Val {
                        v: v.v.clone(),
                        span,
                    }),
                    None => {
                        let names: Vec<String> = self
                            .syms
                            .names("variable")
                            .iter()
                            .map(|s| s.to_string())
                            .collect();
                        if names.contains(&name.name) {
                            self.later_variable(name, span);
                            // Otherwise declared but without a value here:
                            // reported at the environment.
                            return None;
                        }
                        let c: Vec<&str> = names.iter().map(String::as_str).collect();
                        unknown(
                            self,
                            name,
                            format!("unknown variable `{}`", name.name),
                            suggestion_help(&name.name, &c, "variable"),
                        )
                    }
                }
            }
            "env" => match path.get(1).map(|i| i.name.as_str()) {
                Some("name") if path.len() == 2 => Some(Val {
                    v: V::Str(self.env.to_string()),
                    span,
                }),
                Some(_) => unknown(
                    self,
                    &path[1],
                    format!("`env` has no attribute `{}`", path[1].name),
                    suggestion_help(&path[1].name, &["name"], "attribute"),
                ),
                None => self.incomplete(span, "env.name"),
            },
            "project" => {
                let Some(attr) = path.get(1) else {
                    return self.incomplete(span, "project.<attribute>");
                };
                let project = self.syms.of("project").next().map(|(_, b)| *b)?;
                let Some(a) = project.body.attr(&attr.name) else {
                    let c: Vec<&str> = project
                        .body
                        .attributes
                        .iter()
                        .map(|a| a.name.name.as_str())
                        .collect();
                    return unknown(
                        self,
                        attr,
                        format!("the project sets no `{}`", attr.name),
                        suggestion_help(&attr.name, &c, "project attribute"),
                    );
                };
                if self.depth > 4 {
                    self.err(
                        Diagnostic::error(
                            Code::E0401,
                            span,
                            "project attributes refer to each other in a cycle",
                        )
                        .label("cycle")
                        .help("give one of the attributes a literal value"),
                    );
                    return None;
                }
                self.depth += 1;
                let v = self.eval(&a.value);
                self.depth -= 1;
                v.map(|v| Val { v: v.v, span })
            }
            kind if KINDS.contains(&kind) && !matches!(kind, "project" | "variable" | "route") => {
                let Some(name) = path.get(1) else {
                    return self.incomplete(span, &format!("{kind}.<name>"));
                };
                if self.syms.get(kind, &name.name).is_none() {
                    let help = self.syms.unknown_help(kind, &name.name);
                    let msg = format!("no {kind} named `{}`", name.name);
                    return unknown(self, name, msg, help);
                }
                Some(Val {
                    v: V::Ref(Reference {
                        kind: kind.to_string(),
                        name: name.name.clone(),
                        rest: path[2..].to_vec(),
                    }),
                    span,
                })
            }
            _ => {
                let mut c: Vec<&str> = ROOTS.to_vec();
                c.extend(
                    KINDS
                        .iter()
                        .filter(|k| !matches!(**k, "project" | "variable" | "route")),
                );
                let mut d = Diagnostic::error(
                    Code::E0203,
                    root.span,
                    format!("unknown name `{}`", root.name),
                )
                .label("not defined")
                .help(suggestion_help(&root.name, &c, "reference root"));
                if path.len() == 1 {
                    d.help = format!(
                        "{}; a string is written in quotes: `\"{}\"`",
                        d.help, root.name
                    );
                }
                // Nomad's node attributes in a constraint, affinity or spread.
                if matches!(root.name.as_str(), "attr" | "node" | "meta") {
                    d.help = format!(
                        "{}; Nomad's own `${{{}.…}}` (a node attribute) is written `$${{{}.…}}` in eosc, so eosc does not read it as a reference",
                        d.help, root.name, root.name
                    );
                }
                self.err(d);
                None
            }
        }
    }

    fn incomplete(&mut self, span: Span, form: &str) -> Option<Val> {
        self.err(
            Diagnostic::error(Code::E0203, span, "incomplete reference")
                .label("names nothing")
                .help(format!("write `{form}`")),
        );
        None
    }
}

pub use crate::syntax::fmt_num;

/// E0202 for a Nomad or Caddy feature eosc leaves out on purpose: the
/// reason and the way instead, rather than a did-you-mean.
fn not_supported(span: Span, name: &str, what: &str, u: &unsupported::Unsupported) -> Diagnostic {
    Diagnostic::error(
        Code::E0202,
        span,
        format!("`{name}` is not supported in {what}"),
    )
    .label("not supported")
    .help(format!(
        "left out because it {}; instead, {} (docs/language.md, \"Not supported\")",
        u.why, u.instead
    ))
}

/// The attributes and nested blocks a block kind allows. Checking them up
/// front means every later lookup can trust the names it asks for.
/// The names come from the block's schema (`sema::schema`).
pub fn check_shape(cx: &mut Cx<'_>, block: &Block, schema: &Schema) {
    let what = schema.what;
    let attrs = &schema.attr_names()[..];
    let blocks = &schema.block_names()[..];
    let body = &block.body;
    for (i, a) in body.attributes.iter().enumerate() {
        if let Some(u) = unsupported::find(schema, &a.name.name) {
            cx.err(not_supported(a.name.span, &a.name.name, what, u));
        } else if !attrs.contains(&a.name.name.as_str()) {
            let mut d = Diagnostic::error(
                Code::E0202,
                a.name.span,
                format!("unknown attribute `{}` in {what}", a.name.name),
            )
            .label("unknown attribute")
            .help(suggestion_help(&a.name.name, attrs, "attribute"));
            if blocks.contains(&a.name.name.as_str()) {
                d.help = format!(
                    "`{}` is a block here: write `{} {{ … }}`",
                    a.name.name, a.name.name
                );
            }
            cx.err(d);
        } else if let Some(prev) = body.attributes[..i]
            .iter()
            .find(|p| p.name.name == a.name.name)
        {
            cx.err(
                Diagnostic::error(
                    Code::E0205,
                    a.name.span,
                    format!("attribute `{}` is set twice", a.name.name),
                )
                .label("second assignment")
                .with_secondary(prev.name.span, "first set here")
                .help("remove one of them"),
            );
        }
    }
    for b in &body.blocks {
        if let Some(u) = unsupported::find(schema, &b.kind.name) {
            cx.err(not_supported(b.kind.span, &b.kind.name, what, u));
        } else if !blocks.contains(&b.kind.name.as_str()) {
            let mut d = Diagnostic::error(
                Code::E0201,
                b.kind.span,
                format!("unknown block `{}` in {what}", b.kind.name),
            )
            .label("unknown block")
            .help(suggestion_help(&b.kind.name, blocks, "block"));
            if attrs.contains(&b.kind.name.as_str()) {
                d.help = format!(
                    "`{}` is an attribute here: write `{} = …`",
                    b.kind.name, b.kind.name
                );
            }
            if blocks.is_empty() {
                d.help = format!("{what} has no nested blocks");
            }
            cx.err(d);
        }
    }
}
