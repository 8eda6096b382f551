//! Building blocks of states as YAML nodes (`files.sls`, the top files);
//! the orchestrations write theirs as text (`orchestrate.rs`).

use super::yaml::{map, Node};

/// `{ "<module>.<fun>": [ {k: v}, ... ] }`, the SLS long form.
pub fn state(fun: &str, args: Vec<Node>) -> Node {
    map([(fun, Node::Seq(args))])
}

/// One `- key: value` argument of a state.
pub fn one(key: &str, value: Node) -> Node {
    map([(key, value)])
}
