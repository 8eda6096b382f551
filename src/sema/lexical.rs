//! Lexical classes of string fields, as pure predicates: what a string
//! must look like to land unaltered in the artifact it is written to. The
//! checker calls them and reports a failure with the field's name; the
//! emitters can then write the value with their context's escaping alone
//! (or, for zone rdata and Caddy text, with none).

use super::schema::StrClass;

/// `[A-Za-z_][A-Za-z0-9_]*`: an environment variable name (Nomad `env`,
/// env-file lines of a Vault template, Jenkins `environment`).
pub fn env_var_name(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// One DNS label: letters, digits, `-` and `_`, 1–63 bytes, no `-` at
/// either end.
pub fn dns_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && l.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// A host name of DNS labels, with or without the final dot.
pub fn hostname(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    !h.is_empty() && h.len() <= 253 && h.split('.').all(dns_label)
}

/// RFC 9110 `token`: an HTTP header or method name.
pub fn http_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}

/// A URL path: starts with `/`, visible ASCII only (RFC 3986 characters),
/// no `{`/`}` (Caddy placeholders) and no backslash.
pub fn url_path(s: &str) -> bool {
    s.starts_with('/')
        && s.bytes().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    b'{' | b'}' | b'\\' | b'"' | b'<' | b'>' | b'^' | b'`' | b'|'
                )
        })
}

/// Text that Caddy's replacer leaves alone where no escape exists (the
/// log writer's `filename`, a health check's `uri`): no `{` or `}`, no
/// control characters.
pub fn caddy_placeholder_free(s: &str) -> bool {
    !s.contains(['{', '}']) && !s.chars().any(char::is_control)
}

/// An absolute file path on the target host: `/`, then no control
/// characters and no `{`/`}`.
pub fn file_path(s: &str) -> bool {
    s.starts_with('/') && caddy_placeholder_free(s) && !s.contains('\0')
}

/// An e-mail address as ACME and Caddy take it: `local@domain.tld`, no
/// whitespace, control characters or `"`, and no `{`/`}` (Caddy runs the
/// issuer's email through its placeholder replacer).
pub fn email(e: &str) -> bool {
    e.split_once('@')
        .is_some_and(|(u, d)| !u.is_empty() && d.contains('.'))
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '{' | '}'))
}

/// The `${node.…}` fields Nomad's scheduler resolves (`resolveTarget` in
/// scheduler/feasible.go); any other `node.` target is an unset attribute.
pub const NODE_FIELDS: &[&str] = &["unique.id", "unique.name", "datacenter", "class", "pool"];

/// A Nomad constraint target: exactly `${attr.<key>}`, `${meta.<key>}` or
/// `${node.<field>}` (the prefixes `resolveTarget` knows), keys of
/// letters, digits, `_`, `-` and `.` without empty components. It is
/// written into the job unescaped, as Nomad's interpolation, so nothing
/// else may ride along: no second `${`, no quote, no blank. Returns the
/// prefix and key.
pub fn node_target(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix("${")?.strip_suffix('}')?;
    let (prefix, key) = inner.split_once('.')?;
    let plain = !key.is_empty()
        && key.split('.').all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
    match prefix {
        "attr" | "meta" if plain => Some((prefix, key)),
        "node" if NODE_FIELDS.contains(&key) => Some((prefix, key)),
        _ => None,
    }
}

/// Free text: anything but NUL (which no consumer carries).
pub fn free_text(s: &str) -> bool {
    !s.contains('\0')
}

/// An eosc name: a letter, then letters, digits, `_`, `-`; at most 63.
pub fn name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && s.len() <= 63
}

/// An HTTP field value: no control character but tab, no blank at either
/// end (HTTP drops it).
pub fn http_field_value(v: &str) -> bool {
    !v.chars().any(|c| c.is_control() && c != '\t') && v.trim_matches([' ', '\t']) == v
}

/// What every string field must satisfy, by its class: `None` when `s`
/// is of `class`, else what is wrong. This is the floor the checker holds
/// every field to (`sema::lexical_pass`); the field's own check may be
/// stricter (a Hetzner location, a cron expression, a record's data for
/// its type) and reports first. Each rule is what the artifacts' escaping
/// cannot repair: everything it lets through is written with its
/// context's escaping and reads back unchanged
/// (tests/it/hostile_fields.rs).
pub fn problem(class: StrClass, s: &str) -> Option<&'static str> {
    use StrClass as C;
    let control = s.chars().any(char::is_control);
    let blank = s.chars().any(char::is_whitespace);
    let fail = |bad: bool, why: &'static str| bad.then_some(why);
    match class {
        C::Hostname => fail(
            !hostname(s.strip_prefix("*.").unwrap_or(s)),
            "not a host name",
        ),
        C::DnsLabel => fail(!dns_label(s), "not a DNS label"),
        C::LabelSuffix => super::env_names::suffix_problem(s),
        C::Name => fail(!name(s), "not a name"),
        C::RecordName => fail(
            s != "@" && s != "*" && !hostname(s.strip_prefix("*.").unwrap_or(s)),
            "not a record name",
        ),
        C::EnvVarName => fail(!env_var_name(s), "not an environment variable name"),
        // The grammar per record type is `rdata_problem`, checked with the type.
        C::ZoneRdata => fail(control, "contains a control character"),
        C::UrlPath => fail(!url_path(s), "not an absolute URL path"),
        C::HeaderName => fail(!http_token(s), "not an HTTP token"),
        C::HeaderValue => fail(!http_field_value(s), "not an HTTP field value"),
        C::HeaderTemplate => fail(
            !http_field_value(s) || super::placeholders::refused(s).is_some(),
            "not an HTTP field value with request placeholders only",
        ),
        C::FilePath => fail(
            !file_path(s),
            "not an absolute path without `{`, `}` or control characters",
        ),
        C::Email => fail(!email(s), "not an e-mail address"),
        C::VaultKey => fail(
            s.is_empty()
                || !s
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-'),
            "not a KV field name",
        ),
        C::VaultPath => fail(
            control || s.contains("{{") || s.contains("}}"),
            "not a Vault path",
        ),
        C::NodeTarget => fail(
            node_target(s).is_none(),
            "not a Nomad node attribute `${attr.…}`, `${meta.…}` or `${node.…}`",
        ),
        // A compound target is these joined by ` or `: a blank would add a term.
        C::GrainTarget => fail(
            s.is_empty() || blank || control,
            "empty, or holds a blank or control character",
        ),
        // Written with their context's escaping everywhere they land:
        // only what no target carries is refused.
        C::Url
        | C::ImageRef
        | C::HostPort
        | C::Cidr
        | C::Cron
        | C::QueryParam
        | C::ProviderId
        | C::Regexp
        | C::PathPattern => fail(!free_text(s), "contains a NUL character"),
        C::Argv | C::PlaceholderFree | C::FreeText => {
            fail(!free_text(s), "contains a NUL character")
        }
    }
}

/// A valid value of each class, for the help line.
pub fn example(class: StrClass) -> &'static str {
    use StrClass as C;
    match class {
        C::Hostname => "\"www.example.com\"",
        C::DnsLabel => "\"web-api\"",
        C::LabelSuffix => "\"-staging\"",
        C::Name => "\"web_api\"",
        C::RecordName => "\"www\"",
        C::EnvVarName => "\"DB_PASSWORD\"",
        C::ZoneRdata => "\"v=spf1 -all\"",
        C::UrlPath => "\"/health\"",
        C::PathPattern => "\"/api/*\"",
        C::HeaderName => "\"X-Frame-Options\"",
        C::HeaderValue => "\"DENY\"",
        C::HeaderTemplate => "\"{remote_host}\"",
        C::QueryParam => "\"debug\"",
        C::FilePath => "\"/var/log/caddy/site.log\"",
        C::Url => "\"https://example.com/\"",
        C::ImageRef => "\"registry.example.com/app:1.2.3\"",
        C::VaultPath => "\"secret/hecate/db\"",
        C::VaultKey => "\"password\"",
        C::HostPort => "\"10.0.0.5:8080\"",
        C::Cidr => "\"10.0.0.0/8\"",
        C::Email => "\"ops@example.com\"",
        C::Cron => "\"0 3 * * *\"",
        C::Regexp => "\"^/admin\"",
        C::NodeTarget => "\"${attr.kernel.name}\"",
        C::GrainTarget => "\"roles:hecate-controller\"",
        C::ProviderId => "\"dc1\"",
        C::Argv => "\"/usr/bin/app\"",
        C::PlaceholderFree => "\"ok\"",
        C::FreeText => "\"text\"",
    }
}

/// A `<character-string>` of a zone file that needs no quoting: visible
/// ASCII without the characters BIND gives a meaning (`;` comment, `(`
/// `)` grouping, `"` quoting, `\` escapes, `$` at the start of a
/// directive line, `@` origin).
fn zone_word(w: &str) -> bool {
    !w.is_empty()
        && w.bytes()
            .all(|c| c.is_ascii_graphic() && !matches!(c, b';' | b'(' | b')' | b'"' | b'\\'))
}

/// Record data per type, as BIND reads it (RFC 1035 §5.1, RFC 2782 for
/// SRV, RFC 8659 for CAA). `None` when valid, else why not. Everything
/// accepted here is written as is and reads back as the same fields.
pub fn rdata_problem(rtype: &str, s: &str) -> Option<&'static str> {
    if s.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    let u16_ok = |w: &str| w.parse::<u16>().is_ok() && !w.starts_with('+');
    match rtype {
        "A" => s
            .parse::<std::net::Ipv4Addr>()
            .is_err()
            .then_some("not an IPv4 address"),
        "AAAA" => s
            .parse::<std::net::Ipv6Addr>()
            .is_err()
            .then_some("not an IPv6 address"),
        "CNAME" | "NS" => (!hostname(s)).then_some("not a host name"),
        "MX" => match s.split_once(' ') {
            Some((prio, host)) if u16_ok(prio) && hostname(host) => None,
            _ => Some("expected `PRIORITY HOST`"),
        },
        "TXT" => (s.len() > 2048).then_some("longer than 2048 characters"),
        "SRV" => {
            let w: Vec<&str> = s.split(' ').collect();
            match w.as_slice() {
                [p, wt, port, target]
                    if u16_ok(p)
                        && u16_ok(wt)
                        && u16_ok(port)
                        && (*target == "." || hostname(target)) =>
                {
                    None
                }
                _ => Some("expected `PRIORITY WEIGHT PORT TARGET`"),
            }
        }
        "CAA" => {
            let mut it = s.splitn(3, ' ');
            let (flags, tag, value) = (it.next(), it.next(), it.next());
            let flags_ok = flags.is_some_and(|f| f.parse::<u8>().is_ok() && !f.starts_with('+'));
            let tag_ok = tag.is_some_and(|t| {
                !t.is_empty() && t.len() <= 15 && t.bytes().all(|c| c.is_ascii_alphanumeric())
            });
            let value_ok = value.is_some_and(|v| {
                match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    Some(inner) => inner
                        .bytes()
                        .all(|c| (c == b' ' || c.is_ascii_graphic()) && c != b'"' && c != b'\\'),
                    None => zone_word(v),
                }
            });
            (!(flags_ok && tag_ok && value_ok)).then_some("expected `FLAGS TAG \"VALUE\"`")
        }
        _ => (!s.split(' ').all(zone_word)).then_some("not plain zone-file words"),
    }
}

/// An IP address, or dotted digits that look like one (`10.0.0`).
pub fn is_ip_like(h: &str) -> bool {
    let h = h.trim_end_matches('.');
    h.parse::<std::net::IpAddr>().is_ok()
        || h.split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_digit()))
}

/// What record data that `rdata_problem` accepts still gets wrong: it
/// parses, but means something else than intended (an address as a host
/// name, a CAA tag no CA knows, the unspecified address, a relative SRV
/// target). `(why, help)`; `None` also for data the grammar refuses,
/// which `rdata_problem` reports once. The one home of record-data rules
/// with `rdata_problem` (E0303 in `value_rules`).
pub fn rdata_meaning(rtype: &str, v: &str) -> Option<(&'static str, &'static str)> {
    if rdata_problem(rtype, v).is_some() {
        return None;
    }
    match rtype {
        "NS" | "CNAME" if is_ip_like(v) => Some(("an IP address, not a host name",
            "NS and CNAME records name a host (`ns1.example.com.`); put addresses in A/AAAA records")),
        "MX" if v.split_once(' ').is_some_and(|(_, h)| is_ip_like(h)) => Some(("an IP address, not a host name",
            "an MX record names the mail host: `\"10 mail.example.com.\"`")),
        "TXT" if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') => Some(("quotes inside the value",
            "write the text without its own quotes: eosc quotes TXT data, and the quotes would become part of the record")),
        "CAA" => {
            // The shape (`FLAGS TAG VALUE`) is `rdata_problem`'s.
            let parts: Vec<&str> = v.splitn(3, ' ').collect();
            // RFC 8659 §4: CAs ignore a tag they do not know, so a misspelt
            // tag restricts nothing (`issuer` for `issue`).
            let known = ["issue", "issuewild", "iodef", "contactemail", "contactphone"];
            (!known.iter().any(|k| parts[1].eq_ignore_ascii_case(k))).then_some((
                "not a CAA property tag",
                "the tags are `issue`, `issuewild` and `iodef` (RFC 8659); a CA ignores any other, so the record would restrict nothing",
            ))
        }
        "A" if v == "0.0.0.0" => Some(("the unspecified address",
            "0.0.0.0 reaches no host: a client resolving the name connects nowhere; write the server's address or `server.<name>.ipv4`")),
        "AAAA" if v == "::" => Some(("the unspecified address",
            "`::` reaches no host; write the server's address or `server.<name>.ipv6`")),
        "SRV" => {
            // Four numbers and a host name are `rdata_problem`'s; here the
            // target must be absolute and not an address.
            let target = v.rsplit(' ').next().unwrap_or("");
            let ok = target == "." || (target.ends_with('.') && !is_ip_like(target));
            (!ok).then_some(("expected `PRIORITY WEIGHT PORT TARGET.`",
                "write the four fields, the target absolute with a final dot: `10 5 5060 sip.example.com.`"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(env_var_name("DB_PASSWORD") && env_var_name("_x1"));
        assert!(!env_var_name("LD_PRELOAD=/tmp/evil.so\nDB_PASSWORD"));
        assert!(!env_var_name("1A") && !env_var_name("") && !env_var_name("A-B"));
        assert!(hostname("ns2.example.net.") && !hostname("ns2.example.net.\nmail IN A 1.2.3.4"));
        assert!(http_token("X-Frame-Options") && !http_token("X Frame"));
        assert!(url_path("/health?x=1") && !url_path("/h{x}") && !url_path("health"));
        assert!(caddy_placeholder_free("/var/log/caddy.log") && !caddy_placeholder_free("{env.X}"));
    }

    #[test]
    fn every_class_refuses_nul() {
        use StrClass as C;
        let all = [
            C::Hostname,
            C::DnsLabel,
            C::LabelSuffix,
            C::Name,
            C::RecordName,
            C::EnvVarName,
            C::ZoneRdata,
            C::UrlPath,
            C::PathPattern,
            C::HeaderName,
            C::HeaderValue,
            C::HeaderTemplate,
            C::QueryParam,
            C::FilePath,
            C::Url,
            C::ImageRef,
            C::VaultPath,
            C::VaultKey,
            C::HostPort,
            C::Cidr,
            C::Email,
            C::Cron,
            C::Regexp,
            C::NodeTarget,
            C::GrainTarget,
            C::ProviderId,
            C::Argv,
            C::PlaceholderFree,
            C::FreeText,
        ];
        for c in all {
            assert!(problem(c, "a\0b").is_some(), "{c:?} takes NUL");
            let ex = example(c).trim_matches('"');
            assert_eq!(problem(c, ex), None, "{c:?}: its example {ex:?} is refused");
        }
    }

    #[test]
    fn rdata() {
        assert_eq!(rdata_problem("SRV", "10 5 5060 sip.example.com."), None);
        assert!(rdata_problem("SRV", "10 5 5060 sip.example.com. ; x").is_some());
        assert!(rdata_problem("SRV", "10 5 5060 (").is_some());
        assert_eq!(rdata_problem("CAA", "0 issue \"letsencrypt.org\""), None);
        assert_eq!(
            rdata_problem("CAA", "0 iodef \"mailto:sec@example.com\""),
            None
        );
        assert!(rdata_problem("CAA", "0 issue \"a\" ; b").is_some());
        assert!(rdata_problem("CAA", "0 issue letsencrypt.org;x").is_some());
        assert!(rdata_problem("CAA", "0 issue (").is_some());
        assert!(rdata_problem("MX", "10 mail.example.com.\nx").is_some());
    }
}
