//! The dependency graph over every entity and reference (petgraph):
//! cycles are reported with their whole path, and a deterministic
//! topological order (dependencies first) is handed to the emitters.

use super::eval::Cx;
use super::model::*;
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Block, Body, Expr, ExprKind, StrPart};
use indexmap::{IndexMap, IndexSet};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeSet;

#[allow(clippy::too_many_arguments)]
pub fn build(
    cx: &mut Cx<'_>,
    apps: &IndexMap<String, App>,
    servers: &IndexMap<String, Server>,
    uses: &IndexMap<String, Vec<String>>,
    auths: &IndexMap<String, Auth>,
    routes: &[(Route, &Block)],
    zones: &IndexMap<String, Zone>,
    secrets: &IndexMap<String, Secret>,
    rollouts: &IndexMap<String, Rollout>,
    pipelines: &IndexMap<String, Pipeline>,
) -> Graph {
    let e = |kind: Kind, name: &str| Entity {
        kind,
        name: name.to_string(),
    };
    let mut nodes: IndexSet<Entity> = IndexSet::new();
    let mut edges: IndexSet<(Entity, Entity)> = IndexSet::new();
    for n in secrets.keys() {
        nodes.insert(e(Kind::Secret, n));
    }
    for n in cx.syms.names("firewall") {
        nodes.insert(e(Kind::Firewall, n));
    }
    for n in rollouts.keys() {
        nodes.insert(e(Kind::Rollout, n));
    }
    for (n, s) in servers {
        nodes.insert(e(Kind::Server, n));
        for f in &s.firewalls {
            edges.insert((e(Kind::Server, n), e(Kind::Firewall, f)));
        }
    }
    for (n, a) in apps {
        let me = e(Kind::App, n);
        nodes.insert(me.clone());
        for t in &a.tasks {
            for s in t.secrets.values() {
                edges.insert((me.clone(), e(Kind::Secret, s)));
            }
            for s in t.templates.iter().flat_map(|tpl| &tpl.secrets) {
                edges.insert((me.clone(), e(Kind::Secret, s)));
            }
        }
        if let Some(s) = &a.runs_on {
            edges.insert((me.clone(), e(Kind::Server, s)));
        }
        if let Some(r) = &a.rollout {
            edges.insert((me.clone(), e(Kind::Rollout, r)));
        }
        for d in &a.depends_on {
            edges.insert((me.clone(), e(Kind::App, d)));
        }
    }
    for n in cx.syms.names("upstream") {
        nodes.insert(e(Kind::Upstream, n));
    }
    for (n, used) in uses {
        nodes.insert(e(Kind::Middleware, n));
        for u in used {
            edges.insert((e(Kind::Middleware, n), e(Kind::Middleware, u)));
        }
    }
    let target = |t: &Target| match t {
        Target::App { app, .. } => e(Kind::App, app),
        Target::Upstream(u) => e(Kind::Upstream, u),
    };
    for (n, a) in auths {
        nodes.insert(e(Kind::Auth, n));
        edges.insert((e(Kind::Auth, n), target(&a.outpost)));
    }
    for (r, _) in routes {
        let me = e(Kind::Route, &route_name(r));
        nodes.insert(me.clone());
        if let RouteAction::Proxy(t) = &r.action {
            edges.insert((me.clone(), target(t)));
        }
        for m in &r.middleware {
            edges.insert((me.clone(), e(Kind::Middleware, m)));
        }
        if let Some(a) = &r.auth {
            edges.insert((me.clone(), e(Kind::Auth, a)));
        }
    }
    for (n, z) in zones {
        nodes.insert(e(Kind::Dns, n));
        for r in &z.records {
            if let RecordValue::ServerIp { server, .. } = &r.value {
                edges.insert((e(Kind::Dns, n), e(Kind::Server, server)));
            }
        }
    }
    for n in pipelines.keys() {
        nodes.insert(e(Kind::Pipeline, n));
    }
    // An edge to something that failed to check (already reported) is dropped.
    let edges: Vec<(Entity, Entity)> = edges
        .into_iter()
        .filter(|(a, b)| nodes.contains(a) && nodes.contains(b))
        .collect();

    let mut g: DiGraph<usize, ()> = DiGraph::new();
    let idx: Vec<NodeIndex> = (0..nodes.len()).map(|i| g.add_node(i)).collect();
    for (a, b) in &edges {
        if let (Some(ia), Some(ib)) = (nodes.get_index_of(a), nodes.get_index_of(b)) {
            g.add_edge(idx[ia], idx[ib], ());
        }
    }
    for scc in petgraph::algo::tarjan_scc(&g) {
        let self_loop = scc.len() == 1 && g.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        report_cycle(cx, &g, &scc, &nodes);
    }

    let mut sorted_edges = edges.clone();
    sorted_edges.sort();
    let order = topo_order(&nodes, &edges);
    let mut node_list: Vec<Entity> = nodes.into_iter().collect();
    node_list.sort();
    Graph {
        nodes: node_list,
        edges: sorted_edges,
        order,
    }
}

pub fn route_name(r: &Route) -> String {
    match &r.path {
        Some(p) => format!("{}{}", r.host, p),
        None => r.host.clone(),
    }
}

fn report_cycle(
    cx: &mut Cx<'_>,
    g: &DiGraph<usize, ()>,
    scc: &[NodeIndex],
    nodes: &IndexSet<Entity>,
) {
    let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
    let Some(start) = scc.iter().copied().min_by_key(|n| &nodes[g[*n]]) else {
        return;
    };
    // Walk from the smallest member, always to the smallest neighbour not
    // yet visited, until the walk closes: a readable, deterministic cycle.
    let mut path = vec![start];
    let mut cur = start;
    loop {
        let mut next: Vec<NodeIndex> = g.neighbors(cur).filter(|n| members.contains(n)).collect();
        next.sort_by_key(|n| &nodes[g[*n]]);
        if next.contains(&start) {
            path.push(start);
            break;
        }
        match next.into_iter().find(|n| !path.contains(n)) {
            Some(n) => {
                path.push(n);
                cur = n;
            }
            None => {
                path.push(start);
                break;
            }
        }
    }
    let names: Vec<String> = path.iter().map(|n| nodes[g[*n]].to_string()).collect();
    // Each edge of the cycle at the reference that makes it; the primary
    // label on the one that closes the cycle (back to the first entity).
    let edges: Vec<(&Entity, &Entity, Option<Span>)> = path
        .windows(2)
        .map(|w| {
            let (from, to) = (&nodes[g[w[0]]], &nodes[g[w[1]]]);
            let span = cx
                .syms
                .get(from.kind.as_str(), &from.name)
                .and_then(|b| reference_in(&b.body, to.kind.as_str(), &to.name));
            (from, to, span)
        })
        .collect();
    let first = &nodes[g[start]];
    let closing = edges.last().and_then(|(_, _, s)| *s);
    let span = closing
        .or_else(|| {
            cx.syms
                .get(first.kind.as_str(), &first.name)
                .map(|b| b.head_span())
        })
        .unwrap_or_default();
    let mut d = Diagnostic::error(
        Code::E0401,
        span,
        format!("dependency cycle: {}", names.join(" → ")),
    )
    .label(match edges.last() {
        Some((from, to, Some(_))) if edges.len() > 1 => {
            format!("{from} → {to} closes the cycle")
        }
        Some((from, _, Some(_))) => format!("{from} refers to itself"),
        _ => "part of a cycle".to_string(),
    });
    for (from, to, s) in &edges[..edges.len().saturating_sub(1)] {
        if let Some(s) = s {
            d = d.with_secondary(*s, format!("{from} → {to}"));
        }
    }
    cx.err(d.help("break the cycle: remove one of these references (`depends_on`, `use`, …)"));
}

/// The first reference to `kind.name` (or a part of it) in a body, nested
/// blocks and interpolations included: where an edge of the graph is
/// written.
fn reference_in(body: &Body, kind: &str, name: &str) -> Option<Span> {
    fn expr(e: &Expr, kind: &str, name: &str) -> Option<Span> {
        match &e.kind {
            ExprKind::Ref(path)
                if path.first().is_some_and(|i| i.name == kind)
                    && path.get(1).is_some_and(|i| i.name == name) =>
            {
                Some(e.span)
            }
            ExprKind::List(items) => items.iter().find_map(|i| expr(i, kind, name)),
            ExprKind::Object(entries) => entries.iter().find_map(|(_, v)| expr(v, kind, name)),
            ExprKind::Str(parts) => parts.iter().find_map(|p| match p {
                StrPart::Interp(i) => expr(i, kind, name),
                StrPart::Lit(_) => None,
            }),
            _ => None,
        }
    }
    body.attributes
        .iter()
        .find_map(|a| expr(&a.value, kind, name))
        .or_else(|| {
            body.blocks
                .iter()
                .find_map(|b| reference_in(&b.body, kind, name))
        })
}

/// Kahn's algorithm, always taking the smallest ready entity, so the order
/// depends only on the graph. Entities in a cycle come last, sorted.
fn topo_order(nodes: &IndexSet<Entity>, edges: &[(Entity, Entity)]) -> Vec<Entity> {
    let n = nodes.len();
    let mut deps = vec![0usize; n];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, b) in edges {
        if let (Some(ia), Some(ib)) = (nodes.get_index_of(a), nodes.get_index_of(b)) {
            deps[ia] += 1;
            dependents[ib].push(ia);
        }
    }
    let mut ready: BTreeSet<&Entity> = nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| deps[*i] == 0)
        .map(|(_, e)| e)
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while let Some(next) = ready.pop_first() {
        let i = nodes.get_index_of(next).unwrap_or(0);
        placed[i] = true;
        order.push(next.clone());
        for &d in &dependents[i] {
            deps[d] -= 1;
            if deps[d] == 0 {
                ready.insert(&nodes[d]);
            }
        }
    }
    let mut rest: Vec<Entity> = nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| !placed[*i])
        .map(|(_, e)| e.clone())
        .collect();
    rest.sort();
    order.extend(rest);
    order
}
