//! GitHub Actions workflow commands: one `::error` or `::warning` line per
//! diagnostic, which the runner turns into an annotation on the file and
//! line (also in the pull request's diff).
//!
//! Escaping follows `@actions/core`: in the message, `%`, CR and LF become
//! `%25`, `%0D`, `%0A`; property values additionally escape `:` and `,`
//! (`%3A`, `%2C`), which would otherwise end the value.

use super::{headline, Report, Severity};

pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in r.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut message = headline(d);
            let mut props: Vec<(&str, String)> = Vec::new();
            match r.location(d.primary.span) {
                Some(l) => {
                    // GitHub takes columns only when the annotation is on
                    // one line; the end column is the one just past the
                    // span, as in SARIF.
                    let one_line = l.end_line == l.line;
                    props.push(("file", l.path));
                    props.push(("line", l.line.to_string()));
                    if one_line {
                        props.push(("col", l.column.to_string()));
                    }
                    props.push(("endLine", l.end_line.to_string()));
                    if one_line {
                        props.push(("endColumn", l.end_column.to_string()));
                    }
                }
                None => {
                    props.push(("file", r.root_path()));
                    message.push_str(&format!(
                        " (at {}, imported by this file)",
                        r.std_position(d.primary.span)
                    ));
                }
            }
            props.push(("title", d.code.to_string()));
            if !d.help.is_empty() {
                message.push_str(&format!("\nhelp: {}", d.help));
            }
            let props: Vec<String> = props
                .iter()
                .map(|(k, v)| format!("{k}={}", escape_property(v)))
                .collect();
            out.push_str(&format!(
                "::{command} {}::{}\n",
                props.join(","),
                escape_data(&message)
            ));
        }
    }
    out
}

pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_actions_core() {
        assert_eq!(escape_data("50% a:b,c\r\nx"), "50%25 a:b,c%0D%0Ax");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first: an escape sequence already in the text is not decoded.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
