//! The cloud-init user data of a server: Docker and Nomad installed, the
//! node joined as a Nomad client of its node class with the host volumes
//! its apps mount.
//!
//! Written by hand, not serialized: every scalar that carries spec text is
//! a JSON string (a valid YAML double-quoted scalar), the Nomad agent
//! config sits in a literal block scalar whose lines we indent ourselves,
//! and its strings are JSON strings too (valid HCL). The one Terraform
//! interpolation (the join addresses) is spliced in after the text has been
//! escaped for the heredoc.

use super::hcl_out;
use crate::sema::model::{Model, Server, Volume};
use hcl::Expression;
use std::fmt::Write;

const HASHICORP_KEYRING: &str = "/usr/share/keyrings/hashicorp-archive-keyring.gpg";

pub fn user_data(model: &Model, server: &Server) -> Expression {
    let (before, after) = text(model, server);
    let body = format!(
        "{}${{jsonencode(var.nomad_servers)}}{}",
        hcl_out::heredoc_body(&before),
        hcl_out::heredoc_body(&after)
    );
    hcl_out::heredoc("EOT", &body)
}

/// The user data, split where the join address list goes.
pub fn text(model: &Model, server: &Server) -> (String, String) {
    let volumes = host_volumes(model, server);
    let mut head = String::from("#cloud-config\npackage_update: true\npackages:\n");
    for p in ["docker.io", "curl", "gnupg", "lsb-release"] {
        let _ = writeln!(head, "  - {}", json(p));
    }
    head.push_str("write_files:\n  - path: \"/etc/nomad.d/nomad.hcl\"\n    permissions: \"0640\"\n    content: |\n");
    let agent = [
        format!(
            "datacenter = {}",
            json(
                model
                    .project
                    .datacenters
                    .first()
                    .map_or("dc1", String::as_str)
            )
        ),
        format!("region     = {}", json(&model.project.region)),
        "data_dir   = \"/opt/nomad/data\"".to_string(),
        "client {".to_string(),
        "  enabled    = true".to_string(),
        format!("  node_class = {}", json(&server.node_class)),
        "  server_join {".to_string(),
    ];
    for line in &agent {
        let _ = writeln!(head, "      {line}");
    }
    head.push_str("          retry_join = ");

    let mut tail = String::from("\n        }\n");
    for v in &volumes {
        let _ = writeln!(tail, "        host_volume {} {{", json(&v.host));
        let _ = writeln!(tail, "          path      = {}", json(&volume_dir(&v.host)));
        let _ = writeln!(tail, "          read_only = {}", v.read_only);
        tail.push_str("        }\n");
    }
    tail.push_str("      }\n");
    if let Some(vault) = &model.project.vault {
        // Tasks get Vault tokens through workload identity (Nomad 1.7+).
        let _ = writeln!(
            tail,
            "      vault {{\n        enabled = true\n        address = {}\n      }}",
            json(vault)
        );
    }
    tail.push_str("runcmd:\n");
    let mut cmds: Vec<String> = volumes
        .iter()
        .map(|v| format!("mkdir -p {}", shell_quote(&volume_dir(&v.host))))
        .collect();
    cmds.extend([
        format!("curl -fsSL https://apt.releases.hashicorp.com/gpg | gpg --dearmor -o {HASHICORP_KEYRING}"),
        format!(
            "echo \"deb [signed-by={HASHICORP_KEYRING}] https://apt.releases.hashicorp.com $(lsb_release -cs) main\" > /etc/apt/sources.list.d/hashicorp.list"
        ),
        "apt-get update".to_string(),
        // Keep the config written above over the package's own (which
        // would make every node a server).
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Options::=--force-confold nomad".to_string(),
        "systemctl enable --now docker nomad".to_string(),
    ]);
    for c in cmds {
        let _ = writeln!(tail, "  - {}", json(&c));
    }
    (head, tail)
}

/// Host volumes the server's clients must offer: those of apps placed on
/// this node class, and of apps placed anywhere. Sorted, deduplicated.
fn host_volumes<'m>(model: &'m Model, server: &Server) -> Vec<&'m Volume> {
    let mut v: Vec<&Volume> = model
        .apps
        .values()
        .filter(|a| a.runs_on.as_ref().is_none_or(|s| *s == server.name))
        .flat_map(|a| a.volumes.iter())
        .collect();
    v.sort_by(|a, b| (&a.host, a.read_only).cmp(&(&b.host, b.read_only)));
    // One host_volume per name; writable wins over read-only.
    v.dedup_by(|later, first| later.host == first.host);
    v
}

fn volume_dir(host: &str) -> String {
    format!("/opt/nomad/volumes/{host}")
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("serializing a str cannot fail")
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
