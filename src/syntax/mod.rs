//! Text → syntax tree: the pest grammar (`grammar/hecate.pest`) and the
//! conversion of its parse tree into [`ast`] nodes with spans.

pub mod ast;
mod fmt;
mod literals;
mod parser;

pub use fmt::format_source;
pub use literals::fmt_num;
pub use parser::{parse, parse_in_pieces, parse_whole};

/// Deeper nesting than this is refused before pest sees the text, so no
/// input can overflow the stack of the recursive-descent parser.
pub const MAX_NESTING: usize = 64;

/// What a string would be as a literal (`"30s"` → `duration`), to suggest
/// dropping the quotes.
pub fn classify_literal(s: &str) -> Option<&'static str> {
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    match literals::classify(s) {
        Ok(literals::Numeric::Number(_)) => Some("number"),
        Ok(literals::Numeric::Percent(_)) => Some("percent"),
        Ok(literals::Numeric::Size(_)) => Some("size"),
        Ok(literals::Numeric::Duration(_)) => Some("duration"),
        Err(_) => None,
    }
}
