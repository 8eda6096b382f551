//! auth.tf: Authentik forward auth for every host a route protects.
//!
//! Per (auth, host): a proxy provider in `forward_single` mode (one
//! application per host, so each auth keeps its own group policy), its
//! application, its attachment to the embedded outpost (the outpost Caddy's
//! forward_auth asks), and one policy binding per group of the auth.
//! Groups are shared by name across auths.

use super::{hcl_out::string, reference, tf_name};
use crate::emit::names::unique_id;
use crate::sema::model::Model;
use hcl::{Block, Body};
use std::collections::{BTreeMap, BTreeSet};

const AUTHORIZATION_FLOW: &str = "default-provider-authorization-implicit-consent";
const INVALIDATION_FLOW: &str = "default-provider-invalidation-flow";
const EMBEDDED_OUTPOST: &str = "authentik Embedded Outpost";

pub fn body(model: &Model) -> Body {
    let mut b = Body::builder();
    if model.auths.is_empty() {
        return b.build();
    }
    // Authentik runs as a Nomad job that Salt deploys after this apply
    // (Terraform owns no job); on a first install the provider cannot
    // reach it yet: see docs/architecture.md, "One owner per resource".
    let build = |blk: hcl::BlockBuilder| blk.build();
    for (name, slug) in [
        ("authorization", AUTHORIZATION_FLOW),
        ("invalidation", INVALIDATION_FLOW),
    ] {
        b = b.add_block(build(
            Block::builder("data")
                .add_label("authentik_flow")
                .add_label(name)
                .add_attribute(("slug", string(slug))),
        ));
    }
    b = b.add_block(build(
        Block::builder("data")
            .add_label("authentik_outpost")
            .add_label("embedded")
            .add_attribute(("name", string(EMBEDDED_OUTPOST))),
    ));

    let groups = unique_names(
        model
            .auths
            .values()
            .flat_map(|a| a.groups.iter())
            .map(String::as_str),
    );
    for (group, id) in &groups {
        b = b.add_block(build(
            Block::builder("resource")
                .add_label("authentik_group")
                .add_label(id.as_str())
                .add_attribute(("name", string(group))),
        ));
    }

    let protected = protected_hosts(model);
    let keys: Vec<String> = protected
        .iter()
        .map(|(auth, host)| format!("{auth}_{host}"))
        .collect();
    let ids = unique_names(keys.iter().map(String::as_str));
    for (auth_name, host) in &protected {
        let Some(auth) = model.auths.get(*auth_name) else {
            continue;
        };
        let Some(id) = ids.get(format!("{auth_name}_{host}").as_str()).cloned() else {
            continue;
        };
        let url = format!("https://{host}");
        b = b
            .add_block(
                Block::builder("resource")
                    .add_label("authentik_provider_proxy")
                    .add_label(id.as_str())
                    .add_attribute(("name", string(&format!("{}: {host}", auth.name))))
                    .add_attribute(("mode", string("forward_single")))
                    .add_attribute(("external_host", string(&url)))
                    .add_attribute((
                        "authorization_flow",
                        reference("data", &["authentik_flow", "authorization", "id"]),
                    ))
                    .add_attribute((
                        "invalidation_flow",
                        reference("data", &["authentik_flow", "invalidation", "id"]),
                    ))
                    .build(),
            )
            .add_block(
                Block::builder("resource")
                    .add_label("authentik_application")
                    .add_label(id.as_str())
                    .add_attribute(("name", string(host)))
                    .add_attribute(("slug", string(&slug(&id))))
                    .add_attribute((
                        "protocol_provider",
                        reference("authentik_provider_proxy", &[&id, "id"]),
                    ))
                    .add_attribute(("meta_launch_url", string(&url)))
                    .build(),
            )
            .add_block(
                Block::builder("resource")
                    .add_label("authentik_outpost_provider_attachment")
                    .add_label(id.as_str())
                    .add_attribute((
                        "outpost",
                        reference("data", &["authentik_outpost", "embedded", "id"]),
                    ))
                    .add_attribute((
                        "protocol_provider",
                        reference("authentik_provider_proxy", &[&id, "id"]),
                    ))
                    .build(),
            );
        for (order, group) in auth.groups.iter().enumerate() {
            let Some(group_id) = groups.get(group.as_str()) else {
                continue;
            };
            b = b.add_block(
                Block::builder("resource")
                    .add_label("authentik_policy_binding")
                    .add_label(format!("{id}_{group_id}"))
                    // Bindings target the application's policy-binding uuid,
                    // not its slug (the resource id).
                    .add_attribute(("target", reference("authentik_application", &[&id, "uuid"])))
                    .add_attribute(("group", reference("authentik_group", &[group_id, "id"])))
                    .add_attribute(("order", order as u64))
                    .build(),
            );
        }
    }
    b.build()
}

/// Every (auth, host) some route protects, sorted.
fn protected_hosts(model: &Model) -> BTreeSet<(&str, &str)> {
    model
        .routes
        .iter()
        .filter_map(|r| Some((r.auth.as_deref()?, r.host.as_str())))
        .collect()
}

/// Distinct Terraform names for distinct user names (in order of first
/// appearance, which is deterministic): sanitized, and suffixed on the rare
/// collision (`a.b` and `a_b`).
fn unique_names<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, String> {
    let mut out: BTreeMap<&str, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for name in names {
        if out.contains_key(name) {
            continue;
        }
        out.insert(name, unique_id(&mut taken, tf_name(name)));
    }
    out
}

/// An Authentik slug: lowercase letters, digits, `-`.
fn slug(id: &str) -> String {
    id.to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
