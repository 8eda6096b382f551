//! `# eosc:allow W0501 -- the reason`: accepting one finding where it is,
//! instead of turning a whole class of warnings off. The comment goes on
//! the finding's line or on the line before; the reason is required (its
//! absence is W0101), an allow that matches nothing is W0102, and an
//! allowed finding is kept, marked with its reason, so machine formats can
//! show it as suppressed rather than make it vanish.

use super::{Diagnostic, Severity};
use crate::diagnostics::Code;
use crate::source::{FileId, SourceMap, Span};

/// A warning accepted by an `eosc:allow` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowed {
    pub diagnostic: Diagnostic,
    /// The text after `--` (empty if there was none: W0101 says so).
    pub reason: String,
    /// The `eosc:allow …` comment.
    pub span: Span,
}

struct Directive {
    file: FileId,
    line: usize,
    span: Span,
    codes: Vec<(String, bool)>,
    reason: String,
}

const MARKER: &str = "eosc:allow";

/// Every `eosc:allow` comment of the user's files (the standard library
/// has none). A comment is `#` or `//` before the marker on its line, so a
/// marker inside a string on a line without a comment is not one.
fn directives(sources: &SourceMap) -> Vec<Directive> {
    let mut out = Vec::new();
    for (id, file) in sources.files() {
        if crate::stdlib::get(&file.name).is_some() || file.data || !file.text.contains(MARKER) {
            continue;
        }
        let mut offset = 0;
        for (i, line) in file.text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += line.len();
            let Some(at) = line.find(MARKER) else {
                continue;
            };
            let before = line[..at].trim_end();
            if !(before.ends_with('#') || before.ends_with("//")) {
                continue;
            }
            let rest = line[at + MARKER.len()..].trim_end();
            let (codes, reason) = match rest.split_once("--") {
                Some((c, r)) => (c, r.trim()),
                None => (rest, ""),
            };
            // Codes (`W0501`, comma- or space-separated) up to the first
            // word that is not one: text after them without `--` is not a
            // reason eosc can tell from more codes.
            let codes = codes
                .split([',', ' ', '\t'])
                .filter(|c| !c.is_empty())
                .take_while(|c| is_code(c))
                .map(|c| (c.to_string(), false))
                .collect();
            let end = start + line.trim_end().len();
            out.push(Directive {
                file: id,
                line: i + 1,
                span: Span::new(id, start + at, end),
                codes,
                reason: reason.to_string(),
            });
        }
    }
    out
}

/// `W0501`, `E0203`: a letter and four digits.
fn is_code(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 5 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// Splits `diags` into those still reported (with W0101/W0102 for the
/// allow comments themselves, re-sorted) and the warnings allowed.
pub fn apply(sources: &SourceMap, diags: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Allowed>) {
    let mut dirs = directives(sources);
    if dirs.is_empty() {
        return (diags, Vec::new());
    }
    let mut kept = Vec::new();
    let mut allowed = Vec::new();
    for d in diags {
        let span = d.primary.span;
        let line = sources.get(span.file).line_col(span.start).0;
        let found = (d.severity == Severity::Warning)
            .then(|| {
                dirs.iter_mut().find(|x| {
                    x.file == span.file
                        && (x.line == line || x.line + 1 == line)
                        && x.codes.iter().any(|(c, _)| c == d.code.as_str())
                })
            })
            .flatten();
        match found {
            Some(x) => {
                for (c, used) in &mut x.codes {
                    if c == d.code.as_str() {
                        *used = true;
                    }
                }
                allowed.push(Allowed {
                    diagnostic: d,
                    reason: x.reason.clone(),
                    span: x.span,
                });
            }
            None => kept.push(d),
        }
    }
    for x in &dirs {
        if x.codes.is_empty() {
            kept.push(
                Diagnostic::warning(Code::W0102, x.span, "`eosc:allow` names no code")
                    .label("which warning?")
                    .help("write the code of the warning to accept: `# eosc:allow W0501 -- why`"),
            );
        }
        if x.reason.is_empty() {
            kept.push(
                Diagnostic::warning(Code::W0101, x.span, "`eosc:allow` without a reason")
                    .label("no `-- reason` here")
                    .help("say why the finding is acceptable, after `--`: `# eosc:allow W0501 -- the reason`"),
            );
        }
        for (code, used) in &x.codes {
            if *used {
                continue;
            }
            let (message, help) = if code.starts_with('E') && super::explain::title(code).is_some()
            {
                (
                    format!("`eosc:allow {code}`: errors cannot be allowed"),
                    format!(
                        "fix the error; only warnings (W…) can be accepted (`eosc explain {code}`)"
                    ),
                )
            } else if super::explain::title(code).is_none() {
                (
                    format!("`eosc:allow {code}`: no such warning code"),
                    "codes look like W0501; `eosc explain --list` lists them".to_string(),
                )
            } else {
                (
                    format!("unused `eosc:allow {code}`: no {code} on this line or the next"),
                    "remove the comment, or move it onto the finding's line or the line before"
                        .to_string(),
                )
            };
            kept.push(
                Diagnostic::warning(Code::W0102, x.span, message)
                    .label("allows nothing")
                    .help(help),
            );
        }
    }
    super::sort(&mut kept);
    (kept, allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, on_line: usize) -> (Vec<Diagnostic>, Vec<Allowed>) {
        let mut sources = SourceMap::new();
        let id = sources.add("hecate.hcl", text);
        let start: usize = text
            .split_inclusive('\n')
            .take(on_line - 1)
            .map(str::len)
            .sum();
        let d = Diagnostic::warning(Code::W0501, Span::new(id, start, start + 1), "tls");
        apply(&sources, vec![d])
    }

    #[test]
    fn same_line_and_line_before() {
        let (kept, allowed) = run("a = 1 # eosc:allow W0501 -- self-signed\n", 1);
        assert!(kept.is_empty(), "{kept:?}");
        assert_eq!(allowed[0].reason, "self-signed");
        let (kept, allowed) = run("// eosc:allow W0501 -- ok\na = 1\n", 2);
        assert!(kept.is_empty() && allowed.len() == 1);
    }

    #[test]
    fn too_far_unused_and_reasonless() {
        let (kept, allowed) = run("# eosc:allow W0501 -- x\n\na = 1\n", 3);
        let codes: Vec<_> = kept.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::W0102, Code::W0501]);
        assert!(allowed.is_empty());
        let (kept, allowed) = run("a = 1 # eosc:allow W0501\n", 1);
        assert_eq!(
            kept.iter().map(|d| d.code).collect::<Vec<_>>(),
            [Code::W0101]
        );
        assert_eq!(allowed.len(), 1);
    }

    #[test]
    fn a_marker_in_a_string_is_not_a_comment() {
        let (kept, allowed) = run("a = \"eosc:allow W0501 -- x\"\n", 1);
        assert_eq!(kept.len(), 1);
        assert!(allowed.is_empty());
    }
}
