//! `firewall "name" { rule "…" { … } }`: Hetzner firewalls.

use super::*;

pub const PROTOCOL: Attr = attr(
    "protocol",
    Ty::Choice(&["tcp", "udp", "icmp"]),
    Dflt::Req("\"tcp\""),
    "[E0306](errors.md#e0306-value-not-among-the-allowed-choices)",
);
pub const PORT: Attr = attr(
    "port",
    Ty::PortOrRange,
    Dflt::None,
    "*req* for tcp and udp; [E0303](errors.md#e0303-value-out-of-range-or-malformed)",
);
pub const FROM: Attr = attr(
    "from",
    Ty::List(&Ty::Str(StrClass::Cidr)),
    Dflt::Req("[\"0.0.0.0/0\", \"::/0\"]"),
    "IPv4 `/0..32` or IPv6 `/0..128` ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);

pub static RULE: Schema = Schema {
    kind: "rule",
    what: "a firewall rule",
    label: Label::One(StrClass::FreeText),
    attrs: &[PROTOCOL, PORT, FROM],
    inherits: None,
    blocks: &[],
};

pub static FIREWALL: Schema = Schema {
    kind: "firewall",
    what: "a firewall",
    label: Label::One(StrClass::Name),
    attrs: &[],
    inherits: None,
    blocks: &[&RULE],
};
