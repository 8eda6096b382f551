//! Values and blocks an edit writes, rendered as hecate text. Every string
//! is escaped here and every reference is checked to be a dotted path of
//! identifiers, so nothing from the command line can write syntax into the
//! spec (a quote, a brace, `${`).

use crate::import::writer::escape;

/// A value to write into the spec.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A quoted string (escaped when rendered).
    Str(String),
    /// A reference such as `app.helen` or `server.edge.ipv4`.
    Ref(String),
    Int(i64),
    Bool(bool),
    List(Vec<Value>),
    /// `{ key = value, … }`: keys written bare when they are identifiers.
    Object(Vec<(String, Value)>),
}

/// Whether `s` is an identifier of the grammar (`[A-Za-z_][A-Za-z0-9_-]*`).
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Whether `s` is a reference the grammar reads as one: identifiers joined
/// by dots, at least two.
pub fn is_reference(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| is_ident(p))
}

impl Value {
    /// The value as hecate text; `Err` names a reference that is not one.
    pub fn render(&self) -> Result<String, String> {
        Ok(match self {
            Value::Str(s) => format!("\"{}\"", escape(s)),
            Value::Ref(r) if is_reference(r) => r.clone(),
            Value::Ref(r) => {
                return Err(format!(
                    "`{}` is not a reference (a dotted path such as `app.helen`)",
                    r.escape_debug()
                ))
            }
            Value::Int(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::List(items) => {
                let parts: Result<Vec<String>, String> = items.iter().map(Value::render).collect();
                format!("[{}]", parts?.join(", "))
            }
            Value::Object(entries) => {
                let mut parts = Vec::new();
                for (k, v) in entries {
                    let key = if is_ident(k) {
                        k.clone()
                    } else {
                        format!("\"{}\"", escape(k))
                    };
                    parts.push(format!("{key} = {}", v.render()?));
                }
                if parts.is_empty() {
                    "{}".to_string()
                } else {
                    format!("{{ {} }}", parts.join(", "))
                }
            }
        })
    }
}

/// A block to insert: `kind "label" { attrs… blocks… }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewBlock {
    pub kind: String,
    pub labels: Vec<String>,
    pub attrs: Vec<(String, Value)>,
    pub blocks: Vec<NewBlock>,
}

impl NewBlock {
    pub fn new(kind: &str, labels: &[&str]) -> Self {
        NewBlock {
            kind: kind.to_string(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            ..NewBlock::default()
        }
    }

    fn head(&self) -> String {
        let mut s = self.kind.clone();
        for l in &self.labels {
            s.push_str(&format!(" \"{}\"", escape(l)));
        }
        s
    }

    /// One line, `kind "label" { a = 1, b = 2 }`: how the examples write
    /// records, ports and other small nested blocks.
    pub fn render_inline(&self) -> Result<String, String> {
        let mut parts = Vec::new();
        for (k, v) in &self.attrs {
            parts.push(format!("{k} = {}", v.render()?));
        }
        for b in &self.blocks {
            parts.push(b.render_inline()?);
        }
        Ok(if parts.is_empty() {
            format!("{} {{}}", self.head())
        } else {
            format!("{} {{ {} }}", self.head(), parts.join(", "))
        })
    }

    /// Several lines at `indent` spaces: attributes one per line, then the
    /// nested blocks one per line after a blank line. Not yet aligned: the
    /// caller runs the formatter over the result.
    pub fn render(&self, indent: usize) -> Result<String, String> {
        let pad = " ".repeat(indent);
        let inner = " ".repeat(indent + 2);
        let mut s = format!("{pad}{} {{\n", self.head());
        for (k, v) in &self.attrs {
            s.push_str(&format!("{inner}{k} = {}\n", v.render()?));
        }
        if !self.attrs.is_empty() && !self.blocks.is_empty() {
            s.push('\n');
        }
        for b in &self.blocks {
            s.push_str(&format!("{inner}{}\n", b.render_inline()?));
        }
        s.push_str(&format!("{pad}}}\n"));
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_references_checked() {
        assert_eq!(
            Value::Str("a\"b${c}".into()).render().unwrap(),
            "\"a\\\"b$${c}\""
        );
        assert!(Value::Ref("app.x }\nbad".into()).render().is_err());
        assert!(Value::Ref("app".into()).render().is_err());
        assert_eq!(
            Value::Ref("app.helen".into()).render().unwrap(),
            "app.helen"
        );
    }

    #[test]
    fn blocks_render_in_both_layouts() {
        let mut b = NewBlock::new("record", &["www"]);
        b.attrs.push(("type".into(), Value::Str("A".into())));
        b.attrs.push(("ttl".into(), Value::Int(300)));
        assert_eq!(
            b.render_inline().unwrap(),
            "record \"www\" { type = \"A\", ttl = 300 }"
        );
        assert_eq!(
            b.render(2).unwrap(),
            "  record \"www\" {\n    type = \"A\"\n    ttl = 300\n  }\n"
        );
    }
}
