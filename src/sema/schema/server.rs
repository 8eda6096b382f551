//! `server "name" { … }`: Hetzner servers (Terraform).

use super::*;

pub const TYPE: Attr = attr(
    "type",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"cx22\""),
    "Hetzner server type, a lower-case line and size: `cx`, `cpx`, `cax`, `ccx` (`\"cx22\"`); the retired `cx11`…`cx51` and other providers' names are [E0303](errors.md#e0303-value-out-of-range-or-malformed); `cx`/`cax` only in `fsn1`, `nbg1`, `hel1`",
);
pub const LOCATION: Attr = attr(
    "location",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"nbg1\""),
    "Hetzner location: `fsn1`, `nbg1`, `hel1`, `ash`, `hil`, `sin` (a network zone such as `eu-central` is [E0306](errors.md#e0306-value-not-among-the-allowed-choices))",
);
pub const IMAGE: Attr = attr(
    "image",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"ubuntu-24.04\""),
    "Hetzner OS image `<os>-<version>` (`\"ubuntu-24.04\"`, `\"debian-12\"`) or a snapshot ID; a Docker reference or a retired release is [E0303](errors.md#e0303-value-out-of-range-or-malformed)",
);
pub const COUNT: Attr = attr(
    "count",
    Ty::Int {
        min: 0,
        max: 100,
        unit: "",
    },
    Dflt::Int(1),
    "",
);
pub const FIREWALL: Attr = attr(
    "firewall",
    Ty::List(&Ty::Ref(&["firewall"])),
    Dflt::Empty,
    "",
);
pub const LABELS: Attr = attr(
    "labels",
    Ty::Map {
        key: StrClass::ProviderId,
        value: &Ty::Scalar(StrClass::ProviderId),
    },
    Dflt::Empty,
    "values become strings; keys and values follow Hetzner's label syntax (≤ 63 of letters, digits, `-_.`, alphanumeric at both ends; a key may have a `prefix/`)",
);

pub static SERVER: Schema = Schema {
    kind: "server",
    what: "a server",
    label: Label::One(StrClass::Name),
    attrs: &[TYPE, LOCATION, IMAGE, COUNT, FIREWALL, LABELS],
    inherits: None,
    blocks: &[],
};
