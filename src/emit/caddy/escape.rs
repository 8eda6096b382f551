//! Caddy expands `{placeholders}` in most string fields (response bodies,
//! header values, path and header matchers, dial addresses). A user's text
//! must reach the wire unchanged, so its braces are escaped; Caddy's
//! replacer turns `\{` and `\}` back into literal braces and leaves every
//! other backslash alone.

/// `s` with `{` and `}` escaped for Caddy's placeholder replacer.
pub fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '{' || c == '}' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The Caddyfile shorthands a redirect target may use (`{uri}` in
/// `"https://example.com{uri}"`), as Caddy's Caddyfile adapter expands them
/// into JSON placeholders. Any other brace is literal.
pub const REDIRECT_SHORTHANDS: [(&str, &str); 7] = [
    ("{host}", "{http.request.host}"),
    ("{hostport}", "{http.request.hostport}"),
    ("{path}", "{http.request.uri.path}"),
    ("{port}", "{http.request.port}"),
    ("{query}", "{http.request.uri.query}"),
    ("{scheme}", "{http.request.scheme}"),
    ("{uri}", "{http.request.uri}"),
];

/// A redirect target: the request shorthands become Caddy placeholders,
/// everything else stays literal.
pub fn redirect_target(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    'outer: while !rest.is_empty() {
        for (short, placeholder) in REDIRECT_SHORTHANDS {
            if let Some(after) = rest.strip_prefix(short) {
                out.push_str(placeholder);
                rest = after;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push_str(&literal(c.encode_utf8(&mut [0; 4])));
        }
        rest = chars.as_str();
    }
    out
}

/// A Go `time.Duration` string Caddy accepts (`30s`, `250ms`).
pub fn duration(d: std::time::Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else if d.subsec_nanos() % 1_000_000 == 0 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}ns", d.as_nanos())
    }
}

/// A Caddy log or logger name derived from a host: `hera.cybermonkey.dev`
/// → `hera_cybermonkey_dev`. Dots would make it a child in Caddy's logger
/// hierarchy, where `include` matches by prefix.
pub fn log_name(host: &str) -> String {
    host.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' => c.to_ascii_lowercase(),
            '*' => 'x',
            _ => '_',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_are_escaped_and_nothing_else() {
        assert_eq!(literal("a{b}c\\d"), "a\\{b\\}c\\d");
        assert_eq!(literal("plain"), "plain");
    }

    #[test]
    fn redirect_shorthands_expand_and_other_braces_stay_literal() {
        assert_eq!(
            redirect_target("https://example.com{uri}"),
            "https://example.com{http.request.uri}"
        );
        assert_eq!(
            redirect_target("/x{y}{path}"),
            "/x\\{y\\}{http.request.uri.path}"
        );
    }

    #[test]
    fn durations_are_go_strings() {
        use std::time::Duration;
        assert_eq!(duration(Duration::from_secs(30)), "30s");
        assert_eq!(duration(Duration::from_millis(250)), "250ms");
        assert_eq!(duration(Duration::from_nanos(5)), "5ns");
    }
}
