//! Every string field against its lexical class: for each block of the
//! spec, each attribute, label, list item, map key and value whose schema
//! row (`sema::schema`) gives a `StrClass`, the value as evaluated in this
//! environment must satisfy `lexical::problem`. A field's own check
//! (types, routing, value_rules, …) runs first and says more; this pass
//! reports only where no error already covers the value, so every class
//! is enforced on every field even where no dedicated rule exists.

use super::eval::{Cx, Val, V};
use super::lexical;
use super::schema::{self, Attr, Label, Schema, StrClass, Ty};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::Block;

/// Runs after the environment's checks, on `cx`'s diagnostics so far.
pub fn check(cx: &mut Cx<'_>) {
    let syms = cx.syms;
    let mut blocks: Vec<&Block> = Vec::new();
    for kind in schema::KINDS {
        if *kind == "route" {
            blocks.extend(syms.routes.iter().copied());
        } else {
            blocks.extend(syms.of(kind).map(|(_, b)| *b));
        }
    }
    for b in blocks {
        if let Some(s) = schema::top(&b.kind.name) {
            block(cx, b, s);
        }
    }
}

fn block(cx: &mut Cx<'_>, b: &Block, s: &'static Schema) {
    if let (Label::One(class), Some(l)) = (s.label, b.labels.first()) {
        field(cx, s, "", class, &l.name, l.span);
    }
    // An environment's `vars` are evaluated without variables; the other
    // blocks with this environment's.
    let setting = cx.setting_vars;
    cx.setting_vars = s.kind == "environment";
    for a in &b.body.attributes {
        let Some(row) = s.attr(&a.name.name) else {
            continue;
        };
        // Evaluated again only to read it: what evaluation reports was
        // reported when the field was checked.
        let n = cx.diags.len();
        let v = cx.eval(&a.value);
        cx.diags.truncate(n);
        if let Some(v) = v {
            value(cx, s, row, &row.ty, &v);
        }
    }
    cx.setting_vars = setting;
    for nested in &b.body.blocks {
        if let Some(ns) = s.block(&nested.kind.name) {
            block(cx, nested, ns);
        }
    }
}

fn value(cx: &mut Cx<'_>, s: &Schema, row: &Attr, ty: &Ty, v: &Val) {
    match (ty, &v.v) {
        (Ty::Str(c) | Ty::Scalar(c), V::Str(x)) => field(cx, s, row.name, *c, x, v.span),
        (Ty::RecordValue, V::Str(x)) => field(cx, s, row.name, StrClass::ZoneRdata, x, v.span),
        (Ty::List(inner), V::List(items)) => {
            for i in items {
                value(cx, s, row, inner, i);
            }
        }
        (Ty::Map { key, value: inner }, V::Obj(entries)) => {
            for (k, x) in entries {
                field(cx, s, row.name, *key, &k.name, k.span);
                value(cx, s, row, inner, x);
            }
        }
        (Ty::Fields(fields), V::Obj(entries)) => {
            for (k, x) in entries {
                if let Some(f) = fields.iter().find(|f| f.name == k.name) {
                    value(cx, s, f, &f.ty, x);
                }
            }
        }
        _ => {}
    }
}

fn field(cx: &mut Cx<'_>, s: &Schema, attr: &str, class: StrClass, text: &str, span: Span) {
    let Some(why) = lexical::problem(class, text) else {
        return;
    };
    let covered = cx.diags.iter().any(|d| {
        d.is_error()
            && d.primary.span.file == span.file
            && d.primary.span.start < span.end.max(span.start + 1)
            && span.start < d.primary.span.end.max(d.primary.span.start + 1)
    });
    if covered {
        return;
    }
    let what = if attr.is_empty() {
        format!("the label of {}", s.what)
    } else {
        format!("`{attr}` of {}", s.what)
    };
    // The value is not echoed: it may be a secret written in the wrong place.
    cx.err(
        Diagnostic::error(Code::E0312, span, format!("{what} is not {}", class.doc()))
            .label(why)
            .help(format!(
                "write {} here, such as {}",
                class.doc(),
                lexical::example(class)
            )),
    );
}
