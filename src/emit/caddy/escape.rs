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
    fn durations_are_go_strings() {
        use std::time::Duration;
        assert_eq!(duration(Duration::from_secs(30)), "30s");
        assert_eq!(duration(Duration::from_millis(250)), "250ms");
        assert_eq!(duration(Duration::from_nanos(5)), "5ns");
    }
}
