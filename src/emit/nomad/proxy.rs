//! The proxy job `nomad/hecate-proxy.nomad.hcl`: the hecate edge on the
//! proxy's nodes (seed 004's `hecate-reverse-proxy`). Caddy runs the
//! compiled caddy.json and keeps its data and certificates on a host
//! volume; nginx runs the stream proxy when the spec has streams. coturn is
//! an app of the spec and has its own job.
//!
//! A system job: one allocation on every proxy node, as the public ports
//! 80/443 are static. Both tasks use the host's network: Caddy resolves
//! `*.service.consul` through the host's resolver (Consul DNS), its admin
//! API stays on the host's loopback where Salt loads the config, and the
//! streams see the clients' addresses and relay port ranges without NAT.

use super::hcl_out::{self, string};
use super::{go_duration, port_block, strings};
use crate::sema::caddy_globals::DATA_MOUNT;
use crate::sema::model::{Model, Protocol};
use hcl::{Block, Body};

pub use crate::emit::names::{
    host_volumes, proxy_job_path as path, proxy_wanted as wanted, CADDY_CONFIG_MOUNT,
    CADDY_CONFIG_VOLUME, CADDY_DATA_VOLUME, NGINX_CONFIG_VOLUME, PROXY_JOB as JOB,
};

/// `(label, port)` of every stream port (a range is one label per port).
pub fn stream_ports(model: &Model) -> Vec<(String, u16)> {
    let mut out: Vec<(String, u16)> = Vec::new();
    for s in model.streams.values() {
        let base = format!("stream_{}", s.name.replace('-', "_"));
        for n in s.listen.from..=s.listen.to {
            // Two streams may share a port with different protocols: one
            // Nomad port covers both.
            if out.iter().any(|(_, p)| *p == n) {
                continue;
            }
            let label = if s.listen.from == s.listen.to {
                base.clone()
            } else {
                format!("{base}_{n}")
            };
            out.push((label, n));
        }
    }
    out
}

pub fn job_text(model: &Model) -> String {
    let body = Body::builder().add_block(job(model)).build();
    hcl_out::render(&crate::emit::header(model, "#"), &body)
}

fn job(model: &Model) -> Block {
    let mut job = Block::builder("job")
        .add_label(JOB)
        .add_attribute(("datacenters", strings(&model.project.datacenters)))
        .add_attribute(("region", string(&model.project.region)))
        .add_attribute(("type", string("system")))
        .add_block(
            Block::builder("meta")
                .add_attribute(("eosc_version", string(env!("CARGO_PKG_VERSION"))))
                .add_attribute(("spec_hash", string(&spec_hash(model))))
                .build(),
        );
    let classes: Vec<&str> = model
        .proxy_servers
        .iter()
        .filter_map(|s| model.servers.get(s))
        .map(|s| s.node_class.as_str())
        .collect();
    if !classes.is_empty() {
        // Node classes are names ([A-Za-z0-9_-]): nothing to escape in the regexp.
        job = job.add_block(
            Block::builder("constraint")
                .add_attribute(("attribute", hcl_out::template("${node.class}")))
                .add_attribute(("operator", string("regexp")))
                .add_attribute(("value", string(&format!("^({})$", classes.join("|")))))
                .build(),
        );
    }
    job.add_block(group(model)).build()
}

/// What the job runs, hashed over meaning: the parts of the model that
/// caddy.json and the stream config are made from, so a new config is a
/// new job version and Nomad restarts the tasks on the new files, while a
/// change elsewhere (an app's image) is not.
fn spec_hash(model: &Model) -> String {
    let doc = serde_json::json!({
        "env": model.env,
        "project": model.project,
        // Of the apps, only what Caddy and nginx dial: services and ports.
        "apps": model
            .apps
            .values()
            .map(|a| (&a.name, &a.service, &a.ports))
            .collect::<Vec<_>>(),
        "upstreams": model.upstreams,
        "middlewares": model.middlewares,
        "auths": model.auths,
        "routes": model.routes,
        "rollouts": model.rollouts,
        "streams": model.streams,
        "proxy_servers": model.proxy_servers,
    });
    crate::digest::json_hash(&doc)
}

fn group(model: &Model) -> Block {
    let streams = !model.streams.is_empty();
    let mut net = Block::builder("network")
        .add_block(port_block("http", Some(80), None))
        .add_block(port_block("https", Some(443), None));
    let stream_ports = stream_ports(model);
    for (label, p) in &stream_ports {
        net = net.add_block(port_block(label, Some(*p), None));
    }
    let mut group = Block::builder("group")
        .add_label("edge")
        .add_block(net.build());
    for (name, _, read_only) in host_volumes(model) {
        group = group.add_block(
            Block::builder("volume")
                .add_label(name.as_str())
                .add_attribute(("type", string("host")))
                .add_attribute(("source", string(&name)))
                .add_attribute(("read_only", read_only))
                .build(),
        );
    }
    group = group
        .add_block(
            Block::builder("restart")
                .add_attribute(("attempts", 3))
                .add_attribute(("interval", string("5m")))
                .add_attribute(("delay", string("15s")))
                .add_attribute(("mode", string("delay")))
                .build(),
        )
        .add_block(
            // One node at a time: the other edge nodes keep serving.
            Block::builder("update")
                .add_attribute(("max_parallel", 1))
                .add_attribute((
                    "min_healthy_time",
                    string(&go_duration(std::time::Duration::from_secs(30))),
                ))
                .add_attribute(("healthy_deadline", string("5m")))
                .add_attribute(("auto_revert", true))
                .build(),
        )
        .add_block(service("hecate-proxy", "https"));
    if let Some((label, _)) = first_tcp_stream_port(model, &stream_ports) {
        group = group.add_block(service("hecate-stream", &label));
    }
    group = group.add_block(caddy_task(model));
    if streams {
        group = group.add_block(nginx_task(model, &stream_ports));
    }
    group.build()
}

fn first_tcp_stream_port(model: &Model, ports: &[(String, u16)]) -> Option<(String, u16)> {
    let s = model
        .streams
        .values()
        .find(|s| s.protocol != Protocol::Udp)?;
    ports.iter().find(|(_, p)| *p == s.listen.from).cloned()
}

fn service(name: &str, port: &str) -> Block {
    Block::builder("service")
        .add_attribute(("name", string(name)))
        .add_attribute(("port", string(port)))
        .add_block(
            Block::builder("check")
                .add_attribute(("type", string("tcp")))
                .add_attribute(("interval", string("15s")))
                .add_attribute(("timeout", string("5s")))
                .build(),
        )
        .build()
}

fn mount(volume: &str, destination: &str, read_only: bool) -> Block {
    Block::builder("volume_mount")
        .add_attribute(("volume", string(volume)))
        .add_attribute(("destination", string(destination)))
        .add_attribute(("read_only", read_only))
        .build()
}

fn resources(cpu: u64, memory: u64) -> Block {
    Block::builder("resources")
        .add_attribute(("cpu", cpu))
        .add_attribute(("memory", memory))
        .build()
}

fn caddy_task(model: &Model) -> Block {
    // The check refuses a spec with plugins and no image (E0332).
    let image = model.project.edge.caddy_image.clone().unwrap_or_else(|| {
        crate::sema::model::EdgeSettings::stock_caddy_image(model.project.edge.caddy_minor)
    });
    Block::builder("task")
        .add_label("caddy")
        .add_attribute(("driver", string("docker")))
        .add_block(
            Block::builder("config")
                .add_attribute(("image", string(&image)))
                .add_attribute(("network_mode", string("host")))
                .add_attribute(("command", string("caddy")))
                .add_attribute((
                    "args",
                    strings(&[
                        "run".to_string(),
                        "--config".to_string(),
                        "/etc/eosc/caddy/caddy.json".to_string(),
                    ]),
                ))
                .build(),
        )
        .add_block(
            // The official image keeps certificates under $XDG_DATA_HOME;
            // a project `storage` root must be below it (sema, E0353).
            Block::builder("env")
                .add_attribute(("XDG_DATA_HOME", string(DATA_MOUNT)))
                .build(),
        )
        .add_block(mount(CADDY_CONFIG_VOLUME, CADDY_CONFIG_MOUNT, true))
        .add_block(mount(CADDY_DATA_VOLUME, DATA_MOUNT, false))
        .add_block(resources(500, 512))
        .build()
}

fn nginx_task(model: &Model, _ports: &[(String, u16)]) -> Block {
    Block::builder("task")
        .add_label("nginx")
        .add_attribute(("driver", string("docker")))
        .add_block(
            Block::builder("config")
                .add_attribute(("image", string(&model.project.edge.nginx_image)))
                .add_attribute(("network_mode", string("host")))
                .add_attribute(("command", string("nginx")))
                .add_attribute((
                    "args",
                    strings(&[
                        "-c".to_string(),
                        "/etc/eosc/nginx/nginx.conf".to_string(),
                        "-g".to_string(),
                        "daemon off;".to_string(),
                    ]),
                ))
                .build(),
        )
        .add_block(mount(NGINX_CONFIG_VOLUME, "/etc/eosc/nginx", true))
        .add_block(resources(250, 256))
        .build()
}
