//! Every `hcl` example of docs/language.md is a whole spec that checks: no
//! errors, and exactly the warnings that an `<!-- warnings: W0501 … -->`
//! line just above the block names (none if there is no such line). The
//! last section holds the design document's examples, so they stay valid
//! too.

use std::collections::BTreeSet;

struct Example {
    line: usize,
    text: String,
    warnings: BTreeSet<String>,
}

fn examples(doc: &str) -> Vec<Example> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```hcl" {
            i += 1;
            continue;
        }
        let warnings = i
            .checked_sub(1)
            .and_then(|p| lines[p].strip_prefix("<!-- warnings:"))
            .and_then(|rest| rest.strip_suffix("-->"))
            .map(|codes| codes.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        let start = i + 1;
        let end = (start..lines.len())
            .find(|&j| lines[j].trim_end() == "```")
            .unwrap_or_else(|| panic!("docs/language.md:{}: unclosed code block", i + 1));
        let mut text = lines[start..end].join("\n");
        text.push('\n');
        out.push(Example {
            line: i + 1,
            text,
            warnings,
        });
        i = end + 1;
    }
    out
}

#[test]
fn every_example_of_the_language_reference_checks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/language.md")).expect("docs/language.md");
    let examples = examples(&doc);
    assert!(
        examples.len() >= 9,
        "expected the reference's examples and the design's, found {} hcl blocks",
        examples.len()
    );
    let mut failures = Vec::new();
    for ex in &examples {
        let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), ex.text.clone())]);
        let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
        let errors: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        let warnings: BTreeSet<String> = checked
            .diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| d.code.to_string())
            .collect();
        if !errors.is_empty() {
            failures.push(format!("docs/language.md:{}: errors {errors:?}", ex.line));
        } else if checked.models.is_empty() {
            failures.push(format!(
                "docs/language.md:{}: no environment to check",
                ex.line
            ));
        }
        if warnings != ex.warnings {
            failures.push(format!(
                "docs/language.md:{}: warnings {warnings:?}, the comment above says {:?}",
                ex.line, ex.warnings
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_warnings_comment_is_read() {
    let doc = "a\n<!-- warnings: W0501 W0504 -->\n```hcl\nx = 1\n```\n```hcl\ny = 2\n```\n";
    let ex = examples(doc);
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0].line, 3);
    assert_eq!(ex[0].text, "x = 1\n");
    assert_eq!(
        ex[0].warnings,
        BTreeSet::from(["W0501".to_string(), "W0504".to_string()])
    );
    assert!(ex[1].warnings.is_empty());
}
