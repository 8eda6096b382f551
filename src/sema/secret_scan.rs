//! Every string literal of the spec, whatever field holds it, scanned for
//! secrets (issue 14: "the E05xx rules cover every string field that
//! reaches an artifact"). The checks in `secrets.rs` run on evaluated
//! values of env, args, command and variables, so a secret routed through
//! a variable is caught there; this scan covers every other field (labels,
//! headers, response bodies, redirects, credential ids, TXT records, …)
//! straight from the syntax tree, so it needs no per-field code and no new
//! field can escape it. Messages describe a value by its length and first
//! two characters at most.

use super::resolve::Symbols;
use super::secret_rules::{
    flag_takes_secret, glued_password, is_reference, name_is_hash, name_is_secret, redacted,
    url_password, value_finding, ValueFinding,
};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Block, Expr, ExprKind, StrPart};

/// Findings over every block but `secret` (whose fields are Vault paths
/// and key names, not values).
pub fn scan(syms: &Symbols<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The attributes that are objects of fixed fields, once.
    let fixed: Vec<&str> = super::schema::all()
        .iter()
        .flat_map(|(_, s)| s.attrs.iter())
        .filter(|a| matches!(a.ty, super::schema::Ty::Fields(_)))
        .map(|a| a.name)
        .collect();
    for (kind, blocks) in &syms.by_kind {
        if *kind == "secret" {
            continue;
        }
        for b in blocks.values() {
            block(b, &fixed, &mut out);
        }
    }
    for b in &syms.routes {
        block(b, &fixed, &mut out);
    }
    // A template's `source` file reaches the Nomad job as its text.
    for (file, text) in syms.data.values().flatten() {
        if let Some(f) = value_finding(text, false) {
            let span = Span::new(*file, 0, text.len());
            out.push(value_diag(f, span, text, "a template `source` file"));
        }
    }
    out
}

fn block(b: &Block, fixed: &[&str], out: &mut Vec<Diagnostic>) {
    for a in &b.body.attributes {
        // A map of credential ids (a pipeline's `credentials`) names
        // secrets kept elsewhere: its keys say so, its values are ids. An
        // object of fixed fields (`rate_limit = { key = … }`) has keys the
        // schema chose, which say nothing about the values.
        let keyed = a.name.name != "credentials" && !fixed.contains(&a.name.name.as_str());
        expr(&a.value, &a.name.name, keyed, out);
    }
    for nested in &b.body.blocks {
        block(nested, fixed, out);
    }
}

/// The literal text of a string, `${…}` parts as a blank (they are
/// checked where they are defined).
fn literal(e: &Expr) -> Option<String> {
    let ExprKind::Str(parts) = &e.kind else {
        return None;
    };
    let mut s = String::new();
    for p in parts {
        match p {
            StrPart::Lit(l) => s.push_str(l),
            StrPart::Interp(_) => s.push(' '),
        }
    }
    Some(s)
}

/// `name` is the attribute or object key the value sits under; `keyed`
/// says the name was chosen by the user (an object key), so it tells what
/// the value is.
fn expr(e: &Expr, name: &str, names_tell: bool, out: &mut Vec<Diagnostic>) {
    expr_in(e, name, false, names_tell, out)
}

/// `names_tell`: whether object keys under this attribute say what their
/// values are (false for maps of ids).
fn expr_in(e: &Expr, name: &str, keyed: bool, names_tell: bool, out: &mut Vec<Diagnostic>) {
    match &e.kind {
        ExprKind::Str(_) => {
            let Some(text) = literal(e) else { return };
            string(&text, e.span, name, keyed, out);
            let words: Vec<(String, Span)> = text
                .split_whitespace()
                .map(|w| (w.to_string(), e.span))
                .collect();
            if words.len() > 1 {
                flags(&words, out);
            }
        }
        ExprKind::List(items) => {
            let strs: Vec<(String, Span)> = items
                .iter()
                .filter_map(|i| literal(i).map(|t| (t, i.span)))
                .collect();
            flags(&strs, out);
            for i in items {
                expr_in(i, name, keyed, names_tell, out);
            }
        }
        ExprKind::Object(entries) => {
            for (k, v) in entries {
                if let Some(f) = value_finding(&k.name, false) {
                    out.push(value_diag(f, k.span, &k.name, "an object key"));
                }
                expr_in(v, &k.name, names_tell, names_tell, out);
            }
        }
        _ => {}
    }
}

fn string(text: &str, span: Span, name: &str, keyed: bool, out: &mut Vec<Diagnostic>) {
    if let Some(f) = value_finding(text, name_is_hash(name)) {
        out.push(value_diag(f, span, text, &format!("`{name}`")));
    } else if keyed
        && name_is_secret(name)
        && !text.trim().is_empty()
        && !is_reference(text.trim())
        && !text.starts_with('/')
    {
        out.push(
            Diagnostic::error(
                Code::E0501,
                span,
                format!("`{name}` looks like a secret but has a literal value"),
            )
            .label(format!("literal secret: {}", redacted(text)))
            .help(format!(
                "declare `secret \"{}\" {{ vault = \"secret/…\" }}` and reference it: in a task, `secrets = {{ {name} = secret.{} }}`",
                name.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
                name.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            )),
        );
    }
}

fn value_diag(f: ValueFinding, span: Span, value: &str, what: &str) -> Diagnostic {
    match f {
        ValueFinding::Pem => Diagnostic::error(Code::E0503, span, format!("a private key is written into {what}"))
            .label("`-----BEGIN …` block")
            .help("keys belong in Vault: declare `secret \"tls_key\" { vault = \"secret/tls/key\" }` and reference it"),
        ValueFinding::UrlPassword => {
            let pass = url_password(value).unwrap_or_default();
            Diagnostic::error(Code::E0505, span, format!("a URL in {what} carries a password"))
                .label(format!("password in the URL: {}", redacted(pass)))
                .help("write the URL without `user:password@` and pass the password from a `secret` (`secrets = { DB_PASSWORD = secret.db }`), or interpolate it at run time: `postgres://app:$${DB_PASSWORD}@db/app`")
        }
        ValueFinding::Token => Diagnostic::error(Code::E0504, span, format!("{what} holds a credential-looking value"))
            .label(format!("high-entropy literal ({} characters)", value.chars().count()))
            .help("store it in Vault, declare a `secret` and reference it from `secrets`; if it is not secret, split or rename it"),
    }
}

/// `--password=x`, `--requirepass x`, `-phunter2` in a list of arguments
/// or the words of a command line. `$NAME` and paths are not literals.
fn flags(items: &[(String, Span)], out: &mut Vec<Diagnostic>) {
    let literal = |v: &str| !v.is_empty() && !is_reference(v) && !v.starts_with(['/', '.', '$']);
    let mut i = 0;
    while i < items.len() {
        let (a, mut span) = (&items[i].0, items[i].1);
        i += 1;
        let found = if glued_password(a) {
            Some(("-p", &a[2..]))
        } else if let Some((flag, value)) = a.split_once('=') {
            (flag_takes_secret(flag) && literal(value)).then_some((flag, value))
        } else if a.len() > 2 && flag_takes_secret(a) {
            match items.get(i) {
                Some((next, at)) if !next.starts_with('-') && literal(next) => {
                    // Point at (and so mask) the value, not the flag.
                    span = *at;
                    i += 1;
                    Some((a.as_str(), next.as_str()))
                }
                _ => None,
            }
        } else {
            None
        };
        if let Some((flag, value)) = found {
            out.push(
                Diagnostic::error(
                    Code::E0502,
                    span,
                    format!("`{flag}` passes a secret on the command line"),
                )
                .label(format!("literal secret: {}", redacted(value)))
                .help(format!(
                    "declare a `secret`, add it to `secrets = {{ NAME = secret.x }}` and write `{flag}=$NAME`: the value then comes from Vault"
                )),
            );
        }
    }
}
