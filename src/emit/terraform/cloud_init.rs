//! The cloud-init user data of a server: Docker, the Consul agent (joined
//! to the cluster, DNS on 8600, systemd-resolved forwarding `.consul` to it
//! so the host resolves service names, and its stub listening on the
//! Docker bridge's gateway too so containers do), the Salt minion with the
//! `roles` grain the generated top files target, and Nomad, joined as a
//! client of the server's node class with the host volumes its apps (and on
//! proxy nodes, the proxy job) mount.
//!
//! Servers whose role is the controller's (`roles:hecate-controller`, or
//! `project.salt_targets.controller`) form the cluster's control plane:
//! their Consul and Nomad agents are servers, `bootstrap_expect` the number
//! of such instances; every other server runs both as clients.
//!
//! Written by hand, not serialized: every scalar that carries spec text is
//! a JSON string (a valid YAML double-quoted scalar), the agent configs sit
//! in literal block scalars whose lines we indent ourselves, and their
//! strings are JSON strings too (valid HCL). The Terraform interpolations
//! (the join addresses, the Salt master) are spliced in after the text has
//! been escaped for the heredoc.

use super::hcl_out;
use crate::emit::names;
use crate::sema::model::{Model, Server, Volume};
use hcl::Expression;
use std::fmt::Write;

const HASHICORP_KEYRING: &str = "/usr/share/keyrings/hashicorp-archive-keyring.gpg";
/// Where the join address list goes (Nomad and Consul servers run on the
/// same cluster nodes: one list, `var.nomad_servers`).
pub const JOIN: &str = "\u{0}JOIN\u{0}";
/// Where the Salt master's address goes (`var.salt_master`).
pub const SALT_MASTER: &str = "\u{0}SALT_MASTER\u{0}";

pub fn user_data(model: &Model, server: &Server) -> Expression {
    let text = text(model, server);
    let mut body = String::new();
    for (i, part) in text.split(JOIN).enumerate() {
        if i > 0 {
            body.push_str("${jsonencode(var.nomad_servers)}");
        }
        for (j, piece) in part.split(SALT_MASTER).enumerate() {
            if j > 0 {
                body.push_str("${jsonencode(var.salt_master)}");
            }
            body.push_str(&hcl_out::heredoc_body(piece));
        }
    }
    hcl_out::heredoc("EOT", &body)
}

/// The Salt `roles` grain of a server: its `labels.role`, which is what the
/// top files' `roles:<role>` targets match.
pub fn roles(server: &Server) -> Vec<String> {
    server.labels.get("role").cloned().into_iter().collect()
}

/// The role (a `labels.role` value) whose servers run the Consul and Nomad
/// servers: the Salt controller's grain (`roles:hecate-controller` →
/// `hecate-controller`).
pub fn cluster_role(model: &Model) -> String {
    let target = model
        .project
        .salt_targets
        .get("controller")
        .cloned()
        .unwrap_or_else(|| "roles:hecate-controller".into());
    match target.split_once(':') {
        Some((_, role)) => role.to_string(),
        None => target,
    }
}

/// Whether `server`'s instances are Consul and Nomad servers.
pub fn is_cluster_server(model: &Model, server: &Server) -> bool {
    server
        .labels
        .get("role")
        .is_some_and(|r| *r == cluster_role(model))
}

/// How many server instances the spec provisions: Consul's and Nomad's
/// `bootstrap_expect` (0 when the cluster's servers live outside the spec).
pub fn bootstrap_expect(model: &Model) -> u32 {
    model
        .servers
        .values()
        .filter(|s| is_cluster_server(model, s))
        .map(|s| s.count)
        .sum()
}

/// The user data, with [`JOIN`] and [`SALT_MASTER`] where the Terraform
/// values go.
pub fn text(model: &Model, server: &Server) -> String {
    let volumes = host_volumes(model, server);
    let datacenter = model
        .project
        .datacenters
        .first()
        .map_or("dc1", String::as_str);
    let mut out = String::from("#cloud-config\npackage_update: true\npackages:\n");
    for p in ["docker.io", "curl", "gnupg", "lsb-release"] {
        let _ = writeln!(out, "  - {}", json(p));
    }
    // 1. Nomad agent (kept first: tests and operators look for it there).
    out.push_str("write_files:\n  - path: \"/etc/nomad.d/nomad.hcl\"\n    permissions: \"0640\"\n    content: |\n");
    let cluster_server = is_cluster_server(model, server);
    let expect = bootstrap_expect(model);
    let mut agent = vec![
        format!("datacenter = {}", hcl(datacenter)),
        format!("region     = {}", hcl(&model.project.region)),
        "data_dir   = \"/opt/nomad/data\"".to_string(),
    ];
    if cluster_server {
        // A control-plane node: a Nomad server (Raft waits for all of
        // them), still a client so apps placed on its node class run.
        agent.extend([
            "server {".to_string(),
            "  enabled          = true".to_string(),
            format!("  bootstrap_expect = {expect}"),
            "  server_join {".to_string(),
            format!("    retry_join = {JOIN}"),
            "  }".to_string(),
            "}".to_string(),
        ]);
    }
    agent.extend([
        "client {".to_string(),
        "  enabled    = true".to_string(),
        format!("  node_class = {}", hcl(&server.node_class)),
        "  server_join {".to_string(),
        format!("    retry_join = {JOIN}"),
        "  }".to_string(),
    ]);
    for (name, path, read_only) in &volumes {
        agent.push(format!("  host_volume {} {{", hcl(name)));
        agent.push(format!("    path      = {}", hcl(path)));
        agent.push(format!("    read_only = {read_only}"));
        agent.push("  }".to_string());
    }
    agent.push("}".to_string());
    if let Some(vault) = &model.project.vault {
        // Tasks get Vault tokens through workload identity (Nomad 1.7+).
        agent.push(format!(
            "vault {{\n  enabled = true\n  address = {}\n}}",
            hcl(vault)
        ));
    }
    block_lines(&mut out, &agent.join("\n"));
    // 2. Consul agent: a server on the control plane, a client elsewhere,
    // joined to the cluster, DNS on 8600 (its default), the API on
    // loopback only.
    out.push_str(
        "  - path: \"/etc/consul.d/consul.hcl\"\n    permissions: \"0640\"\n    content: |\n",
    );
    let mut consul = vec![
        format!("datacenter  = {}", hcl(datacenter)),
        "data_dir    = \"/opt/consul\"".to_string(),
        format!("server      = {cluster_server}"),
    ];
    if cluster_server {
        consul.push(format!("bootstrap_expect = {expect}"));
    }
    consul.extend([
        "client_addr = \"127.0.0.1\"".to_string(),
        "bind_addr   = \"{{ GetPrivateInterfaces | attr \\\"address\\\" }}\"".to_string(),
        format!("retry_join  = {JOIN}"),
        "ports {".to_string(),
        "  dns = 8600".to_string(),
        "}".to_string(),
    ]);
    block_lines(&mut out, &consul.join("\n"));
    // 3. systemd-resolved sends `.consul` to the agent (Ubuntu's resolver;
    // DNS= with a port needs systemd 246+, Ubuntu 22.04 has 249).
    out.push_str("  - path: \"/etc/systemd/resolved.conf.d/consul.conf\"\n    permissions: \"0644\"\n    content: |\n");
    // The extra stub on the Docker bridge's gateway answers containers
    // (systemd 247+; it binds with IP_FREEBIND, so before docker0 exists).
    block_lines(
        &mut out,
        &format!(
            "[Resolve]\nDNS=127.0.0.1:8600\nDNSSEC=false\nDomains=~consul\nDNSStubListenerExtra={}",
            names::CONTAINER_DNS
        ),
    );
    // Docker's bridge pinned to that address, its containers pointed at it
    // (written before the packages are installed, so dockerd starts with it).
    out.push_str(
        "  - path: \"/etc/docker/daemon.json\"\n    permissions: \"0644\"\n    content: |\n",
    );
    let daemon = serde_json::json!({
        "bip": names::DOCKER_BRIDGE_CIDR,
        "dns": [names::CONTAINER_DNS],
    });
    block_lines(
        &mut out,
        &serde_json::to_string_pretty(&daemon).expect("a JSON value serializes"),
    );
    // 4. Salt minion: its master and the grains the top files target.
    out.push_str(
        "  - path: \"/etc/salt/minion.d/eosc.conf\"\n    permissions: \"0644\"\n    content: |\n",
    );
    let mut minion = vec![format!("master: {SALT_MASTER}"), "grains:".to_string()];
    let roles = roles(server);
    if roles.is_empty() {
        minion.push("  roles: []".to_string());
    } else {
        minion.push("  roles:".to_string());
        for r in &roles {
            minion.push(format!("    - {}", json(r)));
        }
    }
    minion.push(format!("  hecate_server: {}", json(&server.name)));
    minion.push(format!("  hecate_environment: {}", json(&model.env.name)));
    block_lines(&mut out, &minion.join("\n"));

    out.push_str("runcmd:\n");
    // Only the directories eosc chose; a volume's own `host_path` (a
    // runtime socket) exists on the node, and a directory made in its
    // place would shadow it.
    let given: Vec<&String> = model
        .apps
        .values()
        .flat_map(|a| a.volumes.iter().filter_map(|v| v.host_path.as_ref()))
        .collect();
    let mut cmds: Vec<String> = volumes
        .iter()
        .filter(|(_, path, _)| !given.contains(&path))
        .map(|(_, path, _)| format!("mkdir -p {}", shell_quote(path)))
        .collect();
    cmds.extend([
        format!("curl -fsSL https://apt.releases.hashicorp.com/gpg | gpg --dearmor -o {HASHICORP_KEYRING}"),
        format!(
            "echo \"deb [signed-by={HASHICORP_KEYRING}] https://apt.releases.hashicorp.com $(lsb_release -cs) main\" > /etc/apt/sources.list.d/hashicorp.list"
        ),
        "apt-get update".to_string(),
        // Keep the configs written above over the packages' own (which
        // would make every node a server).
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Options::=--force-confold nomad consul salt-minion".to_string(),
        "systemctl restart systemd-resolved".to_string(),
        "systemctl enable --now docker consul nomad".to_string(),
        "systemctl restart salt-minion".to_string(),
    ]);
    for c in cmds {
        let _ = writeln!(out, "  - {}", json(&c));
    }
    out
}

/// A literal block scalar's lines, indented under `content: |`.
fn block_lines(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "      {line}");
    }
}

/// Host volumes the server's clients must offer as (name, path,
/// read_only): those of apps placed on this node class or anywhere, and on
/// proxy servers the proxy job's. Sorted, deduplicated.
fn host_volumes(model: &Model, server: &Server) -> Vec<(String, String, bool)> {
    let mut v: Vec<&Volume> = model
        .apps
        .values()
        .filter(|a| a.runs_on.as_ref().is_none_or(|s| *s == server.name))
        .flat_map(|a| a.volumes.iter())
        .collect();
    v.sort_by(|a, b| (&a.host, a.read_only).cmp(&(&b.host, b.read_only)));
    // One host_volume per name; writable wins over read-only.
    v.dedup_by(|later, first| later.host == first.host);
    let mut out: Vec<(String, String, bool)> = v
        .into_iter()
        .map(|v| {
            let path = v.host_path.clone().unwrap_or_else(|| volume_dir(&v.host));
            (v.host.clone(), path, v.read_only)
        })
        .collect();
    if model.proxy_servers.contains(&server.name) && crate::emit::names::proxy_wanted(model) {
        out.extend(crate::emit::names::host_volumes(model));
    }
    out
}

fn volume_dir(host: &str) -> String {
    format!("/opt/nomad/volumes/{host}")
}

/// A JSON string, which is a YAML double-quoted scalar and an HCL string
/// alike; the characters YAML takes for line breaks (U+0085, U+2028,
/// U+2029) are escaped, or a value holding one would end its line of the
/// cloud-config (or of an agent config's literal block).
fn json(s: &str) -> String {
    let mut out = serde_json::to_string(s).expect("serializing a str cannot fail");
    for (c, esc) in [
        ('\u{85}', "\\u0085"),
        ('\u{2028}', "\\u2028"),
        ('\u{2029}', "\\u2029"),
    ] {
        if out.contains(c) {
            out = out.replace(c, esc);
        }
    }
    out
}

/// A string of an agent config (Nomad's and Consul's are HCL 1, which
/// keeps `${…}` in a string as text but ends the string only where the
/// braces balance): `$` and `%` before `{` are written as `\u0024` and
/// `\u0025`, which HCL 1 and HCL 2 both read back as the character and
/// neither takes for the start of an interpolation or directive.
fn hcl(s: &str) -> String {
    json(s).replace("${", "\\u0024{").replace("%{", "\\u0025{")
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
