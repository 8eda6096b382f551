//! Building blocks of orchestration states: `salt.function cmd.run` on a
//! role's minions, `salt.state`, requisite lists.

use super::layout;
use super::yaml::{map, Node};
use crate::sema::model::Model;

/// A `salt.function` state running a shell script with `cmd.run` on the
/// minions of `roles`.
pub fn cmd_run(
    model: &Model,
    roles: &[&str],
    script: &str,
    cwd: Option<&str>,
    timeout: u64,
    require: &[String],
    onfail: &[String],
) -> Node {
    let (tgt, tgt_type) = layout::target_of(model, roles);
    let mut kwarg = vec![("python_shell".to_string(), Node::Bool(true))];
    if let Some(cwd) = cwd {
        kwarg.push(("cwd".to_string(), Node::str(cwd)));
    }
    kwarg.push(("timeout".to_string(), Node::UInt(timeout)));
    let mut args = vec![
        one("name", Node::str("cmd.run")),
        one("tgt", Node::str(tgt)),
        one("tgt_type", Node::str(tgt_type)),
        one("arg", Node::Seq(vec![Node::str(script)])),
        one("kwarg", Node::Map(kwarg)),
        one("timeout", Node::UInt(timeout)),
    ];
    push_requisite(&mut args, "require", require);
    push_requisite(&mut args, "onfail", onfail);
    state("salt.function", args)
}

/// A `salt.state` state applying `sls` on the minions of `roles`, in this
/// environment's saltenv/pillarenv.
pub fn apply_sls(model: &Model, roles: &[&str], sls: &str, require: &[String]) -> Node {
    let (tgt, tgt_type) = layout::target_of(model, roles);
    let env = layout::saltenv(model);
    let mut args = vec![
        one("tgt", Node::str(tgt)),
        one("tgt_type", Node::str(tgt_type)),
        one("sls", Node::seq_of_str([sls])),
        one("saltenv", Node::str(env.clone())),
        one("pillarenv", Node::str(env)),
    ];
    push_requisite(&mut args, "require", require);
    state("salt.state", args)
}

/// `{ "<module>.<fun>": [ {k: v}, ... ] }`, the SLS long form.
pub fn state(fun: &str, args: Vec<Node>) -> Node {
    map([(fun, Node::Seq(args))])
}

/// One `- key: value` argument of a state.
pub fn one(key: &str, value: Node) -> Node {
    map([(key, value)])
}

/// Appends `- <kind>: [ {salt: id}, ... ]` unless `ids` is empty.
pub fn push_requisite(args: &mut Vec<Node>, kind: &str, ids: &[String]) {
    if ids.is_empty() {
        return;
    }
    let list = ids
        .iter()
        .map(|id| one("salt", Node::str(id.clone())))
        .collect();
    args.push(one(kind, Node::Seq(list)));
}
