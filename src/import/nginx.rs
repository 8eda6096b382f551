//! `eosc import nginx`: an nginx configuration's `stream {}` servers become
//! `stream` blocks, and simple `http {}` reverse proxies (`listen`,
//! `server_name`, `location` with `proxy_pass`) become routes and
//! upstreams.
//!
//! The tokenizer and parser follow nginx's own (`ngx_conf_file.c`): words,
//! `"…"`/`'…'` with `\` escapes, `${var}` inside a word, `#` comments,
//! directives ending in `;` or a `{ … }` block, with byte spans. Every
//! directive the mapping does not carry over is a located diagnostic:
//! W0601 when leaving it out keeps the behaviour (eosc writes nginx's main
//! context and Caddy's proxy headers itself), W0603 when it is
//! approximated, E0602 when the spec would behave differently.

use super::writer::{Block, Val};
use super::{unique_name, Cx};
use crate::diagnostics::Code;
use crate::source::{FileId, Span};
use indexmap::IndexMap;

/// Deeper nesting than any real configuration; bounds the recursion.
const MAX_DEPTH: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One directive: its name, arguments and, for a block directive, its body.
#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    pub name: Word,
    pub args: Vec<Word>,
    pub block: Option<Vec<Directive>>,
    /// From the name to the `;` or the closing `}`.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(Word),
    Semi(usize),
    Open(usize),
    Close(usize),
}

/// A parse error: byte range and message.
pub type ParseError = (usize, usize, String);

fn tokenize(text: &str) -> Result<Vec<Tok>, ParseError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b';' => {
                out.push(Tok::Semi(i));
                i += 1;
            }
            b'{' => {
                if b.get(i + 1) == Some(&b'{') {
                    return Err((
                        i,
                        i + 2,
                        "`{{` is a template (consul-template, Go): render it first".into(),
                    ));
                }
                out.push(Tok::Open(i));
                i += 1;
            }
            b'}' => {
                out.push(Tok::Close(i));
                i += 1;
            }
            b'"' | b'\'' => {
                let start = i;
                i += 1;
                let mut s = Vec::new();
                loop {
                    match b.get(i) {
                        None => return Err((start, b.len(), "unterminated quoted string".into())),
                        Some(&q) if q == c => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') if i + 1 < b.len() => {
                            // nginx keeps the backslash except before the
                            // quote, a backslash, t, r and n.
                            let n = b[i + 1];
                            match n {
                                b'"' | b'\'' | b'\\' => s.push(n),
                                b't' => s.push(b'\t'),
                                b'r' => s.push(b'\r'),
                                b'n' => s.push(b'\n'),
                                _ => {
                                    s.push(b'\\');
                                    s.push(n);
                                }
                            }
                            i += 2;
                        }
                        Some(&x) => {
                            s.push(x);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Word(Word {
                    text: String::from_utf8_lossy(&s).into_owned(),
                    start,
                    end: i,
                }));
            }
            _ => {
                let start = i;
                while i < b.len() {
                    match b[i] {
                        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b'}' | b'"' | b'\'' => break,
                        b'$' if b.get(i + 1) == Some(&b'{') => {
                            let close = text[i..].find('}').map(|p| i + p + 1);
                            match close {
                                Some(e) => i = e,
                                None => {
                                    return Err((i, b.len(), "unterminated `${` variable".into()))
                                }
                            }
                        }
                        b'\\' if i + 1 < b.len() => i += 2,
                        _ => i += 1,
                    }
                }
                let end = i.min(b.len());
                out.push(Tok::Word(Word {
                    text: text[start..end].to_string(),
                    start,
                    end,
                }));
            }
        }
    }
    Ok(out)
}

/// Parses a configuration into its directives.
pub fn parse(text: &str) -> Result<Vec<Directive>, ParseError> {
    let toks = tokenize(text)?;
    let mut i = 0;
    let dirs = block(&toks, &mut i, 0, text.len())?;
    if let Some(Tok::Close(p)) = toks.get(i) {
        return Err((*p, p + 1, "unexpected `}`".into()));
    }
    Ok(dirs)
}

fn block(
    toks: &[Tok],
    i: &mut usize,
    depth: usize,
    len: usize,
) -> Result<Vec<Directive>, ParseError> {
    let mut out = Vec::new();
    while let Some(t) = toks.get(*i) {
        let name = match t {
            Tok::Close(_) => return Ok(out),
            Tok::Semi(p) => return Err((*p, p + 1, "`;` without a directive".into())),
            Tok::Open(p) => return Err((*p, p + 1, "`{` without a directive".into())),
            Tok::Word(w) => w.clone(),
        };
        *i += 1;
        let mut args = Vec::new();
        loop {
            match toks.get(*i) {
                None => {
                    return Err((
                        name.start,
                        len,
                        format!("directive `{}` has no ending `;`", name.text),
                    ))
                }
                Some(Tok::Word(w)) => {
                    args.push(w.clone());
                    *i += 1;
                }
                Some(Tok::Semi(p)) => {
                    *i += 1;
                    out.push(Directive {
                        start: name.start,
                        end: p + 1,
                        name,
                        args,
                        block: None,
                    });
                    break;
                }
                Some(Tok::Open(p)) => {
                    if depth >= MAX_DEPTH {
                        return Err((*p, p + 1, "blocks nested too deeply".into()));
                    }
                    *i += 1;
                    let body = block(toks, i, depth + 1, len)?;
                    let Some(Tok::Close(e)) = toks.get(*i) else {
                        return Err((
                            name.start,
                            len,
                            format!("block `{}` is not closed", name.text),
                        ));
                    };
                    let end = e + 1;
                    *i += 1;
                    out.push(Directive {
                        start: name.start,
                        end,
                        name,
                        args,
                        block: Some(body),
                    });
                    break;
                }
                Some(Tok::Close(p)) => {
                    return Err((
                        *p,
                        p + 1,
                        format!("directive `{}` has no ending `;`", name.text),
                    ))
                }
            }
        }
    }
    Ok(out)
}

fn span(file: FileId, d: &Directive) -> Span {
    Span::new(file, d.start, d.end)
}

fn wspan(file: FileId, w: &Word) -> Span {
    Span::new(file, w.start, w.end)
}

/// Directives of nginx's main and `events` contexts, and logging or tuning
/// ones: eosc writes the main context itself and they do not change where
/// traffic goes.
const LEFT_OUT: &[&str] = &[
    "user",
    "worker_processes",
    "worker_rlimit_nofile",
    "worker_shutdown_timeout",
    "pid",
    "error_log",
    "access_log",
    "log_format",
    "load_module",
    "daemon",
    "pcre_jit",
    "thread_pool",
    "env",
    "events",
    "tcp_nodelay",
    "preread_buffer_size",
    "preread_timeout",
    "proxy_buffer_size",
    "proxy_socket_keepalive",
    "resolver",
    "resolver_timeout",
    "variables_hash_max_size",
    "variables_hash_bucket_size",
];

/// http-level directives that tune nginx's own serving; Caddy has its own.
const HTTP_LEFT_OUT: &[&str] = &[
    "sendfile",
    "tcp_nopush",
    "keepalive_timeout",
    "keepalive_requests",
    "types_hash_max_size",
    "server_tokens",
    "include",
    "default_type",
    "gzip",
    "gzip_types",
    "gzip_vary",
    "gzip_proxied",
    "gzip_comp_level",
    "gzip_min_length",
    "client_body_timeout",
    "client_header_timeout",
    "send_timeout",
    "proxy_http_version",
    "proxy_buffering",
    "proxy_read_timeout",
    "proxy_send_timeout",
    "proxy_connect_timeout",
    "ssl_protocols",
    "ssl_ciphers",
    "ssl_prefer_server_ciphers",
    "ssl_session_cache",
    "ssl_session_timeout",
    "ssl_certificate",
    "ssl_certificate_key",
    "ssl_stapling",
    "ssl_stapling_verify",
    "http2",
];

/// Headers Caddy's `reverse_proxy` sets to the same values by itself.
const CADDY_SETS: &[(&str, &[&str])] = &[
    ("host", &["$host", "$http_host"]),
    ("x-real-ip", &["$remote_addr"]),
    (
        "x-forwarded-for",
        &["$proxy_add_x_forwarded_for", "$remote_addr"],
    ),
    ("x-forwarded-proto", &["$scheme"]),
    ("x-forwarded-host", &["$host", "$http_host"]),
];

pub fn import(cx: &mut Cx, file: FileId, text: &str) {
    let dirs = match parse(text) {
        Ok(d) => d,
        Err((s, e, msg)) => {
            cx.error(
                Code::E0601,
                Span::new(file, s, e.max(s)),
                format!("the nginx configuration does not parse: {msg}"),
                "check it with `nginx -t`; eosc reads the configuration as nginx does",
            );
            return;
        }
    };
    let mut im = Nginx {
        file,
        stream_upstreams: IndexMap::new(),
        http_upstreams: IndexMap::new(),
    };
    for d in &dirs {
        match d.name.text.as_str() {
            "stream" => im.stream(cx, d),
            "http" => im.http(cx, d),
            "include" => include(cx, file, d),
            n if LEFT_OUT.contains(&n) => {
                left_out(cx, file, d, "eosc writes nginx's main context itself")
            }
            _ => unsupported(cx, file, d),
        }
    }
}

struct Nginx {
    file: FileId,
    /// nginx upstream name → the spec's upstream name and its targets.
    stream_upstreams: IndexMap<String, (String, Vec<String>)>,
    http_upstreams: IndexMap<String, (String, Vec<String>)>,
}

fn left_out(cx: &mut Cx, file: FileId, d: &Directive, why: &str) {
    cx.warn(
        Code::W0601,
        span(file, d),
        format!("`{}` is left out: {why}", d.name.text),
        "nothing to do; the generated nginx.conf and caddy.json set what they need",
    );
}

fn unsupported(cx: &mut Cx, file: FileId, d: &Directive) {
    cx.error(
        Code::E0602,
        wspan(file, &d.name),
        format!(
            "directive `{}` is not supported by eosc's nginx import; the spec would behave differently without it",
            d.name.text
        ),
        "express it in the spec by hand, or remove it from the source if it is not needed",
    );
}

fn include(cx: &mut Cx, file: FileId, d: &Directive) {
    cx.error(
        Code::E0602,
        span(file, d),
        "`include` is not followed: what the included files hold would be missing",
        "import the included files too (`eosc import nginx nginx.conf conf.d/stream.conf`), then remove the `include`",
    );
}

/// `1515`, `[::]:1515`, `0.0.0.0:1515`, `1000-1010`, `127.0.0.1:53`: the
/// port or range, and whether an address narrowed it.
fn listen_port(s: &str) -> Option<(String, bool)> {
    let (addr, port) = match s.rsplit_once(':') {
        Some((a, p)) => (Some(a), p),
        None => (None, s),
    };
    let ok = |p: &str| p.parse::<u16>().is_ok_and(|n| n > 0);
    let valid = match port.split_once('-') {
        Some((a, b)) => ok(a) && ok(b),
        None => ok(port),
    };
    if !valid {
        return None;
    }
    let narrowed = addr.is_some_and(|a| !matches!(a, "*" | "0.0.0.0" | "[::]"));
    Some((port.to_string(), narrowed))
}

impl Nginx {
    fn stream(&mut self, cx: &mut Cx, d: &Directive) {
        let file = self.file;
        let body = d.block.as_deref().unwrap_or_default();
        // Upstreams first: servers may name one declared after them.
        for u in body.iter().filter(|u| u.name.text == "upstream") {
            self.upstream(cx, u, true);
        }
        for s in body {
            match s.name.text.as_str() {
                "upstream" => {}
                "server" => self.stream_server(cx, s),
                "include" => include(cx, file, s),
                n if LEFT_OUT.contains(&n) => left_out(
                    cx,
                    file,
                    s,
                    "logging and tuning are nginx's defaults in the generated nginx.conf",
                ),
                _ => unsupported(cx, file, s),
            }
        }
    }

    /// `upstream NAME { server host:port [params]; }` → an `upstream`.
    fn upstream(&mut self, cx: &mut Cx, u: &Directive, stream: bool) {
        let file = self.file;
        let Some(name) = u.args.first() else {
            cx.error(
                Code::E0601,
                span(file, u),
                "`upstream` needs a name",
                "write `upstream NAME { server HOST:PORT; }`",
            );
            return;
        };
        let mut targets = Vec::new();
        for s in u.block.as_deref().unwrap_or_default() {
            match (s.name.text.as_str(), s.args.split_first()) {
                ("server", Some((addr, params))) => {
                    if addr.text.starts_with("unix:") {
                        cx.error(Code::E0602, wspan(file, addr), "a unix socket backend cannot be reached from the proxy's nodes", "give the backend a TCP address");
                        continue;
                    }
                    let has_port = addr
                        .text
                        .rsplit_once(':')
                        .is_some_and(|(_, p)| p.parse::<u16>().is_ok());
                    if has_port {
                        targets.push(addr.text.clone());
                    } else if !stream {
                        targets.push(format!("{}:80", addr.text));
                    } else {
                        cx.error(Code::E0601, wspan(file, addr), format!("`{}` has no port", addr.text), "nginx's stream module needs `server HOST:PORT`");
                        continue;
                    }
                    for p in params {
                        if p.text == "backup" || p.text == "down" {
                            cx.error(Code::E0602, wspan(file, p), format!("server parameter `{}` changes which backends get traffic", p.text), "remove the server or the parameter; eosc balances over every target");
                        } else {
                            cx.warn(Code::W0601, wspan(file, p), format!("server parameter `{}` is left out", p.text), "eosc's nginx.conf and Caddy use their default balancing and failure handling");
                        }
                    }
                }
                ("server", None) => cx.error(Code::E0601, span(file, s), "`server` needs an address", "write `server HOST:PORT;`"),
                (n, _) if ["least_conn", "hash", "ip_hash", "random", "keepalive", "zone"].contains(&n) => cx.warn(
                    Code::W0603,
                    span(file, s),
                    format!("`{n}` is approximated: eosc balances round-robin"),
                    "round-robin reaches the same backends; add sticky sessions in the spec if the service needs them",
                ),
                _ => unsupported(cx, file, s),
            }
        }
        if targets.is_empty() {
            cx.error(
                Code::E0602,
                span(file, u),
                format!("upstream `{}` has no backend eosc can use", name.text),
                "give it `server HOST:PORT;` lines",
            );
            return;
        }
        let spec_name = unique_name(&cx.upstreams, &name.text);
        let mut b = Block::new("upstream", Some(&spec_name));
        b.comment(format!(
            "{} (nginx upstream {})",
            cx.at(span(file, u)),
            name.text
        ));
        b.attr(
            "targets",
            Val::List(targets.iter().cloned().map(Val::Str).collect()),
        );
        cx.upstreams.insert(spec_name.clone(), b);
        let table = if stream {
            &mut self.stream_upstreams
        } else {
            &mut self.http_upstreams
        };
        table.insert(name.text.clone(), (spec_name, targets));
    }

    fn stream_server(&mut self, cx: &mut Cx, s: &Directive) {
        let file = self.file;
        let body = s.block.as_deref().unwrap_or_default();
        let mut listens: Vec<(String, bool, &Directive)> = Vec::new();
        let mut target: Option<(Val, &Directive)> = None;
        let mut attrs: Vec<(&str, Val, &Directive)> = Vec::new();
        let mut allow = Vec::new();
        let mut deny = Vec::new();
        let mut deny_all = false;
        for d in body {
            let arg = d.args.first();
            match (d.name.text.as_str(), arg) {
                ("listen", Some(a)) => {
                    let Some((port, narrowed)) = listen_port(&a.text) else {
                        cx.error(Code::E0601, wspan(file, a), format!("`{}` is not a port, a range or ADDRESS:PORT", a.text), "write `listen 1515;` or `listen 1514 udp;`");
                        continue;
                    };
                    if narrowed {
                        cx.warn(Code::W0603, wspan(file, a), format!("`{}` is approximated: the stream listens on every address of the proxy's nodes", a.text), "limit who connects with `allow` (the firewall opens the port)");
                    }
                    let mut udp = false;
                    for p in &d.args[1..] {
                        match p.text.as_str() {
                            "udp" => udp = true,
                            "reuseport" | "backlog" | "so_keepalive=on" | "fastopen" => cx.warn(Code::W0601, wspan(file, p), format!("listen parameter `{}` is left out", p.text), "nginx's defaults serve the same traffic"),
                            _ => cx.error(Code::E0602, wspan(file, p), format!("listen parameter `{}` is not supported", p.text), "remove it; eosc's streams take `udp` only (TLS termination is Caddy's)"),
                        }
                    }
                    listens.push((port, udp, d));
                }
                ("proxy_pass", Some(a)) => {
                    let t = &a.text;
                    if let Some((spec, _)) = self.stream_upstreams.get(t) {
                        target = Some((Val::Raw(format!("upstream.{spec}")), d));
                    } else if let Some(host) = t.strip_suffix(":$server_port") {
                        target = Some((Val::List(vec![Val::Str(host.to_string())]), d));
                    } else if t.contains('$') {
                        cx.error(Code::E0602, wspan(file, a), format!("`proxy_pass {t}` is computed at run time"), "name a fixed `HOST:PORT` or an upstream");
                    } else if t.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
                        target = Some((Val::List(vec![Val::Str(t.clone())]), d));
                    } else {
                        cx.error(Code::E0602, wspan(file, a), format!("`{t}` is neither an upstream of this file nor HOST:PORT"), "declare `upstream` in the same `stream {}` or write HOST:PORT");
                    }
                }
                ("proxy_timeout", Some(a)) => match nginx_duration(&a.text) {
                    Some(v) => attrs.push(("timeout", Val::Raw(v), d)),
                    None => cx.error(Code::E0601, wspan(file, a), format!("`{}` is not an nginx time", a.text), "write `300s`, `10m` or `500ms`"),
                },
                ("proxy_connect_timeout", Some(a)) => match nginx_duration(&a.text) {
                    Some(v) => attrs.push(("connect_timeout", Val::Raw(v), d)),
                    None => cx.error(Code::E0601, wspan(file, a), format!("`{}` is not an nginx time", a.text), "write `30s`"),
                },
                ("proxy_protocol", Some(a)) if a.text == "on" => attrs.push(("proxy_protocol", Val::Bool(true), d)),
                ("proxy_protocol", Some(a)) if a.text == "off" => {}
                ("allow", Some(a)) if a.text == "all" => {}
                ("allow", Some(a)) => allow.push(Val::Str(cidr(&a.text))),
                ("deny", Some(a)) if a.text == "all" => deny_all = true,
                ("deny", Some(a)) => deny.push(Val::Str(cidr(&a.text))),
                ("proxy_responses", _) => cx.warn(Code::W0603, span(file, d), "`proxy_responses` is approximated: nginx's default waits for any number of replies", "UDP backends that answer nothing are served the same; set it in the spec by hand if replies must be counted"),
                ("proxy_bind", _) => cx.warn(Code::W0603, span(file, d), "`proxy_bind` is approximated: backends see the proxy's address, not the client's", "for TCP, `proxy_protocol = true` passes the client address to backends that read it"),
                (n, _) if LEFT_OUT.contains(&n) => left_out(cx, file, d, "logging and tuning are nginx's defaults in the generated nginx.conf"),
                _ => unsupported(cx, file, d),
            }
        }
        if deny_all && allow.is_empty() {
            cx.error(
                Code::E0602,
                span(file, s),
                "this stream denies every client",
                "remove the server, or `allow` the clients",
            );
            return;
        }
        if !allow.is_empty() && !deny_all {
            cx.warn(Code::W0603, span(file, s), "`allow` without `deny all` lets everyone in under nginx; the spec's `allow` admits only those", "add `deny all;` to the source to confirm, or remove the `allow` lines from the spec");
        }
        let Some((first_port, _, first)) = listens.first() else {
            cx.error(
                Code::E0602,
                span(file, s),
                "a stream `server` without `listen`",
                "add `listen PORT;`",
            );
            return;
        };
        if listens.iter().any(|(p, _, _)| p != first_port) {
            cx.error(
                Code::E0602,
                span(file, s),
                "a stream `server` on several ports",
                "split it into one `server` per port (each becomes a `stream`)",
            );
            return;
        }
        let Some((target, _)) = target else {
            cx.error(
                Code::E0602,
                span(file, s),
                "a stream `server` without `proxy_pass`",
                "add `proxy_pass UPSTREAM;`",
            );
            return;
        };
        let tcp = listens.iter().any(|(_, udp, _)| !udp);
        let udp = listens.iter().any(|(_, udp, _)| *udp);
        let protocol = match (tcp, udp) {
            (true, true) => "both",
            (false, true) => "udp",
            _ => "tcp",
        };
        let base = match &target {
            Val::Raw(r) => r.trim_start_matches("upstream.").to_string(),
            _ => format!("stream-{}", first_port),
        };
        let name = unique_name(&cx.streams, &base);
        let mut b = Block::new("stream", Some(&name));
        b.comment(format!("{} (nginx stream server)", cx.at(span(file, s))));
        if protocol != "tcp" {
            b.attr("protocol", Val::Str(protocol.into()));
        }
        let listen = match first_port.parse::<i64>() {
            Ok(n) => Val::Int(n),
            Err(_) => Val::Str(first_port.clone()),
        };
        b.attr_c("listen", listen, cx.at(span(file, first)));
        b.attr("target", target);
        for (k, v, d) in attrs {
            if protocol == "udp" && k != "timeout" || protocol == "both" && k == "proxy_protocol" {
                // The spec refuses them (E0303): nginx sends no PROXY
                // header worth having over UDP, and UDP has no connection.
                cx.error(
                    Code::E0602,
                    span(file, d),
                    format!("`{}` on a stream that listens on UDP", d.name.text),
                    "split the server into a TCP and a UDP one; keep it on the TCP one",
                );
                continue;
            }
            b.attr_c(k, v, cx.at(span(file, d)));
        }
        if !allow.is_empty() {
            b.attr("allow", Val::List(allow));
        }
        if !deny.is_empty() {
            b.attr("deny", Val::List(deny));
        }
        cx.streams.insert(name, b);
    }

    fn http(&mut self, cx: &mut Cx, d: &Directive) {
        let file = self.file;
        let body = d.block.as_deref().unwrap_or_default();
        for u in body.iter().filter(|u| u.name.text == "upstream") {
            self.upstream(cx, u, false);
        }
        for s in body {
            match s.name.text.as_str() {
                "upstream" => {}
                "server" => self.http_server(cx, s),
                "include" => include(cx, file, s),
                n if LEFT_OUT.contains(&n) || HTTP_LEFT_OUT.contains(&n) => {
                    left_out(cx, file, s, "Caddy serves HTTP with its own settings")
                }
                _ => unsupported(cx, file, s),
            }
        }
    }

    fn http_server(&mut self, cx: &mut Cx, s: &Directive) {
        let file = self.file;
        let body = s.block.as_deref().unwrap_or_default();
        let mut hosts: Vec<&Word> = Vec::new();
        let mut plain_http = true;
        let mut locations: Vec<&Directive> = Vec::new();
        let mut redirect_only = false;
        for d in body {
            match d.name.text.as_str() {
                "listen" => {
                    if d.args
                        .iter()
                        .any(|a| a.text == "ssl" || a.text.ends_with(":443") || a.text == "443")
                    {
                        plain_http = false;
                    }
                }
                "server_name" => hosts.extend(d.args.iter()),
                "location" => locations.push(d),
                "return"
                    if d.args
                        .first()
                        .is_some_and(|a| a.text == "301" || a.text == "308")
                        && d.args
                            .get(1)
                            .is_some_and(|a| a.text.starts_with("https://$host")) =>
                {
                    redirect_only = true;
                }
                n if LEFT_OUT.contains(&n) || HTTP_LEFT_OUT.contains(&n) => left_out(
                    cx,
                    file,
                    d,
                    "Caddy serves HTTPS with its own settings and certificates",
                ),
                _ => unsupported(cx, file, d),
            }
        }
        if redirect_only && locations.is_empty() {
            cx.warn(
                Code::W0601,
                span(file, s),
                "the HTTP → HTTPS redirect server is left out",
                "Caddy redirects HTTP to HTTPS for every route by itself",
            );
            return;
        }
        let mut names = Vec::new();
        for h in hosts {
            let t = h.text.to_ascii_lowercase();
            if t == "_" || t.is_empty() || t.starts_with('~') || t.contains('*') {
                cx.error(
                    Code::E0602,
                    wspan(file, h),
                    format!("server_name `{}` is not one host", h.text),
                    "list the host names the server answers; eosc routes exact hosts",
                );
                continue;
            }
            names.push((t.trim_end_matches('.').to_string(), wspan(file, h)));
        }
        if names.is_empty() {
            cx.error(
                Code::E0602,
                span(file, s),
                "an http `server` without a host name",
                "add `server_name HOST;`: routes are per host",
            );
            return;
        }
        if plain_http {
            cx.warn(Code::W0603, span(file, s), "a plain-HTTP server is approximated: eosc serves the routes on HTTPS (443) with automatic certificates", "nothing to do unless clients must use plain HTTP");
        }
        for loc in locations {
            let Some((path, to)) = self.location(cx, loc) else {
                continue;
            };
            for (host, hspan) in &names {
                let mut r = Block::new("route", Some(host));
                r.comment(format!("{} (nginx server {})", cx.at(*hspan), host));
                if let Some(p) = &path {
                    r.attr("path", Val::Str(p.clone()));
                }
                r.attr_c(
                    "to",
                    Val::Raw(format!("upstream.{to}")),
                    format!("proxy_pass at {}", cx.at(span(file, loc))),
                );
                if !cx.std_imports.iter().any(|m| m == "std/security") {
                    cx.std_imports.push("std/security".into());
                }
                r.attr_c(
                    "middleware",
                    Val::List(vec![Val::Raw("middleware.security".into())]),
                    "eosc's default headers; nginx had none",
                );
                r.attr_c(
                    "dns",
                    Val::Str("external".into()),
                    "no zone of this import holds the host",
                );
                cx.routes.push(r);
            }
        }
    }

    /// `location [=] PATH { proxy_pass URL; … }` → (Caddy path pattern or
    /// the whole host, the upstream's spec name).
    fn location(&mut self, cx: &mut Cx, loc: &Directive) -> Option<(Option<String>, String)> {
        let file = self.file;
        let (exact, path) = match loc.args.as_slice() {
            [p] => (false, p),
            [m, p] if m.text == "=" => (true, p),
            [m, _] => {
                cx.error(Code::E0602, wspan(file, m), format!("location modifier `{}` (regular expression or `^~`) is not supported", m.text), "write prefix locations (`location /api/`) or exact ones (`location = /health`)");
                return None;
            }
            _ => {
                cx.error(
                    Code::E0601,
                    span(file, loc),
                    "`location` needs one path",
                    "write `location /path/ { … }`",
                );
                return None;
            }
        };
        if !path.text.starts_with('/') || path.text.contains(['*', ' ', '?']) {
            cx.error(
                Code::E0602,
                wspan(file, path),
                format!("location `{}` is not a plain path", path.text),
                "write an absolute prefix path",
            );
            return None;
        }
        let mut to = None;
        for d in loc.block.as_deref().unwrap_or_default() {
            match (d.name.text.as_str(), d.args.first()) {
                ("proxy_pass", Some(a)) => to = self.proxy_pass(cx, a, &path.text),
                ("proxy_set_header", Some(h)) => {
                    let value = d.args.get(1).map_or("", |v| v.text.as_str());
                    let same = CADDY_SETS
                        .iter()
                        .any(|(k, vs)| h.text.eq_ignore_ascii_case(k) && vs.contains(&value));
                    if same {
                        cx.warn(Code::W0601, span(file, d), format!("`proxy_set_header {}` is left out: Caddy sets it to the same value", h.text), "nothing to do");
                    } else {
                        cx.error(
                            Code::E0602,
                            span(file, d),
                            format!(
                                "`proxy_set_header {} {value}` has no equivalent in eosc's routes",
                                h.text
                            ),
                            "remove it if the backend does not need it",
                        );
                    }
                }
                (n, _) if HTTP_LEFT_OUT.contains(&n) || LEFT_OUT.contains(&n) => {
                    left_out(cx, file, d, "Caddy proxies with its own settings")
                }
                _ => unsupported(cx, file, d),
            }
        }
        let to = to.or_else(|| {
            cx.error(
                Code::E0602,
                span(file, loc),
                "a location without `proxy_pass`",
                "eosc imports reverse proxies only; add the route by hand",
            );
            None
        })?;
        let p = &path.text;
        let pattern = if exact {
            Some(p.clone())
        } else if p == "/" {
            None
        } else {
            Some(format!("{p}*"))
        };
        Some((pattern, to))
    }

    /// `proxy_pass http://NAME` or `http(s)://host:port[/]` → the spec
    /// upstream's name (declared here when it is an address).
    fn proxy_pass(&mut self, cx: &mut Cx, a: &Word, location: &str) -> Option<String> {
        let file = self.file;
        let (tls, rest) = if let Some(r) = a.text.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = a.text.strip_prefix("http://") {
            (false, r)
        } else {
            cx.error(
                Code::E0602,
                wspan(file, a),
                format!("`proxy_pass {}` is not an http(s) URL", a.text),
                "write `proxy_pass http://HOST:PORT;`",
            );
            return None;
        };
        let (authority, uri) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        // A URI part replaces the location's prefix: `/api/` → `/` strips it.
        if !(uri.is_empty() || uri == location) {
            cx.error(Code::E0602, wspan(file, a), format!("`proxy_pass {}` rewrites the path (`{location}` → `{uri}`)", a.text), "eosc passes the path unchanged; drop the URI part if the backend accepts the full path");
            return None;
        }
        if authority.contains('$') {
            cx.error(
                Code::E0602,
                wspan(file, a),
                format!("`proxy_pass {}` is computed at run time", a.text),
                "name a fixed host or an upstream",
            );
            return None;
        }
        if let Some((spec, _)) = self.http_upstreams.get(authority) {
            if tls {
                cx.error(
                    Code::E0602,
                    wspan(file, a),
                    "TLS to an upstream block",
                    "put `https://` backends into the spec's upstream with `tls = true`",
                );
                return None;
            }
            return Some(spec.clone());
        }
        let target = if authority
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        {
            authority.to_string()
        } else {
            format!("{authority}:{}", if tls { 443 } else { 80 })
        };
        if let Some((name, _)) = cx.upstreams.iter().find(|(_, b)| {
            b.get("targets") == Some(&Val::List(vec![Val::Str(target.clone())]))
                && b.get("tls").is_some() == tls
        }) {
            return Some(name.clone());
        }
        let host = authority.split(':').next().unwrap_or_default();
        let base = match host.split('.').next() {
            Some(h) if h.starts_with(|c: char| c.is_ascii_alphabetic()) => h,
            _ => "backend",
        };
        let name = unique_name(&cx.upstreams, base);
        let mut b = Block::new("upstream", Some(&name));
        b.comment(format!("proxy_pass at {}", cx.at(wspan(file, a))));
        b.attr("targets", Val::List(vec![Val::Str(target)]));
        if tls {
            b.attr("tls", Val::Bool(true));
        }
        cx.upstreams.insert(name.clone(), b);
        Some(name)
    }
}

/// An `allow`/`deny` address: a CIDR, or one address as /32 or /128.
fn cidr(s: &str) -> String {
    if s.contains('/') {
        s.to_string()
    } else if s.contains(':') {
        format!("{s}/128")
    } else {
        format!("{s}/32")
    }
}

/// nginx time (`300s`, `10m`, `1h`, `500ms`, bare seconds) as a spec
/// duration literal.
fn nginx_duration(s: &str) -> Option<String> {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &s[digits.len()..];
    let n: u64 = digits.parse().ok()?;
    let unit = match unit {
        "" | "s" => "s",
        "ms" => "ms",
        "m" => "m",
        "h" => "h",
        "d" => "d",
        _ => return None,
    };
    Some(format!("{n}{unit}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blocks_quotes_and_variables() {
        let d =
            parse("stream { server { listen 1514 udp; proxy_pass \"a b\"; set ${x}y 1; } } # c\n")
                .unwrap();
        let s = &d[0].block.as_ref().unwrap()[0];
        let body = s.block.as_ref().unwrap();
        assert_eq!(body[0].args[1].text, "udp");
        assert_eq!(body[1].args[0].text, "a b");
        assert_eq!(body[2].args[0].text, "${x}y");
    }

    #[test]
    fn reports_unbalanced_input() {
        assert!(parse("stream {").is_err());
        assert!(parse("}").is_err());
        assert!(parse("listen 1").is_err());
        assert!(parse("server {{ .Address }};").is_err());
        assert!(parse(&"a {".repeat(100)).is_err());
    }

    #[test]
    fn durations_and_listens() {
        assert_eq!(nginx_duration("300s").as_deref(), Some("300s"));
        assert_eq!(nginx_duration("10").as_deref(), Some("10s"));
        assert_eq!(nginx_duration("5x"), None);
        assert_eq!(listen_port("1515"), Some(("1515".into(), false)));
        assert_eq!(listen_port("127.0.0.1:53"), Some(("53".into(), true)));
        assert_eq!(listen_port("[::]:443"), Some(("443".into(), false)));
        assert_eq!(listen_port("1000-1010"), Some(("1000-1010".into(), false)));
        assert_eq!(listen_port("x"), None);
    }
}
