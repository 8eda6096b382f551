//! `nginx/nginx.conf`: the stream proxy of the proxy job, one `server` per
//! `stream` block inside `stream {}` (nginx is what the user's edge runs,
//! seed 004's hecate-nginx). A complete main configuration, so `nginx -t -c`
//! reads it as is; logs go to the container's stderr/stdout, which Nomad
//! collects.
//!
//! Every value spliced in is checked in sema: stream names are identifiers,
//! hosts are DNS names or IP addresses, CIDRs parse, ports are numbers; no
//! text here needs nginx quoting.

use super::{header, Artifact};
use crate::sema::model::{Model, Protocol, Stream, StreamTarget};
use std::fmt::Write;

pub const PATH: &str = "nginx/nginx.conf";

/// The stream configuration, when the spec has streams.
pub fn emit(model: &Model) -> Option<Artifact> {
    if model.streams.is_empty() {
        return None;
    }
    Some(Artifact::new(PATH, text(model)))
}

pub fn text(model: &Model) -> String {
    let mut out = header(model, "#");
    out.push_str(
        "worker_processes auto;\n\
         error_log stderr notice;\n\
         \n\
         events {\n    worker_connections 4096;\n}\n\
         \n\
         stream {\n\
         \x20   log_format proxy '$remote_addr [$time_local] $protocol $server_port $status '\n\
         \x20                    '$bytes_sent $bytes_received $session_time \"$upstream_addr\"';\n\
         \x20   access_log /dev/stdout proxy;\n\
         \x20   tcp_nodelay on;\n",
    );
    for s in model.streams.values() {
        out.push('\n');
        server(&mut out, s);
    }
    out.push_str("}\n");
    out
}

/// The `upstream` name of a stream (`stream_` keeps it apart from nginx's
/// own names).
pub fn upstream_name(s: &Stream) -> String {
    format!("stream_{}", s.name.replace('-', "_"))
}

fn server(out: &mut String, s: &Stream) {
    let _ = writeln!(
        out,
        "    # stream \"{}\": {} {}",
        s.name,
        s.protocol.each().join("+"),
        s.listen.text()
    );
    let backends: Vec<String> = match &s.target {
        StreamTarget::Addresses { targets, .. } => targets.clone(),
        StreamTarget::App {
            service,
            static_port,
            ..
        } => vec![format!("{service}.service.consul:{static_port}")],
        StreamTarget::SamePort { .. } => Vec::new(),
    };
    if !backends.is_empty() {
        let _ = writeln!(out, "    upstream {} {{", upstream_name(s));
        for b in &backends {
            let _ = writeln!(out, "        server {b};");
        }
        out.push_str("    }\n");
    }
    out.push_str("    server {\n");
    for p in s.protocol.each() {
        let udp = if *p == "udp" { " udp" } else { "" };
        let _ = writeln!(out, "        listen {}{udp};", s.listen.text());
    }
    for c in &s.deny {
        let _ = writeln!(out, "        deny {c};");
    }
    for c in &s.allow {
        let _ = writeln!(out, "        allow {c};");
    }
    if !s.allow.is_empty() {
        out.push_str("        deny all;\n");
    }
    match &s.target {
        StreamTarget::SamePort { host } => {
            let host = if host.contains(':') {
                format!("[{host}]")
            } else {
                host.clone()
            };
            let _ = writeln!(out, "        proxy_pass {host}:$server_port;");
        }
        _ => {
            let _ = writeln!(out, "        proxy_pass {};", upstream_name(s));
        }
    }
    if let Some(t) = s.connect_timeout {
        let _ = writeln!(out, "        proxy_connect_timeout {};", nginx_time(t));
    }
    if let Some(t) = s.timeout {
        let _ = writeln!(out, "        proxy_timeout {};", nginx_time(t));
    }
    if s.proxy_protocol && s.protocol != Protocol::Udp {
        out.push_str("        proxy_protocol on;\n");
    }
    out.push_str("    }\n");
}

/// nginx time: whole seconds as `Ns`, otherwise milliseconds.
fn nginx_time(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}
