//! The Terraform module `terraform/`: providers and variables, Hetzner
//! servers and firewalls, and Authentik forward auth. `dns.tf` (zones) is
//! written by the DNS emitter into the same module; main.tf declares the
//! hcloud provider it needs. Terraform registers no Nomad job: Salt runs
//! them wave by wave (one owner per resource, docs/architecture.md).

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

/// Every file of the module; a file that would declare nothing is left out.
pub fn emit(model: &Model) -> Vec<Artifact> {
    let files: [(&str, Body); 6] = [
        ("main.tf", main_tf::body(model)),
        ("variables.tf", variables::body(model)),
        ("servers.tf", servers::body(model)),
        ("firewalls.tf", firewalls::body(model)),
        ("auth.tf", auth::body(model)),
        ("outputs.tf", outputs::body(model)),
    ];
    files
        .into_iter()
        .filter(|(_, body)| body.iter().next().is_some())
        .map(|(name, body)| {
            Artifact::new(
                format!("terraform/{name}"),
                hcl_out::render(&header(model, "#"), &body),
            )
        })
        .collect()
}

/// Which providers the module uses: hcloud for servers, firewalls and DNS
/// zones, authentik for auth.
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
