//! The hecate edge as deployed: the example's nginx stream configuration run
//! by a real nginx (Debian's, on 127.0.0.1) passing TCP and UDP bytes to echo
//! backends and back, `nginx -t`; the cloud-init of every server as YAML
//! with the Consul agent, the resolver forwarding `.consul`, the Salt minion
//! and its role grains, its shell commands through `sh -n`; and the names one
//! artifact dials made resolvable or matchable by another.

use crate::support::specs;
use crate::support::tools;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tools::{tool, TempDir};

fn example() -> eosc::sema::model::Model {
    let path = specs::root().join("examples/cybermonkey/hecate.hcl");
    specs::models(&path)
        .into_iter()
        .find(|m| m.env.name == "production")
        .expect("production model")
}

fn artifact(all: &[eosc::emit::Artifact], path: &str) -> String {
    all.iter()
        .find(|a| a.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
        .clone()
}

/// Debian's nginx (`/usr/sbin/nginx`, apt `nginx` + `libnginx-mod-stream`).
pub(crate) fn nginx() -> Option<(PathBuf, Option<PathBuf>)> {
    let bin = ["/usr/sbin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| tool("nginx"))?;
    let module = PathBuf::from("/usr/lib/nginx/modules/ngx_stream_module.so");
    Some((bin, module.is_file().then_some(module)))
}

/// Debian builds the stream module as a dynamic module; the official image
/// (what the proxy job runs) has it built in. So the test copy loads it.
pub(crate) fn with_module(conf: &str, module: &Option<PathBuf>) -> String {
    match module {
        Some(m) => format!("load_module {};\n{conf}", m.display()),
        None => conf.to_string(),
    }
}

pub(crate) struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_tcp() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn free_udp() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A TCP echo backend that answers with a prefix, so the test sees the
/// bytes went through the backend and came back.
fn tcp_echo() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut s = s;
                let mut buf = [0u8; 65536];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let mut out = b"tcp-echo:".to_vec();
                    out.extend_from_slice(&buf[..n]);
                    if s.write_all(&out).is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

fn udp_echo() -> SocketAddr {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = s.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok((n, from)) = s.recv_from(&mut buf) {
            let mut out = b"udp-echo:".to_vec();
            out.extend_from_slice(&buf[..n]);
            let _ = s.send_to(&out, from);
        }
    });
    addr
}

/// The generated configuration with only its ports changed: each `listen`
/// to a free loopback port, each backend address to a local echo.
fn localize(conf: &str, listens: &[(String, String)], backends: &[(String, String)]) -> String {
    let mut out = String::new();
    for line in conf.lines() {
        let t = line.trim_start();
        let mut l = line.to_string();
        if let Some(rest) = t.strip_prefix("listen ") {
            let port = rest.trim_end_matches(';').split(' ').next().unwrap();
            let new = &listens
                .iter()
                .find(|(p, _)| p == port)
                .expect("every listen mapped")
                .1;
            l = line.replacen(port, &format!("127.0.0.1:{new}"), 1);
        } else if let Some(rest) = t.strip_prefix("server ").filter(|r| !r.starts_with('{')) {
            let addr = rest.trim_end_matches(';');
            let new = &backends
                .iter()
                .find(|(a, _)| a == addr)
                .expect("every backend mapped")
                .1;
            l = line.replacen(addr, new, 1);
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

pub(crate) fn run_nginx(bin: &Path, dir: &Path, conf: &str) -> Result<Killed, String> {
    let file = dir.join("nginx.conf");
    std::fs::write(&file, conf).unwrap();
    let global = format!("pid {}/nginx.pid;", dir.display());
    let t = Command::new(bin)
        .args(["-t", "-p"])
        .arg(dir)
        .arg("-c")
        .arg(&file)
        .args(["-g", &global])
        .output()
        .expect("run nginx -t");
    if !t.status.success() {
        return Err(String::from_utf8_lossy(&t.stderr).into_owned());
    }
    let child = Command::new(bin)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&file)
        .args(["-g", &format!("{global} daemon off;")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    Ok(Killed(child))
}

#[test]
fn nginx_accepts_the_example_and_rejects_a_broken_copy() {
    let Some((bin, module)) = nginx() else { return };
    let all = eosc::emit::emit_all(&example());
    let conf = with_module(&artifact(&all, "nginx/nginx.conf"), &module);
    let dir = TempDir::new("nginx-t");
    let file = dir.write("nginx.conf", &conf);
    let global = format!("pid {}/nginx.pid;", dir.0.display());
    let out = Command::new(&bin)
        .args(["-t", "-c"])
        .arg(&file)
        .args(["-g", &global])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The check can fail: nginx refuses an unknown directive.
    let broken = dir.write(
        "broken.conf",
        &conf.replacen("proxy_pass", "proxy_passs", 1),
    );
    let out = Command::new(&bin)
        .args(["-t", "-c"])
        .arg(&broken)
        .args(["-g", &global])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn nginx_passes_tcp_and_udp_byte_for_byte_both_ways() {
    let Some((bin, module)) = nginx() else { return };
    let model = example();
    let all = eosc::emit::emit_all(&model);
    let conf = artifact(&all, "nginx/nginx.conf");
    // One echo backend per generated backend address, by its protocol.
    let mut listens = Vec::new();
    let mut backends = Vec::new();
    let mut probes: Vec<(&str, u16)> = Vec::new();
    for s in model.streams.values() {
        let udp = s.protocol == eosc::sema::model::Protocol::Udp;
        let port = if udp { free_udp() } else { free_tcp() };
        listens.push((s.listen.text(), port.to_string()));
        probes.push((if udp { "udp" } else { "tcp" }, port));
        if let eosc::sema::model::StreamTarget::Addresses { targets, .. } = &s.target {
            for t in targets {
                let echo = if udp { udp_echo() } else { tcp_echo() };
                backends.push((t.clone(), echo.to_string()));
            }
        }
    }
    assert!(probes.iter().any(|p| p.0 == "udp") && probes.iter().any(|p| p.0 == "tcp"));
    // The example's wazuh-api allows private ranges only; loopback is let in
    // for the test copy, as a client on the tailnet would be.
    let local =
        localize(&conf, &listens, &backends).replace("deny all;", "allow 127.0.0.1; deny all;");
    let dir = TempDir::new("nginx-run");
    let _nginx = run_nginx(&bin, &dir.0, &with_module(&local, &module))
        .unwrap_or_else(|e| panic!("nginx -t rejected the localized config: {e}\n{local}"));
    // Every byte value, in both directions, through every stream.
    let payload: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    for (proto, port) in probes {
        let deadline = Instant::now() + Duration::from_secs(10);
        let got = loop {
            let r = if proto == "tcp" {
                tcp_round_trip(port, &payload)
            } else {
                udp_round_trip(port, &payload)
            };
            match r {
                Ok(v) => break v,
                Err(e) if Instant::now() > deadline => panic!("{proto} {port}: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        let mut want = format!("{proto}-echo:").into_bytes();
        want.extend_from_slice(&payload);
        assert_eq!(got, want, "{proto} stream on {port}");
    }
}

/// Why `proxy_protocol` on a TCP-and-UDP stream is refused (E0303): nginx
/// accepts it (`nginx -t` passes) and then prefixes every UDP datagram with
/// a PROXY v1 header that claims TCP4, so the UDP backend no longer gets the
/// client's bytes. The check is proved by the same spec being refused.
#[test]
fn proxy_protocol_corrupts_udp_in_nginx_so_both_is_refused() {
    let spec = r#"
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "edge" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-22.04"
  labels   = { role = "hecate-proxy" }
}
stream "wazuh" {
  protocol       = "both"
  listen         = 1514
  proxy_protocol = true
  target         = ["10.0.0.7:1514"]
}
"#;
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), spec.to_string())]);
    let checked = eosc::check("hecate.hcl", &loader).unwrap();
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E0303"], "{:?}", checked.diagnostics);
    assert!(checked.diagnostics[0].message.contains("proxy_protocol"));

    let Some((bin, module)) = nginx() else { return };
    let backend = UdpSocket::bind("127.0.0.1:0").unwrap();
    backend
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    // A port found free can be taken by a parallel test before nginx binds
    // it (nginx then exits and nothing answers): a few attempts, each on a
    // new port.
    let attempt = || -> Option<Vec<u8>> {
        let port = free_udp();
        let conf = format!(
            "events {{}}\nstream {{\n    server {{\n        listen 127.0.0.1:{port};\n        listen 127.0.0.1:{port} udp;\n        proxy_pass {};\n        proxy_protocol on;\n    }}\n}}\n",
            backend.local_addr().unwrap()
        );
        let dir = TempDir::new("nginx-pp-udp");
        let _nginx = run_nginx(&bin, &dir.0, &with_module(&conf, &module))
            .unwrap_or_else(|e| panic!("nginx -t: {e}"));
        let client = UdpSocket::bind("127.0.0.1:0").unwrap();
        let mut buf = [0u8; 2048];
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            client.send_to(b"datagram", ("127.0.0.1", port)).unwrap();
            if let Ok((n, _)) = backend.recv_from(&mut buf) {
                return Some(buf[..n].to_vec());
            }
        }
        None
    };
    let got = (0..3)
        .find_map(|_| attempt())
        .unwrap_or_else(|| panic!("no datagram through nginx in 3 attempts"));
    let got = got.as_slice();
    assert_ne!(
        got, b"datagram",
        "nginx now passes UDP untouched; E0303 could be relaxed"
    );
    assert!(
        got.starts_with(b"PROXY TCP4 "),
        "{}",
        String::from_utf8_lossy(got)
    );
    assert!(got.ends_with(b"\r\ndatagram"));
}

fn tcp_round_trip(port: u16, payload: &[u8]) -> Result<Vec<u8>, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s.write_all(payload).map_err(|e| e.to_string())?;
    let want = payload.len() + "tcp-echo:".len();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while got.len() < want {
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!("closed after {} bytes", got.len()));
        }
        got.extend_from_slice(&buf[..n]);
    }
    Ok(got)
}

fn udp_round_trip(port: u16, payload: &[u8]) -> Result<Vec<u8>, String> {
    let s = UdpSocket::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    s.send_to(payload, ("127.0.0.1", port))
        .map_err(|e| e.to_string())?;
    let mut buf = [0u8; 65536];
    let (n, _) = s.recv_from(&mut buf).map_err(|e| e.to_string())?;
    Ok(buf[..n].to_vec())
}

/// The user data of every server, as cloud-init will read it once Terraform
/// has filled in the join list and the master.
fn user_data(model: &eosc::sema::model::Model) -> Vec<(String, serde_yaml::Value)> {
    let Some(parser) = tool("hcl2json") else {
        return Vec::new();
    };
    let all = eosc::emit::emit_all(model);
    let dir = TempDir::new("cloud-init");
    let tf = dir.write("servers.tf", &artifact(&all, "terraform/servers.tf"));
    let json = tools::hcl2json(&parser, &tf).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for (name, body) in json["resource"]["hcloud_server"].as_object().unwrap() {
        let ud = body[0]["user_data"].as_str().expect("user_data");
        let rendered = tools::unescape_markers(
            &ud.replace("${jsonencode(var.nomad_servers)}", "[\"10.0.0.2\"]")
                .replace("${jsonencode(var.salt_master)}", "\"salt.internal\""),
        );
        assert!(
            !rendered.contains("${"),
            "{name}: an interpolation left: {rendered}"
        );
        let yaml: serde_yaml::Value = serde_yaml::from_str(&rendered)
            .unwrap_or_else(|e| panic!("{name}: user_data is not YAML: {e}\n{rendered}"));
        out.push((name.clone(), yaml));
    }
    out
}

fn file<'a>(yaml: &'a serde_yaml::Value, path: &str) -> &'a str {
    yaml["write_files"]
        .as_sequence()
        .and_then(|s| s.iter().find(|f| f["path"].as_str() == Some(path)))
        .and_then(|f| f["content"].as_str())
        .unwrap_or_else(|| panic!("no {path} in write_files"))
}

#[test]
fn servers_join_consul_and_salt_with_their_role_grains() {
    let model = example();
    let servers = user_data(&model);
    if servers.is_empty() {
        return;
    }
    let parser = tool("hcl2json").unwrap();
    let sh = tool("sh").expect("sh");
    let dir = TempDir::new("cloud-init-parts");
    assert_eq!(servers.len(), model.servers.len());
    // The example's control plane: three instances of `server "control"`.
    let expect: u32 = model
        .servers
        .values()
        .filter(|s| s.labels.get("role").map(String::as_str) == Some("hecate-controller"))
        .map(|s| s.count)
        .sum();
    assert_eq!(expect, 3);
    for (name, yaml) in &servers {
        assert_eq!(yaml["package_update"], serde_yaml::Value::Bool(true));
        // Consul: a server on the control plane (the controller role),
        // a client elsewhere; joined to the cluster, DNS on 8600.
        let control = model.servers[name.as_str()].labels.get("role")
            == Some(&"hecate-controller".to_string());
        let consul = tools::hcl2json(
            &parser,
            &dir.write("consul.hcl", file(yaml, "/etc/consul.d/consul.hcl")),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(consul["server"], control, "{name}");
        if control {
            assert_eq!(consul["bootstrap_expect"], expect, "{name}");
        } else {
            assert!(consul.get("bootstrap_expect").is_none(), "{name}");
        }
        assert_eq!(consul["retry_join"][0], "10.0.0.2", "{name}");
        assert_eq!(consul["ports"][0]["dns"], 8600, "{name}");
        assert_eq!(consul["client_addr"], "127.0.0.1", "{name}");
        // The resolver sends .consul to that port.
        let resolved = file(yaml, "/etc/systemd/resolved.conf.d/consul.conf");
        assert!(
            resolved.lines().any(|l| l == "DNS=127.0.0.1:8600"),
            "{resolved}"
        );
        assert!(
            resolved.lines().any(|l| l == "Domains=~consul"),
            "{resolved}"
        );
        // Nomad client of the node class.
        let nomad = tools::hcl2json(
            &parser,
            &dir.write("nomad.hcl", file(yaml, "/etc/nomad.d/nomad.hcl")),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(nomad["client"][0]["node_class"], name.as_str());
        assert_eq!(
            nomad["client"][0]["server_join"][0]["retry_join"][0],
            "10.0.0.2"
        );
        if control {
            let server = &nomad["server"][0];
            assert_eq!(server["enabled"], true, "{name}");
            assert_eq!(server["bootstrap_expect"], expect, "{name}");
            assert_eq!(server["server_join"][0]["retry_join"][0], "10.0.0.2");
        } else {
            assert!(nomad.get("server").is_none(), "{name}: {nomad}");
        }
        // Docker's bridge gateway is pinned and containers resolve there,
        // where systemd-resolved's extra stub listens.
        let daemon: serde_json::Value =
            serde_json::from_str(file(yaml, "/etc/docker/daemon.json")).unwrap();
        assert_eq!(daemon["bip"], "172.17.0.1/16", "{name}");
        assert_eq!(daemon["dns"][0], "172.17.0.1", "{name}");
        assert!(
            resolved
                .lines()
                .any(|l| l == "DNSStubListenerExtra=172.17.0.1"),
            "{resolved}"
        );
        // Salt minion: YAML with the master and the role grain of its label.
        let minion: serde_yaml::Value =
            serde_yaml::from_str(file(yaml, "/etc/salt/minion.d/eosc.conf")).unwrap();
        assert_eq!(minion["master"], "salt.internal");
        let role = model.servers[name.as_str()].labels.get("role").cloned();
        let roles: Vec<String> = minion["grains"]["roles"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect();
        assert_eq!(roles, role.into_iter().collect::<Vec<_>>(), "{name}");
        // Packages and services.
        let cmds: Vec<&str> = yaml["runcmd"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|c| c.as_str().expect("runcmd entries are strings"))
            .collect();
        let all = cmds.join("\n");
        for want in ["consul", "salt-minion", "nomad", "docker"] {
            assert!(
                all.contains(want),
                "{name}: {want} not installed/started:\n{all}"
            );
        }
        let script = dir.write("runcmd.sh", &format!("{all}\n"));
        let out = tools::run(&sh, &["-n", &script.to_string_lossy()], None);
        assert!(out.ok, "{name}: sh -n: {}", out.stderr);
    }
    // sh -n can fail.
    let bad = dir.write("bad.sh", "echo \"unterminated\n");
    assert!(!tools::run(&sh, &["-n", &bad.to_string_lossy()], None).ok);
}

/// Every name one artifact dials is made resolvable or matchable by
/// another: every Salt grain target (the controller's too: the control
/// plane's servers) matches some server's `roles` grain, the
/// `*.service.consul` names Caddy and nginx dial are Consul names that the
/// proxy nodes resolve (Consul agent + `.consul` forwarding), and each is a
/// service some Nomad job registers; the proxy job's host volumes are
/// offered by the proxy nodes' Nomad clients.
#[test]
fn what_one_artifact_dials_another_provides() {
    let model = example();
    let servers = user_data(&model);
    if servers.is_empty() {
        return;
    }
    let all = eosc::emit::emit_all(&model);
    // Salt targets.
    let top = artifact(&all, "salt/top.sls");
    let grains: Vec<String> = servers
        .iter()
        .flat_map(|(_, y)| {
            let m: serde_yaml::Value =
                serde_yaml::from_str(file(y, "/etc/salt/minion.d/eosc.conf")).unwrap();
            m["grains"]["roles"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let top_yaml: serde_yaml::Value = serde_yaml::from_str(&top).unwrap();
    let mut matched = 0;
    for (_, targets) in top_yaml.as_mapping().unwrap() {
        for (t, _) in targets.as_mapping().unwrap() {
            let t = t.as_str().unwrap();
            let role = t.strip_prefix("roles:").expect("a roles grain target");
            assert!(
                grains.iter().any(|g| g == role),
                "no server has grain roles:{role}"
            );
            matched += 1;
        }
    }
    assert!(matched > 0);
    // Consul names.
    let caddy = artifact(&all, "caddy/caddy.json");
    let nginx = artifact(&all, "nginx/nginx.conf");
    let mut names: Vec<String> = Vec::new();
    for text in [&caddy, &nginx] {
        for (i, _) in text.match_indices(".service.consul") {
            let start = text[..i]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_'))
                .map_or(0, |p| p + 1);
            names.push(text[start..i].trim_start_matches('_').to_string());
        }
    }
    assert!(!names.is_empty());
    let registered: Vec<String> = all
        .iter()
        .filter(|a| a.path.starts_with("nomad/"))
        .flat_map(|a| {
            a.contents
                .lines()
                .filter_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    (k.trim() == "name").then(|| v.trim().trim_matches('"').to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for n in &names {
        // `stable.helen-web` / `canary.helen-web`: tags of a registered service.
        let service = n.rsplit('.').next().unwrap();
        assert!(
            registered.iter().any(|r| r == service),
            "{n}.service.consul: no job registers {service}"
        );
    }
    // The proxy job dials those names from the host's network, so the
    // proxy nodes' own resolver must reach a Consul agent: one runs there,
    // and systemd-resolved sends `.consul` to its DNS port.
    let proxy_job = artifact(&all, "nomad/hecate-proxy.nomad.hcl");
    assert!(proxy_job.contains("network_mode = \"host\""), "{proxy_job}");
    assert!(!model.proxy_servers.is_empty());
    let parser = tool("hcl2json").unwrap();
    let dir = TempDir::new("agree-dns");
    for p in &model.proxy_servers {
        let (_, y) = servers.iter().find(|(n, _)| n == p).unwrap();
        assert_resolves_consul(&parser, &dir, p, y);
        let nomad = file(y, "/etc/nomad.d/nomad.hcl");
        for (v, _, _) in eosc::emit::nomad::proxy::host_volumes(&model) {
            assert!(
                nomad.contains(&format!("host_volume \"{v}\"")),
                "{p} lacks {v}"
            );
        }
    }
    // Apps whose containers dial `*.service.consul` get the bridge
    // gateway as their DNS server, and every node they can land on has the
    // resolver stub listening there.
    let mut dialing = 0;
    for app in model.apps.values() {
        let dials = app
            .tasks
            .iter()
            .any(|t| t.env.values().any(|v| v.contains(".service.consul")));
        let job = artifact(&all, &format!("nomad/{}.nomad.hcl", app.name));
        let job_json = tools::hcl2json(&parser, &dir.write("job.hcl", &job)).unwrap();
        let group = &job_json["job"][app.name.as_str()][0]["group"][app.name.as_str()][0];
        let dns = &group["network"][0]["dns"][0]["servers"];
        if !dials {
            assert!(dns.is_null(), "{}: {dns}", app.name);
            continue;
        }
        dialing += 1;
        assert_eq!(dns[0], "172.17.0.1", "{}", app.name);
        for (n, y) in &servers {
            if app.runs_on.as_ref().is_some_and(|r| r != n) {
                continue;
            }
            assert_resolves_consul(&parser, &dir, n, y);
            let resolved = file(y, "/etc/systemd/resolved.conf.d/consul.conf");
            assert!(
                resolved
                    .lines()
                    .any(|l| l == "DNSStubListenerExtra=172.17.0.1"),
                "{n}"
            );
        }
    }
    assert!(dialing > 0, "the example has apps that dial Consul names");
}

/// A Consul agent runs on the node with its DNS on the port the host's
/// resolver sends `.consul` to.
fn assert_resolves_consul(
    parser: &std::path::Path,
    dir: &TempDir,
    node: &str,
    y: &serde_yaml::Value,
) {
    let consul = tools::hcl2json(
        parser,
        &dir.write("c.hcl", file(y, "/etc/consul.d/consul.hcl")),
    )
    .unwrap_or_else(|e| panic!("{node}: {e}"));
    let port = consul["ports"][0]["dns"].as_u64().expect("a DNS port");
    let resolved = file(y, "/etc/systemd/resolved.conf.d/consul.conf");
    assert!(
        resolved
            .lines()
            .any(|l| l == format!("DNS=127.0.0.1:{port}")),
        "{node}: {resolved}"
    );
    assert!(resolved.lines().any(|l| l == "Domains=~consul"), "{node}");
    let cmds = serde_yaml::to_string(&y["runcmd"]).unwrap();
    assert!(
        cmds.contains("consul") && cmds.contains("systemctl restart systemd-resolved"),
        "{node}"
    );
}

/// The example targets Caddy 2.11. For Debian's 2.6 the check names the
/// version and what 2.6 cannot do (Helen's canary split), instead of
/// emitting a config 2.6 would refuse.
#[test]
fn the_example_for_caddy_2_6_is_refused_with_the_version_named() {
    let path = specs::root().join("examples/cybermonkey/hecate.hcl");
    let text = std::fs::read_to_string(&path).unwrap();
    let old = text.replacen(
        "project \"cybermonkey\" {",
        "project \"cybermonkey\" {\n  caddy_version = \"2.6.2\"",
        1,
    );
    assert_ne!(old, text);
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), old)]);
    let checked = eosc::check("hecate.hcl", &loader).unwrap();
    let e: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "E0330")
        .collect();
    assert!(!e.is_empty(), "no E0330");
    assert!(e.iter().all(|d| d.message.contains("Caddy 2.6")), "{e:?}");
    assert!(e
        .iter()
        .any(|d| d.message.contains("helen") || d.message.contains("cybermonkey.dev")));
}

/// The ports the streams listen on are open in the firewall of the proxy's
/// servers (per protocol, from the stream's `allow` CIDRs), and the proxy
/// job is deployed before every app job.
#[test]
fn terraform_opens_the_stream_ports_and_deploys_the_edge_first() {
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    let model = example();
    let all = eosc::emit::emit_all(&model);
    let dir = TempDir::new("tf-streams");
    let fw = tools::hcl2json(
        &parser,
        &dir.write("f.tf", &artifact(&all, "terraform/firewalls.tf")),
    )
    .unwrap();
    let rules = fw["resource"]["hcloud_firewall"]["eosc_streams"][0]["rule"]
        .as_array()
        .unwrap()
        .clone();
    for s in model.streams.values() {
        for p in s.protocol.each() {
            let r = rules
                .iter()
                .find(|r| r["port"] == s.listen.text().as_str() && r["protocol"] == *p)
                .unwrap_or_else(|| panic!("no {p} rule for stream {}", s.name));
            let want: Vec<String> = if s.allow.is_empty() {
                vec!["0.0.0.0/0".into(), "::/0".into()]
            } else {
                s.allow.clone()
            };
            assert_eq!(r["source_ips"], serde_json::json!(want));
        }
    }
    let servers = tools::hcl2json(
        &parser,
        &dir.write("s.tf", &artifact(&all, "terraform/servers.tf")),
    )
    .unwrap();
    for p in &model.proxy_servers {
        let ids = &servers["resource"]["hcloud_server"][p][0]["firewall_ids"];
        assert!(
            ids.as_array()
                .unwrap()
                .iter()
                .any(|i| i == "${hcloud_firewall.eosc_streams.id}"),
            "{p}: {ids}"
        );
    }
    // The edge job runs first: wave 0 of Salt's orchestration, which every
    // app's `nomad job run` waits for (Terraform registers no job).
    let orch = artifact(&all, "salt/hecate/orchestrate.sls");
    let edge = orch
        .find("\nhecate_edge_job:")
        .expect("the edge job's state");
    for app in model.apps.keys() {
        let at = orch
            .find(&format!("\nhecate_nomad_{app}:"))
            .unwrap_or_else(|| panic!("no state for {app}"));
        assert!(edge < at, "{app} runs before the edge");
        let block = &orch[at..];
        let block = &block[..block[1..].find("\n\n").map_or(block.len(), |i| i + 1)];
        assert!(block.contains("- salt: hecate_wave"), "{app}: {block}");
    }
}
