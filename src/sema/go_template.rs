//! Go `text/template` source (what Nomad's `template` block renders through
//! consul-template) read far enough to check it: actions between the
//! delimiters, balanced, with strings, raw strings, character constants and
//! `/* comments */` inside them, and trim markers (`{{- `, ` -}}`). From the
//! actions it collects the calls eosc must know about: Vault `secret` paths,
//! Consul `key` paths and `service` names. Pure; offsets are byte offsets
//! into the text.
//!
//! The rules follow Go's `text/template/parse/lex.go`: a left delimiter
//! opens an action wherever it is (there is no escape for it in text; a
//! literal `{{` is written `{{ "{{" }}`), a comment must start right after
//! the delimiter (and its trim marker) and end right before the closing one,
//! and a right delimiter in plain text is text.

/// One problem, at a byte offset of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub at: usize,
    /// Length in bytes of the offending text (at least 1).
    pub len: usize,
    pub message: String,
    pub label: &'static str,
}

/// A call of interest with its first argument, a string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// `secret`, `key`, `service`, ….
    pub func: String,
    /// The literal's value (`None`: the argument is not a string literal).
    pub arg: Option<String>,
    /// Offset and length of the argument (or of the function name when
    /// there is no literal).
    pub at: usize,
    pub len: usize,
}

/// What [`lex`] found.
#[derive(Debug, Default)]
pub struct Lexed {
    pub problems: Vec<Problem>,
    pub calls: Vec<Call>,
    /// Byte ranges of the actions, delimiters included.
    pub actions: Vec<(usize, usize)>,
}

/// Functions whose first argument names a Vault path.
pub const SECRET_FUNCS: &[&str] = &["secret"];
/// Functions whose first argument names a Consul KV path.
pub const KEY_FUNCS: &[&str] = &[
    "key",
    "keyOrDefault",
    "keyExists",
    "ls",
    "safeLs",
    "tree",
    "safeTree",
];
/// Identifiers Go's parser takes that are no function (`parse/lex.go`
/// keywords and constants).
const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template",
    "with", "true", "false",
];

/// The functions a template may call: Go's builtins (`text/template`
/// `builtins()`), consul-template's (`template/funcs.go` `funcMap`, its
/// `sprig_` functions by prefix) and the Nomad ones Nomad's template hook
/// adds. Go refuses a template that calls any other ("function %q not
/// defined") when it parses it, on the client, after the deployment
/// started.
const FUNCTIONS: &[&str] = &[
    // Go
    "and",
    "call",
    "html",
    "index",
    "slice",
    "js",
    "len",
    "not",
    "or",
    "print",
    "printf",
    "println",
    "urlquery",
    "eq",
    "ge",
    "gt",
    "le",
    "lt",
    "ne",
    // consul-template: Consul, Vault, Nomad
    "caLeaf",
    "caRoots",
    "connect",
    "datacenters",
    "exportedServices",
    "file",
    "key",
    "keyExists",
    "keyOrDefault",
    "ls",
    "safeLs",
    "node",
    "nodes",
    "partitions",
    "peerings",
    "pkiCert",
    "secret",
    "secrets",
    "service",
    "services",
    "tree",
    "safeTree",
    "nomadService",
    "nomadServices",
    "nomadVar",
    "nomadVarExists",
    "nomadVarList",
    "nomadVarListSafe",
    "writeToFile",
    "executeTemplate",
    "scratch",
    // consul-template helpers
    "add",
    "base64Decode",
    "base64Encode",
    "base64URLDecode",
    "base64URLEncode",
    "byKey",
    "byMeta",
    "byTag",
    "contains",
    "containsAll",
    "containsAny",
    "containsNone",
    "containsNotAll",
    "divide",
    "env",
    "envOrDefault",
    "explode",
    "explodeMap",
    "in",
    "indent",
    "join",
    "loop",
    "maximum",
    "md5sum",
    "mergeMap",
    "mergeMapWithOverride",
    "minimum",
    "modulo",
    "multiply",
    "parseBool",
    "parseFloat",
    "parseInt",
    "parseJSON",
    "parseUint",
    "parseYAML",
    "plugin",
    "regexMatch",
    "regexReplaceAll",
    "replaceAll",
    "runTime",
    "sha256Hex",
    "sockaddr",
    "split",
    "splitToMap",
    "spew_dump",
    "spew_printf",
    "spew_sdump",
    "spew_sprintf",
    "subtract",
    "timestamp",
    "toJSON",
    "toJSONPretty",
    "toLower",
    "toTitle",
    "toTOML",
    "toUnescapedJSON",
    "toUnescapedJSONPretty",
    "toUpper",
    "toYAML",
    "trim",
    "trimPrefix",
    "trimSpace",
    "trimSuffix",
];

/// Whether `name` is a function the template may call.
pub fn known_function(name: &str) -> bool {
    FUNCTIONS.contains(&name) || name.starts_with("sprig_")
}

/// Functions whose first argument is a Consul service query.
pub const SERVICE_FUNCS: &[&str] = &["service", "connect"];

pub fn lex(text: &str, left: &str, right: &str) -> Lexed {
    let mut out = Lexed::default();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(rel) = text[i..].find(left) {
        let start = i + rel;
        match action(text, start, left, right, &mut out) {
            Some(end) => {
                out.actions.push((start, end));
                i = end;
            }
            None => return out,
        }
        if i >= b.len() {
            break;
        }
    }
    out
}

/// The action opening at `start`; its end (after the right delimiter), or
/// `None` after a problem that leaves the rest unreadable.
fn action(text: &str, start: usize, left: &str, right: &str, out: &mut Lexed) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = start + left.len();
    // `{{- ` trims the text before; the `-` needs a blank after it.
    if b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(|c| is_space(*c)) {
        i += 2;
    }
    let body_start = i;
    // A comment: `{{/* … */}}`, nothing else in the action.
    let after_space = skip_space(b, i);
    if text[i..].starts_with("/*") || (after_space != i && text[after_space..].starts_with("/*")) {
        let c = if text[i..].starts_with("/*") {
            i
        } else {
            after_space
        };
        if c != i {
            out.problems.push(Problem {
                at: start,
                len: c - start,
                message: "a comment must follow the delimiter directly".into(),
                label: "blank before `/*`",
            });
        }
        let Some(close) = text[c + 2..].find("*/") else {
            out.problems.push(problem(
                start,
                left.len(),
                "unclosed comment",
                "this comment has no `*/`",
            ));
            return None;
        };
        let mut j = c + 2 + close + 2;
        if text[j..].starts_with(" -") && text[j + 2..].starts_with(right) {
            j += 2;
        }
        if !text[j..].starts_with(right) {
            out.problems.push(problem(
                j.min(text.len().saturating_sub(1)),
                1,
                "a comment must end right before the closing delimiter",
                "text after `*/`",
            ));
            return None;
        }
        return Some(j + right.len());
    }
    let mut words: Vec<Word> = Vec::new();
    let mut saw_token = false;
    let mut paren: Vec<usize> = Vec::new();
    while i < b.len() {
        // ` -}}` trims after; the blank before `-` is required.
        if b[i] == b'-' && i > body_start && is_space(b[i - 1]) && text[i + 1..].starts_with(right)
        {
            i += 1;
            continue;
        }
        if text[i..].starts_with(right) {
            if !saw_token {
                out.problems.push(problem(
                    start,
                    i + right.len() - start,
                    "empty action",
                    "nothing between the delimiters",
                ));
            }
            if let Some(&p) = paren.last() {
                out.problems.push(problem(
                    p,
                    1,
                    "unclosed parenthesis in an action",
                    "no `)` before the action ends",
                ));
            }
            calls(&words, out);
            return Some(i + right.len());
        }
        if text[i..].starts_with(left) {
            out.problems.push(problem(
                start,
                left.len(),
                "unclosed action: a new one starts before this one ends",
                "this action has no closing delimiter before the next one opens",
            ));
            return Some(i);
        }
        let c = b[i];
        match c {
            b'"' | b'`' | b'\'' => {
                let Some((end, value)) = quoted(text, i) else {
                    let what = match c {
                        b'"' => "unterminated string in an action",
                        b'`' => "unterminated raw string in an action",
                        _ => "unterminated character constant in an action",
                    };
                    out.problems.push(problem(
                        i,
                        1,
                        what,
                        "the literal starts here and never ends",
                    ));
                    return None;
                };
                words.push(Word {
                    at: i,
                    len: end - i,
                    text: value,
                    literal: c != b'\'',
                });
                saw_token = true;
                i = end;
            }
            b'(' => {
                paren.push(i);
                words.push(Word::punct(i, "("));
                saw_token = true;
                i += 1;
            }
            b')' => {
                if paren.pop().is_none() {
                    out.problems.push(problem(
                        i,
                        1,
                        "unexpected `)` in an action",
                        "no `(` opens it",
                    ));
                }
                words.push(Word::punct(i, ")"));
                i += 1;
            }
            c if is_space(c) => i += 1,
            _ => {
                let s = i;
                while i < b.len()
                    && !is_space(b[i])
                    && !matches!(b[i], b'"' | b'`' | b'\'' | b'(' | b')')
                    && !text[i..].starts_with(right)
                    && !text[i..].starts_with(left)
                {
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                }
                words.push(Word::punct(s, &text[s..i]));
                saw_token = true;
            }
        }
    }
    out.problems.push(problem(
        start,
        left.len(),
        "unclosed action",
        "this action has no closing delimiter",
    ));
    None
}

/// A token of an action: a literal (string or raw string, its value) or
/// any other word (its text).
struct Word {
    at: usize,
    len: usize,
    text: String,
    literal: bool,
}

impl Word {
    fn punct(at: usize, text: &str) -> Word {
        Word {
            at,
            len: text.len(),
            text: text.into(),
            literal: false,
        }
    }
}

/// The function calls of one action: a word of interest followed by its
/// first argument.
fn calls(words: &[Word], out: &mut Lexed) {
    for w in words.iter().filter(|w| !w.literal) {
        // A bare identifier (not `.Field`, `$var`, a number) is a function.
        let ident: &str = {
            let t = w.text.as_str();
            let end = t
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(t.len());
            if t.starts_with(|c: char| c.is_alphabetic() || c == '_') {
                &t[..end]
            } else {
                ""
            }
        };
        if !ident.is_empty() && !KEYWORDS.contains(&ident) && !known_function(ident) {
            out.problems.push(Problem {
                at: w.at,
                len: ident.len(),
                message: format!("`{}` is not a template function", ident.escape_debug()),
                label: "Go refuses the template: function not defined",
            });
        }
    }
    for (n, w) in words.iter().enumerate() {
        let name = w.text.as_str();
        if w.literal
            || !(SECRET_FUNCS.contains(&name)
                || KEY_FUNCS.contains(&name)
                || SERVICE_FUNCS.contains(&name))
        {
            continue;
        }
        let call = match words.get(n + 1) {
            Some(a) if a.literal => Call {
                func: name.into(),
                arg: Some(a.text.clone()),
                at: a.at,
                len: a.len,
            },
            _ => Call {
                func: name.into(),
                arg: None,
                at: w.at,
                len: w.len,
            },
        };
        out.calls.push(call);
    }
}

fn problem(at: usize, len: usize, message: &str, label: &'static str) -> Problem {
    Problem {
        at,
        len: len.max(1),
        message: message.into(),
        label,
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    i
}

/// A Go string (`"…"` with escapes), raw string (`` `…` ``) or character
/// constant at `i`: its end and value. An interpreted string or character
/// constant may not span lines.
fn quoted(text: &str, i: usize) -> Option<(usize, String)> {
    let b = text.as_bytes();
    let q = b[i];
    let mut j = i + 1;
    let mut value = String::new();
    while j < b.len() {
        let c = b[j];
        if c == q {
            return Some((j + 1, value));
        }
        if q != b'`' && c == b'\n' {
            return None;
        }
        if q != b'`' && c == b'\\' {
            let e = *b.get(j + 1)?;
            match e {
                b'n' => value.push('\n'),
                b't' => value.push('\t'),
                b'r' => value.push('\r'),
                b'\\' => value.push('\\'),
                b'"' => value.push('"'),
                b'\'' => value.push('\''),
                b'\n' => return None,
                _ => {
                    value.push('\\');
                    value.push(e as char);
                }
            }
            j += 2;
            continue;
        }
        let ch = text[j..].chars().next()?;
        value.push(ch);
        j += ch.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(t: &str) -> Vec<(usize, String)> {
        lex(t, "{{", "}}")
            .problems
            .into_iter()
            .map(|p| (p.at, p.message))
            .collect()
    }

    #[test]
    fn balanced_text_is_clean() {
        for t in [
            "plain } }} text",
            "{{ .Port }} and {{- trim -}} and {{/* c */}} and {{- /* c */ -}}",
            "{{ \"}}\" }} {{ `a\n}}b` }} {{ '}' }}",
            "{{ with secret \"a/b\" }}{{ .Data.data.value }}{{ end }}",
            "{{ (index . \"x\") }}",
            "{{-3}}",
            "{{ $x := .Foo }}{{ if eq $x 1 }}{{ sprig_upper \"a\" }}{{ else }}{{ end }}",
        ] {
            assert_eq!(problems(t), Vec::new(), "{t}");
        }
    }

    #[test]
    fn problems_point_at_their_byte() {
        assert_eq!(problems("ab {{ x")[0].0, 3);
        assert_eq!(problems("{{ a {{ b }}")[0].0, 0);
        assert_eq!(problems("x {{ \"open }}")[0].0, 5);
        assert_eq!(problems("{{}}")[0].1, "empty action");
        assert_eq!(
            problems("{{ /* c */ }}")[0].1,
            "a comment must follow the delimiter directly"
        );
        assert_eq!(
            problems("{{/* c */ x }}")[0].1,
            "a comment must end right before the closing delimiter"
        );
        assert_eq!(problems("{{ ( x }}")[0].0, 3);
        assert_eq!(problems("{{ x ) }}")[0].0, 5);
        assert_eq!(
            problems("a {{ c }}"),
            [(5, "`c` is not a template function".to_string())]
        );
    }

    #[test]
    fn calls_with_literal_arguments() {
        let l = lex(
            "{{ with secret \"secret/a\" }}{{ key `k/b` }}{{ range service \"tag.web@dc1\" }}{{ secret $p }}",
            "{{",
            "}}",
        );
        let got: Vec<(&str, Option<&str>)> = l
            .calls
            .iter()
            .map(|c| (c.func.as_str(), c.arg.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("secret", Some("secret/a")),
                ("key", Some("k/b")),
                ("service", Some("tag.web@dc1")),
                ("secret", None)
            ]
        );
    }

    #[test]
    fn other_delimiters() {
        assert!(lex("{{ not an action [[ .X ]]", "[[", "]]")
            .problems
            .is_empty());
        assert_eq!(lex("[[ x", "[[", "]]").problems[0].at, 0);
    }
}
