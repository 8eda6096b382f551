//! Typed attribute access: each getter evaluates an attribute, checks its
//! type and range, and reports E03xx with a help line when it is wrong.
//! `None` means absent or already reported.

use super::eval::{fmt_num, Cx, Reference, Val, V};
use super::schema::{Attr, Dflt, Ty};
use crate::diagnostics::Code;
use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Block, Body, ExprKind};
use indexmap::IndexMap;
use std::time::Duration;

impl<'a> Cx<'a> {
    /// The evaluated attribute; `null` counts as absent.
    pub fn get(&mut self, body: &Body, name: &str) -> Option<Val> {
        let a = body.attr(name)?;
        match self.eval(&a.value)? {
            Val { v: V::Null, .. } => None,
            v => Some(v),
        }
    }

    pub fn missing(&mut self, block: &Block, name: &str, example: &str) {
        self.err(
            Diagnostic::error(
                Code::E0206,
                block.head_span(),
                format!("{} is missing `{name}`", describe_block(block)),
            )
            .label(format!("needs `{name}`"))
            .help(format!("add `{name} = {example}`")),
        );
    }

    /// Reports a required attribute that is absent (E0206) or written as
    /// `null` (E0301): a required value has no "unset". True when reported.
    pub fn absent(&mut self, block: &Block, name: &str, example: &str) -> bool {
        match block.body.attr(name) {
            None => {
                self.missing(block, name, example);
                true
            }
            Some(a) if matches!(a.value.kind, ExprKind::Null) => {
                self.err(
                    Diagnostic::error(
                        Code::E0301,
                        a.value.span,
                        format!("`{name}` is required and cannot be null"),
                    )
                    .label("null")
                    .help(format!("write `{name} = {example}`")),
                );
                true
            }
            Some(_) => false,
        }
    }

    pub fn type_error(&mut self, v: &Val, expected: &str) {
        let mut help = match expected {
            "a duration" => "write a duration literal such as `30s`, `5m` or `1h30m`".to_string(),
            "a size" => "write a size literal such as `256MiB` or `1GiB`".to_string(),
            "a percent" => "write a percent literal such as `25%`".to_string(),
            "a string" => "write a quoted string: `\"text\"`".to_string(),
            _ => format!("write {expected} here"),
        };
        if let V::Str(s) = &v.v {
            if let Some(lit) = crate::syntax::classify_literal(s) {
                if lit != "number" {
                    self.err(
                        Diagnostic::error(
                            Code::E0302,
                            v.span,
                            format!("expected {expected}, found a string"),
                        )
                        .label("quoted")
                        .help(format!("{lit}s are literals: write {s}, not \"{s}\"")),
                    );
                    return;
                }
            }
        }
        if matches!(v.v, V::Ref(_)) {
            help = format!("expected {expected} here, not a reference");
        }
        self.err(
            Diagnostic::error(
                Code::E0301,
                v.span,
                format!("expected {expected}, found {}", v.v.describe()),
            )
            .label("wrong type")
            .help(help),
        );
    }

    pub fn range_error(&mut self, span: Span, what: &str, value: String, range: &str) {
        self.err(
            Diagnostic::error(Code::E0303, span, format!("{what} {value} is out of range"))
                .label(format!("must be {range}"))
                .help(format!("use a value {range}")),
        );
    }

    pub fn string(&mut self, body: &Body, name: &str) -> Option<(String, Span)> {
        let v = self.get(body, name)?;
        self.as_string(&v).map(|s| (s, v.span))
    }

    pub fn as_string(&mut self, v: &Val) -> Option<String> {
        match &v.v {
            V::Str(s) => {
                if let Some(c) = s.chars().find(|c| *c == '\0') {
                    self.err(
                        Diagnostic::error(Code::E0312, v.span, "a string contains a NUL character")
                            .label(format!("{:?} cannot be written safely to every target", c))
                            .help("remove the NUL character"),
                    );
                    return None;
                }
                Some(s.clone())
            }
            _ => {
                self.type_error(v, "a string");
                None
            }
        }
    }

    pub fn req_string(
        &mut self,
        block: &Block,
        name: &str,
        example: &str,
    ) -> Option<(String, Span)> {
        if self.absent(block, name, example) {
            return None;
        }
        self.string(&block.body, name)
    }

    /// A string that must be one of `options`.
    pub fn choice(&mut self, body: &Body, name: &str, options: &[&str]) -> Option<(String, Span)> {
        let (s, span) = self.string(body, name)?;
        if options.contains(&s.as_str()) {
            return Some((s, span));
        }
        self.err(
            Diagnostic::error(Code::E0306, span, format!("`{s}` is not a valid {name}"))
                .label("unknown value")
                .help(
                    suggestion_help(&s, options, "value")
                        .replace("valid values", &format!("valid {name} values")),
                ),
        );
        None
    }

    pub fn bool(&mut self, body: &Body, name: &str) -> Option<bool> {
        let v = self.get(body, name)?;
        match v.v {
            V::Bool(b) => Some(b),
            _ => {
                self.type_error(&v, "a bool (`true` or `false`)");
                None
            }
        }
    }

    /// A whole number in `min..=max`.
    pub fn int(&mut self, body: &Body, name: &str, min: i64, max: i64) -> Option<(i64, Span)> {
        let v = self.get(body, name)?;
        self.as_int(&v, name, min, max).map(|n| (n, v.span))
    }

    pub fn as_int(&mut self, v: &Val, what: &str, min: i64, max: i64) -> Option<i64> {
        match v.v {
            V::Num(n) if n.fract() == 0.0 => {
                if n < min as f64 || n > max as f64 {
                    let range = if max == i64::MAX {
                        format!("≥ {min}")
                    } else {
                        format!("in {min}..={max}")
                    };
                    self.range_error(v.span, what, fmt_num(n), &range);
                    return None;
                }
                Some(n as i64)
            }
            V::Num(n) => {
                self.err(
                    Diagnostic::error(
                        Code::E0301,
                        v.span,
                        format!("expected a whole number, found {}", fmt_num(n)),
                    )
                    .label("not an integer")
                    .help(format!("`{what}` counts whole units")),
                );
                None
            }
            _ => {
                self.type_error(v, "a number");
                None
            }
        }
    }

    pub fn port(&mut self, body: &Body, name: &str) -> Option<u16> {
        self.int(body, name, 1, 65535).map(|(n, _)| n as u16)
    }

    pub fn duration(&mut self, body: &Body, name: &str) -> Option<Duration> {
        let v = self.get(body, name)?;
        match v.v {
            V::Dur(d) => Some(d),
            _ => {
                self.type_error(&v, "a duration");
                None
            }
        }
    }

    pub fn size(&mut self, body: &Body, name: &str) -> Option<(u64, Span)> {
        let v = self.get(body, name)?;
        match v.v {
            V::Size(s) => Some((s, v.span)),
            _ => {
                self.type_error(&v, "a size");
                None
            }
        }
    }

    pub fn percent(&mut self, body: &Body, name: &str) -> Option<(f64, Span)> {
        let v = self.get(body, name)?;
        match v.v {
            V::Pct(p) if (0.0..=100.0).contains(&p) => Some((p, v.span)),
            V::Pct(p) => {
                self.err(
                    Diagnostic::error(
                        Code::E0304,
                        v.span,
                        format!("{}% is not a percentage", fmt_num(p)),
                    )
                    .label("must be 0% to 100%")
                    .help("a percent is between 0% and 100%"),
                );
                None
            }
            _ => {
                self.type_error(&v, "a percent");
                None
            }
        }
    }

    pub fn list(&mut self, body: &Body, name: &str) -> Option<Vec<Val>> {
        let v = self.get(body, name)?;
        match v.v {
            V::List(items) => Some(items),
            _ => {
                self.type_error(&v, "a list");
                None
            }
        }
    }

    pub fn strings(&mut self, body: &Body, name: &str) -> Vec<(String, Span)> {
        let items = self.list(body, name).unwrap_or_default();
        items
            .iter()
            .filter_map(|v| self.as_string(v).map(|s| (s, v.span)))
            .collect()
    }

    pub fn object(&mut self, body: &Body, name: &str) -> Vec<(crate::syntax::ast::Ident, Val)> {
        let Some(v) = self.get(body, name) else {
            return Vec::new();
        };
        match v.v {
            V::Obj(entries) => entries,
            _ => {
                self.type_error(&v, "an object (`{ KEY = \"value\" }`)");
                Vec::new()
            }
        }
    }

    pub fn string_map(&mut self, body: &Body, name: &str) -> IndexMap<String, (String, Span)> {
        self.keyed_string_map(body, name)
            .into_iter()
            .map(|(k, (v, span, _))| (k, (v, span)))
            .collect()
    }

    /// [`Self::string_map`] that also gives each key's span, for problems
    /// with the key rather than the value.
    pub fn keyed_string_map(
        &mut self,
        body: &Body,
        name: &str,
    ) -> IndexMap<String, (String, Span, Span)> {
        let mut out = IndexMap::new();
        for (k, v) in self.object(body, name) {
            let s = match &v.v {
                V::Num(n) => Some(fmt_num(*n)),
                V::Bool(b) => Some(b.to_string()),
                _ => self.as_string(&v),
            };
            if let Some(s) = s {
                out.insert(k.name, (s, v.span, k.span));
            }
        }
        out
    }

    /// A reference to an entity of one of `kinds`.
    pub fn as_ref(&mut self, v: &Val, kinds: &[&str], what: &str) -> Option<Reference> {
        match &v.v {
            V::Ref(r) if kinds.contains(&r.kind.as_str()) => Some(r.clone()),
            V::Ref(r) => {
                let want: Vec<String> = kinds.iter().map(|k| format!("`{k}.<name>`")).collect();
                self.err(
                    Diagnostic::error(
                        Code::E0307,
                        v.span,
                        format!("{what} cannot be {} `{}`", r.kind, r.name),
                    )
                    .label(crate::diagnostics::with_article(&r.kind))
                    .help(format!("{what} must be {}", want.join(" or "))),
                );
                None
            }
            // A string where a secret reference belongs is likely the
            // secret's value itself: never echo it into the diagnostic.
            V::Str(_) if kinds == ["secret"] => {
                self.type_error(
                    v,
                    "`secret.<name>` (a reference to a `secret` block, not the value)",
                );
                None
            }
            // `promote_from = "staging"`: name the reference it meant.
            V::Str(s)
                if kinds.len() == 1
                    && super::resolve::check_name(kinds[0], v.span, s).is_none() =>
            {
                self.type_error(
                    v,
                    &format!("`{}.{s}` (a reference, without quotes)", kinds[0]),
                );
                None
            }
            _ => {
                let want: Vec<String> = kinds.iter().map(|k| format!("`{k}.<name>`")).collect();
                self.type_error(v, &format!("a reference ({})", want.join(" or ")));
                None
            }
        }
    }

    pub fn reference(
        &mut self,
        body: &Body,
        name: &str,
        kinds: &[&str],
    ) -> Option<(Reference, Span)> {
        let v = self.get(body, name)?;
        let what = format!("`{name}`");
        self.as_ref(&v, kinds, &what).map(|r| (r, v.span))
    }

    pub fn references(
        &mut self,
        body: &Body,
        name: &str,
        kinds: &[&str],
    ) -> Vec<(Reference, Span)> {
        let items = self.list(body, name).unwrap_or_default();
        let what = format!("an item of `{name}`");
        items
            .iter()
            .filter_map(|v| self.as_ref(v, kinds, &what).map(|r| (r, v.span)))
            .collect()
    }

    /// A reference that must name the entity itself, not a part of it.
    pub fn plain_ref(&mut self, r: &Reference, span: Span) -> bool {
        if let Some(extra) = r.rest.first() {
            self.err(
                Diagnostic::error(
                    Code::E0203,
                    extra.span,
                    format!("{} `{}` has no part `{}` here", r.kind, r.name, extra.name),
                )
                .label("unexpected")
                .help(format!("write `{}.{}`", r.kind, r.name))
                .with_secondary(span, ""),
            );
            return false;
        }
        true
    }
}

/// Reads through a schema row: the type, range and default come from the
/// table (`sema::schema`), not from the call site.
impl Cx<'_> {
    /// A whole number in the row's range, else the row's default.
    pub fn int_of(&mut self, body: &Body, a: &Attr) -> Option<i64> {
        let (min, max) = match a.ty {
            Ty::Int { min, max, .. } => (min, max),
            Ty::Port => (1, 65535),
            _ => (i64::MIN, i64::MAX),
        };
        self.int(body, a.name, min, max)
            .map(|n| n.0)
            .or(match a.default {
                Dflt::Int(n) => Some(n),
                _ => None,
            })
    }

    /// A duration, else the row's default.
    pub fn duration_of(&mut self, body: &Body, a: &Attr) -> Option<Duration> {
        self.duration(body, a.name).or(match a.default {
            Dflt::Dur(ms) => Some(Duration::from_millis(ms)),
            _ => None,
        })
    }

    /// A bool, else the row's default (`false` without one).
    pub fn bool_of(&mut self, body: &Body, a: &Attr) -> bool {
        self.bool(body, a.name).unwrap_or(match a.default {
            Dflt::Bool(b) => b,
            _ => false,
        })
    }

    /// One of the row's choices.
    pub fn choice_of(&mut self, body: &Body, a: &Attr) -> Option<(String, Span)> {
        let options: &[&str] = match a.ty {
            Ty::Choice(o) => o,
            _ => &[],
        };
        self.choice(body, a.name, options)
    }

    /// E0206/E0301 when a required row is absent or null, with its example.
    pub fn absent_of(&mut self, block: &Block, a: &Attr) -> bool {
        self.absent(block, a.name, a.example())
    }
}

pub fn describe_block(b: &Block) -> String {
    match b.labels.first() {
        Some(l) => format!("{} \"{}\"", b.kind.name, l.name),
        None => b.kind.name.clone(),
    }
}
