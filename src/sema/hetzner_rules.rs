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

/// Locations of the eu-central network zone: the only ones where Hetzner
/// offers the shared Intel `cx` types.
const EU_LOCATIONS: &[&str] = &["fsn1", "nbg1", "hel1"];

pub fn type_at_location(cx: &mut Cx<'_>, ty: &str, location: &str, span: Span) {
    let family = ty.trim_end_matches(|c: char| c.is_ascii_digit());
    if family == "cx" && LOCATIONS.contains(&location) && !EU_LOCATIONS.contains(&location) {
        bad(
            cx,
            span,
            format!("server type `{ty}` is not offered in `{location}`"),
            "Hetzner's cx types exist only in the EU locations (fsn1, nbg1, hel1); use a cpx type outside the EU".into(),
        );
    }
}

/// A Hetzner server name is a host name (RFC 1123 labels): letters,
/// digits and `-`, no `_`.
pub fn server_name(cx: &mut Cx<'_>, name: &str, span: Span) {
    let ok = name.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    });
    if !ok {
        bad(
            cx,
            span,
            format!("server name `{name}` is not a host name"),
            format!(
                "Hetzner server names are RFC 1123 host names (letters, digits, `-`): write `{}`",
                name.replace('_', "-")
            ),
        );
    }
}

/// Hetzner label syntax (the API's labels reference): a value is empty or
/// at most 63 characters of `[a-zA-Z0-9._-]` starting and ending with a
/// letter or digit. The value is never echoed: it may be a secret.
pub fn label_value(cx: &mut Cx<'_>, key: &str, value: &str, span: Span) {
    let ok = value.is_empty()
        || (value.len() <= 63
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if !ok {
        bad(
            cx,
            span,
            format!("the value of label `{key}` breaks Hetzner's label syntax"),
            "a Hetzner label value is at most 63 letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit (no spaces): write e.g. `hecate-proxy`".into(),
        );
    }
}
