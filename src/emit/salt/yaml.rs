//! A small block-style YAML writer for SLS files.
//!
//! Why not serde_yaml: Salt parses with PyYAML (YAML 1.1), where plain
//! scalars such as `on`, `0777`, `1:20` or `2026-11-22` turn into booleans,
//! octal or sexagesimal numbers and dates, and some characters PyYAML
//! refuses outright. Here a string is written plain only when it cannot be
//! read as anything but that string; otherwise it is a literal block
//! (readable scripts) or a double-quoted scalar with every doubtful
//! character escaped. We also want comments between states.

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Str(String),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Null,
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    pub fn seq_of_str<I, S>(items: I) -> Node
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Node::Seq(items.into_iter().map(|s| Node::Str(s.into())).collect())
    }

    pub fn from_json(v: &serde_json::Value) -> Node {
        match v {
            serde_json::Value::Null => Node::Null,
            serde_json::Value::Bool(b) => Node::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Node::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Node::UInt(u)
                } else {
                    let f = n.as_f64().unwrap_or(0.0);
                    // HCL has one number type, so the model holds every
                    // number as f64; a whole one is written as an integer
                    // (`2`, not `2.0`) so YAML reads the int the user wrote.
                    // Beyond 2^53 an f64 is no longer exact: left a float.
                    if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                        Node::Int(f as i64)
                    } else {
                        Node::Float(f)
                    }
                }
            }
            serde_json::Value::String(s) => Node::Str(s.clone()),
            serde_json::Value::Array(a) => Node::Seq(a.iter().map(Node::from_json).collect()),
            serde_json::Value::Object(o) => Node::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Node::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Builds a mapping from `(key, value)` pairs, keeping their order.
pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Node)>) -> Node {
    Node::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// One top-level entry of a document, with the comment lines above it.
pub struct Entry {
    pub comments: Vec<String>,
    pub key: String,
    pub value: Node,
}

/// Renders a whole SLS file: the renderer line, the header comment, then
/// the top-level entries separated by blank lines.
pub fn document(header: &str, entries: &[Entry]) -> String {
    let mut out = String::from("#!yaml\n");
    // The header names the spec file: a line break in that name must not
    // end the comment.
    out.push_str(&comment_text(header.trim_end_matches('\n')));
    out.push('\n');
    if entries.is_empty() {
        // An empty SLS must still be a mapping for Salt.
        out.push_str("{}\n");
        return out;
    }
    for e in entries {
        out.push('\n');
        for c in &e.comments {
            out.push_str("# ");
            out.push_str(&comment_text(c));
            out.push('\n');
        }
        render_entry(&e.key, &e.value, 0, &mut out);
    }
    out
}

/// A comment can hold anything but a line break.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_break(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim_end()
        .to_string()
}

fn render_map(entries: &[(String, Node)], indent: usize, out: &mut String) {
    for (k, v) in entries {
        render_entry(k, v, indent, out);
    }
}

/// A document written entry by entry straight into its text, for files
/// whose entries would otherwise be built as [`Node`]s only to be rendered
/// and dropped (the orchestrations: most of the Salt bytes). The bytes are
/// [`document`]'s for the same entries.
pub struct Doc {
    out: String,
    entries: usize,
}

impl Doc {
    /// The renderer line and the header comment.
    pub fn new(header: &str) -> Doc {
        let mut out = String::from("#!yaml\n");
        out.push_str(&comment_text(header.trim_end_matches('\n')));
        out.push('\n');
        Doc { out, entries: 0 }
    }

    /// Starts a top-level entry: the blank line, its comments and `KEY:`;
    /// the caller writes the value after the colon.
    pub fn entry(&mut self, comments: &[String], key: &str) -> &mut String {
        self.entries += 1;
        self.out.push('\n');
        for c in comments {
            self.out.push_str("# ");
            self.out.push_str(&comment_text(c));
            self.out.push('\n');
        }
        write_entry_key(key, 0, &mut self.out);
        &mut self.out
    }

    pub fn finish(mut self) -> String {
        if self.entries == 0 {
            // An empty SLS must still be a mapping for Salt.
            self.out.push_str("{}\n");
        }
        self.out
    }
}

/// `KEY:` at `indent`, the key plain or quoted as [`key`] says.
pub fn write_entry_key(k: &str, indent: usize, out: &mut String) {
    push_indent(out, indent);
    // YAML limits an implicit key to 1024 characters (libyaml and
    // PyYAML, which Salt uses, refuse a longer one): past that the key
    // is written explicitly, `? KEY` and `:` on the next line.
    let start = out.len();
    write_key(k, out);
    if out.len() - start > 1000 && out[start..].chars().count() > 1000 {
        out.insert_str(start, "? ");
        out.push('\n');
        push_indent(out, indent);
    }
    out.push(':');
}

fn render_entry(k: &str, v: &Node, indent: usize, out: &mut String) {
    {
        write_entry_key(k, indent, out);
        match v {
            Node::Map(m) if m.is_empty() => out.push_str(" {}\n"),
            Node::Seq(s) if s.is_empty() => out.push_str(" []\n"),
            Node::Map(m) => {
                out.push('\n');
                render_map(m, indent + 2, out);
            }
            Node::Seq(s) => {
                out.push('\n');
                render_seq(s, indent + 2, out);
            }
            scalar => {
                out.push(' ');
                write_scalar(scalar, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

fn render_seq(items: &[Node], indent: usize, out: &mut String) {
    for item in items {
        match item {
            Node::Map(m) if m.is_empty() => {
                push_indent(out, indent);
                out.push_str("- {}\n");
            }
            Node::Seq(s) if s.is_empty() => {
                push_indent(out, indent);
                out.push_str("- []\n");
            }
            Node::Map(m) => {
                // The first entry shares the line with the dash: its
                // indentation's last two spaces become the dash.
                let start = out.len();
                render_map(m, indent + 2, out);
                out.replace_range(start + indent..start + indent + 2, "- ");
            }
            Node::Seq(s) => {
                push_indent(out, indent);
                out.push_str("-\n");
                render_seq(s, indent + 2, out);
            }
            scalar => {
                push_indent(out, indent);
                out.push_str("- ");
                write_scalar(scalar, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

pub fn push_indent(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

// The renderer writes into one output string; `key`, `string` and
// `double_quoted` return the same text as their own strings.
fn write_scalar(n: &Node, block_indent: usize, out: &mut String) {
    use std::fmt::Write as _;
    let _ = match n {
        Node::Str(s) => {
            write_string(s, block_indent, out);
            Ok(())
        }
        Node::Int(i) => write!(out, "{i}"),
        Node::UInt(u) => write!(out, "{u}"),
        Node::Float(f) => {
            out.push_str(&float(*f));
            Ok(())
        }
        Node::Bool(b) => write!(out, "{b}"),
        Node::Null => {
            out.push_str("null");
            Ok(())
        }
        Node::Seq(_) | Node::Map(_) => unreachable!("collections are rendered as blocks"),
    };
}

/// A mapping key: plain when that is unambiguous, double-quoted otherwise.
pub fn key(s: &str) -> String {
    let mut out = String::new();
    write_key(s, &mut out);
    out
}

fn write_key(s: &str, out: &mut String) {
    if plain_safe(s) {
        out.push_str(s);
    } else {
        write_double_quoted(s, out);
    }
}

/// A string value; multi-line text becomes a literal block indented by
/// `block_indent` when that keeps it byte for byte.
pub fn string(s: &str, block_indent: usize) -> String {
    let mut out = String::new();
    write_string(s, block_indent, &mut out);
    out
}

pub fn write_string(s: &str, block_indent: usize, out: &mut String) {
    if plain_safe(s) {
        out.push_str(s);
    } else if block_safe(s) {
        out.push_str("|-");
        for line in s.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                push_indent(out, block_indent);
                out.push_str(line);
            }
        }
    } else {
        write_double_quoted(s, out);
    }
}

/// YAML 1.1 floats need a dot and a signed exponent; anything else would
/// read back as an integer or a string.
fn float(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            ".nan".into()
        } else if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let s = format!("{f:?}");
    match s.split_once('e') {
        None if s.contains('.') => s,
        None => format!("{s}.0"),
        Some((mant, exp)) => {
            let mant = if mant.contains('.') {
                mant.to_string()
            } else {
                format!("{mant}.0")
            };
            let exp = if exp.starts_with('-') {
                exp.to_string()
            } else {
                format!("+{exp}")
            };
            format!("{mant}e{exp}")
        }
    }
}

const RESERVED: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~",
];

/// Only identifier- and path-like strings are written plain: they start with
/// a letter, `_` or `/`, so they cannot be numbers, dates, anchors, tags or
/// indicators, and the YAML 1.1 boolean/null words are excluded.
// These scan bytes where the text is ASCII and decode characters only
// where it is not: the scripts in orchestration states are most of the
// bytes, and per-character decoding was most of the time of rendering.
fn plain_safe(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == b'_' || first == b'/')
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'-'))
        && (b.len() > 5 || !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s)))
}

/// A literal block keeps text exactly only if no line has leading
/// indentation ambiguity, trailing blanks or characters that need escapes.
fn block_safe(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.contains(&b'\n') || s.starts_with([' ', '\n']) || s.ends_with(['\n', ' ']) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii() {
            // No line may end in a blank.
            if !(c == b'\n' || (0x20..=0x7E).contains(&c))
                || (c == b' ' && b.get(i + 1) == Some(&b'\n'))
            {
                return false;
            }
            i += 1;
        } else {
            let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
            if !printable(ch) {
                return false;
            }
            i += ch.len_utf8();
        }
    }
    true
}

/// Characters PyYAML accepts raw that are not line breaks, tabs or BOMs.
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !is_break(c)
        && c != '\u{FEFF}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_double_quoted(s, &mut out);
    out
}

fn write_double_quoted(s: &str, out: &mut String) {
    out.push('"');
    // Runs of ASCII that need no escape are copied whole.
    let b = s.as_bytes();
    let mut run = 0;
    while run < b.len() && matches!(b[run], 0x20..=0x7E) && b[run] != b'"' && b[run] != b'\\' {
        run += 1;
    }
    out.push_str(&s[..run]);
    for c in s[run..].chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_when_unambiguous() {
        assert_eq!(key("hecate_files"), "hecate_files");
        assert_eq!(string("/srv/hecate/x", 0), "/srv/hecate/x");
        for s in [
            "on",
            "No",
            "1:20",
            "0777",
            "2026-11-22",
            "",
            "-a",
            ".inf",
            "a b",
        ] {
            assert!(string(s, 0).starts_with('"'), "{s}");
        }
    }

    #[test]
    fn floats_stay_floats() {
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(2.0), "2.0");
        assert_eq!(float(1e20), "1.0e+20");
        assert_eq!(float(1.5e-7), "1.5e-7");
    }

    #[test]
    fn blocks_and_escapes() {
        assert_eq!(string("a\nb", 4), "|-\n    a\n    b");
        assert_eq!(string("a\n\nb", 2), "|-\n  a\n\n  b");
        assert_eq!(string("a \nb", 2), "\"a \\nb\"");
        assert_eq!(string("x\u{7f}", 2), "\"x\\u007F\"");
        assert_eq!(string("\u{2028}", 2), "\"\\u2028\"");
    }

    /// The byte scanners decide like the character-by-character rules
    /// they replaced, on every string of up to four characters drawn from
    /// the characters that matter.
    #[test]
    fn scanners_agree_with_the_character_rules() {
        fn plain_ref(s: &str) -> bool {
            let mut chars = s.chars();
            let Some(first) = chars.next() else {
                return false;
            };
            (first.is_ascii_alphabetic() || first == '_' || first == '/')
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-'))
                && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
        }
        fn block_ref(s: &str) -> bool {
            s.contains('\n')
                && !s.starts_with([' ', '\n'])
                && !s.ends_with('\n')
                && s.chars().all(|c| c == '\n' || printable(c))
                && s.split('\n').all(|l| !l.ends_with(' '))
        }
        let alphabet = [
            'a', 'n', ' ', '\n', '\t', '\r', '"', '\\', '/', '-', 'é', '\u{85}', '\u{FEFF}',
            '\u{7f}',
        ];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = strings
                .iter()
                .filter(|s| s.chars().count() == strings.last().map_or(0, |l| l.chars().count()))
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        for s in ["no", "On", "y", "null", "/srv/x", "a.b-c_d"] {
            strings.push(s.to_string());
        }
        for s in &strings {
            assert_eq!(plain_safe(s), plain_ref(s), "{s:?}");
            assert_eq!(block_safe(s), block_ref(s), "{s:?}");
            let mut quoted = String::new();
            write_double_quoted(s, &mut quoted);
            let mut expected = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => expected.push_str("\\\""),
                    '\\' => expected.push_str("\\\\"),
                    '\n' => expected.push_str("\\n"),
                    '\t' => expected.push_str("\\t"),
                    '\r' => expected.push_str("\\r"),
                    c if printable(c) => expected.push(c),
                    c => expected.push_str(&format!("\\u{:04X}", c as u32)),
                }
            }
            expected.push('"');
            assert_eq!(quoted, expected, "{s:?}");
        }
        assert!(strings.len() > 30_000);
    }
}
