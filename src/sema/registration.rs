//! What an app's Consul registrations carry beyond eosc's own: the user's
//! service tags and meta, and each check's request (method, headers) and
//! restart policy. Consul's own rules apply (`validateMetaPair` and the
//! limits beside it in consul agent/structs/structs.go): meta keys
//! `^[a-zA-Z0-9_-]+$` (the schema's name class is stricter), at most 64
//! pairs, none prefixed `consul-`, values at most 512 bytes.

use super::eval::{check_shape, Cx};
use super::model::{CheckRestart, HealthKind};
use super::schema::app as s;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::Block;
use indexmap::IndexMap;

/// Tags eosc itself gives a canary app's services (`stable` on the
/// running version, `canary` on the new one): Caddy dials
/// `stable.<svc>` / `canary.<svc>`, so a user's tag of either name would
/// send traffic to the wrong version.
const RESERVED_TAGS: [&str; 2] = ["stable", "canary"];
/// `MetaKeyReservedPrefix`, `metaMaxKeyPairs`, `metaValueMaxLength`.
const META_RESERVED_PREFIX: &str = "consul-";
const META_MAX_PAIRS: usize = 64;
const META_VALUE_MAX: usize = 512;

/// The app's `tags` and `meta`, checked against Consul's rules.
pub fn tags_and_meta(cx: &mut Cx<'_>, b: &Block) -> (Vec<String>, IndexMap<String, String>) {
    let mut tags: Vec<String> = Vec::new();
    for (t, span) in cx.strings(&b.body, "tags") {
        if RESERVED_TAGS.contains(&t.as_str()) {
            cx.err(
                Diagnostic::error(Code::E0341, span, format!("the service tag `{t}` is eosc's"))
                    .label("reserved tag")
                    .help("eosc tags a canary app's services `stable` and `canary`, and Caddy dials them by those tags; choose another name"),
            );
        } else if tags.contains(&t) {
            cx.err(
                Diagnostic::warning(Code::W0508, span, format!("the tag `{t}` is listed twice"))
                    .label("repeated")
                    .help("Consul keeps one of each tag; remove this one"),
            );
        } else {
            tags.push(t);
        }
    }
    let mut meta = IndexMap::new();
    let pairs = cx.keyed_string_map(&b.body, "meta");
    for (i, (k, (v, span, key_span))) in pairs.into_iter().enumerate() {
        if i == META_MAX_PAIRS {
            cx.err(
                Diagnostic::error(Code::E0341, key_span, format!("more than {META_MAX_PAIRS} service meta keys"))
                    .label("one too many")
                    .help(format!("Consul refuses a service with more than {META_MAX_PAIRS} meta pairs; keep the ones a consumer reads")),
            );
        }
        if k.starts_with(META_RESERVED_PREFIX) {
            cx.err(
                Diagnostic::error(Code::E0341, key_span, format!("the meta key `{k}` is Consul's"))
                    .label("reserved prefix")
                    .help(format!("Consul reserves meta keys starting `{META_RESERVED_PREFIX}` for its own use; drop the prefix")),
            );
            continue;
        }
        if v.len() > META_VALUE_MAX {
            cx.err(
                Diagnostic::error(Code::E0341, span, format!("the meta value of `{k}` has {} bytes", v.len()))
                    .label("too long")
                    .help(format!("Consul takes meta values of at most {META_VALUE_MAX} bytes; keep a reference (a URL, a KV path) instead of the content")),
            );
            continue;
        }
        meta.insert(k, v);
    }
    (tags, meta)
}

/// A check's `method`, `header` and `check_restart`. The first two only
/// mean something to an http check: elsewhere they are W0508 and dropped.
/// What a check sends and when it restarts the task (see [`check_options`]).
pub struct CheckOptions {
    pub method: String,
    pub header: IndexMap<String, String>,
    pub check_restart: CheckRestart,
    pub protocol: String,
    pub tls_skip_verify: bool,
}

pub fn check_options(cx: &mut Cx<'_>, h: &Block, kind: &HealthKind) -> CheckOptions {
    let http = matches!(kind, HealthKind::Http { .. });
    let method = cx
        .choice_of(&h.body, &s::HEALTH_METHOD)
        .map_or_else(|| "GET".to_string(), |m| m.0);
    let protocol = cx
        .choice_of(&h.body, &s::HEALTH_PROTOCOL)
        .map_or_else(|| "http".to_string(), |m| m.0);
    let tls_skip_verify = cx.bool_of(&h.body, &s::HEALTH_TLS_SKIP_VERIFY);
    // Consul dials `http://` then; its TLS settings are never read.
    if http && protocol == "http" && tls_skip_verify {
        if let Some(a) = h.body.attr("tls_skip_verify") {
            cx.err(
                Diagnostic::warning(Code::W0508, a.name.span, "`tls_skip_verify` has no effect on a plain-http check")
                    .label("ignored")
                    .help("Consul verifies nothing over `http`; add `protocol = \"https\"` if the app serves TLS, or remove it"),
            );
        }
    }
    let mut header = IndexMap::new();
    for (k, (v, _, key_span)) in cx.keyed_string_map(&h.body, "header") {
        // Nomad reads `header` as a block, whose keys are HCL identifiers:
        // an HTTP token such as `X.Trace` or `X!` cannot be written there.
        if !block_key(&k) {
            cx.err(
                Diagnostic::error(Code::E0312, key_span, format!("the check header `{}` cannot be written in Nomad's `header` block", k.escape_debug()))
                    .label("not an identifier")
                    .help("Nomad's `header` block takes names of letters, digits, `_` and `-`, starting with a letter or `_`; rename the header"),
            );
            continue;
        }
        header.insert(k, v);
    }
    // Header names are case-insensitive; Consul sends them as given, in
    // name order here so the job does not depend on the spec's order.
    header.sort_keys();
    if !http {
        for name in ["method", "header", "protocol", "tls_skip_verify"] {
            if let Some(a) = h.body.attr(name) {
                cx.err(
                    Diagnostic::warning(Code::W0508, a.name.span, format!("`{name}` has no effect on a {} check", h.labels.first().map_or("", |l| l.name.as_str())))
                        .label("ignored")
                        .help("only an http check sends a request; remove it, or use `health \"http\" { … }`"),
                );
            }
        }
    }
    let check_restart = match h.body.blocks_of("check_restart").next() {
        Some(r) => {
            check_shape(cx, r, &s::CHECK_RESTART);
            if let Some(extra) = h.body.blocks_of("check_restart").nth(1) {
                cx.err(
                    Diagnostic::error(
                        Code::E0205,
                        extra.kind.span,
                        "`check_restart` is given twice",
                    )
                    .label("second block")
                    .help("a check has one restart policy; merge the two blocks"),
                );
            }
            CheckRestart {
                limit: cx
                    .int_of(&r.body, &s::RESTART_LIMIT)
                    .map_or(3, |n| u32::try_from(n).unwrap_or(3)),
                grace: cx
                    .duration_of(&r.body, &s::RESTART_GRACE)
                    .unwrap_or(CheckRestart::default().grace),
                ignore_warnings: cx.bool_of(&r.body, &s::RESTART_IGNORE_WARNINGS),
            }
        }
        None => CheckRestart::default(),
    };
    if !http {
        return CheckOptions {
            method: String::from("GET"),
            header: IndexMap::new(),
            check_restart,
            protocol: String::from("http"),
            tls_skip_verify: false,
        };
    }
    CheckOptions {
        method,
        header,
        check_restart,
        tls_skip_verify: tls_skip_verify && protocol == "https",
        protocol,
    }
}

/// A key a Nomad block can hold as an attribute name: what the Nomad
/// emitter writes bare (ASCII, a letter or `_`, then letters, digits, `_`,
/// `-`; the emitter's `hcl_out::is_identifier`).
fn block_key(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
