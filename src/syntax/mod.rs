//! Text → syntax tree: the pest grammar (`grammar/hecate.pest`) and the
//! conversion of its parse tree into [`ast`] nodes with spans.

pub mod ast;
mod literals;
mod parser;

pub use parser::parse;

/// Deeper nesting than this is refused before pest sees the text, so no
/// input can overflow the stack of the recursive-descent parser.
pub const MAX_NESTING: usize = 64;

/// What a string would be as a literal (`"30s"` → `duration`), to suggest
/// dropping the quotes.
pub fn classify_literal(s: &str) -> Result<&'static str, ()> {
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(());
    }
    match literals::classify(s) {
        Ok(literals::Numeric::Number(_)) => Ok("number"),
        Ok(literals::Numeric::Percent(_)) => Ok("percent"),
        Ok(literals::Numeric::Size(_)) => Ok("size"),
        Ok(literals::Numeric::Duration(_)) => Ok("duration"),
        Err(_) => Err(()),
    }
}
