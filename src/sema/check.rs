//! The per-environment driver: evaluate variables, build every entity of
//! the model, then run the cross-entity checks (conflicts, policy, graph).

use super::eval::{check_shape, Cx, Val, V};
use super::model::*;
use super::resolve::Symbols;
use super::{graph, policy, routing, schema, workload};
use crate::diagnostics::{suggestion_help, Diagnostic};
use crate::diagnostics::{Code, Phase};
use crate::source::Span;
use crate::syntax::ast::{Attribute, Block};
use indexmap::IndexMap;

pub const HETZNER_NAMESERVERS: &[&str] = &[
    "hydrogen.ns.hetzner.com.",
    "oxygen.ns.hetzner.com.",
    "helium.ns.hetzner.de.",
];

/// Checks the spec for every environment. Returns the models (one per
/// environment) and the diagnostics, merged across environments.
pub fn check_all(
    syms: &Symbols<'_>,
    source_name: &str,
    input_hash: &str,
) -> (Vec<Model>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let projects: Vec<&Block> = syms.of("project").map(|(_, b)| *b).collect();
    match projects.as_slice() {
        [] => {
            // Point at the first block of the root file, or its start.
            let span = syms
                .by_kind
                .values()
                .flat_map(|m| m.values())
                .next()
                .map(|b| b.head_span())
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(Code::E0215, span, "the spec has no `project` block")
                    .label("expected a project")
                    .help("add `project \"name\" { datacenters = [\"dc1\"] }`"),
            );
        }
        [_] => {}
        [first, rest @ ..] => {
            for extra in rest {
                diags.push(
                    Diagnostic::error(Code::E0214, extra.head_span(), "a second `project` block")
                        .label("second project")
                        .with_secondary(first.head_span(), "the project")
                        .help("a spec describes one project; merge the settings into the first block, or split the spec into two files"),
                );
            }
        }
    }
    let envs: Vec<(&String, &&Block)> = syms.of("environment").collect();
    if envs.is_empty() {
        let span = projects.first().map(|p| p.head_span()).unwrap_or_default();
        diags.push(
            Diagnostic::error(Code::E0216, span, "the spec has no `environment`")
                .label("nothing to compile")
                .help("add `environment \"production\" {}`: each environment is compiled to its own output tree"),
        );
        return (Vec::new(), diags);
    }
    let env_names: Vec<String> = envs.iter().map(|(n, _)| n.to_string()).collect();
    let mut per_env: Vec<Vec<Diagnostic>> = Vec::new();
    let mut models = Vec::new();
    for (name, block) in &envs {
        let mut cx = Cx::new(syms, name);
        let model = check_env(&mut cx, block, source_name, input_hash, &env_names);
        super::lexical_pass::check(&mut cx);
        let model = model.filter(|_| !cx.diags.iter().any(Diagnostic::is_error));
        per_env.push(std::mem::take(&mut cx.diags));
        if let Some(m) = model {
            models.push(m);
        }
    }
    let mut merged = merge(per_env, &env_names);
    // Only environments that checked clean have a model to compare.
    merged.extend(super::isolation::check(&models, syms));
    merged.extend(super::isolation::promoted_images(&models, syms));
    // The scan of every literal adds only what the checks on evaluated
    // values did not already report at the same place.
    let overlaps = |a: crate::source::Span, b: crate::source::Span| {
        a.file == b.file && a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
    };
    let scanned: Vec<Diagnostic> = super::secret_scan::scan(syms)
        .into_iter()
        .filter(|s| {
            !merged.iter().any(|d| {
                d.code.phase() == Phase::Policy
                    && d.code.is_error()
                    && overlaps(d.primary.span, s.primary.span)
            })
        })
        .collect();
    diags.extend(merged);
    diags.extend(scanned);
    (models, diags)
}

/// A problem found in every environment is reported once; one found only
/// in some names them.
fn merge(per_env: Vec<Vec<Diagnostic>>, envs: &[String]) -> Vec<Diagnostic> {
    let mut seen: IndexMap<Diagnostic, Vec<String>> = IndexMap::new();
    for (i, diags) in per_env.into_iter().enumerate() {
        for d in diags {
            let list = seen.entry(d).or_default();
            if !list.contains(&envs[i]) {
                list.push(envs[i].clone());
            }
        }
    }
    seen.into_iter()
        .map(|(mut d, in_envs)| {
            let named = matches!(in_envs.as_slice(), [e] if d.message.contains(&format!("environment `{e}`")));
            if in_envs.len() < envs.len() && !named {
                d.envs = in_envs;
            }
            d
        })
        .collect()
}

fn check_env(
    cx: &mut Cx<'_>,
    env_block: &Block,
    source_name: &str,
    input_hash: &str,
    env_names: &[String],
) -> Option<Model> {
    let syms = cx.syms;
    eval_vars(cx, env_block);
    let env = environment(cx, env_block);
    let environments: Vec<Environment> = syms
        .of("environment")
        .map(|(n, b)| {
            if n == cx.env {
                env.clone()
            } else {
                let mut other = Cx::new(syms, n);
                environment(&mut other, b)
            }
        })
        .collect();
    promotion_cycles(cx, &environments);
    let mut project = project(cx);
    if let (Some(p), Some(region)) = (project.as_mut(), &env.region) {
        p.region = region.clone();
    }
    let plugins = project
        .as_ref()
        .map(|p| p.caddy_plugins.clone())
        .unwrap_or_default();

    let mut secrets = IndexMap::new();
    for (n, b) in syms.of("secret") {
        if let Some(s) = workload::secret(cx, b, n) {
            secrets.insert(n.clone(), s);
        }
    }
    let mut variables_ok = true;
    for (n, b) in syms.of("variable") {
        variables_ok &= variable_shape(cx, b, n);
    }
    let mut servers = IndexMap::new();
    for (n, b) in syms.of("server") {
        if let Some(s) = workload::server(cx, b, n) {
            servers.insert(n.clone(), s);
        }
    }
    let mut firewalls = IndexMap::new();
    for (n, b) in syms.of("firewall") {
        if let Some(f) = workload::firewall(cx, b, n) {
            firewalls.insert(n.clone(), f);
        }
    }
    let mut rollouts = IndexMap::new();
    for (n, b) in syms.of("rollout") {
        if let Some(r) = workload::rollout(cx, b, n) {
            rollouts.insert(n.clone(), r);
        }
    }
    let mut apps = IndexMap::new();
    for (n, b) in syms.of("app") {
        if let Some(a) = workload::app(cx, b, n) {
            apps.insert(n.clone(), a);
        }
    }
    let mut upstreams = IndexMap::new();
    for (n, b) in syms.of("upstream") {
        if let Some(u) = routing::upstream(cx, b, n) {
            upstreams.insert(n.clone(), u);
        }
    }
    let mut middlewares = IndexMap::new();
    let mut uses: IndexMap<String, Vec<String>> = IndexMap::new();
    for (n, b) in syms.of("middleware") {
        if let Some((m, u)) = routing::middleware(cx, b, n, &plugins) {
            middlewares.insert(n.clone(), m);
            uses.insert(n.clone(), u);
        }
    }
    let mut auths = IndexMap::new();
    for (n, b) in syms.of("auth") {
        if let Some(a) = routing::auth(cx, b, n, &apps) {
            auths.insert(n.clone(), a);
        }
    }
    let mut zones = IndexMap::new();
    for (n, b) in syms.of("dns") {
        if let Some(z) = routing::zone(cx, b, n) {
            let first = zones.contains_key(&z.name).then(|| {
                syms.of("dns")
                    .find(|(fname, _)| fname.trim_end_matches('.').eq_ignore_ascii_case(&z.name))
                    .map(|(_, fb)| *fb)
            });
            if let Some(Some(first)) = first {
                cx.err(
                    Diagnostic::error(
                        Code::E0204,
                        b.labels[0].span,
                        format!("zone `{}` is defined twice", z.name),
                    )
                    .label("same zone")
                    .with_secondary(first.labels[0].span, "first definition")
                    .help(
                        "zone names are case-insensitive; merge the records into one `dns` block",
                    ),
                );
                continue;
            }
            zones.insert(z.name.clone(), z);
        }
    }
    let mut routes: Vec<(Route, &Block)> = Vec::new();
    let targets = super::proxy::Targets {
        apps: &apps,
        upstreams: &upstreams,
        rollouts: &rollouts,
    };
    for b in &syms.routes {
        if let Some(r) = routing::route(cx, b, &targets) {
            routes.push((r, b));
        }
    }
    // The environment's own names, before anything reads a host.
    if let Some(suffix) = &env.host_suffix {
        let mut bare: Vec<Route> = routes.iter().map(|(r, _)| r.clone()).collect();
        super::env_names::apply(&mut bare, &mut zones, suffix);
        for ((r, _), renamed) in routes.iter_mut().zip(bare) {
            *r = renamed;
        }
    }
    let mut streams = IndexMap::new();
    for (n, b) in syms.of("stream") {
        if let Some(s) = super::stream::stream(cx, b, n, &apps, &upstreams) {
            streams.insert(n.clone(), s);
        }
    }
    let proxy_servers = super::stream::proxy_servers(&servers, project.as_ref());
    super::stream::clashes(
        cx,
        &streams,
        &apps,
        project.as_ref(),
        !routes.is_empty(),
        &proxy_servers,
    );
    let mut pipelines = IndexMap::new();
    for (n, b) in syms.of("pipeline") {
        if let Some(p) = pipeline(cx, b, n, env_names, &environments) {
            pipelines.insert(n.clone(), p);
        }
    }

    // An auth that protects no route would still make Terraform create
    // Authentik objects and ask for its token: it is left out, and said so.
    auths.retain(|name, _| {
        let used = routes.iter().any(|(r, _)| r.auth.as_deref() == Some(name));
        if !used {
            let span = syms
                .get("auth", name)
                .and_then(|b| b.labels.first())
                .map(|l| l.span)
                .unwrap_or_default();
            cx.err(
                Diagnostic::warning(Code::W0510, span, format!("auth `{name}` protects no route"))
                    .label("used by no route")
                    .help(format!("nothing is emitted for it (no Authentik provider, no token asked for); put `auth = auth.{name}` on the routes it should protect, or remove the block")),
            );
        }
        used
    });
    super::templates::resolve(cx, &mut apps, &secrets);
    let graph = graph::build(
        cx, &apps, &servers, &uses, &auths, &routes, &zones, &secrets, &rollouts, &pipelines,
    );
    let expanded: Vec<Route> = routes
        .iter()
        .map(|(r, _)| {
            let mut r = r.clone();
            r.middleware = expand_middleware(&r.middleware, &uses);
            // A middleware's `log` turns on the access log of a route that
            // has none of its own (the first in the expanded chain).
            if r.log.is_none() {
                r.log = r
                    .middleware
                    .iter()
                    .find_map(|m| middlewares.get(m).and_then(|m: &Middleware| m.log.clone()));
            }
            r
        })
        .collect();
    let routes_with_blocks: Vec<(Route, &Block)> = expanded
        .into_iter()
        .zip(routes.iter().map(|(_, b)| *b))
        .collect();
    if let Some(p) = &project {
        super::edge::caddy_features(cx, &routes_with_blocks, &p.edge, &apps, &rollouts);
    }
    policy::check(
        cx,
        &apps,
        &rollouts,
        &upstreams,
        &middlewares,
        &routes_with_blocks,
        &zones,
        project.as_ref(),
    );
    policy::canary_streams(cx, &streams, &apps, &rollouts);
    // What the consumers would reject at deploy time, by their own rules.
    super::nomad_check::check(cx, &apps, &rollouts);
    super::value_rules::check(cx, project.as_ref(), &apps, &upstreams, &firewalls);
    super::route_rules::check(cx);
    super::lockout::check(cx, &servers, &firewalls);
    super::exposure::check(cx, &firewalls);
    super::placement::check(cx, &apps, &servers, &rollouts);

    let mut routes: Vec<Route> = routes_with_blocks.into_iter().map(|(r, _)| r).collect();
    routes.sort_by(|a, b| {
        a.host.cmp(&b.host).then_with(|| match (&a.path, &b.path) {
            (Some(x), Some(y)) => y.len().cmp(&x.len()).then(x.cmp(y)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
    });

    if cx.diags.iter().any(|d| d.is_error()) || !variables_ok {
        return None;
    }
    let vars = cx
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), to_json(v)))
        .collect();
    Some(Model {
        source_name: source_name.to_string(),
        input_hash: input_hash.to_string(),
        model_hash: String::new(),
        env,
        environments,
        project: project?,
        vars,
        secrets,
        servers,
        firewalls,
        apps,
        upstreams,
        middlewares,
        auths,
        routes,
        zones,
        rollouts,
        pipelines,
        streams,
        proxy_servers,
        graph,
    })
}

/// `use` chains flattened: a used middleware comes before its user.
/// Cycles were reported by the graph; the depth bound keeps this total.
pub fn expand_middleware(names: &[String], uses: &IndexMap<String, Vec<String>>) -> Vec<String> {
    fn visit(n: &str, uses: &IndexMap<String, Vec<String>>, out: &mut Vec<String>, depth: usize) {
        if depth > 32 || out.iter().any(|o| o == n) {
            return;
        }
        let Some(used) = uses.get(n) else { return };
        for u in used {
            visit(u, uses, out, depth + 1);
        }
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    let mut out = Vec::new();
    for n in names {
        visit(n, uses, &mut out, 0);
    }
    out
}

fn to_json(v: &Val) -> serde_json::Value {
    match &v.v {
        V::Str(s) => serde_json::Value::String(s.clone()),
        // A whole number stays a whole number (`2`, not `2.0`, in the pillar).
        V::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => serde_json::Value::from(*n as i64),
        V::Num(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        V::Bool(b) => serde_json::Value::Bool(*b),
        V::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        V::Obj(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
        V::Dur(d) => serde_json::Value::String(format!("{}s", d.as_secs_f64())),
        V::Size(s) => serde_json::Value::from(*s),
        V::Pct(p) => serde_json::Number::from_f64(*p)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        // A reference keeps what it names (a secret's value is never in the
        // model: each target renders the reference its own way, e.g. the
        // pillar as the Vault SDB URI).
        V::Ref(r) if r.kind == "secret" && r.rest.is_empty() => {
            serde_json::json!({ "secret": r.name })
        }
        V::Ref(r) => serde_json::json!({ "ref": r.path() }),
        V::Null => serde_json::Value::Null,
    }
}

const VAR_TYPES: &[&str] = &[
    "string", "number", "bool", "duration", "size", "percent", "list", "object",
];

fn var_type(b: &Block) -> Option<String> {
    let a = b.body.attr("type")?;
    match &a.value.kind {
        crate::syntax::ast::ExprKind::Ref(p) if p.len() == 1 => Some(p[0].name.clone()),
        crate::syntax::ast::ExprKind::Str(parts) => match parts.as_slice() {
            [crate::syntax::ast::StrPart::Lit(s)] => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn type_matches(ty: &str, v: &V) -> bool {
    matches!(
        (ty, v),
        ("string", V::Str(_))
            | ("number", V::Num(_))
            | ("bool", V::Bool(_))
            | ("duration", V::Dur(_))
            | ("size", V::Size(_))
            | ("percent", V::Pct(_))
            | ("list", V::List(_))
            | ("object", V::Obj(_))
    )
}

fn variable_shape(cx: &mut Cx<'_>, b: &Block, name: &str) -> bool {
    check_shape(cx, b, &schema::variable::VARIABLE);
    let _ = name;
    if let Some(a) = b.body.attr("type") {
        match var_type(b) {
            Some(t) if VAR_TYPES.contains(&t.as_str()) => {}
            Some(t) => {
                cx.err(
                    Diagnostic::error(
                        Code::E0306,
                        a.value.span,
                        format!("`{t}` is not a variable type"),
                    )
                    .label("unknown type")
                    .help(suggestion_help(&t, VAR_TYPES, "type")),
                );
                return false;
            }
            None => {
                cx.err(
                    Diagnostic::error(Code::E0306, a.value.span, "a variable type is a type name")
                        .label("not a type")
                        .help("write `type = string` (or number, bool, duration, size, percent, list, object)"),
                );
                return false;
            }
        }
    }
    true
}

/// Each variable's value in this environment: the environment's `vars`
/// entry, else the default. Missing and ill-typed values name the environment.
fn eval_vars(cx: &mut Cx<'_>, env_block: &Block) {
    let syms = cx.syms;
    let mut given: IndexMap<String, Val> = IndexMap::new();
    // When `vars` itself is wrong (reported), a variable that looks unset
    // may well be set there: saying so would be noise.
    let mut vars_broken = false;
    if let Some(a) = env_block.body.attr("vars") {
        cx.setting_vars = true;
        let value = cx.eval(&a.value);
        cx.setting_vars = false;
        vars_broken = value.is_none();
        match value {
            Some(Val {
                v: V::Obj(entries), ..
            }) => {
                for (k, v) in entries {
                    if syms.get("variable", &k.name).is_none() {
                        let names = syms.names("variable");
                        cx.err(
                            Diagnostic::error(
                                Code::E0211,
                                k.span,
                                format!(
                                    "environment `{}` sets unknown variable `{}`",
                                    cx.env, k.name
                                ),
                            )
                            .label("no such variable")
                            .help(suggestion_help(&k.name, &names, "variable")),
                        );
                        continue;
                    }
                    given.insert(k.name.clone(), v);
                }
            }
            Some(other) => {
                cx.type_error(&other, "an object of variable values (`{ replicas = 2 }`)")
            }
            None => {}
        }
    }
    for (name, b) in syms.of("variable") {
        let ty = var_type(b).filter(|t| VAR_TYPES.contains(&t.as_str()));
        let value = match given.shift_remove(name) {
            // The default is checked even where every environment sets the
            // variable: it is what a new environment would get.
            Some(v) => {
                if let (Some(d), Some(t)) = (b.body.attr("default"), &ty) {
                    if let Some(dv) = eval_default(cx, name, d).filter(|dv| mistyped(t, &dv.v)) {
                        cx.err(
                            Diagnostic::error(
                                Code::E0308,
                                dv.span,
                                format!(
                                    "the default of `{name}` is {}, but `{name}` is a {t}",
                                    dv.v.describe()
                                ),
                            )
                            .label(format!("expected a {t}"))
                            .with_secondary(b.labels[0].span, "declared here")
                            .help(format!("give `{name}` a {t} default, or change its `type`")),
                        );
                    }
                }
                Some(v)
            }
            None => match b.body.attr("default") {
                Some(d) => eval_default(cx, name, d),
                None if vars_broken => continue,
                None => {
                    cx.err(
                        Diagnostic::error(Code::E0308, env_block.head_span(), format!("environment `{}` does not set variable `{name}`", cx.env))
                            .label(format!("`{name}` has no default"))
                            .with_secondary(b.labels[0].span, "declared here without a default")
                            .help(format!("add `{name} = …` to this environment's `vars`, or give the variable a `default`")),
                    );
                    None
                }
            },
        };
        let Some(value) = value else { continue };
        if let Some(t) = &ty {
            if mistyped(t, &value.v) {
                cx.err(
                    Diagnostic::error(
                        Code::E0308,
                        value.span,
                        format!(
                            "variable `{name}` is a {t}, but this is {}",
                            value.v.describe()
                        ),
                    )
                    .label(format!("expected a {t}"))
                    .with_secondary(b.labels[0].span, "declared here")
                    .help(format!(
                        "give `{name}` a {t} value in environment `{}`",
                        cx.env
                    )),
                );
                continue;
            }
        }
        cx.vars.insert(name.clone(), value);
    }
}

/// A variable's default, evaluated as the default of `name` (so that it
/// may refer only to variables declared before it).
fn eval_default(cx: &mut Cx, name: &str, d: &Attribute) -> Option<Val> {
    cx.default_of = Some(name.to_string());
    let v = cx.eval(&d.value);
    cx.default_of = None;
    v
}

/// A value that is not of the declared type (`null` is every type: unset).
fn mistyped(t: &str, v: &V) -> bool {
    !type_matches(t, v) && !matches!(v, V::Null)
}

/// `promote_from` chains that loop back (`staging` from `production` from
/// `staging`): no environment of the loop can ever be deployed first.
/// Reported once, at the first environment of the loop in source order.
fn promotion_cycles(cx: &mut Cx<'_>, environments: &[Environment]) {
    let from = |name: &str| {
        environments
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.promote_from.as_deref())
    };
    for (i, start) in environments.iter().enumerate() {
        let mut path = vec![start.name.as_str()];
        let mut at = start.name.as_str();
        while let Some(next) = from(at) {
            if next == start.name {
                path.push(next);
                break;
            }
            if path.contains(&next) || path.len() > environments.len() {
                path.clear();
                break;
            }
            path.push(next);
            at = next;
        }
        let is_loop = path.len() > 2 && path.last() == Some(&start.name.as_str());
        let first_of_loop = path
            .iter()
            .all(|n| environments.iter().position(|e| e.name == *n) >= Some(i));
        if !is_loop || !first_of_loop {
            continue;
        }
        let span = cx
            .syms
            .get("environment", &start.name)
            .and_then(|b| b.body.attr("promote_from"))
            .map(|a| a.value.span)
            .unwrap_or_default();
        let chain: Vec<String> = path.iter().map(|n| format!("environment.{n}")).collect();
        cx.err(
            Diagnostic::error(Code::E0401, span, format!("promotion cycle: {}", chain.join(" → ")))
                .label("promotes from an environment that promotes from this one")
                .help("the first environment of a promotion chain has no `promote_from`; remove it from one of these"),
        );
    }
}

fn environment(cx: &mut Cx<'_>, b: &Block) -> Environment {
    check_shape(cx, b, &schema::environment::ENVIRONMENT);
    let name = b.labels[0].name.clone();
    let promote_from = cx
        .reference(&b.body, "promote_from", &["environment"])
        .map(|(r, span)| {
            if r.name == name {
                cx.err(
                    Diagnostic::error(
                        Code::E0401,
                        span,
                        format!("environment `{name}` promotes from itself"),
                    )
                    .label("self-reference")
                    .help("promote from the environment that runs before this one"),
                );
            }
            r.name
        });
    let host_suffix = cx.string(&b.body, "host_suffix").and_then(|(s, span)| {
        match super::env_names::suffix_problem(&s) {
            None => Some(s),
            Some(why) => {
                cx.err(
                    Diagnostic::error(
                        Code::E0303,
                        span,
                        format!("`{}` is not a host suffix: {why}", s.escape_debug()),
                    )
                    .label("invalid host suffix")
                    .help("write a suffix such as `host_suffix = \"-staging\"`: `api.example.com` becomes `api-staging.example.com`"),
                );
                None
            }
        }
    });
    let region = cx.string(&b.body, "region").map(|r| r.0);
    Environment {
        own_images: cx.bool_of(&b.body, &schema::environment::OWN_IMAGES),
        host_suffix,
        region,
        approval: cx.bool_of(&b.body, &schema::environment::APPROVAL),
        promote_from,
        canary_stage: cx
            .int_of(&b.body, &schema::environment::CANARY_STAGE)
            .unwrap_or(1) as usize,
        name,
    }
}

/// An environment that promotes from another must deploy after it: a run
/// that deploys `production` before `staging` promotes what staging has
/// not yet received.
fn pipeline_order(
    cx: &mut Cx<'_>,
    name: &str,
    listed: &[String],
    spans: &[Span],
    all_envs: &[Environment],
) {
    for (i, env) in listed.iter().enumerate() {
        let Some(from) = all_envs
            .iter()
            .find(|e| e.name == *env)
            .and_then(|e| e.promote_from.as_deref())
        else {
            continue;
        };
        let Some(j) = listed.iter().position(|e| e == from).filter(|j| *j > i) else {
            continue;
        };
        let mut d = Diagnostic::error(
            Code::E0408,
            spans[i],
            format!("pipeline `{name}` deploys `{env}` before `{from}`, which it promotes from"),
        )
        .label(format!("promotes from `{from}`, listed later"))
        .with_secondary(spans[j], format!("`{from}` deploys only here"));
        if let Some(p) = cx
            .syms
            .get("environment", env)
            .and_then(|b| b.body.attr("promote_from"))
        {
            d = d.with_secondary(p.value.span, "the promotion");
        }
        let mut order: Vec<&str> = listed.iter().map(String::as_str).collect();
        let moved = order.remove(j);
        order.insert(i, moved);
        let fixed: Vec<String> = order.iter().map(|e| format!("environment.{e}")).collect();
        cx.err(d.help(format!(
            "list the source first: `environments = [{}]`",
            fixed.join(", ")
        )));
    }
}

/// The Caddy plugins eosc can emit configuration for.
const KNOWN_PLUGINS: &[&str] = &["dns_hetzner", "rate_limit"];

fn caddy_plugins(cx: &mut Cx<'_>, b: &Block) -> Vec<String> {
    let mut out = Vec::new();
    for (p, span) in cx.strings(&b.body, "caddy_plugins") {
        if KNOWN_PLUGINS.contains(&p.as_str()) {
            out.push(p);
        } else {
            cx.err(
                Diagnostic::error(
                    Code::E0306,
                    span,
                    format!("unknown Caddy plugin `{}`", p.escape_debug()),
                )
                .label("not a plugin eosc knows")
                .help(suggestion_help(&p, KNOWN_PLUGINS, "plugin")),
            );
        }
    }
    out
}

fn project(cx: &mut Cx<'_>) -> Option<Project> {
    let (name, b) = cx.syms.of("project").next().map(|(n, b)| (n.clone(), *b))?;
    check_shape(cx, b, &schema::project::PROJECT);
    let mut datacenters: Vec<String> = cx
        .strings(&b.body, "datacenters")
        .into_iter()
        .map(|d| d.0)
        .collect();
    if datacenters.is_empty() {
        datacenters.push("dc1".into());
    }
    let acme_email = cx.string(&b.body, "acme_email").and_then(|(e, span)| {
        let ok = super::lexical::email(&e);
        if !ok {
            cx.err(
                Diagnostic::error(
                    Code::E0303,
                    span,
                    format!("`{}` is not an email address", e.escape_debug()),
                )
                .label("invalid email")
                .help(if e.contains(['{', '}']) {
                    "ACME needs a contact address: `ops@example.com`; no `{` or `}` (Caddy would read a placeholder)"
                } else {
                    "ACME needs a contact address: `ops@example.com`"
                }),
            );
        }
        ok.then_some(e)
    });
    let nameservers: Vec<String> = {
        let given: Vec<String> = cx
            .strings(&b.body, "nameservers")
            .into_iter()
            .filter(|(n, span)| {
                // Written into every zone's SOA and NS records as is.
                let ok = super::lexical::hostname(n);
                if !ok {
                    cx.err(
                        Diagnostic::error(
                            Code::E0313,
                            *span,
                            format!("nameserver `{}` is not a host name", n.escape_debug()),
                        )
                        .label("not a host name")
                        .help("write the name server's host name: `ns1.example.net.`"),
                    );
                }
                ok
            })
            .map(|n| {
                if n.0.ends_with('.') {
                    n.0
                } else {
                    format!("{}.", n.0)
                }
            })
            .collect();
        if given.is_empty() {
            HETZNER_NAMESERVERS.iter().map(|s| s.to_string()).collect()
        } else {
            given
        }
    };
    let caddy_plugins = caddy_plugins(cx, b);
    let mut salt_targets: IndexMap<String, String> = [
        ("controller", "roles:hecate-controller"),
        ("proxy", "roles:hecate-proxy"),
        ("apps", "roles:app-deployer"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, (v, span, key_span)) in cx.keyed_string_map(&b.body, "salt_targets") {
        if !salt_targets.contains_key(&k) {
            let roles: Vec<&str> = salt_targets.keys().map(String::as_str).collect();
            cx.err(
                Diagnostic::error(
                    Code::E0202,
                    key_span,
                    format!("unknown salt target role `{k}`"),
                )
                .label("unknown role")
                .help(suggestion_help(&k, &roles, "role")),
            );
            continue;
        }
        if !v.contains(':') || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            cx.err(
                Diagnostic::error(
                    Code::E0303,
                    span,
                    format!("`{}` is not a grain target", v.escape_debug()),
                )
                .label("expected `grain:value`")
                .help("write a grain match: `roles:hecate-controller`"),
            );
            continue;
        }
        salt_targets.insert(k, v);
    }
    Some(Project {
        name,
        datacenters,
        region: cx
            .string(&b.body, "region")
            .map(|r| r.0)
            .unwrap_or_else(|| "global".into()),
        registry: cx.string(&b.body, "registry").map(|r| r.0),
        vault: cx.string(&b.body, "vault").map(|r| r.0),
        hcloud_token: cx
            .reference(&b.body, "hcloud_token", &["secret"])
            .and_then(|(r, span)| cx.plain_ref(&r, span).then_some(r.name)),
        acme_email,
        caddy_admin: cx
            .string(&b.body, "caddy_admin")
            .map(|r| r.0)
            .unwrap_or_else(|| "localhost:2019".into()),
        edge: super::edge::project_settings(cx, b, &caddy_plugins),
        terraform_backend: match cx
            .choice_of(&b.body, &schema::project::TERRAFORM_BACKEND)
            .map(|c| c.0)
            .as_deref()
        {
            Some("local") => TerraformBackend::Local,
            _ => TerraformBackend::Consul,
        },
        caddy_plugins,
        nameservers,
        salt_targets,
        log: super::caddy_globals::log(cx, b),
        storage: super::caddy_globals::storage(cx, b),
    })
}

fn pipeline(
    cx: &mut Cx<'_>,
    b: &Block,
    name: &str,
    env_names: &[String],
    all_envs: &[Environment],
) -> Option<Pipeline> {
    check_shape(cx, b, &schema::pipeline::PIPELINE);
    let mut environments: Vec<String> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    for (r, span) in cx.references(&b.body, "environments", &["environment"]) {
        if !cx.plain_ref(&r, span) {
            continue;
        }
        // Jenkins refuses two stages of one name, and deploying an
        // environment twice in one run is never what was meant.
        if let Some(i) = environments.iter().position(|e| *e == r.name) {
            cx.err(
                Diagnostic::error(
                    Code::E0407,
                    span,
                    format!("pipeline `{name}` lists environment `{}` twice", r.name),
                )
                .label("listed again")
                .with_secondary(spans[i], "first listed here")
                .help("list each environment once, in the order they deploy"),
            );
            continue;
        }
        environments.push(r.name);
        spans.push(span);
    }
    pipeline_order(cx, name, &environments, &spans, all_envs);
    if b.body.attr("environments").is_none() {
        environments = env_names.to_vec();
    }
    let mut credentials = IndexMap::new();
    for (k, (id, span, key_span)) in cx.keyed_string_map(&b.body, "credentials") {
        let key_ok = k
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !key_ok || id.is_empty() || id.chars().any(|c| c.is_control()) {
            cx.err(
                Diagnostic::error(Code::E0312, if key_ok { span } else { key_span }, format!("credential `{}` cannot be used safely", k.escape_debug()))
                    .label("invalid credential")
                    .help("keys are environment variable names (`SALT_API_CREDS`); values are Jenkins credential ids"),
            );
            continue;
        }
        credentials.insert(k, id);
    }
    Some(Pipeline {
        name: name.into(),
        agent: cx
            .string(&b.body, "agent")
            .map(|a| a.0)
            .unwrap_or_else(|| "any".into()),
        branch: cx
            .string(&b.body, "branch")
            .map(|a| a.0)
            .unwrap_or_else(|| "main".into()),
        environments,
        notify: cx.string(&b.body, "notify").map(|a| a.0),
        credentials,
        timeout: cx
            .duration_of(&b.body, &schema::pipeline::TIMEOUT)
            .unwrap_or_default(),
    })
}
