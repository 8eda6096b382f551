//! The canonical layout of a spec (`eosc fmt`).
//!
//! Like hclwrite (`terraform fmt`), the formatter changes whitespace only:
//! every token, comment, string and heredoc stays as written and in order,
//! and lines keep their breaks. It works on tokens rather than the AST
//! because the AST keeps neither comments nor the spelling of literals: the
//! pest tree gives the position of every name, literal and string, and the
//! text between two of them can only hold punctuation, whitespace and
//! comments, which [`scan_gap`] splits.
//!
//! The rules, each a function of the tokens and line breaks alone (which is
//! why formatting twice changes nothing):
//! - indentation is 2 spaces per level, counted per line as hclwrite does
//!   (a line opening several brackets indents the next lines once), see
//!   [`indent_levels`];
//! - one space between tokens, but none inside `[]`, before `,` or `:`, or
//!   in an empty `{}`;
//! - hclwrite's alignment: a run of consecutive lines each holding a whole
//!   `name = value` (no bracket left open) gets its `=` aligned, and a run
//!   of consecutive lines ending in a `#`/`//` comment gets those aligned; a
//!   blank line, a comment on its own line or any other line ends a run;
//! - at most one blank line in a row, none after an opening bracket or
//!   before a closing one, none at the ends of the file; a trailing newline.

use super::parser::{self, Rule};
use crate::diagnostics::Diagnostic;
use crate::source::FileId;

/// The spec in its canonical layout, or the diagnostics of [`super::parse`]
/// if it does not parse (a formatter must not guess at broken text).
pub fn format_source(file: FileId, src: &str) -> Result<String, Vec<Diagnostic>> {
    super::parse(file, src)?;
    match tokenize(src) {
        Some(items) => Ok(render(&into_lines(items))),
        // Unreachable: `parse` succeeded on the same text with the same grammar.
        None => Ok(src.to_string()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A name, keyword, number, reference, string or heredoc: text that is
    /// copied byte for byte.
    Atom,
    Open,
    Close,
    Comma,
    Equals,
    Colon,
    LineComment,
    BlockComment,
}

#[derive(Clone, Copy, Debug)]
struct Tok<'a> {
    kind: Kind,
    text: &'a str,
}

impl Tok<'_> {
    /// Heredocs, block comments and strings whose `${}` spans lines.
    fn multiline(&self) -> bool {
        self.text.contains('\n')
    }
    fn is_comment(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }
    fn bracket(&self) -> i64 {
        match self.kind {
            Kind::Open => 1,
            Kind::Close => -1,
            _ => 0,
        }
    }
}

enum Item<'a> {
    Tok(Tok<'a>),
    Newlines(usize),
}

/// Rules whose whole text is one token; everything below them is skipped.
fn is_atom(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::ident
            | Rule::string
            | Rule::heredoc
            | Rule::numeric
            | Rule::keyword
            | Rule::reference
    )
}

fn tokenize(src: &str) -> Option<Vec<Item<'_>>> {
    let tree = parser::tree(src)?;
    let mut items = Vec::new();
    let mut pos = 0;
    for pair in tree.flatten() {
        let span = pair.as_span();
        if span.start() < pos || !is_atom(pair.as_rule()) {
            continue;
        }
        scan_gap(&src[pos..span.start()], &mut items);
        items.push(Item::Tok(Tok {
            kind: Kind::Atom,
            text: span.as_str(),
        }));
        pos = span.end();
    }
    scan_gap(&src[pos..], &mut items);
    Some(items)
}

/// Splits text between atoms: whitespace (only newlines are kept, as a
/// count), comments, punctuation, and the `import` keyword.
fn scan_gap<'a>(gap: &'a str, items: &mut Vec<Item<'a>>) {
    let bytes = gap.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &gap[i..];
        let (kind, len) = match bytes[i] {
            b'\n' => {
                match items.last_mut() {
                    Some(Item::Newlines(n)) => *n += 1,
                    _ => items.push(Item::Newlines(1)),
                }
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => (Kind::LineComment, rest.find('\n').unwrap_or(rest.len())),
            b'/' if rest.starts_with("//") => {
                (Kind::LineComment, rest.find('\n').unwrap_or(rest.len()))
            }
            b'/' if rest.starts_with("/*") => (
                Kind::BlockComment,
                rest[2..].find("*/").map(|e| e + 4).unwrap_or(rest.len()),
            ),
            b'{' | b'[' => (Kind::Open, 1),
            b'}' | b']' => (Kind::Close, 1),
            b',' => (Kind::Comma, 1),
            b'=' => (Kind::Equals, 1),
            b':' => (Kind::Colon, 1),
            _ if rest.starts_with('\u{FEFF}') => {
                i += '\u{FEFF}'.len_utf8();
                continue;
            }
            // `import`; anything else cannot occur after a successful parse,
            // and is kept as a word rather than dropped.
            _ => (
                Kind::Atom,
                rest.find(|c: char| c.is_whitespace() || "{}[],=:#/\"".contains(c))
                    .filter(|&e| e > 0)
                    .unwrap_or_else(|| rest.chars().next().map_or(1, char::len_utf8)),
            ),
        };
        let mut text = &rest[..len];
        if kind == Kind::LineComment {
            text = text.trim_end_matches([' ', '\t', '\r']);
        }
        items.push(Item::Tok(Tok { kind, text }));
        i += len;
    }
}

struct Line<'a> {
    toks: Vec<Tok<'a>>,
    /// The input had an empty line before this one.
    blank_before: bool,
}

fn into_lines(items: Vec<Item<'_>>) -> Vec<Line<'_>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Vec<Tok> = Vec::new();
    let mut newlines = 0;
    let mut blank_before = false;
    for item in items {
        match item {
            Item::Newlines(n) => {
                if !current.is_empty() {
                    lines.push(Line {
                        toks: std::mem::take(&mut current),
                        blank_before,
                    });
                    newlines = 0;
                }
                newlines += n;
            }
            Item::Tok(t) => {
                if current.is_empty() {
                    blank_before = newlines >= 2;
                }
                newlines = 0;
                current.push(t);
            }
        }
    }
    if !current.is_empty() {
        lines.push(Line {
            toks: current,
            blank_before,
        });
    }
    lines
}

/// Removes `n` open brackets from the indent stack, whose entries count the
/// brackets each indenting line left open. True if that stopped inside an
/// entry: some but not all brackets of one line were closed.
fn close(stack: &mut Vec<i64>, mut n: i64) -> bool {
    while n > 0 {
        let Some(top) = stack.last_mut() else {
            return false;
        };
        if n >= *top {
            n -= *top;
            stack.pop();
        } else {
            *top -= n;
            return true;
        }
    }
    false
}

/// The indent level of each line: the number of lines whose brackets are
/// still open, as in hclwrite, with two differences. Closing brackets that
/// start a line dedent that line; and a line like `}, {` that closes and
/// reopens one of the brackets of a `[{` line stays at that line's level
/// rather than nesting deeper.
fn indent_levels(lines: &[Line]) -> Vec<usize> {
    let mut stack: Vec<i64> = Vec::new();
    lines
        .iter()
        .map(|line| {
            let leading = line
                .toks
                .iter()
                .take_while(|t| t.kind == Kind::Close)
                .count();
            let mut partial = close(&mut stack, leading as i64);
            let level = stack.len() - usize::from(partial);
            let (mut balance, mut lowest) = (0i64, 0i64);
            for t in &line.toks[leading..] {
                balance += t.bracket();
                lowest = lowest.min(balance);
            }
            if lowest < 0 {
                partial = close(&mut stack, -lowest);
            }
            let opened = balance - lowest;
            match stack.last_mut() {
                Some(top) if partial => *top += opened,
                _ if opened > 0 => stack.push(opened),
                _ => {}
            }
            level
        })
        .collect()
}

/// hclwrite's spacing, in its order of precedence.
fn space_between(a: &Tok, b: &Tok) -> &'static str {
    match (a.kind, a.text, b.kind, b.text) {
        (_, _, Kind::LineComment, _) => " ",
        (_, _, Kind::Comma, _) => "",
        (Kind::Open, "{", Kind::Close, "}") => "",
        (Kind::Open, "{", _, _) | (_, _, Kind::Close, "}") => " ",
        (_, _, Kind::Colon, _) => "",
        (Kind::Open, "[", _, _) | (_, _, Kind::Close, "]") => "",
        _ => " ",
    }
}

fn join(out: &mut String, toks: &[Tok]) {
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            out.push_str(space_between(&toks[i - 1], t));
        }
        out.push_str(t.text);
    }
}

/// One line split into hclwrite's cells: everything before the `=`, the
/// assignment from the `=` on, and a trailing line comment (a trailing
/// `/* */` is part of the assignment, as in hclwrite).
struct Cells {
    lead: String,
    assign: Option<String>,
    comment: Option<String>,
    /// Whether the assignment can join a run of aligned `=`.
    aligns_assign: bool,
    /// Whether the trailing comment can join a run of aligned comments.
    aligns_comment: bool,
}

fn cells(line: &Line, level: usize) -> Cells {
    let toks = &line.toks[..];
    let (body, comment) = match toks.split_last() {
        Some((last, body)) if !body.is_empty() && last.kind == Kind::LineComment => {
            (body, Some(last))
        }
        _ => (toks, None),
    };
    let assign_at = body
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, t)| t.kind == Kind::Equals)
        .map(|(i, _)| i)
        .filter(|&i| body[i..].iter().map(Tok::bracket).sum::<i64>() == 0);
    let (lead_toks, assign_toks) = match assign_at {
        Some(i) => (&body[..i], Some(&body[i..])),
        None => (body, None),
    };
    let mut lead = "  ".repeat(level);
    join(&mut lead, lead_toks);
    let assign = assign_toks.map(|a| {
        let mut s = String::new();
        join(&mut s, a);
        s
    });
    Cells {
        lead,
        aligns_assign: assign.is_some() && !lead_toks.iter().any(Tok::multiline),
        aligns_comment: comment.is_some() && !body.iter().any(Tok::multiline),
        assign,
        comment: comment.map(|c| c.text.to_string()),
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Pads each member of every run (maximal stretch of lines where `member`
/// holds and no blank line intervenes) so that `column` lines up.
fn align(
    rows: &mut [Row],
    member: impl Fn(&Row) -> bool,
    column: impl Fn(&Row) -> usize,
    set: impl Fn(&mut Row, usize),
) {
    let mut start = 0;
    while start < rows.len() {
        if !member(&rows[start]) {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < rows.len() && member(&rows[end]) && !rows[end].blank_before {
            end += 1;
        }
        let max = rows[start..end].iter().map(&column).max().unwrap_or(0);
        for row in &mut rows[start..end] {
            let pad = max - column(row) + 1;
            set(row, pad);
        }
        start = end;
    }
}

struct Row {
    cells: Cells,
    blank_before: bool,
    assign_pad: usize,
    comment_pad: usize,
}

impl Row {
    fn before_comment(&self) -> usize {
        width(&self.cells.lead)
            + self
                .cells
                .assign
                .as_ref()
                .map_or(0, |a| self.assign_pad + width(a))
    }
}

fn render(lines: &[Line]) -> String {
    let levels = indent_levels(lines);
    let mut rows: Vec<Row> = lines
        .iter()
        .zip(&levels)
        .enumerate()
        .map(|(i, (line, &level))| {
            let after_open = i > 0
                && lines[i - 1]
                    .toks
                    .iter()
                    .rev()
                    .find(|t| !t.is_comment())
                    .is_some_and(|t| t.kind == Kind::Open);
            let before_close = line.toks.first().is_some_and(|t| t.kind == Kind::Close);
            Row {
                cells: cells(line, level),
                blank_before: i > 0 && line.blank_before && !after_open && !before_close,
                assign_pad: 1,
                comment_pad: 1,
            }
        })
        .collect();
    align(
        &mut rows,
        |r| r.cells.aligns_assign,
        |r| width(&r.cells.lead),
        |r, pad| r.assign_pad = pad,
    );
    align(
        &mut rows,
        |r| r.cells.aligns_comment,
        Row::before_comment,
        |r, pad| r.comment_pad = pad,
    );
    let mut out = String::new();
    for row in &rows {
        if row.blank_before {
            out.push('\n');
        }
        out.push_str(&row.cells.lead);
        if let Some(a) = &row.cells.assign {
            out.extend(std::iter::repeat_n(' ', row.assign_pad));
            out.push_str(a);
        }
        if let Some(c) = &row.cells.comment {
            out.extend(std::iter::repeat_n(' ', row.comment_pad));
            out.push_str(c);
        }
        out.push('\n');
    }
    out
}
