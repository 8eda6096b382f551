//! A route's middleware chain as Caddy subroute entries: blocking rules
//! first (so a refused request costs nothing else), then rate limiting,
//! response headers and compression.

use super::escape;
use crate::sema::model::{BlockAction, BlockRule, Middleware, Model};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

/// The blocking routes and pass handlers of each middleware list already
/// seen: routes mostly share one list, and building its JSON once and
/// copying it is cheaper than building it per route.
#[derive(Default)]
pub struct Chains {
    built: IndexMap<Vec<String>, (Vec<Value>, Vec<Value>)>,
    /// Hand out a placeholder instead of the blocking routes (see
    /// `placeholder`), for a writer that splices in their text.
    placeholders: bool,
}

/// Stands for the blocking routes of the `k`th middleware list; a string
/// no route can contain (the checker refuses NUL in strings).
pub fn placeholder(k: usize) -> String {
    format!("\u{0}eosc blocking {k}\u{0}")
}

impl Chains {
    pub fn with_placeholders() -> Self {
        Chains {
            built: IndexMap::new(),
            placeholders: true,
        }
    }

    /// (blocking routes, pass handlers) of the middleware list `names`;
    /// with placeholders, one placeholder string stands for a non-empty
    /// list of blocking routes.
    pub fn get(&mut self, model: &Model, names: &[String]) -> (Vec<Value>, Vec<Value>) {
        let k = match self.built.get_index_of(names) {
            Some(k) => k,
            None => {
                let chain = chain(model, names);
                let pass = pass_handlers(&chain);
                let mut blocking = blocking_routes(&chain);
                if chain.iter().any(|m| m.refusal_headers) {
                    refuse_after(&mut blocking, &pass);
                }
                let built = (blocking, pass);
                self.built.insert_full(names.to_vec(), built).0
            }
        };
        let (blocking, pass) = &self.built[k];
        if self.placeholders && !blocking.is_empty() {
            (vec![Value::String(placeholder(k))], pass.clone())
        } else {
            (blocking.clone(), pass.clone())
        }
    }

    /// The blocking routes a placeholder stands for.
    pub fn blocking(&self, k: usize) -> &[Value] {
        self.built.get_index(k).map_or(&[], |(_, (b, _))| b)
    }
}

/// The middlewares a route names, in order, skipping names the model does
/// not know (it always does; an emitter must not panic).
pub fn chain<'m>(model: &'m Model, names: &[String]) -> Vec<&'m Middleware> {
    names
        .iter()
        .filter_map(|n| model.middlewares.get(n))
        .collect()
}

/// `refusal_headers`: the response headers and compression run before each
/// refusal, as in a Caddyfile (directive order: `header`, `encode`, then
/// `respond`), so a refused answer carries the same headers. Rate limiting
/// still comes after the refusals.
fn refuse_after(blocking: &mut [Value], pass: &[Value]) {
    let before: Vec<Value> = pass
        .iter()
        .filter(|h| h["handler"] != "rate_limit")
        .cloned()
        .collect();
    for route in blocking {
        if let Some(handle) = route.get_mut("handle").and_then(Value::as_array_mut) {
            let action = std::mem::take(handle);
            handle.extend(before.iter().cloned());
            handle.extend(action);
        }
    }
}

/// One subroute entry per blocking rule of every middleware, in order.
pub fn blocking_routes(chain: &[&Middleware]) -> Vec<Value> {
    chain
        .iter()
        .flat_map(|m| m.rules.iter())
        .filter_map(block_route)
        .collect()
}

/// A rule matches when ANY of its conditions does. Caddy ANDs the matchers
/// inside one matcher set and ORs the sets of a `match` list, so each
/// condition gets a set of its own; with `match = "all"` the sets are
/// merged into one (a Caddy named matcher).
fn block_route(rule: &BlockRule) -> Option<Value> {
    let mut route = any_route(rule)?;
    if rule.match_all {
        if let Some(sets) = route.get_mut("match").and_then(Value::as_array_mut) {
            let mut one = Map::new();
            for set in sets.drain(..) {
                for (k, v) in set.as_object().into_iter().flatten() {
                    merge_matcher(&mut one, k, v);
                }
            }
            sets.push(Value::Object(one));
        }
    }
    Some(route)
}

/// Adds matcher `k: v` to one set: header maps and header_regexp maps are
/// merged field by field; a regexp on a field that already has one cannot
/// be (the checker's conditions give at most one per field).
fn merge_matcher(set: &mut Map<String, Value>, k: &str, v: &Value) {
    match (set.get_mut(k), v) {
        (Some(Value::Object(have)), Value::Object(add)) if k == "header" || k == "query" => {
            for (f, vals) in add {
                have.insert(f.clone(), vals.clone());
            }
        }
        (Some(Value::Object(have)), Value::Object(add)) if k == "header_regexp" => {
            for (f, re) in add {
                have.entry(f.clone()).or_insert_with(|| re.clone());
            }
        }
        _ => {
            set.insert(k.to_string(), v.clone());
        }
    }
}

fn any_route(rule: &BlockRule) -> Option<Value> {
    let mut sets: Vec<Value> = Vec::new();
    for h in &rule.headers {
        sets.push(json!({"header": {h.as_str(): ["*"]}}));
    }
    if !rule.paths.is_empty() {
        let paths: Vec<String> = rule.paths.iter().map(|p| escape::literal(p)).collect();
        sets.push(json!({"path": paths}));
    }
    if let Some(re) = &rule.path_regexp {
        sets.push(json!({"path_regexp": {"pattern": re}}));
    }
    for q in &rule.query {
        sets.push(json!({"query": {escape::literal(q): ["*"]}}));
    }
    // The header matcher reads `*` at either end of a value as a wildcard;
    // an agent string with one is matched exactly by an anchored regexp.
    let (plain, starred): (Vec<&String>, Vec<&String>) =
        rule.user_agents.iter().partition(|ua| !ua.contains('*'));
    if !plain.is_empty() {
        let values: Vec<String> = plain.iter().map(|ua| escape::literal(ua)).collect();
        sets.push(json!({"header": {"User-Agent": values}}));
    }
    for ua in starred {
        sets.push(
            json!({"header_regexp": {"User-Agent": {"pattern": format!("^{}$", regex_quote(ua))}}}),
        );
    }
    if let Some(re) = &rule.user_agent_regexp {
        sets.push(json!({"header_regexp": {"User-Agent": {"pattern": re}}}));
    }
    // A rule without conditions would match every request; the checker
    // rejects it, and the emitter never turns it into a block-all.
    if sets.is_empty() {
        return None;
    }
    let action = match rule.action {
        BlockAction::Respond(code) => json!({"handler": "static_response", "status_code": code}),
        BlockAction::Abort => json!({"handler": "static_response", "abort": true}),
    };
    Some(super::object([
        ("match", Value::Array(sets)),
        ("handle", Value::Array(vec![action])),
    ]))
}

/// RE2 quoting of a literal string.
fn regex_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The handlers every request that passed the blocking rules goes through:
/// rate limit, response headers, compression. Later middlewares override a
/// header set by earlier ones; encodings keep their first-seen order.
pub fn pass_handlers(chain: &[&Middleware]) -> Vec<Value> {
    let mut out = Vec::new();
    for m in chain {
        if let Some(rl) = &m.rate_limit {
            // mholt/caddy-ratelimit; only present when the project declares
            // the plugin (the checker's rule).
            out.push(json!({
                "handler": "rate_limit",
                "rate_limits": {
                    m.name.as_str(): {
                        "key": super::upstreams::template(&rl.key),
                        "window": escape::duration(rl.window),
                        "max_events": rl.events,
                    }
                }
            }));
        }
    }
    let mut headers: IndexMap<&str, &str> = IndexMap::new();
    for m in chain {
        for (k, v) in &m.headers {
            headers.insert(k, v);
        }
    }
    if !headers.is_empty() {
        let set: Map<String, Value> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), json!([escape::literal(v)])))
            .collect();
        out.push(json!({"handler": "headers", "response": {"set": set}}));
    }
    let mut encodings: Vec<&str> = Vec::new();
    for m in chain {
        for e in &m.encode {
            if !encodings.contains(&e.as_str()) {
                encodings.push(e);
            }
        }
    }
    if !encodings.is_empty() {
        let enc: Map<String, Value> = encodings
            .iter()
            .map(|e| (e.to_string(), json!({})))
            .collect();
        out.push(json!({"handler": "encode", "encodings": enc, "prefer": encodings}));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_regex_metacharacters() {
        assert_eq!(regex_quote("a*b.c"), "a\\*b\\.c");
    }
}
