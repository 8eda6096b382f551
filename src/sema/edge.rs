//! The edge runtime's project settings (`caddy_version`, `caddy_image`,
//! `nginx_image`) and what the target Caddy version cannot do.
//! Kept apart from `check.rs` because the proxy job and the stream proxy
//! read them, not the rest of the project.

use super::eval::Cx;
use super::model::{EdgeSettings, Route, CADDY_MINORS};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::Block;

pub fn project_settings(cx: &mut Cx<'_>, b: &Block, plugins: &[String]) -> EdgeSettings {
    let mut edge = EdgeSettings::default();
    if let Some((v, span)) = cx.string(&b.body, "caddy_version") {
        match parse_caddy_version(&v) {
            Some(minor) => edge.caddy_minor = minor,
            None => cx.err(
                Diagnostic::error(
                    Code::E0306,
                    span,
                    format!("Caddy `{}` is not a supported version", v.escape_debug()),
                )
                .label("unsupported Caddy version")
                .help(format!(
                    "write a version from 2.{} (Debian stable) to 2.{}: `caddy_version = \"2.6\"`",
                    CADDY_MINORS.start(),
                    CADDY_MINORS.end()
                )),
            ),
        }
    }
    let image = cx.string(&b.body, "caddy_image");
    if let Some((img, span)) = &image {
        image_reference(cx, img, *span, "caddy_image");
    }
    edge.caddy_image = match image {
        Some((img, _)) => Some(img),
        None if plugins.is_empty() => Some(EdgeSettings::stock_caddy_image(edge.caddy_minor)),
        None => {
            let span = b
                .body
                .attr("caddy_plugins")
                .map(|a| a.span)
                .unwrap_or(b.kind.span);
            cx.err(
                Diagnostic::error(
                    Code::E0332,
                    span,
                    "Caddy with plugins needs `caddy_image`",
                )
                .label("stock Caddy has none of these plugins")
                .help("name the image of your Caddy build (xcaddy) that the proxy job runs: `caddy_image = \"registry.example.com/caddy:2.11-plugins\"`"),
            );
            None
        }
    };
    if let Some((img, span)) = cx.string(&b.body, "nginx_image") {
        image_reference(cx, &img, span, "nginx_image");
        edge.nginx_image = img;
    }
    edge
}

/// `2.N` or `2.N.P` with N supported; the patch level does not matter.
fn parse_caddy_version(v: &str) -> Option<u8> {
    let v = v.strip_prefix('v').unwrap_or(v);
    let mut parts = v.split('.');
    if parts.next()? != "2" {
        return None;
    }
    let minor: u8 = parts.next()?.parse().ok()?;
    if let Some(patch) = parts.next() {
        patch.parse::<u16>().ok()?;
    }
    if parts.next().is_some() || !CADDY_MINORS.contains(&minor) {
        return None;
    }
    Some(minor)
}

/// An image lands in a Nomad jobspec string: no whitespace, quotes or
/// template markers.
fn image_reference(cx: &mut Cx<'_>, img: &str, span: crate::source::Span, attr: &str) {
    let bad = img.is_empty()
        || img.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\\' | '{' | '}' | '$' | '%')
        });
    if !bad {
        let last = img.rsplit('/').next().unwrap_or(img);
        let latest = !last.contains('@') && last.split_once(':').is_none_or(|(_, t)| t == "latest");
        if latest {
            cx.err(
                Diagnostic::warning(Code::W0502, span, format!("{attr} `{img}` is not pinned"))
                    .label("`latest` moves")
                    .help("pin a version tag (`caddy:2.11-alpine`) or a digest: the edge would otherwise change under a redeploy"),
            );
        }
    }
    if bad {
        cx.err(
            Diagnostic::error(
                Code::E0312,
                span,
                format!("`{}` is not an image reference", img.escape_debug()),
            )
            .label("unsafe image")
            .help(format!(
                "write `{attr} = \"name:tag\"` without spaces, quotes or braces"
            )),
        );
    }
}

/// What the target Caddy cannot express: before 2.8 `logger_names` maps a
/// host to one log name (a string), so two `log` blocks on one host need
/// Caddy 2.8 or later.
pub fn caddy_features(
    cx: &mut Cx<'_>,
    routes: &[(Route, &Block)],
    edge: &EdgeSettings,
    apps: &indexmap::IndexMap<String, super::model::App>,
    rollouts: &indexmap::IndexMap<String, super::model::Rollout>,
) {
    for (r, b) in routes {
        if let Some(need) = super::model::caddy_minimum_for_route(r, apps, rollouts) {
            let (min, what, instead) = (need.minor, need.what, need.instead);
            if edge.caddy_minor < min {
                let span = b
                    .body
                    .attr(need.attr)
                    .map(|a| a.value.span)
                    .unwrap_or(b.kind.span);
                cx.err(
                    Diagnostic::error(
                        Code::E0330,
                        span,
                        format!(
                            "Caddy 2.{} cannot serve {what} for `{}`",
                            edge.caddy_minor, r.host
                        ),
                    )
                    .label(format!("needs Caddy 2.{min}"))
                    .help(format!(
                        "set `caddy_version = \"2.{min}\"` or later in `project`, {instead}"
                    )),
                );
            }
        }
    }
    if edge.caddy_many_logs_per_host() {
        return;
    }
    let mut first: indexmap::IndexMap<&str, crate::source::Span> = indexmap::IndexMap::new();
    for (r, b) in routes {
        if r.log.is_none() {
            continue;
        }
        let span = b
            .body
            .blocks_of("log")
            .next()
            .map(|l| l.kind.span)
            .unwrap_or(b.kind.span);
        match first.get(r.host.as_str()) {
            None => {
                first.insert(&r.host, span);
            }
            Some(earlier) => cx.err(
                Diagnostic::error(
                    Code::E0330,
                    span,
                    format!(
                        "Caddy 2.{} cannot write the access log of `{}` to two logs",
                        edge.caddy_minor, r.host
                    ),
                )
                .label("a second log for this host")
                .with_secondary(*earlier, "the host's first log")
                .help("Caddy maps a host to several logs from 2.8 on: set `caddy_version = \"2.8\"` or later in `project`, or keep one `log` block per host"),
            ),
        }
    }
}
