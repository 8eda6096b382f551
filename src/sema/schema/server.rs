//! `server "name" { … }`: Hetzner servers (Terraform).

use super::*;

pub const TYPE: Attr = attr(
    "type",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"cx22\""),
    "Hetzner server type (`\"cx22\"`)",
);
pub const LOCATION: Attr = attr(
    "location",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"nbg1\""),
    "Hetzner location (`\"nbg1\"`)",
);
pub const IMAGE: Attr = attr(
    "image",
    Ty::Str(StrClass::ProviderId),
    Dflt::Req("\"ubuntu-24.04\""),
    "OS image (`\"ubuntu-24.04\"`)",
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
    "values become strings",
);

pub static SERVER: Schema = Schema {
    kind: "server",
    what: "a server",
    label: Label::One(StrClass::Name),
    attrs: &[TYPE, LOCATION, IMAGE, COUNT, FIREWALL, LABELS],
    inherits: None,
    blocks: &[],
};
