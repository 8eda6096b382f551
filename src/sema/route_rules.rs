//! What Caddy would misread in routes and blocking rules: attributes a route
//! kind ignores (W0508), hosts no certificate can name, and patterns that
//! can never match a request (E0312, E0313).

use super::eval::Cx;
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{Attribute, ExprKind, StrPart};

pub fn check(cx: &mut Cx<'_>) {
    let syms = cx.syms;
    for b in &syms.routes {
        let Some(label) = b.labels.first() else {
            continue;
        };
        let kind = ["to", "redirect", "respond"]
            .into_iter()
            .find(|a| b.body.attr(a).is_some());
        let ignored: &[&str] = match kind {
            Some("to") => &["status", "body"],
            Some("redirect") => &["body"],
            Some("respond") => &["status"],
            _ => &[],
        };
        for a in ignored.iter().filter_map(|n| b.body.attr(n)) {
            let what = match kind {
                Some("to") => "a proxy route passes the backend's response through",
                Some("redirect") => "a redirect sends no body",
                _ => "`respond = <status>` is the status of a respond route",
            };
            cx.err(
                Diagnostic::warning(
                    Code::W0508,
                    a.span,
                    format!("`{}` has no effect on route `{}`", a.name.name, label.name),
                )
                .label("ignored")
                .help(format!("{what}; remove `{}`", a.name.name)),
            );
        }
        if label.name.contains('_') {
            cx.err(
                Diagnostic::error(Code::E0313, label.span, format!("route host `{}` contains `_`", label.name))
                    .label("not a host name")
                    .help("host names are letters, digits and `-`; ACME CAs issue no certificate for a name with `_`"),
            );
        }
        if let Some((p, span)) = literal(b.body.attr("path")) {
            if p.contains('?') {
                cx.err(
                    Diagnostic::error(Code::E0312, span, format!("route path `{p}` contains `?`"))
                        .label("never matches")
                        .help("Caddy's path matcher sees the path without its query string; match the path alone (`/search`)"),
                );
            }
        }
    }
    for (_, m) in syms.of("middleware") {
        for r in m.body.blocks_of("block") {
            for (p, span) in literal_items(r.body.attr("paths")) {
                if !p.starts_with('/') && !p.starts_with('*') {
                    cx.err(
                        Diagnostic::error(
                            Code::E0312,
                            span,
                            format!("the blocked path `{p}` never matches"),
                        )
                        .label("no leading `/`")
                        .help(format!("request paths start with `/`: write `/{p}`")),
                    );
                }
            }
            for (h, span) in literal_items(r.body.attr("headers")) {
                let token = !h.is_empty()
                    && h.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c));
                if !token {
                    cx.err(
                        Diagnostic::error(
                            Code::E0312,
                            span,
                            format!("the header name `{}` never matches", h.escape_debug()),
                        )
                        .label("not a header name")
                        .help("header names are tokens without spaces or `:`: `X-Forwarded-Host`"),
                    );
                }
            }
        }
    }
}

fn literal(a: Option<&Attribute>) -> Option<(String, crate::source::Span)> {
    let a = a?;
    match &a.value.kind {
        ExprKind::Str(p) => match p.as_slice() {
            [StrPart::Lit(s)] => Some((s.clone(), a.value.span)),
            _ => None,
        },
        _ => None,
    }
}

fn literal_items(a: Option<&Attribute>) -> Vec<(String, crate::source::Span)> {
    match a.map(|a| &a.value.kind) {
        Some(ExprKind::List(items)) => items
            .iter()
            .filter_map(|e| match &e.kind {
                ExprKind::Str(p) => match p.as_slice() {
                    [StrPart::Lit(s)] => Some((s.clone(), e.span)),
                    _ => None,
                },
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
