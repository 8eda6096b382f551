//! `upstream "name" { … }`: a backend Caddy dials that Nomad does not run.

use super::*;

pub const TARGETS: Attr = attr(
    "targets",
    Ty::List(&Ty::Str(StrClass::HostPort)),
    Dflt::Req("[\"10.0.0.5:8080\"]"),
    "`host:port`; host an IPv4 address, `[IPv6]` or a host name, port 1..=65535 ([E0303](errors.md#e0303-value-out-of-range-or-malformed))",
);
pub const TLS: Attr = attr("tls", Ty::Bool, Dflt::Bool(false), "dial with TLS");
pub const TLS_SKIP_VERIFY: Attr = attr(
    "tls_skip_verify",
    Ty::Bool,
    Dflt::Bool(false),
    "implies `tls`; [W0501](errors.md#w0501-tls-verification-skipped)",
);

pub const HEALTH_PATH: Attr = attr(
    "path",
    Ty::Str(StrClass::UrlPath),
    Dflt::Str("/"),
    "Caddy active health check",
);
pub const HEALTH_INTERVAL: Attr = attr("interval", Ty::Duration, Dflt::Dur(30_000), "");
pub const HEALTH_TIMEOUT: Attr = attr("timeout", Ty::Duration, Dflt::Dur(5_000), "");

pub static HEALTH: Schema = Schema {
    kind: "health",
    what: "an upstream health check",
    label: Label::None,
    attrs: &[HEALTH_PATH, HEALTH_INTERVAL, HEALTH_TIMEOUT],
    inherits: None,
    blocks: &[],
};

pub static UPSTREAM: Schema = Schema {
    kind: "upstream",
    what: "an upstream",
    label: Label::One(StrClass::Name),
    attrs: &[TARGETS, TLS, TLS_SKIP_VERIFY],
    inherits: None,
    blocks: &[&HEALTH],
};
