//! `stream "name" { … }`: a layer-4 proxy nginx runs on the proxy's nodes.

use super::*;

pub const PROTOCOL: Attr = attr(
    "protocol",
    Ty::Choice(&["tcp", "udp", "both"]),
    Dflt::Str("tcp"),
    "`\"both\"` listens on TCP and UDP; others [E0306](errors.md#e0306-value-not-among-the-allowed-choices)",
);
pub const LISTEN: Attr = attr(
    "listen",
    Ty::PortOrRange,
    Dflt::Req("1515"),
    "1..=65535; a range `\"FROM-TO\"` of at most 1000 ports ([E0303](errors.md#e0303-value-out-of-range-or-malformed)); clashes are [E0410](errors.md#e0410-port-clash-on-the-proxys-nodes)",
);
pub const TARGET: Attr = attr(
    "target",
    Ty::Any,
    Dflt::Req("[\"10.0.0.5:1515\"]"),
    "list of `\"host:port\"`, `upstream.<name>`, `app.<name>` or `app.<name>.port.<port>`: an upstream's `targets` are the backends (its TLS settings do not apply: the bytes pass through); an app port must be one `static` port, dialled as `<service>.service.consul:<static>` ([E0315](errors.md#e0315-ambiguous-or-missing-port)); with a port range, exactly one address without a port: port N goes to N there ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);
pub const PROXY_PROTOCOL: Attr = attr(
    "proxy_protocol",
    Ty::Bool,
    Dflt::Bool(false),
    "send the PROXY protocol header to the target (TCP only)",
);
pub const CONNECT_TIMEOUT: Attr = attr(
    "connect_timeout",
    Ty::Duration,
    Dflt::Said("nginx's 60s"),
    "TCP only",
);
pub const TIMEOUT: Attr = attr(
    "timeout",
    Ty::Duration,
    Dflt::Said("nginx's 10m"),
    "idle time before the session is closed",
);
pub const ALLOW: Attr = attr(
    "allow",
    Ty::List(&Ty::Str(StrClass::Cidr)),
    Dflt::Empty,
    "only these clients (then `deny all`); everyone when empty",
);
pub const DENY: Attr = attr(
    "deny",
    Ty::List(&Ty::Str(StrClass::Cidr)),
    Dflt::Empty,
    "refused first",
);

pub static STREAM: Schema = Schema {
    kind: "stream",
    what: "a stream",
    label: Label::One(StrClass::Name),
    attrs: &[
        PROTOCOL,
        LISTEN,
        TARGET,
        PROXY_PROTOCOL,
        CONNECT_TIMEOUT,
        TIMEOUT,
        ALLOW,
        DENY,
    ],
    inherits: None,
    blocks: &[],
};
