//! Cross-entity checks: conflicts (E04xx), literal secrets (E05xx) and the
//! warnings that CI denies (W05xx). Each rule's explanation lives in
//! docs/errors.md under its code.

use super::eval::Cx;
use super::model::*;
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::Block;
use indexmap::IndexMap;

#[allow(clippy::too_many_arguments)]
pub fn check(
    cx: &mut Cx<'_>,
    apps: &IndexMap<String, App>,
    rollouts: &IndexMap<String, Rollout>,
    upstreams: &IndexMap<String, Upstream>,
    middlewares: &IndexMap<String, Middleware>,
    routes: &[(Route, &Block)],
    zones: &IndexMap<String, Zone>,
    project: Option<&Project>,
) {
    duplicate_routes(cx, routes);
    static_ports(cx, apps);
    super::secrets::check_vars(cx);
    for (name, app) in apps {
        let Some(block) = cx.syms.get("app", name) else {
            continue;
        };
        canary_health(cx, app, block, rollouts);
        super::secrets::check_app(cx, app, block);
        app_warnings(cx, app, block);
    }
    for (name, u) in upstreams {
        if u.tls_skip_verify {
            let span = cx
                .syms
                .get("upstream", name)
                .and_then(|b| b.body.attr("tls_skip_verify"))
                .map(|a| a.span)
                .unwrap_or_default();
            cx.err(
                Diagnostic::warning(Code::W0501, span, format!("upstream `{name}` skips TLS verification"))
                    .label("certificate not verified")
                    .help("anyone on the path can impersonate this backend; trust its CA instead, or accept the risk on this line: `# eosc:allow W0501 -- <why>`"),
            );
        }
    }
    let coverage = super::routing::DnsCoverage::new(zones);
    for (r, block) in routes {
        wildcard_needs_dns_challenge(cx, r, block, project);
        let secured = r
            .middleware
            .iter()
            .any(|m| middlewares.get(m).is_some_and(|m| !m.rules.is_empty()));
        if !secured && matches!(r.action, RouteAction::Proxy(_)) {
            cx.err(
                Diagnostic::warning(Code::W0503, block.labels[0].span, format!("route `{}` has no security middleware", r.host))
                    .label("no blocking rules")
                    .help("add `import \"std/security\"` and `middleware = [middleware.security]` (or a middleware that uses it)"),
            );
        }
        if !r.dns_external && !coverage.covers(&r.host) {
            let (label, help) = if zones.is_empty() {
                ("the spec has no dns zone", "add a `dns \"<zone>\"` block with a record for this host, or `dns = \"external\"` on the route")
            } else {
                ("not covered by any zone", "add a record to a `dns` zone, or `dns = \"external\"` on the route if the name lives elsewhere")
            };
            cx.err(
                Diagnostic::warning(
                    Code::W0507,
                    block.labels[0].span,
                    format!("no DNS record for `{}`", r.host),
                )
                .label(label)
                .help(help),
            );
        }
    }
    if let Some(p) = project {
        if !is_loopback(&p.caddy_admin) {
            let span = cx
                .syms
                .of("project")
                .next()
                .and_then(|(_, b)| b.body.attr("caddy_admin"))
                .map(|a| a.value.span)
                .unwrap_or_default();
            cx.err(
                Diagnostic::warning(Code::W0506, span, format!("the Caddy admin API listens on `{}`", p.caddy_admin))
                    .label("reachable off this host")
                    .help("the admin API can rewrite the whole proxy without authentication; bind it to `localhost:2019`"),
            );
        }
    }
}

/// A stream (nginx, TCP/UDP) dials every instance Consul answers for the
/// app's service, the canary among them, whatever the stage: only Caddy's
/// HTTP routes split traffic by the rollout's stages.
pub fn canary_streams(
    cx: &mut Cx<'_>,
    streams: &IndexMap<String, Stream>,
    apps: &IndexMap<String, App>,
    rollouts: &IndexMap<String, Rollout>,
) {
    for (name, s) in streams {
        let StreamTarget::App { app, .. } = &s.target else {
            continue;
        };
        let Some(rollout) = apps
            .get(app)
            .and_then(|a| a.rollout.as_deref())
            .and_then(|n| rollouts.get(n))
            .filter(|r| r.strategy == Strategy::Canary && !r.stages.is_empty())
        else {
            continue;
        };
        let Some(block) = cx.syms.get("stream", name) else {
            continue;
        };
        let span = block
            .body
            .attr("target")
            .map(|t| t.value.span)
            .unwrap_or(block.labels[0].span);
        cx.err(
            Diagnostic::error(
                Code::E0321,
                span,
                format!("stream `{name}` sends traffic to app `{app}`, which rolls out as a canary"),
            )
            .label("nginx cannot split a canary's traffic")
            .help(format!(
                "nginx would send the canary its share of the instances at every stage of rollout `{}`; roll app `{app}` out with `strategy = \"rolling\"`, or reach it through a route (Caddy splits HTTP by the stages)",
                rollout.name
            )),
        );
    }
}

/// The Caddy plugin that solves ACME DNS-01 challenges at Hetzner DNS.
pub const DNS_PLUGIN: (&str, &str) = ("dns_hetzner", "github.com/caddy-dns/hetzner/v2");

/// ACME CAs issue wildcard certificates only through the DNS-01 challenge,
/// which stock Caddy cannot answer: it needs the DNS provider's plugin.
fn wildcard_needs_dns_challenge(
    cx: &mut Cx<'_>,
    r: &Route,
    block: &Block,
    project: Option<&Project>,
) {
    let (plugin, module) = DNS_PLUGIN;
    let declared = project.is_some_and(|p| p.caddy_plugins.iter().any(|x| x == plugin));
    if !r.host.starts_with("*.") || declared {
        return;
    }
    cx.err(
        Diagnostic::error(Code::E0316, block.labels[0].span, format!("the wildcard host `{}` needs a Caddy DNS plugin", r.host))
            .label("wildcard certificates need the DNS-01 challenge")
            .help(format!("build Caddy with {module} and declare it: `caddy_plugins = [\"{plugin}\"]` in `project`, or name each host")),
    );
}

/// A container runtime's API socket (Docker, containerd, Podman, CRI-O),
/// by path or by a host volume named after it (`docker_sock`), or the
/// directory that holds them: all of them are root on the node.
fn runtime_socket(s: &str) -> bool {
    let s = s.to_ascii_lowercase().replace(['_', '-'], ".");
    ["docker.sock", "containerd.sock", "podman.sock", "crio.sock"]
        .iter()
        .any(|sock| s.contains(sock))
        || matches!(
            s.trim_end_matches('/'),
            "/var/run" | "/run" | "/run/containerd" | "/var/run/docker" | "/run/docker"
        )
}

fn is_loopback(addr: &str) -> bool {
    if addr.starts_with("unix/") {
        return true;
    }
    let host = addr.rsplit_once(':').map(|(h, _)| h).unwrap_or(addr);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn duplicate_routes(cx: &mut Cx<'_>, routes: &[(Route, &Block)]) {
    let mut seen: IndexMap<(String, Option<String>), Span> = IndexMap::new();
    for (r, b) in routes {
        // Caddy's path matcher lower-cases pattern and request path alike
        // (caddyhttp MatchPath.Provision/MatchWithError): `/API/*` is `/api/*`.
        let key = (
            r.host.clone(),
            r.path.as_ref().map(|p| p.to_ascii_lowercase()),
        );
        let span = b.labels[0].span;
        if let Some(prev) = seen.get(&key) {
            let what = match &r.path {
                Some(p) => format!("`{}` with path `{p}`", r.host),
                None => format!("`{}`", r.host),
            };
            cx.err(
                Diagnostic::error(Code::E0402, span, format!("two routes for {what}"))
                    .label("second route")
                    .with_secondary(*prev, "first route")
                    .help("merge them, or give one a distinct `path` (Caddy matches host names and paths without regard to case)"),
            );
        } else {
            seen.insert(key, span);
        }
    }
}

fn static_ports(cx: &mut Cx<'_>, apps: &IndexMap<String, App>) {
    let mut taken: IndexMap<(Option<String>, u16), (String, String)> = IndexMap::new();
    for (name, app) in apps {
        for p in app.ports.values() {
            let Some(sp) = p.static_port else { continue };
            let key = (app.runs_on.clone(), sp);
            if let Some((other, other_port)) = taken.get(&key) {
                let span = port_span(cx, name, &p.name);
                let other_span = port_span(cx, other, other_port);
                let class = app.runs_on.as_deref().unwrap_or("(any node)");
                cx.err(
                    Diagnostic::error(Code::E0403, span, format!("static port {sp} is used twice on node class `{class}`"))
                        .label(format!("app `{name}` port `{}`", p.name))
                        .with_secondary(other_span, format!("app `{other}` port `{other_port}`"))
                        .help("two allocations cannot bind the same host port on one node; change one `static` port or run the apps on different servers"),
                );
            } else {
                taken.insert(key, (name.clone(), p.name.clone()));
            }
        }
    }
}

fn port_span(cx: &Cx<'_>, app: &str, port: &str) -> Span {
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

fn canary_health(cx: &mut Cx<'_>, app: &App, block: &Block, rollouts: &IndexMap<String, Rollout>) {
    let Some(r) = app.rollout.as_ref().and_then(|r| rollouts.get(r)) else {
        return;
    };
    if r.strategy == Strategy::Canary && app.health.is_empty() {
        let span = block
            .body
            .attr("rollout")
            .map(|a| a.value.span)
            .unwrap_or(block.head_span());
        cx.err(
            Diagnostic::error(Code::E0310, span, format!("app `{}` rolls out as a canary without a health check", app.name))
                .label("canary needs a health gate")
                .help("add `health \"http\" { path = \"/health\" }` so the canary can be judged and reverted"),
        );
    }
}

fn app_warnings(cx: &mut Cx<'_>, app: &App, block: &Block) {
    for t in &app.tasks {
        let image_span = block
            .body
            .blocks_of("task")
            .find(|b| b.labels.first().is_some_and(|l| l.name == t.name))
            .unwrap_or(block)
            .body
            .attr("image")
            .map(|a| a.value.span)
            .unwrap_or(block.head_span());
        let last = t.image.rsplit('/').next().unwrap_or(&t.image);
        let (tagless, latest) = match last.split_once(':') {
            _ if last.contains('@') => (false, false),
            Some((_, tag)) => (false, tag == "latest"),
            None => (true, false),
        };
        if tagless || latest {
            cx.err(
                Diagnostic::warning(Code::W0502, image_span, format!("image `{}` is not pinned", t.image))
                    .label(if latest { "`latest` moves" } else { "no tag means `latest`" })
                    .help("pin a version tag (`postgres:16.4-alpine`) or a digest so a redeploy runs what was tested"),
            );
        }
    }
    // System jobs are long-running services too, on every node. A health
    // block that was written but rejected is reported already.
    let written = block.body.blocks_of("health").next().is_some();
    if app.health.is_empty() && !written && app.job_type != JobType::Batch {
        cx.err(
            Diagnostic::warning(Code::W0504, block.head_span(), format!("app `{}` has no health check", app.name))
                .label("no `health` block")
                .help("add `health \"http\" { path = \"/health\" }` or `health \"tcp\" {}`: Nomad and Caddy cannot tell a broken allocation from a healthy one"),
        );
    }
    for v in &app.volumes {
        if runtime_socket(&v.host)
            || runtime_socket(&v.path)
            || v.host_path.as_deref().is_some_and(runtime_socket)
        {
            // Say which containers get it when the tasks choose.
            let into: Vec<String> = (0..app.tasks.len())
                .filter(|&i| app.task_mounts(i).iter().any(|m| m.volume == v.name))
                .map(|i| format!("`{}`", app.tasks[i].name))
                .collect();
            let whom = if app.tasks.len() > 1 && !into.is_empty() {
                format!(
                    " into task{} {}",
                    if into.len() > 1 { "s" } else { "" },
                    into.join(", ")
                )
            } else {
                String::new()
            };
            let span = block
                .body
                .blocks_of("volume")
                .find(|b| b.labels.first().is_some_and(|l| l.name == v.name))
                .map(|b| b.head_span())
                .unwrap_or(block.head_span());
            cx.err(
                Diagnostic::warning(Code::W0505, span, format!("app `{}` mounts a container runtime socket{whom}", app.name))
                    .label("root on the host")
                    .help("access to the Docker (or containerd, Podman, CRI-O) socket is root on the node; drop it or use a socket proxy with a narrow API"),
            );
        }
    }
}
