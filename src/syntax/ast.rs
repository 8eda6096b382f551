//! The syntax tree. Every node carries the span of the text it came from;
//! nothing here is resolved or checked yet.

use crate::source::{FileId, Span};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub file: FileId,
    pub imports: Vec<Import>,
    pub blocks: Vec<Block>,
    /// Attributes written outside any block: a resolve error, kept for its span.
    pub stray_attributes: Vec<Attribute>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: Ident,
    pub labels: Vec<Ident>,
    pub body: Body,
    pub span: Span,
}

impl Block {
    /// The span that names the block (`app "helen"`), for labels that
    /// should not underline a whole body.
    pub fn head_span(&self) -> Span {
        match self.labels.last() {
            Some(l) => self.kind.span.to(l.span),
            None => self.kind.span,
        }
    }
    pub fn label(&self) -> Option<&Ident> {
        self.labels.first()
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
    pub span: Span,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name.name == name)
    }
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind.name == kind)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Lit(String),
    Interp(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A quoted string or heredoc, as literal text and `${…}` parts.
    Str(Vec<StrPart>),
    Number(f64),
    Bool(bool),
    Null,
    Duration(Duration),
    /// Bytes.
    Size(u64),
    Percent(f64),
    List(Vec<Expr>),
    Object(Vec<(Ident, Expr)>),
    /// `app.helen.port.http`: the dotted path, unresolved.
    Ref(Vec<Ident>),
}

impl ExprKind {
    pub fn describe(&self) -> &'static str {
        match self {
            ExprKind::Str(_) => "a string",
            ExprKind::Number(_) => "a number",
            ExprKind::Bool(_) => "a bool",
            ExprKind::Null => "null",
            ExprKind::Duration(_) => "a duration",
            ExprKind::Size(_) => "a size",
            ExprKind::Percent(_) => "a percent",
            ExprKind::List(_) => "a list",
            ExprKind::Object(_) => "an object",
            ExprKind::Ref(_) => "a reference",
        }
    }
}
