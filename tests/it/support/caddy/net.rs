//! Loopback HTTP for the Caddy tests: echo backends that say who they are
//! and what they received, a stub Authentik outpost, a self-signed HTTPS
//! backend (openssl s_server), and a raw HTTP/1.1 client.

use super::{Killed, TempDir};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// What a backend saw of one request.
#[derive(Clone, Debug)]
pub struct Seen {
    // Read only through `Debug`, in the failure messages that show what a
    // backend saw.
    #[allow(dead_code)]
    pub method: String,
    #[allow(dead_code)]
    pub target: String,
    /// Lower-cased names.
    pub headers: BTreeMap<String, String>,
}

/// A loopback HTTP/1.1 server thread, stopped on drop.
pub struct Backend {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

#[derive(Clone, Copy)]
pub enum Role {
    /// Answers 200 with `backend=<name>` and the request it saw, padded
    /// past Caddy's minimum length for compression.
    Echo,
    /// Authentik's outpost: `/outpost.goauthentik.io/auth/caddy` answers
    /// 200 with identity headers when the request carries
    /// `X-Test-Allow: 1`, else 401; its other paths answer 200 `outpost`.
    Outpost,
}

impl Backend {
    pub fn start(name: &str, role: Role) -> Backend {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind backend");
        let addr = listener.local_addr().expect("backend addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let hits = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, s, st, n) = (hits.clone(), seen.clone(), stop.clone(), name.to_string());
        thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((conn, _)) => {
                        let (h, s, n) = (h.clone(), s.clone(), n.clone());
                        thread::spawn(move || serve(conn, &n, role, &h, &s));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Backend {
            addr,
            hits,
            seen,
            stop,
        }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn last_seen(&self) -> Option<Seen> {
        self.seen.lock().ok()?.last().cloned()
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn read_head(r: &mut BufReader<TcpStream>) -> Option<(String, String, BTreeMap<String, String>)> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut l = String::new();
        if r.read_line(&mut l).ok()? == 0 {
            return None;
        }
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    Some((method, target, headers))
}

fn serve(conn: TcpStream, name: &str, role: Role, hits: &AtomicUsize, seen: &Mutex<Vec<Seen>>) {
    let _ = conn.set_nonblocking(false);
    let _ = conn.set_nodelay(true);
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut w = match conn.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut r = BufReader::new(conn);
    // Keep-alive: Caddy reuses upstream connections.
    while let Some((method, target, headers)) = read_head(&mut r) {
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        hits.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut s) = seen.lock() {
            s.push(Seen {
                method: method.clone(),
                target: target.clone(),
                headers: headers.clone(),
            });
        }
        let (status, extra, body) = respond(name, role, &method, &target, &headers);
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{extra}\r\n",
            body.len()
        );
        // One write: head and body in separate segments would meet Nagle
        // and delayed ACKs (40 ms a request).
        if w.write_all((head + &body).as_bytes()).is_err() {
            return;
        }
    }
}

fn respond(
    name: &str,
    role: Role,
    method: &str,
    target: &str,
    headers: &BTreeMap<String, String>,
) -> (&'static str, String, String) {
    match role {
        Role::Outpost if target.starts_with("/outpost.goauthentik.io/auth/caddy") => {
            if headers.get("x-test-allow").map(String::as_str) == Some("1") {
                (
                    "200 OK",
                    "X-Authentik-Username: alice\r\nX-Authentik-Groups: admins|employees\r\nX-Authentik-Email: alice@example.com\r\n".into(),
                    "allowed".into(),
                )
            } else {
                (
                    "401 Unauthorized",
                    String::new(),
                    "denied by outpost".into(),
                )
            }
        }
        Role::Outpost => (
            "200 OK",
            String::new(),
            format!("backend={name}\noutpost endpoint {target}\n"),
        ),
        Role::Echo => {
            let mut body = format!("backend={name}\nmethod={method}\ntarget={target}\n");
            for (k, v) in headers {
                body.push_str(&format!("header {k}: {v}\n"));
            }
            // Caddy's encode skips bodies under 512 bytes.
            body.push_str(&"padding so that compression applies. ".repeat(20));
            ("200 OK", String::new(), body)
        }
    }
}

/// An HTTPS backend with a self-signed certificate: `openssl s_server -www`
/// (answers every request with a status page naming s_server).
pub struct TlsBackend {
    pub addr: SocketAddr,
    _proc: Killed,
    _dir: TempDir,
}

impl TlsBackend {
    pub fn start(openssl: &std::path::Path) -> TlsBackend {
        let dir = TempDir::new("tls-backend");
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        let ok = Command::new(openssl)
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=wazuh.test",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run openssl req");
        assert!(ok.success(), "openssl req failed");
        let port = free_port();
        let child = Command::new(openssl)
            .args(["s_server", "-www", "-quiet", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start openssl s_server");
        let proc = Killed(child);
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        wait_for_port(addr, Duration::from_secs(10));
        TlsBackend {
            addr,
            _proc: proc,
            _dir: dir,
        }
    }
}

/// A loopback port nobody listens on right now.
/// Local backends standing in for a config's upstreams: each dial address
/// → a named echo backend (`authentik` is the auth outpost), and the TLS
/// upstream → a self-signed HTTPS backend when openssl is there.
pub struct Backends {
    pub echo: BTreeMap<&'static str, Backend>,
    pub tls: Option<TlsBackend>,
    dials: &'static [(&'static str, &'static str)],
}

/// The one upstream that speaks HTTPS (delphi's).
pub const TLS_DIAL: &str = "100.88.163.85:443";

impl Backends {
    /// `dials`: (dial address, backend name); one backend per name.
    pub fn start(
        dials: &'static [(&'static str, &'static str)],
        openssl: Option<&std::path::Path>,
    ) -> Backends {
        let mut echo = BTreeMap::new();
        for (_, n) in dials {
            let role = if *n == "authentik" {
                Role::Outpost
            } else {
                Role::Echo
            };
            echo.entry(*n).or_insert_with(|| Backend::start(n, role));
        }
        Backends {
            echo,
            tls: openssl.map(TlsBackend::start),
            dials,
        }
    }

    pub fn b(&self, n: &str) -> &Backend {
        &self.echo[n]
    }

    /// Where Caddy dials `d`; `None` for an address no backend stands for.
    pub fn dial(&self, d: &str) -> Option<String> {
        if d == TLS_DIAL {
            // Without openssl the TLS route dials a closed port (502).
            return Some(match &self.tls {
                Some(t) => t.addr.to_string(),
                None => format!("127.0.0.1:{}", free_port()),
            });
        }
        let (_, n) = self.dials.iter().find(|(dial, _)| *dial == d)?;
        Some(self.echo[n].addr.to_string())
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub fn wait_for_port(addr: SocketAddr, limit: Duration) {
    let start = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            start.elapsed() < limit,
            "nothing listens on {addr} after {limit:?}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// A response; `status` 0 means the connection closed without one.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub status: u16,
    /// Lower-cased names.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
    /// The `backend=<name>` an echo backend wrote, if the body is plain.
    pub fn backend(&self) -> Option<String> {
        let t = self.text();
        if t.contains("s_server") {
            return Some("tls".into());
        }
        t.lines()
            .find_map(|l| l.strip_prefix("backend="))
            .map(String::from)
    }
    pub fn aborted(&self) -> bool {
        self.status == 0
    }
}

/// One request over a fresh connection (`Connection: close`).
pub fn request(
    addr: SocketAddr,
    method: &str,
    host: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) else {
        return Response::default();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(15)));
    let _ = s.set_nodelay(true);
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method != "GET" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    if s.write_all(req.as_bytes()).is_err() {
        return Response::default();
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

pub fn get(addr: SocketAddr, host: &str, target: &str, headers: &[(&str, &str)]) -> Response {
    request(addr, "GET", host, target, headers, "")
}

fn parse(raw: &[u8]) -> Response {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Response::default();
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut headers = BTreeMap::new();
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let rest = &raw[end + 4..];
    let body = if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        data = &data[eol + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
    out
}
