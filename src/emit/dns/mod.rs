//! DNS: `dns/<zone>.zone` (BIND format, for review and Hetzner's zone
//! import) and `terraform/dns.tf` (hcloud zones and rrsets).

mod rrsets;
mod terraform;
mod zonefile;

use super::Artifact;
use crate::sema::model::Model;

pub use rrsets::{rrsets, RrSet};

/// Where the Terraform DNS resources go, relative to `out/<env>/`.
pub const TF_PATH: &str = "terraform/dns.tf";

/// One zone file per zone, and dns.tf when the spec has any zone.
pub fn emit(model: &Model) -> Vec<Artifact> {
    let mut out: Vec<Artifact> = model
        .zones
        .values()
        .map(|z| {
            Artifact::new(
                format!("dns/{}.zone", z.name),
                zonefile::zone_file(model, z),
            )
        })
        .collect();
    if !model.zones.is_empty() {
        out.push(Artifact::new(TF_PATH, terraform::dns_tf(model)));
    }
    out
}
