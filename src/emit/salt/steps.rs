//! Building blocks of orchestration states: `salt.function cmd.run` on a
//! role's minions, requisite lists, the app waves and the route checks.

use super::layout::{self, sh};
use super::yaml::{map, Node};
use crate::sema::model::{App, Entity, Kind, Model, Route, RouteAction};
use std::collections::HashMap;

/// Seconds Salt waits for long steps (Terraform, a Nomad deployment).
pub const LONG_TIMEOUT: u64 = 1800;
/// Seconds for everything else.
pub const SHORT_TIMEOUT: u64 = 600;

/// A `salt.function` state running a shell script with `cmd.run` on the
/// minions of `roles`.
pub fn cmd_run(
    model: &Model,
    roles: &[&str],
    script: &str,
    cwd: Option<&str>,
    timeout: u64,
    require: &[String],
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

/// State ID of an app's Nomad deployment.
pub fn app_state_id(app: &str) -> String {
    format!("hecate_nomad_{}", layout::path_component(app))
}

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

/// What a route check expects back.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// Any answer below 500: Caddy and the backend (or the auth in front of
    /// it) are up.
    Below500,
    Status(u16),
}

/// A health check of one route through Caddy, from the controller.
#[derive(Clone, Debug)]
pub struct RouteCheck<'m> {
    pub id: String,
    pub route: &'m Route,
    pub url: String,
    pub expect: Expect,
}

/// One check per route, with unique state IDs derived from host and path.
pub fn route_checks<'m>(model: &'m Model, prefix: &str) -> Vec<RouteCheck<'m>> {
    let mut out: Vec<RouteCheck> = Vec::new();
    // The IDs given so far: a suffix is added on a clash.
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for route in &model.routes {
        let mut base = format!("{prefix}{}", id_part(&route.host));
        if let Some(p) = &route.path {
            let p = id_part(p.trim_matches(|c| c == '/' || c == '*'));
            if !p.is_empty() {
                base.push('_');
                base.push_str(&p);
            }
        }
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        let expect = match &route.action {
            RouteAction::Proxy(_) => Expect::Below500,
            RouteAction::Redirect { status, .. } => Expect::Status(*status),
            RouteAction::Respond { status, .. } => Expect::Status(*status),
        };
        out.push(RouteCheck {
            id,
            route,
            url: route_url(route),
            expect,
        });
    }
    out
}

fn id_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `https://host/prefix`: the route's path up to its first wildcard.
pub fn route_url(route: &Route) -> String {
    let path = route
        .path
        .as_deref()
        .map(|p| p.split('*').next().unwrap_or(""))
        .unwrap_or("/");
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    format!("https://{}{}", route.host, percent_encode(&path))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~/!$&()+,;=:@".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Shell script: ask the URL up to 10 times, 6 s apart, until the status
/// is what the check expects.
pub fn check_script(check: &RouteCheck) -> String {
    let test = match check.expect {
        Expect::Below500 => "[ \"$code\" -ge 200 ] && [ \"$code\" -lt 500 ]".to_string(),
        Expect::Status(s) => format!("[ \"$code\" = {s} ]"),
    };
    format!(
        "url={url}\n\
         i=0\n\
         while :; do\n\
         \x20 code=$(curl -sS -o /dev/null -w '%{{http_code}}' --max-time 10 \"$url\" || true)\n\
         \x20 if {test}; then echo \"ok: $url answered $code\"; exit 0; fi\n\
         \x20 i=$((i + 1))\n\
         \x20 if [ \"$i\" -ge 10 ]; then echo \"FAILED: $url answered $code\" >&2; exit 1; fi\n\
         \x20 sleep 6\n\
         done",
        url = sh(&check.url)
    )
}
