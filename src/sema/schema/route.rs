//! `route "host" { … }`: a Caddy route.

use super::*;

pub const TO: Attr = attr(
    "to",
    Ty::Target,
    Dflt::None,
    "proxy; `app.<name>` needs exactly one port ([E0315](errors.md#e0315-ambiguous-or-missing-port))",
);
pub const PATH: Attr = attr(
    "path",
    Ty::Str(StrClass::PathPattern),
    Dflt::Said("none (whole host)"),
    "a Caddy path pattern: starts with `/`, no whitespace (`\"/api/*\"`)",
);
pub const REDIRECT: Attr = attr(
    "redirect",
    Ty::Str(StrClass::Url),
    Dflt::None,
    "URL or path, non-empty, no whitespace or control characters (e.g. `\"https://example.com{uri}\"`)",
);
pub const STATUS: Attr = attr(
    "status",
    Ty::Int {
        min: 300,
        max: 308,
        unit: "",
    },
    Dflt::Int(302),
    "with `redirect`",
);
pub const RESPOND: Attr = attr(
    "respond",
    Ty::Int {
        min: 100,
        max: 599,
        unit: "",
    },
    Dflt::None,
    "answer directly",
);
pub const BODY: Attr = attr(
    "body",
    Ty::Str(StrClass::PlaceholderFree),
    Dflt::None,
    "with `respond`",
);
pub const MIDDLEWARE: Attr = attr(
    "middleware",
    Ty::List(&Ty::Ref(&["middleware"])),
    Dflt::Empty,
    "`use` chains are expanded, used ones first, each once",
);
pub const AUTH: Attr = attr("auth", Ty::Ref(&["auth"]), Dflt::None, "forward auth");
pub const DNS: Attr = attr(
    "dns",
    Ty::Choice(&["external"]),
    Dflt::None,
    "the host lives outside this spec's zones",
);

pub const LOG_FILE: Attr = attr(
    "file",
    Ty::Str(StrClass::FilePath),
    Dflt::Said("Caddy's default log"),
    "an absolute path ([E0312](errors.md#e0312-unsafe-or-malformed-string))",
);
pub const LOG_LEVEL: Attr = attr(
    "level",
    Ty::Choice(&["DEBUG", "INFO", "WARN", "ERROR"]),
    Dflt::Str("INFO"),
    "",
);

pub static LOG: Schema = Schema {
    kind: "log",
    what: "a log",
    label: Label::None,
    attrs: &[LOG_FILE, LOG_LEVEL],
    inherits: None,
    blocks: &[],
};

pub const VERIFY_PATH: Attr = attr(
    "path",
    Ty::Str(StrClass::UrlPath),
    Dflt::Said("the route's path up to its first `*`, else `/`"),
    "the path the deployment's verify step GETs through Caddy",
);
pub const VERIFY_STATUS: Attr = attr(
    "status",
    Ty::Int {
        min: 100,
        max: 599,
        unit: "",
    },
    Dflt::Said(
        "200; 302 behind `auth` (Authentik's login redirect); a `redirect`'s or `respond`'s own",
    ),
    "the exact status the answer must have",
);
pub const VERIFY_BODY: Attr = attr(
    "body_contains",
    Ty::Str(StrClass::FreeText),
    Dflt::None,
    "text the answer's body must contain (compared byte for byte)",
);
pub const VERIFY_HEADERS: Attr = attr(
    "headers",
    Ty::Map {
        key: StrClass::HeaderName,
        value: &Ty::Str(StrClass::HeaderValue),
    },
    Dflt::Empty,
    "headers the answer must carry, each value containing the text given (`{ \"Content-Type\" = \"text/html\" }`)",
);

pub static VERIFY: Schema = Schema {
    kind: "verify",
    what: "a verify check",
    label: Label::None,
    attrs: &[VERIFY_PATH, VERIFY_STATUS, VERIFY_BODY, VERIFY_HEADERS],
    inherits: None,
    blocks: &[],
};

pub static ROUTE: Schema = Schema {
    kind: "route",
    what: "a route",
    label: Label::One(StrClass::Hostname),
    attrs: &[
        TO,
        PATH,
        REDIRECT,
        STATUS,
        RESPOND,
        BODY,
        MIDDLEWARE,
        AUTH,
        DNS,
        super::proxy::FALLBACK,
        super::proxy::LB_POLICY,
        super::proxy::LB_FIELD,
        super::proxy::LB_TRY_DURATION,
        super::proxy::LB_TRY_INTERVAL,
        super::proxy::LB_RETRIES,
        super::proxy::FAIL_DURATION,
        super::proxy::MAX_FAILS,
        super::proxy::UNHEALTHY_STATUS,
        super::proxy::UNHEALTHY_LATENCY,
    ],
    inherits: None,
    blocks: &[
        &LOG,
        &VERIFY,
        &super::proxy::HEADER_UP,
        &super::proxy::HEADER_DOWN,
        &super::proxy::HEALTH,
    ],
};
