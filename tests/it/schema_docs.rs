//! The schemas (`eosc::sema::schema`) are the one list of blocks and
//! attributes: docs/language.md's attribute tables and the fuzz dictionary
//! must agree with them. `EOSC_UPDATE_DOCS=1 cargo test --test schema_docs`
//! rewrites both.

use eosc::sema::schema;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var("EOSC_UPDATE_DOCS").is_ok_and(|v| v == "1")
}

#[test]
fn language_md_tables_are_the_schemas() {
    let path = root().join("docs/language.md");
    let text = std::fs::read_to_string(&path).expect("docs/language.md");
    let want = match schema::update_docs(&text) {
        Ok(t) => t,
        Err(missing) => panic!(
            "docs/language.md has no `<!-- schema PATH -->` marker for: {}",
            missing.join(", ")
        ),
    };
    if want == text {
        return;
    }
    if updating() {
        std::fs::write(&path, want).expect("write docs/language.md");
        return;
    }
    let diff: Vec<String> = text
        .lines()
        .zip(want.lines())
        .filter(|(a, b)| a != b)
        .take(5)
        .map(|(a, b)| format!("- {a}\n+ {b}"))
        .collect();
    panic!(
        "docs/language.md's attribute tables differ from src/sema/schema; run `EOSC_UPDATE_DOCS=1 cargo test --test it schema_docs::`\n{}",
        diff.join("\n")
    );
}

#[test]
fn fuzz_dictionary_lists_every_block_and_attribute() {
    let path = root().join("fuzz/hecate.dict");
    let text = std::fs::read_to_string(&path).expect("fuzz/hecate.dict");
    let listed: Vec<&str> = text.lines().map(str::trim).collect();
    let missing: Vec<&str> = schema::words()
        .into_iter()
        .filter(|w| !listed.contains(&format!("\"{w}\"").as_str()))
        .collect();
    if missing.is_empty() {
        return;
    }
    if updating() {
        let mut out = text.clone();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        for w in &missing {
            out.push_str(&format!("\"{w}\"\n"));
        }
        std::fs::write(&path, out).expect("write fuzz/hecate.dict");
        return;
    }
    panic!(
        "fuzz/hecate.dict lacks {}; run `EOSC_UPDATE_DOCS=1 cargo test --test it schema_docs::`",
        missing.join(", ")
    );
}

#[test]
fn every_string_field_has_a_lexical_class() {
    // `classes()` is the list the lexical checks walk: every string-typed
    // row of every block must be in it, labels included.
    let fields = schema::classes();
    for (path, s) in schema::all() {
        for a in s.attrs {
            if let schema::Ty::Str(_) = a.ty {
                assert!(
                    fields.iter().any(|f| f.block == path && f.attr == a.name),
                    "{path}.{} has no lexical class",
                    a.name
                );
            }
        }
    }
}
