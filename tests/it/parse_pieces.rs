//! `syntax::parse` cuts a large file into pieces at the end of top-level
//! blocks and parses them one by one. It must give exactly what parsing the
//! whole file gives (the same module, spans included, or the same
//! diagnostics): here with a cut at every top-level block, on every spec of
//! the repository, on deterministic mutations of them, and on heredocs whose
//! braces mislead the cutting scan.

use eosc::source::FileId;
use eosc::syntax::{parse_in_pieces, parse_whole};

use crate::support::rng;
use rng::Rng;

fn specs() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![root.join("tests/cases"), root.join("examples")];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .expect("readable")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "hcl") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.push((p.display().to_string(), text));
            }
        }
    }
    for (name, text) in eosc::stdlib::MODULES {
        out.push((name.to_string(), text.to_string()));
    }
    out
}

fn same(name: &str, text: &str) {
    let whole = parse_whole(FileId(0), text);
    let pieces = parse_in_pieces(FileId(0), text, 1);
    assert_eq!(
        format!("{pieces:?}"),
        format!("{whole:?}"),
        "{name}: parsed in pieces differs from parsed whole:\n{text}"
    );
}

#[test]
fn every_spec_parses_the_same_in_pieces() {
    let specs = specs();
    assert!(specs.len() > 150, "found only {} specs", specs.len());
    for (name, text) in &specs {
        same(name, text);
    }
}

#[test]
fn mutated_specs_parse_the_same_in_pieces() {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        "${",
        "$${",
        "<<EOF\n",
        "\nEOF\n",
        "<<-X\n}\n",
        "\n  X\n",
        "#",
        "//",
        "/*",
        "*/",
        "\n",
        "\\",
        "=",
        "app \"a\" {",
    ];
    let specs = specs();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut next = |n: usize| rng.below(n);
    for i in 0..3000 {
        let (name, text) = &specs[next(specs.len())];
        let mut bytes = text.as_bytes().to_vec();
        for _ in 0..1 + next(3) {
            let at = next(bytes.len() + 1);
            if next(2) == 0 && at < bytes.len() {
                bytes.remove(at);
            } else {
                let tok = TOKENS[next(TOKENS.len())].as_bytes();
                bytes.splice(at..at, tok.iter().copied());
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        same(&format!("{name} (mutation {i})"), &text);
    }
}

#[test]
fn heredocs_with_braces_parse_the_same_in_pieces() {
    let cases = [
        // A `}` in a heredoc closes the block for the cutting scan.
        "app \"a\" {\n  args = [<<EOF\n}\nx = 1\nEOF\n  ]\n}\napp \"b\" {}\n",
        // And a `{` opens one that never closes.
        "app \"a\" {\n  args = [<<-EOF\n    {\n    EOF\n  ]\n}\napp \"b\" {}\n",
        // A quote in a heredoc starts a string for the scan.
        "app \"a\" {\n  args = [<<EOF\n\" }\nEOF\n  ]\n}\napp \"b\" { image = \"x\" }\n",
        // A comment marker in a heredoc hides the closing brace from the scan.
        "app \"a\" {\n  args = [<<EOF\n# }\nEOF\n  ]\n}\napp \"b\" {}\n",
    ];
    for text in cases {
        same("heredoc case", text);
        assert!(parse_whole(FileId(0), text).is_ok(), "{text}");
    }
}

/// The nesting bound counts brackets of the syntax, not of heredoc text:
/// a body of 70 `{` (a template, a JSON blob) is free text, while the same
/// braces outside a heredoc are still E0105.
#[test]
fn heredoc_bodies_do_not_count_towards_nesting() {
    let braces = "{".repeat(70);
    let text =
        format!("app \"a\" {{\n  args = [<<-EOT\n    {braces}\n  EOT\n  ]\n}}\napp \"b\" {{}}\n");
    same("70 braces in a heredoc", &text);
    assert!(parse_whole(FileId(0), &text).is_ok(), "{text}");
    let deep = format!("app \"a\" {{\n  args = {}\n}}\n", "[".repeat(70));
    let codes: Vec<String> = parse_whole(FileId(0), &deep)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.code.to_string())
        .collect();
    assert_eq!(codes, ["E0105"], "{deep}");
}

/// An unclosed heredoc is reported at its opener, whether the file is
/// parsed whole or in pieces.
#[test]
fn an_unclosed_heredoc_is_reported_at_its_opener() {
    let text = "app \"a\" {\n  image = \"x\"\n}\napp \"b\" {\n  command = <<-EOT\n    echo hi\n}\n";
    same("unclosed heredoc", text);
    let d = parse_whole(FileId(0), text).expect_err("an unclosed heredoc");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.contains("heredoc is never closed"),
        "{}",
        d[0].message
    );
    let at = text.find("<<-EOT").expect("opener");
    assert_eq!(
        (
            d[0].primary.span.start as usize,
            d[0].primary.span.end as usize
        ),
        (at, at + 6)
    );
}

/// A file of more than 256 KiB parses its pieces on every core: the
/// joined module is still the one parsing the whole file gives, and a
/// syntax error in any thread's run still falls back to the whole file.
#[test]
fn large_files_parse_the_same_on_several_threads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example =
        std::fs::read_to_string(root.join("examples/cybermonkey/hecate.hcl")).expect("the example");
    let big = example.repeat(300 * 1024 / example.len() + 1);
    assert!(big.len() > 256 * 1024);
    same("the example, repeated", &big);
    for at in [big.len() / 5, big.len() / 2, big.len() - 10] {
        let mut broken = big.clone();
        broken.insert_str(at, "\n{ = \n");
        same(&format!("the example, repeated, broken at {at}"), &broken);
    }
}
