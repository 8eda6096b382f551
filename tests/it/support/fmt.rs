//! What every formatted text must satisfy, whatever produced it.

use eosc::source::FileId;

pub fn format(src: &str) -> Result<String, Vec<eosc::diagnostics::Diagnostic>> {
    eosc::syntax::format_source(FileId(0), src)
}

/// The syntax tree without positions: equal for two texts that differ only
/// in layout. `None` if the text does not parse.
pub fn shape(src: &str) -> Option<String> {
    let module = eosc::syntax::parse(FileId(0), src).ok()?;
    let debug = format!("{module:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}').map_or(rest.len(), |e| at + e + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

pub fn without_whitespace(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FEFF}')
        .collect()
}

/// Checks `formatted = fmt(src)`: idempotent, the same tokens in the same
/// order (only whitespace differs), the same syntax tree, and the layout
/// rules that hold for every output. Returns what is wrong.
pub fn problems(src: &str, formatted: &str) -> Vec<String> {
    let mut found = Vec::new();
    match format(formatted) {
        Ok(again) if again == formatted => {}
        Ok(again) => found.push(format!(
            "not idempotent: formatting the output changes it to\n{again}"
        )),
        Err(d) => found.push(format!("the output does not parse: {d:?}")),
    }
    if without_whitespace(src) != without_whitespace(formatted) {
        found.push("more than whitespace changed".to_string());
    }
    if shape(src) != shape(formatted) {
        found.push("the syntax tree changed".to_string());
    }
    if !formatted.is_empty() && !formatted.ends_with('\n') {
        found.push("no trailing newline".to_string());
    }
    if formatted.starts_with('\n') || formatted.ends_with("\n\n") {
        found.push("blank lines at the ends of the file".to_string());
    }
    found
}
