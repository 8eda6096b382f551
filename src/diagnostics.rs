//! Errors as data: every problem eosc finds is a [`Diagnostic`] with a code,
//! a primary span and a help line. Rendering (miette's graphical report,
//! JSON) lives here too; nothing in this module does IO.

pub mod allow;
pub mod code;
pub mod explain;
pub mod github;
pub mod sarif;

use crate::source::{FileId, SourceMap, Span};
pub use code::{Code, Phase};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: String,
    /// Environments in which the problem exists; empty when it exists in all.
    pub envs: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        debug_assert!(code.is_error(), "{code} is a warning code");
        Self::new(code, Severity::Error, span, message)
    }
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        debug_assert!(!code.is_error(), "{code} is an error code");
        Self::new(code, Severity::Warning, span, message)
    }
    fn new(code: Code, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: String::new(),
            envs: Vec::new(),
        }
    }
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorted by file, position and code so output never depends on the order
/// in which passes ran.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.primary.span, a.code, &a.message, &a.envs).cmp(&(
            b.primary.span,
            b.code,
            &b.message,
            &b.envs,
        ))
    });
}

/// "did you mean `x`?" for the closest candidate, if one is close enough:
/// the fewest edits, then the first name in byte order.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1) + 1;
    did_you_mean_within(name, candidates, limit)
}

/// [`did_you_mean`] with at most `limit` edits.
fn did_you_mean_within<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Option<&'a str> {
    let a: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    // One set of buffers for every candidate: a spec with thousands of
    // misspelled references compares each with thousands of names, so
    // each comparison is also cut off at the best distance found so far
    // (ties still compared: the first name in byte order wins).
    let (mut b, mut prev, mut cur) = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let k = best.map_or(limit, |(d, _)| d);
        // The distance is at least the difference in length.
        if a.len().abs_diff(c.chars().count()) > k {
            continue;
        }
        b.clear();
        b.extend(c.chars().map(|c| c.to_ascii_lowercase()));
        let Some(d) = bounded_distance(&a, &b, k, &mut prev, &mut cur) else {
            continue;
        };
        if best.is_none_or(|(bd, bc)| (d, c) < (bd, bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The names of one kind, indexed for [`did_you_mean`] when there are
/// thousands of them: every name and each of its one-character deletions
/// point back to it, so the names within one edit of a query are found by
/// looking up the query's own deletions (two strings one edit apart share
/// such a variant: the string itself, or both with the differing character
/// removed). Only a query with no name that close scans the whole list.
pub struct NameIndex {
    names: Vec<String>,
    near: HashMap<Vec<char>, Vec<u32>>,
}

impl NameIndex {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<String> = names.into_iter().map(str::to_string).collect();
        let mut near: HashMap<Vec<char>, Vec<u32>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            for v in variants(n) {
                let ids = near.entry(v).or_default();
                if ids.last() != Some(&(i as u32)) {
                    ids.push(i as u32);
                }
            }
        }
        NameIndex { names, near }
    }

    /// What [`did_you_mean`] answers for the same names, in that order.
    pub fn did_you_mean(&self, name: &str) -> Option<&str> {
        let mut ids: Vec<u32> = variants(name)
            .filter_map(|v| self.near.get(&v))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let close = did_you_mean_within(
            name,
            ids.iter().map(|&i| self.names[i as usize].as_str()),
            1,
        );
        close.or_else(|| did_you_mean(name, self.names.iter().map(String::as_str)))
    }

    /// [`suggestion_help`] over these names.
    pub fn help(&self, name: &str, what: &str) -> String {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        help_line(self.did_you_mean(name), &names, what)
    }
}

/// A name, lower-cased, and each of its one-character deletions.
fn variants(name: &str) -> impl Iterator<Item = Vec<char>> {
    let a: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    (0..=a.len()).map(move |skip| {
        a.iter()
            .enumerate()
            .filter(|&(i, _)| i != skip)
            .map(|(_, c)| *c)
            .collect()
    })
}

/// The help line for an unknown name: a suggestion, or the list of valid names.
pub fn suggestion_help(name: &str, candidates: &[&str], what: &str) -> String {
    help_line(
        did_you_mean(name, candidates.iter().copied()),
        candidates,
        what,
    )
}

fn help_line(suggestion: Option<&str>, candidates: &[&str], what: &str) -> String {
    if let Some(s) = suggestion {
        return format!("did you mean `{s}`?");
    }
    if candidates.is_empty() {
        return format!("no {what} is declared");
    }
    let mut list: Vec<&str> = candidates.to_vec();
    list.sort_unstable();
    list.dedup();
    let shown: Vec<String> = list.iter().take(12).map(|c| format!("`{c}`")).collect();
    let more = if list.len() > 12 { ", …" } else { "" };
    format!("valid {what}s: {}{more}", shown.join(", "))
}

/// The Levenshtein distance of two character strings if it is at most
/// `k`, in the buffers given. A common prefix and suffix change no
/// distance and are skipped; only the diagonal band `|i - j| <= k` can
/// hold a path of cost `k` or less (Ukkonen), and a row whose every cell
/// exceeds `k` ends the search.
fn bounded_distance(
    a: &[char],
    b: &[char],
    k: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> Option<usize> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    let inf = k + 1;
    prev.clear();
    prev.extend((0..=b.len()).map(|j| j.min(inf)));
    cur.clear();
    cur.resize(b.len() + 1, inf);
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let (lo, hi) = (row.saturating_sub(k).max(1), (row + k).min(b.len()));
        // The cells just outside the band are read by this row and the
        // next; everything else outside it is never read.
        cur[0] = row.min(inf);
        cur[lo - 1] = if lo == 1 { cur[0] } else { inf };
        if hi < b.len() {
            cur[hi + 1] = inf;
        }
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(*ca != b[j - 1]);
            let v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = v.min(inf);
            row_min = row_min.min(cur[j]);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let d = prev[b.len()];
    (d <= k).then_some(d)
}

// ---------------------------------------------------------------- rendering

struct MietteDiag<'a> {
    d: &'a Diagnostic,
    src: Windowed<'a>,
    labels: Vec<miette::LabeledSpan>,
    help: String,
}

/// Where the lines of one file start, computed once per rendering: miette
/// reads a plain source from its first byte up to each span, and each
/// report used to get its own copy of the file, so thousands of
/// diagnostics on a large spec took minutes instead of milliseconds.
struct LineIndex {
    /// Line starts as miette counts lines (`\n`, `\r\n` and a lone `\r`).
    miette: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let b = text.as_bytes();
        let mut miette = vec![0];
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                miette.push(i + 1);
            }
        }
        LineIndex { miette }
    }
}

/// A file as miette sees it, but read from a few lines before each span
/// rather than from its start: the same text, lines and columns come out.
struct Windowed<'a> {
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
}

impl miette::SourceCode for Windowed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let starts = &self.lines.miette;
        let line = starts
            .partition_point(|&s| s <= span.offset())
            .saturating_sub(1);
        // One line more than the context, so that the window's first line
        // break is before the context, as it is in the whole file.
        let first = line.saturating_sub(context_lines_before + 1);
        let from = starts[first];
        let window = &self.text.as_bytes()[from..];
        let local = miette::SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let inner = <[u8] as miette::SourceCode>::read_span(
            window,
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        let s = inner.span();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            miette::SourceSpan::new((s.offset() + from).into(), s.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

/// Each file's line index, built when a diagnostic first needs it.
struct Indexes<'a> {
    sources: &'a SourceMap,
    built: std::collections::HashMap<crate::source::FileId, LineIndex>,
}

impl<'a> Indexes<'a> {
    fn new(sources: &'a SourceMap) -> Self {
        Indexes {
            sources,
            built: std::collections::HashMap::new(),
        }
    }
    fn get(&mut self, file: crate::source::FileId) -> &LineIndex {
        let sources = self.sources;
        self.built
            .entry(file)
            .or_insert_with(|| LineIndex::new(&sources.get(file).text))
    }
}

impl fmt::Debug for MietteDiag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}
impl fmt::Display for MietteDiag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)?;
        if !self.d.envs.is_empty() {
            write!(f, " (in environment {})", self.d.envs.join(", "))?;
        }
        Ok(())
    }
}
impl std::error::Error for MietteDiag<'_> {}

impl miette::Diagnostic for MietteDiag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.d.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn labeled(l: &Label, primary: bool) -> miette::LabeledSpan {
    let msg = (!l.message.is_empty()).then(|| l.message.clone());
    let span = (l.span.start as usize, l.span.len());
    if primary {
        miette::LabeledSpan::new_primary_with_span(msg, span)
    } else {
        miette::LabeledSpan::new_with_span(msg, span)
    }
}

/// `text` with the bytes of `span` replaced by `*`, but for the quote that
/// opens a string: a literal secret's line is shown without the secret.
/// Every replaced byte becomes one ASCII byte, so the text stays UTF-8 and
/// keeps its length.
fn mask(text: &str, span: crate::source::Span) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let (start, end) = (span.start as usize, (span.end as usize).min(bytes.len()));
    let from = if bytes.get(start) == Some(&b'"') {
        start + 1
    } else {
        start
    };
    let to = if end > from && bytes.get(end - 1) == Some(&b'"') {
        end - 1
    } else {
        end
    };
    for b in bytes.iter_mut().take(to).skip(from) {
        if *b != b'\n' {
            *b = b'*';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether `d` is about a secret value written in the spec, whose bytes
/// no snippet may show.
fn shows_secret(d: &Diagnostic) -> bool {
    d.code.phase() == Phase::Policy && d.code.is_error()
        || (d.code == Code::E0303 && d.message.contains("-character value"))
}

/// miette's graphical report, without colour, at a fixed width: the form
/// used by `eosc check` on a pipe and by the snapshot tests.
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    let mut indexes = Indexes::new(sources);
    // A secret finding shows where, never what: its span is masked in the
    // snippet (same bytes count, so every offset stays valid), and in the
    // snippet of every other diagnostic of its file, which may show the
    // same line. E0303 quotes record data by length when it looks like a
    // secret (`sema::routing::shown_rdata`); its span is masked alike.
    let mut masked: HashMap<FileId, String> = HashMap::new();
    for d in diags.iter().filter(|d| shows_secret(d)) {
        let span = d.primary.span;
        let text = masked
            .remove(&span.file)
            .unwrap_or_else(|| sources.get(span.file).text.clone());
        masked.insert(span.file, mask(&text, span));
    }
    for d in diags {
        let file = sources.get(d.primary.span.file);
        indexes.get(d.primary.span.file);
        let mut labels = vec![labeled(&d.primary, true)];
        let mut help = d.help.clone();
        for s in &d.secondary {
            if s.span.file == d.primary.span.file {
                labels.push(labeled(s, false));
            } else {
                let other = sources.get(s.span.file);
                let (line, col) = other.line_col(s.span.start);
                let note = format!("{} at {}:{line}:{col}", s.message, other.name);
                help = if help.is_empty() {
                    note
                } else {
                    format!("{help}\n{note}")
                };
            }
        }
        let md = MietteDiag {
            d,
            src: Windowed {
                name: &file.name,
                text: masked.get(&d.primary.span.file).map_or(&file.text, |t| t),
                lines: &indexes.built[&d.primary.span.file],
            },
            labels,
            help,
        };
        if handler.render_report(&mut out, &md).is_err() {
            out.push_str(&format!("{}: {}\n", d.code, d.message));
        }
        out.push('\n');
    }
    out
}

/// The diagnostics of one spec, for the machine formats. `base` is the
/// directory of the spec's root file as the user named it
/// (`examples/cybermonkey/`, or empty), so that paths in the output are
/// relative to where eosc runs: the repository root in CI.
pub struct Report<'a> {
    pub diagnostics: &'a [Diagnostic],
    /// Warnings accepted by `eosc:allow`: shown as suppressed.
    pub allowed: &'a [allow::Allowed],
    pub sources: &'a SourceMap,
    pub base: &'a str,
}

/// Where a span is, as the user's working directory sees it. Columns count
/// characters (Unicode code points); `end_column` is the column just past
/// the span, as in SARIF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Report<'_> {
    /// `None` for a span in a standard library module, which has no file.
    pub fn location(&self, span: Span) -> Option<Location> {
        let file = self.sources.get(span.file);
        if crate::stdlib::get(&file.name).is_some() {
            return None;
        }
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end);
        Some(Location {
            path: format!("{}{}", self.base, file.name),
            line,
            column,
            end_line,
            end_column,
        })
    }

    /// The root file of the spec (loaded first): where a problem found in
    /// the standard library is reported, since that file imported it.
    pub fn root_path(&self) -> String {
        let name = self
            .sources
            .files()
            .next()
            .map(|(_, f)| f.name.as_str())
            .unwrap_or("hecate.hcl");
        format!("{}{name}", self.base)
    }

    /// `std/security:3:5`, for messages about a span in the stdlib.
    pub fn std_position(&self, span: Span) -> String {
        let file = self.sources.get(span.file);
        let (line, col) = file.line_col(span.start);
        format!("{}:{line}:{col}", file.name)
    }
}

/// The message with the environments it is limited to, as every format
/// shows it.
pub fn headline(d: &Diagnostic) -> String {
    if d.envs.is_empty() {
        d.message.clone()
    } else {
        format!("{} (in environment {})", d.message, d.envs.join(", "))
    }
}

#[derive(Serialize)]
struct JsonDiag<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    span: [u32; 2],
    label: &'a str,
    help: &'a str,
    environments: &'a [String],
    /// Only on a warning accepted by `eosc:allow`: its reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Suppressed<'a>>,
}

#[derive(Serialize)]
struct Suppressed<'a> {
    kind: &'static str,
    justification: &'a str,
}

/// One JSON object per diagnostic, one per line (JSON Lines). `file` is the
/// path from the working directory (`std/<module>` for the stdlib).
pub fn render_json(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        let allowed = r
            .allowed
            .iter()
            .map(|a| (&a.diagnostic, Some(a.reason.as_str())));
        for (d, reason) in r.diagnostics.iter().map(|d| (d, None)).chain(allowed) {
            let span = d.primary.span;
            let file = r.sources.get(span.file);
            let (line, column) = file.line_col(span.start);
            let (end_line, end_column) = file.line_col(span.end);
            let path = r
                .location(span)
                .map_or_else(|| file.name.clone(), |l| l.path);
            let j = JsonDiag {
                code: d.code.as_str(),
                severity: d.severity,
                message: &d.message,
                file: path,
                line,
                column,
                end_line,
                end_column,
                span: [span.start, span.end],
                label: &d.primary.message,
                help: &d.help,
                environments: &d.envs,
                suppressed: reason.map(|justification| Suppressed {
                    kind: "inSource",
                    justification,
                }),
            };
            out.push_str(&serde_json::to_string(&j).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// `word` with its indefinite article: "an app", "a route", "an A record",
/// "a CNAME". Upper-case words are read letter by letter.
pub fn with_article(word: &str) -> String {
    let first = word.chars().next().unwrap_or('x');
    let an = if word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase()) || word.len() == 1 {
        "AEFHILMNORSX".contains(first.to_ascii_uppercase())
    } else {
        "aeiouAEIOU".contains(first)
    };
    format!("{} {word}", if an { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceCode as _;

    #[test]
    fn articles() {
        for (w, want) in [
            ("app", "an app"),
            ("upstream", "an upstream"),
            ("route", "a route"),
            ("A", "an A"),
            ("AAAA", "an AAAA"),
            ("MX", "an MX"),
            ("NS", "an NS"),
            ("CNAME", "a CNAME"),
            ("TXT", "a TXT"),
        ] {
            assert_eq!(with_article(w), want);
        }
    }

    /// The windowed source gives miette exactly what the whole file gives
    /// it, for every span start and several lengths and contexts, on text
    /// with CRLF, a lone CR, blank lines, tabs and multi-byte characters.
    #[test]
    fn windowed_source_reads_like_the_whole_file() {
        let text = "a = 1\r\nb = \"é\"\n\n\tc = [\r\n  2,\r  3]\nlast line\nd";
        let lines = LineIndex::new(text);
        let windowed = Windowed {
            name: "f.hcl",
            text,
            lines: &lines,
        };
        let whole = miette::NamedSource::new("f.hcl", text.to_string());
        let mut compared = 0;
        for start in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            for len in [0, 1, 3, 9] {
                if start + len > text.len() || !text.is_char_boundary(start + len) {
                    continue;
                }
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let span = miette::SourceSpan::new(start.into(), len);
                    let a = whole.read_span(&span, before, after);
                    let b = windowed.read_span(&span, before, after);
                    match (a, b) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(a.data(), b.data(), "{start}+{len} ({before},{after})");
                            assert_eq!(a.span(), b.span(), "{start}+{len} ({before},{after})");
                            assert_eq!(
                                (a.line(), a.column(), a.line_count()),
                                (b.line(), b.column(), b.line_count()),
                                "{start}+{len} ({before},{after})"
                            );
                            assert_eq!(a.name(), b.name());
                        }
                        (Err(_), Err(_)) => {}
                        (a, b) => panic!("{start}+{len}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared > 100);
    }

    /// The full Levenshtein table, the definition the bounded search must agree with.
    fn levenshtein(a: &[char], b: &[char]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let v = (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
                cur.push(v);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn bounded_distance_agrees_with_levenshtein() {
        // Strings over a small alphabet, so that near misses are common.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let word = |next: &mut dyn FnMut() -> u64| -> Vec<char> {
            let len = (next() % 9) as usize;
            (0..len)
                .map(|_| ['a', 'b', 'c', '0'][(next() % 4) as usize])
                .collect()
        };
        let (mut prev, mut cur) = (Vec::new(), Vec::new());
        for _ in 0..20_000 {
            let (a, b) = (word(&mut next), word(&mut next));
            let full = levenshtein(&a, &b);
            for k in 0..5 {
                let got = bounded_distance(&a, &b, k, &mut prev, &mut cur);
                assert_eq!(got, (full <= k).then_some(full), "{a:?} {b:?} k={k}");
            }
        }
    }

    #[test]
    fn did_you_mean_is_the_closest_within_the_limit() {
        let pool: Vec<String> = (0..300)
            .map(|i: u32| {
                let s = format!("{:x}", i.wrapping_mul(2_654_435_761) >> 20);
                s.replace('1', "a").replace('2', "B")
            })
            .collect();
        for probe in pool.iter().step_by(7).map(|p| format!("{p}x")) {
            let a: Vec<char> = probe.chars().map(|c| c.to_ascii_lowercase()).collect();
            let limit = (a.len() / 3).max(1) + 1;
            let naive = pool
                .iter()
                .map(|c| {
                    let b: Vec<char> = c.chars().map(|c| c.to_ascii_lowercase()).collect();
                    (levenshtein(&a, &b), c.as_str())
                })
                .filter(|(d, _)| *d <= limit)
                .min()
                .map(|(_, c)| c);
            assert_eq!(
                did_you_mean(&probe, pool.iter().map(String::as_str)),
                naive,
                "{probe}"
            );
        }
    }

    #[test]
    fn the_name_index_answers_as_the_scan_does() {
        let pool: Vec<String> = (0..400)
            .map(|i: u32| format!("{:x}", i.wrapping_mul(2_654_435_761) >> 22).replace('1', "A"))
            .chain(["app00000", "App00001", "web", "w"].map(String::from))
            .collect();
        let index = NameIndex::new(pool.iter().map(String::as_str));
        let probes = pool
            .iter()
            .flat_map(|p| {
                [
                    format!("{p}x"),
                    p[1..].to_string(),
                    format!("z{p}"),
                    p.to_uppercase(),
                ]
            })
            .chain(["", "ap00000", "zzzzzzzzzzzz"].map(String::from));
        for probe in probes {
            assert_eq!(
                index.did_you_mean(&probe),
                did_you_mean(&probe, pool.iter().map(String::as_str)),
                "{probe}"
            );
        }
    }

    #[test]
    fn did_you_mean_picks_the_fewest_edits_then_the_first_name() {
        let names = ["app00001", "app00000", "apq00000", "web", "App00000"];
        assert_eq!(did_you_mean("ap00000", names), Some("App00000"));
        assert_eq!(did_you_mean("wbe", names), Some("web"));
        assert_eq!(did_you_mean("zzzzzzzz", names), None);
    }
}
