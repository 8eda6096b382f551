//! The dependency graph of one environment as text: Graphviz DOT, Mermaid
//! and JSON. Pure functions of the model; `eosc graph` prints them. Nodes
//! are entities grouped by kind (a cluster in DOT, a subgraph in Mermaid);
//! an edge `A → B` means A depends on B. Everything is in the graph's own
//! sorted order, so the output is deterministic.

use super::model::{Entity, Kind, Model};
use serde_json::json;

/// Fill colours per kind, for the DOT picture.
fn colour(kind: Kind) -> &'static str {
    match kind {
        Kind::Secret => "#fde2e4",
        Kind::Server => "#dfe7fd",
        Kind::Firewall => "#e2ece9",
        Kind::Rollout => "#fff1e6",
        Kind::App => "#cddafd",
        Kind::Upstream => "#eae4e9",
        Kind::Middleware => "#f0efeb",
        Kind::Auth => "#fad2e1",
        Kind::Route => "#d8f3dc",
        Kind::Dns => "#bee1e6",
        Kind::Pipeline => "#fff3b0",
    }
}

/// The nodes of each kind, kinds in their fixed order.
fn by_kind(model: &Model) -> Vec<(Kind, Vec<&Entity>)> {
    let mut groups: Vec<(Kind, Vec<&Entity>)> = Vec::new();
    for e in &model.graph.nodes {
        match groups.last_mut() {
            Some((k, v)) if *k == e.kind => v.push(e),
            _ => groups.push((e.kind, vec![e])),
        }
    }
    groups.sort_by_key(|(k, _)| *k);
    groups
}

fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn dot(model: &Model) -> String {
    let g = &model.graph;
    let mut out = String::new();
    out.push_str(&format!(
        "// Dependencies of project {} in environment {}: A -> B means A depends on B.\n",
        model.project.name, model.env.name
    ));
    out.push_str(&format!("digraph {} {{\n", dot_string(&model.project.name)));
    out.push_str(&format!(
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label={}];\n",
        dot_string(&format!("{} ({})", model.project.name, model.env.name))
    ));
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n",
    );
    out.push_str("  edge [color=\"#555555\", arrowsize=0.7];\n");
    for (kind, nodes) in by_kind(model) {
        let k = kind.as_str();
        out.push_str(&format!("\n  subgraph cluster_{k} {{\n"));
        out.push_str(&format!(
            "    label={}; style=\"rounded,dashed\"; color=\"#999999\"; fontsize=11;\n",
            dot_string(k)
        ));
        for e in nodes {
            out.push_str(&format!(
                "    {} [label={}, fillcolor=\"{}\"];\n",
                dot_string(&e.to_string()),
                dot_string(&e.name),
                colour(kind)
            ));
        }
        out.push_str("  }\n");
    }
    if !g.edges.is_empty() {
        out.push('\n');
    }
    for (a, b) in &g.edges {
        out.push_str(&format!(
            "  {} -> {};\n",
            dot_string(&a.to_string()),
            dot_string(&b.to_string())
        ));
    }
    out.push_str("}\n");
    out
}

/// A Mermaid label in double quotes: quotes and HTML metacharacters as
/// Mermaid's entity codes.
fn mermaid_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn mermaid(model: &Model) -> String {
    let g = &model.graph;
    // Entity names are not all Mermaid identifiers (routes are host/path),
    // so nodes get ids from their position in the sorted node list.
    let id = |e: &Entity| {
        g.nodes
            .iter()
            .position(|n| n == e)
            .map_or_else(String::new, |i| format!("n{i}"))
    };
    let mut out = String::from("flowchart LR\n");
    out.push_str(&format!(
        "  %% Dependencies of project {} in environment {}: A --> B means A depends on B.\n",
        model.project.name, model.env.name
    ));
    for (kind, nodes) in by_kind(model) {
        let k = kind.as_str();
        out.push_str(&format!("  subgraph k_{k}[{}]\n", mermaid_label(k)));
        for e in nodes {
            out.push_str(&format!("    {}[{}]\n", id(e), mermaid_label(&e.name)));
        }
        out.push_str("  end\n");
    }
    for (a, b) in &g.edges {
        out.push_str(&format!("  {} --> {}\n", id(a), id(b)));
    }
    out
}

pub fn json(model: &Model) -> String {
    let g = &model.graph;
    let doc = json!({
        "project": model.project.name,
        "environment": model.env.name,
        "nodes": g.nodes.iter().map(|e| json!({
            "id": e.to_string(),
            "kind": e.kind.as_str(),
            "name": e.name,
        })).collect::<Vec<_>>(),
        "edges": g.edges.iter().map(|(a, b)| json!({
            "from": a.to_string(),
            "to": b.to_string(),
        })).collect::<Vec<_>>(),
        // Dependencies first: the order in which things can be deployed.
        "order": g.order.iter().map(Entity::to_string).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        assert_eq!(dot_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(
            mermaid_label("x<\"y\">&#"),
            "\"x#lt;#quot;y#quot;#gt;#amp;#35;\""
        );
    }
}
