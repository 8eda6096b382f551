//! Running a Caddy config on loopback: the test copy listens on free
//! 127.0.0.1 ports with automatic HTTPS off, no ACME, logs in a temp dir,
//! and every upstream dialled at a local backend.

use super::net::{free_port, wait_for_port};
use super::{Killed, TempDir};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

pub struct Caddy {
    pub addr: SocketAddr,
    pub admin: SocketAddr,
    pub dir: TempDir,
    _proc: Killed,
}

impl Caddy {
    /// Caddy's own output so far, for assertion messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("caddy.log")).unwrap_or_default()
    }
}

/// Rewrites `config` in place for loopback. `dial` maps an upstream dial
/// address or SRV name of the emitted config to a local `host:port`; an
/// address it does not know fails the test (every upstream is covered).
pub fn localize(
    config: &mut Value,
    dial: &dyn Fn(&str) -> Option<String>,
    listen: SocketAddr,
    admin: SocketAddr,
    logdir: &Path,
) {
    loopback(config, listen, admin, logdir);
    mount_at(config, logdir);
    redial(config, dial);
}

/// The proxy job's mount of the Caddy directory (the canary split files)
/// moved to `dir`: the one change [`localize`] makes inside the routes
/// besides the dial addresses.
pub fn mount_at(config: &mut Value, dir: &Path) {
    let text = config.to_string().replace(
        eosc::plan::names::CADDY_CONFIG_MOUNT,
        &dir.to_string_lossy(),
    );
    *config = serde_json::from_str(&text).expect("json");
}

/// The listener half of [`localize`]: every server on `listen` without
/// automatic HTTPS, the admin API on `admin`, no TLS app (no ACME), logs
/// in `logdir`; the routes stay exactly as compiled (what `eosc drift`
/// compares).
pub fn loopback(config: &mut Value, listen: SocketAddr, admin: SocketAddr, logdir: &Path) {
    config["admin"] = json!({"listen": admin.to_string()});
    // Certificates and locks in the temp dir, not the proxy's `/data`.
    if let Some(root) = config.pointer_mut("/storage/root") {
        *root = json!(logdir.join("storage").to_string_lossy());
    }
    if let Some(apps) = config.get_mut("apps").and_then(Value::as_object_mut) {
        apps.remove("tls");
    }
    if let Some(servers) = config
        .pointer_mut("/apps/http/servers")
        .and_then(Value::as_object_mut)
    {
        for s in servers.values_mut() {
            s["listen"] = json!([listen.to_string()]);
            s["automatic_https"] = json!({"disable": true});
        }
    }
    if let Some(logs) = config
        .pointer_mut("/logging/logs")
        .and_then(Value::as_object_mut)
    {
        for l in logs.values_mut() {
            if let Some(f) = l.pointer_mut("/writer/filename") {
                let base = Path::new(f.as_str().unwrap_or("log"))
                    .file_name()
                    .map(|b| b.to_owned())
                    .unwrap_or_default();
                *f = json!(logdir.join(base).to_string_lossy());
            }
        }
    }
}

fn redial(v: &mut Value, dial: &dyn Fn(&str) -> Option<String>) {
    match v {
        Value::Object(o) => {
            if o.get("handler") == Some(&json!("reverse_proxy")) {
                if let Some(d) = o.remove("dynamic_upstreams") {
                    // One source, or a `multi` of them in order.
                    let sources = match d["sources"].as_array() {
                        Some(list) => list.clone(),
                        None => vec![d.clone()],
                    };
                    let ups: Vec<Value> = sources
                        .iter()
                        .map(|src| {
                            let mut name = src["name"].as_str().unwrap_or_default().to_string();
                            // An `a` lookup names a host and its port apart.
                            if src["source"] == "a" {
                                name = format!("{name}:{}", src["port"].as_str().unwrap_or("80"));
                            }
                            let to = dial(&name)
                                .unwrap_or_else(|| panic!("no local backend for SRV name {name}"));
                            json!({"dial": to})
                        })
                        .collect();
                    o.insert("upstreams".into(), Value::Array(ups));
                } else if let Some(ups) = o.get_mut("upstreams").and_then(Value::as_array_mut) {
                    for u in ups {
                        let d = u["dial"].as_str().unwrap_or_default().to_string();
                        let to =
                            dial(&d).unwrap_or_else(|| panic!("no local backend for dial {d}"));
                        u["dial"] = json!(to);
                    }
                }
            }
            for (_, c) in o.iter_mut() {
                redial(c, dial);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| redial(c, dial)),
        _ => {}
    }
}

/// Starts `caddy run` on a localized copy of `config`.
pub fn start(caddy: &Path, config: &Value, dial: &dyn Fn(&str) -> Option<String>) -> Caddy {
    start_with(
        caddy,
        &|cfg, addr, admin, dir| {
            let mut cfg = cfg.clone();
            localize(&mut cfg, dial, addr, admin, dir);
            cfg
        },
        config,
    )
    .0
}

/// Starts `caddy run` on `rewrite(config, listen, admin, dir)`; returns the
/// config it loaded too.
pub fn start_with(
    caddy: &Path,
    rewrite: &dyn Fn(&Value, SocketAddr, SocketAddr, &Path) -> Value,
    config: &Value,
) -> (Caddy, Value) {
    let dir = TempDir::new("caddy-run");
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
    let admin: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
    let cfg = rewrite(config, addr, admin, dir.path());
    let file = dir.path().join("caddy.json");
    std::fs::write(&file, serde_json::to_string_pretty(&cfg).expect("json")).expect("write config");
    let log = std::fs::File::create(dir.path().join("caddy.log")).expect("log file");
    let child = Command::new(caddy)
        .arg("run")
        .arg("--config")
        .arg(&file)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start caddy run");
    let proc = Killed(child);
    wait_for_port(addr, Duration::from_secs(20));
    wait_for_port(admin, Duration::from_secs(20));
    (
        Caddy {
            addr,
            admin,
            dir,
            _proc: proc,
        },
        cfg,
    )
}

/// `caddy validate` of a config text; Err carries Caddy's output. Log
/// files are moved into a temporary directory first: validation opens
/// them, and a redirected default log would take Caddy's error with it.
pub fn validate(caddy: &Path, text: &str) -> Result<(), String> {
    let dir = TempDir::new("caddy-validate");
    let file = dir.path().join("caddy.json");
    let text = match serde_json::from_str::<Value>(text) {
        Ok(mut v) => {
            let logs = v
                .pointer_mut("/logging/logs")
                .and_then(Value::as_object_mut);
            for l in logs.into_iter().flat_map(|l| l.values_mut()) {
                if let Some(f) = l.pointer_mut("/writer/filename") {
                    let base = Path::new(f.as_str().unwrap_or("log"))
                        .file_name()
                        .map(|b| b.to_owned())
                        .unwrap_or_default();
                    *f = json!(dir.path().join(base).to_string_lossy());
                }
            }
            v.to_string()
        }
        Err(_) => text.to_string(),
    };
    std::fs::write(&file, text).expect("write config");
    let out = Command::new(caddy)
        .arg("validate")
        .arg("--config")
        .arg(&file)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .expect("run caddy validate");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// `caddy adapt` of a Caddyfile text to JSON.
pub fn adapt(caddy: &Path, caddyfile: &str) -> Value {
    let dir = TempDir::new("caddy-adapt");
    let file = dir.path().join("Caddyfile");
    std::fs::write(&file, caddyfile).expect("write Caddyfile");
    let out = Command::new(caddy)
        .arg("adapt")
        .arg("--config")
        .arg(&file)
        .arg("--adapter")
        .arg("caddyfile")
        .env("HOME", dir.path())
        .output()
        .expect("run caddy adapt");
    assert!(
        out.status.success(),
        "caddy adapt failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("caddy adapt prints JSON")
}
