//! The imported spec as data (blocks, attributes, values, comments) and its
//! text. Every string is escaped for a hecate quoted string here, once, so
//! no importer can write `${` or a quote into the spec by accident; the
//! result is run through the project's formatter (`syntax::format_source`).

use crate::source::FileId;

/// A value as it lands in the spec.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// A quoted string, escaped when written (`${` becomes `$${`).
    Str(String),
    /// A quoted string whose `${…}` parts are interpolations the importer
    /// built from references (`"${var.tag}"`); only `Tmpl::text` parts are
    /// escaped.
    Tmpl(Vec<Tmpl>),
    Int(i64),
    Bool(bool),
    /// A reference (`app.postgres`, `secret.pg_pass`) or a unit literal
    /// (`30s`, `512MiB`), written as is; importers build these only from
    /// validated names and numbers.
    Raw(String),
    List(Vec<Val>),
    Obj(Vec<(String, Val)>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tmpl {
    Text(String),
    /// `var.x` inside `${ }`.
    Ref(String),
}

/// A block with comments: `kind "label" { … }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    /// Lines written above the block (without `# `).
    pub comments: Vec<String>,
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub name: String,
    pub value: Val,
    /// A comment at the end of the line.
    pub comment: Option<String>,
}

impl Block {
    pub fn new(kind: &str, label: Option<&str>) -> Block {
        Block {
            kind: kind.into(),
            labels: label.into_iter().map(String::from).collect(),
            ..Block::default()
        }
    }
    pub fn attr(&mut self, name: &str, value: Val) -> &mut Self {
        self.attrs.push(Attr {
            name: name.into(),
            value,
            comment: None,
        });
        self
    }
    pub fn attr_c(&mut self, name: &str, value: Val, comment: impl Into<String>) -> &mut Self {
        self.attrs.push(Attr {
            name: name.into(),
            value,
            comment: Some(comment.into()),
        });
        self
    }
    pub fn comment(&mut self, line: impl Into<String>) -> &mut Self {
        self.comments.push(line.into());
        self
    }
    pub fn get(&self, name: &str) -> Option<&Val> {
        self.attrs.iter().find(|a| a.name == name).map(|a| &a.value)
    }
    pub fn label(&self) -> &str {
        self.labels.first().map_or("", String::as_str)
    }
}

/// `s` as the inside of a hecate quoted string.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '$' if chars.peek() == Some(&'{') => out.push_str("$$"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            // Outside the BMP: two \u escapes are surrogates (rejected), so
            // the character itself is written.
            c => out.push(c),
        }
    }
    out
}

/// A comment line made safe: no line breaks, no `*/`.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim_end()
        .to_string()
}

fn value(v: &Val, out: &mut String, indent: usize) {
    match v {
        Val::Str(s) => {
            out.push('"');
            out.push_str(&escape(s));
            out.push('"');
        }
        Val::Tmpl(parts) => {
            out.push('"');
            for p in parts {
                match p {
                    Tmpl::Text(t) => out.push_str(&escape(t)),
                    Tmpl::Ref(r) => {
                        out.push_str("${");
                        out.push_str(r);
                        out.push('}');
                    }
                }
            }
            out.push('"');
        }
        Val::Int(n) => out.push_str(&n.to_string()),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Raw(r) => out.push_str(r),
        Val::List(items) => {
            let flat = items.len() <= 4
                && items
                    .iter()
                    .all(|i| !matches!(i, Val::List(_) | Val::Obj(_)));
            let mut one = String::new();
            if flat {
                one.push('[');
                for (n, i) in items.iter().enumerate() {
                    if n > 0 {
                        one.push_str(", ");
                    }
                    value(i, &mut one, indent);
                }
                one.push(']');
            }
            if flat && one.len() <= 80 {
                out.push_str(&one);
            } else {
                out.push_str("[\n");
                for i in items {
                    out.push_str(&"  ".repeat(indent + 1));
                    value(i, out, indent + 1);
                    out.push_str(",\n");
                }
                out.push_str(&"  ".repeat(indent));
                out.push(']');
            }
        }
        Val::Obj(entries) => {
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (k, v) in entries {
                out.push_str(&"  ".repeat(indent + 1));
                out.push_str(&key(k));
                out.push_str(" = ");
                value(v, out, indent + 1);
                out.push('\n');
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
    }
}

/// An object key: bare when it is an identifier, quoted otherwise.
fn key(k: &str) -> String {
    let ident = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(k, "true" | "false" | "null");
    if ident {
        k.to_string()
    } else {
        format!("\"{}\"", escape(k))
    }
}

fn block(b: &Block, out: &mut String, indent: usize) {
    let pad = "  ".repeat(indent);
    for c in &b.comments {
        let c = comment_text(c);
        if c.is_empty() {
            out.push_str(&format!("{pad}#\n"));
        } else {
            out.push_str(&format!("{pad}# {c}\n"));
        }
    }
    if b.kind == "import" {
        // `import "std/security"`: a statement, not a block.
        out.push_str(&format!("{pad}import \"{}\"\n", escape(b.label())));
        return;
    }
    out.push_str(&pad);
    out.push_str(&b.kind);
    for l in &b.labels {
        out.push_str(&format!(" \"{}\"", escape(l)));
    }
    if b.attrs.is_empty() && b.blocks.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    for a in &b.attrs {
        out.push_str(&"  ".repeat(indent + 1));
        out.push_str(&a.name);
        out.push_str(" = ");
        value(&a.value, out, indent + 1);
        if let Some(c) = &a.comment {
            out.push_str(&format!(" # {}", comment_text(c)));
        }
        out.push('\n');
    }
    for (n, inner) in b.blocks.iter().enumerate() {
        if n > 0 || !b.attrs.is_empty() {
            out.push('\n');
        }
        block(inner, out, indent + 1);
    }
    out.push_str(&pad);
    out.push_str("}\n");
}

/// The spec text: a header, then each block with a blank line between; the
/// result is formatted. If the formatter refused the text (a bug in this
/// writer) the unformatted text is returned with the formatter's
/// complaint, so nothing is lost.
pub fn render(header: &[String], blocks: &[Block]) -> Result<String, String> {
    let mut out = String::new();
    for h in header {
        let h = comment_text(h);
        if h.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str(&format!("# {h}\n"));
        }
    }
    for b in blocks {
        out.push('\n');
        block(b, &mut out, 0);
    }
    match crate::syntax::format_source(FileId(0), &out) {
        Ok(f) => Ok(f),
        Err(d) => Err(format!(
            "internal: the imported spec does not parse ({}): {}",
            d.first().map(|d| d.message.as_str()).unwrap_or(""),
            out
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_interpolation_quotes_and_controls() {
        assert_eq!(escape("a${b}\"\\\n\u{1}"), "a$${b}\\\"\\\\\\n\\u0001");
        assert_eq!(escape("$x {y}"), "$x {y}");
    }

    #[test]
    fn renders_and_formats() {
        let mut b = Block::new("app", Some("x"));
        b.attr("image", Val::Str("a:1".into())).attr(
            "env",
            Val::Obj(vec![("A-B.c".into(), Val::Str("v".into()))]),
        );
        let text = render(&["head".into()], &[b]).unwrap();
        assert!(text.contains("\"A-B.c\" = \"v\""), "{text}");
        assert!(text.starts_with("# head\n"));
    }
}
