//! docker-compose.yml → apps, secrets and variables.
//!
//! Parsed with serde_yaml; positions come from a scan of the text for the
//! service's keys (serde_yaml's values carry none), so each diagnostic
//! points at the line it is about. Services that are the hecate edge
//! itself map to the proxy runtime: Caddy's image to `caddy_version` or
//! `caddy_image`, nginx's to `nginx_image` (its streams come from its
//! nginx.conf, `eosc import nginx`, and every port it publishes is checked
//! against them), coturn to an app on the proxy's nodes; other edges
//! (Traefik, HAProxy, Envoy) are left to eosc's proxy with W0605. `env_file`s
//! inside the compose file's directory are read (through `SideFiles`) like
//! `environment`.

use super::writer::{Block, Tmpl, Val};
use super::{unique_name, Cx, SideFiles};
use crate::diagnostics::Code;
use crate::source::{FileId, Span};
use serde_yaml::Value;

/// Images that are the edge: eosc generates the proxy's configuration.
const EDGE_IMAGES: &[&str] = &["caddy", "nginx", "coturn", "traefik", "haproxy", "envoy"];

/// Keys that change nothing eosc can observe, reported and left out.
const HARMLESS: &[&str] = &[
    "container_name",
    "networks",
    "labels",
    "hostname",
    "stdin_open",
    "tty",
    "init",
    "stop_grace_period",
    "domainname",
];

/// Where things are in the text.
struct Loc<'a> {
    text: &'a str,
    file: FileId,
    /// The compose file as the user named it (env files are relative to it).
    name: &'a str,
    files: &'a dyn SideFiles,
}

impl Loc<'_> {
    /// The `name:` line of a service under `services:`, and the end of its
    /// block.
    fn service(&self, name: &str) -> (usize, usize) {
        let mut off = 0;
        let mut in_services = false;
        let mut found: Option<(usize, usize)> = None;
        for line in self.text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let content = trimmed.trim_end();
            if let Some((s, ind)) = found {
                if !content.is_empty() && !content.starts_with('#') && indent <= ind {
                    return (s, off);
                }
            } else if indent == 0 && content.starts_with("services:") {
                in_services = true;
            } else if in_services && indent == 0 && !content.is_empty() && !content.starts_with('#')
            {
                in_services = false;
            } else if in_services
                && indent > 0
                && (content.starts_with(&format!("{name}:"))
                    || content.starts_with(&format!("\"{name}\":")))
            {
                found = Some((off + indent, indent));
            }
            off += line.len();
        }
        found.map_or((0, self.text.len()), |(s, _)| (s, self.text.len()))
    }
    /// The first `needle` in `range`, as a span; the range's start if absent.
    fn find(&self, range: (usize, usize), needle: &str) -> Span {
        let hay = &self.text[range.0..range.1];
        match hay.find(needle) {
            Some(i) => Span::new(self.file, range.0 + i, range.0 + i + needle.len()),
            None => Span::new(self.file, range.0, range.0),
        }
    }
    /// The first `key:` that starts a line (not one in a comment).
    fn key(&self, range: (usize, usize), key: &str) -> Span {
        let mut off = range.0;
        for line in self.text[range.0..range.1].split_inclusive('\n') {
            let t = line.trim_start();
            let t = t.strip_prefix("- ").unwrap_or(t);
            if t.starts_with(&format!("{key}:")) || t.starts_with(&format!("\"{key}\":")) {
                let s = off + (line.len() - t.len());
                return Span::new(self.file, s, s + key.len() + 1);
            }
            off += line.len();
        }
        self.find(range, &format!("{key}:"))
    }
    /// `needle` after the `key:` line.
    fn after_key(&self, range: (usize, usize), key: &str, needle: &str) -> Span {
        let k = self.key(range, key);
        self.find((k.start as usize, range.1), needle)
    }
}

/// One part of a compose string with `${…}` interpolation.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    Var {
        name: String,
        default: Option<String>,
        required: bool,
    },
}

/// `${A:-x}/$B and $$` → parts (`$$` is a literal `$`).
fn interpolate(s: &str) -> Result<Vec<Part>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        text.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(a) = after.strip_prefix('$') {
            text.push('$');
            rest = a;
        } else if let Some(inner) = after.strip_prefix('{') {
            let Some(end) = inner.find('}') else {
                return Err(format!("`${{` without `}}` in `{s}`"));
            };
            let body = &inner[..end];
            let name_len = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(body.len());
            let (name, op) = body.split_at(name_len);
            if name.is_empty() {
                return Err(format!("`${{{body}}}` names no variable"));
            }
            let (default, required) =
                if let Some(d) = op.strip_prefix(":-").or_else(|| op.strip_prefix('-')) {
                    (Some(d.to_string()), false)
                } else if op.starts_with(":?") || op.starts_with('?') {
                    (None, true)
                } else if op.is_empty() {
                    (None, false)
                } else {
                    return Err(format!(
                        "`${{{body}}}` uses an interpolation the importer does not know"
                    ));
                };
            if !text.is_empty() {
                out.push(Part::Text(std::mem::take(&mut text)));
            }
            out.push(Part::Var {
                name: name.to_string(),
                default,
                required,
            });
            rest = &inner[end + 1..];
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if n == 0 {
                text.push('$');
                rest = after;
                continue;
            }
            if !text.is_empty() {
                out.push(Part::Text(std::mem::take(&mut text)));
            }
            out.push(Part::Var {
                name: after[..n].to_string(),
                default: None,
                required: false,
            });
            rest = &after[n..];
        }
    }
    text.push_str(rest);
    if !text.is_empty() || out.is_empty() {
        out.push(Part::Text(text));
    }
    Ok(out)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `sh -c`-like splitting of a compose command string (quotes, backslash).
fn shell_split(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let mut q: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (q, c) {
            (Some(x), c) if c == x => q = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                q = Some(c);
                any = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    any = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub fn import(cx: &mut Cx, file: FileId, text: &str, name: &str, files: &dyn SideFiles) {
    let loc = Loc {
        text,
        file,
        name,
        files,
    };
    let doc: Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let (start, end) = e
                .location()
                .map_or((0, 0), |l| (l.index(), (l.index() + 1).min(text.len())));
            cx.error(
                Code::E0601,
                Span::new(file, start, end.max(start)),
                format!("docker-compose: {e}"),
                "fix the YAML (`docker compose config` shows how Compose reads it)",
            );
            return;
        }
    };
    let Some(services) = doc.get("services").and_then(Value::as_mapping) else {
        cx.error(
            Code::E0601,
            Span::new(file, 0, 0),
            "docker-compose: no `services`",
            "a compose file lists its containers under `services:`",
        );
        return;
    };
    if let Some(n) = doc
        .get("networks")
        .and_then(Value::as_mapping)
        .filter(|m| !m.is_empty())
    {
        let at = loc.find((0, text.len()), "\nnetworks:");
        cx.warn(
            Code::W0601,
            Span::new(file, at.start as usize + 1, at.end as usize),
            format!(
                "{} network{} not imported: eosc's apps reach each other through Consul",
                n.len(),
                if n.len() == 1 { " is" } else { "s are" }
            ),
            "a service's name on the network becomes the Consul service of its app",
        );
    }
    if let Some(vols) = doc.get("volumes").and_then(Value::as_mapping) {
        for (k, v) in vols {
            let name = scalar(k).unwrap_or_default();
            if let Some(d) = v
                .get("driver")
                .and_then(Value::as_str)
                .filter(|d| *d != "local")
            {
                let at = loc.find((0, text.len()), &format!("{name}:"));
                cx.warn(
                    Code::W0603,
                    at,
                    format!("volume `{name}` uses driver `{d}`; it becomes a Nomad host volume"),
                    "declare the host volume on the Nomad client",
                );
            }
        }
    }
    // Register every ordinary service first, so dependencies resolve.
    let mut names: Vec<(String, String)> = Vec::new();
    for (k, svc) in services {
        let Some(key) = scalar(k) else { continue };
        if edge_kind(svc).is_none_or(|e| e == "coturn") {
            let app = unique_name(&cx.apps, &key);
            cx.apps.insert(app.clone(), Block::default());
            names.push((key, app));
        }
    }
    for (k, svc) in services {
        let Some(key) = scalar(k) else { continue };
        let range = loc.service(&key);
        let at = Span::new(file, range.0, range.0 + key.len());
        if !svc.is_mapping() {
            cx.error(
                Code::E0601,
                at,
                format!("service `{key}` is not a mapping"),
                "",
            );
            continue;
        }
        if let Some(img) = svc.get("image").and_then(Value::as_str) {
            image_risk(cx, &loc, range, img);
        }
        for v in svc
            .get("volumes")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            if let Some(s) = volume_source(v) {
                if socket(&s) {
                    let sp = loc.find(range, &s);
                    cx.warn(Code::W0606, sp, format!("service `{key}` mounts the container runtime socket `{s}`: whoever controls the container controls the host"), "mount it only where needed (Authentik's docker outpost integration); the spec keeps the volume (W0505 repeats this)");
                }
            }
        }
        let kind = edge_kind(svc);
        match kind {
            Some("caddy") | Some("nginx") => {
                edge_runtime(cx, &loc, range, &key, svc, kind == Some("caddy"));
                continue;
            }
            Some(e) if e != "coturn" => {
                edge_service(cx, &loc, range, &key, svc);
                continue;
            }
            _ => {}
        }
        let app = names
            .iter()
            .find(|(s, _)| *s == key)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| key.clone());
        let mut block = service(cx, &loc, range, &key, &app, svc, &names);
        if kind == Some("coturn") {
            // The TURN server is part of the edge: an app on the proxy's
            // nodes, its relay range published there (host networking of
            // the ports, the firewall rules the spec derives).
            let server = edge_server(cx, at, &key);
            block.attr_c(
                "runs_on",
                Val::Raw(format!("server.{server}")),
                "coturn is part of the edge: it runs on the proxy's nodes",
            );
        }
        cx.apps.insert(app, block);
    }
}

/// Which edge a service is (`caddy`, `nginx`, `coturn`, …), by its image.
fn edge_kind(svc: &Value) -> Option<&'static str> {
    let img = svc.get("image").and_then(Value::as_str).unwrap_or("");
    let base = img
        .rsplit('/')
        .next()
        .unwrap_or("")
        .split([':', '@'])
        .next()
        .unwrap_or("");
    EDGE_IMAGES
        .iter()
        .find(|e| base == **e || base.starts_with(&format!("{e}-")))
        .copied()
}

/// The image's repository and tag (`caddy:2.8-alpine` → (`caddy`,
/// `Some("2.8-alpine")`)).
fn image_parts(img: &str) -> (&str, Option<&str>) {
    let last_slash = img.rfind('/').map_or(0, |i| i + 1);
    match img[last_slash..].find(':') {
        Some(i) => (&img[..last_slash + i], Some(&img[last_slash + i + 1..])),
        None => (img.split('@').next().unwrap_or(img), None),
    }
}

/// The proxy's server (`server "edge"`, role `hecate-proxy`): added once,
/// with placeholder machine settings the user reviews.
fn edge_server(cx: &mut Cx, at: Span, why: &str) -> String {
    let name = "edge".to_string();
    if !cx.servers.contains_key(&name) {
        let mut b = Block::new("server", Some(&name));
        b.comment(format!(
            "The proxy's nodes (the Salt role the proxy job and the streams target), added for `{why}` ({}). TODO: review type, location and image.",
            cx.at(at)
        ));
        b.attr("type", Val::Str("cx22".into()));
        b.attr("location", Val::Str("nbg1".into()));
        b.attr("image", Val::Str("ubuntu-24.04".into()));
        b.attr(
            "labels",
            Val::Obj(vec![("role".into(), Val::Str("hecate-proxy".into()))]),
        );
        cx.servers.insert(name.clone(), b);
        cx.warn(
            Code::W0603,
            at,
            format!("`{why}` runs on the proxy's nodes: `server \"edge\"` (role hecate-proxy) is added with placeholder type, location and image"),
            "set the server's `type`, `location` and `image` to the machines the edge runs on",
        );
    }
    name
}

/// Caddy or nginx: the proxy job's, configured from the spec. Their images
/// become the project's `caddy_version`/`caddy_image` or `nginx_image`;
/// nginx's published ports are checked against the imported streams
/// ([`check_edge_ports`]).
fn edge_runtime(
    cx: &mut Cx,
    loc: &Loc<'_>,
    range: (usize, usize),
    key: &str,
    svc: &Value,
    caddy: bool,
) {
    let at = Span::new(loc.file, range.0, range.0 + key.len());
    let img = svc.get("image").and_then(Value::as_str).unwrap_or("");
    let (repo, tag) = image_parts(img);
    let pinned = tag.is_some_and(|t| t != "latest") || img.contains('@');
    let official = |name: &str| {
        [
            name.to_string(),
            format!("library/{name}"),
            format!("docker.io/library/{name}"),
        ]
        .contains(&repo.to_string())
    };
    let mut settings = Vec::new();
    if caddy {
        let minor = tag
            .and_then(|t| t.strip_prefix("2."))
            .and_then(|t| t.split(['.', '-']).next())
            .and_then(|m| m.parse::<u8>().ok())
            .filter(|m| crate::sema::model::CADDY_MINORS.contains(m));
        if official("caddy") {
            if let Some(m) = minor {
                cx.project_attr(
                    "caddy_version",
                    Val::Str(format!("2.{m}")),
                    format!("image {img} of compose service `{key}`"),
                );
                settings.push(format!("caddy_version = \"2.{m}\""));
            }
        } else if pinned && !img.contains('$') {
            cx.project_attr(
                "caddy_image",
                Val::Str(img.to_string()),
                format!("compose service `{key}`; list its plugins in caddy_plugins"),
            );
            settings.push(format!("caddy_image = \"{img}\""));
            if let Some(m) = minor {
                cx.project_attr(
                    "caddy_version",
                    Val::Str(format!("2.{m}")),
                    format!("tag of {img}"),
                );
            }
        }
    } else {
        if pinned && !img.contains('$') {
            cx.project_attr(
                "nginx_image",
                Val::Str(img.to_string()),
                format!("compose service `{key}`"),
            );
            settings.push(format!("nginx_image = \"{img}\""));
        }
        for p in svc
            .get("ports")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let text = match p {
                Value::Mapping(m) => m.get("published").and_then(scalar).unwrap_or_default(),
                other => scalar(other).unwrap_or_default(),
            };
            let psp = loc.find(range, &text);
            // `[ip:]host:container[/proto]`: the host port is what clients reach.
            let host = text.split('/').next().unwrap_or("");
            let parts: Vec<&str> = host.split(':').collect();
            let host_port = if parts.len() >= 2 {
                parts[parts.len() - 2]
            } else {
                parts[0]
            };
            let (a, b) = host_port.split_once('-').unwrap_or((host_port, host_port));
            match (a.parse::<u16>(), b.parse::<u16>()) {
                (Ok(a), Ok(b)) if a <= b && b - a <= 1000 => {
                    for n in a..=b {
                        cx.edge_ports.push((n, psp));
                    }
                }
                _ => cx.warn(
                    Code::W0601,
                    psp,
                    format!("port `{text}` of `{key}` is not read"),
                    "write it as HOST:CONTAINER",
                ),
            }
        }
        edge_server(cx, at, key);
    }
    cx.warn(
        Code::W0605,
        at,
        format!(
            "edge service: `{key}` ({img}) becomes the proxy job's {}{}",
            if caddy { "Caddy (its sites come from the Caddyfile import; 80/443 and its data are the job's)" } else { "nginx (its streams come from its nginx.conf: `eosc import … nginx nginx.conf`)" },
            if settings.is_empty() { String::new() } else { format!("; set {}", settings.join(", ")) }
        ),
        "nothing else to import for it; its config files and volumes are the proxy job's",
    );
    // Secrets on its command line still become secret blocks.
    let csp = loc.key(range, "command");
    let cmd: Vec<String> = command_words(svc.get("command"))
        .iter()
        .map(|w| text_of(cx, csp, w))
        .collect();
    let mut scratch = Block::default();
    args_with_secrets(cx, loc, range, key, &cmd, &mut scratch);
}

/// Every port the compose file's nginx publishes must be a stream of the
/// import, or the traffic it proxied has nowhere to go: said at the port.
pub fn check_edge_ports(cx: &mut Cx) {
    let listens: Vec<(u16, u16)> = cx
        .streams
        .values()
        .filter_map(|b| match b.get("listen")? {
            Val::Int(n) => Some((*n as u16, *n as u16)),
            Val::Str(r) => {
                let (a, b) = r.split_once('-')?;
                Some((a.parse().ok()?, b.parse().ok()?))
            }
            _ => None,
        })
        .collect();
    let ports = std::mem::take(&mut cx.edge_ports);
    let mut said: Vec<Span> = Vec::new();
    for (port, sp) in ports {
        if listens.iter().any(|(a, b)| (*a..=*b).contains(&port)) || said.contains(&sp) {
            continue;
        }
        said.push(sp);
        cx.warn(
            Code::W0605,
            sp,
            format!("nginx publishes port {port}, but no imported stream listens on it: what it proxied there is not in the spec"),
            "import its configuration too (`eosc import compose docker-compose.yml nginx nginx.conf`), or write the `stream` by hand",
        );
    }
}

fn socket(s: &str) -> bool {
    ["docker.sock", "containerd.sock", "podman.sock", "crio.sock"]
        .iter()
        .any(|x| s.ends_with(x))
}

fn image_risk(cx: &mut Cx, loc: &Loc<'_>, range: (usize, usize), img: &str) {
    if img.contains('@') || img.contains('$') {
        return;
    }
    let last = img.rsplit('/').next().unwrap_or(img);
    let tag = last.split_once(':').map(|(_, t)| t);
    if tag.is_none() || tag == Some("latest") {
        let sp = loc.after_key(range, "image", img);
        cx.warn(Code::W0606, sp, format!("image `{img}` is not pinned: `latest` changes under you, so two deploys can run different code"), "pin a version tag or a digest (`caddy:2.11`); W0502 repeats this on the spec");
    }
}

fn volume_source(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.split(':').next().unwrap_or("").to_string()),
        Value::Mapping(_) => v.get("source").and_then(Value::as_str).map(String::from),
        _ => None,
    }
}

/// The edge: not an app. Its published ports and its secrets are still
/// reported, so nothing is dropped in silence.
fn edge_service(cx: &mut Cx, loc: &Loc<'_>, range: (usize, usize), key: &str, svc: &Value) {
    let at = Span::new(loc.file, range.0, range.0 + key.len());
    let ports: Vec<String> = svc
        .get("ports")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(scalar)
        .collect();
    let img = svc.get("image").and_then(Value::as_str).unwrap_or("");
    cx.warn(
        Code::W0605,
        at,
        format!(
            "edge service: `{key}` ({img}) is managed by eosc's proxy, not imported as an app{}",
            if ports.is_empty() { String::new() } else { format!(" (its published ports: {})", ports.join(", ")) }
        ),
        "eosc's edge is Caddy (routes) and nginx (`stream` blocks): translate this proxy's configuration into those",
    );
    // Secrets on its command line still become secret blocks.
    let csp = loc.key(range, "command");
    let cmd: Vec<String> = command_words(svc.get("command"))
        .iter()
        .map(|w| text_of(cx, csp, w))
        .collect();
    let mut scratch = Block::default();
    args_with_secrets(cx, loc, range, key, &cmd, &mut scratch);
}

fn command_words(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => shell_split(s),
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
        _ => Vec::new(),
    }
}

/// A compose string where a literal is needed (command words, checks):
/// `$$` is `$`; a variable takes its default (W0603), or is an error.
fn text_of(cx: &mut Cx, sp: Span, s: &str) -> String {
    let Ok(parts) = interpolate(s) else {
        cx.error(
            Code::E0601,
            sp,
            format!("docker-compose interpolation in `{s}`"),
            "",
        );
        return s.to_string();
    };
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Text(t) => out.push_str(&t),
            Part::Var {
                name,
                default: Some(d),
                ..
            } => {
                cx.warn(
                    Code::W0603,
                    sp,
                    format!("`${{{name}}}` is imported as its default `{d}`"),
                    "a command or check of the spec is literal text",
                );
                out.push_str(&d);
            }
            Part::Var { name, .. } => cx.error(
                Code::E0602,
                sp,
                format!("`${{{name}}}` has no default, so this text is unknown here"),
                "write the value",
            ),
        }
    }
    out
}

/// A secret block for `name` (shared by every service that uses it).
fn secret(cx: &mut Cx, name: &str, why: &str) -> String {
    let sname = unique_name(
        &indexmap::IndexMap::<String, ()>::new(),
        &name.to_ascii_lowercase(),
    );
    if !cx.secrets.contains_key(&sname) {
        let mut b = Block::new("secret", Some(&sname));
        b.comment(format!("TODO: store the value at this Vault path ({why})."));
        b.attr("vault", Val::Str(format!("secret/{}/{sname}", cx.project)));
        cx.secrets.insert(sname.clone(), b);
    }
    sname
}

/// Command-line words with secret-looking flags' values replaced by
/// `$NAME` and the secret added to the app's `secrets`.
fn args_with_secrets(
    cx: &mut Cx,
    loc: &Loc<'_>,
    range: (usize, usize),
    svc: &str,
    words: &[String],
    app: &mut Block,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut secrets: Vec<(String, Val)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let flag_val = w
            .strip_prefix('-')
            .map(|f| f.trim_start_matches('-'))
            .and_then(|f| f.split_once('='));
        let (flag, value, joined) = match flag_val {
            Some((f, v)) => (f.to_string(), Some(v.to_string()), true),
            None if w.starts_with('-') && i + 1 < words.len() && !words[i + 1].starts_with('-') => {
                (
                    w.trim_start_matches('-').to_string(),
                    Some(words[i + 1].clone()),
                    false,
                )
            }
            None => (String::new(), None, true),
        };
        match value {
            Some(v)
                if crate::sema::secret_rules::name_is_secret(&flag)
                    && !v.is_empty()
                    && !v.starts_with('$') =>
            {
                let env = flag.to_ascii_uppercase().replace('-', "_");
                let sname = secret(
                    cx,
                    &format!("{svc}_{}", flag.replace('-', "_")),
                    &format!("`--{flag}` of service {svc}"),
                );
                let sp = loc.find(range, &v);
                cx.warn(
                    Code::W0604,
                    sp,
                    format!("service `{svc}` passes a secret on its command line (`--{flag}`); it becomes `secret \"{sname}\"`, the value is not copied"),
                    format!("store the value in Vault at the secret's path; the container reads it from ${env}"),
                );
                secrets.push((env.clone(), Val::Raw(format!("secret.{sname}"))));
                let dash = &w[..w.len() - w.trim_start_matches('-').len()];
                if joined {
                    out.push(format!("{dash}{flag}=${env}"));
                } else {
                    out.push(w.clone());
                    out.push(format!("${env}"));
                    i += 1;
                }
            }
            _ => out.push(w.clone()),
        }
        i += 1;
    }
    if !secrets.is_empty() {
        merge_obj(app, "secrets", secrets);
    }
    out
}

fn merge_obj(b: &mut Block, key: &str, add: Vec<(String, Val)>) {
    if let Some(a) = b.attrs.iter_mut().find(|a| a.name == key) {
        if let Val::Obj(o) = &mut a.value {
            for (k, v) in add {
                if !o.iter().any(|(x, _)| *x == k) {
                    o.push((k, v));
                }
            }
        }
    } else {
        b.attr(key, Val::Obj(add));
    }
}

/// A compose string as a spec value: variables become `var.NAME` with
/// their defaults; a variable whose value must be given and has no
/// default is an error.
fn value_of(cx: &mut Cx, sp: Span, s: &str) -> Option<Val> {
    let parts = match interpolate(s) {
        Ok(p) => p,
        Err(e) => {
            cx.error(
                Code::E0601,
                sp,
                format!("docker-compose interpolation: {e}"),
                "",
            );
            return None;
        }
    };
    if let [Part::Text(t)] = parts.as_slice() {
        return Some(Val::Str(t.clone()));
    }
    let mut out = Vec::new();
    for p in parts {
        match p {
            Part::Text(t) => out.push(Tmpl::Text(t)),
            Part::Var {
                name,
                default,
                required,
            } => {
                let vname = variable(cx, sp, &name, default, required);
                out.push(Tmpl::Ref(format!("var.{vname}")));
            }
        }
    }
    Some(Val::Tmpl(out))
}

fn variable(cx: &mut Cx, sp: Span, name: &str, default: Option<String>, required: bool) -> String {
    let vname = unique_name(&indexmap::IndexMap::<String, ()>::new(), name);
    if !cx.variables.contains_key(&vname) {
        let mut b = Block::new("variable", Some(&vname));
        b.comment(format!("`${{{name}}}` in {}", cx.at(sp)));
        b.attr("type", Val::Raw("string".into()));
        match &default {
            Some(d) => {
                b.attr("default", Val::Str(d.clone()));
            }
            None => {
                cx.error(
                    Code::E0602,
                    sp,
                    format!("compose variable `{name}` has no default{}, so its value is unknown here", if required { " and must be set" } else { "" }),
                    format!("set `{vname}` in the environment's `vars`, or give it a default (`${{{name}:-value}}`)"),
                );
            }
        }
        cx.variables.insert(vname.clone(), b);
    }
    vname
}

fn service(
    cx: &mut Cx,
    loc: &Loc<'_>,
    range: (usize, usize),
    key: &str,
    app_name: &str,
    svc: &Value,
    names: &[(String, String)],
) -> Block {
    let file = loc.file;
    let at = Span::new(file, range.0, range.0 + key.len());
    let mut b = Block::new("app", Some(app_name));
    b.comment(format!("compose service `{key}` ({})", cx.at(at)));
    let map = svc.as_mapping().cloned().unwrap_or_default();
    let mut ports_for_hosts: Vec<(u16, String)> = Vec::new();
    let mut port_blocks: Vec<Block> = Vec::new();
    let mut volumes: Vec<Block> = Vec::new();
    let mut health: Option<Block> = None;
    let mut health_at = None;
    let mut env: Vec<(String, Val)> = Vec::new();
    let mut secrets: Vec<(String, Val)> = Vec::new();
    let mut file_env: Vec<(String, Val)> = Vec::new();
    let mut file_secrets: Vec<(String, Val)> = Vec::new();
    for (k, v) in &map {
        let Some(k) = scalar(k) else { continue };
        let ksp = loc.key(range, &k);
        match k.as_str() {
            "image" => {
                let img = scalar(v).unwrap_or_default();
                if let Some(val) = value_of(cx, ksp, &img) {
                    b.attr("image", val);
                }
            }
            "build" => cx.error(Code::E0602, ksp, format!("service `{key}` is built from source; an eosc app runs an image"), "push the image to a registry and set `image`"),
            "command" => {
                let words: Vec<String> = command_words(Some(v)).iter().map(|w| text_of(cx, ksp, w)).collect();
                let mut words = args_with_secrets(cx, loc, range, key, &words, &mut b);
                if !words.is_empty() {
                    let first = words.remove(0);
                    b.attr("command", Val::Str(first));
                    if !words.is_empty() {
                        b.attr("args", Val::List(words.into_iter().map(Val::Str).collect()));
                    }
                }
            }
            "entrypoint" => cx.error(Code::E0602, ksp, format!("service `{key}` overrides the image's entrypoint, which an eosc app cannot"), "build an image with this entrypoint"),
            "user" | "cap_add" | "cap_drop" | "read_only" | "network_mode" | "logging" => docker_option(cx, ksp, key, &k, v, &mut b),
            "restart" => {
                if scalar(v).as_deref() == Some("no") {
                    cx.warn(Code::W0603, ksp, "`restart: \"no\"`: Nomad restarts a failed service app anyway", "make it `type = \"batch\"` if it should run once");
                }
            }
            "environment" => environment(cx, loc, range, key, v, &mut env, &mut secrets),
            "env_file" => env_files(cx, loc, range, key, v, &mut file_env, &mut file_secrets),
            "ports" => {
                for p in v.as_sequence().into_iter().flatten() {
                    let text = match p {
                        Value::Mapping(m) => {
                            let t = m.get("target").and_then(scalar).unwrap_or_default();
                            let pub_ = m.get("published").and_then(scalar);
                            let proto = m.get("protocol").and_then(scalar).map(|p| format!("/{p}")).unwrap_or_default();
                            match pub_ {
                                Some(h) => format!("{h}:{t}{proto}"),
                                None => format!("{t}{proto}"),
                            }
                        }
                        other => scalar(other).unwrap_or_default(),
                    };
                    let psp = loc.find(range, &text);
                    port(cx, psp, &text, &mut port_blocks, &mut ports_for_hosts);
                }
            }
            "expose" => {
                for p in v.as_sequence().into_iter().flatten() {
                    let text = scalar(p).unwrap_or_default();
                    let psp = loc.find(range, &text);
                    if let Ok(n) = text.parse::<u16>() {
                        if !port_blocks.iter().any(|b| b.get("to") == Some(&Val::Int(n as i64))) {
                            let mut pb = Block::new("port", Some(&format!("p{n}")));
                            pb.attr("to", Val::Int(n as i64));
                            port_blocks.push(pb);
                            ports_for_hosts.push((n, format!("p{n}")));
                        }
                    } else {
                        cx.warn(Code::W0601, psp, format!("`expose: {text}` is not imported"), "");
                    }
                }
            }
            "volumes" => {
                for vol in v.as_sequence().into_iter().flatten() {
                    volume(cx, loc, range, vol, &mut volumes);
                }
            }
            "healthcheck" => {
                health_at = Some(loc.key(range, "healthcheck"));
                health = healthcheck(cx, loc, range, v)
            }
            "depends_on" => {
                let mut deps = Vec::new();
                let mut conditional = false;
                match v {
                    Value::Sequence(s) => deps.extend(s.iter().filter_map(scalar)),
                    Value::Mapping(m) => {
                        for (d, c) in m {
                            deps.extend(scalar(d));
                            if c.get("condition").and_then(Value::as_str).is_some_and(|c| c != "service_started") {
                                conditional = true;
                            }
                        }
                    }
                    _ => {}
                }
                let mut refs = Vec::new();
                for d in deps {
                    match names.iter().find(|(s, _)| *s == d) {
                        Some((_, app)) => refs.push(Val::Raw(format!("app.{app}"))),
                        None => cx.warn(Code::W0601, loc.find(range, &d), format!("`{key}` depends on `{d}`, which is not imported as an app"), ""),
                    }
                }
                if conditional {
                    cx.warn(Code::W0603, ksp, format!("`{key}` waits for its dependencies to be healthy in compose; eosc deploys them first, and Nomad starts it without waiting for their checks"), "make the service retry its connections at start");
                }
                if !refs.is_empty() {
                    b.attr("depends_on", Val::List(refs));
                }
            }
            "deploy" => deploy(cx, ksp, v, &mut b),
            k if HARMLESS.contains(&k) => {
                if k == "container_name" {
                    if let Some(c) = scalar(v) {
                        cx.service_hosts.insert(c, (app_name.to_string(), Vec::new()));
                    }
                } else if k != "networks" {
                    cx.warn(Code::W0601, ksp, format!("`{k}` of service `{key}` is not imported"), "it does not change what the app runs");
                }
            }
            k => cx.error(Code::E0602, ksp, format!("`{k}` of service `{key}` cannot be imported; the app would run differently without it"), "remove it from the service, or keep this service outside eosc"),
        }
    }
    // `environment` wins over `env_file`, a later file over an earlier one
    // (Compose's precedence): one entry per variable, the last kept.
    let (env, secrets) = merge_env(file_env, file_secrets, env, secrets);
    if !env.is_empty() {
        b.attr("env", Val::Obj(env));
    }
    if !secrets.is_empty() {
        merge_obj(&mut b, "secrets", secrets);
    }
    // Caddy upstreams may name the service, its container or compose's
    // `<project>-<service>-<n>`.
    for (_, entry) in cx
        .service_hosts
        .iter_mut()
        .filter(|(_, (a, _))| a == app_name)
    {
        entry.1 = ports_for_hosts.clone();
    }
    cx.service_hosts.insert(
        key.to_string(),
        (app_name.to_string(), ports_for_hosts.clone()),
    );
    for n in 1..=3 {
        cx.service_hosts.insert(
            format!("*-{key}-{n}"),
            (app_name.to_string(), ports_for_hosts.clone()),
        );
    }
    // Nomad attaches a check to a service, and a service needs a port: a
    // healthcheck of a service that publishes none has nowhere to go.
    if port_blocks.is_empty() && health.is_some() {
        if let Some(at) = health_at {
            cx.warn(
                Code::W0601,
                at,
                format!("the healthcheck of `{key}` is not imported: the service publishes no port, and Nomad attaches checks to a port's service"),
                "add a `port` to the app and a `health \"script\"` with `port = …` by hand",
            );
        }
        health = None;
    }
    b.blocks.extend(port_blocks);
    b.blocks.extend(health);
    b.blocks.extend(volumes);
    b
}

/// Compose's precedence over `env_file` entries and `environment` entries:
/// a variable defined again (as env or as secret) replaces the earlier one.
type Entries = Vec<(String, Val)>;
fn merge_env(
    file_env: Entries,
    file_secrets: Entries,
    env: Entries,
    secrets: Entries,
) -> (Entries, Entries) {
    let mut all: Vec<(String, Val, bool)> = Vec::new();
    for (k, v, secret) in file_env
        .into_iter()
        .map(|(k, v)| (k, v, false))
        .chain(file_secrets.into_iter().map(|(k, v)| (k, v, true)))
        .chain(env.into_iter().map(|(k, v)| (k, v, false)))
        .chain(secrets.into_iter().map(|(k, v)| (k, v, true)))
    {
        all.retain(|(x, _, _)| *x != k);
        all.push((k, v, secret));
    }
    let (s, e): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, _, secret)| *secret);
    (
        e.into_iter().map(|(k, v, _)| (k, v)).collect(),
        s.into_iter().map(|(k, v, _)| (k, v)).collect(),
    )
}

/// Does `rel` stay inside the compose file's directory (lexically: not
/// absolute, no `..` above it)? The CLI also refuses symbolic links out.
pub fn stays_inside(rel: &str) -> bool {
    if rel.is_empty() || rel.starts_with('/') || rel.starts_with('~') || rel.contains('\\') {
        return false;
    }
    let mut depth: i32 = 0;
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => depth += 1,
        }
    }
    depth > 0
}

/// `env_file: a.env`, a list, or `{ path, required }` entries: each file
/// inside the compose file's directory is read and its `KEY=VALUE` lines
/// go through the same rules as `environment` (secrets become `secret`
/// blocks), with spans in the env file itself.
fn env_files(
    cx: &mut Cx,
    loc: &Loc<'_>,
    range: (usize, usize),
    svc: &str,
    v: &Value,
    env: &mut Vec<(String, Val)>,
    secrets: &mut Vec<(String, Val)>,
) {
    let entries: Vec<(String, bool)> = match v {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::Mapping(m) => Some((
                    m.get("path").and_then(scalar)?,
                    m.get("required").and_then(Value::as_bool).unwrap_or(true),
                )),
                other => scalar(other).map(|p| (p, true)),
            })
            .collect(),
        other => scalar(other).map(|p| (p, true)).into_iter().collect(),
    };
    for (path, required) in entries {
        let psp = loc.after_key(range, "env_file", &path);
        if !stays_inside(&path) {
            cx.error(
                Code::E0602,
                psp,
                format!("`env_file: {path}` of service `{svc}` is outside the compose file's directory; it is not read"),
                "move the file next to the compose file (or below it) and refer to it relatively",
            );
            continue;
        }
        let text = match loc.files.read(loc.name, &path) {
            None => {
                cx.warn(Code::W0601, psp, format!("`env_file: {path}` of service `{svc}` is not read here: its variables are not in the app's env"), "run `eosc import compose` where the file is, or copy its variables into `env` and `secret` blocks");
                continue;
            }
            Some(Ok(t)) => t,
            Some(Err(e)) if !required => {
                cx.warn(
                    Code::W0601,
                    psp,
                    format!("optional `env_file: {path}` of service `{svc}` is not read: {e}"),
                    "nothing to do if the file does not exist where the import runs",
                );
                continue;
            }
            Some(Err(e)) => {
                cx.error(
                    Code::E0601,
                    psp,
                    format!("`env_file: {path}` of service `{svc}` cannot be read: {e}"),
                    "run the import where the file is, or copy its variables into `environment`",
                );
                continue;
            }
        };
        let name = match loc.name.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{path}"),
            None => path.clone(),
        };
        let id = cx.sources.add(name, text.clone());
        let pairs = env_file_entries(&text)
            .into_iter()
            .map(|(k, v, s, e)| (k, v, Span::new(id, s, e)))
            .collect();
        env_entries(cx, svc, pairs, env, secrets);
    }
}

/// The `KEY=VALUE` lines of an env file (Compose's format: `#` comments,
/// `export ` prefixes, single- or double-quoted values, `KEY` alone passes
/// the host's value through): (key, value, span of the key).
fn env_file_entries(text: &str) -> Vec<(String, Option<String>, usize, usize)> {
    let mut out = Vec::new();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let t = body.trim_start();
        let start = off + (body.len() - t.len());
        off += line.len();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (t, start) = match t.strip_prefix("export ") {
            Some(r) => (r.trim_start(), start + (t.len() - r.trim_start().len())),
            None => (t, start),
        };
        let (k, v) = match t.split_once('=') {
            Some((k, v)) => (k.trim_end(), Some(v)),
            None => (t.trim_end(), None),
        };
        let v = v.map(|v| {
            let v = v.trim();
            if v.len() >= 2
                && (v.starts_with('"') && v.ends_with('"')
                    || v.starts_with('\'') && v.ends_with('\''))
            {
                v[1..v.len() - 1].to_string()
            } else {
                // An unquoted value ends at ` #`.
                v.split(" #").next().unwrap_or("").trim_end().to_string()
            }
        });
        out.push((k.to_string(), v, start, start + k.len()));
    }
    out
}

fn environment(
    cx: &mut Cx,
    loc: &Loc<'_>,
    range: (usize, usize),
    svc: &str,
    v: &Value,
    env: &mut Vec<(String, Val)>,
    secrets: &mut Vec<(String, Val)>,
) {
    let mut pairs: Vec<(String, Option<String>)> = Vec::new();
    match v {
        Value::Mapping(m) => {
            for (k, val) in m {
                pairs.push((scalar(k).unwrap_or_default(), scalar(val)));
            }
        }
        Value::Sequence(s) => {
            for item in s.iter().filter_map(scalar) {
                match item.split_once('=') {
                    Some((k, val)) => pairs.push((k.to_string(), Some(val.to_string()))),
                    None => pairs.push((item, None)),
                }
            }
        }
        _ => {}
    }
    let pairs = pairs
        .into_iter()
        .map(|(k, v)| {
            let sp = loc.key(range, &k);
            (k, v, sp)
        })
        .collect();
    env_entries(cx, svc, pairs, env, secrets);
}

/// Environment entries (key, value, where): secret-looking ones become
/// `secret` blocks (W0604), host pass-throughs are said (W0601), the rest
/// is env.
fn env_entries(
    cx: &mut Cx,
    svc: &str,
    pairs: Vec<(String, Option<String>, Span)>,
    env: &mut Vec<(String, Val)>,
    secrets: &mut Vec<(String, Val)>,
) {
    for (k, val, sp) in pairs {
        let Some(val) = val else {
            cx.warn(
                Code::W0601,
                sp,
                format!("`{k}` is passed through from the host's environment; it is not imported"),
                "set its value in `env`, or a `secret`",
            );
            continue;
        };
        let parts = interpolate(&val).unwrap_or_default();
        let var_secret = parts
            .iter()
            .any(|p| matches!(p, Part::Var { name, .. } if crate::sema::secret_rules::name_is_secret(name)));
        if crate::sema::secret_rules::name_is_secret(&k)
            || var_secret
            || crate::sema::secret_rules::looks_like_token(
                &val,
                crate::sema::secret_rules::name_is_hash(&k),
            )
        {
            if val.is_empty() {
                continue;
            }
            let from = parts.iter().find_map(|p| match p {
                Part::Var { name, .. } => Some(name.clone()),
                _ => None,
            });
            let sname = secret(
                cx,
                from.as_deref().unwrap_or(&format!("{svc}_{k}")),
                &format!("`{k}` of service {svc}"),
            );
            let literal = from.is_none();
            cx.warn(
                Code::W0604,
                sp,
                format!(
                    "`{k}` of service `{svc}` is a secret{}; it becomes `secret \"{sname}\"`",
                    if literal {
                        " written as a literal (the value is not copied)"
                    } else {
                        ""
                    }
                ),
                "store the value in Vault at the secret's path",
            );
            secrets.push((k, Val::Raw(format!("secret.{sname}"))));
            continue;
        }
        if let Some(v) = value_of(cx, sp, &val) {
            env.push((k, v));
        }
    }
}

/// `[ip:][host[-range]:]container[-range][/proto]`.
fn port(
    cx: &mut Cx,
    sp: Span,
    text: &str,
    blocks: &mut Vec<Block>,
    hosts: &mut Vec<(u16, String)>,
) {
    let (spec, proto) = match text.rsplit_once('/') {
        Some((s, p)) => (s, p),
        None => (text, "tcp"),
    };
    // Interpolated host ports take their default.
    let spec_owned;
    let spec = if spec.contains('$') {
        match interpolate(spec) {
            Ok(parts)
                if parts.iter().all(|p| {
                    matches!(
                        p,
                        Part::Text(_)
                            | Part::Var {
                                default: Some(_),
                                ..
                            }
                    )
                }) =>
            {
                spec_owned = parts
                    .iter()
                    .map(|p| match p {
                        Part::Text(t) => t.clone(),
                        Part::Var { default, .. } => default.clone().unwrap_or_default(),
                    })
                    .collect::<String>();
                cx.warn(
                    Code::W0603,
                    sp,
                    format!(
                        "port `{text}` is imported with its variables' defaults (`{spec_owned}`)"
                    ),
                    "the spec's static ports are numbers",
                );
                spec_owned.as_str()
            }
            _ => {
                cx.error(
                    Code::E0602,
                    sp,
                    format!("port `{text}` depends on a variable without a default"),
                    "write the port number",
                );
                return;
            }
        }
    } else {
        spec
    };
    let fields: Vec<&str> = spec.split(':').collect();
    let (host, container) = match fields.as_slice() {
        [c] => (None, *c),
        [h, c] => (Some(*h), *c),
        [ip, h, c] => {
            cx.warn(Code::W0603, sp, format!("port `{text}` is bound to `{ip}` in compose; Nomad binds it on the client's address"), "firewall the port if it must stay private");
            (if h.is_empty() { None } else { Some(*h) }, *c)
        }
        _ => {
            cx.error(
                Code::E0601,
                sp,
                format!("port `{text}` is not a compose port"),
                "",
            );
            return;
        }
    };
    let range = |s: &str| -> Option<(u16, u16)> {
        match s.split_once('-') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => s.parse().ok().map(|n| (n, n)),
        }
    };
    let Some((c0, c1)) = range(container) else {
        cx.error(
            Code::E0601,
            sp,
            format!("port `{text}` is not a compose port"),
            "",
        );
        return;
    };
    let h = match host.map(range) {
        Some(Some(r)) => Some(r),
        Some(None) => {
            cx.error(
                Code::E0601,
                sp,
                format!("port `{text}` is not a compose port"),
                "",
            );
            return;
        }
        None => None,
    };
    let proto = if proto == "udp" { "udp" } else { "tcp" };
    if c1 > c0 {
        // A published range: one port block over the same numbers on the
        // host and in the container (what the spec's ranges are).
        if h != Some((c0, c1)) || c1 - c0 > 999 {
            cx.error(
                Code::E0602,
                sp,
                format!("port range `{text}` maps host ports to other container ports"),
                "a spec port range publishes the same numbers (`\"49160-49200:49160-49200/udp\"`); write it so, or one port per line",
            );
            return;
        }
        let name = format!("p{c0}");
        if let Some(existing) = blocks
            .iter_mut()
            .find(|b| b.get("static") == Some(&Val::Str(format!("{c0}-{c1}"))))
        {
            both(existing, proto);
            return;
        }
        let mut pb = Block::new("port", Some(&name));
        pb.attr("static", Val::Str(format!("{c0}-{c1}")));
        if proto == "udp" {
            pb.attr("protocol", Val::Str("udp".into()));
        }
        blocks.push(pb);
        return;
    }
    let c = c0;
    let name = format!("p{c}");
    let static_port = h.map(|(a, _)| Val::Int(a as i64));
    if let Some(existing) = blocks
        .iter_mut()
        .find(|b| b.label() == name && b.get("static").cloned() == static_port)
    {
        // `3478:3478` and `3478:3478/udp`: one port, both protocols.
        both(existing, proto);
        return;
    }
    let mut pb = Block::new("port", Some(&name));
    pb.attr("to", Val::Int(c as i64));
    if let Some(v) = static_port {
        pb.attr("static", v);
    }
    if proto == "udp" {
        pb.attr("protocol", Val::Str("udp".into()));
    }
    let label = unique_name(
        &blocks
            .iter()
            .map(|b| (b.label().to_string(), ()))
            .collect::<indexmap::IndexMap<_, _>>(),
        &name,
    );
    pb.labels = vec![label.clone()];
    hosts.push((c, label));
    blocks.push(pb);
}

/// A port block published again with another protocol carries both.
fn both(b: &mut Block, proto: &str) {
    let current = match b.get("protocol") {
        Some(Val::Str(p)) => p.clone(),
        _ => "tcp".to_string(),
    };
    if current != proto && current != "both" {
        b.attrs.retain(|a| a.name != "protocol");
        b.attr("protocol", Val::Str("both".into()));
    }
}

fn volume(cx: &mut Cx, loc: &Loc<'_>, range: (usize, usize), v: &Value, out: &mut Vec<Block>) {
    let (src, dst, ro) = match v {
        Value::String(s) => {
            let parts: Vec<&str> = s.split(':').collect();
            match parts.as_slice() {
                [d] => ("".to_string(), d.to_string(), false),
                [s, d] => (s.to_string(), d.to_string(), false),
                [s, d, m, ..] => (
                    s.to_string(),
                    d.to_string(),
                    m.split(',').any(|x| x == "ro"),
                ),
                _ => return,
            }
        }
        Value::Mapping(_) => (
            v.get("source").and_then(scalar).unwrap_or_default(),
            v.get("target").and_then(scalar).unwrap_or_default(),
            v.get("read_only").and_then(Value::as_bool).unwrap_or(false),
        ),
        _ => return,
    };
    let sp = loc.find(range, if src.is_empty() { &dst } else { &src });
    if src.is_empty() {
        cx.warn(Code::W0601, sp, format!("anonymous volume `{dst}` is not imported: the data lives only as long as the container"), "give it a name to keep it");
        return;
    }
    if !dst.starts_with('/') {
        cx.error(
            Code::E0601,
            sp,
            format!("volume target `{dst}` is not an absolute path"),
            "",
        );
        return;
    }
    let bind = src.starts_with('.') || src.starts_with('/') || src.starts_with('~');
    let base = src
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(&src)
        .replace('.', "-");
    let host = unique_name(
        &indexmap::IndexMap::<String, ()>::new(),
        base.trim_matches('-'),
    );
    let name = unique_name(
        &out.iter()
            .map(|b| (b.label().to_string(), ()))
            .collect::<indexmap::IndexMap<_, _>>(),
        &host,
    );
    let mut b = Block::new("volume", Some(&name));
    b.attr("host", Val::Str(host.clone()));
    b.attr("path", Val::Str(dst));
    if ro {
        b.attr("read_only", Val::Bool(true));
    }
    if src.starts_with('/') {
        // eosc writes the client's host_volume at this path itself.
        b.attr("host_path", Val::Str(src.clone()));
    } else if bind {
        b.comment(format!(
            "TODO: declare host_volume \"{host}\" on the Nomad client, at the directory of `{src}`"
        ));
        cx.warn(Code::W0603, sp, format!("bind mount `{src}` becomes Nomad host volume `{host}`"), format!("declare `host_volume \"{host}\"` in the client's configuration, pointing at the directory"));
    }
    out.push(b);
}

/// The container settings an eosc task has (`user`, capabilities, a
/// read-only root, the network mode, the logging driver), as Compose
/// spells them.
fn docker_option(cx: &mut Cx, ksp: Span, svc: &str, k: &str, v: &Value, b: &mut Block) {
    let refuse = |cx: &mut Cx, why: String| {
        cx.error(
            Code::E0602,
            ksp,
            why,
            "remove it from the service, or keep this service outside eosc",
        )
    };
    match k {
        "user" => match scalar(v) {
            // Nomad's task `user`: a name or id, optionally `:group`.
            Some(u) if !u.is_empty() && u.bytes().all(|c| c.is_ascii_alphanumeric() || b"_-.:".contains(&c)) => {
                b.attr("user", Val::Str(u));
            }
            other => refuse(cx, format!("`user: {}` of service `{svc}` is not a user name or id", other.unwrap_or_default())),
        },
        "cap_add" | "cap_drop" => {
            let caps: Vec<Val> = v.as_sequence().into_iter().flatten().filter_map(scalar).map(Val::Str).collect();
            if !caps.is_empty() {
                b.attr(k, Val::List(caps));
            }
        }
        "read_only" => {
            if v.as_bool() == Some(true) {
                b.attr("readonly_rootfs", Val::Bool(true));
            }
        }
        "network_mode" => match scalar(v).as_deref() {
            Some(m @ ("host" | "bridge" | "none")) => {
                b.attr("network_mode", Val::Str(m.to_string()));
            }
            other => refuse(cx, format!("`network_mode: {}` of service `{svc}` joins another container's or a named network", other.unwrap_or_default())),
        },
        _ => {
            // logging: { driver, options }
            let mut lb = Block::new("logging", None);
            let driver = v.get("driver").and_then(scalar).unwrap_or_else(|| "json-file".into());
            lb.attr("type", Val::Str(driver));
            let opts: Vec<(String, Val)> = v
                .get("options")
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((scalar(k)?, Val::Str(scalar(v)?))))
                .collect();
            if !opts.is_empty() {
                lb.attr("config", Val::Obj(opts));
            }
            b.blocks.push(lb);
        }
    }
}

fn healthcheck(cx: &mut Cx, loc: &Loc<'_>, range: (usize, usize), v: &Value) -> Option<Block> {
    let at = loc.key(range, "healthcheck");
    if v.get("disable").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let (command, args) = match v.get("test") {
        Some(Value::String(s)) => ("/bin/sh".to_string(), vec!["-c".to_string(), s.clone()]),
        Some(Value::Sequence(items)) => {
            let words: Vec<String> = items.iter().filter_map(scalar).collect();
            match words.split_first() {
                Some((k, rest)) if k == "CMD-SHELL" => {
                    ("/bin/sh".into(), vec!["-c".into(), rest.join(" ")])
                }
                Some((k, rest)) if k == "CMD" && !rest.is_empty() => {
                    (rest[0].clone(), rest[1..].to_vec())
                }
                Some((k, _)) if k == "NONE" => return None,
                _ => {
                    cx.error(
                        Code::E0601,
                        at,
                        "a healthcheck `test` the importer does not understand",
                        "",
                    );
                    return None;
                }
            }
        }
        _ => {
            cx.warn(
                Code::W0601,
                at,
                "a healthcheck without `test` is not imported",
                "",
            );
            return None;
        }
    };
    let mut h = Block::new("health", Some("script"));
    let command = text_of(cx, at, &command);
    let args: Vec<String> = args.iter().map(|a| text_of(cx, at, a)).collect();
    h.attr("command", Val::Str(command));
    h.attr("args", Val::List(args.into_iter().map(Val::Str).collect()));
    for (k, key) in [("interval", "interval"), ("timeout", "timeout")] {
        if let Some(d) = v.get(k).and_then(Value::as_str) {
            match super::caddy_sites::duration(d) {
                Some(lit) => {
                    h.attr(key, Val::Raw(lit));
                }
                None => cx.warn(
                    Code::W0603,
                    loc.key(range, k),
                    format!(
                        "healthcheck `{k}: {d}` is not a duration eosc reads; the default applies"
                    ),
                    "",
                ),
            }
        }
    }
    for k in ["retries", "start_period", "start_interval"] {
        if v.get(k).is_some() {
            cx.warn(Code::W0603, loc.key(range, k), format!("healthcheck `{k}` is not imported: Nomad marks the check failing at its first failure"), "Nomad's check_restart can be tuned in the generated job");
        }
    }
    Some(h)
}

fn deploy(cx: &mut Cx, at: Span, v: &Value, b: &mut Block) {
    if let Some(n) = v.get("replicas").and_then(Value::as_u64) {
        b.attr("count", Val::Int(n.min(1000) as i64));
    }
    if let Some(lim) = v.get("resources").and_then(|r| r.get("limits")) {
        let mut r = Block::new("resources", None);
        if let Some(c) = lim
            .get("cpus")
            .and_then(scalar)
            .and_then(|c| c.parse::<f64>().ok())
        {
            r.attr(
                "cpu",
                Val::Int(((c * 1000.0).round() as i64).clamp(1, 1_000_000)),
            );
            cx.warn(
                Code::W0603,
                at,
                format!(
                    "`cpus: {c}` becomes {} MHz of Nomad CPU (1 CPU = 1000 MHz)",
                    (c * 1000.0).round()
                ),
                "Nomad's cpu is a share in MHz, not a core count",
            );
        }
        if let Some(m) = lim.get("memory").and_then(scalar) {
            let lit = m.trim().to_ascii_lowercase();
            let (num, unit) =
                lit.split_at(lit.find(|c: char| !c.is_ascii_digit()).unwrap_or(lit.len()));
            let unit = match unit.trim_end_matches('b') {
                "k" => Some("KiB"),
                "m" => Some("MiB"),
                "g" => Some("GiB"),
                "" => Some("B"),
                _ => None,
            };
            match (num.parse::<u64>(), unit) {
                (Ok(n), Some(u)) if n > 0 => {
                    r.attr("memory", Val::Raw(format!("{n}{u}")));
                }
                _ => cx.warn(
                    Code::W0603,
                    at,
                    format!("memory limit `{m}` is not imported"),
                    "",
                ),
            }
        }
        if !r.attrs.is_empty() {
            b.blocks.push(r);
        }
    }
    let known = ["replicas", "resources"];
    if let Some(m) = v.as_mapping() {
        for (k, _) in m {
            let k = scalar(k).unwrap_or_default();
            if !known.contains(&k.as_str()) {
                cx.warn(Code::W0601, at, format!("`deploy.{k}` is not imported"), "");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_forms() {
        assert_eq!(
            interpolate("${A:-x}/$B $$ ${C:?no}").unwrap(),
            vec![
                Part::Var {
                    name: "A".into(),
                    default: Some("x".into()),
                    required: false
                },
                Part::Text("/".into()),
                Part::Var {
                    name: "B".into(),
                    default: None,
                    required: false
                },
                Part::Text(" $ ".into()),
                Part::Var {
                    name: "C".into(),
                    default: None,
                    required: true
                },
            ]
        );
        assert!(interpolate("${").is_err());
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            shell_split("a 'b c' \"d\\\"e\"  f"),
            ["a", "b c", "d\"e", "f"]
        );
    }
}
