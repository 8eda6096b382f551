//! Byte-level helpers over one file's text: lines, what surrounds a span,
//! and splices applied from the end so earlier offsets stay valid.

/// A replacement of `start..end` by `text`.
#[derive(Clone, Debug, PartialEq)]
pub struct Splice {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Applies splices that do not overlap (any order given).
pub fn apply(src: &str, splices: &[Splice]) -> String {
    let mut sorted: Vec<&Splice> = splices.iter().collect();
    sorted.sort_by_key(|s| (s.start, s.end));
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for s in sorted {
        let start = s.start.max(at);
        out.push_str(&src[at..start]);
        out.push_str(&s.text);
        at = s.end.max(start);
    }
    out.push_str(&src[at..]);
    out
}

/// The offset where the line holding `pos` starts.
pub fn line_start(t: &str, pos: usize) -> usize {
    t[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just past the `\n` ending the line holding `pos` (or the end).
pub fn next_line(t: &str, pos: usize) -> usize {
    t[pos..].find('\n').map_or(t.len(), |i| pos + i + 1)
}

/// Only spaces and tabs between the line's start and `pos`.
pub fn alone_before(t: &str, pos: usize) -> bool {
    t[line_start(t, pos)..pos]
        .chars()
        .all(|c| c == ' ' || c == '\t')
}

/// After `pos` to the end of its line: whitespace, at most one comma, and
/// at most a line comment.
pub fn alone_after(t: &str, pos: usize) -> bool {
    let end = t[pos..].find('\n').map_or(t.len(), |i| pos + i);
    let rest = t[pos..end].trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix(',')
        .unwrap_or(rest)
        .trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with('#') || rest.starts_with("//")
}

/// The indentation (spaces) of the line holding `pos`.
pub fn indent_at(t: &str, pos: usize) -> usize {
    let s = line_start(t, pos);
    t[s..].chars().take_while(|c| *c == ' ').count()
}

/// The line starting at `start` (without its `\n`).
fn line_at(t: &str, start: usize) -> &str {
    let end = t[start..].find('\n').map_or(t.len(), |i| start + i);
    &t[start..end]
}

fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn comment_only(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with('#') || l.starts_with("//")
}

/// An item of a body, list or object, with where its neighbours end and
/// start: what removing it needs to know.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Item {
    pub start: usize,
    pub end: usize,
    pub prev_end: Option<usize>,
    pub next_start: Option<usize>,
}

/// The range that removes `item`. On lines of its own its whole lines go
/// (with the comment lines directly above when `comments`, and one of two
/// blank lines it leaves behind); otherwise the item and one comma beside it.
pub fn removal(t: &str, item: Item, comments: bool) -> (usize, usize) {
    if alone_before(t, item.start) && alone_after(t, item.end) {
        let mut start = line_start(t, item.start);
        let end = next_line(t, item.end);
        if comments {
            while start > 0 {
                let prev = line_start(t, start - 1);
                if !comment_only(line_at(t, prev)) {
                    break;
                }
                start = prev;
            }
        }
        let blank_before = start == 0 || blank(line_at(t, line_start(t, start - 1)));
        let blank_after = end >= t.len() || blank(line_at(t, end));
        if blank_before && blank_after {
            if start > 0 {
                return (line_start(t, start - 1), end);
            }
            if end < t.len() {
                return (start, next_line(t, end));
            }
        }
        return (start, end);
    }
    let between = |a: usize, b: usize| t[a..b].chars().all(|c| c == ',' || c.is_whitespace());
    if let Some(next) = item.next_start.filter(|n| between(item.end, *n)) {
        return (item.start, next);
    }
    if let Some(prev) = item.prev_end.filter(|p| between(*p, item.start)) {
        return (prev, item.end);
    }
    let after = t[item.end..]
        .find(|c: char| c != ' ')
        .map_or(item.end, |i| item.end + i);
    if t[after..].starts_with(',') {
        return (item.start, after + 1);
    }
    (item.start, item.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_apply_from_any_order() {
        let s = apply(
            "abcdef",
            &[
                Splice {
                    start: 4,
                    end: 5,
                    text: "E".into(),
                },
                Splice {
                    start: 0,
                    end: 1,
                    text: "".into(),
                },
            ],
        );
        assert_eq!(s, "bcdEf");
    }

    #[test]
    fn removal_takes_lines_comments_and_one_blank() {
        let t = "a {}\n\n# about b\nb {}\n\nc {}\n";
        let b = t.find("b {}").unwrap();
        let r = removal(
            t,
            Item {
                start: b,
                end: b + 4,
                prev_end: None,
                next_start: None,
            },
            true,
        );
        assert_eq!(format!("{}{}", &t[..r.0], &t[r.1..]), "a {}\n\nc {}\n");
    }

    #[test]
    fn removal_inside_a_line_takes_one_comma() {
        let t = "[a, b, c]";
        let r = removal(
            t,
            Item {
                start: 4,
                end: 5,
                prev_end: Some(2),
                next_start: Some(7),
            },
            false,
        );
        assert_eq!(format!("{}{}", &t[..r.0], &t[r.1..]), "[a, c]");
        let r = removal(
            t,
            Item {
                start: 7,
                end: 8,
                prev_end: Some(5),
                next_start: None,
            },
            false,
        );
        assert_eq!(format!("{}{}", &t[..r.0], &t[r.1..]), "[a, b]");
    }
}
