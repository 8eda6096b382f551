//! Values that parse as eosc's types but that the consumer refuses or
//! misreads (all E0303): Caddy's admin address forms, ACME and Vault
//! addresses, image references, upstream addresses, firewall rules the
//! Hetzner API refuses, and record data per type as BIND reads it.

use super::eval::Cx;
use super::model::{App, Firewall, Project, Upstream};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Attribute, ExprKind, StrPart};
use indexmap::IndexMap;

pub fn check(
    cx: &mut Cx<'_>,
    project: Option<&Project>,
    apps: &IndexMap<String, App>,
    upstreams: &IndexMap<String, Upstream>,
    firewalls: &IndexMap<String, Firewall>,
) {
    if let Some(p) = project {
        project_values(cx, p);
    }
    for (name, app) in apps {
        let Some(block) = cx.syms.get("app", name) else {
            continue;
        };
        for t in &app.tasks {
            let owner = block
                .body
                .blocks_of("task")
                .find(|b| b.labels.first().is_some_and(|l| l.name == t.name))
                .unwrap_or(block);
            if let (Some(why), Some(a)) = (image_problem(&t.image), owner.body.attr("image")) {
                bad(
                    cx,
                    a.value.span,
                    format!("`{}` is not an image reference", t.image.escape_debug()),
                    why,
                    "write `repository:tag` with no spaces, e.g. `ghcr.io/acme/api:1.4.2`",
                );
            }
        }
    }
    for (name, u) in upstreams {
        let Some(a) = cx
            .syms
            .get("upstream", name)
            .and_then(|b| b.body.attr("targets"))
        else {
            continue;
        };
        for t in literal_items(a) {
            let Some((t, span)) = t else { continue };
            if !u.targets.contains(&t) {
                continue;
            }
            if let Some(why) = target_problem(&t) {
                bad(cx, span, format!("`{}` is not an address Caddy can dial", t.escape_debug()), why,
                    "write an IPv4 address (`10.0.0.5:8080`), a bracketed IPv6 address (`[2001:db8::5]:8080`) or a host name, then `:port`");
            }
        }
    }
    for name in firewalls.keys() {
        let Some(b) = cx.syms.get("firewall", name) else {
            continue;
        };
        for r in b.body.blocks_of("rule") {
            if let Some(a) = r.body.attr("from") {
                if matches!(&a.value.kind, ExprKind::List(l) if l.is_empty()) {
                    bad(cx, a.value.span, "a firewall rule with no sources".into(), "empty `from`",
                        "list the source networks: `[\"0.0.0.0/0\", \"::/0\"]` for everyone, or remove the rule");
                }
            }
            let icmp = literal(r.body.attr("protocol")).is_some_and(|(p, _)| p == "icmp");
            if let (true, Some(a)) = (icmp, r.body.attr("port")) {
                bad(cx, a.value.span, "an icmp rule has no port".into(), "port on icmp",
                    "ICMP has no ports and the Hetzner API refuses one on an icmp rule; remove `port`");
            }
        }
    }
    for (_, z) in cx.syms.of("dns") {
        for r in z.body.blocks_of("record") {
            let (Some((rtype, _)), Some((value, span))) =
                (literal(r.body.attr("type")), literal(r.body.attr("value")))
            else {
                continue;
            };
            if let Some((why, help)) =
                super::lexical::rdata_meaning(&rtype.to_ascii_uppercase(), &value)
            {
                bad(
                    cx,
                    span,
                    format!(
                        "`{}` is not valid {} record data",
                        value.escape_debug(),
                        rtype.to_ascii_uppercase()
                    ),
                    why,
                    help,
                );
            }
        }
    }
}

fn bad(cx: &mut Cx<'_>, span: Span, msg: String, label: &str, help: &str) {
    cx.err(
        Diagnostic::error(Code::E0303, span, msg)
            .label(label)
            .help(help),
    );
}

fn literal(a: Option<&Attribute>) -> Option<(String, Span)> {
    let a = a?;
    match &a.value.kind {
        ExprKind::Str(p) => match p.as_slice() {
            [StrPart::Lit(s)] => Some((s.clone(), a.value.span)),
            [] => Some((String::new(), a.value.span)),
            _ => None,
        },
        _ => None,
    }
}

fn literal_items(a: &Attribute) -> Vec<Option<(String, Span)>> {
    match &a.value.kind {
        ExprKind::List(items) => items
            .iter()
            .map(|e| match &e.kind {
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

fn project_values(cx: &mut Cx<'_>, p: &Project) {
    let Some(b) = cx.syms.of("project").next().map(|(_, b)| *b) else {
        return;
    };
    if let Some((v, span)) = literal(b.body.attr("caddy_admin")) {
        if let Some(why) = admin_problem(&v) {
            bad(cx, span, format!("`{}` is not a listen address Caddy accepts", v.escape_debug()), why,
                "Caddy's admin `listen` is a network address: `localhost:2019`, `127.0.0.1:2019` or `unix//run/caddy/admin.sock`; no scheme, no path");
        }
    }
    if let (Some(e), Some((_, span))) = (&p.acme_email, literal(b.body.attr("acme_email"))) {
        if e.to_ascii_lowercase().starts_with("mailto:") {
            bad(cx, span, "the ACME email carries a `mailto:` prefix".into(), "`mailto:` included",
                "write the bare address (`ops@example.com`): Caddy adds `mailto:` itself, and a doubled prefix is refused by the CA");
        }
    }
    if let (Some(v), Some((_, span))) = (&p.vault, literal(b.body.attr("vault"))) {
        let rest = v
            .strip_prefix("https://")
            .or_else(|| v.strip_prefix("http://"));
        let ok = rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace));
        if !ok {
            bad(cx, span, format!("`{}` is not a Vault address", v.escape_debug()), "expected `https://host:port`",
                "Vault clients (Salt, Nomad, Terraform) need a URL with its scheme: `https://vault.example.com:8200`");
        }
    }
}

/// Caddy's `ParseNetworkAddress` forms for the admin endpoint.
fn admin_problem(v: &str) -> Option<&'static str> {
    if v.contains("://") {
        return Some("a URL: Caddy reads `http:` as an unknown network");
    }
    if let Some(path) = v.strip_prefix("unix/") {
        return (!path.starts_with('/'))
            .then_some("`unix/` needs an absolute socket path (`unix//run/caddy.sock`)");
    }
    let addr = ["tcp/", "tcp4/", "tcp6/"]
        .iter()
        .find_map(|n| v.strip_prefix(n))
        .unwrap_or(v);
    if addr.contains('/') {
        return Some("a path: the admin address is host and port only");
    }
    let Some((host, port)) = addr.rsplit_once(':') else {
        return Some("no port");
    };
    if port.parse::<u16>().is_err() {
        return Some("the port is not a number");
    }
    if host.contains(':') && !(host.starts_with('[') && host.ends_with(']')) {
        return Some("an IPv6 address needs brackets");
    }
    None
}

fn image_problem(image: &str) -> Option<&'static str> {
    if image.trim().is_empty() {
        return Some("empty");
    }
    if image.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("contains a space");
    }
    let name = image.split('@').next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    if name.ends_with(':') || last.ends_with(':') {
        return Some("empty tag after `:`");
    }
    if name.ends_with('/') || name.contains("//") {
        return Some("empty path component");
    }
    let repo = match last.split_once(':') {
        Some((r, _)) => &name[..name.len() - last.len() + r.len()],
        None => name,
    };
    // The registry host may have upper case; the repository path may not.
    let path = match repo.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => rest,
        _ => repo,
    };
    path.chars()
        .any(|c| c.is_ascii_uppercase())
        .then_some("repository names are lower case")
}

fn target_problem(t: &str) -> Option<&'static str> {
    let (host, _) = t.rsplit_once(':')?;
    if host.starts_with('[') {
        return None;
    }
    if host.contains(':') {
        return Some("an IPv6 address needs brackets before the port");
    }
    let numeric = host
        .split('.')
        .all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_digit()));
    (numeric && host.parse::<std::net::Ipv4Addr>().is_err()).then_some("not an IPv4 address")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_addresses() {
        for ok in [
            "localhost:2019",
            "127.0.0.1:2019",
            "[::1]:2019",
            "unix//run/caddy.sock",
            ":2019",
            "tcp/localhost:2019",
        ] {
            assert_eq!(admin_problem(ok), None, "{ok}");
        }
        for bad in [
            "http://localhost:2019",
            "localhost:2019/config",
            "localhost",
            "unix/caddy.sock",
            "::1:2019",
        ] {
            assert!(admin_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn images_and_targets() {
        assert_eq!(image_problem("ghcr.io/goauthentik/server:2024.8.3"), None);
        assert_eq!(image_problem("registry.Example.com:5000/x/y:1"), None);
        assert_eq!(image_problem("postgres:16@sha256:abc"), None);
        assert!(image_problem("nginx: 1.27").is_some());
        assert!(image_problem("nginx:").is_some());
        assert!(image_problem("Acme/App:1.0").is_some());
        assert_eq!(target_problem("10.0.0.5:8080"), None);
        assert_eq!(target_problem("[2001:db8::5]:80"), None);
        assert!(target_problem("999.1.1.1:80").is_some());
        assert!(target_problem("2001:db8::5:80").is_some());
    }
}
