//! A proxying route's Caddy `reverse_proxy` options (rows of `route`):
//! fallback targets, load balancing, passive and active health, and the
//! headers set on the way to the backend and back. Caddy's own names
//! (`lb_policy`, `fail_duration`, …), as its Caddyfile spells them.

use super::*;

pub const FALLBACK: Attr = attr(
    "fallback",
    Ty::List(&Ty::Target),
    Dflt::Empty,
    "targets tried in order when `to` fails (`lb_policy` is then `first`); each as `to` takes them; TLS and plain HTTP targets cannot mix ([E0352](errors.md#e0352-proxy-options-that-do-not-fit-together)); with an `app` among them, Caddy 2.11 ([E0330](errors.md#e0330-feature-needs-a-newer-caddy))",
);
/// Caddy's `http.reverse_proxy.selection_policies.*` modules that both
/// Caddy 2.6 and 2.11 have (`caddy list-modules`), less those that need a
/// secret (`cookie`'s HMAC) or per-upstream weights.
pub const LB_POLICIES: &[&str] = &[
    "random",
    "round_robin",
    "least_conn",
    "first",
    "ip_hash",
    "uri_hash",
    "header",
    "random_choose",
];
pub const LB_POLICY: Attr = attr(
    "lb_policy",
    Ty::Choice(LB_POLICIES),
    Dflt::Said("`random` (Caddy's); `first` with `fallback`"),
    "how Caddy picks a backend; `header` hashes the header `lb_field` names",
);
pub const LB_FIELD: Attr = attr(
    "lb_field",
    Ty::Str(StrClass::HeaderName),
    Dflt::None,
    "the request header `lb_policy = \"header\"` hashes; only with it ([E0352](errors.md#e0352-proxy-options-that-do-not-fit-together))",
);
pub const LB_TRY_DURATION: Attr = attr(
    "lb_try_duration",
    Ty::Duration,
    Dflt::Said("none (one try); `5s` with `fallback`"),
    "how long Caddy keeps trying other backends for one request; at most 1m",
);
pub const LB_TRY_INTERVAL: Attr = attr(
    "lb_try_interval",
    Ty::Duration,
    Dflt::Said("`250ms` (Caddy's)"),
    "the wait between two tries; below `lb_try_duration`",
);
pub const LB_RETRIES: Attr = attr(
    "lb_retries",
    Ty::Int {
        min: 1,
        max: 100,
        unit: "",
    },
    Dflt::None,
    "how many more backends to try for one request",
);
pub const FAIL_DURATION: Attr = attr(
    "fail_duration",
    Ty::Duration,
    Dflt::Said("none (passive checks off); `10s` with `fallback`"),
    "passive health: how long a failed request counts against a backend; 1s..=1h",
);
pub const MAX_FAILS: Attr = attr(
    "max_fails",
    Ty::Int {
        min: 1,
        max: 1000,
        unit: "",
    },
    Dflt::Said("1 (Caddy's)"),
    "failures within `fail_duration` that mark a backend down; needs `fail_duration`",
);
pub const UNHEALTHY_STATUS: Attr = attr(
    "unhealthy_status",
    Ty::List(&Ty::Int {
        min: 100,
        max: 599,
        unit: "",
    }),
    Dflt::Empty,
    "answer statuses that count as failures; needs `fail_duration`",
);
pub const UNHEALTHY_LATENCY: Attr = attr(
    "unhealthy_latency",
    Ty::Duration,
    Dflt::None,
    "an answer slower than this counts as a failure; needs `fail_duration`",
);

pub const HEADER_SET: Attr = attr(
    "set",
    Ty::Map {
        key: StrClass::HeaderName,
        value: &Ty::Str(StrClass::HeaderTemplate),
    },
    Dflt::Empty,
    "headers to set (replacing what is there); values may use request placeholders (`{remote_host}`, `{host}`, `{header.X-Foo}`; others [E0350](errors.md#e0350-placeholder-not-allowed-in-a-header))",
);
pub const HEADER_ADD: Attr = attr(
    "add",
    Ty::Map {
        key: StrClass::HeaderName,
        value: &Ty::Str(StrClass::HeaderTemplate),
    },
    Dflt::Empty,
    "headers to add beside those there; placeholders as `set`",
);
pub const HEADER_DELETE: Attr = attr(
    "delete",
    Ty::List(&Ty::Str(StrClass::HeaderName)),
    Dflt::Empty,
    "header names to remove",
);

pub static HEADER_UP: Schema = Schema {
    kind: "header_up",
    what: "the headers sent to the backend",
    label: Label::None,
    attrs: &[HEADER_SET, HEADER_ADD, HEADER_DELETE],
    inherits: None,
    blocks: &[],
};
pub static HEADER_DOWN: Schema = Schema {
    kind: "header_down",
    what: "the headers of the backend's answer",
    label: Label::None,
    attrs: &[HEADER_SET, HEADER_ADD, HEADER_DELETE],
    inherits: None,
    blocks: &[],
};

/// The route's own active check, as an `upstream`'s `health` block.
pub static HEALTH: Schema = Schema {
    kind: "health",
    what: "a route's active health check",
    label: Label::None,
    attrs: &[
        super::upstream::HEALTH_PATH,
        super::upstream::HEALTH_INTERVAL,
        super::upstream::HEALTH_TIMEOUT,
    ],
    inherits: None,
    blocks: &[],
};
