//! `stream "name" { … }`: a layer-4 proxy nginx runs on the proxy's nodes.

use super::*;

pub const PROTOCOL: Attr = attr(
    "protocol",
    Ty::Choice(&["tcp", "udp", "both"]),
    Dflt::Str("tcp"),
    "`\"both\"` listens on TCP and UDP",
);
pub const LISTEN: Attr = attr(
    "listen",
    Ty::PortOrRange,
    Dflt::Req("1515"),
    "a port, or a `\"FROM-TO\"` range; clashes with Caddy's ports, other streams and static app ports on the proxy's nodes are [E0410](errors.md#e0410-port-clash-on-the-proxys-nodes)",
);
pub const TARGET: Attr = attr(
    "target",
    Ty::Any,
    Dflt::Req("[\"10.0.0.5:1515\"]"),
    "a list of `host:port`, `upstream.<name>`, or `app.<name>.port.<port>` (a static port, dialled through Consul DNS); over a range, one address without a port",
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
    "client CIDRs let in; with `allow` set, every other client is denied",
);
pub const DENY: Attr = attr(
    "deny",
    Ty::List(&Ty::Str(StrClass::Cidr)),
    Dflt::Empty,
    "client CIDRs refused",
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
