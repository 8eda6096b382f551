//! Jenkinsfiles as Groovy (2.4, Jenkins' line) parses them, checked
//! against the declarative pipeline's structure, and user text kept
//! literal through Groovy and the shell.

use crate::support;

use crate::support::jenkins::{check_structure, groovy_ast, sh_scripts};
use crate::support::salt::{model, tool, write, TempDir, NASTY};
use eosc::emit::jenkins::emit_project;
use eosc::emit::Artifact;
use eosc::sema::model::Model;
use serde_json::Value;
use std::path::PathBuf;

/// Writes Jenkinsfiles and parses them all with one Groovy run.
pub fn parse_all(artifacts: &[Artifact]) -> Option<Vec<(String, Value)>> {
    let groovy = tool("groovy")?;
    let temp = TempDir::new("jenkins");
    let dir = temp.0.clone();
    let files: Vec<PathBuf> = artifacts
        .iter()
        .map(|a| {
            let p = dir.join(&a.path);
            write(&p, &a.contents);
            p
        })
        .collect();
    let parsed = groovy_ast(&groovy, &files);
    Some(
        artifacts
            .iter()
            .map(|a| a.path.clone())
            .zip(parsed)
            .collect(),
    )
}

fn both() -> Vec<Model> {
    vec![model("staging"), model("production")]
}

fn stage_names(parsed: &Value) -> Vec<String> {
    let pipeline = &parsed["tree"][0];
    pipeline["body"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["name"] == "stages")
        .flat_map(|s| s["body"].as_array().cloned().unwrap_or_default())
        .filter_map(|st| st["args"][0].as_str().map(str::to_string))
        .collect()
}

#[test]
fn fixture_pipeline_parses_and_is_declarative() {
    let artifacts = emit_project(&both());
    assert_eq!(artifacts.len(), 1);
    assert_eq!(artifacts[0].path, "jenkins/deploy.Jenkinsfile");
    let Some(parsed) = parse_all(&artifacts) else {
        return;
    };
    for (path, p) in &parsed {
        let errors = check_structure(p);
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
    // The Helen pipeline of the seed: build → plan → approve → deploy →
    // verify, rollback on failure.
    let names = stage_names(&parsed[0].1);
    let pos = |n: &str| {
        names
            .iter()
            .position(|s| s == n)
            .unwrap_or_else(|| panic!("no stage {n}: {names:?}"))
    };
    assert!(pos("Compile") < pos("staging: Plan"));
    assert!(pos("staging: Apply") < pos("staging: Verify"));
    assert!(pos("staging: Promote") < pos("production: Plan"));
    assert!(pos("production: Plan") < pos("production: Approve"));
    assert!(pos("production: Approve") < pos("production: Apply"));
    assert!(pos("production: Apply") < pos("production: Canary helen 5%"));
    assert!(pos("production: Canary helen 100%") < pos("production: Verify"));
    assert!(!names.contains(&"staging: Approve".to_string()));
    let scripts = sh_scripts(&parsed[0].1);
    assert!(scripts
        .iter()
        .any(|s| s.contains("state.orchestrate hecate.rollback saltenv=production")));
}

#[test]
fn user_text_stays_literal() {
    let mut models = both();
    for m in &mut models {
        m.source_name = NASTY.to_string();
        let p = m.pipelines.get_mut("deploy").expect("pipeline");
        p.agent = NASTY.to_string();
        p.branch = NASTY.to_string();
        p.notify = Some(NASTY.to_string());
        p.credentials.insert("NASTY".to_string(), NASTY.to_string());
    }
    let artifacts = emit_project(&models);
    let Some(parsed) = parse_all(&artifacts) else {
        return;
    };
    let p = &parsed[0].1;
    assert!(check_structure(p).is_empty(), "{:?}", check_structure(p));
    let strings: Vec<&str> = p["strings"]
        .as_array()
        .expect("strings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // agent label, credentials id, notify channel ×2, every `when { branch }`.
    let exact = strings.iter().filter(|s| **s == NASTY).count();
    assert!(
        exact >= 5,
        "the text came back literally only {exact} times"
    );

    // Through the shell: the spec path is one argument, byte for byte.
    let validate = sh_scripts(p)
        .into_iter()
        .find(|s| s.starts_with("eosc check "))
        .expect("Validate script");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("eosc() {{ printf '%s' \"$2\"; }}\n{validate}"))
        .output()
        .expect("sh");
    assert_eq!(String::from_utf8_lossy(&out.stdout), NASTY);
}

/// The parse check can fail: a quote left unescaped is a syntax error.
#[test]
fn unescaped_quote_is_rejected() {
    let mut artifacts = emit_project(&both());
    artifacts[0].contents = artifacts[0].contents.replacen(
        "input message: 'Apply the plan",
        "input message: 'Apply th'e plan",
        1,
    );
    let Some(parsed) = parse_all(&artifacts) else {
        return;
    };
    assert!(!check_structure(&parsed[0].1).is_empty());
}

/// The structure check can fail: a stage with both steps and stages, an
/// unknown post condition, a duplicate stage name and a GString.
#[test]
fn structure_violations_are_reported() {
    let text = r#"
pipeline {
    agent any
    options { disableConcurrentBuilds(); timeout(time: 1, unit: 'HOURS') }
    stages {
        stage('A') {
            steps { sh 'true' }
            stages { stage('B') { steps { sh 'x' } } }
        }
        stage('A') { steps { sh "echo ${env.X}" } }
    }
    post { whenever { echo 'x' } }
}
"#;
    let Some(parsed) = parse_all(&[Artifact::new("bad.Jenkinsfile", text)]) else {
        return;
    };
    let errors = check_structure(&parsed[0].1).join("\n");
    for want in ["2 of steps/stages/parallel", "twice", "whenever", "GString"] {
        assert!(errors.contains(want), "{want} not in {errors}");
    }
}

#[test]
fn examples_and_ok_cases_parse() {
    let mut artifacts = Vec::new();
    for spec in support::specs::all() {
        let case = support::snap::case_dir(&spec);
        for a in emit_project(&support::specs::models(&spec)) {
            artifacts.push(Artifact::new(format!("{case}/{}", a.path), a.contents));
        }
    }
    assert!(!artifacts.is_empty(), "no example has a pipeline");
    let Some(parsed) = parse_all(&artifacts) else {
        return;
    };
    for (path, p) in &parsed {
        let errors = check_structure(p);
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
}
