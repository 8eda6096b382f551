//! docs/errors.md compiled into the binary: the text `eosc explain` prints
//! and the rule descriptions of SARIF output come from one source.

const ERRORS_MD: &str = include_str!("../../docs/errors.md");

/// The section of docs/errors.md for `code`, starting at its `## CODE`
/// heading and ending before the next one.
pub fn explanation(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    let heading = format!("## {code}");
    let mut offset = 0;
    for line in ERRORS_MD.split_inclusive('\n') {
        let is_heading = line
            .trim_end()
            .strip_prefix(&heading)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ']));
        if is_heading {
            let rest = &ERRORS_MD[offset..];
            let end = rest[1..].find("\n## ").map(|e| e + 2).unwrap_or(rest.len());
            return Some(rest[..end].trim_end());
        }
        offset += line.len();
    }
    None
}

/// The title of a code: `unknown attribute` for `## E0202: unknown attribute`.
pub fn title(code: &str) -> Option<&'static str> {
    let section = explanation(code)?;
    let heading = section.lines().next()?;
    Some(heading.split_once(": ").map_or("", |(_, t)| t.trim()))
}

/// The first paragraph under the heading, on one line.
pub fn summary(code: &str) -> Option<String> {
    let section = explanation(code)?;
    let paragraph: Vec<&str> = section
        .lines()
        .skip(1)
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    Some(paragraph.join(" "))
}

/// `E0101  syntax error`, one line per documented code, in the order of
/// docs/errors.md: what `eosc explain --list` prints.
pub fn list() -> String {
    let mut out = String::new();
    for line in ERRORS_MD.lines() {
        let Some((code, title)) = line.strip_prefix("## ").and_then(|h| h.split_once(": ")) else {
            continue;
        };
        if code.len() == 5 && code.starts_with(['E', 'W']) {
            out.push_str(&format!("{code}  {}\n", title.trim()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_titles_and_summaries() {
        let e = explanation("e0202").expect("E0202 is documented");
        assert!(e.starts_with("## E0202: unknown attribute"));
        assert!(!e.contains("## E0203"));
        assert_eq!(title("E0202"), Some("unknown attribute"));
        let s = summary("E0202").expect("summary");
        assert!(s.starts_with("The block does not take an attribute"), "{s}");
        assert!(!s.contains('\n'));
        assert_eq!(explanation("E9999"), None);
        assert_eq!(explanation("E02"), None);
    }
}
