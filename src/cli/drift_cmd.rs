//! `eosc drift --caddy ADDR`: the live config of a Caddy admin API
//! (`GET /config/` over TCP or a unix socket, std only, with a timeout)
//! against the compiled `caddy.json` of one environment, compiled in
//! memory from the spec (or read from `--compiled FILE`, such as
//! `out/<env>/caddy/caddy.json`), compared by `eosc::changes::caddy`.
//! Exit 0 no drift, 2 drift, 1 any error.

use super::{load_clean, print, require_env, OK, PROBLEMS};
use eosc::changes::caddy;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = "hecate.hcl")]
    file: PathBuf,
    /// The Caddy admin API: `host:port` (`tcp/host:port`) or
    /// `unix//path/to/admin.sock`, as Caddy's `admin.listen` writes it.
    #[arg(long, value_name = "ADDR")]
    caddy: String,
    /// The environment whose caddy.json is compared (default: the first).
    #[arg(long)]
    env: Option<String>,
    /// Compare with this caddy.json instead of compiling the spec.
    #[arg(long, value_name = "FILE", conflicts_with = "env")]
    compiled: Option<PathBuf>,
    /// Seconds to wait for the connection, and for the whole answer.
    #[arg(long, default_value_t = 5)]
    timeout: u64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(a: &Args) -> u8 {
    let (expected, what) = match expected(a) {
        Ok(e) => e,
        Err(()) => return PROBLEMS,
    };
    let live = match fetch(&a.caddy, Duration::from_secs(a.timeout.max(1))) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return PROBLEMS;
        }
    };
    let changes = caddy::compare(&expected, &live);
    let text = match a.format {
        Format::Text => eosc::changes::render::drift_text(&changes, &a.caddy, &what),
        Format::Json => eosc::changes::render::drift_json(&changes, &a.caddy, &what),
    };
    match print(&text) {
        OK if changes.is_empty() => OK,
        OK => 2,
        _ => PROBLEMS,
    }
}

/// The compiled config and what it is (`environment staging`, a file).
fn expected(a: &Args) -> Result<(Value, String), ()> {
    if let Some(f) = &a.compiled {
        let text = std::fs::read_to_string(f).map_err(|e| {
            eprintln!("error: cannot read {}: {e}", f.display());
        })?;
        let v = serde_json::from_str(&text).map_err(|e| {
            eprintln!("error: {} is not JSON: {e}", f.display());
        })?;
        return Ok((v, super::display_path(f)));
    }
    let checked = load_clean(&a.file).map_err(|_| ())?;
    if let Some(e) = &a.env {
        require_env(&checked, e, &a.file).map_err(|_| ())?;
    }
    let Some(model) = checked.model(a.env.as_deref()) else {
        eprintln!("error: {} declares no environment", a.file.display());
        return Err(());
    };
    let env = model.env.name.clone();
    let trees = eosc::compile(std::slice::from_ref(model));
    let text = trees
        .iter()
        .find(|(n, _)| *n == env)
        .and_then(|(_, arts)| arts.iter().find(|x| x.path == "caddy/caddy.json"))
        .map(|x| x.contents.clone());
    let Some(text) = text else {
        eprintln!("error: environment {env} has no caddy.json (the spec has no routes)");
        return Err(());
    };
    let v = serde_json::from_str(&text).map_err(|e| eprintln!("error: caddy.json: {e}"))?;
    Ok((v, format!("environment {env}")))
}

/// Largest answer read: a config of many megabytes is possible, not more.
const MAX_ANSWER: u64 = 256 << 20;

/// `GET /config/` of the admin API at `addr`, as JSON that looks like a
/// Caddy config; every failure says which of connect, timeout, HTTP or the
/// answer's shape went wrong.
fn fetch(addr: &str, timeout: Duration) -> Result<Value, String> {
    let secs = timeout.as_secs();
    let (raw, host) = if let Some(path) = addr.strip_prefix("unix/") {
        let s = std::os::unix::net::UnixStream::connect(path).map_err(|e| {
            format!("cannot reach the Caddy admin API at {addr} (unix socket {path}): {e}")
        })?;
        s.set_read_timeout(Some(timeout))
            .map_err(|e| e.to_string())?;
        s.set_write_timeout(Some(timeout))
            .map_err(|e| e.to_string())?;
        // Caddy accepts an empty Host on its unix socket.
        (exchange(s, "", addr, secs)?, "")
    } else {
        let hostport = addr
            .strip_prefix("tcp/")
            .or_else(|| addr.strip_prefix("http://"))
            .unwrap_or(addr)
            .trim_end_matches('/');
        use std::net::ToSocketAddrs;
        let addrs: Vec<_> = hostport
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve the Caddy admin address {addr}: {e}"))?
            .collect();
        let mut last = None;
        let mut stream = None;
        for sa in addrs {
            match std::net::TcpStream::connect_timeout(&sa, timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let s = stream.ok_or_else(|| match last {
            Some(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                format!("the Caddy admin API at {addr} did not accept a connection within {secs} s")
            }
            Some(e) => format!("cannot reach the Caddy admin API at {addr}: {e}"),
            None => format!("the Caddy admin address {addr} resolves to no address"),
        })?;
        s.set_read_timeout(Some(timeout))
            .map_err(|e| e.to_string())?;
        s.set_write_timeout(Some(timeout))
            .map_err(|e| e.to_string())?;
        (exchange(s, hostport, addr, secs)?, hostport)
    };
    let _ = host;
    let (status, body) = parse_http(&raw)
        .ok_or_else(|| format!("{addr} did not answer with HTTP: it is not a Caddy admin API"))?;
    if status != 200 {
        let first = String::from_utf8_lossy(&body);
        return Err(format!(
            "the Caddy admin API at {addr} answered GET /config/ with status {status}: {}",
            first.trim().chars().take(200).collect::<String>()
        ));
    }
    let v: Value = serde_json::from_slice(&body).map_err(|e| {
        format!("{addr} answered GET /config/ with something that is not JSON ({e}): it is not a Caddy admin API")
    })?;
    if !caddy::is_caddy_config(&v) {
        return Err(format!(
            "{addr} answered GET /config/ with JSON that is not a Caddy config (top-level keys other than admin, apps, logging, storage)"
        ));
    }
    Ok(v)
}

/// A stream whose reads can be bounded.
trait Timed: Read + Write {
    fn read_within(&self, d: Duration) -> std::io::Result<()>;
}

impl Timed for std::net::TcpStream {
    fn read_within(&self, d: Duration) -> std::io::Result<()> {
        self.set_read_timeout(Some(d))
    }
}

impl Timed for std::os::unix::net::UnixStream {
    fn read_within(&self, d: Duration) -> std::io::Result<()> {
        self.set_read_timeout(Some(d))
    }
}

/// Sends the request and reads the answer to its end, all of it within
/// `secs` (a server that trickles bytes cannot hold eosc longer).
fn exchange<S: Timed>(mut s: S, host: &str, addr: &str, secs: u64) -> Result<Vec<u8>, String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    let req = format!(
        "GET /config/ HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nUser-Agent: eosc/{}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let timed_out = |e: &std::io::Error| {
        matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        )
    };
    s.write_all(req.as_bytes()).map_err(|e| {
        if timed_out(&e) {
            format!("the Caddy admin API at {addr} did not take the request within {secs} s")
        } else {
            format!("cannot send the request to the Caddy admin API at {addr}: {e}")
        }
    })?;
    let late = || format!("the Caddy admin API at {addr} did not answer within {secs} s");
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(late());
        }
        s.read_within(left).map_err(|e| e.to_string())?;
        match s.read(&mut buf) {
            Ok(0) => return Ok(raw),
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if raw.len() as u64 > MAX_ANSWER {
                    return Err(format!(
                        "the answer of {addr} is larger than {} MiB: not a Caddy config eosc reads",
                        MAX_ANSWER >> 20
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if timed_out(&e) => return Err(late()),
            Err(e) => {
                return Err(format!(
                    "cannot read the answer of the Caddy admin API at {addr}: {e}"
                ))
            }
        }
    }
}

/// The status and body of an HTTP/1.x response (chunked or not).
fn parse_http(raw: &[u8]) -> Option<(u16, Vec<u8>)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.split(' ');
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    let chunked = lines.any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
        })
    });
    let body = &raw[end + 4..];
    if !chunked {
        return Some((status, body.to_vec()));
    }
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let nl = rest.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&rest[..nl]).ok()?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[nl + 2..];
        if size == 0 {
            return Some((status, out));
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}
