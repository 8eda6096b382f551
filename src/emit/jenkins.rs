//! Jenkins: one declarative pipeline per `pipeline` block, at the project
//! level (`out/jenkins/<name>.Jenkinsfile`) because a pipeline spans
//! environments. Its stages run the orchestrations of each environment's
//! deploy plan in [`Plan::pipeline`] order (Plan → Approve → Apply →
//! Canary → Verify → Promote), rollback of every environment it touched
//! on failure; the order is the plan's, not recomputed here.
//!
//! Every string is a single-quoted Groovy string, or triple-single-quoted
//! for shell scripts: Groovy never interpolates them, and `\` and `'` are
//! escaped, so user text cannot become Groovy code. User text inside a shell
//! script is shell-quoted first.

use super::names::path_component;
use super::shell::sh;
use super::{header, Artifact};
use crate::plan::{Gate, Plan};
use crate::sema::model::{Model, Pipeline};
use std::fmt::Write;

/// Jenkinsfiles of every pipeline, relative to the output root (`out/`).
/// `models` are the spec's environments; their plans are computed here
/// (`lib::compile` passes its own to [`emit_planned`]).
pub fn emit_project(models: &[Model]) -> Vec<Artifact> {
    let plans: Vec<Plan> = models.iter().map(crate::plan::plan).collect();
    emit_planned(models, &plans)
}

/// [`emit_project`] given each model's deploy plan (`plans[i]` of
/// `models[i]`): each pipeline environment's stages run that environment's
/// plan (the first one when it was not compiled).
pub fn emit_planned(models: &[Model], plans: &[Plan]) -> Vec<Artifact> {
    let (Some(first), Some(_)) = (models.first(), plans.first()) else {
        return vec![];
    };
    let mut out: Vec<Artifact> = first
        .pipelines
        .values()
        .map(|p| {
            Artifact::new(
                format!("jenkins/{}.Jenkinsfile", path_component(&p.name)),
                pipeline(models, plans, first, p),
            )
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A single-quoted Groovy string literal.
pub fn groovy(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => push_char(&mut out, c),
        }
    }
    out.push('\'');
    out
}

/// A triple-single-quoted Groovy string literal (for multi-line scripts).
pub fn groovy_block(s: &str) -> String {
    let mut out = String::from("'''");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            // Escaping every quote means no `'''` can close the literal early.
            '\'' => out.push_str("\\'"),
            '\n' => out.push('\n'),
            c => push_char(&mut out, c),
        }
    }
    out.push_str("'''");
    out
}

fn push_char(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => out.push(c),
    }
}

/// A `//` comment line holding `text`: no line break may end it early,
/// and Groovy's lexer turns `\\u000a` into a line break even in comments
/// unless the backslash is itself escaped.
fn comment_line(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| match c {
            '\\' => "\\\\".to_string(),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') => {
                " ".to_string()
            }
            c => c.to_string(),
        })
        .collect();
    out.push('\n');
    out
}

/// Environment variable names Jenkins accepts in `environment {}`.
fn env_var_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

struct Out {
    text: String,
    depth: usize,
}

impl Out {
    fn line(&mut self, s: &str) {
        for _ in 0..self.depth {
            self.text.push_str("    ");
        }
        self.text.push_str(s);
        self.text.push('\n');
    }
    fn open(&mut self, s: &str) {
        self.line(&format!("{s} {{"));
        self.depth += 1;
    }
    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.line("}");
    }
    /// A stage with a `steps` block; `deploy` stages run only on the
    /// pipeline's branch.
    fn stage(&mut self, name: &str, branch: Option<&str>, steps: &[String]) {
        self.open(&format!("stage({})", groovy(name)));
        if let Some(b) = branch {
            self.line(&format!("when {{ branch {} }}", groovy(b)));
        }
        self.open("steps");
        for s in steps {
            self.line(s);
        }
        self.close();
        self.close();
    }
}

fn sh_step(script: &str) -> String {
    if script.contains('\n') {
        format!("sh {}", groovy_block(script))
    } else {
        format!("sh {}", groovy(script))
    }
}

/// Runs an orchestration of one environment on the Salt master, keeps its
/// JSON result for the archive, and fails on any failed state.
fn orchestrate(env: &str, sls: &str, result: &str) -> String {
    let se = sh(&format!("saltenv={env}"));
    let pe = sh(&format!("pillarenv={env}"));
    let file = sh(result);
    format!(
        "rc=0\n\
         salt-run --out=json --out-file={file} state.orchestrate {sls} {se} {pe} || rc=$?\n\
         cat {file}\n\
         if [ \"$rc\" -ne 0 ] || grep -q '\"result\": false' {file}; then exit 1; fi",
        sls = sh(sls)
    )
}

fn duration_secs(d: std::time::Duration) -> u64 {
    d.as_secs().max(1)
}

fn percent(t: f64) -> String {
    if t.fract() == 0.0 {
        format!("{}%", t as u64)
    } else {
        format!("{t}%")
    }
}

fn pipeline(models: &[Model], plans: &[Plan], first: &Model, p: &Pipeline) -> String {
    let h = header(first, "//").replace(
        &format!(" (environment {})", first.env.name),
        &format!(" (pipeline {})", p.name),
    );
    let mut o = Out {
        text: comment_line(h.trim_end_matches('\n')),
        depth: 0,
    };
    o.open("pipeline");
    match p.agent.as_str() {
        "any" | "" => o.line("agent any"),
        label => o.line(&format!("agent {{ label {} }}", groovy(label))),
    }
    o.open("options");
    o.line("disableConcurrentBuilds()");
    o.line("skipDefaultCheckout()");
    let t = duration_secs(p.timeout);
    if t % 60 == 0 {
        o.line(&format!("timeout(time: {}, unit: 'MINUTES')", t / 60));
    } else {
        o.line(&format!("timeout(time: {t}, unit: 'SECONDS')"));
    }
    o.close();
    if !p.credentials.is_empty() {
        o.open("environment");
        let mut creds: Vec<(&String, &String)> = p.credentials.iter().collect();
        creds.sort();
        for (name, id) in creds {
            o.line(&format!(
                "{} = credentials({})",
                env_var_name(name),
                groovy(id)
            ));
        }
        o.close();
    }
    let spec = sh(&first.source_name);
    let branch = Some(p.branch.as_str());
    o.open("stages");
    o.stage(
        "Checkout",
        None,
        &["checkout scm".into(), sh_step("rm -f .eosc-applied-*")],
    );
    o.stage(
        "Validate",
        None,
        &[sh_step(&format!("eosc check {spec} --deny warnings"))],
    );
    o.stage(
        "Compile",
        None,
        &[sh_step(&format!("eosc compile {spec} --check"))],
    );
    for env_name in &p.environments {
        let (model, plan) = models
            .iter()
            .zip(plans)
            .find(|(m, _)| &m.env.name == env_name)
            .unwrap_or((first, &plans[0]));
        let env_label = env_name.replace(['\n', '\r'], " ");
        let env = path_component(env_name);
        let approval = first
            .environments
            .iter()
            .find(|e| &e.name == env_name)
            .map_or(model.env.approval, |e| e.approval);
        for gate in plan.pipeline() {
            match gate {
                Gate::Preview { sls } => o.stage(
                    &format!("{env_label}: Plan"),
                    branch,
                    &[sh_step(&orchestrate(
                        &env,
                        &sls,
                        &format!("salt-{env}-plan.json"),
                    ))],
                ),
                Gate::Deploy { sls } => {
                    if approval {
                        o.stage(
                            &format!("{env_label}: Approve"),
                            branch,
                            &[format!(
                                "input message: {}, ok: {}",
                                groovy(&format!("Apply the plan to {env_label}?")),
                                groovy("Apply")
                            )],
                        );
                    }
                    let marker = format!("touch {}", sh(&format!(".eosc-applied-{env}")));
                    o.stage(
                        &format!("{env_label}: Apply"),
                        branch,
                        &[
                            sh_step(&marker),
                            sh_step(&orchestrate(&env, &sls, &format!("salt-{env}-apply.json"))),
                        ],
                    );
                }
                Gate::Canary {
                    app,
                    stage: n,
                    traffic,
                    sls,
                    bake,
                    verify,
                } => {
                    let mut steps = vec![sh_step(&orchestrate(
                        &env,
                        &sls,
                        &format!("salt-{env}-canary-{}-{n}.json", path_component(&app)),
                    ))];
                    if let Some(bake) = bake {
                        steps.push(format!(
                            "sleep(time: {}, unit: 'SECONDS')",
                            duration_secs(bake)
                        ));
                    }
                    steps.push(sh_step(&orchestrate(
                        &env,
                        &verify,
                        &format!("salt-{env}-canary-{}-{n}-verify.json", path_component(&app)),
                    )));
                    o.stage(
                        &format!("{env_label}: Canary {app} {}", percent(traffic)),
                        branch,
                        &steps,
                    );
                }
                Gate::Verify { sls } => o.stage(
                    &format!("{env_label}: Verify"),
                    branch,
                    &[sh_step(&orchestrate(
                        &env,
                        &sls,
                        &format!("salt-{env}-verify.json"),
                    ))],
                ),
                Gate::Promote { sls } => o.stage(
                    &format!("{env_label}: Promote"),
                    branch,
                    &[sh_step(&orchestrate(
                        &env,
                        &sls,
                        &format!("salt-{env}-promote.json"),
                    ))],
                ),
            }
        }
    }
    o.close();

    o.open("post");
    o.open("failure");
    let mut rollback = String::from("status=0\n");
    for env_name in p.environments.iter().rev() {
        let env = path_component(env_name);
        let _ = write!(
            rollback,
            "if [ -f {marker} ]; then\n\
             \x20 salt-run --out=json --out-file={file} state.orchestrate hecate.rollback {se} {pe} || status=1\n\
             fi\n",
            marker = sh(&format!(".eosc-applied-{env}")),
            file = sh(&format!("salt-{env}-rollback.json")),
            se = sh(&format!("saltenv={env}")),
            pe = sh(&format!("pillarenv={env}")),
        );
    }
    rollback.push_str("exit \"$status\"");
    o.line(&sh_step(&rollback));
    if let Some(channel) = &p.notify {
        o.line(&notify(
            channel,
            "danger",
            &format!("{}: failed, rolled back", p.name),
        ));
    }
    o.close();
    o.open("success");
    match &p.notify {
        Some(channel) => o.line(&notify(channel, "good", &format!("{}: deployed", p.name))),
        None => o.line(&format!(
            "echo {}",
            groovy(&format!("{}: deployed", p.name))
        )),
    }
    o.close();
    o.open("always");
    o.line("archiveArtifacts artifacts: 'salt-*.json', allowEmptyArchive: true");
    o.close();
    o.close();
    o.close();
    o.text
}

/// A Slack message (Slack Notification plugin) naming the build.
fn notify(channel: &str, color: &str, text: &str) -> String {
    format!(
        "slackSend(channel: {}, color: {}, message: {} + env.BUILD_NUMBER + ' ' + env.BUILD_URL)",
        groovy(channel),
        groovy(color),
        groovy(&format!("{text} #"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(groovy("a'b\\c\n$x"), "'a\\'b\\\\c\\n$x'");
        assert_eq!(groovy_block("x'''y\n"), "'''x\\'\\'\\'y\n'''");
        assert_eq!(groovy("\u{1}"), "'\\u0001'");
    }
}
