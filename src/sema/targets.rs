//! What a route, a fallback, an auth outpost or a stream points at: an
//! app (its only port), an app port, or an upstream. Its own module so
//! that `routing` (routes) and `proxy` (their fallbacks) share it without
//! importing each other.

use super::eval::{Cx, Reference};
use super::model::*;
use crate::diagnostics::Code;
use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::source::Span;
use indexmap::IndexMap;

/// An app (its only port), an app port, or an upstream.
pub fn target(
    cx: &mut Cx<'_>,
    r: &Reference,
    span: Span,
    apps: &IndexMap<String, App>,
    what: &str,
) -> Option<Target> {
    match r.kind.as_str() {
        "upstream" => cx
            .plain_ref(r, span)
            .then(|| Target::Upstream(r.name.clone())),
        "app" => {
            let app = apps.get(&r.name)?;
            let t = app_target(cx, r, span, app, what)?;
            // HTTP (a route, an outpost) reaches one port; a static range is
            // one Nomad port per member and no Consul service (only a
            // stream, which maps a range onto the same range, can use one).
            if what != "a stream target" {
                if let Target::App { port, .. } = &t {
                    // HTTP runs over TCP: a UDP-only port (TURN, DNS, QUIC
                    // relays) answers no HTTP request.
                    if let Some(p) = app
                        .ports
                        .get(port)
                        .filter(|p| p.protocol == Protocol::Udp && p.range_end.is_none())
                    {
                        cx.err(
                            Diagnostic::error(Code::E0315, span, format!("port `{}` of app `{}` is UDP; {what} speaks HTTP over TCP", p.name, r.name))
                                .label("a UDP port")
                                .help(format!("target a TCP port of `{}`, or reach this one with a `stream` block (`protocol = \"udp\"`)", r.name)),
                        );
                        return None;
                    }
                    if let Some(p) = app.ports.get(port).filter(|p| p.range_end.is_some()) {
                        let range = format!(
                            "{}-{}",
                            p.static_port.unwrap_or_default(),
                            p.range_end.unwrap_or_default()
                        );
                        let others: Vec<&str> = app
                            .ports
                            .values()
                            .filter(|q| q.range_end.is_none())
                            .map(|q| q.name.as_str())
                            .collect();
                        cx.err(
                            Diagnostic::error(
                                Code::E0315,
                                span,
                                format!(
                                    "port `{port}` of app `{}` is the range {range}; {what} needs one port",
                                    r.name
                                ),
                            )
                            .label("a port range")
                            .help(match others.first() {
                                Some(o) => format!("target a single port: `app.{}.port.{o}`", r.name),
                                None => format!(
                                    "give app `{}` a single-port `port` block for HTTP and target it; ranges are for streams and firewalls",
                                    r.name
                                ),
                            }),
                        );
                        return None;
                    }
                }
            }
            Some(t)
        }
        _ => None,
    }
}

/// The app port a reference names: its only port, or `app.<a>.port.<p>`.
fn app_target(cx: &mut Cx<'_>, r: &Reference, span: Span, app: &App, what: &str) -> Option<Target> {
    let names: Vec<&str> = app.ports.keys().map(String::as_str).collect();
    match r.rest.as_slice() {
        [] => match app.ports.len() {
            1 => Some(Target::App {
                app: r.name.clone(),
                port: names[0].to_string(),
            }),
            n => {
                cx.err(
                    Diagnostic::error(
                        Code::E0315,
                        span,
                        format!("app `{}` has {n} ports; {what} must name one", r.name),
                    )
                    .label("which port?")
                    .help(if n == 0 {
                        format!("add a `port` block to app `{}`", r.name)
                    } else {
                        format!("write `app.{}.port.{}`", r.name, names[0])
                    }),
                );
                None
            }
        },
        [p, port] if p.name == "port" => {
            if app.ports.contains_key(&port.name) {
                Some(Target::App {
                    app: r.name.clone(),
                    port: port.name.clone(),
                })
            } else {
                cx.err(
                    Diagnostic::error(
                        Code::E0213,
                        port.span,
                        format!("app `{}` has no port `{}`", r.name, port.name),
                    )
                    .label("unknown port")
                    .help(suggestion_help(&port.name, &names, "port")),
                );
                None
            }
        }
        [first, ..] => {
            cx.err(
                Diagnostic::error(
                    Code::E0203,
                    first.span,
                    format!("app `{}` has no `{}` here", r.name, first.name),
                )
                .label("unexpected")
                .help(format!(
                    "write `app.{}` or `app.{}.port.<name>`",
                    r.name, r.name
                )),
            );
            None
        }
    }
}
