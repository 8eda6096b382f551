//! What the Hetzner Cloud API refuses about a `server`, found at check time
//! instead of at `terraform apply`: its type, location, image, labels and
//! name. The rules follow the API's documented vocabulary (server types
//! are lower-case `<line><size>` names, locations a closed set, images
//! `<os>-<version>` names, labels the Kubernetes label syntax, server names
//! RFC 1123 host names), not a copy of today's price list, so a new server
//! size Hetzner adds tomorrow is accepted.

use super::eval::Cx;
use crate::diagnostics::{suggestion_help, Code, Diagnostic};
use crate::source::Span;

/// Hetzner's locations (`hcloud location list`): Falkenstein, Nuremberg,
/// Helsinki, Ashburn, Hillsboro, Singapore.
pub const LOCATIONS: &[&str] = &["fsn1", "nbg1", "hel1", "ash", "hil", "sin"];

/// Locations in the EU, the only ones that offer the shared Intel (`cx`)
/// and Arm (`cax`) lines.
const EU_LOCATIONS: &[&str] = &["fsn1", "nbg1", "hel1"];

/// Server-type lines: shared Intel, shared AMD, shared Arm, dedicated.
const LINES: &[&str] = &["cx", "cpx", "cax", "ccx"];

/// The first generation of the CX line, retired by Hetzner in 2024.
const RETIRED_TYPES: &[&str] = &["cx11", "cx21", "cx31", "cx41", "cx51"];

/// Images Hetzner no longer offers (their distributions' support ended).
const RETIRED_IMAGES: &[&str] = &[
    "ubuntu-16.04",
    "ubuntu-18.04",
    "debian-9",
    "debian-10",
    "centos-7",
    "centos-8",
    "fedora-35",
    "fedora-36",
];

/// Network zones, which users write where a location belongs.
const NETWORK_ZONES: &[&str] = &["eu-central", "us-east", "us-west", "ap-southeast"];

pub struct Problem {
    pub code: Code,
    pub message: String,
    pub label: &'static str,
    pub help: String,
}

fn problem(code: Code, message: String, label: &'static str, help: String) -> Option<Problem> {
    Some(Problem {
        code,
        message,
        label,
        help,
    })
}

/// A server type the API would not find.
pub fn type_problem(t: &str) -> Option<Problem> {
    let lower = t.to_ascii_lowercase();
    let line_of = |s: &str| {
        let line = s.trim_end_matches(|c: char| c.is_ascii_digit());
        let size = &s[line.len()..];
        (LINES.contains(&line) && (2..=3).contains(&size.len())).then_some(line.to_string())
    };
    if line_of(&lower).is_none() {
        return problem(
            Code::E0303,
            format!("`{}` is not a Hetzner Cloud server type", t.escape_debug()),
            "unknown server type",
            "Hetzner types are a line and a size: `cx23` (shared Intel), `cpx21` (shared AMD), `cax11` (Arm), `ccx13` (dedicated); `hcloud server-type list` shows them all".into(),
        );
    }
    if lower != t {
        return problem(
            Code::E0303,
            format!("server type `{}` is not lower case", t.escape_debug()),
            "the API knows only lower-case names",
            format!("write `type = \"{lower}\"`"),
        );
    }
    if RETIRED_TYPES.contains(&t) {
        return problem(
            Code::E0303,
            format!("server type `{t}` is retired"),
            "Hetzner no longer creates it",
            "the first CX generation is gone; its successors are `cx22`/`cx23` and up (`hcloud server-type list`)".into(),
        );
    }
    None
}

/// A location the API would not find.
pub fn location_problem(l: &str) -> Option<Problem> {
    if LOCATIONS.contains(&l) {
        return None;
    }
    let lower = l.to_ascii_lowercase();
    let help = if LOCATIONS.contains(&lower.as_str()) {
        format!("write `location = \"{lower}\"`")
    } else if NETWORK_ZONES.contains(&lower.as_str()) {
        format!(
            "`{lower}` is a network zone, not a location; its locations are {}",
            match lower.as_str() {
                "eu-central" => "`fsn1`, `nbg1` and `hel1`",
                "us-east" => "`ash`",
                "us-west" => "`hil`",
                _ => "`sin`",
            }
        )
    } else if let Some(l) = LOCATIONS
        .iter()
        .find(|x| x.starts_with(lower.as_str()) && !lower.is_empty())
    {
        format!("Hetzner locations carry their number: `{l}`")
    } else {
        suggestion_help(&lower, LOCATIONS, "location")
    };
    problem(
        Code::E0306,
        format!("`{}` is not a Hetzner Cloud location", l.escape_debug()),
        "unknown location",
        help,
    )
}

/// A line of server types that a location does not offer.
pub fn type_location_problem(t: &str, l: &str) -> Option<Problem> {
    let line = t.trim_end_matches(|c: char| c.is_ascii_digit());
    if matches!(line, "cx" | "cax") && LOCATIONS.contains(&l) && !EU_LOCATIONS.contains(&l) {
        return problem(
            Code::E0303,
            format!("server type `{t}` is not offered in `{l}`"),
            "EU-only server line",
            format!("the `{line}` line runs only in fsn1, nbg1 and hel1; in `{l}` use the `cpx` or `ccx` line (e.g. `cpx21`)"),
        );
    }
    None
}

/// An image name the API would not find.
pub fn image_problem(img: &str) -> Option<Problem> {
    // A snapshot or backup is named by its numeric ID.
    if !img.is_empty() && img.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if img.contains(':') || img.contains('/') {
        return problem(
            Code::E0303,
            format!("`{}` is a container image, not a server image", img.escape_debug()),
            "a Docker reference",
            "a server boots a Hetzner OS image such as `ubuntu-24.04` or `debian-12` (or a snapshot ID); container images belong in an `app`".into(),
        );
    }
    let ok = img.rsplit_once('-').is_some_and(|(os, ver)| {
        !os.is_empty()
            && os
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !ver.is_empty()
            && ver.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    });
    if !ok {
        return problem(
            Code::E0303,
            format!("`{}` is not a Hetzner Cloud image name", img.escape_debug()),
            "unknown image",
            "images are `<os>-<version>` in lower case: `ubuntu-24.04`, `debian-12` (`hcloud image list --type system`)".into(),
        );
    }
    if RETIRED_IMAGES.contains(&img) {
        return problem(
            Code::E0303,
            format!("image `{img}` is no longer offered"),
            "end of life",
            "its distribution is out of support and Hetzner removed it; use a current release such as `ubuntu-24.04` or `debian-12`".into(),
        );
    }
    None
}

/// A label key or value the API refuses (the Kubernetes label syntax:
/// an optional DNS-name prefix and `/`, then at most 63 of
/// `[A-Za-z0-9_.-]`, starting and ending alphanumeric; a value likewise,
/// or empty).
pub fn label_problem(key: &str, value: &str) -> Option<(bool, Problem)> {
    fn name_ok(s: &str) -> bool {
        s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && s.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
    }
    let name = key.rsplit_once('/').map_or(key, |(_, n)| n);
    let prefix_ok = key.rsplit_once('/').is_none_or(|(p, _)| {
        !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|l| {
                !l.is_empty()
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
    });
    if !name_ok(name) || !prefix_ok {
        return Some((
            true,
            Problem {
                code: Code::E0303,
                message: format!("label key `{}` is not a valid Hetzner label key", key.escape_debug()),
                label: "invalid label key",
                help: "label keys are at most 63 letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit, optionally after a `prefix.example.com/`".into(),
            },
        ));
    }
    if !value.is_empty() && !name_ok(value) {
        return Some((
            false,
            Problem {
                code: Code::E0303,
                // The value itself is not printed: a label may be misused for a secret.
                message: format!("the value of label `{key}` is not a valid Hetzner label value"),
                label: "invalid label value",
                help: "label values are empty or at most 63 letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit (no spaces): `web-tier`".into(),
            },
        ));
    }
    None
}

/// A server name that cannot be a host name: Terraform names the servers
/// `<name>-<n>`, which the API requires to be an RFC 1123 host name.
pub fn name_problem(name: &str) -> Option<Problem> {
    if name.contains('_') || name.chars().any(|c| c.is_ascii_uppercase()) {
        let fixed = name.replace('_', "-").to_ascii_lowercase();
        return problem(
            Code::E0317,
            format!("server name `{name}` is not a host name"),
            "`_` or upper case",
            format!("servers are named `{name}-1`, … and Hetzner requires host names (letters, digits, `-`): call it `{fixed}`"),
        );
    }
    None
}

pub fn report(cx: &mut Cx<'_>, span: Span, p: Problem) {
    cx.err(
        Diagnostic::error(p.code, span, p.message)
            .label(p.label)
            .help(p.help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        for ok in ["cx22", "cx23", "cpx11", "cax41", "ccx63"] {
            assert!(type_problem(ok).is_none(), "{ok}");
        }
        for bad in ["CX22", "t3.medium", "cx21", "cx", "large"] {
            assert!(type_problem(bad).is_some(), "{bad}");
        }
        assert!(type_location_problem("cx22", "ash").is_some());
        assert!(type_location_problem("cpx21", "ash").is_none());
        assert!(type_location_problem("cax11", "nbg1").is_none());
    }

    #[test]
    fn locations_images_labels_names() {
        assert!(location_problem("fsn1").is_none());
        for bad in ["fsn", "eu-central", "eu-central-1", "FSN1"] {
            assert!(location_problem(bad).is_some(), "{bad}");
        }
        for ok in ["ubuntu-24.04", "debian-12", "rocky-9", "123456"] {
            assert!(image_problem(ok).is_none(), "{ok}");
        }
        for bad in ["ubuntu:22.04", "ubuntu-18.04", "Ubuntu 24.04", "latest"] {
            assert!(image_problem(bad).is_some(), "{bad}");
        }
        assert!(label_problem("role", "hecate-proxy").is_none());
        assert!(label_problem("example.com/tier", "").is_none());
        assert!(label_problem("role", "web tier").is_some_and(|(k, _)| !k));
        assert!(label_problem("my key", "x").is_some_and(|(k, _)| k));
        assert!(name_problem("edge_nodes").is_some());
        assert!(name_problem("edge").is_none());
    }
}
