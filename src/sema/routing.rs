//! Upstreams, middleware, auth, routes and DNS: the Caddy/DNS side.

use super::eval::{check_shape, Cx, V};
use super::model::*;
use super::schema;
use crate::diagnostics::Code;
use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Block, ExprKind};
use indexmap::IndexMap;

pub fn upstream(cx: &mut Cx<'_>, b: &Block, name: &str) -> Option<Upstream> {
    check_shape(cx, b, &schema::upstream::UPSTREAM);
    let absent = cx.absent(b, "targets", "[\"10.0.0.5:8080\"]");
    if let (false, Some(a)) = (absent, b.body.attr("targets")) {
        if matches!(&a.value.kind, ExprKind::List(items) if items.is_empty()) {
            cx.err(
                Diagnostic::error(
                    Code::E0303,
                    a.value.span,
                    format!("upstream `{name}` has no targets"),
                )
                .label("empty list")
                .help("list the addresses Caddy dials: `targets = [\"10.0.0.5:8080\"]`"),
            );
        }
    }
    let mut targets = Vec::new();
    for (t, span) in cx.strings(&b.body, "targets") {
        match t.rsplit_once(':') {
            Some((host, port))
                if valid_host_or_ip(host) && port.parse::<u16>().is_ok_and(|p| p > 0) =>
            {
                targets.push(t)
            }
            _ => cx.err(
                Diagnostic::error(
                    Code::E0303,
                    span,
                    format!("`{}` is not a `host:port` address", t.escape_debug()),
                )
                .label("invalid target")
                .help(
                    "write the address Caddy dials: `100.65.138.128:11000`, `backend.internal:443`",
                ),
            ),
        }
    }
    let mut tls_skip_verify = cx.bool_of(&b.body, &schema::upstream::TLS_SKIP_VERIFY);
    let tls_value = cx.bool_of(&b.body, &schema::upstream::TLS);
    if let (true, false, Some(tls_attr)) = (tls_skip_verify, tls_value, b.body.attr("tls")) {
        // Skipping verification of a certificate that is never asked for:
        // one of the two lines is a mistake, and eosc cannot tell which.
        let skip_span = b
            .body
            .attr("tls_skip_verify")
            .map_or(tls_attr.span, |a| a.span);
        cx.err(
            Diagnostic::error(
                Code::E0325,
                skip_span,
                format!("upstream `{name}` skips TLS verification but does not use TLS"),
            )
            .label("no certificate to verify")
            .with_secondary(tls_attr.span, "plain HTTP here")
            .help("if the backend speaks HTTPS, remove `tls = false`; if it speaks plain HTTP, remove `tls_skip_verify = true`"),
        );
        // The error says it all; W0501 on the same line would be noise.
        tls_skip_verify = false;
    }
    let tls = tls_value || tls_skip_verify;
    let health = b.body.blocks_of("health").next().map(|h| {
        check_shape(cx, h, &schema::upstream::HEALTH);
        UpstreamHealth {
            path: cx
                .string(&h.body, "path")
                .and_then(|(p, span)| {
                    // Caddy's health checker expands placeholders in its
                    // `uri`; a URL path needs none of `{`, `}`, `\`, blanks.
                    if super::lexical::url_path(&p) {
                        Some(p)
                    } else {
                        cx.err(
                            Diagnostic::error(
                                Code::E0312,
                                span,
                                format!("`{}` is not a health check path", p.escape_debug()),
                            )
                            .label("not a URL path of visible characters without `{`, `}`")
                            .help("write the path the backend serves: `/health`, `/api/status?full=1`"),
                        );
                        None
                    }
                })
                .unwrap_or_else(|| "/".into()),
            interval: cx
                .duration_of(&h.body, &schema::upstream::HEALTH_INTERVAL)
                .unwrap_or_default(),
            timeout: cx
                .duration_of(&h.body, &schema::upstream::HEALTH_TIMEOUT)
                .unwrap_or_default(),
        }
    });
    Some(Upstream {
        name: name.into(),
        targets,
        tls,
        tls_skip_verify,
        health,
    })
}

/// Caddy handlers that stock Caddy lacks, and the plugin each needs.
const PLUGINS: &[(&str, &str)] = &[("rate_limit", "github.com/mholt/caddy-ratelimit")];

/// The middleware and the names it `use`s.
pub fn middleware(
    cx: &mut Cx<'_>,
    b: &Block,
    name: &str,
    plugins: &[String],
) -> Option<(Middleware, Vec<String>)> {
    check_shape(cx, b, &schema::middleware::MIDDLEWARE);
    let mut uses = Vec::new();
    for (r, span) in cx.references(&b.body, "use", &["middleware"]) {
        if cx.plain_ref(&r, span) {
            uses.push(r.name);
        }
    }
    let mut encode = Vec::new();
    if let Some(items) = cx.list(&b.body, "encode") {
        for v in items {
            if let Some(e) = cx.as_string(&v) {
                if matches!(e.as_str(), "gzip" | "zstd") {
                    encode.push(e);
                } else {
                    cx.err(
                        Diagnostic::error(
                            Code::E0306,
                            v.span,
                            format!("`{e}` is not an encoding Caddy ships"),
                        )
                        .label("unknown encoding")
                        .help(suggestion_help(
                            &e,
                            &["gzip", "zstd"],
                            "encoding",
                        )),
                    );
                }
            }
        }
    }
    let mut headers = IndexMap::new();
    for (k, (v, span, key_span)) in cx.keyed_string_map(&b.body, "headers") {
        let name_ok = super::lexical::http_token(&k);
        if !name_ok || !http_field_value(&v) {
            // On the part that is wrong: the name, or else the value.
            let at = if name_ok { span } else { key_span };
            cx.err(
                Diagnostic::error(Code::E0312, at, format!("header `{}` cannot be sent safely", k.escape_debug()))
                    .label("control character, surrounding blank or invalid header name")
                    .help("header names are tokens (letters, digits, `-`); values cannot contain newlines or control characters, nor start or end with a blank (HTTP drops it)"),
            );
            continue;
        }
        // Header names are case-insensitive (RFC 9110 §5.1): two spellings
        // are one header, and Caddy would send only one of the values.
        if let Some(first) = headers
            .keys()
            .find(|h: &&String| h.eq_ignore_ascii_case(&k))
        {
            cx.err(
                Diagnostic::error(
                    Code::E0205,
                    span,
                    format!("header `{k}` is set twice (as `{first}` too)"),
                )
                .label("same header, other case")
                .help("HTTP header names ignore case; keep one of the two entries"),
            );
            continue;
        }
        headers.insert(k, v);
    }
    let rate_limit = match b.body.attr("rate_limit") {
        Some(a) => {
            let (plugin, module) = PLUGINS[0];
            if !plugins.iter().any(|p| p == plugin) {
                cx.err(
                    Diagnostic::error(Code::E0316, a.name.span, "`rate_limit` needs a Caddy plugin")
                        .label(format!("stock Caddy has no `{plugin}` handler"))
                        .help(format!("build Caddy with {module} and declare it: `caddy_plugins = [\"{plugin}\"]` in `project`, or remove the rate limit")),
                );
                None
            } else {
                let obj = cx.object(&b.body, "rate_limit");
                let mut events = None;
                let mut window = None;
                let mut key = Some(RateLimit::DEFAULT_KEY.to_string());
                for (k, v) in obj {
                    match (k.name.as_str(), &v.v) {
                        ("events", V::Num(_)) => {
                            events = cx.as_int(&v, "events", 1, 1_000_000).map(|e| e as u32)
                        }
                        ("window", V::Dur(d)) => window = Some(*d),
                        ("key", V::Str(s)) => {
                            key = super::proxy::template(cx, s, v.span, "`rate_limit.key`")
                                .then(|| s.clone())
                        }
                        _ => cx.err(
                            Diagnostic::error(
                                Code::E0202,
                                k.span,
                                format!("unknown rate_limit field `{}`", k.name),
                            )
                            .label("unknown field")
                            .help("write `rate_limit = { events = 100, window = 1m, key = \"{remote_host}\" }`"),
                        ),
                    }
                }
                match (events, window, key) {
                    (Some(events), Some(window), Some(key)) => Some(RateLimit {
                        events,
                        window,
                        key,
                    }),
                    _ => None,
                }
            }
        }
        None => None,
    };
    let mut rules = Vec::new();
    for r in b.body.blocks_of("block") {
        if r.labels.len() != 1 {
            cx.err(super::resolve::label_count_error(r, 1));
            continue;
        }
        check_shape(cx, r, &schema::middleware::BLOCK);
        let match_all = match cx.string(&r.body, "match") {
            Some((m, _)) if m == "all" => true,
            Some((m, span)) if m != "any" => {
                cx.err(
                    Diagnostic::error(Code::E0306, span, format!("`{m}` is not a way to combine conditions"))
                        .label("expected \"any\" or \"all\"")
                        .help("`match = \"any\"` (the default) blocks when one condition matches, `match = \"all\"` only when every one does"),
                );
                false
            }
            _ => false,
        };
        let regexp = |cx: &mut Cx<'_>, attr: &str| {
            let (re, span) = cx.string(&r.body, attr)?;
            match regex_syntax::Parser::new().parse(&re) {
                Ok(_) => Some(re),
                Err(e) => {
                    cx.err(
                        Diagnostic::error(Code::E0320, span, "invalid regular expression")
                            .label(first_line(&e.to_string()))
                            .help("Caddy uses Go's RE2 syntax: no look-around or back-references"),
                    );
                    None
                }
            }
        };
        let path_regexp = regexp(cx, "path_regexp");
        let user_agent_regexp = regexp(cx, "user_agent_regexp");
        let action = match (
            cx.int(&r.body, "respond", 100, 599),
            cx.bool(&r.body, "abort"),
        ) {
            (Some(_), Some(true)) => {
                cx.err(
                    Diagnostic::error(
                        Code::E0318,
                        r.head_span(),
                        "a blocking rule either responds or aborts",
                    )
                    .label("both `respond` and `abort`")
                    .help(
                        "keep one: `respond = 404` answers, `abort = true` closes the connection",
                    ),
                );
                BlockAction::Abort
            }
            (Some((code, _)), _) => BlockAction::Respond(code as u16),
            (None, Some(true)) => BlockAction::Abort,
            _ => BlockAction::Respond(403),
        };
        let strings = |cx: &mut Cx<'_>, a: &str| {
            cx.strings(&r.body, a)
                .into_iter()
                .map(|s| s.0)
                .collect::<Vec<_>>()
        };
        let rule = BlockRule {
            name: r.labels[0].name.clone(),
            headers: strings(cx, "headers"),
            paths: strings(cx, "paths"),
            path_regexp,
            query: strings(cx, "query"),
            user_agents: user_agents(cx, &r.body),
            user_agent_regexp,
            match_all,
            action,
        };
        // Conditions written but rejected (a bad regexp) are reported already.
        let written = [
            "headers",
            "paths",
            "path_regexp",
            "query",
            "user_agents",
            "user_agent_regexp",
        ]
        .iter()
        .filter_map(|a| r.body.attr(a))
        .any(|a| !matches!(&a.value.kind, ExprKind::List(l) if l.is_empty()));
        if !written
            && rule.headers.is_empty()
            && rule.paths.is_empty()
            && rule.path_regexp.is_none()
            && rule.query.is_empty()
            && rule.user_agents.is_empty()
            && rule.user_agent_regexp.is_none()
        {
            cx.err(
                Diagnostic::error(Code::E0206, r.head_span(), "a blocking rule without conditions")
                    .label("matches nothing")
                    .help("add `paths`, `headers`, `query`, `user_agents`, `path_regexp` or `user_agent_regexp`"),
            );
        }
        rules.push(rule);
    }
    let log = middleware_log(cx, b);
    Some((
        Middleware {
            name: name.into(),
            rules,
            headers,
            encode,
            rate_limit,
            refusal_headers: cx.bool(&b.body, "refusal_headers").unwrap_or(false),
            log,
        },
        uses,
    ))
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or("").trim().to_string()
}

pub use super::targets::target;

pub fn auth(cx: &mut Cx<'_>, b: &Block, name: &str, apps: &IndexMap<String, App>) -> Option<Auth> {
    check_shape(cx, b, &schema::auth::AUTH);
    cx.absent(b, "provider", "\"authentik\"");
    let provider = cx.choice(&b.body, "provider", &["authentik"]);
    cx.absent(b, "outpost", "app.authentik.port.http");
    let outpost = cx
        .reference(&b.body, "outpost", &["app", "upstream"])
        .and_then(|(r, span)| target(cx, &r, span, apps, "an outpost"));
    let mut groups = Vec::new();
    for (g, span) in cx.strings(&b.body, "groups") {
        if g.is_empty() || g.chars().any(|c| c.is_control()) {
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    span,
                    "a group name cannot be empty or contain control characters",
                )
                .label("invalid group")
                .help("write the Authentik group's name"),
            );
            continue;
        }
        groups.push(g);
    }
    // `groups = []` binds no group policy: authentik then lets every
    // authenticated user through, the opposite of what an empty list reads as.
    if let Some(a) = b.body.attr("groups") {
        if cx.strings(&b.body, "groups").is_empty() {
            cx.err(
                Diagnostic::error(Code::E0303, a.value.span, format!("auth `{name}` lists no group"))
                    .label("empty list")
                    .help("name the Authentik groups allowed in (`groups = [\"admins\"]`); leave `groups` out to admit every signed-in user"),
            );
        }
    }
    let token = cx
        .reference(&b.body, "token", &["secret"])
        .and_then(|(r, span)| cx.plain_ref(&r, span).then_some(r.name));
    Some(Auth {
        name: name.into(),
        provider: provider?.0,
        outpost: outpost?,
        groups,
        token,
    })
}

pub fn route(cx: &mut Cx<'_>, b: &Block, t: &super::proxy::Targets<'_>) -> Option<Route> {
    let apps = t.apps;
    check_shape(cx, b, &schema::route::ROUTE);
    let host_label = &b.labels[0];
    // Normalised as Caddy and DNS compare hosts: case-insensitive, and a
    // final dot names the same host (`a.example.com.` = `a.example.com`).
    let host = host_label.name.trim_end_matches('.').to_ascii_lowercase();
    if !valid_hostname(&host, true) {
        cx.err(
            Diagnostic::error(Code::E0313, host_label.span, format!("`{}` is not a valid host name", host.escape_debug()))
                .label("invalid host")
                .help("a route's label is the DNS name it serves: `cloud.example.com` (letters, digits, `-`, dots; `*.` for a wildcard)"),
        );
    }
    let path = cx.string(&b.body, "path").and_then(|(p, span)| {
        if p.starts_with('/') && !p.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some(p)
        } else {
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    span,
                    format!("`{}` is not a path pattern", p.escape_debug()),
                )
                .label("invalid path")
                .help("a path starts with `/` and may end in `*`: `\"/api/*\"`"),
            );
            None
        }
    });
    let given: Vec<&str> = ["to", "redirect", "respond"]
        .into_iter()
        .filter(|a| b.body.attr(a).is_some())
        .collect();
    if given.len() != 1 {
        let span = given
            .get(1)
            .and_then(|a| b.body.attr(a))
            .map(|a| a.name.span)
            .unwrap_or_else(|| b.head_span());
        cx.err(
            Diagnostic::error(Code::E0318, span, "a route needs exactly one of `to`, `redirect` or `respond`")
                .label(if given.is_empty() { "no action".to_string() } else { format!("both `{}` and `{}`", given[0], given[1]) })
                .help("`to = app.x` proxies, `redirect = \"https://…\"` redirects, `respond = 404` answers directly"),
        );
    }
    let action = match given.first().copied() {
        Some("to") => {
            let Some((r, span)) = cx.reference(&b.body, "to", &["app", "upstream"]) else {
                super::proxy::options(cx, b, None, t);
                return None;
            };
            let Some(to) = target(cx, &r, span, apps, "a route") else {
                super::proxy::options(cx, b, None, t);
                return None;
            };
            RouteAction::Proxy(to)
        }
        Some("redirect") => {
            let (to, span) = cx.string(&b.body, "redirect")?;
            if to.chars().any(|c| c.is_control() || c.is_whitespace()) || to.is_empty() {
                cx.err(
                    Diagnostic::error(
                        Code::E0312,
                        span,
                        "a redirect target cannot contain spaces or control characters",
                    )
                    .label("invalid URL")
                    .help("write an absolute URL or a path: `\"https://example.com{uri}\"`"),
                );
            }
            let host = b
                .labels
                .first()
                .map(|l| l.name.to_ascii_lowercase())
                .unwrap_or_default();
            match to.split_once("://") {
                // A bare host is a relative reference: the browser appends it
                // to the current path (`/a/cybermonkey.dev`).
                None if !to.starts_with('/') && !to.starts_with('{') && !to.is_empty() => cx.err(
                    Diagnostic::error(
                        Code::E0303,
                        span,
                        format!(
                            "redirect target `{}` is neither a URL nor a path",
                            to.escape_debug()
                        ),
                    )
                    .label("read as a relative path")
                    .help(format!(
                        "write the scheme: `\"https://{}\"`, or a path starting with `/`",
                        to.escape_debug()
                    )),
                ),
                // The route matches every path of its host, so a redirect to
                // the same host lands on it again: a loop.
                Some((_, rest)) if b.body.attr("path").is_none() => {
                    let target = rest
                        .split(['/', '{', '?', '#'])
                        .next()
                        .unwrap_or("")
                        .rsplit_once(':')
                        .map_or(
                            rest.split(['/', '{', '?', '#']).next().unwrap_or(""),
                            |(h, _)| h,
                        )
                        .to_ascii_lowercase();
                    if !host.is_empty()
                        && target.trim_end_matches('.') == host.trim_end_matches('.')
                    {
                        cx.err(
                            Diagnostic::error(Code::E0303, span, format!("route `{host}` redirects to itself"))
                                .label("the redirect lands on this route again")
                                .help("redirect to another host (`https://www.example.com{uri}`), or give the route a `path` the target is outside of; Caddy already redirects HTTP to HTTPS by itself"),
                        );
                    }
                }
                _ => {}
            }
            let status = cx
                .int(&b.body, "status", 300, 308)
                .map(|s| s.0 as u16)
                .unwrap_or(302);
            RouteAction::Redirect { to, status }
        }
        Some(_) => {
            let (status, _) = cx.int(&b.body, "respond", 100, 599)?;
            let body = cx.string(&b.body, "body").map(|s| s.0);
            RouteAction::Respond {
                status: status as u16,
                body,
            }
        }
        None => return None,
    };
    let mut middleware = Vec::new();
    for (r, span) in cx.references(&b.body, "middleware", &["middleware"]) {
        if cx.plain_ref(&r, span) {
            middleware.push(r.name);
        }
    }
    let auth = cx
        .reference(&b.body, "auth", &["auth"])
        .and_then(|(r, s)| cx.plain_ref(&r, s).then_some(r.name));
    let dns_external = cx.choice(&b.body, "dns", &["external"]).is_some();
    // One access log per route: a second block would be dropped unread.
    if let Some(extra) = b.body.blocks_of("log").nth(1) {
        cx.err(
            Diagnostic::error(Code::E0205, extra.kind.span, "a second `log` block in one route")
                .label("only one is read")
                .help("a route writes one access log; keep one `log` block (several routes may share a file)"),
        );
    }
    let log = b
        .body
        .blocks_of("log")
        .next()
        .map(|l| access_log(cx, l, &schema::route::LOG));
    let proxy = super::proxy::options(cx, b, Some(&action), t);
    let mut route = Route {
        host,
        path,
        action,
        middleware,
        auth,
        log,
        dns_external,
        verify: Vec::new(),
        proxy,
    };
    route.verify = b
        .body
        .blocks_of("verify")
        .filter_map(|v| route_verify(cx, v, &route))
        .collect();
    Some(route)
}

/// A route's or a middleware's `log` block.
fn access_log(cx: &mut Cx<'_>, l: &Block, s: &'static schema::Schema) -> RouteLog {
    {
        check_shape(cx, l, s);
        let level = cx
            .choice(&l.body, "level", &["DEBUG", "INFO", "WARN", "ERROR"])
            .map(|l| l.0)
            .unwrap_or_else(|| "INFO".into());
        let file = cx.string(&l.body, "file").and_then(|(f, span)| {
            // Caddy expands `{…}` placeholders in a log writer's filename
            // and has no escape there: a brace cannot be carried.
            if super::lexical::file_path(&f) {
                Some(f)
            } else {
                cx.err(
                    Diagnostic::error(
                        Code::E0312,
                        span,
                        "a log file must be an absolute path without `{` or `}`",
                    )
                    .label(if f.starts_with('/') {
                        "Caddy would expand `{…}` here"
                    } else {
                        "not absolute"
                    })
                    .help("write `/var/log/caddy/<site>.log`"),
                );
                None
            }
        });
        RouteLog { file, level }
    }
}

/// A middleware's `log` block: one at most.
fn middleware_log(cx: &mut Cx<'_>, b: &Block) -> Option<RouteLog> {
    if let Some(extra) = b.body.blocks_of("log").nth(1) {
        cx.err(
            Diagnostic::error(
                Code::E0205,
                extra.kind.span,
                "a second `log` block in one middleware",
            )
            .label("only one is read")
            .help("a middleware turns on one access log; keep one `log` block"),
        );
    }
    b.body
        .blocks_of("log")
        .next()
        .map(|l| access_log(cx, l, &schema::middleware::LOG))
}

/// One `verify` block: its path a URL path, its headers tokens with
/// printable values.
fn route_verify(cx: &mut Cx<'_>, v: &Block, route: &Route) -> Option<RouteVerify> {
    check_shape(cx, v, &schema::route::VERIFY);
    let mut ok = true;
    let path = cx.string(&v.body, "path").and_then(|(p, span)| {
        if super::lexical::url_path(&p) {
            Some(p)
        } else {
            ok = false;
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    span,
                    format!("`{}` is not a URL path to verify", p.escape_debug()),
                )
                .label("expected `/…`")
                .help("write an absolute path without spaces or `{}`: `path = \"/health\"`"),
            );
            None
        }
    });
    let status = cx
        .int_of(&v.body, &schema::route::VERIFY_STATUS)
        .map(|s| s as u16)
        .unwrap_or_else(|| route.default_status());
    let body_contains = cx.string(&v.body, "body_contains").and_then(|(t, span)| {
        if t.is_empty() || t.contains(['\0', '\n', '\r']) {
            ok = false;
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    span,
                    "`body_contains` must be one non-empty line",
                )
                .label("empty or several lines")
                .help(
                    "give a short piece of text the page must contain: `body_contains = \"Helen\"`",
                ),
            );
            None
        } else {
            Some(t)
        }
    });
    let mut headers = IndexMap::new();
    for (k, (val, span, key_span)) in cx.keyed_string_map(&v.body, "headers") {
        if !super::lexical::http_token(&k) {
            ok = false;
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    key_span,
                    format!("`{}` is not a header name", k.escape_debug()),
                )
                .label("not an HTTP token")
                .help("header names are letters, digits and `-` (`Content-Type`)"),
            );
            continue;
        }
        if val.chars().any(|c| c.is_control()) {
            ok = false;
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    span,
                    format!("the expected value of `{k}` has a control character"),
                )
                .label("control character")
                .help("expect printable text: the check looks for it in the header's value"),
            );
            continue;
        }
        headers.insert(k, val);
    }
    ok.then_some(RouteVerify {
        path,
        status,
        body_contains,
        headers,
    })
}

pub fn valid_hostname(h: &str, allow_wildcard: bool) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    let h = match h.strip_prefix("*.") {
        Some(rest) if allow_wildcard => rest,
        _ => h,
    };
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

pub(crate) fn valid_host_or_ip(h: &str) -> bool {
    let h = h.trim_start_matches('[').trim_end_matches(']');
    h.parse::<std::net::IpAddr>().is_ok() || valid_hostname(h, false)
}

use schema::dns::RECORD_TYPES;

pub fn zone(cx: &mut Cx<'_>, b: &Block, name: &str) -> Option<Zone> {
    check_shape(cx, b, &schema::dns::DNS);
    let zname = name.trim_end_matches('.').to_ascii_lowercase();
    if !valid_hostname(&zname, false) || !zname.contains('.') {
        cx.err(
            Diagnostic::error(
                Code::E0313,
                b.labels[0].span,
                format!("`{}` is not a valid zone name", name.escape_debug()),
            )
            .label("invalid zone")
            .help("a zone is a domain such as `example.com`"),
        );
        return None;
    }
    let ttl = cx.int_of(&b.body, &schema::dns::TTL).unwrap_or(3600) as u32;
    let mut records = Vec::new();
    for r in b.body.blocks_of("record") {
        if r.labels.len() != 1 {
            cx.err(super::resolve::label_count_error(r, 1));
            continue;
        }
        check_shape(cx, r, &schema::dns::RECORD);
        let label = &r.labels[0];
        let rname = label.name.to_ascii_lowercase();
        // `hera.example.com` (or `hera.example.com.`) inside zone
        // example.com: names are relative, so it would become
        // hera.example.com.example.com.
        let bare = rname.trim_end_matches('.');
        if bare == zname || bare.ends_with(&format!(".{zname}")) {
            let rel = bare
                .strip_suffix(&zname)
                .unwrap_or("")
                .trim_end_matches('.');
            let fix = if rel.is_empty() { "@" } else { rel };
            cx.err(
                Diagnostic::error(
                    Code::E0313,
                    label.span,
                    format!(
                        "record name `{}` repeats the zone `{zname}`",
                        rname.escape_debug()
                    ),
                )
                .label("fully qualified inside the zone")
                .help(format!(
                    "record names are relative to the zone: write `{fix}`"
                )),
            );
            continue;
        }
        if rname != "@" && rname != "*" && !valid_hostname(&rname, true) {
            cx.err(
                Diagnostic::error(
                    Code::E0313,
                    label.span,
                    format!("`{}` is not a valid record name", rname.escape_debug()),
                )
                .label("invalid name")
                .help("write `@` for the apex or a name relative to the zone: `www`, `_dmarc`"),
            );
            continue;
        }
        if cx.absent(r, "type", "\"A\"") {
            continue;
        }
        let Some((rtype, _)) = cx.choice(&r.body, "type", RECORD_TYPES) else {
            continue;
        };
        if cx.absent(r, "value", "\"192.0.2.1\"") {
            continue;
        }
        let Some(v) = cx.get(&r.body, "value") else {
            continue;
        };
        let value = match &v.v {
            V::Ref(re) if re.kind == "server" => match re.rest.as_slice() {
                [f] if (f.name == "ipv4" && rtype == "A")
                    || (f.name == "ipv6" && rtype == "AAAA") =>
                {
                    RecordValue::ServerIp {
                        server: re.name.clone(),
                        v6: f.name == "ipv6",
                    }
                }
                _ => {
                    let want = if rtype == "AAAA" { "ipv6" } else { "ipv4" };
                    cx.err(
                        Diagnostic::error(
                            Code::E0307,
                            v.span,
                            format!(
                                "{} record cannot take `{}`",
                                crate::diagnostics::with_article(&rtype),
                                re.path()
                            ),
                        )
                        .label("wrong reference")
                        .help(if matches!(rtype.as_str(), "A" | "AAAA") {
                            format!("write `server.{}.{want}`", re.name)
                        } else {
                            "server addresses fit A (`.ipv4`) and AAAA (`.ipv6`) records"
                                .to_string()
                        }),
                    );
                    continue;
                }
            },
            V::Str(s) => {
                if let Some(why) = invalid_rdata(&rtype, s) {
                    cx.err(
                        Diagnostic::error(
                            Code::E0303,
                            v.span,
                            format!("{} is not a valid {rtype} value", shown_rdata(s)),
                        )
                        .label(why)
                        .help(rdata_help(&rtype)),
                    );
                    continue;
                }
                // An IP address as target is reported as such (E0303 in
                // value_rules); a final dot would not fix it.
                if let Some(host) =
                    relative_target(&rtype, s).filter(|h| h.parse::<std::net::IpAddr>().is_err())
                {
                    cx.err(
                        Diagnostic::error(
                            Code::E0303,
                            v.span,
                            format!("the {rtype} target `{}` has no final dot", host.escape_debug()),
                        )
                        .label("relative: the zone's name would be appended")
                        .help(format!(
                            "write `\"{}.\"`; without the final dot the name means `{host}.{zname}.`",
                            s.escape_debug()
                        )),
                    );
                    continue;
                }
                RecordValue::Literal(s.clone())
            }
            _ => {
                cx.type_error(&v, "a string or `server.<name>.ipv4`");
                continue;
            }
        };
        records.push((
            label.span,
            Record {
                name: rname,
                rtype,
                value,
                ttl: cx.int(&r.body, "ttl", 60, 86400 * 7).map(|t| t.0 as u32),
            },
        ));
    }
    check_record_conflicts(cx, &zname, &records);
    Some(Zone {
        name: zname,
        existing: cx.bool(&b.body, "existing").unwrap_or(false),
        ttl,
        records: records.into_iter().map(|(_, r)| r).collect(),
    })
}

fn check_record_conflicts(cx: &mut Cx<'_>, zone: &str, records: &[(Span, Record)]) {
    // Record indices by name, in order: a CNAME's neighbours without a
    // scan of the whole zone per record.
    let mut by_name: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, (_, r)) in records.iter().enumerate() {
        by_name.entry(r.name.as_str()).or_default().push(i);
    }
    // The absolute name of a record name of this zone, and back.
    let fqdn = |n: &str| {
        if n == "@" {
            format!("{zone}.")
        } else {
            format!("{n}.{zone}.")
        }
    };
    let cname_at = |target: &str| {
        let t = target.trim_end_matches('.').to_ascii_lowercase();
        let rel = if t == zone {
            "@".to_string()
        } else {
            t.strip_suffix(&format!(".{zone}"))
                .unwrap_or("")
                .to_string()
        };
        by_name
            .get(rel.as_str())
            .is_some_and(|ix| ix.iter().any(|&j| records[j].1.rtype == "CNAME"))
    };
    for (span, r) in records {
        let RecordValue::Literal(v) = &r.value else {
            continue;
        };
        let problem = match r.rtype.as_str() {
            "CNAME" if v.eq_ignore_ascii_case(&fqdn(&r.name)) => Some((
                Code::E0303,
                format!("CNAME `{}` points at itself", r.name),
                "a resolver follows it forever and answers SERVFAIL; point it at the host that serves the name".to_string(),
            )),
            // RFC 2181 §10.3: an MX or NS target must not be an alias.
            "MX" | "NS" => {
                let target = v.rsplit(' ').next().unwrap_or(v);
                cname_at(target).then(|| {
                    (
                        Code::E0303,
                        format!("{} target `{target}` is a CNAME of this zone", r.rtype),
                        format!("an {} record must name a host with its own A/AAAA records (RFC 2181 §10.3); point it at the CNAME's target instead", r.rtype),
                    )
                })
            }
            // RFC 2782: clients query `_service._proto.name`; an SRV
            // record anywhere else is never asked for.
            "SRV" => {
                let labels: Vec<&str> = r.name.split('.').collect();
                let ok = labels.len() >= 2
                    && labels[0].starts_with('_')
                    && matches!(labels[1].to_ascii_lowercase().as_str(), "_tcp" | "_udp" | "_tls" | "_sctp");
                (!ok).then(|| {
                    (
                        Code::E0313,
                        format!("SRV record at `{}` has no `_service._proto` labels", r.name),
                        "clients look up `_<service>._<proto>[.<name>]`, e.g. `_turn._udp`: name the record so".to_string(),
                    )
                })
            }
            _ => None,
        };
        if let Some((code, message, help)) = problem {
            cx.err(
                Diagnostic::error(code, *span, message)
                    .label("never resolves as meant")
                    .help(help),
            );
        }
    }
    for (i, (span, r)) in records.iter().enumerate() {
        if r.rtype != "CNAME" {
            continue;
        }
        if r.name == "@" {
            cx.err(
                Diagnostic::error(Code::E0405, *span, format!("a CNAME at the apex of `{zone}`"))
                    .label("CNAME at @")
                    .help("the apex carries SOA and NS records, which a CNAME cannot sit beside; use A/AAAA records (e.g. `server.edge.ipv4`)"),
            );
            continue;
        }
        let same_name = by_name.get(r.name.as_str()).map_or(&[][..], Vec::as_slice);
        if let Some((other_span, other)) = same_name.iter().find(|&&j| j != i).map(|&j| &records[j])
        {
            if other.rtype == "CNAME" && same_name.first() != Some(&i) {
                continue; // reported once, at the first CNAME
            }
            cx.err(
                Diagnostic::error(
                    Code::E0404,
                    *span,
                    format!(
                        "CNAME `{}` beside a {} record of the same name",
                        r.name, other.rtype
                    ),
                )
                .label("CNAME")
                .with_secondary(*other_span, "other record")
                .help("a name with a CNAME can have no other record; remove one of them"),
            );
        }
    }
}

/// Per type, in `lexical::rdata_problem`: the zone file writes what
/// passes as is.
fn invalid_rdata(rtype: &str, s: &str) -> Option<&'static str> {
    super::lexical::rdata_problem(rtype, s)
}

/// How an E0303 message may quote record data: a short value as written,
/// a long one or one that looks like a secret (a PEM key in a TXT
/// record) by its length only, so SARIF and JSON never carry it.
fn shown_rdata(s: &str) -> String {
    if s.chars().count() > 64 || super::secret_rules::value_finding(s, true).is_some() {
        format!("the {}-character value", s.chars().count())
    } else {
        format!("`{}`", s.escape_debug())
    }
}

/// The host name of a CNAME, NS or MX value that lacks its final dot.
fn relative_target<'a>(rtype: &str, s: &'a str) -> Option<&'a str> {
    let host = match rtype {
        "CNAME" | "NS" => s,
        "MX" => s.split_once(' ').map_or(s, |(_, h)| h),
        _ => return None,
    };
    (!host.ends_with('.')).then_some(host)
}

fn rdata_help(rtype: &str) -> String {
    match rtype {
        "A" => "write an IPv4 address (`192.0.2.1`) or `server.<name>.ipv4`".into(),
        "AAAA" => "write an IPv6 address (`2001:db8::1`) or `server.<name>.ipv6`".into(),
        "MX" => "write the priority and the host: `\"10 mail.example.com.\"`".into(),
        "SRV" => "write priority, weight, port and target: `\"10 5 5060 sip.example.com.\"`".into(),
        "CAA" => {
            "write flags, tag and the quoted value: `\"0 issue \\\"letsencrypt.org\\\"\"`".into()
        }
        "CNAME" | "NS" => "write a host name, absolute with a final dot: `\"example.com.\"`".into(),
        _ => format!("write the {rtype} record's data as in a zone file"),
    }
}

/// Which hosts the zones' records cover, indexed once so that checking
/// every route is linear in routes and records, not their product.
pub struct DnsCoverage<'z> {
    /// Zone name → its record names (exact and `*.`-wildcards alike).
    zones: std::collections::HashMap<&'z str, std::collections::HashSet<&'z str>>,
}

impl<'z> DnsCoverage<'z> {
    pub fn new(zones: &'z IndexMap<String, Zone>) -> Self {
        let mut index: std::collections::HashMap<_, std::collections::HashSet<_>> =
            std::collections::HashMap::new();
        for z in zones.values() {
            // Two blocks may name one zone (`Example.com.`, `example.com`).
            index
                .entry(z.name.as_str())
                .or_default()
                .extend(z.records.iter().map(|r| r.name.as_str()));
        }
        DnsCoverage { zones: index }
    }

    /// Whether some zone has a record for `host`: the exact name (`@` for
    /// the apex), a `*.suffix` wildcard matching its end, or `*` for a
    /// name one label below the zone.
    pub fn covers(&self, host: &str) -> bool {
        // The zone can be the host itself or any suffix after a dot.
        let mut candidates = vec![(host, "@")];
        for (i, c) in host.char_indices() {
            if c == '.' {
                candidates.push((&host[i + 1..], &host[..i]));
            }
        }
        candidates.into_iter().any(|(zone, rel)| {
            let Some(names) = self.zones.get(zone) else {
                return false;
            };
            names.contains(rel)
                || (names.contains("*") && !rel.contains('.') && rel != "@")
                || rel
                    .char_indices()
                    .filter(|&(_, c)| c == '.')
                    .any(|(i, _)| names.contains(format!("*{}", &rel[i..]).as_str()))
        })
    }
}

/// A value HTTP carries unchanged: no control character but tab, and no
/// blank at either end (RFC 9110 §5.5: receivers strip it).
fn http_field_value(v: &str) -> bool {
    super::lexical::http_field_value(v)
}

/// User-Agent values of a blocking rule: a value no request can carry
/// would be a rule that silently never matches.
fn user_agents(cx: &mut Cx<'_>, body: &crate::syntax::ast::Body) -> Vec<String> {
    let mut out = Vec::new();
    for (ua, span) in cx.strings(body, "user_agents") {
        if !http_field_value(&ua) {
            cx.err(
                Diagnostic::error(Code::E0312, span, format!("User-Agent `{}` can never be received", ua.escape_debug()))
                    .label("control character or surrounding blank")
                    .help("HTTP header values carry no control characters (tab aside) and lose blanks at either end; write the agent as it arrives"),
            );
        }
        // Kept even when refused (the error withholds the model): the rule
        // has a condition, so no second, misleading E0206.
        out.push(ua);
    }
    out
}
