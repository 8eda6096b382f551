//! The deploy plan's orchestrations as SLS: `hecate/orchestrate.sls` (the
//! whole deployment, `salt-run state.orchestrate hecate.orchestrate`) and
//! the smaller ones the pipeline runs on their own (`hecate.plan`,
//! `hecate.verify`, `hecate.promote`, `hecate.rollback`, canary stages).
//! Only rendering: the steps, their order and requisites are the plan's.
//!
//! The states are written straight into the text, in the layout
//! [`super::yaml::document`] gives the SLS long form
//! (`id: {fun: [{k: v}, ...]}`, block style): most of the Salt bytes are
//! these states, and building them as YAML nodes first, then rendering and
//! dropping the nodes, was half of the Salt emitter's time at 10,000 apps.

use super::layout::{saltenv, target_of};
use super::yaml::{write_string, Doc};
use crate::emit::shell;
use crate::plan::{Action, Orchestration, Role, Step};
use crate::sema::model::Model;
use std::fmt::Write as _;

fn roles(on: &[Role]) -> Vec<&'static str> {
    on.iter().map(|r| r.name()).collect()
}

/// The state's function line, after the step's `id:`.
fn fun(out: &mut String, name: &str) {
    out.push_str("\n  ");
    out.push_str(name);
    out.push_str(":\n");
}

/// One `- key: value` argument of a state, a string value.
fn arg(out: &mut String, key: &str, value: &str) {
    out.push_str("    - ");
    out.push_str(key);
    out.push_str(": ");
    write_string(value, 8, out);
    out.push('\n');
}

/// One `- key: [value]` argument of a state.
fn arg_list1(out: &mut String, key: &str, value: &str) {
    out.push_str("    - ");
    out.push_str(key);
    out.push_str(":\n        - ");
    write_string(value, 10, out);
    out.push('\n');
}

/// `- <kind>: [ {salt: id}, ... ]` unless `ids` is empty.
fn requisite(out: &mut String, kind: &str, ids: &[String]) {
    if ids.is_empty() {
        return;
    }
    out.push_str("    - ");
    out.push_str(kind);
    out.push_str(":\n");
    for id in ids {
        out.push_str("        - salt: ");
        write_string(id, 12, out);
        out.push('\n');
    }
}

/// One step as one state, after its `id:`.
fn write_step(model: &Model, s: &Step, out: &mut String) {
    let on = roles(&s.on);
    match &s.action {
        // A `salt.function` state running the script with `cmd.run` on the
        // minions of the step's roles.
        Action::Run {
            commands,
            cwd,
            timeout,
        } => {
            let (tgt, tgt_type) = target_of(model, &on);
            fun(out, "salt.function");
            arg(out, "name", "cmd.run");
            arg(out, "tgt", &tgt);
            arg(out, "tgt_type", tgt_type);
            arg_list1(out, "arg", &shell::script(commands));
            out.push_str("    - kwarg:\n        python_shell: true\n");
            if let Some(cwd) = cwd {
                out.push_str("        cwd: ");
                write_string(cwd, 10, out);
                out.push('\n');
            }
            let _ = writeln!(out, "        timeout: {timeout}\n    - timeout: {timeout}");
            requisite(out, "require", &s.require);
            requisite(out, "onfail", &s.onfail);
        }
        // A `salt.state` state applying the SLS on the minions of the
        // step's roles, in this environment's saltenv/pillarenv.
        Action::Apply { sls } => {
            let (tgt, tgt_type) = target_of(model, &on);
            let env = saltenv(model);
            fun(out, "salt.state");
            arg(out, "tgt", &tgt);
            arg(out, "tgt_type", tgt_type);
            arg_list1(out, "sls", sls);
            arg(out, "saltenv", &env);
            arg(out, "pillarenv", &env);
            requisite(out, "require", &s.require);
        }
        Action::Orchestrate { sls } => {
            let env = saltenv(model);
            fun(out, "salt.runner");
            arg(out, "name", "state.orchestrate");
            arg(out, "mods", sls);
            arg(out, "saltenv", &env);
            arg(out, "pillarenv", &env);
            requisite(out, "require", &s.require);
            requisite(out, "onfail", &s.onfail);
        }
        Action::Succeed { message } => {
            fun(out, "test.succeed_without_changes");
            arg(out, "name", message);
        }
    }
}

/// The SLS file of an orchestration: every step, in the plan's order.
pub fn render(model: &Model, header: &str, o: &Orchestration) -> String {
    let mut doc = Doc::new(header);
    for s in &o.steps {
        let out = doc.entry(&s.comments, &s.id);
        write_step(model, s, out);
    }
    doc.finish()
}
