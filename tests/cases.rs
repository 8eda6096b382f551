//! Spec cases: every `tests/cases/{err,ok}/*.hcl` is checked through the
//! filesystem loader and its rendered diagnostics are snapshotted in
//! `tests/snapshots/`. On top of the snapshots:
//! - `err/E*.hcl` must produce an error whose code is the file-name prefix;
//! - `err/W*.hcl` must produce that warning and no error;
//! - other `err/*.hcl` must produce at least one error;
//! - `ok/*.hcl` must produce no diagnostic at all.
//!
//! And every code raised in `src/` has a section in `docs/errors.md`, an
//! `eosc explain` text and at least one case file.
//!
//! Helper files that the cases import live in `tests/cases/err/imports/`;
//! the glob is one directory deep (`cases/*/*.hcl`) so they are not cases.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test --test cases`
//! (or `cargo insta review`).

#[path = "support/fs_loader.rs"]
mod fs_loader;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The codes that `multiple_independent_errors.hcl` must report, all of them.
const MULTIPLE_INDEPENDENT: &[&str] = &[
    "E0202", "E0203", "E0301", "E0302", "E0303", "E0309", "E0405",
];

#[test]
fn cases() {
    let mut failures: Vec<String> = Vec::new();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("cases/*/*.hcl", |path| {
            // Relative to the package root (the working directory of tests),
            // so that paths in messages (E0208) do not depend on the checkout.
            let path = relative(path);
            let checked = eosc::check(
                &fs_loader::FsLoader::root_name(&path),
                &fs_loader::FsLoader::new(&path),
            )
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let rendered =
                eosc::diagnostics::render_human(&checked.diagnostics, &checked.sources, false);
            let mut codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
            codes.sort_unstable();
            let codes_line = if codes.is_empty() {
                "(none)".to_string()
            } else {
                codes.join(" ")
            };
            // Shown as ␀ so the E0106 (NUL byte) snapshot stays a text file.
            let diagnostics =
                format!("codes: {codes_line}\n\n{rendered}").replace('\0', "\u{2400}");
            insta::assert_snapshot!(diagnostics);
            if let Some(why) = expectation_failure(&path, &checked) {
                failures.push(format!("{}: {why}\n{rendered}", path.display()));
            }
        });
    });
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn relative(path: &Path) -> PathBuf {
    let root = std::fs::canonicalize(root()).unwrap_or_else(|_| root());
    path.strip_prefix(&root).unwrap_or(path).to_path_buf()
}

/// What is wrong with the diagnostics of one case, if anything.
fn expectation_failure(path: &Path, checked: &eosc::Checked) -> Option<String> {
    let dir = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|d| d.to_str())
        .unwrap_or("");
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let diags = &checked.diagnostics;
    let errors: Vec<&str> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    match dir {
        "ok" => (!diags.is_empty()).then(|| {
            let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
            format!("a valid spec must check clean, got {codes:?}")
        }),
        "err" => {
            let prefix = stem.split('_').next().unwrap_or("");
            if is_code(prefix) && prefix.starts_with('E') {
                (!errors.contains(&prefix))
                    .then(|| format!("expected an error {prefix}, got errors {errors:?}"))
            } else if is_code(prefix) && prefix.starts_with('W') {
                if !errors.is_empty() {
                    Some(format!(
                        "a warning case must have no errors, got {errors:?}"
                    ))
                } else if !diags.iter().any(|d| d.code == prefix) {
                    Some(format!(
                        "expected warning {prefix}, got {:?}",
                        diags.iter().map(|d| d.code).collect::<Vec<_>>()
                    ))
                } else {
                    None
                }
            } else if stem == "multiple_independent_errors" {
                let missing: Vec<&&str> = MULTIPLE_INDEPENDENT
                    .iter()
                    .filter(|c| !errors.contains(c))
                    .collect();
                (!missing.is_empty()).then(|| {
                    format!("every independent mistake must be reported; missing {missing:?}")
                })
            } else {
                errors
                    .is_empty()
                    .then(|| "an err/ case must produce at least one error".to_string())
            }
        }
        other => Some(format!("unexpected case directory `{other}`")),
    }
}

/// `E0203`, `W0501`: a letter and four digits, the first `0`.
fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && (b[0] == b'E' || b[0] == b'W')
        && b[1] == b'0'
        && b[2..].iter().all(u8::is_ascii_digit)
}

/// Every `"E0ddd"` / `"W0ddd"` string literal in the sources under `dir`.
fn codes_in_sources(dir: &Path, out: &mut BTreeSet<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            codes_in_sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            for (i, _) in text.match_indices('"') {
                if let Some(candidate) = text.get(i + 1..i + 6) {
                    if is_code(candidate) && text.as_bytes().get(i + 6) == Some(&b'"') {
                        out.insert(candidate.to_string());
                    }
                }
            }
        }
    }
}

fn err_case_prefixes() -> BTreeSet<String> {
    std::fs::read_dir(root().join("tests/cases/err"))
        .expect("tests/cases/err")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".hcl")?;
            let prefix = stem.split('_').next()?;
            is_code(prefix).then(|| prefix.to_string())
        })
        .collect()
}

#[test]
fn every_code_is_documented_explained_and_tested() {
    let mut raised = BTreeSet::new();
    codes_in_sources(&root().join("src"), &mut raised);
    assert!(
        raised.len() > 20,
        "found only {} codes in src/; is the scan broken?",
        raised.len()
    );

    let errors_md = std::fs::read_to_string(root().join("docs/errors.md")).expect("docs/errors.md");
    let documented: Vec<String> = errors_md
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|rest| rest.split(':').next().unwrap_or("").to_string())
        .collect();
    let cases = err_case_prefixes();

    let mut problems = Vec::new();
    for code in &raised {
        let heading = format!("## {code}: ");
        if !errors_md
            .lines()
            .any(|l| l.starts_with(&heading) && l.len() > heading.len())
        {
            problems.push(format!(
                "{code}: no `## {code}: <title>` section in docs/errors.md"
            ));
        }
        match eosc::diagnostics::explain::explanation(code) {
            None => problems.push(format!("{code}: `eosc explain {code}` finds nothing")),
            Some(text) if !text.contains("```hcl") => {
                problems.push(format!("{code}: the explanation has no ```hcl example"))
            }
            Some(_) => {}
        }
        // Import codes (E06xx, W06xx) concern Caddyfiles, compose files, jobs
        // and zones, not specs: tests/import_cli.rs raises each of them.
        // E0219 needs a file over 64 MiB, which cannot be a committed
        // case: tests/trust_imports.rs makes a sparse one and proves it.
        if !cases.contains(code) && !code[1..].starts_with("06") && code != "E0219" {
            problems.push(format!("{code}: no tests/cases/err/{code}_*.hcl"));
        }
    }
    for code in &documented {
        if !raised.contains(code) {
            problems.push(format!(
                "docs/errors.md documents `{code}`, which nothing in src/ raises"
            ));
        }
    }
    for code in &cases {
        if !raised.contains(code) {
            problems.push(format!(
                "tests/cases/err/{code}_*.hcl exists, but nothing in src/ raises {code}"
            ));
        }
    }
    let mut sorted = documented.clone();
    sorted.sort();
    if sorted != documented {
        problems.push("docs/errors.md sections are not in code order".to_string());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
