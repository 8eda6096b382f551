//! The zone in RFC 1035 master-file format.
//!
//! The SOA serial is always 1: the file is for review and for Hetzner's
//! zone import, and Hetzner's DNS numbers the serial itself (its provider
//! stores it as 0). Records whose address only Terraform knows (a server's
//! IP) are written as comments naming the Terraform expression.

use super::rrsets::{rrsets, txt_quoted};
use super::terraform::server_ip_expr;
use crate::emit::header;
use crate::sema::model::{Model, RecordValue, Zone};
use std::fmt::Write;

/// Hetzner's name servers, for a project that configured none.
const HETZNER_NS: [&str; 3] = [
    "hydrogen.ns.hetzner.com.",
    "oxygen.ns.hetzner.com.",
    "helium.ns.hetzner.de.",
];

/// SOA timers (refresh, retry, expire, negative TTL): Hetzner's defaults.
const SOA_TIMERS: [(u32, &str); 4] = [
    (86400, "refresh"),
    (10800, "retry"),
    (3600000, "expire"),
    (3600, "negative-cache TTL"),
];

pub fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

pub fn zone_file(model: &Model, zone: &Zone) -> String {
    let nameservers: Vec<String> = if model.project.nameservers.is_empty() {
        HETZNER_NS.iter().map(|s| s.to_string()).collect()
    } else {
        model.project.nameservers.iter().map(|n| fqdn(n)).collect()
    };
    let origin = fqdn(&zone.name);
    let sets = rrsets(zone);
    let width = sets
        .iter()
        .map(|s| s.name.len())
        .chain(std::iter::once(1))
        .max()
        .unwrap_or(1);

    let mut out = header(model, ";");
    let _ = writeln!(out, "$ORIGIN {origin}");
    let _ = writeln!(out, "$TTL {}", zone.ttl);
    let _ = writeln!(
        out,
        "{:width$} IN SOA {} hostmaster.{origin} (",
        "@", nameservers[0]
    );
    let _ = writeln!(out, "{:width$}        1 ; serial", "");
    for (v, what) in SOA_TIMERS {
        let _ = writeln!(out, "{:width$}        {v} ; {what}", "");
    }
    let _ = writeln!(out, "{:width$}        )", "");
    for ns in &nameservers {
        let _ = writeln!(out, "{:width$} IN NS {ns}", "@");
    }
    for set in &sets {
        let ttl = set.ttl.map(|t| format!(" {t}")).unwrap_or_default();
        let rtype = set.rtype.to_ascii_uppercase();
        for value in &set.values {
            match value {
                RecordValue::Literal(v) => {
                    let rdata = if rtype == "TXT" {
                        txt_quoted(v)
                    } else {
                        v.clone()
                    };
                    let _ = writeln!(out, "{:width$}{ttl} IN {rtype} {rdata}", set.name);
                }
                RecordValue::ServerIp { server, v6 } => {
                    let _ = writeln!(
                        out,
                        ";{:width$}{ttl} IN {rtype} <{}> (set by Terraform, terraform/dns.tf)",
                        set.name,
                        server_ip_expr(server, *v6)
                    );
                }
            }
        }
    }
    out
}
