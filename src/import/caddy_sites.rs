//! Caddyfile sites → routes, upstreams and middlewares.
//!
//! Snippets become middlewares (a nested `import` becomes `use`), so the
//! spec keeps the Caddyfile's structure. A named matcher that ANDs several
//! conditions stays a rule with `match = "all"` (same behaviour) and gets
//! W0602 with the OR form as the fix. Middlewares with headers or
//! compression say `refusal_headers = true`: Caddy's directive order runs
//! `header` and `encode` before `respond`, so refusals carry them.

use super::caddyfile::{self, Directive, ServerBlock, Token};
use super::writer::{Block, Val};
use super::{unique_name, Cx};
use crate::diagnostics::Code;
use crate::source::{FileId, Span};
use indexmap::IndexMap;

/// How deep `import` may nest (Caddy refuses cycles; so does this).
const MAX_IMPORT_DEPTH: usize = 16;

/// Directives that only change logging, metrics or listening: a site
/// imported without them answers the same requests the same way.
const HARMLESS: &[&str] = &[
    "metrics",
    "tracing",
    "bind",
    "skip_log",
    "log_skip",
    "log_append",
    "log_name",
    "push",
    "handle_errors",
    "fs",
];

/// One condition of a matcher; the matcher ANDs its conditions.
#[derive(Clone, Debug)]
enum Cond {
    Paths(Vec<String>),
    PathRe(String),
    /// Header field → values (`*` = present); values OR'ed.
    Header(String, Vec<String>),
    HeaderRe(String, String),
    Query(String, Vec<String>),
    /// Anything else: (matcher type, where).
    Other(String),
}

#[derive(Clone, Debug)]
struct Matcher {
    name: String,
    span: Span,
    conds: Vec<Cond>,
}

/// What a list of directives contributes, by origin (a snippet or the site).
#[derive(Default)]
struct Parts {
    /// (rule name, block) for the middleware.
    rules: Vec<Block>,
    headers: Vec<(String, Val)>,
    encode: Vec<String>,
    /// Snippets imported here, as middleware names.
    uses: Vec<String>,
    /// Any refusal with `abort` written after one with `respond`.
    abort_after_respond: Option<Span>,
    saw_respond: bool,
}

#[derive(Clone, Debug)]
enum Action {
    Proxy { upstream: String },
    App { to: String },
    Respond { status: i64, body: Option<String> },
    Redirect { to: String, status: i64 },
}

/// A site's routes: the host-wide one and the `handle`d paths.
#[derive(Default)]
struct Site {
    action: Option<(Action, Span)>,
    paths: Vec<(String, Action, Span)>,
    log: Option<(Option<String>, String)>,
    /// Blocking rules of the site's own directives are in `own`.
    has_handles: bool,
}

struct Walk<'a> {
    file: FileId,
    snippets: IndexMap<String, &'a ServerBlock>,
    /// Snippet name (with args) → middleware name, once built.
    built: IndexMap<String, String>,
}

fn span(file: FileId, t: &Token) -> Span {
    Span::new(file, t.start, t.end)
}

pub fn import(cx: &mut Cx, file: FileId, text: &str) {
    let parsed = match caddyfile::parse(text) {
        Ok(p) => p,
        Err(e) => {
            cx.error(
                Code::E0601,
                Span::new(file, e.start, e.end.max(e.start)),
                format!("Caddyfile syntax: {}", e.message),
                "fix the Caddyfile (`caddy adapt --config FILE` shows how Caddy reads it)",
            );
            return;
        }
    };
    if let Some(g) = &parsed.global {
        global_options(cx, file, g);
    }
    let mut walk = Walk {
        file,
        snippets: IndexMap::new(),
        built: IndexMap::new(),
    };
    for s in &parsed.snippets {
        let name = s.keys[0].text.trim_start_matches('(').trim_end_matches(')');
        walk.snippets.insert(name.to_string(), s);
    }
    for site in &parsed.sites {
        import_site(cx, &mut walk, site);
    }
    for (name, s) in &walk.snippets {
        if !walk
            .built
            .keys()
            .any(|k| k == name || k.starts_with(&format!("{name} ")))
        {
            cx.warn(
                Code::W0601,
                span(file, &s.keys[0]),
                format!("snippet `{name}` is never imported, so it is not imported either"),
                "nothing uses it; delete it or `import` it in a site",
            );
        }
    }
}

fn global_options(cx: &mut Cx, file: FileId, g: &ServerBlock) {
    for d in &g.body {
        let at = Span::new(file, d.start, d.end);
        let arg = d.args.first().map(|a| a.text.as_str());
        match (d.name.text.as_str(), arg) {
            ("admin", Some("off")) => cx.warn(
                Code::W0601,
                at,
                "`admin off` is not imported: eosc deploys routes through Caddy's admin API",
                "eosc keeps the API on loopback (`project.caddy_admin`)",
            ),
            ("admin", Some(addr)) => {
                let loopback = addr.starts_with("localhost:")
                    || addr.starts_with("127.")
                    || addr.starts_with("[::1]:")
                    || addr.starts_with("unix/");
                if !loopback {
                    cx.warn(
                        Code::W0606,
                        at,
                        format!("the Caddy admin API listens on `{addr}`, off loopback: anyone who reaches it can rewrite the proxy"),
                        "keep it on `localhost:2019` unless the port is firewalled; the spec keeps the address (W0506 repeats this)",
                    );
                }
                let c = format!("from {}", cx.at(at));
                cx.project_attr("caddy_admin", Val::Str(addr.to_string()), c);
                if d.block.is_some() {
                    cx.warn(
                        Code::W0601,
                        at,
                        "the admin block's options are not imported",
                        "eosc configures the admin API itself",
                    );
                }
            }
            ("email", Some(e)) => {
                let c = format!("from {}", cx.at(at));
                cx.project_attr("acme_email", Val::Str(e.to_string()), c);
            }
            ("order", _) => cx.error(
                Code::E0602,
                at,
                "`order` changes the order of directives, which eosc does not",
                "remove it and check the sites still behave; eosc uses Caddy's default order",
            ),
            (name, _) => cx.warn(
                Code::W0601,
                at,
                format!("global option `{name}` is not imported"),
                "eosc writes Caddy's global settings itself; set what you need on the Caddy host",
            ),
        }
    }
}

/// `{$VAR}` / `{$VAR:default}` in a token: Caddy substitutes the
/// environment when it loads the file; the importer cannot know it.
fn env_subst(cx: &mut Cx, file: FileId, t: &Token) -> Option<String> {
    if !t.text.contains("{$") {
        return Some(t.text.clone());
    }
    let mut out = String::new();
    let mut rest = t.text.as_str();
    while let Some(i) = rest.find("{$") {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let inner = &rest[i + 2..i + j];
        let (var, default) = match inner.split_once(':') {
            Some((v, d)) => (v, Some(d)),
            None => (inner, None),
        };
        match default {
            Some(d) => {
                cx.warn(
                    Code::W0603,
                    span(file, t),
                    format!("environment placeholder `{{${var}}}` is imported as its default `{d}`"),
                    "the spec has no Caddy environment; check the value is the one the live Caddy uses",
                );
                out.push_str(d);
            }
            None => {
                cx.error(
                    Code::E0602,
                    span(file, t),
                    format!("environment placeholder `{{${var}}}` has no default, so its value is unknown here"),
                    format!("write the value of `{var}` into the Caddyfile (or `{{${var}:value}}`) and import again"),
                );
                return None;
            }
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A site address → (host, path). Reports what the spec cannot keep.
fn address(cx: &mut Cx, file: FileId, key: &Token) -> Option<(String, Option<String>)> {
    let at = span(file, key);
    let text = env_subst(cx, file, key)?;
    let (scheme, rest) = match text.split_once("://") {
        Some((s, r)) => (Some(s.to_ascii_lowercase()), r.to_string()),
        None => (None, text.clone()),
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (rest[..i].to_string(), Some(rest[i..].to_string())),
        None => (rest.clone(), None),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.contains(']') || h.ends_with(']') => {
            (h.to_string(), Some(p.to_string()))
        }
        _ => (hostport.clone(), None),
    };
    if scheme.as_deref() == Some("http") || port.as_deref() == Some("80") {
        cx.warn(
            Code::W0603,
            at,
            format!("`{text}` is served over plain HTTP; eosc serves every route over HTTPS (HTTP redirects to it)"),
            "keep it if HTTPS is what you want; eosc has no plain-HTTP routes",
        );
    } else if let Some(p) = port.as_deref().filter(|p| *p != "443") {
        cx.warn(
            Code::W0603,
            at,
            format!("`{text}` listens on port {p}; eosc's routes are served on 443"),
            "move clients to 443, or keep this site in a hand-written Caddy config",
        );
    }
    let ip = host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[');
    if host.is_empty() || ip || !host.contains('.') || host.contains('{') {
        cx.error(
            Code::E0602,
            at,
            format!("`{text}` has no DNS host name, and an eosc route is a host name"),
            "give the site a host name (`app.example.com`)",
        );
        return None;
    }
    if path.as_deref().is_some_and(|p| p != "/" && p != "/*") {
        cx.warn(
            Code::W0603,
            at,
            "a site address with a path becomes a route with `path`",
            "",
        );
    }
    Some((
        host.to_ascii_lowercase(),
        path.filter(|p| p != "/" && p != "/*"),
    ))
}

fn import_site(cx: &mut Cx, walk: &mut Walk<'_>, site: &ServerBlock) {
    let file = walk.file;
    let mut hosts = Vec::new();
    for k in &site.keys {
        if let Some(h) = address(cx, file, k) {
            hosts.push((h, span(file, k)));
        }
    }
    if hosts.is_empty() {
        return;
    }
    let label = hosts[0].0 .0.clone();
    let mut matchers: IndexMap<String, Matcher> = IndexMap::new();
    let mut own = Parts::default();
    let mut s = Site::default();
    let mut stack = Vec::new();
    walk_body(
        cx,
        walk,
        &site.body,
        &mut matchers,
        &mut own,
        &mut s,
        &label,
        &mut stack,
        0,
    );
    // The chain: the snippets the site imports, then its own directives.
    let mut chain = std::mem::take(&mut own.uses);
    if !own.rules.is_empty() || !own.headers.is_empty() || !own.encode.is_empty() {
        let base = format!("{}_site", label.split('.').next().unwrap_or("site"));
        let name = unique_name(&cx.middlewares, &base);
        let b = middleware_block(
            cx,
            &name,
            own,
            format!(
                "the directives of site {}",
                cx.at(Span::new(file, site.start, site.start))
            ),
        );
        cx.middlewares.insert(name.clone(), b);
        chain.push(name);
    }
    if s.has_handles
        && chain.iter().any(|m| {
            cx.middlewares
                .get(m)
                .is_some_and(|b| b.blocks.iter().any(|r| r.kind == "block"))
        })
    {
        cx.warn(
            Code::W0603,
            Span::new(file, site.start, site.start),
            "the site's refusals run after its `handle` blocks in Caddy; eosc refuses before any route of the host",
            "a request a `handle` answers is now refused too when a rule matches it",
        );
    }
    let Some((action, action_span)) = s.action.clone() else {
        if s.paths.is_empty() {
            cx.error(
                Code::E0602,
                Span::new(file, site.start, site.start + 1),
                format!("site `{label}` has no `reverse_proxy`, `respond` or `redir`, so it cannot become a route"),
                "eosc routes proxy, redirect or respond; serve files from an app behind a `reverse_proxy`",
            );
            return;
        }
        // Only paths: everything else on the host is Caddy's empty 200.
        let fallback = Action::Respond {
            status: 200,
            body: None,
        };
        let sp = Span::new(file, site.start, site.start + 1);
        write_routes(cx, &hosts, &label, &chain, &s, &fallback, sp);
        return;
    };
    write_routes(cx, &hosts, &label, &chain, &s, &action, action_span);
}

#[allow(clippy::too_many_arguments)]
fn write_routes(
    cx: &mut Cx,
    hosts: &[((String, Option<String>), Span)],
    label: &str,
    chain: &[String],
    s: &Site,
    action: &Action,
    at: Span,
) {
    for ((host, path), hspan) in hosts {
        let mut all: Vec<(Option<String>, &Action, Span)> = vec![(path.clone(), action, at)];
        for (p, a, sp) in &s.paths {
            all.push((Some(p.clone()), a, *sp));
        }
        for (p, a, sp) in all {
            let mut r = Block::new("route", Some(host));
            r.comment(format!("{} (site {})", cx.at(*hspan), label));
            if let Some(p) = &p {
                r.attr("path", Val::Str(p.clone()));
            }
            match a {
                Action::Proxy { upstream } => {
                    r.attr_c(
                        "to",
                        Val::Raw(format!("upstream.{upstream}")),
                        format!("reverse_proxy at {}", cx.at(sp)),
                    );
                }
                Action::App { to } => {
                    r.attr_c(
                        "to",
                        Val::Raw(to.clone()),
                        format!("reverse_proxy at {}", cx.at(sp)),
                    );
                }
                Action::Respond { status, body } => {
                    r.attr("respond", Val::Int(*status));
                    if let Some(b) = body {
                        r.attr("body", Val::Str(b.clone()));
                    }
                }
                Action::Redirect { to, status } => {
                    r.attr("redirect", Val::Str(to.clone()));
                    r.attr("status", Val::Int(*status));
                }
            }
            if !chain.is_empty() {
                let refs = chain
                    .iter()
                    .map(|m| Val::Raw(format!("middleware.{m}")))
                    .collect();
                r.attr("middleware", Val::List(refs));
            }
            if !zone_covers(cx, host) {
                r.attr_c(
                    "dns",
                    Val::Str("external".into()),
                    "no zone of this import holds the host",
                );
            }
            if let Some((file, level)) = &s.log {
                let mut l = Block::new("log", None);
                if let Some(f) = file {
                    l.attr("file", Val::Str(f.clone()));
                }
                l.attr("level", Val::Str(level.clone()));
                r.blocks.push(l);
            }
            cx.routes.push(r);
        }
    }
}

/// Does an imported zone hold a record for `host`?
fn zone_covers(cx: &Cx, host: &str) -> bool {
    cx.dns.iter().any(|(zone, b)| {
        let rel = if host == zone {
            Some("@".to_string())
        } else {
            host.strip_suffix(&format!(".{zone}")).map(String::from)
        };
        let Some(rel) = rel else { return false };
        b.blocks.iter().any(|r| {
            let l = r.label();
            l == rel
                || (l.starts_with("*.") && rel.ends_with(&l[1..]))
                || (l == "*" && !rel.contains('.') && rel != "@")
        })
    })
}

#[allow(clippy::too_many_arguments)]
fn walk_body(
    cx: &mut Cx,
    walk: &mut Walk<'_>,
    body: &[Directive],
    matchers: &mut IndexMap<String, Matcher>,
    parts: &mut Parts,
    site: &mut Site,
    label: &str,
    stack: &mut Vec<String>,
    depth: usize,
) {
    let file = walk.file;
    // Matcher definitions apply to the whole block, wherever written.
    for d in body {
        if d.name.text.starts_with('@') {
            let m = matcher_def(cx, file, d);
            matchers.insert(m.name.clone(), m);
        }
    }
    for d in body {
        let at = Span::new(file, d.start, d.end);
        let name = d.name.text.as_str();
        if name.starts_with('@') {
            continue;
        }
        match name {
            "import" => {
                let Some(target) = d.args.first() else {
                    cx.error(Code::E0601, at, "`import` needs a snippet name", "");
                    continue;
                };
                let args: Vec<String> = d.args[1..].iter().map(|a| a.text.clone()).collect();
                let Some(snip) = walk.snippets.get(&target.text).copied() else {
                    cx.error(
                        Code::E0602,
                        span(file, target),
                        format!("`import {}` names a file or glob, which is not read", target.text),
                        "paste the imported file's contents into the Caddyfile as a snippet and import again",
                    );
                    continue;
                };
                if stack.contains(&target.text) || depth >= MAX_IMPORT_DEPTH {
                    cx.error(
                        Code::E0601,
                        at,
                        format!("snippet `{}` imports itself", target.text),
                        "break the import cycle",
                    );
                    continue;
                }
                let key = if args.is_empty() {
                    target.text.clone()
                } else {
                    format!("{} {}", target.text, args.join(" "))
                };
                if let Some(m) = walk.built.get(&key) {
                    parts.uses.push(m.clone());
                    // The snippet's actions (if any) still apply to this site.
                    let body = expand_args(&snip.body, &args);
                    let mut scratch = Parts::default();
                    stack.push(target.text.clone());
                    walk_actions_only(
                        cx,
                        walk,
                        &body,
                        matchers,
                        &mut scratch,
                        site,
                        label,
                        stack,
                        depth + 1,
                    );
                    stack.pop();
                    continue;
                }
                let body = expand_args(&snip.body, &args);
                let mut sub = Parts::default();
                let mut snip_matchers = matchers.clone();
                stack.push(target.text.clone());
                walk_body(
                    cx,
                    walk,
                    &body,
                    &mut snip_matchers,
                    &mut sub,
                    site,
                    label,
                    stack,
                    depth + 1,
                );
                stack.pop();
                for (k, v) in snip_matchers {
                    matchers.entry(k).or_insert(v);
                }
                if sub.rules.is_empty()
                    && sub.headers.is_empty()
                    && sub.encode.is_empty()
                    && sub.uses.is_empty()
                {
                    walk.built.insert(key, String::new());
                    continue;
                }
                let mname = unique_name(&cx.middlewares, &target.text);
                let b = middleware_block(
                    cx,
                    &mname,
                    sub,
                    format!(
                        "snippet ({}) at {}",
                        target.text,
                        cx.at(span(file, &snip.keys[0]))
                    ),
                );
                cx.middlewares.insert(mname.clone(), b);
                walk.built.insert(key, mname.clone());
                parts.uses.push(mname);
            }
            _ => directive(cx, walk, d, at, matchers, parts, site, label, stack, depth),
        }
    }
    parts.uses.retain(|u| !u.is_empty());
}

/// A snippet already built as a middleware, imported again: only its
/// actions (routes) matter for this site.
#[allow(clippy::too_many_arguments)]
fn walk_actions_only(
    cx: &mut Cx,
    walk: &mut Walk<'_>,
    body: &[Directive],
    matchers: &mut IndexMap<String, Matcher>,
    scratch: &mut Parts,
    site: &mut Site,
    label: &str,
    stack: &mut Vec<String>,
    depth: usize,
) {
    let acting: Vec<Directive> = body
        .iter()
        .filter(|d| {
            matches!(
                d.name.text.as_str(),
                "reverse_proxy" | "redir" | "handle" | "route" | "log" | "import"
            ) || (d.name.text == "respond"
                && !d.args.first().is_some_and(|a| a.text.starts_with('@')))
        })
        .cloned()
        .collect();
    let diags = cx.diags.len();
    let counts = cx.summary.clone();
    walk_body(
        cx, walk, &acting, matchers, scratch, site, label, stack, depth,
    );
    // Diagnostics of the snippet were given at its first import.
    cx.diags.truncate(diags);
    cx.summary = counts;
}

/// `{args[0]}` / `{args.0}` / `{args[:]}` replaced by the import's arguments.
fn expand_args(body: &[Directive], args: &[String]) -> Vec<Directive> {
    if args.is_empty() {
        return body.to_vec();
    }
    let sub = |t: &Token| {
        let mut t = t.clone();
        for (i, a) in args.iter().enumerate() {
            t.text = t
                .text
                .replace(&format!("{{args[{i}]}}"), a)
                .replace(&format!("{{args.{i}}}"), a);
        }
        t.text = t.text.replace("{args[:]}", &args.join(" "));
        t
    };
    body.iter()
        .map(|d| Directive {
            name: sub(&d.name),
            args: d.args.iter().map(sub).collect(),
            block: d.block.as_ref().map(|b| expand_args(b, args)),
            start: d.start,
            end: d.end,
        })
        .collect()
}

/// `@name { … }` or `@name type args…`.
fn matcher_def(cx: &mut Cx, file: FileId, d: &Directive) -> Matcher {
    let mut conds: Vec<Cond> = Vec::new();
    let lines: Vec<(Token, Vec<Token>)> = match &d.block {
        Some(b) => b.iter().map(|l| (l.name.clone(), l.args.clone())).collect(),
        None => match d.args.split_first() {
            Some((t, rest)) => vec![(t.clone(), rest.to_vec())],
            None => vec![],
        },
    };
    for (kind, args) in lines {
        let vals: Vec<String> = args.iter().map(|a| a.text.clone()).collect();
        match kind.text.as_str() {
            "path" => match conds.iter_mut().find_map(|c| match c {
                Cond::Paths(p) => Some(p),
                _ => None,
            }) {
                Some(p) => p.extend(vals),
                None => conds.push(Cond::Paths(vals)),
            },
            "path_regexp" => {
                let re = vals.last().cloned().unwrap_or_default();
                if conds.iter().any(|c| matches!(c, Cond::PathRe(_))) {
                    cx.warn(Code::W0603, span(file, &kind), "a second `path_regexp` in one matcher replaces the first (Caddy keeps the last)", "merge them into one regexp");
                    conds.retain(|c| !matches!(c, Cond::PathRe(_)));
                }
                conds.push(Cond::PathRe(re));
            }
            "header" if !vals.is_empty() => {
                let field = vals[0].clone();
                let v: Vec<String> = vals[1..].to_vec();
                match conds.iter_mut().find_map(|c| match c {
                    Cond::Header(f, vs) if f.eq_ignore_ascii_case(&field) => Some(vs),
                    _ => None,
                }) {
                    Some(vs) => vs.extend(v),
                    None => conds.push(Cond::Header(field, v)),
                }
            }
            "header_regexp" if vals.len() >= 2 => {
                let (field, re) = if vals.len() >= 3 {
                    (vals[1].clone(), vals[2].clone())
                } else {
                    (vals[0].clone(), vals[1].clone())
                };
                conds.retain(
                    |c| !matches!(c, Cond::HeaderRe(f, _) if f.eq_ignore_ascii_case(&field)),
                );
                conds.push(Cond::HeaderRe(field, re));
            }
            "query" => {
                for v in vals {
                    let (k, val) = v
                        .split_once('=')
                        .map_or((v.clone(), String::new()), |(k, x)| {
                            (k.to_string(), x.to_string())
                        });
                    match conds.iter_mut().find_map(|c| match c {
                        Cond::Query(f, vs) if *f == k => Some(vs),
                        _ => None,
                    }) {
                        Some(vs) => vs.push(val),
                        None => conds.push(Cond::Query(k, vec![val])),
                    }
                }
            }
            other => conds.push(Cond::Other(other.to_string())),
        }
    }
    Matcher {
        name: d.name.text.clone(),
        span: span(file, &d.name),
        conds,
    }
}

/// A matcher token (`@name`, `/path…`, `*`) at the start of `args`.
fn inline_matcher(
    file: FileId,
    matchers: &IndexMap<String, Matcher>,
    args: &[Token],
) -> (Option<Result<Matcher, Span>>, usize) {
    match args.first() {
        Some(t) if t.text == "*" && !t.quoted => (None, 1),
        Some(t) if t.text.starts_with('/') && !t.quoted => (
            Some(Ok(Matcher {
                name: "path".into(),
                span: span(file, t),
                conds: vec![Cond::Paths(vec![t.text.clone()])],
            })),
            1,
        ),
        Some(t) if t.text.starts_with('@') => match matchers.get(&t.text) {
            Some(m) => (Some(Ok(m.clone())), 1),
            None => (Some(Err(span(file, t))), 1),
        },
        _ => (None, 0),
    }
}

/// The spec's rule attributes for a matcher, or why it cannot be one.
fn rule_attrs(m: &Matcher) -> Result<Vec<(String, Val)>, String> {
    let mut out: Vec<(String, Val)> = Vec::new();
    let mut headers = Vec::new();
    for c in &m.conds {
        match c {
            Cond::Paths(p) => out.push((
                "paths".into(),
                Val::List(p.iter().cloned().map(Val::Str).collect()),
            )),
            Cond::PathRe(re) => out.push(("path_regexp".into(), Val::Str(re.clone()))),
            Cond::Header(f, vs) if vs.len() == 1 && vs[0] == "*" => {
                headers.push(Val::Str(f.clone()))
            }
            Cond::Header(f, vs)
                if f.eq_ignore_ascii_case("user-agent")
                    && !vs.is_empty()
                    && vs.iter().all(|v| !v.contains('*') && !v.contains('{')) =>
            {
                out.push((
                    "user_agents".into(),
                    Val::List(vs.iter().cloned().map(Val::Str).collect()),
                ));
            }
            Cond::Header(f, _) => {
                return Err(format!(
                "`header {f}` with values other than `*` (presence) or exact User-Agent strings"
            ))
            }
            Cond::HeaderRe(f, re) if f.eq_ignore_ascii_case("user-agent") => {
                out.push(("user_agent_regexp".into(), Val::Str(re.clone())));
            }
            Cond::HeaderRe(f, _) => {
                return Err(format!("`header_regexp` on `{f}` (only User-Agent can be)"))
            }
            Cond::Query(k, vs) if vs.iter().all(|v| v == "*") => {
                match out.iter_mut().find(|(n, _)| n == "query") {
                    Some((_, Val::List(l))) => l.push(Val::Str(k.clone())),
                    _ => out.push(("query".into(), Val::List(vec![Val::Str(k.clone())]))),
                }
            }
            Cond::Query(k, _) => {
                return Err(format!(
                    "`query {k}=…` with a value (only `{k}=*`, presence, can be)"
                ))
            }
            Cond::Other(kind) => return Err(format!("the `{kind}` matcher")),
        }
    }
    if !headers.is_empty() {
        out.insert(0, ("headers".into(), Val::List(headers)));
    }
    if out.is_empty() {
        return Err("a matcher without conditions (it matches every request)".into());
    }
    Ok(out)
}

/// How many conditions a matcher ANDs (each header field counts one).
fn and_terms(m: &Matcher) -> usize {
    m.conds.len()
}

#[allow(clippy::too_many_arguments)]
fn directive(
    cx: &mut Cx,
    walk: &mut Walk<'_>,
    d: &Directive,
    at: Span,
    matchers: &mut IndexMap<String, Matcher>,
    parts: &mut Parts,
    site: &mut Site,
    label: &str,
    stack: &mut Vec<String>,
    depth: usize,
) {
    let file = walk.file;
    let name = d.name.text.as_str();
    let (m, skip) = inline_matcher(file, matchers, &d.args);
    let args = &d.args[skip..];
    let matcher = match m {
        Some(Err(sp)) => {
            cx.error(
                Code::E0601,
                sp,
                format!("matcher `{}` is not defined in this site", d.args[0].text),
                "define it with `@name { … }` in the same site or snippet",
            );
            return;
        }
        Some(Ok(m)) => Some(m),
        None => None,
    };
    match name {
        "respond" | "abort" | "error" if matcher.is_some() => {
            let m = matcher.unwrap_or_else(|| unreachable_matcher(at));
            refusal(cx, file, d, at, &m, args, parts);
        }
        "respond" => {
            let (status, body) = respond_args(args);
            site_action(cx, site, Action::Respond { status, body }, at, None);
        }
        "abort" | "error" => cx.error(
            Code::E0602,
            at,
            format!("`{name}` for every request of the site cannot be a route"),
            "a route must proxy, redirect or respond",
        ),
        "redir" => {
            let Some(to) = args.first() else {
                cx.error(Code::E0601, at, "`redir` needs a target", "");
                return;
            };
            let status = match args.get(1).map(|a| a.text.as_str()) {
                None | Some("temporary") => 302,
                Some("permanent") => 301,
                Some(n) => match n.parse::<i64>() {
                    Ok(n) if (300..=308).contains(&n) => n,
                    _ => {
                        cx.error(Code::E0602, at, format!("redirect status `{n}` cannot be imported"), "eosc redirects with 300..=308");
                        return;
                    }
                },
            };
            let a = Action::Redirect { to: to.text.clone(), status };
            let path = matcher.as_ref().map(|m| path_only(cx, m, at));
            match path {
                Some(None) => {}
                Some(Some(p)) => site.paths.push((p, a, at)),
                None => site_action(cx, site, a, at, Some(0)),
            }
        }
        "reverse_proxy" => {
            let Some(up) = reverse_proxy(cx, file, d, at, args, label) else { return };
            match matcher.as_ref().map(|m| path_only(cx, m, at)) {
                Some(None) => {}
                Some(Some(p)) => site.paths.push((p, up, at)),
                None => site_action(cx, site, up, at, None),
            }
        }
        "handle" | "route" => {
            site.has_handles = true;
            let Some(inner) = &d.block else {
                cx.error(Code::E0601, at, format!("`{name}` needs a block"), "");
                return;
            };
            let path = match &matcher {
                None => None,
                Some(m) => match path_only(cx, m, at) {
                    Some(p) => Some(p),
                    None => return,
                },
            };
            let mut sub_site = Site::default();
            let mut sub_parts = Parts::default();
            let mut sub_matchers = matchers.clone();
            walk_body(cx, walk, inner, &mut sub_matchers, &mut sub_parts, &mut sub_site, label, stack, depth + 1);
            if !sub_parts.rules.is_empty() || !sub_parts.headers.is_empty() || !sub_parts.encode.is_empty() || !sub_parts.uses.is_empty() {
                cx.error(
                    Code::E0602,
                    at,
                    format!("middleware inside `{name}` applies to part of the site only, which a route's middleware cannot express"),
                    "move `header`, `encode`, refusals and imports to the site level",
                );
            }
            if !sub_site.paths.is_empty() {
                cx.error(Code::E0602, at, format!("a `{name}` nested with matchers inside another"), "flatten the nesting: one `handle /path/*` per path");
            }
            if sub_site.log.is_some() && site.log.is_none() {
                site.log = sub_site.log.clone();
            }
            let Some((a, asp)) = sub_site.action else {
                cx.error(Code::E0602, at, format!("this `{name}` block neither proxies, redirects nor responds"), "give it a `reverse_proxy`, `redir` or `respond`");
                return;
            };
            match path {
                Some(p) => site.paths.push((p, a, asp)),
                None => site_action(cx, site, a, asp, None),
            }
        }
        "handle_path" => cx.error(
            Code::E0602,
            at,
            "`handle_path` strips the path prefix before proxying; an eosc route forwards the path unchanged",
            "use `handle` and let the backend serve the prefix",
        ),
        "header" => {
            if matcher.is_some() {
                cx.error(Code::E0602, at, "a `header` with a matcher applies to some responses only", "set the header for the whole site");
                return;
            }
            header(cx, file, d, at, args, parts);
        }
        "encode" => {
            if matcher.is_some() {
                cx.error(Code::E0602, at, "an `encode` with a matcher", "compress the whole site");
                return;
            }
            let mut list: Vec<String> = args.iter().map(|a| a.text.clone()).collect();
            if list.is_empty() {
                list = vec!["zstd".into(), "gzip".into()];
            }
            for e in list {
                if e == "gzip" || e == "zstd" {
                    if !parts.encode.contains(&e) {
                        parts.encode.push(e);
                    }
                } else {
                    cx.error(Code::E0602, at, format!("encoding `{e}` is not one eosc emits"), "use `gzip` and/or `zstd`");
                }
            }
            if d.block.is_some() {
                cx.warn(Code::W0603, at, "the options of `encode` (minimum_length, match, level) are not imported; Caddy's defaults apply", "");
            }
        }
        "log" => log(cx, file, d, at, site),
        "tls" => match args.first().map(|a| a.text.as_str()) {
            Some(e) if e.contains('@') && args.len() == 1 => {
                let c = format!("from `tls` at {}", cx.at(at));
                cx.project_attr("acme_email", Val::Str(e.to_string()), c);
            }
            _ => cx.warn(
                Code::W0601,
                at,
                "`tls` settings are not imported: eosc's Caddy gets certificates from ACME",
                "certificates, `internal` and client auth are the Caddy host's business",
            ),
        },
        n if HARMLESS.contains(&n) => cx.warn(
            Code::W0601,
            at,
            format!("directive `{n}` is not supported by eosc; the site is imported without it"),
            "it does not change how requests are answered",
        ),
        n => cx.error(
            Code::E0602,
            at,
            format!("directive `{n}` is not supported by eosc; the site would answer differently without it"),
            "serve this part from an app behind `reverse_proxy`, or keep the site in a hand-written Caddy config",
        ),
    }
}

/// Never used: `refusal` is only called with a matcher.
fn unreachable_matcher(at: Span) -> Matcher {
    Matcher {
        name: String::new(),
        span: at,
        conds: vec![],
    }
}

/// The single path pattern of a matcher, or a diagnostic.
fn path_only(cx: &mut Cx, m: &Matcher, at: Span) -> Option<String> {
    match m.conds.as_slice() {
        [Cond::Paths(p)] if p.len() == 1 && !p[0].contains('{') => Some(p[0].clone()),
        _ => {
            cx.error(
                Code::E0602,
                at,
                format!("matcher `{}` is not a single path, and an eosc route is selected by host and one path", m.name),
                "split it into one `handle /path/*` per path",
            );
            None
        }
    }
}

fn site_action(cx: &mut Cx, site: &mut Site, a: Action, at: Span, _prio: Option<u8>) {
    match &site.action {
        None => site.action = Some((a, at)),
        Some((Action::Redirect { .. }, _)) => cx.warn(
            Code::W0601,
            at,
            "this never runs: the site's unconditional `redir` answers first (Caddy's directive order)",
            "remove it",
        ),
        Some(_) if matches!(a, Action::Redirect { .. }) => {
            cx.warn(Code::W0601, site.action.as_ref().map_or(at, |x| x.1), "this never runs: the site's unconditional `redir` answers first", "remove it");
            site.action = Some((a, at));
        }
        Some((Action::Respond { .. }, _)) if !matches!(a, Action::Respond { .. }) => cx.warn(
            Code::W0601,
            at,
            "this never runs: the site's unconditional `respond` answers first (Caddy's directive order)",
            "remove it",
        ),
        Some(_) if matches!(a, Action::Respond { .. }) => {
            cx.warn(Code::W0601, site.action.as_ref().map_or(at, |x| x.1), "this never runs: the site's unconditional `respond` answers first", "remove it");
            site.action = Some((a, at));
        }
        Some(_) => cx.error(
            Code::E0602,
            at,
            "a second unconditional handler in one site",
            "one site, one `reverse_proxy` (list several upstreams in it to balance)",
        ),
    }
}

/// `respond [body] [status]`.
fn respond_args(args: &[Token]) -> (i64, Option<String>) {
    match args {
        [] => (200, None),
        [a] => match a.text.parse::<i64>() {
            Ok(n) if !a.quoted && (100..=599).contains(&n) => (n, None),
            _ => (200, Some(a.text.clone())),
        },
        [b, s, ..] => (s.text.parse().unwrap_or(200), Some(b.text.clone())),
    }
}

fn refusal(
    cx: &mut Cx,
    file: FileId,
    d: &Directive,
    at: Span,
    m: &Matcher,
    args: &[Token],
    parts: &mut Parts,
) {
    let name = d.name.text.as_str();
    let attrs = match rule_attrs(m) {
        Ok(a) => a,
        Err(why) => {
            cx.error(
                Code::E0602,
                at,
                format!("`{name} {}` cannot be imported: {why} cannot be a blocking rule", m.name),
                "blocking rules match paths, path/User-Agent regexps, header and query presence, exact User-Agents",
            );
            return;
        }
    };
    let mut b = Block::new(
        "block",
        Some(&unique_rule(parts, m.name.trim_start_matches('@'))),
    );
    b.comment(format!(
        "`{name} {}` at {} (matcher at {})",
        m.name,
        cx.at(at),
        cx.at(m.span)
    ));
    let terms = and_terms(m);
    if terms > 1 {
        b.attr_c(
            "match",
            Val::Str("all".into()),
            "as in Caddy: every condition must hold",
        );
        let found: Vec<String> = attrs.iter().map(|(k, _)| k.clone()).collect();
        cx.push_w0602(m.span, &m.name, terms, &found);
    }
    for (k, v) in attrs {
        b.attr(&k, v);
    }
    match name {
        "abort" => {
            b.attr("abort", Val::Bool(true));
            if parts.saw_respond && parts.abort_after_respond.is_none() {
                parts.abort_after_respond = Some(at);
            }
        }
        "error" => {
            cx.error(
                Code::E0602,
                at,
                "`error` hands the request to `handle_errors`, which eosc does not import",
                "use `respond @m STATUS`",
            );
            return;
        }
        _ => {
            let (status, body) = respond_args(args);
            if body.is_some() {
                cx.error(
                    Code::E0602,
                    at,
                    "a refusal with a body: eosc's blocking rules answer with a status only",
                    "drop the body, or route the path to an app",
                );
            }
            if !(100..=599).contains(&status) {
                cx.error(
                    Code::E0602,
                    at,
                    format!("status {status} is not an HTTP status"),
                    "",
                );
                return;
            }
            b.attr("respond", Val::Int(status));
            parts.saw_respond = true;
        }
    }
    let _ = file;
    parts.rules.push(b);
}

fn unique_rule(parts: &Parts, base: &str) -> String {
    let taken: IndexMap<String, ()> = parts
        .rules
        .iter()
        .map(|r| (r.label().to_string(), ()))
        .collect();
    unique_name(&taken, base)
}

impl Cx {
    fn push_w0602(&mut self, at: Span, name: &str, terms: usize, found: &[String]) {
        self.warn(
            Code::W0602,
            at,
            format!("matcher `{name}` ANDs {terms} conditions: it fires only when all of them hold, which is probably not what was meant"),
            format!(
                "the import keeps Caddy's behaviour (`match = \"all\"`); to refuse a request when ANY condition holds, drop `match = \"all\"` from the rule (conditions: {}), or use `import \"std/security\"`, which has the OR form of the usual scanner rules",
                found.join(", ")
            ),
        );
    }
}

fn header(cx: &mut Cx, file: FileId, d: &Directive, at: Span, args: &[Token], parts: &mut Parts) {
    let mut pairs: Vec<(Token, Vec<Token>)> = Vec::new();
    if let Some(b) = &d.block {
        for l in b {
            pairs.push((l.name.clone(), l.args.clone()));
        }
    }
    if let Some((f, rest)) = args.split_first() {
        pairs.push((f.clone(), rest.to_vec()));
    }
    for (field, vals) in pairs {
        let fsp = span(file, &field);
        let f = field.text.as_str();
        if f == "defer" {
            continue;
        }
        if let Some(x) = f.strip_prefix('-') {
            cx.error(
                Code::E0602,
                fsp,
                format!("`header -{x}` removes a response header, which eosc cannot"),
                "remove the header in the backend",
            );
            continue;
        }
        let (f, add) = match f.strip_prefix('+') {
            Some(x) => (x, true),
            None => (f.strip_prefix('>').unwrap_or(f), false),
        };
        match vals.as_slice() {
            [v] if !v.text.contains('{') => {
                if add {
                    cx.warn(
                        Code::W0603,
                        fsp,
                        format!(
                            "`header +{f}` adds a value; the spec sets it (replacing a backend's)"
                        ),
                        "",
                    );
                }
                parts.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(f));
                parts
                    .headers
                    .push((f.to_string(), Val::Str(v.text.clone())));
            }
            [v] => cx.error(
                Code::E0602,
                fsp,
                format!(
                    "header `{f}` uses a placeholder (`{}`), which eosc writes literally",
                    v.text
                ),
                "write the value out",
            ),
            [] => cx.error(
                Code::E0602,
                fsp,
                format!("`header {f}` without a value"),
                "give the header a value",
            ),
            _ => cx.error(
                Code::E0602,
                fsp,
                format!("`header {f}` replaces text in a header, which eosc cannot"),
                "set the final value",
            ),
        }
        let _ = at;
    }
}

fn log(cx: &mut Cx, file: FileId, d: &Directive, at: Span, site: &mut Site) {
    let mut out_file = None;
    let mut level = "INFO".to_string();
    for l in d.block.iter().flatten() {
        let lsp = Span::new(file, l.start, l.end);
        match (
            l.name.text.as_str(),
            l.args.first().map(|a| a.text.as_str()),
        ) {
            ("output", Some("file")) => match l.args.get(1) {
                Some(f) if f.text.starts_with('/') => out_file = Some(f.text.clone()),
                _ => cx.warn(
                    Code::W0601,
                    lsp,
                    "a relative log file is not imported",
                    "write an absolute path",
                ),
            },
            ("output", Some("stdout" | "stderr" | "discard")) => {}
            ("output", _) => cx.warn(
                Code::W0601,
                lsp,
                "this log output is not imported; the route logs to Caddy's default",
                "",
            ),
            ("format", Some("json")) => {}
            ("format", _) => cx.warn(
                Code::W0603,
                lsp,
                "eosc's route logs are JSON; this format is not imported",
                "",
            ),
            ("level", Some(v)) => {
                let v = v.to_ascii_uppercase();
                if ["DEBUG", "INFO", "WARN", "ERROR"].contains(&v.as_str()) {
                    level = v;
                } else {
                    cx.warn(
                        Code::W0603,
                        lsp,
                        format!("log level `{v}` is imported as INFO"),
                        "",
                    );
                }
            }
            (n, _) => cx.warn(
                Code::W0601,
                lsp,
                format!("log option `{n}` is not imported"),
                "",
            ),
        }
    }
    if !d.args.is_empty() {
        cx.warn(
            Code::W0601,
            at,
            "a named logger is imported as the route's log",
            "",
        );
    }
    match &site.log {
        Some((Some(_), _)) if out_file.is_none() => cx.warn(
            Code::W0603,
            at,
            "a second `log` in this site: the route keeps the one that writes a file",
            "one `log` per site",
        ),
        Some(_) => {
            cx.warn(
                Code::W0603,
                at,
                "this `log` replaces the site's earlier one (a route has one log)",
                "one `log` per site",
            );
            site.log = Some((out_file, level));
        }
        None => site.log = Some((out_file, level)),
    }
}

fn reverse_proxy(
    cx: &mut Cx,
    file: FileId,
    d: &Directive,
    at: Span,
    args: &[Token],
    label: &str,
) -> Option<Action> {
    let mut targets: Vec<(String, Span)> = args
        .iter()
        .map(|a| (a.text.clone(), span(file, a)))
        .collect();
    let mut tls = false;
    let mut skip_verify = false;
    let mut health: Vec<(String, Val)> = Vec::new();
    for sub in d.block.iter().flatten() {
        let ssp = Span::new(file, sub.start, sub.end);
        match sub.name.text.as_str() {
            "to" => targets.extend(sub.args.iter().map(|a| (a.text.clone(), span(file, a)))),
            "transport" => {
                if sub.args.first().map(|a| a.text.as_str()) != Some("http") {
                    cx.error(Code::E0602, ssp, "only the `http` transport can be imported", "");
                    continue;
                }
                for t in sub.block.iter().flatten() {
                    let tsp = Span::new(file, t.start, t.end);
                    match t.name.text.as_str() {
                        "tls" => tls = true,
                        "tls_insecure_skip_verify" => {
                            tls = true;
                            skip_verify = true;
                            cx.warn(
                                Code::W0606,
                                tsp,
                                "`tls_insecure_skip_verify`: the proxy accepts any certificate from this backend, so anyone on the path can impersonate it",
                                "give the backend a certificate Caddy trusts (or pin it); the spec keeps `tls_skip_verify = true` (W0501 repeats this)",
                            );
                        }
                        "dial_timeout" | "read_timeout" | "write_timeout" | "keepalive" | "keepalive_idle_conns" | "response_header_timeout" => {
                            cx.warn(Code::W0601, tsp, format!("transport option `{}` is not imported; Caddy's default applies", t.name.text), "")
                        }
                        n => cx.error(Code::E0602, tsp, format!("transport option `{n}` cannot be imported"), ""),
                    }
                }
            }
            "health_uri" | "health_path" => {
                if let Some(p) = sub.args.first() {
                    health.push(("path".into(), Val::Str(p.text.clone())));
                }
            }
            "health_interval" | "health_timeout" => {
                let key = if sub.name.text == "health_interval" { "interval" } else { "timeout" };
                match sub.args.first().and_then(|a| duration(&a.text)) {
                    Some(dur) => health.push((key.into(), Val::Raw(dur))),
                    None => cx.warn(Code::W0601, ssp, format!("`{}` is not a duration eosc reads", sub.name.text), ""),
                }
            }
            "lb_policy" | "lb_try_duration" | "lb_try_interval" | "fail_duration" | "max_fails" | "flush_interval" | "health_status" | "health_body" | "health_headers" | "health_port" | "unhealthy_status" | "unhealthy_latency" => {
                cx.warn(Code::W0603, ssp, format!("`{}` is not imported; eosc's load balancing defaults apply", sub.name.text), "")
            }
            n => cx.error(
                Code::E0602,
                ssp,
                format!("`reverse_proxy` option `{n}` cannot be imported; the proxy would behave differently"),
                "header rewriting and response handling belong in the backend",
            ),
        }
    }
    if targets.is_empty() {
        cx.error(Code::E0601, at, "`reverse_proxy` without an upstream", "");
        return None;
    }
    let mut dials = Vec::new();
    for (t, tsp) in &targets {
        let t = t.as_str();
        let (scheme, rest) = match t.split_once("://") {
            Some((s, r)) => (s, r),
            None => ("", t),
        };
        if scheme == "https" {
            tls = true;
        } else if !scheme.is_empty() && scheme != "http" {
            cx.error(
                Code::E0602,
                *tsp,
                format!("upstream scheme `{scheme}://` cannot be imported"),
                "",
            );
            return None;
        }
        if rest.contains('{') || rest.starts_with("unix/") || rest.contains('/') {
            cx.error(
                Code::E0602,
                *tsp,
                format!("upstream `{t}` is not a host:port"),
                "proxy to `host:port`",
            );
            return None;
        }
        let has_port = rest.rsplit_once(':').is_some_and(|(h, p)| {
            !h.is_empty() && p.parse::<u16>().is_ok() && !rest.ends_with(']')
        });
        let dial = if has_port {
            rest.to_string()
        } else {
            format!("{rest}:{}", if tls { 443 } else { 80 })
        };
        dials.push((dial, *tsp));
    }
    // A compose service of the same import: route to its app.
    if dials.len() == 1 && !tls {
        let (dial, tsp) = &dials[0];
        if let Some((host, port)) = dial.rsplit_once(':') {
            if let (Some((app, ports)), Ok(p)) =
                (cx.service_host(host).cloned(), port.parse::<u16>())
            {
                if let Some((_, pname)) = ports.iter().find(|(cp, _)| *cp == p) {
                    cx.warn(
                        Code::W0603,
                        *tsp,
                        format!("upstream `{dial}` is compose service `{app}`: the route goes to its app (Consul), not to the container name"),
                        "check the app's port; the container name does not exist under Nomad",
                    );
                    return Some(Action::App {
                        to: format!("app.{app}.port.{pname}"),
                    });
                }
            }
        }
    }
    let target_vals: Vec<Val> = dials.iter().map(|(d, _)| Val::Str(d.clone())).collect();
    // The same backend from two sites is one upstream.
    if let Some((name, _)) = cx.upstreams.iter().find(|(_, b)| {
        b.get("targets") == Some(&Val::List(target_vals.clone()))
            && b.get("tls").is_some() == tls
            && b.get("tls_skip_verify").is_some() == skip_verify
            && b.blocks.is_empty()
            && health.is_empty()
    }) {
        return Some(Action::Proxy {
            upstream: name.clone(),
        });
    }
    let name = unique_name(&cx.upstreams, label.split('.').next().unwrap_or("upstream"));
    let mut b = Block::new("upstream", Some(&name));
    b.comment(format!("reverse_proxy at {}", cx.at(at)));
    b.attr("targets", Val::List(target_vals));
    if skip_verify {
        b.attr_c(
            "tls_skip_verify",
            Val::Bool(true),
            "tls_insecure_skip_verify in the Caddyfile",
        );
    } else if tls {
        b.attr("tls", Val::Bool(true));
    }
    if !health.is_empty() {
        let mut h = Block::new("health", None);
        for (k, v) in health {
            h.attr(&k, v);
        }
        b.blocks.push(h);
    }
    cx.upstreams.insert(name.clone(), b);
    Some(Action::Proxy { upstream: name })
}

/// A Go duration (`10s`, `1m30s`, `500ms`) as a spec duration literal.
pub(crate) fn duration(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            "ms"
        } else {
            match c {
                's' => "s",
                'm' => "m",
                'h' => "h",
                _ => return None,
            }
        };
        if num.is_empty() {
            return None;
        }
        out.push_str(&num);
        out.push_str(unit);
        num.clear();
    }
    (num.is_empty() && !out.is_empty()).then_some(out)
}

fn middleware_block(cx: &mut Cx, name: &str, mut parts: Parts, origin: String) -> Block {
    let mut b = Block::new("middleware", Some(name));
    b.comment(format!("from {origin}"));
    if !parts.uses.is_empty() {
        let refs = parts
            .uses
            .iter()
            .map(|m| Val::Raw(format!("middleware.{m}")))
            .collect();
        b.attr("use", Val::List(refs));
    }
    if !parts.encode.is_empty() {
        b.attr(
            "encode",
            Val::List(parts.encode.iter().cloned().map(Val::Str).collect()),
        );
    }
    if !parts.headers.is_empty() {
        b.attr("headers", Val::Obj(parts.headers.clone()));
    }
    if !parts.headers.is_empty() || !parts.encode.is_empty() {
        b.attr_c(
            "refusal_headers",
            Val::Bool(true),
            "Caddy runs `header` and `encode` before `respond`",
        );
    }
    if let Some(at) = parts.abort_after_respond {
        cx.warn(
            Code::W0603,
            at,
            "Caddy runs every `abort` before every `respond` of a site; eosc keeps the written order",
            "a request matching both an earlier `respond` and this `abort` is now answered instead of closed",
        );
    }
    b.blocks = std::mem::take(&mut parts.rules);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(duration("1m30s").as_deref(), Some("1m30s"));
        assert_eq!(duration("500ms").as_deref(), Some("500ms"));
        assert_eq!(duration("1.5s"), None);
        assert_eq!(duration(""), None);
    }
}
