//! Firewall rules that open a cluster-internal service to the whole
//! internet (W0511). Nomad's and Consul's HTTP APIs run jobs and read
//! secrets for whoever reaches them when ACLs are off (their default), and
//! databases and Caddy's admin API were never meant to face the internet;
//! their clients are the cluster's own nodes.

use super::eval::Cx;
use super::model::Firewall;
use crate::diagnostics::{Code, Diagnostic};
use indexmap::IndexMap;

/// Internal services by port: the HashiCorp agents, databases, admin APIs.
const INTERNAL: &[(u16, &str)] = &[
    (2019, "Caddy's admin API"),
    (2375, "the Docker API"),
    (2376, "the Docker API"),
    (2379, "etcd"),
    (3306, "MySQL"),
    (4646, "Nomad's HTTP API"),
    (4647, "Nomad's RPC"),
    (4648, "Nomad's gossip"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (8200, "Vault"),
    (8300, "Consul's RPC"),
    (8301, "Consul's gossip"),
    (8302, "Consul's WAN gossip"),
    (8500, "Consul's HTTP API"),
    (8600, "Consul's DNS"),
    (9200, "Elasticsearch"),
    (27017, "MongoDB"),
];

fn whole_internet(cidr: &str) -> bool {
    matches!(cidr, "0.0.0.0/0" | "::/0")
}

pub fn check(cx: &mut Cx<'_>, firewalls: &IndexMap<String, Firewall>) {
    for (fw, f) in firewalls {
        let Some(block) = cx.syms.get("firewall", fw) else {
            continue;
        };
        for r in &f.rules {
            let (Some(range), true) = (r.port, r.from.iter().any(|c| whole_internet(c))) else {
                continue;
            };
            if r.protocol == "icmp" {
                continue;
            }
            // One finding per rule: the first internal service it opens.
            let Some((port, what)) = INTERNAL
                .iter()
                .find(|(p, _)| range.from <= *p && *p <= range.to)
            else {
                continue;
            };
            let span = block
                .body
                .blocks_of("rule")
                .find(|b| b.labels.first().is_some_and(|l| l.name == r.name))
                .map(|b| b.labels[0].span)
                .unwrap_or(block.head_span());
            cx.err(
                Diagnostic::warning(Code::W0511, span, format!("rule `{}` opens {what} (port {port}) to the whole internet", r.name))
                    .label("from 0.0.0.0/0 or ::/0")
                    .help("allow only the cluster's and the operators' networks (`from = [\"10.0.0.0/8\"]`); if it must be public, accept it on this line: `# eosc:allow W0511 -- <why>`"),
            );
        }
    }
}
