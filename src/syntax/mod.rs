//! Text → syntax tree: the pest grammar (`grammar/hecate.pest`) and the
//! conversion of its parse tree into [`ast`] nodes with spans.

pub mod ast;
mod literals;
mod parser;

pub use parser::parse;

/// Deeper nesting than this is refused before pest sees the text, so no
/// input can overflow the stack of the recursive-descent parser.
pub const MAX_NESTING: usize = 64;
