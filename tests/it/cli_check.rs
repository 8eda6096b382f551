//! `eosc check` for machines: SARIF validated against the official SARIF
//! 2.1.0 schema (OASIS, errata 01, vendored in tests/schemas/), GitHub
//! workflow commands with their escaping, JSON Lines; streams and exit
//! codes.

use crate::support::cli;
use crate::support::tools;

use cli::{copy_example, eosc, root};
use serde_json::Value;
use tools::TempDir;

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json"))
        .expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// `check --format sarif` on a spec, parsed, plus the same diagnostics as
/// JSON Lines for comparison.
fn sarif_and_json(spec: &str, extra: &[&str]) -> (i32, Value, Vec<Value>) {
    let mut args = vec!["check", spec, "--format", "sarif"];
    args.extend_from_slice(extra);
    let run = eosc(&args, None);
    assert!(
        run.stderr.is_empty(),
        "sarif goes to stdout: {}",
        run.stderr
    );
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    args[3] = "json";
    let json = eosc(&args, None);
    let lines = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(run.code, json.code);
    (run.code, log, lines)
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_says_what_check_says() {
    let validator = sarif_validator();
    let cases: &[(&str, &[&str], i32)] = &[
        ("examples/cybermonkey/hecate.hcl", &[], 0),
        // Its one warning is allowed (and in SARIF as a suppression).
        (
            "examples/cybermonkey/hecate.hcl",
            &["--deny", "warnings"],
            0,
        ),
        (
            "tests/cases/err/W0501_tls_skip_verify.hcl",
            &["--deny", "warnings"],
            1,
        ),
        ("examples/minimal/hecate.hcl", &[], 0),
        ("tests/cases/err/multiple_independent_errors.hcl", &[], 1),
        ("tests/cases/err/E0208_missing_nested_import.hcl", &[], 1),
        ("tests/cases/err/E0304_percent_over_100.hcl", &[], 1),
        ("tests/cases/err/E0101_unclosed_block.hcl", &[], 1),
    ];
    for (spec, extra, code) in cases {
        let (got, log, json) = sarif_and_json(spec, extra);
        assert_eq!(got, *code, "{spec}");
        let errors = schema_errors(&validator, &log);
        assert!(
            errors.is_empty(),
            "{spec}: not valid SARIF:\n{}",
            errors.join("\n")
        );

        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "eosc");
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let results = run["results"].as_array().expect("results");
        assert_eq!(
            results.len(),
            json.len(),
            "{spec}: one result per diagnostic"
        );
        for (r, j) in results.iter().zip(&json) {
            assert_eq!(r["ruleId"], j["code"]);
            let rule = &rules[r["ruleIndex"].as_u64().expect("ruleIndex") as usize];
            assert_eq!(
                rule["id"], r["ruleId"],
                "{spec}: ruleIndex points at its rule"
            );
            let code = rule["id"].as_str().expect("id");
            let title = eosc::diagnostics::explain::title(code).expect("documented");
            assert_eq!(rule["shortDescription"]["text"], title);
            assert!(rule["fullDescription"]["text"]
                .as_str()
                .is_some_and(|t| t.len() > 20));
            assert!(rule["help"]["markdown"]
                .as_str()
                .is_some_and(|t| t.starts_with(&format!("## {code}"))));
            assert_eq!(r["level"], j["severity"]);
            assert!(r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with(j["message"].as_str().unwrap_or("?"))));
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uri"], j["file"]);
            let region = &loc["region"];
            assert_eq!(region["startLine"], j["line"]);
            assert_eq!(region["startColumn"], j["column"]);
            assert_eq!(region["endLine"], j["end_line"]);
            assert_eq!(region["endColumn"], j["end_column"]);
        }
        let mut ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "{spec}: one rule per code");
    }
}

#[test]
fn sarif_paths_are_relative_to_the_working_directory() {
    let (_, log, _) = sarif_and_json("tests/cases/err/E0208_missing_nested_import.hcl", &[]);
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    // The error is in the imported file, named from the repository root.
    assert_eq!(uri, "tests/cases/err/imports/imports_missing.hcl");
}

/// The validator really validates: a log that breaks the schema fails.
#[test]
fn the_schema_test_can_fail() {
    let validator = sarif_validator();
    let (_, mut log, _) = sarif_and_json("tests/cases/err/E0304_percent_over_100.hcl", &[]);
    assert!(schema_errors(&validator, &log).is_empty());
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&validator, &log).is_empty());
    let (_, mut log, _) = sarif_and_json("tests/cases/err/E0304_percent_over_100.hcl", &[]);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!schema_errors(&validator, &log).is_empty());
}

#[test]
fn github_commands_annotate_file_and_span_with_escaping() {
    let dir = TempDir::new("cli-github");
    // A directory name with the characters that end a property value.
    let spec_dir = dir.0.join("a,b: c");
    std::fs::create_dir_all(&spec_dir).expect("dir");
    let src = root().join("tests/cases/err/E0304_percent_over_100.hcl");
    std::fs::copy(&src, spec_dir.join("hecate.hcl")).expect("copy");
    let run = eosc(
        &["check", "a,b: c/hecate.hcl", "--format", "github"],
        Some(&dir.0),
    )
    .expect(1);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // `%` in messages, `,` and `:` in the path; the help follows on a
    // second line (an escaped newline). Columns as in SARIF: the end is the
    // column after the span (`150%` spans columns 21 to 24, so 25).
    assert_eq!(
        run.stdout,
        "::error file=a%2Cb%3A c/hecate.hcl,line=11,col=21,endLine=11,endColumn=25,title=E0304::\
         150%25 is not a percentage%0Ahelp: a percent is between 0%25 and 100%25\n"
    );
}

#[test]
fn github_warnings_and_multi_line_spans() {
    let run = eosc(
        &[
            "check",
            "tests/cases/err/W0501_tls_skip_verify.hcl",
            "--format",
            "github",
        ],
        None,
    )
    .expect(0);
    assert!(
        run.stdout
            .starts_with("::warning file=tests/cases/err/W0501_tls_skip_verify.hcl,line=",),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(",title=W0501::"));
    assert_eq!(run.stdout.lines().count(), 1);

    // A heredoc spans lines 11 to 15: GitHub takes no columns then.
    let spec = "tests/cases/err/E0503_private_key.hcl";
    let run = eosc(&["check", spec, "--format", "github"], None).expect(1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("title=E0503"))
        .expect("the E0503 annotation");
    assert!(
        line.starts_with(&format!(
            "::error file={spec},line=11,endLine=15,title=E0503::"
        )),
        "{line}"
    );
}

#[test]
fn human_goes_to_stderr_and_machine_formats_to_stdout() {
    let spec = "tests/cases/err/E0304_percent_over_100.hcl";
    let human = eosc(&["check", spec], None).expect(1);
    assert!(human.stdout.is_empty());
    assert!(human.stderr.contains("E0304"));
    for format in ["json", "sarif", "github"] {
        let run = eosc(&["check", spec, "--format", format], None).expect(1);
        assert!(run.stderr.is_empty(), "{format}: {}", run.stderr);
        assert!(run.stdout.contains("E0304"), "{format}");
    }
    // A clean spec: JSON Lines and workflow commands are empty, SARIF is a
    // log without results.
    let ok = "examples/minimal/hecate.hcl";
    assert!(eosc(&["check", ok, "--format", "json"], None)
        .expect(0)
        .stdout
        .is_empty());
    assert!(eosc(&["check", ok, "--format", "github"], None)
        .expect(0)
        .stdout
        .is_empty());
}

#[test]
fn several_specs_and_exit_codes() {
    let ok = "examples/minimal/hecate.hcl";
    let bad = "tests/cases/err/E0304_percent_over_100.hcl";
    eosc(&["check", ok, "examples/cybermonkey/hecate.hcl"], None).expect(0);
    let both = eosc(&["check", ok, bad, "--format", "json"], None).expect(1);
    assert_eq!(both.stdout.lines().count(), 1);
    assert!(both
        .stdout
        .lines()
        .all(|l| l.contains(&format!("\"file\":\"{bad}\""))));
    // A missing file is an I/O error (2) and does not hide the others.
    let run = eosc(
        &["check", bad, "no/such/hecate.hcl", "--format", "github"],
        None,
    )
    .expect(2);
    assert!(run.stdout.contains("title=E0304"));
    assert!(run.stderr.contains("no/such/hecate.hcl"));
    eosc(&["check", ok, "--env", "nowhere"], None).expect(2);
    eosc(&["check", ok, "--env", "production"], None).expect(0);
    eosc(&["check", ok, "--format", "xml"], None).expect(2);
    let help = eosc(&["check", "--help"], None).expect(0);
    assert!(help.stdout.contains("sarif") && help.stdout.contains("github"));
}

#[test]
fn check_in_a_copy_defaults_to_hecate_hcl() {
    let dir = TempDir::new("cli-check-default");
    copy_example("minimal", &dir.0);
    let run = eosc(&["check"], Some(&dir.0)).expect(0);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr,
        "checked hecate.hcl: 1 environment, 0 errors, 0 warnings\n"
    );
    let run = eosc(&["check", "--format", "sarif"], Some(&dir.0)).expect(0);
    let log: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}
