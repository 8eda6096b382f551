//! The change summary as text (a terminal), Markdown (a pull-request
//! comment, under GitHub's 65,536-character limit: it stops at a budget and
//! says how many changes it left out, destructive ones always first) and
//! JSON.

use super::{Change, EnvChanges, Op};
use serde::Serialize;

/// The Markdown budget: GitHub refuses a comment longer than 65,536
/// characters; this leaves room for whatever a CI step wraps around it.
pub const MARKDOWN_LIMIT: usize = 65_000;

/// One printed line and how many changes it shows.
struct Item {
    text: String,
    changes: usize,
}

/// The lines of one environment, after its heading.
fn items(env: &EnvChanges, md: bool) -> Vec<Item> {
    let mut out = Vec::new();
    let code = |s: &str| {
        if md {
            format!("`{}`", s.replace('`', "'"))
        } else {
            s.to_string()
        }
    };
    let words = |s: &str| if md { escape(s) } else { s.to_string() };
    // `- + x` would open a nested list in Markdown.
    let sign = |op: Op| {
        if md {
            format!("\\{}", op.sign())
        } else {
            op.sign().to_string()
        }
    };
    let (add, change, destroy) = env.terraform_counts();
    // Said whenever anything changes: "0 to add, 0 to change" is news too.
    let has_tf = env.artifacts && !env.changes.is_empty();
    let mut tf_done = false;
    let tf_line = |out: &mut Vec<Item>| {
        out.push(Item {
            text: format!(
                "{}: {add} to add, {change} to change, {destroy} to destroy",
                if md { "**terraform**" } else { "terraform" }
            ),
            changes: 0,
        })
    };
    for c in &env.changes {
        if !c.destructive
            && !tf_done
            && has_tf
            && matches!(c.kind, "terraform" | "ignored" | "nomad")
        {
            tf_line(&mut out);
            tf_done = true;
        }
        let details = words(&c.details.join(", "));
        let mut text = match (c.kind, c.op) {
            ("terraform", op) => {
                let what = if details.is_empty() {
                    String::new()
                } else {
                    format!(" ({details})")
                };
                let line = format!("{} {}{what}", sign(op), code(&c.name));
                if c.destructive {
                    format!("terraform: {line}")
                } else if md {
                    format!("  - {line}")
                } else {
                    format!("  {line}")
                }
            }
            ("ignored", _) => format!(
                "terraform: {} {details} differs, not applied ({})",
                code(&c.name),
                words("lifecycle ignore_changes: only new instances get it")
            ),
            ("nomad", Op::Changed) => format!("nomad: {} job changes ({details})", code(&c.name)),
            ("nomad", op) => format!("nomad: {} job {}", sign(op), code(&c.name)),
            ("dns", op) => {
                let what = match op {
                    Op::Changed => format!(": {details}"),
                    _ if details.is_empty() => String::new(),
                    _ => format!(" ({details})"),
                };
                format!("dns: {} {}{what}", sign(op), code(&c.name))
            }
            (kind, op) => {
                let what = if details.is_empty() {
                    String::new()
                } else {
                    format!(": {details}")
                };
                let prefix = if op == Op::Changed {
                    String::new()
                } else {
                    format!("{} ", sign(op))
                };
                format!("{prefix}{kind} {}{what}", code(&c.name))
            }
        };
        if c.destructive {
            text = if md {
                format!(":warning: **destructive**: {text}")
            } else {
                format!("! {text} (destructive)")
            };
        }
        out.push(Item { text, changes: 1 });
    }
    if has_tf && !tf_done {
        tf_line(&mut out);
    }
    out
}

fn heading(env: &EnvChanges) -> String {
    let n = env.changes.len();
    let d = env.changes.iter().filter(|c| c.destructive).count();
    match (n, d) {
        (0, _) => "no changes".to_string(),
        (n, 0) => format!("{n} change{}", plural(n)),
        (n, d) => format!("{n} change{}, {d} destructive", plural(n)),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Plain text, an environment after another.
pub fn text(envs: &[EnvChanges]) -> String {
    let mut out = String::new();
    for e in envs {
        out.push_str(&format!("{}: {}\n", e.env, heading(e)));
        for i in items(e, false) {
            out.push_str(&format!("  {}\n", i.text));
        }
    }
    if envs.is_empty() {
        out.push_str("no environments\n");
    }
    out
}

/// Markdown for a pull-request comment, at most `limit` bytes (so at most
/// that many characters): when the changes do not fit, the last line says
/// how many were left out in which environment.
pub fn markdown(envs: &[EnvChanges], title: &str, limit: usize) -> String {
    let total: usize = envs.iter().map(|e| e.changes.len()).sum();
    let destructive: usize = envs
        .iter()
        .flat_map(|e| &e.changes)
        .filter(|c| c.destructive)
        .count();
    let mut out = format!("## {}\n\n", escape(title));
    out.push_str(&match (total, destructive) {
        (0, _) => "No changes.\n".to_string(),
        (n, 0) => format!("**{n} change{}**.\n", plural(n)),
        (n, d) => format!(
            "**{n} change{}**, :warning: **{d} destructive** (listed first).\n",
            plural(n)
        ),
    });
    // Room for the note on what was left out.
    let budget = limit.saturating_sub(400);
    let mut left: Vec<(String, usize)> = Vec::new();
    let mut full = false;
    for e in envs {
        let blank = if e.changes.is_empty() { "" } else { "\n" };
        let head = format!("\n### `{}`: {}\n{blank}", e.env, heading(e));
        if full || out.len() + head.len() > budget {
            full = true;
            if !e.changes.is_empty() {
                left.push((e.env.clone(), e.changes.len()));
            }
            continue;
        }
        out.push_str(&head);
        let mut shown = 0;
        for i in items(e, true) {
            let line = format!("- {}\n", i.text.trim_start_matches("  - "));
            let line = if i.text.starts_with("  - ") {
                format!("  {line}")
            } else {
                line
            };
            if out.len() + line.len() > budget {
                full = true;
                break;
            }
            out.push_str(&line);
            shown += i.changes;
        }
        if shown < e.changes.len() {
            left.push((e.env.clone(), e.changes.len() - shown));
        }
    }
    if !left.is_empty() {
        let n: usize = left.iter().map(|l| l.1).sum();
        let per: Vec<String> = left
            .iter()
            .map(|(e, k)| format!("`{e}` {}", thousands(*k)))
            .collect();
        out.push_str(&format!(
            "\n**Left out: {} of {} changes** ({}), to stay under the {}-character limit of a comment. Run `eosc plan` for all of them (`--format json` for every field).\n",
            thousands(n),
            thousands(total),
            per.join(", "),
            thousands(limit),
        ));
    }
    out
}

/// 65000 → `65,000`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Markdown's active characters backslash-escaped in running text.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Serialize)]
struct JsonEnv<'a> {
    env: &'a str,
    terraform: JsonTf,
    changes: &'a [Change],
}

#[derive(Serialize)]
struct JsonTf {
    add: usize,
    change: usize,
    destroy: usize,
}

#[derive(Serialize)]
struct JsonAll<'a> {
    changed: bool,
    environments: Vec<JsonEnv<'a>>,
}

/// JSON: `{"changed", "environments": [{"env", "terraform": {add, change,
/// destroy}, "changes": [{kind, name, op, destructive, details, fields}]}]}`.
pub fn json(envs: &[EnvChanges]) -> String {
    let all = JsonAll {
        changed: super::any(envs),
        environments: envs
            .iter()
            .map(|e| {
                let (add, change, destroy) = e.terraform_counts();
                JsonEnv {
                    env: &e.env,
                    terraform: JsonTf {
                        add,
                        change,
                        destroy,
                    },
                    changes: &e.changes,
                }
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&all).unwrap_or_default();
    s.push('\n');
    s
}

/// `eosc drift` as text: per route (by `@id` or host and path) what is
/// only live, only compiled, or changed, each field as `path: compiled →
/// live`.
pub fn drift_text(changes: &[Change], admin: &str, compiled: &str) -> String {
    let mut out = if changes.is_empty() {
        format!("no drift: the Caddy at {admin} runs the compiled config ({compiled})\n")
    } else {
        format!(
            "drift: the Caddy at {admin} differs from the compiled config ({compiled}) in {} place{}\n",
            changes.len(),
            plural(changes.len())
        )
    };
    for c in changes {
        let what = match (c.kind, c.op) {
            ("caddy", _) => "config outside the routes".to_string(),
            (_, Op::Added) => format!("route {}: only live (added)", c.name),
            (_, Op::Removed) => format!(
                "route {}: only compiled (removed from the live config)",
                c.name
            ),
            (_, Op::Changed) => format!("route {}: changed", c.name),
        };
        out.push_str(&format!("  {} {what}\n", c.op.sign()));
        for d in &c.details {
            out.push_str(&format!("      {d}\n"));
        }
    }
    out
}

#[derive(Serialize)]
struct DriftField<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    compiled: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    live: Option<&'a serde_json::Value>,
}

#[derive(Serialize)]
struct DriftChange<'a> {
    kind: &'a str,
    name: &'a str,
    op: &'a str,
    fields: Vec<DriftField<'a>>,
}

/// `eosc drift --format json`: `{"admin", "compiled", "drift", "changes":
/// [{"kind": "route"|"caddy", "name", "op": "added"|"removed"|"changed",
/// "fields": [{"path", "compiled", "live"}]}]}` (`added`: only live).
pub fn drift_json(changes: &[Change], admin: &str, compiled: &str) -> String {
    let list: Vec<DriftChange> = changes
        .iter()
        .map(|c| DriftChange {
            kind: c.kind,
            name: &c.name,
            op: match c.op {
                Op::Added => "added",
                Op::Removed => "removed",
                Op::Changed => "changed",
            },
            fields: c
                .fields
                .iter()
                .map(|f| DriftField {
                    path: &f.path,
                    compiled: f.before.as_ref(),
                    live: f.after.as_ref(),
                })
                .collect(),
        })
        .collect();
    let v = serde_json::json!({
        "admin": admin,
        "compiled": compiled,
        "drift": !changes.is_empty(),
        "changes": list,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
