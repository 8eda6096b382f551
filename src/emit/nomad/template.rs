//! The env-file template that reads a task's secrets from Vault at run
//! time. The text is Go template (consul-template) source; it only ever
//! holds Vault paths and field names, never a value.

use super::hcl_out::{self, string};
use crate::sema::model::{go_duration, Model, Task, Template};
use hcl::{Block, Expression};
use std::fmt::Write;

/// A user's `template` block. The text reaches Nomad byte for byte: a
/// heredoc when it is plain lines (ends with a newline, no carriage return
/// or other control character but tab), with HCL's `${`/`%{` doubled;
/// otherwise a quoted string with every escape (tests/it/nomad_templates.rs
/// decodes both with HashiCorp's parser). Attributes at Nomad's defaults
/// (`DefaultTemplate`: restart, 5s splay, 0644) are still written, so the
/// job says what it does.
pub fn user_template(t: &Template) -> Block {
    let mut b = Block::builder("template")
        .add_attribute(("destination", string(&t.destination)))
        .add_attribute(("data", text(&t.data)))
        .add_attribute(("change_mode", string(&t.change_mode)));
    if let Some(sig) = &t.change_signal {
        b = b.add_attribute(("change_signal", string(sig)));
    }
    b = b
        .add_attribute(("splay", string(&go_duration(t.splay))))
        .add_attribute(("perms", string(&t.perms)));
    if t.env {
        b = b.add_attribute(("env", true));
    }
    if t.left_delimiter != "{{" {
        b = b.add_attribute(("left_delimiter", string(&t.left_delimiter)));
    }
    if t.right_delimiter != "}}" {
        b = b.add_attribute(("right_delimiter", string(&t.right_delimiter)));
    }
    b.build()
}

/// `s` as an HCL expression whose value is exactly `s`.
pub fn text(s: &str) -> Expression {
    let plain_lines = s.ends_with('\n')
        && !s.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
        });
    if plain_lines {
        hcl_out::heredoc("EOT", &hcl_out::heredoc_body(s))
    } else {
        string(s)
    }
}

/// `NAME={{ with secret "path" }}{{ .Data.data.key }}{{ end }}` per secret,
/// sorted by variable name; None when the task has no secrets.
///
/// The path is given as the model has it (the KV v2 logical path);
/// consul-template detects a KV v2 mount and reads its `data/` path.
pub fn secrets_template(model: &Model, task: &Task) -> Option<String> {
    if task.secrets.is_empty() {
        return None;
    }
    let mut vars: Vec<(&String, &String)> = task.secrets.iter().collect();
    vars.sort();
    let mut out = String::new();
    for (var, secret_name) in vars {
        let Some(secret) = model.secrets.get(secret_name) else {
            continue;
        };
        let field = if is_go_identifier(&secret.key) {
            format!(".Data.data.{}", secret.key)
        } else {
            format!("index .Data.data {}", go_string(&secret.key))
        };
        let _ = writeln!(
            out,
            "{}={{{{ with secret {} }}}}{{{{ {field} }}}}{{{{ end }}}}",
            go_template_text(var),
            go_string(&secret.vault_path),
        );
    }
    Some(out)
}

/// Literal text inside a Go template: `{{` would open an action, so it is
/// written as an action printing `{{`.
pub fn go_template_text(s: &str) -> String {
    s.replace("{{", "{{\"{{\"}}")
}

/// A Go interpreted string literal (`"..."`) holding exactly `s`.
fn go_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_go_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_escapes() {
        assert_eq!(go_template_text("a{{b}}"), "a{{\"{{\"}}b}}");
        assert_eq!(go_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert!(is_go_identifier("value"));
        assert!(!is_go_identifier("my-key"));
    }
}
