//! Two Terraform roots, each with its own state. `terraform/` (infra):
//! providers and variables, Hetzner servers and firewalls; `dns.tf` (zones)
//! is written by the DNS emitter into it, and main.tf declares the hcloud
//! provider it needs. `terraform-auth/`: Authentik's forward-auth objects,
//! applied only once Authentik and Caddy run (Authentik's API is what the
//! provider talks to, so on a first install it cannot be planned with the
//! servers). Terraform registers no Nomad job: Salt runs them wave by wave
//! (one owner per resource, docs/architecture.md).

mod auth;
mod cloud_init;
mod firewalls;
mod main_tf;
mod outputs;
mod servers;
mod variables;

use super::hcl_out;
use super::{header, Artifact};
use crate::sema::model::Model;
use hcl::expr::{Traversal, Variable};
use hcl::{Body, Expression};

/// The infra root's directory in an environment's tree.
pub const INFRA_DIR: &str = "terraform";
/// The Authentik root's directory.
pub const AUTH_DIR: &str = "terraform-auth";

/// Every file of both roots; a file that would declare nothing is left
/// out, and so is the auth root when no auth protects a route.
pub fn emit(model: &Model) -> Vec<Artifact> {
    let mut files: Vec<(&str, &str, Body)> = vec![
        (INFRA_DIR, "main.tf", main_tf::body(model)),
        (INFRA_DIR, "variables.tf", variables::body(model)),
        (INFRA_DIR, "servers.tf", servers::body(model)),
        (INFRA_DIR, "firewalls.tf", firewalls::body(model)),
        (INFRA_DIR, "outputs.tf", outputs::body(model)),
    ];
    if Providers::of(model).authentik {
        files.extend([
            (AUTH_DIR, "main.tf", main_tf::auth_body(model)),
            (AUTH_DIR, "variables.tf", variables::auth_body(model)),
            (AUTH_DIR, "auth.tf", auth::body(model)),
        ]);
    }
    files
        .into_iter()
        .filter(|(_, _, body)| body.iter().next().is_some())
        .map(|(dir, name, body)| {
            Artifact::new(
                format!("{dir}/{name}"),
                hcl_out::render(&header(model, "#"), &body),
            )
        })
        .collect()
}

/// Which providers the roots use: hcloud (infra) for servers, firewalls
/// and DNS zones, authentik (the auth root) for auth.
pub(crate) struct Providers {
    pub hcloud: bool,
    pub authentik: bool,
}

impl Providers {
    pub fn of(model: &Model) -> Self {
        Providers {
            hcloud: !(model.servers.is_empty()
                && model.firewalls.is_empty()
                && model.zones.is_empty()),
            authentik: !model.auths.is_empty(),
        }
    }
}

/// `a.b.c…` as an HCL traversal expression (names already identifiers).
pub(crate) fn reference(root: &str, attrs: &[&str]) -> Expression {
    let mut t = Traversal::builder(Variable::sanitized(root));
    for a in attrs {
        t = t.attr(*a);
    }
    Expression::Traversal(Box::new(t.build()))
}

/// `var.<name>`.
pub(crate) fn var(name: &str) -> Expression {
    reference("var", &[name])
}

/// A bare type keyword such as `string` or `bool`.
pub(crate) fn type_keyword(name: &str) -> Expression {
    Expression::Variable(Variable::sanitized(name))
}

/// The Terraform resource name for a model name.
pub(crate) fn tf_name(name: &str) -> String {
    hcl_out::identifier(name)
}

/// `<project>-<env>-<name>` ([`Model::cloud_name`]).
pub(crate) fn cloud_name(model: &Model, name: &str) -> String {
    model.cloud_name(name)
}
