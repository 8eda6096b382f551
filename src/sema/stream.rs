//! `stream` blocks: layer-4 proxies that nginx runs in the proxy job, and
//! the port clashes between streams, Caddy's listeners and static app
//! ports on the proxy's nodes (E0410).

use super::eval::{Cx, V};
use super::model::*;
use super::ports;
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::Block;
use indexmap::IndexMap;

pub fn stream(
    cx: &mut Cx<'_>,
    b: &Block,
    name: &str,
    apps: &IndexMap<String, App>,
    upstreams: &IndexMap<String, Upstream>,
) -> Option<Stream> {
    super::eval::check_shape(cx, b, &super::schema::stream::STREAM);
    let protocol = ports::protocol(cx, &b.body);
    let listen = match cx.get(&b.body, "listen") {
        Some(v) => ports::port_or_range(cx, &v, "listen").filter(|r| {
            let n = u32::from(r.to - r.from) + 1;
            if n > ports::MAX_RANGE {
                cx.err(
                    Diagnostic::error(
                        Code::E0303,
                        v.span,
                        format!("a port range of {n} ports is too large"),
                    )
                    .label("too many ports")
                    .help(format!(
                        "the proxy job reserves each port separately: use at most {} ports",
                        ports::MAX_RANGE
                    )),
                );
                return false;
            }
            true
        }),
        None => {
            cx.absent(b, "listen", "1515");
            None
        }
    };
    let is_range = listen.is_some_and(|r| r.to > r.from);
    let target = match cx.get(&b.body, "target") {
        None => {
            cx.absent(b, "target", "[\"10.0.0.5:1515\"]");
            None
        }
        Some(v) => match &v.v {
            V::List(items) => addresses(cx, items, v.span, is_range),
            V::Ref(r) => {
                let r = r.clone();
                match r.kind.as_str() {
                    "upstream" if cx.plain_ref(&r, v.span) => {
                        upstreams.get(&r.name).map(|u| StreamTarget::Addresses {
                            upstream: Some(u.name.clone()),
                            targets: u.targets.clone(),
                        })
                    }
                    "upstream" => None,
                    "app" => match super::routing::target(cx, &r, v.span, apps, "a stream target")?
                    {
                        Target::App { app, port } => app_port(cx, apps, &app, &port, v.span),
                        _ => None,
                    },
                    _ => {
                        cx.type_error(&v, "a reference (`app.<name>`, `app.<name>.port.<port>` or `upstream.<name>`) or a list of \"host:port\"");
                        None
                    }
                }
            }
            _ => {
                cx.type_error(&v, "a reference (`app.<name>`, `app.<name>.port.<port>` or `upstream.<name>`) or a list of \"host:port\"");
                None
            }
        },
    };
    if let (true, Some(t)) = (is_range, &target) {
        if !matches!(t, StreamTarget::SamePort { .. }) {
            let span = b
                .body
                .attr("target")
                .map(|a| a.value.span)
                .unwrap_or(b.kind.span);
            cx.err(
                Diagnostic::error(
                    Code::E0303,
                    span,
                    "a stream over a port range passes each port to the same port of one address",
                )
                .label("needs one address without a port")
                .help("write `target = [\"10.0.0.5\"]`: port N goes to 10.0.0.5:N"),
            );
        }
    }
    let proxy_protocol = cx.bool(&b.body, "proxy_protocol").unwrap_or(false);
    let connect_timeout = cx.duration(&b.body, "connect_timeout");
    let timeout = cx.duration(&b.body, "timeout");
    if protocol == Protocol::Udp {
        for attr in ["proxy_protocol", "connect_timeout"] {
            if let Some(a) = b.body.attr(attr) {
                cx.err(
                    Diagnostic::error(Code::E0303, a.span, format!("`{attr}` is for TCP streams"))
                        .label("UDP has no connection")
                        .help(format!("remove `{attr}`, or use `protocol = \"tcp\"`")),
                );
            }
        }
    } else if protocol == Protocol::Both && proxy_protocol {
        // nginx accepts `proxy_protocol on` in a server that also listens
        // on UDP (`nginx -t` passes) but then prefixes every datagram with
        // a text header claiming TCP4: the UDP backend gets corrupted
        // packets (tests/it/edge_runtime.rs shows it with Debian's nginx).
        if let Some(a) = b.body.attr("proxy_protocol") {
            cx.err(
                Diagnostic::error(
                    Code::E0303,
                    a.span,
                    "`proxy_protocol` on a stream that is TCP and UDP",
                )
                .label("would corrupt the UDP datagrams")
                .help("split it into a `protocol = \"tcp\"` stream with `proxy_protocol = true` and a `protocol = \"udp\"` stream on the same port without it"),
            );
        }
    }
    let cidrs = |cx: &mut Cx<'_>, attr: &str| -> Vec<String> {
        let mut out = Vec::new();
        for (c, span) in cx.strings(&b.body, attr) {
            if super::workload::valid_cidr(&c) {
                out.push(c);
            } else {
                cx.err(
                    Diagnostic::error(
                        Code::E0303,
                        span,
                        format!("`{}` is not a CIDR block", c.escape_debug()),
                    )
                    .label("invalid CIDR")
                    .help(
                        "write an address with a prefix length: `10.0.0.0/8`, `0.0.0.0/0`, `::/0`",
                    ),
                );
            }
        }
        out
    };
    let allow = cidrs(cx, "allow");
    let deny = cidrs(cx, "deny");
    Some(Stream {
        name: name.to_string(),
        protocol,
        listen: listen?,
        target: target?,
        proxy_protocol,
        connect_timeout,
        timeout,
        allow,
        deny,
    })
}

/// `["host:port", …]`, or `["host"]` for a port range.
fn addresses(
    cx: &mut Cx<'_>,
    items: &[super::eval::Val],
    span: Span,
    is_range: bool,
) -> Option<StreamTarget> {
    if items.is_empty() {
        cx.err(
            Diagnostic::error(Code::E0303, span, "a stream needs at least one backend")
                .label("empty list")
                .help(
                    "list the addresses nginx passes sessions to: `target = [\"10.0.0.5:1515\"]`",
                ),
        );
        return None;
    }
    let mut targets = Vec::new();
    let mut ok = true;
    for it in items {
        let V::Str(s) = &it.v else {
            cx.type_error(it, "a string \"host:port\"");
            ok = false;
            continue;
        };
        if is_range && items.len() == 1 && super::routing::valid_host_or_ip(s) && !s.contains(':') {
            return Some(StreamTarget::SamePort { host: s.clone() });
        }
        match s.rsplit_once(':') {
            Some((host, port))
                if super::routing::valid_host_or_ip(host)
                    && port.parse::<u16>().is_ok_and(|p| p > 0) =>
            {
                targets.push(s.clone())
            }
            _ => {
                ok = false;
                cx.err(
                    Diagnostic::error(
                        Code::E0303,
                        it.span,
                        format!("`{}` is not a host:port address", s.escape_debug()),
                    )
                    .label("expected host:port")
                    .help(
                        "write an address nginx can dial: `10.0.0.5:1515` or `wazuh.internal:1515`",
                    ),
                )
            }
        }
    }
    ok.then_some(StreamTarget::Addresses {
        upstream: None,
        targets,
    })
}

/// An app's port: nginx dials `<service>.service.consul:<static port>`, so
/// the port must be static and a single port.
fn app_port(
    cx: &mut Cx<'_>,
    apps: &IndexMap<String, App>,
    app: &str,
    port: &str,
    span: Span,
) -> Option<StreamTarget> {
    let a = apps.get(app)?;
    let p = a.ports.get(port)?;
    match (p.static_port, p.range_end) {
        (Some(sp), None) => Some(StreamTarget::App {
            app: app.to_string(),
            port: port.to_string(),
            service: a.service_name(port),
            static_port: sp,
        }),
        _ => {
            cx.err(
                Diagnostic::error(
                    Code::E0315,
                    span,
                    format!("stream target `{app}.{port}` is not one static port"),
                )
                .label("nginx cannot look up a dynamic port")
                .help(format!(
                    "give port `{port}` of app `{app}` a `static` port, or target an upstream"
                )),
            );
            None
        }
    }
}

/// The listeners of the proxy job: Caddy's HTTP(S) and HTTP/3 ports when
/// there are routes, and the admin API when it listens on a TCP port.
fn http_listeners(project: &Project, has_routes: bool) -> Vec<(PortRange, Protocol, String)> {
    // Every server runs sshd on 22 (the firewall's lock-out rule keeps it
    // reachable): nothing else on the node can bind it.
    let mut out = vec![(
        PortRange { from: 22, to: 22 },
        Protocol::Tcp,
        "sshd (22/tcp) on every server".to_string(),
    )];
    if has_routes {
        for (p, proto, what) in [
            (80, Protocol::Tcp, "Caddy's HTTP listener (80/tcp)"),
            (443, Protocol::Tcp, "Caddy's HTTPS listener (443/tcp)"),
            (443, Protocol::Udp, "Caddy's HTTP/3 listener (443/udp)"),
        ] {
            out.push((PortRange { from: p, to: p }, proto, what.to_string()));
        }
    }
    if let Some(port) = project
        .caddy_admin
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse::<u16>().ok())
        .filter(|_| !project.caddy_admin.starts_with("unix/"))
    {
        out.push((
            PortRange {
                from: port,
                to: port,
            },
            Protocol::Tcp,
            format!("Caddy's admin API ({port}/tcp)"),
        ));
    }
    out
}

/// Port clashes on the proxy's nodes: between streams (same port, a common
/// protocol), with Caddy's listeners, and with static ports of apps that run
/// there (Nomad reserves a host port for every protocol, so any protocol
/// clashes with an app port).
pub fn clashes(
    cx: &mut Cx<'_>,
    streams: &IndexMap<String, Stream>,
    apps: &IndexMap<String, App>,
    project: Option<&Project>,
    has_routes: bool,
    proxy_servers: &[String],
) {
    let listen_span = |cx: &Cx<'_>, s: &str| -> Span {
        cx.syms
            .get("stream", s)
            .and_then(|b| b.body.attr("listen").map(|a| a.value.span))
            .unwrap_or_default()
    };
    let names: Vec<&String> = streams.keys().collect();
    for (i, a) in names.iter().enumerate() {
        let sa = &streams[*a];
        for b in &names[..i] {
            let sb = &streams[*b];
            if sa.listen.overlaps(&sb.listen) && sa.protocol.overlaps(sb.protocol) {
                let (span, other) = (listen_span(cx, a), listen_span(cx, b));
                cx.err(
                    Diagnostic::error(Code::E0410, span, format!("streams `{b}` and `{a}` both listen on {}", overlap(&sa.listen, &sb.listen)))
                        .label(format!("stream `{a}`"))
                        .with_secondary(other, format!("stream `{b}`"))
                        .help("one port and protocol has one listener: change `listen`, or use different protocols"),
                );
            }
        }
        if let Some(p) = project {
            for (range, proto, what) in http_listeners(p, has_routes) {
                if sa.listen.overlaps(&range) && sa.protocol.overlaps(proto) {
                    cx.err(
                        Diagnostic::error(Code::E0410, listen_span(cx, a), format!("stream `{a}` listens on a port of {what}"))
                            .label(if what.starts_with("sshd") { "taken by sshd" } else { "taken by Caddy" })
                            .help("the proxy job runs Caddy and nginx on the same hosts, beside the server's sshd: choose another `listen` port"),
                    );
                }
            }
        }
    }
    // Static app ports on the proxy's nodes, against streams and Caddy.
    let mut held: Vec<(PortRange, String, Span)> = Vec::new();
    for s in names {
        held.push((
            streams[s].listen,
            format!("stream `{s}`"),
            listen_span(cx, s),
        ));
    }
    if let Some(p) = project {
        for (range, _, what) in http_listeners(p, has_routes) {
            held.push((range, what, Span::default()));
        }
    }
    for (name, app) in apps {
        let on_proxy = app
            .runs_on
            .as_ref()
            .is_some_and(|s| proxy_servers.contains(s));
        if !on_proxy {
            continue;
        }
        for port in app.ports.values() {
            let Some(range) = port.host_range() else {
                continue;
            };
            for (h, what, span) in &held {
                if !range.overlaps(h) {
                    continue;
                }
                let mut d = Diagnostic::error(
                    Code::E0410,
                    app_port_span(cx, name, &port.name),
                    format!("app `{name}` port `{}` takes {}, which {what} uses on the proxy's nodes", port.name, overlap(&range, h)),
                )
                .label(format!("static on `{}`", app.runs_on.as_deref().unwrap_or_default()))
                .help("Nomad reserves a static port on the node for every protocol: change the app's `static` port or the stream's `listen`");
                if *span != Span::default() {
                    d = d.with_secondary(*span, what.clone());
                }
                cx.err(d);
            }
        }
    }
}

fn overlap(a: &PortRange, b: &PortRange) -> String {
    let r = PortRange {
        from: a.from.max(b.from),
        to: a.to.min(b.to),
    };
    if r.from == r.to {
        format!("port {}", r.from)
    } else {
        format!("ports {}", r.text())
    }
}

fn app_port_span(cx: &Cx<'_>, app: &str, port: &str) -> Span {
    cx.syms
        .get("app", app)
        .and_then(|b| {
            b.body
                .blocks_of("port")
                .find(|p| p.labels.first().is_some_and(|l| l.name == port))
        })
        .map(|p| {
            p.body
                .attr("static")
                .map(|a| a.value.span)
                .unwrap_or(p.head_span())
        })
        .unwrap_or_default()
}

/// The servers that run the proxy job: those whose `labels.role` is the
/// proxy's Salt role (`roles:hecate-proxy` → `hecate-proxy`).
pub fn proxy_servers(servers: &IndexMap<String, Server>, project: Option<&Project>) -> Vec<String> {
    let target = project
        .and_then(|p| p.salt_targets.get("proxy").cloned())
        .unwrap_or_else(|| "roles:hecate-proxy".into());
    let role = target
        .split_once(':')
        .map(|(_, r)| r.to_string())
        .unwrap_or(target);
    servers
        .values()
        .filter(|s| s.labels.get("role").is_some_and(|r| *r == role))
        .map(|s| s.name.clone())
        .collect()
}
