//! The order of the Nomad jobs: waves by dependency depth, and the graph's
//! edges between entities that the steps' requisites follow.

use crate::sema::model::{App, Entity, Kind, Model};
use std::collections::HashMap;

/// The dependency graph's edges by source (`Graph::dependency_map`).
pub type Deps<'m> = HashMap<&'m Entity, Vec<&'m Entity>>;

/// The apps an app depends on directly, per the dependency graph.
pub fn app_dependencies<'m>(deps: &Deps<'m>, app: &str) -> Vec<&'m str> {
    let me = Entity {
        kind: Kind::App,
        name: app.to_string(),
    };
    dependencies_of_kind(deps, &me, Kind::App)
}

/// The entities of `kind` that `from` depends on directly, sorted.
pub fn dependencies_of_kind<'m>(deps: &Deps<'m>, from: &Entity, kind: Kind) -> Vec<&'m str> {
    let mut v: Vec<&str> = deps
        .get(from)
        .into_iter()
        .flatten()
        .filter(|b| b.kind == kind)
        .map(|b| b.name.as_str())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Apps in deployment order: by dependency depth (a wave holds the apps
/// whose dependencies are all in earlier waves), stateful apps (with
/// volumes) first within a wave, then declaration order.
pub fn app_waves(model: &Model) -> Vec<Vec<&App>> {
    let index: HashMap<&str, usize> = model
        .apps
        .keys()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let n = index.len();
    // Longest path from the apps with no app dependency, in one pass in
    // dependency order (Kahn); an app in a cycle (impossible in a checked
    // model) stays where its acyclic dependencies put it.
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pending = vec![0usize; n];
    let mut seen = std::collections::HashSet::new();
    for (a, b) in &model.graph.edges {
        if a.kind != Kind::App || b.kind != Kind::App || !seen.insert((a, b)) {
            continue;
        }
        if let (Some(&i), Some(&j)) = (index.get(a.name.as_str()), index.get(b.name.as_str())) {
            dependents[j].push(i);
            pending[i] += 1;
        }
    }
    let mut depth = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    while let Some(j) = ready.pop() {
        for &i in &dependents[j] {
            depth[i] = depth[i].max(depth[j] + 1);
            pending[i] -= 1;
            if pending[i] == 0 {
                ready.push(i);
            }
        }
    }
    let max = depth.iter().copied().max().unwrap_or(0);
    let mut waves: Vec<Vec<(usize, &App)>> = vec![Vec::new(); max + 1];
    for (i, app) in model.apps.values().enumerate() {
        waves[depth[i]].push((i, app));
    }
    waves
        .into_iter()
        .filter(|w| !w.is_empty())
        .map(|mut wave| {
            wave.sort_by_key(|(i, a)| (a.volumes.is_empty(), *i));
            wave.into_iter().map(|(_, a)| a).collect()
        })
        .collect()
}
