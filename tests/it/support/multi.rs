//! Files that hold several small cases (Typst-style), for mistakes that
//! read better side by side than one file each. A file under
//! tests/cases/err/ whose first line starts with `# ---` is such a file:
//!
//! ```hcl
//! # --- E0203_unknown_root
//! # Error: E0203 4:17
//! project "demo" {
//!   region = global
//! }
//! ```
//!
//! Each `# --- <name>` line starts a case; the `# Error: CODE LINE:COL` /
//! `# Warning: CODE LINE:COL` lines right after it are its expectations;
//! the lines after those, up to the next `# ---` line (trailing blank lines
//! dropped), are its spec, checked as a file of its own named `<name>.hcl`.
//! Lines and columns count from the spec's first line, as the diagnostics
//! do. The expectations must be exactly the diagnostics (every one, none
//! more); the name follows the same rules as a case file's stem (a code
//! prefix is an expectation too) and the rendered diagnostics are
//! snapshotted as `err/<name>.snap`, as for a file of its own. A case of
//! such a file cannot import.

use eosc::diagnostics::{Diagnostic, Severity};
use std::path::Path;

pub const SEPARATOR: &str = "# ---";

/// One case of a multi-case file.
pub struct Case {
    pub name: String,
    /// The file it came from and the line of its `# ---` header (1-based).
    pub origin: String,
    pub expected: Vec<String>,
    pub text: String,
}

/// Whether `text` is a multi-case file.
pub fn is_multi(text: &str) -> bool {
    text.starts_with(SEPARATOR)
}

/// The cases of a multi-case file; a header or expectation that does not
/// parse is an `Err` (nothing written in such a file is ignored).
pub fn cases(path: &Path, text: &str) -> Result<Vec<Case>, String> {
    let mut out: Vec<Case> = Vec::new();
    let mut in_expectations = false;
    let mut body: Vec<&str> = Vec::new();
    let finish = |out: &mut Vec<Case>, body: &mut Vec<&str>| {
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        if let Some(case) = out.last_mut() {
            case.text = body.iter().map(|l| format!("{l}\n")).collect();
        }
        body.clear();
    };
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix(SEPARATOR) {
            finish(&mut out, &mut body);
            let name = rest.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "{}:{}: `{line}`: a case header is `# --- <name>` (letters, digits, _)",
                    path.display(),
                    i + 1
                ));
            }
            if out.iter().any(|c| c.name == name) {
                return Err(format!("{}:{}: case `{name}` twice", path.display(), i + 1));
            }
            out.push(Case {
                name: name.to_string(),
                origin: format!("{}:{}", path.display(), i + 1),
                expected: Vec::new(),
                text: String::new(),
            });
            in_expectations = true;
        } else if in_expectations
            && (line.starts_with("# Error:") || line.starts_with("# Warning:"))
        {
            let expectation = normalize(&line[2..]);
            let well_formed = expectation.split(' ').count() == 3
                && expectation.rsplit(' ').next().is_some_and(|pos| {
                    let mut parts = pos.rsplit(':');
                    let col = parts.next().and_then(|c| c.parse::<usize>().ok());
                    let line = parts.next().and_then(|l| l.parse::<usize>().ok());
                    col.is_some() && line.is_some()
                });
            if !well_formed {
                return Err(format!(
                    "{}:{}: `{line}`: an expectation is `# Error: E0203 4:17` or `# Warning: W0502 3:11`",
                    path.display(),
                    i + 1
                ));
            }
            out.last_mut()
                .expect("after a header")
                .expected
                .push(expectation);
        } else {
            in_expectations = false;
            body.push(line);
        }
    }
    finish(&mut out, &mut body);
    for c in &out {
        if c.expected.is_empty() {
            return Err(format!(
                "{}: case `{}` has no `# Error:` / `# Warning:` line",
                c.origin, c.name
            ));
        }
    }
    Ok(out)
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The diagnostics as expectations: `Error: E0203 4:17`, sorted; a position
/// in another file than the case's own (the stdlib) is `name:4:17`.
pub fn actual(checked: &eosc::Checked, root: &str) -> Vec<String> {
    let mut out: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            let kind = match d.severity {
                Severity::Error => "Error",
                Severity::Warning => "Warning",
            };
            let file = checked.sources.get(d.primary.span.file);
            let (line, col) = file.line_col(d.primary.span.start);
            let place = if file.name == root {
                format!("{line}:{col}")
            } else {
                format!("{}:{line}:{col}", file.name)
            };
            format!("{kind}: {} {place}", d.code)
        })
        .collect();
    out.sort();
    out
}

/// A loader that knows one file: the case.
pub struct One<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl eosc::Loader for One<'_> {
    fn load(&self, path: &str) -> Result<String, String> {
        if path == self.name {
            Ok(self.text.to_string())
        } else {
            Err(format!(
                "{path}: a case of a multi-case file cannot import (make it a file of its own)"
            ))
        }
    }
}
