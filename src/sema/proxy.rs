//! A route's `reverse_proxy` options (`schema::proxy`): fallback targets,
//! load balancing, passive and active health, `header_up`/`header_down`.
//! Each value is checked where it is written; combinations that Caddy
//! would take but not act on are refused (E0352) or said (W0516).

use super::eval::{check_shape, Cx};
use super::model::*;
use super::placeholders;
use super::schema::{self, proxy as rows};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Block, Body};
use indexmap::IndexMap;
use std::time::Duration;

/// The attributes and blocks of `schema::proxy` a route may carry.
const ATTRS: [&str; 10] = [
    "fallback",
    "lb_policy",
    "lb_field",
    "lb_try_duration",
    "lb_try_interval",
    "lb_retries",
    "fail_duration",
    "max_fails",
    "unhealthy_status",
    "unhealthy_latency",
];
const BLOCKS: [&str; 3] = ["header_up", "header_down", "health"];

/// What the options of a proxying route need to know about its targets.
pub struct Targets<'a> {
    pub apps: &'a IndexMap<String, App>,
    pub upstreams: &'a IndexMap<String, Upstream>,
    pub rollouts: &'a IndexMap<String, Rollout>,
}

/// The route's proxy options; W0508 on each one when `action` does not
/// proxy (a redirect or respond has no reverse proxy; as `status`/`body`
/// on the wrong kind of route, `route_rules`).
pub fn options(
    cx: &mut Cx<'_>,
    b: &Block,
    action: Option<&RouteAction>,
    t: &Targets<'_>,
) -> ProxyOptions {
    let written: Vec<Span> = ATTRS
        .iter()
        .filter_map(|a| b.body.attr(a).map(|a| a.name.span))
        .chain(
            BLOCKS
                .iter()
                .flat_map(|k| b.body.blocks_of(k).map(|x| x.kind.span)),
        )
        .collect();
    let primary = match action {
        Some(RouteAction::Proxy(target)) => target,
        Some(_) => {
            let host = b.labels.first().map_or("", |l| l.name.as_str());
            for span in written {
                cx.err(
                    Diagnostic::warning(Code::W0508, span, format!("a proxy option has no effect on route `{host}`"))
                        .label("ignored: this route redirects or responds")
                        .help("proxy options shape a `to = …` route's reverse proxy; remove it, or make the route proxy"),
                );
            }
            return ProxyOptions::default();
        }
        // The action failed to check (already reported).
        None => return ProxyOptions::default(),
    };
    let mut o = ProxyOptions {
        fallback: fallback(cx, &b.body, primary, t),
        ..ProxyOptions::default()
    };
    o.lb_policy = cx
        .choice_of(&b.body, &rows::LB_POLICY)
        .map(|c| c.0)
        .or_else(|| (!o.fallback.is_empty()).then(|| "first".to_string()));
    o.lb_field = cx.string(&b.body, "lb_field").map(|f| f.0);
    match (o.lb_policy.as_deref(), b.body.attr("lb_field")) {
        (Some("header"), None) => {
            let at = b
                .body
                .attr("lb_policy")
                .map_or(b.head_span(), |a| a.value.span);
            cx.err(
                Diagnostic::error(
                    Code::E0352,
                    at,
                    "`lb_policy = \"header\"` without `lb_field`",
                )
                .label("which header?")
                .help("name the request header to hash: `lb_field = \"X-Session\"`"),
            );
        }
        (p, Some(a)) if p != Some("header") => {
            cx.err(
                Diagnostic::error(
                    Code::E0352,
                    a.name.span,
                    "`lb_field` without `lb_policy = \"header\"`",
                )
                .label("no policy reads it")
                .help("set `lb_policy = \"header\"`, or remove `lb_field`"),
            );
        }
        _ => {}
    }
    let dur = |cx: &mut Cx<'_>, name: &str, min_ms: u64, max_ms: u64| {
        let a = b.body.attr(name)?;
        let d = cx.duration(&b.body, name)?;
        let ms = d.as_millis() as u64;
        if ms < min_ms || ms > max_ms {
            cx.err(
                Diagnostic::error(
                    Code::E0303,
                    a.value.span,
                    format!("`{name}` {} is out of range", schema::duration(ms)),
                )
                .label(format!(
                    "must be {}..={}",
                    schema::duration(min_ms),
                    schema::duration(max_ms)
                ))
                .help(format!(
                    "use a duration from {} to {}",
                    schema::duration(min_ms),
                    schema::duration(max_ms)
                )),
            );
            return None;
        }
        Some(d)
    };
    o.try_duration = dur(cx, "lb_try_duration", 1, 60_000).or_else(|| {
        (!o.fallback.is_empty() && b.body.attr("lb_try_duration").is_none())
            .then(|| Duration::from_secs(5))
    });
    o.try_interval = dur(cx, "lb_try_interval", 1, 60_000);
    if let (Some(i), Some(d), Some(a)) = (
        o.try_interval,
        o.try_duration,
        b.body.attr("lb_try_interval"),
    ) {
        if i >= d {
            cx.err(
                Diagnostic::error(Code::E0352, a.value.span, "`lb_try_interval` is not shorter than `lb_try_duration`")
                    .label("no second try fits")
                    .help("make the interval shorter than the try duration (`lb_try_duration = 5s`, `lb_try_interval = 250ms`)"),
            );
        }
    }
    o.retries = cx.int_of(&b.body, &rows::LB_RETRIES).map(|n| n as u32);
    // Caddy waits `try_interval` only between tries, and tries again only
    // with a try duration or retries.
    if let (Some(a), None, None) = (b.body.attr("lb_try_interval"), o.try_duration, o.retries) {
        cx.err(
            Diagnostic::error(
                Code::E0352,
                a.name.span,
                "`lb_try_interval` without `lb_try_duration` or `lb_retries`",
            )
            .label("Caddy tries once, so it never waits")
            .help("set `lb_try_duration = 5s` (or `lb_retries = 2`), or remove `lb_try_interval`"),
        );
    }
    o.fail_duration = dur(cx, "fail_duration", 1_000, 3_600_000).or_else(|| {
        (!o.fallback.is_empty() && b.body.attr("fail_duration").is_none())
            .then(|| Duration::from_secs(10))
    });
    o.max_fails = cx.int_of(&b.body, &rows::MAX_FAILS).map(|n| n as u32);
    if let Some(items) = cx.list(&b.body, "unhealthy_status") {
        for v in items {
            if let Some(n) = cx.as_int(&v, "unhealthy_status", 100, 599) {
                o.unhealthy_status.push(n as u16);
            }
        }
    }
    o.unhealthy_latency = dur(cx, "unhealthy_latency", 1, 3_600_000);
    // Caddy counts failures only while `fail_duration` is set: without it
    // these settings are accepted and do nothing.
    if o.fail_duration.is_none() {
        for name in ["max_fails", "unhealthy_status", "unhealthy_latency"] {
            if let Some(a) = b.body.attr(name) {
                cx.err(
                    Diagnostic::error(Code::E0352, a.name.span, format!("`{name}` without `fail_duration`"))
                        .label("Caddy counts no failure without it")
                        .help("set `fail_duration = 10s` (how long a failure counts), or remove this line"),
                );
            }
        }
    }
    o.health = health(cx, b, primary, &o.fallback, t);
    o.header_up = headers(cx, &b.body, "header_up", &schema::proxy::HEADER_UP);
    o.header_down = headers(cx, &b.body, "header_down", &schema::proxy::HEADER_DOWN);
    // A canary split is two reverse proxies with their own balancing
    // (emit::caddy::upstreams::canary_split): only headers apply to it.
    if let Target::App { app, .. } = primary {
        let canary = t
            .apps
            .get(app)
            .and_then(|a| t.rollouts.get(a.rollout.as_deref()?))
            .is_some_and(|r| r.strategy == Strategy::Canary && !r.stages.is_empty());
        if canary {
            for span in ATTRS
                .iter()
                .filter_map(|a| b.body.attr(a).map(|a| a.name.span))
                .chain(b.body.blocks_of("health").map(|h| h.kind.span))
            {
                cx.err(
                    Diagnostic::error(Code::E0352, span, format!("app `{app}` rolls out by canary; its route's balancing is the canary split"))
                        .label("not applied to a canary split")
                        .help("keep `header_up`/`header_down` on this route; the split retries the stable instances by itself"),
                );
            }
        }
    }
    o
}

/// `fallback = [...]`: targets as `to` takes them, none twice, TLS the
/// same as the route's own target.
fn fallback(cx: &mut Cx<'_>, body: &Body, primary: &Target, t: &Targets<'_>) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let tls = |x: &Target| match x {
        Target::Upstream(u) => t.upstreams.get(u).map(|u| (u.tls, u.tls_skip_verify)),
        Target::App { .. } => Some((false, false)),
    };
    for (r, span) in cx.references(body, "fallback", &["app", "upstream"]) {
        let Some(target) = super::targets::target(cx, &r, span, t.apps, "a fallback") else {
            continue;
        };
        if &target == primary || out.contains(&target) {
            cx.err(
                Diagnostic::error(
                    Code::E0352,
                    span,
                    "a fallback target repeats a target of this route",
                )
                .label("tried already")
                .help("list each backend once: `to` first, then the fallbacks in order"),
            );
            continue;
        }
        if let (Some(a), Some(b)) = (tls(primary), tls(&target)) {
            if a != b {
                cx.err(
                    Diagnostic::error(Code::E0352, span, "a fallback target's TLS differs from the route's target")
                        .label(if b.0 { "dialled with TLS" } else { "dialled in plain HTTP" })
                        .help("one Caddy reverse proxy has one transport: give every target of the route the same `tls`/`tls_skip_verify`, or use two routes"),
                );
                continue;
            }
        }
        out.push(target);
    }
    out
}

/// The route's `health` block. Caddy runs active checks on static
/// addresses only (`upstream` targets): on a Consul-discovered app it
/// would be accepted and never run (W0516), and is left out.
fn health(
    cx: &mut Cx<'_>,
    b: &Block,
    primary: &Target,
    fallback: &[Target],
    t: &Targets<'_>,
) -> Option<UpstreamHealth> {
    if let Some(extra) = b.body.blocks_of("health").nth(1) {
        cx.err(
            Diagnostic::error(
                Code::E0205,
                extra.kind.span,
                "a second `health` block in one route",
            )
            .label("only one is read")
            .help("a route has one active health check; keep one `health` block"),
        );
    }
    let h = b.body.blocks_of("health").next()?;
    check_shape(cx, h, &schema::proxy::HEALTH);
    let path = cx.string(&h.body, "path").and_then(|(p, span)| {
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
    });
    let interval = cx
        .duration_of(&h.body, &schema::upstream::HEALTH_INTERVAL)
        .unwrap_or_default();
    let timeout = cx
        .duration_of(&h.body, &schema::upstream::HEALTH_TIMEOUT)
        .unwrap_or_default();
    if let Some(app) = std::iter::once(primary)
        .chain(fallback)
        .find_map(|x| match x {
            Target::App { app, .. } => Some(app),
            Target::Upstream(_) => None,
        })
    {
        let _ = t;
        cx.err(
            Diagnostic::warning(Code::W0516, h.kind.span, format!("Caddy runs no active health check on app `{app}`"))
                .label("Caddy checks static addresses only; an app's instances come from Consul")
                .help(format!("Consul answers only with the instances whose Nomad check passes: give app `{app}` a `health` block instead, and remove this one (it is not emitted)")),
        );
        return None;
    }
    Some(UpstreamHealth {
        path: path.unwrap_or_else(|| "/".into()),
        interval,
        timeout,
    })
}

/// One `header_up`/`header_down` block: names are tokens, none twice
/// across `set`, `add` and `delete`; values header templates.
fn headers(cx: &mut Cx<'_>, body: &Body, kind: &str, s: &'static schema::Schema) -> HeaderOps {
    let mut blocks = body.blocks_of(kind);
    let Some(h) = blocks.next() else {
        return HeaderOps::default();
    };
    if let Some(extra) = blocks.next() {
        cx.err(
            Diagnostic::error(
                Code::E0205,
                extra.kind.span,
                format!("a second `{kind}` block in one route"),
            )
            .label("only one is read")
            .help(format!("put every header of `{kind}` in one block")),
        );
    }
    check_shape(cx, h, s);
    let mut seen: Vec<String> = Vec::new();
    let mut once = |cx: &mut Cx<'_>, k: &str, span: Span| {
        if seen.iter().any(|s| s.eq_ignore_ascii_case(k)) {
            cx.err(
                Diagnostic::error(Code::E0205, span, format!("header `{k}` appears twice in `{kind}`"))
                    .label("same header (names ignore case)")
                    .help("keep one operation per header: `set` replaces, `add` appends, `delete` removes"),
            );
            return false;
        }
        seen.push(k.to_string());
        true
    };
    let mut ops = HeaderOps::default();
    for op in ["set", "add"] {
        for (k, (v, span, key_span)) in cx.keyed_string_map(&h.body, op) {
            if !super::lexical::http_token(&k) {
                cx.err(
                    Diagnostic::error(
                        Code::E0312,
                        key_span,
                        format!("`{}` is not a header name", k.escape_debug()),
                    )
                    .label("not an HTTP token")
                    .help("header names are letters, digits and `-`: `X-Forwarded-Source`"),
                );
                continue;
            }
            if !once(cx, &k, key_span) || !template(cx, &v, span, &format!("header `{k}`")) {
                continue;
            }
            if op == "set" {
                ops.set.insert(k, v);
            } else {
                ops.add.insert(k, v);
            }
        }
    }
    for (k, span) in cx.strings(&h.body, "delete") {
        if !super::lexical::http_token(&k) {
            cx.err(
                Diagnostic::error(
                    Code::E0312,
                    span,
                    format!("`{}` is not a header name", k.escape_debug()),
                )
                .label("not an HTTP token")
                .help("header names are letters, digits and `-`: `Server`"),
            );
            continue;
        }
        if once(cx, &k, span) {
            ops.delete.push(k);
        }
    }
    ops
}

/// A header template's checks: an HTTP field value (E0312), request
/// placeholders only (E0350). `what` names it in the message.
pub fn template(cx: &mut Cx<'_>, v: &str, span: Span, what: &str) -> bool {
    if !super::lexical::http_field_value(v) {
        cx.err(
            Diagnostic::error(Code::E0312, span, format!("{what} cannot be sent safely"))
                .label("control character or surrounding blank")
                .help("a header value is one line without control characters, and does not start or end with a blank (HTTP drops it)"),
        );
        return false;
    }
    if let Some(p) = placeholders::refused(v) {
        cx.err(
            Diagnostic::error(Code::E0350, span, format!("{what} uses the placeholder `{p}`"))
                .label(placeholders::why(p))
                .help("use the request's own data: `{host}`, `{remote_host}`, `{scheme}`, `{uri}`, `{header.NAME}`, … (`eosc explain E0350` lists them); a secret belongs in a `secret` block"),
        );
        return false;
    }
    true
}
