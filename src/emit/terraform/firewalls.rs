//! firewalls.tf: one `hcloud_firewall` per firewall block; servers attach
//! them through `firewall_ids`.

use super::{cloud_name, hcl_out::string, tf_name};
use crate::sema::model::Model;
use hcl::{Block, Body, Expression};

pub fn body(model: &Model) -> Body {
    let mut b = Body::builder();
    for fw in model.firewalls.values() {
        let mut r = Block::builder("resource")
            .add_label("hcloud_firewall")
            .add_label(tf_name(&fw.name))
            .add_attribute(("name", string(&cloud_name(model, &fw.name))));
        for rule in &fw.rules {
            let mut rb = Block::builder("rule")
                .add_attribute(("description", string(&rule.name)))
                .add_attribute(("direction", string("in")))
                .add_attribute(("protocol", string(&rule.protocol)));
            if let Some(p) = rule.port {
                let port = if p.from == p.to {
                    p.from.to_string()
                } else {
                    format!("{}-{}", p.from, p.to)
                };
                rb = rb.add_attribute(("port", string(&port)));
            }
            let ips = rule.from.iter().map(|s| string(s)).collect();
            rb = rb.add_attribute(("source_ips", Expression::Array(ips)));
            r = r.add_block(rb.build());
        }
        b = b.add_block(r.build());
    }
    if let Some(fw) = streams(model) {
        b = b.add_block(fw);
    }
    b.build()
}

/// The Terraform name of the firewall that opens the stream ports.
pub const STREAMS: &str = "eosc_streams";

/// What the streams need: their ports, per protocol, from their `allow`
/// CIDRs (everyone when empty; `deny` is nginx's to enforce, Hetzner
/// firewalls only allow). Attached to the proxy's servers.
fn streams(model: &Model) -> Option<Block> {
    if model.streams.is_empty() || model.proxy_servers.is_empty() {
        return None;
    }
    let mut r = Block::builder("resource")
        .add_label("hcloud_firewall")
        .add_label(STREAMS)
        .add_attribute(("name", string(&cloud_name(model, "streams"))));
    for s in model.streams.values() {
        for proto in s.protocol.each() {
            let from: Vec<String> = if s.allow.is_empty() {
                vec!["0.0.0.0/0".into(), "::/0".into()]
            } else {
                s.allow.clone()
            };
            r = r.add_block(
                Block::builder("rule")
                    .add_attribute(("description", string(&format!("stream {}", s.name))))
                    .add_attribute(("direction", string("in")))
                    .add_attribute(("protocol", string(proto)))
                    .add_attribute(("port", string(&s.listen.text())))
                    .add_attribute((
                        "source_ips",
                        Expression::Array(from.iter().map(|c| string(c)).collect()),
                    ))
                    .build(),
            );
        }
    }
    Some(r.build())
}
