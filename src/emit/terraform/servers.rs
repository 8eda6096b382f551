//! servers.tf: one `hcloud_server` per server block, its instances
//! joining Nomad as clients of the server's node class.

use super::{cloud_init, cloud_name, hcl_out, reference, tf_name};
use crate::sema::model::Model;
use hcl::{Block, Body, Expression, Object};

pub fn body(model: &Model) -> Body {
    let mut b = Body::builder();
    for server in model.servers.values() {
        let name = format!(
            "{}-${{count.index + 1}}",
            hcl_out::quote_body(&cloud_name(model, &server.name))
        );
        let mut r = Block::builder("resource")
            .add_label("hcloud_server")
            .add_label(tf_name(&server.name))
            .add_attribute(("count", u64::from(server.count)))
            .add_attribute(("name", hcl_out::template(name)))
            .add_attribute(("server_type", hcl_out::string(&server.server_type)))
            .add_attribute(("location", hcl_out::string(&server.location)))
            .add_attribute(("image", hcl_out::string(&server.image)));
        if !server.labels.is_empty() {
            let mut labels = Object::new();
            for (k, v) in &server.labels {
                labels.insert(hcl_out::object_key(k), hcl_out::string(v));
            }
            r = r.add_attribute(("labels", Expression::Object(labels)));
        }
        let streams_fw = !model.streams.is_empty() && model.proxy_servers.contains(&server.name);
        if !server.firewalls.is_empty() || streams_fw {
            let mut ids: Vec<Expression> = server
                .firewalls
                .iter()
                .map(|f| reference("hcloud_firewall", &[&tf_name(f), "id"]))
                .collect();
            if streams_fw {
                ids.push(reference(
                    "hcloud_firewall",
                    &[super::firewalls::STREAMS, "id"],
                ));
            }
            r = r.add_attribute(("firewall_ids", Expression::Array(ids)));
        }
        r = r
            .add_attribute(("user_data", cloud_init::user_data(model, server)))
            // cloud-init runs on first boot only; a changed template must
            // not replace (and wipe) a running server. Salt keeps the
            // Nomad client config current afterwards.
            .add_block(
                Block::builder("lifecycle")
                    .add_attribute((
                        "ignore_changes",
                        Expression::Array(vec![Expression::Variable(
                            hcl::expr::Variable::sanitized("user_data"),
                        )]),
                    ))
                    .build(),
            );
        b = b.add_block(r.build());
    }
    b.build()
}
