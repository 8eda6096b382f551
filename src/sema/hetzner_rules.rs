//! Hetzner Cloud values of a `server` block (E0303) that the hcloud API
//! refuses at `terraform apply`: locations (the API's location names, not
//! network zones or AWS regions), server type names (lower case, a family
//! prefix and a number; retired types named with their successor) and image
//! names (Hetzner's `ubuntu-24.04` form, not a Docker reference).

use super::eval::Cx;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// The hcloud API's location names (GET /locations).
const LOCATIONS: &[&str] = &["fsn1", "nbg1", "hel1", "ash", "hil", "sin"];
/// The hcloud API's network zones: a level above locations.
const NETWORK_ZONES: &[&str] = &["eu-central", "us-east", "us-west", "ap-southeast"];
/// Server type families of the hcloud API (shared Intel, shared AMD,
/// Arm, dedicated vCPU).
const FAMILIES: &[&str] = &["cx", "cpx", "cax", "ccx"];
/// Retired types and the type Hetzner names as their replacement.
const RETIRED: &[(&str, &str)] = &[
    ("cx11", "cx22"),
    ("cx21", "cx22"),
    ("cx31", "cx32"),
    ("cx41", "cx42"),
    ("cx51", "cx52"),
];

fn bad(cx: &mut Cx<'_>, span: Span, msg: String, help: String) {
    cx.err(
        Diagnostic::error("E0303", span, msg)
            .label("the hcloud API refuses this")
            .help(help),
    );
}

pub fn location(cx: &mut Cx<'_>, value: &str, span: Span) {
    if LOCATIONS.contains(&value) {
        return;
    }
    let known = LOCATIONS.join(", ");
    let help = if NETWORK_ZONES.contains(&value) {
        format!("`{value}` is a Hetzner network zone, not a location; use one of its locations ({known})")
    } else if let Some(l) = LOCATIONS
        .iter()
        .find(|l| l.starts_with(value) && !value.is_empty())
    {
        format!("did you mean `{l}`? Hetzner locations are {known}")
    } else {
        format!("Hetzner locations are {known} (an AWS-style region is not one)")
    };
    bad(
        cx,
        span,
        format!("`{value}` is not a Hetzner location"),
        help,
    );
}

pub fn server_type(cx: &mut Cx<'_>, value: &str, span: Span) {
    let lower = value.to_ascii_lowercase();
    if lower != value {
        bad(
            cx,
            span,
            format!("server type `{value}` is not lower case"),
            format!("Hetzner server type names are lower case: write `{lower}`"),
        );
        return;
    }
    if let Some((_, new)) = RETIRED.iter().find(|(old, _)| *old == value) {
        bad(
            cx,
            span,
            format!("server type `{value}` is retired at Hetzner"),
            format!("use its successor `{new}`"),
        );
        return;
    }
    let family = value.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &value[family.len()..];
    if !FAMILIES.contains(&family) || digits.len() != 2 {
        bad(
            cx,
            span,
            format!("`{value}` is not a Hetzner server type"),
            "Hetzner server types are a family (cx, cpx, cax, ccx) and a number, e.g. `cx22`, `cpx31`, `cax11`".into(),
        );
    }
}

pub fn image(cx: &mut Cx<'_>, value: &str, span: Span) {
    if let Some((name, tag)) = value.split_once(':') {
        bad(
            cx,
            span,
            format!("server image `{value}` is a Docker reference"),
            format!("Hetzner images are named with a dash: write `{name}-{tag}`"),
        );
    }
}
