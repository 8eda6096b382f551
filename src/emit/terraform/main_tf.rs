//! main.tf of each root: the terraform block with pinned providers, the
//! root's own Consul state path, and the providers' configuration from
//! variables.

use super::{hcl_out::string, var, Providers};
use crate::sema::model::{Model, TerraformBackend};
use hcl::{Block, Body, Expression, Object};

/// Provider pins. hcloud 1.56 is the first release with the DNS API
/// (`hcloud_zone`, `hcloud_zone_rrset`) generally available; authentik
/// 2025.10 has `authentik_outpost_provider_attachment` and the required
/// `invalidation_flow`. No nomad provider: Salt runs the jobs.
const HCLOUD: (&str, &str) = ("hetznercloud/hcloud", "~> 1.56");
const AUTHENTIK: (&str, &str) = ("goauthentik/authentik", "~> 2025.10");

/// The infra root: hcloud.
pub fn body(model: &Model) -> Body {
    let p = Providers::of(model);
    let mut required = Block::builder("required_providers");
    let mut providers = Vec::new();
    if p.hcloud {
        required = required.add_attribute(("hcloud", pin(HCLOUD)));
        providers.push(
            Block::builder("provider")
                .add_label("hcloud")
                .add_attribute(("token", var("hcloud_token")))
                .build(),
        );
    }
    root(
        model,
        p.hcloud.then(|| required.build()),
        providers,
        "terraform",
    )
}

/// The auth root: authentik, applied after Authentik and Caddy are up.
pub fn auth_body(model: &Model) -> Body {
    let required = Block::builder("required_providers")
        .add_attribute(("authentik", pin(AUTHENTIK)))
        .build();
    let provider = Block::builder("provider")
        .add_label("authentik")
        .add_attribute(("url", var("authentik_url")))
        .add_attribute(("token", var("authentik_token")))
        .build();
    root(model, Some(required), vec![provider], "terraform-auth")
}

/// The terraform block (with its backend at `state`) and the providers.
fn root(model: &Model, required: Option<Block>, providers: Vec<Block>, state: &str) -> Body {
    let mut terraform =
        Block::builder("terraform").add_attribute(("required_version", string(">= 1.5.0")));
    if let Some(r) = required {
        terraform = terraform.add_block(r);
    }
    if model.project.terraform_backend == TerraformBackend::Consul {
        // One state per environment and root, so applying staging can never
        // touch production's resources; Consul locks it during an apply.
        terraform = terraform.add_block(
            Block::builder("backend")
                .add_label("consul")
                .add_attribute(("path", string(&model.terraform_state_path(state))))
                .add_attribute(("lock", true))
                .build(),
        );
    }
    Body::builder()
        .add_block(terraform.build())
        .add_blocks(providers)
        .build()
}

fn pin((source, version): (&str, &str)) -> Expression {
    let mut o = Object::new();
    o.insert("source".into(), string(source));
    o.insert("version".into(), string(version));
    Expression::Object(o)
}
