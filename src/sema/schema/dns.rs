//! `dns "zone" { record "name" { … } }`: zones (BIND files, Terraform).

use super::*;

/// The record types eosc writes.
pub const RECORD_TYPES: &[&str] = &["A", "AAAA", "CNAME", "MX", "TXT", "CAA", "NS", "SRV"];

pub const EXISTING: Attr = attr(
    "existing",
    Ty::Bool,
    Dflt::Bool(false),
    "the zone already exists at Hetzner (read, not created)",
);
pub const TTL: Attr = attr(
    "ttl",
    Ty::Int {
        min: 60,
        max: 86400 * 7,
        unit: "",
    },
    Dflt::Int(3600),
    "default TTL in seconds",
);

pub const RECORD_TYPE: Attr = attr("type", Ty::Choice(RECORD_TYPES), Dflt::Req("\"A\""), "");
pub const RECORD_VALUE: Attr = attr(
    "value",
    Ty::RecordValue,
    Dflt::Req("\"192.0.2.1\""),
    "A: IPv4; AAAA: IPv6; CNAME, NS: an absolute host name with its final dot (`\"example.com.\"`); MX: `\"PRIORITY HOST.\"`; TXT: ≤ 2048 bytes, unquoted; others non-empty; no control characters ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);
pub const RECORD_TTL: Attr = attr(
    "ttl",
    Ty::Int {
        min: 60,
        max: 86400 * 7,
        unit: "",
    },
    Dflt::Said("the zone's"),
    "",
);

pub static RECORD: Schema = Schema {
    kind: "record",
    what: "a record",
    label: Label::One(StrClass::RecordName),
    attrs: &[RECORD_TYPE, RECORD_VALUE, RECORD_TTL],
    inherits: None,
    blocks: &[],
};

pub static DNS: Schema = Schema {
    kind: "dns",
    what: "a dns zone",
    label: Label::One(StrClass::Hostname),
    attrs: &[EXISTING, TTL],
    inherits: None,
    blocks: &[&RECORD],
};
