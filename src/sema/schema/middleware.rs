//! `middleware "name" { … }`: Caddy handlers shared by routes.

use super::*;

pub const USE: Attr = attr(
    "use",
    Ty::List(&Ty::Ref(&["middleware"])),
    Dflt::Empty,
    "applied before this one; cycles are [E0401](errors.md#e0401-cycle)",
);
pub const ENCODE: Attr = attr(
    "encode",
    Ty::List(&Ty::Choice(&["gzip", "zstd"])),
    Dflt::Empty,
    "in preference order ([E0306](errors.md#e0306-value-not-among-the-allowed-choices))",
);
pub const HEADERS: Attr = attr(
    "headers",
    Ty::Map {
        key: StrClass::HeaderName,
        value: &Ty::Scalar(StrClass::HeaderValue),
    },
    Dflt::Empty,
    "response headers to set; names are HTTP tokens, values without control characters except tab ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);
pub const RATE_EVENTS: Attr = attr(
    "events",
    Ty::Int {
        min: 1,
        max: 1_000_000,
        unit: "",
    },
    Dflt::Req("100"),
    "",
);
pub const RATE_WINDOW: Attr = attr("window", Ty::Duration, Dflt::Req("1m"), "");
pub const RATE_KEY: Attr = attr(
    "key",
    Ty::Str(StrClass::HeaderTemplate),
    Dflt::Str("{remote_host}"),
    "what one limiter counts: request placeholders only ([E0350](errors.md#e0350-placeholder-not-allowed-in-a-header))",
);
pub const RATE_LIMIT: Attr = attr(
    "rate_limit",
    Ty::Fields(&[RATE_EVENTS, RATE_WINDOW, RATE_KEY]),
    Dflt::None,
    "needs `\"rate_limit\"` in `project.caddy_plugins` ([E0316](errors.md#e0316-feature-needs-a-caddy-plugin)); `events` 1..=1000000 per `window`, counted per `key` (`{remote_host}`: per client address); other keys [E0202](errors.md#e0202-unknown-attribute)",
);

/// `log { … }` in a middleware: an access log for every route using it
/// that has no `log` block of its own (a Caddyfile snippet's `log`).
pub static LOG: Schema = Schema {
    kind: "log",
    what: "a middleware's access log",
    label: Label::None,
    attrs: &[super::route::LOG_FILE, super::route::LOG_LEVEL],
    inherits: None,
    blocks: &[],
};

pub const RULE_HEADERS: Attr = attr(
    "headers",
    Ty::List(&Ty::Str(StrClass::HeaderName)),
    Dflt::Empty,
    "request header names whose presence matches",
);
pub const RULE_PATHS: Attr = attr(
    "paths",
    Ty::List(&Ty::Str(StrClass::PathPattern)),
    Dflt::Empty,
    "Caddy path patterns (`/wp-admin/*`)",
);
pub const RULE_PATH_REGEXP: Attr = attr(
    "path_regexp",
    Ty::Str(StrClass::Regexp),
    Dflt::None,
    "RE2 regexp on the path ([E0320](errors.md#e0320-invalid-regular-expression))",
);
pub const RULE_QUERY: Attr = attr(
    "query",
    Ty::List(&Ty::Str(StrClass::QueryParam)),
    Dflt::Empty,
    "query parameter names whose presence matches",
);
pub const RULE_USER_AGENTS: Attr = attr(
    "user_agents",
    Ty::List(&Ty::Str(StrClass::HeaderValue)),
    Dflt::Empty,
    "exact User-Agent values",
);
pub const RULE_USER_AGENT_REGEXP: Attr = attr(
    "user_agent_regexp",
    Ty::Str(StrClass::Regexp),
    Dflt::None,
    "RE2 regexp on User-Agent",
);
pub const RULE_RESPOND: Attr = attr(
    "respond",
    Ty::Int {
        min: 100,
        max: 599,
        unit: "",
    },
    Dflt::Int(403),
    "status to answer with",
);
pub const RULE_ABORT: Attr = attr(
    "abort",
    Ty::Bool,
    Dflt::Bool(false),
    "close the connection without a response",
);

pub const RULE_MATCH: Attr = attr(
    "match",
    Ty::Choice(&["any", "all"]),
    Dflt::Str("any"),
    "`\"any\"`: the rule blocks when one condition matches; `\"all\"`: only when every one does (a Caddyfile's named matcher; `eosc import` writes it)",
);

pub static BLOCK: Schema = Schema {
    kind: "block",
    what: "a blocking rule",
    label: Label::One(StrClass::FreeText),
    attrs: &[
        RULE_HEADERS,
        RULE_PATHS,
        RULE_PATH_REGEXP,
        RULE_QUERY,
        RULE_USER_AGENTS,
        RULE_USER_AGENT_REGEXP,
        RULE_RESPOND,
        RULE_ABORT,
        RULE_MATCH,
    ],
    inherits: None,
    blocks: &[],
};

pub const REFUSAL_HEADERS: Attr = attr(
    "refusal_headers",
    Ty::Bool,
    Dflt::Bool(false),
    "when any middleware of a route's chain sets it, the chain's `headers` and `encode` also apply to the answers of its blocking rules (a Caddyfile runs `header` and `encode` before `respond`; `eosc import` sets it)",
);

pub static MIDDLEWARE: Schema = Schema {
    kind: "middleware",
    what: "a middleware",
    label: Label::One(StrClass::Name),
    attrs: &[USE, ENCODE, HEADERS, RATE_LIMIT, REFUSAL_HEADERS],
    inherits: None,
    blocks: &[&BLOCK, &LOG],
};
