//! The deploy plan's orchestrations as SLS: `hecate/orchestrate.sls` (the
//! whole deployment, `salt-run state.orchestrate hecate.orchestrate`) and
//! the smaller ones the pipeline runs on their own (`hecate.plan`,
//! `hecate.verify`, `hecate.promote`, `hecate.rollback`, canary stages).
//! Only rendering: the steps, their order and requisites are the plan's.

use super::layout::saltenv;
use super::steps::{apply_sls, cmd_run, one, push_requisite, state};
use super::yaml::{Entry, Node};
use crate::emit::shell;
use crate::plan::{Action, Orchestration, Role, Step};
use crate::sema::model::Model;

fn roles(on: &[Role]) -> Vec<&'static str> {
    on.iter().map(|r| r.name()).collect()
}

/// One step as one state.
fn render_step(model: &Model, s: &Step) -> Entry {
    let on = roles(&s.on);
    let value = match &s.action {
        Action::Run {
            commands,
            cwd,
            timeout,
        } => cmd_run(
            model,
            &on,
            &shell::script(commands),
            cwd.as_deref(),
            *timeout,
            &s.require,
            &s.onfail,
        ),
        Action::Apply { sls } => apply_sls(model, &on, sls, &s.require),
        Action::Orchestrate { sls } => {
            let env = saltenv(model);
            let mut args = vec![
                one("name", Node::str("state.orchestrate")),
                one("mods", Node::str(sls.clone())),
                one("saltenv", Node::str(env.clone())),
                one("pillarenv", Node::str(env)),
            ];
            push_requisite(&mut args, "require", &s.require);
            push_requisite(&mut args, "onfail", &s.onfail);
            state("salt.runner", args)
        }
        Action::Succeed { message } => state(
            "test.succeed_without_changes",
            vec![one("name", Node::str(message.clone()))],
        ),
    };
    Entry {
        comments: s.comments.clone(),
        key: s.id.clone(),
        value,
    }
}

/// Every step of an orchestration, in the plan's order.
pub fn render(model: &Model, o: &Orchestration) -> Vec<Entry> {
    o.steps.iter().map(|s| render_step(model, s)).collect()
}
