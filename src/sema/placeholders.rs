//! The Caddy placeholders a header template (`header_up`, `header_down`,
//! `rate_limit.key`) may use: the request's own data only. The proxy
//! host's `{env.*}` (where `HETZNER_DNS_API_TOKEN` lives) and `{file.*}`
//! would send its secrets to a backend or a client, so every placeholder
//! outside this list is refused (E0350); a brace that cannot be a
//! placeholder is literal text, escaped by the emitter.

/// Caddyfile shorthands and the JSON placeholders Caddy's Caddyfile
/// adapter writes for them (`caddy adapt` of `header_up X {remote_host}`
/// gives `{http.request.remote.host}`, Caddy 2.6 and 2.11 alike).
pub const SHORTHANDS: [(&str, &str); 11] = [
    ("host", "http.request.host"),
    ("hostport", "http.request.hostport"),
    ("port", "http.request.port"),
    ("scheme", "http.request.scheme"),
    ("method", "http.request.method"),
    ("uri", "http.request.uri"),
    ("path", "http.request.uri.path"),
    ("query", "http.request.uri.query"),
    ("remote", "http.request.remote"),
    ("remote_host", "http.request.remote.host"),
    ("remote_port", "http.request.remote.port"),
];

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text sent as written (its braces escaped for Caddy).
    Text(&'a str),
    /// A placeholder, as Caddy's JSON spells it (without braces).
    Placeholder(String),
    /// `{name}` that Caddy would expand but that is not allowed.
    Refused(&'a str),
}

/// A header name as Caddy's `{http.request.header.*}` takes it: an RFC
/// 9110 token (as `lexical::http_token`, which uses this module and so
/// cannot be used here).
fn header_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}

/// The JSON form of an allowed placeholder name, or `None`.
fn allowed(name: &str) -> Option<String> {
    if let Some((_, long)) = SHORTHANDS.iter().find(|(s, _)| *s == name) {
        return Some(long.to_string());
    }
    if SHORTHANDS.iter().any(|(_, long)| *long == name) {
        return Some(name.to_string());
    }
    let header = name
        .strip_prefix("http.request.header.")
        .or_else(|| name.strip_prefix("header."));
    match header {
        Some(h) if header_name(h) => Some(format!("http.request.header.{h}")),
        _ => None,
    }
}

/// Could Caddy's replacer read `{inner}` as a placeholder name? Names are
/// dotted words; a brace around anything else (JSON, blanks) is text.
fn placeholder_like(inner: &str) -> bool {
    !inner.is_empty()
        && inner
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// `s` as text and placeholders, in order.
pub fn parse(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(open) = s[i..].find('{').map(|o| i + o) {
        let Some(close) = s[open + 1..].find('}').map(|c| open + 1 + c) else {
            break;
        };
        let inner = &s[open + 1..close];
        if !placeholder_like(inner) {
            i = open + 1;
            continue;
        }
        if text_start < open {
            out.push(Piece::Text(&s[text_start..open]));
        }
        out.push(match allowed(inner) {
            Some(p) => Piece::Placeholder(p),
            None => Piece::Refused(&s[open..=close]),
        });
        i = close + 1;
        text_start = i;
    }
    if text_start < s.len() {
        out.push(Piece::Text(&s[text_start..]));
    }
    out
}

/// The first refused placeholder of `s`.
pub fn refused(s: &str) -> Option<&str> {
    parse(s).into_iter().find_map(|p| match p {
        Piece::Refused(r) => Some(r),
        _ => None,
    })
}

/// Why a refused placeholder is refused, for the diagnostic's label.
pub fn why(p: &str) -> &'static str {
    if p.starts_with("{env.") {
        "the proxy host's environment (its API tokens) would be sent"
    } else if p.starts_with("{file.") {
        "a file of the proxy host would be sent"
    } else {
        "not a request placeholder eosc allows here"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthands_and_long_forms_expand() {
        assert_eq!(
            parse("{remote_host}"),
            vec![Piece::Placeholder("http.request.remote.host".into())]
        );
        assert_eq!(
            parse("a {header.X-Foo} b"),
            vec![
                Piece::Text("a "),
                Piece::Placeholder("http.request.header.X-Foo".into()),
                Piece::Text(" b")
            ]
        );
        assert_eq!(
            parse("{http.request.header.Authorization}"),
            vec![Piece::Placeholder(
                "http.request.header.Authorization".into()
            )]
        );
    }

    #[test]
    fn host_data_is_refused_and_other_braces_are_text() {
        assert_eq!(refused("x{env.HOME}"), Some("{env.HOME}"));
        assert_eq!(refused("{file./etc/shadow}"), None, "not a name: text");
        assert_eq!(refused("{file.secret}"), Some("{file.secret}"));
        assert_eq!(refused("{vars.x}"), Some("{vars.x}"));
        assert_eq!(parse("{{ c }}"), vec![Piece::Text("{{ c }}")]);
        assert_eq!(parse("{\"a\":1}"), vec![Piece::Text("{\"a\":1}")]);
        assert_eq!(parse("open {"), vec![Piece::Text("open {")]);
    }
}
