//! outputs.tf: the addresses of every server instance.

use super::{hcl_out::string, tf_name};
use crate::sema::model::Model;
use hcl::expr::{Traversal, Variable};
use hcl::{Block, Body, Expression};

pub fn body(model: &Model) -> Body {
    let mut b = Body::builder();
    for server in model.servers.values() {
        for (suffix, attr, what) in [
            ("ipv4", "ipv4_address", "IPv4"),
            ("ipv6", "ipv6_address", "IPv6"),
        ] {
            let value = Traversal::builder(Variable::sanitized("hcloud_server"))
                .attr(tf_name(&server.name))
                .full_splat()
                .attr(attr)
                .build();
            b = b.add_block(
                Block::builder("output")
                    .add_label(format!("{}_{suffix}", tf_name(&server.name)))
                    .add_attribute((
                        "description",
                        string(&format!(
                            "Public {what} addresses of the {} servers.",
                            server.name
                        )),
                    ))
                    .add_attribute(("value", Expression::Traversal(Box::new(value))))
                    .build(),
            );
        }
    }
    b.build()
}
