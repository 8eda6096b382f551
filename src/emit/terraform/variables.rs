//! variables.tf: credentials (sensitive, never defaulted) and addresses
//! (defaulted where the spec knows them).

use super::{hcl_out::string, type_keyword, Providers};
use crate::sema::model::{Model, RouteAction, Target};
use hcl::expr::FuncCall;
use hcl::{Block, Body, Expression};

pub fn body(model: &Model) -> Body {
    let p = Providers::of(model);
    let mut b = Body::builder();
    if p.hcloud {
        b = b.add_block(secret("hcloud_token", "Hetzner Cloud API token."));
    }
    if !model.servers.is_empty() {
        let list = Expression::FuncCall(Box::new(
            FuncCall::builder("list")
                .arg(type_keyword("string"))
                .build(),
        ));
        b = b.add_block(
            variable(
                "nomad_servers",
                "Addresses of the cluster's Nomad and Consul servers (host or host:port) that new Nomad and Consul clients join.",
                list,
            )
            .add_attribute(("default", Expression::Array(vec![])))
            .build(),
        )
        .add_block(
            variable(
                "salt_master",
                "Address of the Salt master new minions connect to.",
                type_keyword("string"),
            )
            .add_attribute(("default", string("salt")))
            .build(),
        );
    }
    b.build()
}

/// The auth root's variables: Authentik's URL (the outpost's route) and
/// its API token.
pub fn auth_body(model: &Model) -> Body {
    let mut b = Body::builder();
    let mut url = variable(
        "authentik_url",
        "Authentik base URL.",
        type_keyword("string"),
    );
    if let Some(host) = authentik_host(model) {
        url = url.add_attribute(("default", string(&format!("https://{host}"))));
    }
    b = b.add_block(url.build()).add_block(secret(
        "authentik_token",
        "Authentik API token (AUTHENTIK_BOOTSTRAP_TOKEN on a first install).",
    ));
    b.build()
}

fn variable(name: &str, description: &str, ty: Expression) -> hcl::BlockBuilder {
    Block::builder("variable")
        .add_label(name)
        .add_attribute(("description", string(description)))
        .add_attribute(("type", ty))
}

fn secret(name: &str, description: &str) -> Block {
    variable(name, description, type_keyword("string"))
        .add_attribute(("sensitive", true))
        .add_attribute(("nullable", false))
        .build()
}

/// The host of the first route that serves the Authentik outpost of some
/// auth (path-less routes first, as the model sorts them).
fn authentik_host(model: &Model) -> Option<&str> {
    let outposts: Vec<&Target> = model.auths.values().map(|a| &a.outpost).collect();
    let same_app = |t: &Target| {
        outposts.iter().any(|o| match (o, t) {
            (Target::App { app: a, .. }, Target::App { app: b, .. }) => a == b,
            (o, t) => *o == t,
        })
    };
    model
        .routes
        .iter()
        .filter(|r| r.path.is_none())
        .find(|r| matches!(&r.action, RouteAction::Proxy(t) if same_app(t)))
        .map(|r| r.host.as_str())
}
