//! Groovy's own parser over Jenkinsfiles, and a structural check of the
//! declarative pipeline written from Jenkins' Pipeline Syntax reference.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Parses every file with Debian's Groovy (`tests/jenkins_ast.groovy`);
/// one JSON result per file, in order. `None` when groovy is missing.
pub fn groovy_ast(groovy: &Path, files: &[PathBuf]) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jenkins_ast.groovy");
    let out = Command::new(groovy)
        .arg(script)
        .args(files)
        .output()
        .expect("run groovy");
    assert!(
        out.status.success(),
        "groovy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(results.len(), files.len(), "one result per file");
    results
}

const PIPELINE_SECTIONS: &[&str] = &[
    "agent",
    "stages",
    "options",
    "environment",
    "post",
    "parameters",
    "triggers",
    "tools",
    "libraries",
];
const STAGE_DIRECTIVES: &[&str] = &[
    "agent",
    "environment",
    "options",
    "when",
    "input",
    "post",
    "tools",
    "failFast",
    "steps",
    "stages",
    "parallel",
    "matrix",
];
const POST_CONDITIONS: &[&str] = &[
    "always",
    "changed",
    "fixed",
    "regression",
    "aborted",
    "failure",
    "success",
    "unstable",
    "unsuccessful",
    "cleanup",
    "notBuilt",
];

fn name(n: &Value) -> &str {
    n["name"].as_str().unwrap_or("")
}

fn body(n: &Value) -> &[Value] {
    n["body"].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// The problems of one parsed Jenkinsfile; empty when it is a valid
/// declarative pipeline by the rules this project relies on.
pub fn check_structure(parsed: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    if parsed["ok"] != true {
        return vec![format!("does not parse: {}", parsed["error"])];
    }
    if parsed["gstrings"].as_u64() != Some(0) {
        errors.push(format!("{} GString expressions", parsed["gstrings"]));
    }
    let top: Vec<&Value> = parsed["tree"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| name(n) == "pipeline")
        .collect();
    let [pipeline] = top.as_slice() else {
        return vec![format!("{} pipeline blocks", top.len())];
    };
    let sections: Vec<&str> = body(pipeline).iter().map(name).collect();
    for s in &sections {
        if !PIPELINE_SECTIONS.contains(s) {
            errors.push(format!("unknown pipeline section {s:?}"));
        }
        if sections.iter().filter(|x| *x == s).count() > 1 {
            errors.push(format!("section {s} twice"));
        }
    }
    for required in ["agent", "stages"] {
        if !sections.contains(&required) {
            errors.push(format!("no {required}"));
        }
    }
    let section = |n: &str| body(pipeline).iter().find(|s| name(s) == n);
    if let Some(options) = section("options") {
        let names: Vec<&str> = body(options).iter().map(name).collect();
        for o in ["disableConcurrentBuilds", "timeout"] {
            if !names.contains(&o) {
                errors.push(format!("options lack {o}"));
            }
        }
    } else {
        errors.push("no options".into());
    }
    if let Some(env) = section("environment") {
        for e in body(env) {
            let v = &e["value"];
            let is_cred = v["name"] == "credentials"
                && v["args"]
                    .as_array()
                    .is_some_and(|a| a.len() == 1 && a[0].is_string());
            if e["assign"].is_null() || !(is_cred || v.is_string()) {
                errors.push(format!(
                    "environment entry {e} is not NAME = credentials('id') or a constant"
                ));
            }
        }
    }
    let mut stage_names = BTreeSet::new();
    if let Some(stages) = section("stages") {
        check_stages(stages, &mut stage_names, &mut errors);
    }
    if let Some(post) = section("post") {
        check_post(post, &mut errors);
    }
    errors
}

fn check_stages(stages: &Value, seen: &mut BTreeSet<String>, errors: &mut Vec<String>) {
    if body(stages).is_empty() {
        errors.push("empty stages".into());
    }
    for st in body(stages) {
        if name(st) != "stage" {
            errors.push(format!("{} inside stages", name(st)));
            continue;
        }
        let label = st["args"][0].as_str().unwrap_or("").to_string();
        if label.is_empty() {
            errors.push("stage without a constant name".into());
        }
        if !seen.insert(label.clone()) {
            errors.push(format!("stage name {label:?} twice"));
        }
        let directives: Vec<&str> = body(st).iter().map(name).collect();
        for d in &directives {
            if !STAGE_DIRECTIVES.contains(d) {
                errors.push(format!("stage {label:?}: unknown directive {d:?}"));
            }
        }
        let kinds = directives
            .iter()
            .filter(|d| matches!(**d, "steps" | "stages" | "parallel" | "matrix"))
            .count();
        if kinds != 1 {
            errors.push(format!("stage {label:?}: {kinds} of steps/stages/parallel"));
        }
        for d in body(st) {
            match name(d) {
                "stages" | "parallel" => check_stages(d, seen, errors),
                "steps" if body(d).is_empty() => {
                    errors.push(format!("stage {label:?}: empty steps"))
                }
                "post" => check_post(d, errors),
                _ => {}
            }
        }
    }
}

fn check_post(post: &Value, errors: &mut Vec<String>) {
    for c in body(post) {
        if !POST_CONDITIONS.contains(&name(c)) {
            errors.push(format!("unknown post condition {:?}", name(c)));
        }
    }
}

/// The constant string arguments of every `sh` step, in order.
pub fn sh_scripts(parsed: &Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(n: &Value, out: &mut Vec<String>) {
        if let Some(a) = n.as_array() {
            for x in a {
                walk(x, out);
            }
            return;
        }
        if !n.is_object() {
            return;
        }
        if n["name"] == "sh" {
            if let Some(s) = n["args"][0].as_str() {
                out.push(s.to_string());
            }
        }
        walk(&n["body"], out);
    }
    walk(&parsed["tree"], &mut out);
    out
}
