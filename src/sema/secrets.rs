//! Literal secrets (E0501–E0504). A secret value must never be written into
//! the spec, neither directly nor through a variable: everything the spec
//! holds ends up in some artifact (variables in the Salt pillar, env and
//! args in Nomad jobs). So the rules run on the evaluated values, what the
//! emitters would write, and point at the expression that produced them.

use super::eval::{Cx, Val, V};
use super::model::{App, HealthKind};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Attribute, Block, Body, ExprKind};

// One set of rules: what a secret name, a credential-looking value and a
// PEM block are is decided in `secret_rules`, for these checks on
// evaluated values and for the scan of every literal alike.
use super::secret_rules::{
    flag_takes_secret, looks_like_token, name_is_hash, PEM_MARKER as KEY_MARKER,
};

/// env, args and command of every task, and script health checks.
pub fn check_app(cx: &mut Cx<'_>, app: &App, block: &Block) {
    let has_tasks = block.body.blocks_of("task").next().is_some();
    let fallback = block.head_span();
    for task in &app.tasks {
        let body = if has_tasks {
            match block
                .body
                .blocks_of("task")
                .find(|t| t.label().is_some_and(|l| l.name == task.name))
            {
                Some(t) => &t.body,
                None => continue,
            }
        } else {
            &block.body
        };
        let secret_names: Vec<&str> = task.secrets.keys().map(String::as_str).collect();
        for (key, value) in &task.env {
            if let Some(d) = env_finding(key, value, env_span(body, key, fallback)) {
                cx.err(d);
            }
        }
        if let Some(c) = &task.command {
            if c.contains(KEY_MARKER) {
                cx.err(private_key(attr_span(body.attr("command"), fallback)));
            }
        }
        check_args(cx, &task.args, body.attr("args"), &secret_names, fallback);
    }
    // Script checks run inside the task: the secrets of any task count.
    let secret_names: Vec<&str> = app
        .tasks
        .iter()
        .flat_map(|t| t.secrets.keys().map(String::as_str))
        .collect();
    let mut scripts = block
        .body
        .blocks_of("health")
        .filter(|h| h.label().is_some_and(|l| l.name == "script"));
    for h in &app.health {
        if let HealthKind::Script { command, args } = &h.kind {
            let hb = scripts.next();
            let fallback = hb.map(Block::head_span).unwrap_or(fallback);
            let body = hb.map(|b| &b.body);
            if command.contains(KEY_MARKER) {
                cx.err(private_key(attr_span(
                    body.and_then(|b| b.attr("command")),
                    fallback,
                )));
            }
            let attr = body.and_then(|b| b.attr("args"));
            check_args(cx, args, attr, &secret_names, fallback);
        }
    }
}

/// Variables: their values go to the Salt pillar whether or not anything
/// uses them.
pub fn check_vars(cx: &mut Cx<'_>) {
    let vars: Vec<(String, Val)> = cx
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (name, val) in vars {
        match &val.v {
            V::Str(s)
                if super::secret_rules::name_is_secret(&name)
                    && !s.is_empty()
                    && !s.contains(KEY_MARKER) =>
            {
                cx.err(
                    Diagnostic::error(
                        Code::E0501,
                        val.span,
                        format!("variable `{name}` looks like a secret but has a literal value"),
                    )
                    .label("literal secret")
                    .help(format!(
                        "every variable is written into the Salt pillar: declare `secret \"{name}\" {{ vault = \"secret/…\" }}` and use it through `secrets = {{ … = secret.{name} }}`"
                    )),
                );
            }
            _ => value_findings(cx, &name, &val),
        }
    }
}

fn value_findings(cx: &mut Cx<'_>, name: &str, val: &Val) {
    match &val.v {
        V::Str(s) => {
            if let Some(d) = env_finding(name, s, val.span) {
                cx.err(d);
            }
        }
        V::List(items) => {
            for item in items {
                if let V::Str(s) = &item.v {
                    if s.contains(KEY_MARKER) {
                        cx.err(private_key(item.span));
                    } else if looks_like_token(s, name_is_hash(name)) {
                        cx.err(token(&format!("an item of `{name}`"), item.span));
                    }
                }
            }
        }
        V::Obj(entries) => {
            for (k, v) in entries {
                value_findings(cx, &k.name, v);
            }
        }
        _ => {}
    }
}

/// A named value (env entry, variable, object key) holding a secret.
fn env_finding(key: &str, value: &str, span: Span) -> Option<Diagnostic> {
    if value.contains(KEY_MARKER) {
        Some(private_key(span))
    } else if super::secret_rules::name_is_secret(key) && !value.is_empty() {
        Some(
            Diagnostic::error(
                Code::E0501,
                span,
                format!("`{key}` looks like a secret but has a literal value"),
            )
            .label("literal secret")
            .help(format!(
                "declare `secret \"{}\" {{ vault = \"secret/…\" }}` and move it to `secrets = {{ {} = secret.{} }}`",
                key.to_ascii_lowercase(),
                key,
                key.to_ascii_lowercase()
            )),
        )
    } else if looks_like_token(value, name_is_hash(key)) {
        Some(token(&format!("the value of `{key}`"), span))
    } else {
        None
    }
}

/// `what`: "the value of `KEY`", "an argument", …
fn token(what: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0504, span, format!("{what} looks like a credential"))
    .label("high-entropy literal")
    .help("store it in Vault, declare a `secret` and reference it from `secrets`; if it is not secret, split or rename it")
}

fn private_key(span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0503, span, "a private key is written into the spec")
        .label("`-----BEGIN …` block")
        .help("keys belong in Vault: declare a `secret` and reference it")
}

/// `--flag=value` and `--flag value` with a secret-looking flag, keys and
/// credential-looking words anywhere in the list.
fn check_args(
    cx: &mut Cx<'_>,
    args: &[String],
    attr: Option<&Attribute>,
    secret_names: &[&str],
    fallback: Span,
) {
    let span = |i: usize| match attr.map(|a| &a.value.kind) {
        Some(ExprKind::List(items)) if items.len() == args.len() => items[i].span,
        _ => attr_span(attr, fallback),
    };
    // `$NAME` is expanded inside the container from an env var that the
    // Vault template fills: not a literal.
    let names_secret = |v: &str| {
        v.strip_prefix('$')
            .map(|v| v.trim_start_matches('{').trim_end_matches('}'))
            .is_some_and(|v| secret_names.contains(&v))
    };
    let secret_flag = |f: &str| f.starts_with('-') && flag_takes_secret(f);
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a.contains(KEY_MARKER) {
            cx.err(private_key(span(i - 1)));
            continue;
        }
        // The value of a secret flag: after `=`, or the next argument.
        let (flag, value, at) = match a.split_once('=') {
            Some((flag, value)) => (flag, Some(value), i - 1),
            None if secret_flag(a) => match args.get(i) {
                Some(next) if !next.starts_with('-') => {
                    i += 1;
                    (a.as_str(), Some(next.as_str()), i - 1)
                }
                _ => (a.as_str(), None, i - 1),
            },
            None => (a.as_str(), None, i - 1),
        };
        let value = value.unwrap_or_default();
        if secret_flag(flag) && !value.is_empty() && !names_secret(value) {
            cx.err(
                Diagnostic::error(
                    Code::E0502,
                    span(at),
                    format!("`{flag}` passes a secret on the command line"),
                )
                .label("literal secret in args")
                .help(format!(
                    "declare a `secret`, add it to `secrets = {{ NAME = secret.x }}` and write `{flag}=$NAME`: the value then comes from Vault"
                )),
            );
        } else if looks_like_token(value, name_is_hash(flag)) {
            cx.err(token(&format!("the value of `{flag}`"), span(at)));
        } else if looks_like_token(a, false) {
            cx.err(token("an argument", span(at)));
        }
    }
}

fn attr_span(attr: Option<&Attribute>, fallback: Span) -> Span {
    attr.map(|a| a.value.span).unwrap_or(fallback)
}

/// The span of `key`'s value in `env = { … }`, else of the whole `env`.
fn env_span(body: &Body, key: &str, fallback: Span) -> Span {
    let Some(a) = body.attr("env") else {
        return fallback;
    };
    if let ExprKind::Object(entries) = &a.value.kind {
        if let Some((_, e)) = entries.iter().find(|(k, _)| k.name == key) {
            return e.span;
        }
    }
    a.value.span
}
