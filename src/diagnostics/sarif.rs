//! SARIF 2.1.0 (the OASIS standard) as GitHub code scanning reads it: one
//! run, the rules of the codes that occur (described from docs/errors.md),
//! one result per diagnostic with a physical location relative to the
//! working directory.

use super::{explain, headline, Diagnostic, Report, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The schema the log conforms to: the OASIS standard with its errata
/// (vendored in tests/schemas/ and validated against in tests).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The whole log, pretty-printed, ending in a newline.
pub fn render(reports: &[Report]) -> String {
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reports {
        for d in r
            .diagnostics
            .iter()
            .chain(r.allowed.iter().map(|a| &a.diagnostic))
        {
            codes.insert(d.code.as_str(), 0);
        }
    }
    for (i, index) in codes.values_mut().enumerate() {
        *index = i;
    }
    let rules: Vec<Value> = codes.keys().map(|c| rule(c)).collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(move |d| (r, d)))
        .map(|(r, d)| result(r, d, codes.get(d.code.as_str()).copied().unwrap_or(0)))
        .chain(reports.iter().flat_map(|r| {
            r.allowed.iter().map(|a| {
                let mut v = result(r, &a.diagnostic, codes.get(a.diagnostic.code.as_str()).copied().unwrap_or(0));
                // SARIF's in-source suppression: the result stays, marked
                // with the comment's reason and place.
                let mut s = json!({ "kind": "inSource", "status": "accepted" });
                if !a.reason.is_empty() {
                    s["justification"] = json!(a.reason);
                }
                if let Some(l) = r.location(a.span) {
                    s["location"] = json!({
                        "physicalLocation": physical(&l.path, l.line, l.column, l.end_line, l.end_column)
                    });
                }
                v["suppressions"] = json!([s]);
                v
            })
        }))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "eosc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            // Our columns count characters, not UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(code: &str) -> Value {
    let title = explain::title(code).unwrap_or(code);
    let summary = explain::summary(code).unwrap_or_else(|| title.to_string());
    let section = explain::explanation(code).unwrap_or_default();
    let default_level = if code.starts_with('W') {
        "warning"
    } else {
        "error"
    };
    json!({
        "id": code,
        "shortDescription": { "text": title },
        "fullDescription": { "text": summary },
        "help": { "text": section, "markdown": section },
        "defaultConfiguration": { "level": default_level },
    })
}

fn result(r: &Report, d: &Diagnostic, rule_index: usize) -> Value {
    let mut text = headline(d);
    let primary = r.location(d.primary.span);
    if primary.is_none() {
        text.push_str(&format!(
            " (at {}, imported by this file)",
            r.std_position(d.primary.span)
        ));
    }
    if !d.help.is_empty() {
        text.push_str(&format!("\nhelp: {}", d.help));
    }
    let location = match primary {
        Some(l) => physical(&l.path, l.line, l.column, l.end_line, l.end_column),
        None => physical(&r.root_path(), 1, 1, 1, 1),
    };
    let mut out = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": location }],
    });
    let related: Vec<Value> = d
        .secondary
        .iter()
        .filter_map(|s| Some((r.location(s.span)?, &s.message)))
        .enumerate()
        .map(|(i, (l, msg))| {
            let mut v = json!({
                "id": i + 1,
                "physicalLocation": physical(&l.path, l.line, l.column, l.end_line, l.end_column),
            });
            if !msg.is_empty() {
                v["message"] = json!({ "text": msg });
            }
            v
        })
        .collect();
    if !related.is_empty() {
        out["relatedLocations"] = Value::Array(related);
    }
    out
}

fn physical(path: &str, line: usize, column: usize, end_line: usize, end_column: usize) -> Value {
    json!({
        "artifactLocation": { "uri": uri(path) },
        "region": {
            "startLine": line,
            "startColumn": column,
            "endLine": end_line,
            "endColumn": end_column,
        }
    })
}

/// A relative path as a URI reference (percent-encoded); an absolute path
/// as a `file://` URI.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    let absolute = path.starts_with('/');
    if absolute {
        out.push_str("file://");
    }
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+=@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("examples/x/hecate.hcl"), "examples/x/hecate.hcl");
        assert_eq!(uri("my dir/a:b,c.hcl"), "my%20dir/a%3Ab%2Cc.hcl");
        assert_eq!(uri("/abs/ü.hcl"), "file:///abs/%C3%BC.hcl");
    }
}
