//! HCL output shared by the Nomad and Terraform emitters: string escaping
//! that HashiCorp's parser reads back exactly, and canonical text (what
//! `nomad fmt` / `terraform fmt`, i.e. hclwrite, would leave unchanged).
//!
//! hcl-rs builds the structure; its own string escaping is not used because
//! it writes `\b`/`\f` (not HCL escapes) and misses a `$${` that follows an
//! earlier `${` in the same string. Every user string goes through
//! [`string`], every intentional interpolation through [`template`].

use hcl::expr::{Heredoc, HeredocStripMode, TemplateExpr};
use hcl::{Body, Expression, Identifier};
use std::borrow::Cow;

/// A quoted HCL string whose value is exactly `s`: quotes, backslashes and
/// control characters escaped, and template markers `${`/`%{` doubled so
/// neither HCL nor Terraform/Nomad interpolates user text.
pub fn string(s: &str) -> Expression {
    template_raw(quote_body(s))
}

/// A quoted template that is meant to interpolate (`${node.class}`,
/// `${path.module}`): written as is. Callers build `raw` from constants and
/// from text already passed through [`quote_body`].
pub fn template(raw: impl Into<String>) -> Expression {
    template_raw(raw.into())
}

fn template_raw(raw: String) -> Expression {
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(raw)))
}

/// The inside of a quoted HCL string (without the quotes) for the value `s`.
// Byte by byte, copying the runs that need no escape whole: every byte
// acted on is ASCII, and no byte of a multi-byte character is (the same
// rule as the character-by-character loop it replaced, checked in the
// tests below).
pub fn quote_body(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 2);
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        let escape = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                out.push_str(&s[run..=i]);
                out.push(c as char);
                run = i + 1;
                continue;
            }
            c if c < 0x20 || c == 0x7f => {
                out.push_str(&s[run..i]);
                out.push_str(&format!("\\u{:04x}", c));
                run = i + 1;
                continue;
            }
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(escape);
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out
}

/// Text for the body of a heredoc whose value is exactly `s`: heredocs
/// take no backslash escapes, only template markers need doubling.
pub fn heredoc_body(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&b'{') {
            out.push_str(&s[run..=i]);
            out.push(c as char);
            run = i + 1;
        }
    }
    out.push_str(&s[run..]);
    out
}

/// A `<<DELIM` heredoc holding `body` (already escaped with [`heredoc_body`]
/// where it carries user text). The delimiter is `preferred`, suffixed with
/// a number if some line of the body would otherwise close it early.
pub fn heredoc(preferred: &str, body: &str) -> Expression {
    let mut delimiter = preferred.to_string();
    let mut n = 1;
    while body.lines().any(|l| l.trim() == delimiter) {
        delimiter = format!("{preferred}{n}");
        n += 1;
    }
    let mut template = body.to_string();
    if !template.ends_with('\n') {
        template.push('\n');
    }
    Expression::TemplateExpr(Box::new(TemplateExpr::Heredoc(Heredoc {
        delimiter: Identifier::sanitized(&delimiter),
        template,
        strip: HeredocStripMode::None,
    })))
}

/// True when `s` can be written as a bare HCL identifier (attribute or
/// object key) rather than a quoted string.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An object key: bare when it is an identifier, otherwise a quoted string
/// (escaped like any other user string).
pub fn object_key(s: &str) -> hcl::ObjectKey {
    if is_identifier(s) {
        hcl::ObjectKey::Identifier(Identifier::sanitized(s))
    } else {
        hcl::ObjectKey::Expression(string(s))
    }
}

/// The canonical text of `body`, preceded by `header` (a comment line).
pub fn render(header: &str, body: &Body) -> String {
    let mut buf = Vec::new();
    let mut fmt = hcl::format::Formatter::builder()
        .compact_arrays(true)
        .prefer_ident_keys(true)
        .build(&mut buf);
    hcl::format::Format::format(body, &mut fmt)
        .expect("formatting an in-memory HCL body into a Vec cannot fail");
    let text = String::from_utf8(buf).expect("hcl-rs writes UTF-8");
    let mut out = String::from(header);
    out.push_str(&canonicalize(&text));
    out
}

/// Apply the two things hclwrite does differently from hcl-rs for the
/// shapes we emit: `=` aligned across runs of one-line attributes, and
/// empty blocks written `{}`.
pub fn canonicalize(text: &str) -> String {
    let lines = lines(text);
    // Borrowed unless changed: most lines are kept as they are.
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(lines.len());
    out.extend(lines.iter().map(|l| empty_block(l)));
    let mut chain: Vec<(usize, usize)> = Vec::new(); // (line index, key width)
    let mut heredoc_end: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(end) = heredoc_end {
            // Heredoc bodies belong to the attribute line that opened them;
            // they neither join nor break an alignment run.
            if line.trim() == end {
                heredoc_end = None;
            }
            continue;
        }
        match assignment(line) {
            Some(a) if !a.opens_bracket => {
                chain.push((i, a.key_width));
                heredoc_end = a.heredoc;
            }
            _ => {
                align(&mut out, &chain);
                chain.clear();
            }
        }
    }
    align(&mut out, &chain);
    let mut s = String::with_capacity(text.len() + 64);
    for (i, line) in out.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(line);
    }
    s.push('\n');
    s
}

/// `text.lines()`, found with one scan for line feeds.
fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(text.len() / 24 + 1);
    let mut start = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b == b'\n' {
            let line = &text[start..i];
            out.push(line.strip_suffix('\r').unwrap_or(line));
            start = i + 1;
        }
    }
    if start < text.len() {
        // A last line without a line feed keeps its `\r`.
        out.push(&text[start..]);
    }
    out
}

fn empty_block(line: &str) -> Cow<'_, str> {
    match line.strip_suffix("{  }") {
        Some(head) => Cow::Owned(format!("{head}{{}}")),
        None => Cow::Borrowed(line),
    }
}

fn align(out: &mut [Cow<'_, str>], chain: &[(usize, usize)]) {
    let width = chain.iter().map(|(_, w)| *w).max().unwrap_or(0);
    for &(i, w) in chain {
        let line = &out[i];
        let indent = line.len() - line.trim_start().len();
        let key_end = indent + key_byte_len(&line[indent..]);
        let rest = line[key_end..].trim_start();
        let pad = width - w + 1;
        // Already aligned (hcl-rs wrote one space, and most runs are one
        // line long): keep the line as it is.
        let gap = &line[key_end..line.len() - rest.len()];
        if gap.len() == pad && gap.bytes().all(|b| b == b' ') {
            continue;
        }
        let mut aligned = String::with_capacity(key_end + pad + rest.len());
        aligned.push_str(&line[..key_end]);
        aligned.extend(std::iter::repeat_n(' ', pad));
        aligned.push_str(rest);
        out[i] = Cow::Owned(aligned);
    }
}

struct Assignment<'a> {
    key_width: usize,
    opens_bracket: bool,
    heredoc: Option<&'a str>,
}

/// `key = value` on one line (key an identifier or a quoted string).
fn assignment(line: &str) -> Option<Assignment<'_>> {
    let body = line.trim_start();
    let key_len = key_byte_len(body);
    if key_len == 0 {
        return None;
    }
    let rest = body[key_len..].trim_start();
    let value = rest.strip_prefix('=')?;
    if value.starts_with('=') {
        return None;
    }
    let value = value.trim();
    let heredoc = value.strip_prefix("<<").map(|d| d.trim_start_matches('-'));
    Some(Assignment {
        key_width: body[..key_len].chars().count(),
        opens_bracket: heredoc.is_none() && opens_bracket(value),
        heredoc,
    })
}

// Byte by byte: every character these scanners act on is ASCII, and no
// byte of a multi-byte character is. Canonicalizing was most of the time
// of rendering a Nomad job when they decoded characters.
fn key_byte_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first() == Some(&b'"') {
        let mut escaped = false;
        for (i, &c) in b.iter().enumerate().skip(1) {
            match c {
                b'\\' if !escaped => escaped = true,
                b'"' if !escaped => return i + 1,
                _ => escaped = false,
            }
        }
        0
    } else {
        b.iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))
            .unwrap_or(b.len())
    }
}

/// Whether a value leaves a bracket open at the end of its line (ignoring
/// brackets inside quoted strings).
fn opens_bracket(value: &str) -> bool {
    let mut depth: i32 = 0;
    let mut in_string = false;
    let mut escaped = false;
    for &c in value.as_bytes() {
        if in_string {
            match c {
                b'\\' if !escaped => escaped = true,
                b'"' if !escaped => in_string = false,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// A Terraform/Nomad-safe identifier for a user name: letters, digits,
/// `_` and `-`, starting with a letter or `_`.
pub fn identifier(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert(0, '_');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scanners write what the character-by-character rules
    /// they replaced wrote, on every string of up to four characters drawn
    /// from the characters that matter.
    #[test]
    fn byte_scanners_agree_with_the_character_rules() {
        fn quote_ref(s: &str) -> String {
            let mut out = String::new();
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '$' | '%' if chars.peek() == Some(&'{') => {
                        out.push(c);
                        out.push(c);
                    }
                    c if (c as u32) < 0x20 || c == '\u{7f}' => {
                        out.push_str(&format!("\\u{:04x}", c as u32));
                    }
                    c => out.push(c),
                }
            }
            out
        }
        fn heredoc_ref(s: &str) -> String {
            let mut out = String::new();
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                out.push(c);
                if (c == '$' || c == '%') && chars.peek() == Some(&'{') {
                    out.push(c);
                }
            }
            out
        }
        let alphabet = [
            'a', '$', '%', '{', '"', '\\', '\n', '\r', '\t', '\u{1}', '\u{7f}', 'é', '\u{85}', '€',
        ];
        let mut strings = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(last.iter().cloned());
        }
        for s in &strings {
            assert_eq!(quote_body(s), quote_ref(s), "{s:?}");
            assert_eq!(heredoc_body(s), heredoc_ref(s), "{s:?}");
        }
        assert!(strings.len() > 30_000);
    }

    #[test]
    fn markers_are_doubled_everywhere() {
        assert_eq!(quote_body("${a} $${b} %{c}"), "$${a} $$${b} %%{c}");
        assert_eq!(quote_body("a\"b\\c\nd\u{8}"), "a\\\"b\\\\c\\nd\\u0008");
        assert_eq!(heredoc_body("x ${y} %{z} \\n"), "x $${y} %%{z} \\n");
    }

    #[test]
    fn alignment_follows_hclwrite() {
        let text = "x {\n  a = 1\n  bbb = {\n    k = 1\n    kk = 2\n  }\n  cc = 2\n  d = <<EOT\nq = 1\nEOT\n  eeee = 3\n  meta {  }\n}\n";
        let want = "x {\n  a = 1\n  bbb = {\n    k  = 1\n    kk = 2\n  }\n  cc   = 2\n  d    = <<EOT\nq = 1\nEOT\n  eeee = 3\n  meta {}\n}\n";
        assert_eq!(canonicalize(text), want);
    }

    #[test]
    fn identifiers() {
        assert_eq!(identifier("cloud.example.com"), "cloud_example_com");
        assert_eq!(identifier("9lives"), "_9lives");
        assert!(is_identifier("a-b_c"));
        assert!(!is_identifier("a.b"));
    }

    #[test]
    fn lines_split_like_str_lines() {
        for text in [
            "", "a", "a\n", "a\r\nb", "a\n\nb\n", "\n", "\r\n", "a\rb\r\n", "x\r",
        ] {
            assert_eq!(lines(text), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }
}
