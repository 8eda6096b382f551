use super::ast::*;
use super::literals::{self, Numeric};
use super::MAX_NESTING;
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};
use pest::iterators::Pair;
use pest::Parser as _;
use std::ops::ControlFlow;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/hecate.pest"]
struct Grammar;

/// Parses one file. A syntax error yields no module: the tree would be a
/// guess, and resolving a guess produces noise instead of help.
///
/// A large file is parsed a run of top-level blocks at a time: pest keeps a
/// token for every rule it matched until the whole input is done, which
/// for a 5 MB spec was most of `eosc check`'s memory, and a short queue is
/// also faster to walk. Where the pieces are cut comes from the same scan
/// that bounds nesting, which skips heredoc bodies as the grammar reads
/// them; should a cut still land where pest disagrees, the piece does not
/// parse, and then the whole file is parsed in one go, so the result (module or diagnostics) is always
/// [`parse_whole`]'s (`tests/it/parse_pieces.rs` compares them).
pub fn parse(file: FileId, text: &str) -> Result<Module, Vec<Diagnostic>> {
    parse_in_pieces(file, text, PIECE)
}

/// [`parse`] with pieces of at least `piece` bytes (1: every top-level
/// block alone), for the tests that compare it with [`parse_whole`].
#[doc(hidden)]
pub fn parse_in_pieces(file: FileId, text: &str, piece: usize) -> Result<Module, Vec<Diagnostic>> {
    let cuts = match precheck(file, text) {
        Ok(cuts) => cuts,
        Err(d) => return Err(vec![*d]),
    };
    if cuts.len() > 1 {
        if let Some(result) = parse_pieces(file, text, &cuts, piece) {
            return result;
        }
    }
    parse_from(file, text)
}

/// [`parse`] without cutting the file into pieces.
pub fn parse_whole(file: FileId, text: &str) -> Result<Module, Vec<Diagnostic>> {
    if let Err(d) = precheck(file, text) {
        return Err(vec![*d]);
    }
    parse_from(file, text)
}

/// A piece is at least this long (cut at the end of the next top-level
/// block): long enough that pest's setup per call does not show.
const PIECE: usize = 32 * 1024;

/// Below this many bytes the pieces are parsed on one thread: starting a
/// second costs more than it saves.
const PARALLEL_FROM: usize = 256 * 1024;

/// `None` if a piece has a syntax error: the caller parses the whole file.
/// Large files parse their pieces on every core, each thread a run of
/// consecutive pieces; the runs are joined in order, so the module is the
/// one a single thread builds.
fn parse_pieces(
    file: FileId,
    text: &str,
    cuts: &[usize],
    piece: usize,
) -> Option<Result<Module, Vec<Diagnostic>>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for &end in cuts.iter().chain(std::iter::once(&text.len())) {
        if end < start + piece && end != text.len() {
            continue;
        }
        ranges.push(start..end);
        start = end;
    }
    let threads = if text.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, ranges.len())
    };
    let per = ranges.len().div_ceil(threads);
    let parts: Vec<Option<(Module, Vec<Diagnostic>)>> = if threads == 1 {
        vec![parse_run(file, text, &ranges)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = ranges
                .chunks(per)
                .map(|run| scope.spawn(move || parse_run(file, text, run)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        })
    };
    let mut module = empty_module(file);
    let mut diags = Vec::new();
    for part in parts {
        let (mut m, mut d) = part?;
        module.imports.append(&mut m.imports);
        module.blocks.append(&mut m.blocks);
        module.stray_attributes.append(&mut m.stray_attributes);
        diags.append(&mut d);
    }
    Some(if diags.is_empty() {
        Ok(module)
    } else {
        Err(diags)
    })
}

/// The pieces `run` of `text`, parsed one after the other into one module.
fn parse_run(
    file: FileId,
    text: &str,
    run: &[std::ops::Range<usize>],
) -> Option<(Module, Vec<Diagnostic>)> {
    let mut module = empty_module(file);
    let mut diags = Vec::new();
    for range in run {
        let piece = text.get(range.clone())?;
        let mut pairs = Grammar::parse(Rule::file, piece).ok()?;
        let mut cx = Cx {
            file,
            base: range.start,
            diags: Vec::new(),
        };
        convert(&mut cx, &mut module, pairs.next());
        diags.append(&mut cx.diags);
    }
    Some((module, diags))
}

fn empty_module(file: FileId) -> Module {
    Module {
        file,
        imports: Vec::new(),
        blocks: Vec::new(),
        stray_attributes: Vec::new(),
    }
}

fn parse_from(file: FileId, text: &str) -> Result<Module, Vec<Diagnostic>> {
    let mut pairs = match Grammar::parse(Rule::file, text) {
        Ok(p) => p,
        Err(e) => return Err(vec![syntax_error(file, text, e)]),
    };
    let mut cx = Cx {
        file,
        base: 0,
        diags: Vec::new(),
    };
    let mut module = empty_module(file);
    convert(&mut cx, &mut module, pairs.next());
    if cx.diags.is_empty() {
        Ok(module)
    } else {
        Err(cx.diags)
    }
}

/// The items of a `file` parse tree into `module`.
fn convert(cx: &mut Cx, module: &mut Module, root: Option<Pair<'_, Rule>>) {
    for pair in root.map(|p| p.into_inner()).into_iter().flatten() {
        match pair.as_rule() {
            Rule::import => {
                let s = first(pair);
                let span = cx.span(&s);
                let path = cx.plain_string(s, "an import path");
                module.imports.push(Import { path, span });
            }
            Rule::block => module.blocks.push(cx.block(pair)),
            Rule::attribute => module.stray_attributes.push(cx.attribute(pair)),
            _ => {}
        }
    }
}

/// The bare parse tree of a file that [`parse`] accepted: the formatter
/// needs the position of every token, which the AST does not keep.
pub(super) fn tree(text: &str) -> Option<pest::iterators::Pairs<'_, Rule>> {
    Grammar::parse(Rule::file, text).ok()
}

fn first(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    pair.into_inner()
        .next()
        .expect("grammar guarantees a child")
}

struct Cx {
    file: FileId,
    /// Offset added to spans of a second-pass parse (heredoc templates).
    base: usize,
    diags: Vec<Diagnostic>,
}

impl Cx {
    fn span(&self, p: &Pair<'_, Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    fn ident(&self, p: Pair<'_, Rule>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(&p),
        }
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let kind = self.ident(inner.next().expect("block kind"));
        let mut labels = Vec::new();
        let mut body = Body::default();
        for p in inner {
            match p.as_rule() {
                Rule::label => {
                    let s = first(p);
                    let lspan = self.span(&s);
                    let name = self.plain_string(s, "a block label");
                    labels.push(Ident { name, span: lspan });
                }
                Rule::body => body = self.body(p),
                _ => {}
            }
        }
        Block {
            kind,
            labels,
            body,
            span,
        }
    }

    fn body(&mut self, pair: Pair<'_, Rule>) -> Body {
        let mut body = Body {
            span: self.span(&pair),
            ..Body::default()
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::block => body.blocks.push(self.block(p)),
                Rule::attribute => body.attributes.push(self.attribute(p)),
                _ => {}
            }
        }
        body
    }

    fn attribute(&mut self, pair: Pair<'_, Rule>) -> Attribute {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next().expect("attribute name"));
        let value = self.expr(inner.next().expect("attribute value"));
        Attribute { name, value, span }
    }

    fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::string => ExprKind::Str(self.string_parts(pair)),
            Rule::heredoc => ExprKind::Str(self.heredoc(pair)),
            Rule::numeric => match literals::classify(pair.as_str()) {
                Ok(Numeric::Number(n)) => ExprKind::Number(n),
                Ok(Numeric::Percent(p)) => ExprKind::Percent(p),
                Ok(Numeric::Size(s)) => ExprKind::Size(s),
                Ok(Numeric::Duration(d)) => ExprKind::Duration(d),
                Err(bad) => {
                    self.diags.push(
                        Diagnostic::error(Code::E0103, span, bad.message)
                            .label("not a valid literal")
                            .help(bad.help),
                    );
                    ExprKind::Null
                }
            },
            Rule::keyword => match pair.as_str() {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                _ => ExprKind::Null,
            },
            Rule::list => ExprKind::List(pair.into_inner().map(|p| self.expr(p)).collect()),
            Rule::object => ExprKind::Object(
                pair.into_inner()
                    .map(|entry| {
                        let mut kv = entry.into_inner();
                        let k = kv.next().expect("object key");
                        let key = if k.as_rule() == Rule::string {
                            let kspan = self.span(&k);
                            Ident {
                                name: self.plain_string(k, "an object key"),
                                span: kspan,
                            }
                        } else {
                            self.ident(k)
                        };
                        (key, self.expr(kv.next().expect("object value")))
                    })
                    .collect(),
            ),
            Rule::reference => ExprKind::Ref(pair.into_inner().map(|p| self.ident(p)).collect()),
            _ => ExprKind::Null,
        };
        Expr { kind, span }
    }

    fn string_parts(&mut self, pair: Pair<'_, Rule>) -> Vec<StrPart> {
        let mut parts: Vec<StrPart> = Vec::new();
        let mut lit = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::str_text | Rule::tmpl_text => lit.push_str(p.as_str()),
                Rule::dollar_escape => lit.push_str("${"),
                Rule::escape => match literals::unescape(&p.as_str()[1..]) {
                    Some(c) => lit.push(c),
                    None => {
                        let span = self.span(&p);
                        self.diags.push(
                            Diagnostic::error(Code::E0102, span, format!("unknown escape `{}`", p.as_str()))
                                .label("not an escape sequence")
                                .help("valid escapes: \\n \\t \\r \\\" \\\\ \\uXXXX; write `\\\\` for a backslash"),
                        );
                    }
                },
                Rule::interp => {
                    if !lit.is_empty() {
                        parts.push(StrPart::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(StrPart::Interp(self.expr(first(p))));
                }
                _ => {}
            }
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(StrPart::Lit(lit));
        }
        parts
    }

    /// A string that must be known without evaluation (labels, import paths).
    fn plain_string(&mut self, pair: Pair<'_, Rule>, what: &str) -> String {
        let span = self.span(&pair);
        let parts = self.string_parts(pair);
        let mut out = String::new();
        for part in parts {
            match part {
                StrPart::Lit(s) => out.push_str(&s),
                StrPart::Interp(e) => self.diags.push(
                    Diagnostic::error(
                        Code::E0104,
                        e.span,
                        format!("interpolation is not allowed in {what}"),
                    )
                    .label("evaluated too late to name anything")
                    .help(format!(
                        "write {what} as a plain string; use `$${{` for a literal `${{`"
                    ))
                    .with_secondary(span, ""),
                ),
            }
        }
        out
    }

    fn heredoc(&mut self, pair: Pair<'_, Rule>) -> Vec<StrPart> {
        let mut strip = false;
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::heredoc_strip => strip = true,
                Rule::heredoc_body => body = Some(p),
                _ => {}
            }
        }
        let Some(body) = body else {
            return vec![StrPart::Lit(String::new())];
        };
        let offset = self.base + body.as_span().start();
        let raw = body.as_str();
        let parts = match Grammar::parse(Rule::template, raw) {
            Ok(mut t) => {
                let mut sub = Cx {
                    file: self.file,
                    base: offset,
                    diags: Vec::new(),
                };
                let parts = sub.string_parts(t.next().expect("template"));
                self.diags.append(&mut sub.diags);
                parts
            }
            Err(e) => {
                let mut d = syntax_error(self.file, raw, e);
                d.primary.span.start += offset as u32;
                d.primary.span.end += offset as u32;
                self.diags.push(d);
                Vec::new()
            }
        };
        let indent = if strip { common_indent(raw) } else { 0 };
        strip_heredoc(parts, indent)
    }
}

fn common_indent(raw: &str) -> usize {
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0)
}

/// Removes `indent` leading blanks from every line and turns CRLF into LF.
fn strip_heredoc(parts: Vec<StrPart>, indent: usize) -> Vec<StrPart> {
    let mut at_line_start = true;
    parts
        .into_iter()
        .map(|part| match part {
            StrPart::Lit(s) => {
                let mut out = String::with_capacity(s.len());
                let mut skip = if at_line_start { indent } else { 0 };
                for c in s.chars() {
                    if skip > 0 && (c == ' ' || c == '\t') {
                        skip -= 1;
                        continue;
                    }
                    skip = 0;
                    if c == '\r' {
                        continue;
                    }
                    out.push(c);
                    if c == '\n' {
                        skip = indent;
                    }
                }
                at_line_start = s.ends_with('\n');
                StrPart::Lit(out)
            }
            interp => {
                at_line_start = false;
                interp
            }
        })
        .collect()
}

/// Refuses what pest should never see: NUL bytes and nesting deep enough
/// to exhaust the stack. Otherwise, the offsets just after each `}` that
/// closes a top-level block: where the file can be cut into pieces.
fn precheck(file: FileId, text: &str) -> Result<Vec<usize>, Box<Diagnostic>> {
    if let Some(pos) = text.find('\0') {
        return Err(Diagnostic::error(
            Code::E0106,
            Span::new(file, pos, pos + 1),
            "the file contains a NUL byte",
        )
        .label("NUL byte")
        .help("a spec is UTF-8 text; remove the NUL byte (is this a binary file?)")
        .into());
    }
    let mut cuts = Vec::new();
    let mut too_deep = None;
    // Strings end at a line break here, as they do in the grammar.
    scan_nesting(text, true, |event| match event {
        Nesting::Opened { at, depth } if depth > MAX_NESTING => {
            too_deep = Some(at);
            ControlFlow::Break(())
        }
        Nesting::ClosedTopLevel { after } => {
            cuts.push(after);
            ControlFlow::Continue(())
        }
        Nesting::Opened { .. } => ControlFlow::Continue(()),
    });
    if let Some(i) = too_deep {
        let end = text[i..]
            .chars()
            .next()
            .map(|c| i + c.len_utf8())
            .unwrap_or(i);
        return Err(Diagnostic::error(
            Code::E0105,
            Span::new(file, i, end),
            format!("nesting deeper than {MAX_NESTING} levels"),
        )
        .label("too deep")
        .help("flatten the structure: no spec needs lists, objects or blocks nested this deeply")
        .into());
    }
    Ok(cuts)
}

fn rule_name(r: &Rule) -> Option<&'static str> {
    Some(match r {
        Rule::EOI => "end of file",
        Rule::block => "a block",
        Rule::import => "`import`",
        Rule::attribute => "an attribute",
        Rule::label => "a label",
        Rule::body => "`{`",
        Rule::ident => "a name",
        Rule::reference => "a reference",
        Rule::string | Rule::heredoc => "a string",
        Rule::numeric => "a number",
        Rule::keyword => "true/false/null",
        Rule::list => "a list",
        Rule::object => "an object",
        Rule::object_entry => "an object entry",
        Rule::interp => "`${`",
        Rule::escape => "an escape",
        Rule::str_text => "string text",
        _ => return None,
    })
}

fn syntax_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let pos = pos.min(text.len());
    if let Some(d) = unclosed_heredoc(file, text, pos) {
        return d;
    }
    let found = text[pos..].chars().next();
    let end = found.map(|c| pos + c.len_utf8()).unwrap_or(pos);
    let found_s = match found {
        None => "end of file".to_string(),
        Some('\n') => "end of line".to_string(),
        Some(c) => format!("`{}`", c.escape_debug()),
    };
    let mut expected: Vec<&str> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(rule_name).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let message = if expected.is_empty() {
        format!("unexpected {found_s}")
    } else {
        format!("unexpected {found_s}, expected {}", join_or(&expected))
    };
    let in_string = found == Some('\n') && expected.contains(&"string text");
    if in_string {
        // Underline the string from its opening quote to the end of the line.
        let line_start = text[..pos].rfind('\n').map_or(0, |n| n + 1);
        if let Some(quote) = text[line_start..pos].rfind('"').map(|q| line_start + q) {
            return Diagnostic::error(Code::E0101, Span::new(file, quote, pos), "this string is never closed")
                .label("opened here, still open at the end of the line")
                .help("add the closing `\"`; a string cannot span lines (use a heredoc, `<<EOF`, for several lines)");
        }
    }
    if let Some(d) = string_closed_early(file, text, pos) {
        return d;
    }
    if expected.contains(&"`{`") {
        if let Some(d) = missing_equals(file, text, pos) {
            return d;
        }
    }
    if found.is_none() {
        if let Some((open, c)) = unclosed_opener(text) {
            let closer = match c {
                '{' => '}',
                '[' => ']',
                _ => '"',
            };
            return Diagnostic::error(
                Code::E0101,
                Span::new(file, open, open + 1),
                format!("`{c}` is never closed"),
            )
            .label("opened here")
            .with_secondary(Span::new(file, pos, end), "the file ends here")
            .help(format!("add the matching `{closer}`"));
        }
    }
    let help = if found == Some('"') && text[..pos].trim_end().ends_with('=') {
        "a string cannot span lines; close it with `\"` or use a heredoc (`<<EOF`)".to_string()
    } else if found.is_none() {
        "a block or string was left open; check that every `{`, `[` and `\"` is closed".to_string()
    } else {
        "blocks look like `kind \"label\" { … }`, attributes like `name = value`".to_string()
    };
    Diagnostic::error(Code::E0101, Span::new(file, pos, end), message)
        .label("unexpected here")
        .help(help)
}

/// The nested blocks of the language (the block kinds `sema` reads with
/// `blocks_of`): `port "http"` followed by a line break lacks a `{`, not a
/// `=`. The syntax layer cannot ask the schema, so the list lives here.
const NESTED_BLOCKS: &[&str] = &[
    "block",
    "health",
    "log",
    "port",
    "record",
    "resources",
    "rule",
    "stage",
    "task",
    "volume",
];

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// `image "nginx:1"` or `name value` where `name = value` was meant: pest
/// reads a name and a string as a block head and reports the next line
/// ("expected `{`"); the `=` is missing right after the name.
fn missing_equals(file: FileId, text: &str, pos: usize) -> Option<Diagnostic> {
    let before = &text[..pos];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let same_line = before[line_start..].trim();
    // `name value`, `count 3`, `args [..]`, `image: "x"`: the name alone
    // before the error on its line.
    let (name_at, name) = if !same_line.is_empty()
        && same_line.bytes().all(is_name_char)
        && same_line.as_bytes()[0].is_ascii_alphabetic()
    {
        (
            line_start + before[line_start..].find(same_line)?,
            same_line,
        )
    } else {
        // `image "nginx:1"` then a line break: the statement before the
        // error, one name and one string on a line of their own.
        let prev_end = before.trim_end().len();
        let prev_start = before[..prev_end].rfind('\n').map_or(0, |n| n + 1);
        let prev = before[prev_start..prev_end].trim_start();
        let name_len = prev.bytes().take_while(|c| is_name_char(*c)).count();
        let (name, rest) = prev.split_at(name_len);
        let rest = rest.trim_start();
        let one_string = rest.len() >= 2
            && rest.starts_with('"')
            && rest.ends_with('"')
            && !rest[1..rest.len() - 1].contains('"');
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() || !one_string {
            return None;
        }
        let inside_block = scan_nesting(before, true, |_| ControlFlow::Continue(()))
            .iter()
            .any(|(_, o)| *o == b'{');
        let label = &rest[1..rest.len() - 1];
        let label_is_name = label.bytes().all(is_name_char) && !label.is_empty();
        // A block head missing its `{` (`port "http"`, `app "web"`) is
        // left to the generic message.
        if !inside_block || (NESTED_BLOCKS.contains(&name) && label_is_name) {
            return None;
        }
        (prev_end - prev.len(), name)
    };
    let after = name_at + name.len();
    let value = text[after..].trim_start_matches([' ', '\t']);
    let value = value
        .strip_prefix(':')
        .unwrap_or(value)
        .trim_start_matches([' ', '\t']);
    let shown: String = value
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(40)
        .collect();
    let shown = shown.trim_end();
    let example = if shown.is_empty() {
        format!("{name} = …")
    } else {
        format!("{name} = {shown}")
    };
    Some(
        Diagnostic::error(
            Code::E0101,
            Span::new(
                file,
                after,
                after + text[after..].chars().next().map_or(0, char::len_utf8),
            ),
            format!("expected `=` after attribute name `{name}`"),
        )
        .label("`=` missing here")
        .help(format!("attributes are `name = value`: `{example}`")),
    )
}

/// A quote that ends a string and is glued to the next word
/// (`"0.0.0.0:80, "--verbose"`, `"sh -c "echo hi"`): a string was left
/// open, or a quote inside it was not escaped, and pest reports whatever
/// comes after as code. Reported at the opening quote of that string.
fn string_closed_early(file: FileId, text: &str, pos: usize) -> Option<Diagnostic> {
    let line_start = text[..pos].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
    let bytes = text.as_bytes();
    let mut i = line_start;
    let mut open: Option<usize> = None;
    while i < line_end {
        match (open, bytes[i]) {
            (Some(_), b'\\') => i += 1,
            (Some(o), b'"') => {
                let glued = bytes.get(i + 1).is_some_and(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, b'_' | b'-' | b'.' | b'/' | b'@' | b'$')
                });
                if glued && i < pos {
                    return Some(
                        Diagnostic::error(
                            Code::E0101,
                            Span::new(file, o, o + 1),
                            "this string is never closed",
                        )
                        .label("opened here")
                        .with_secondary(
                            Span::new(file, i, i + 1),
                            "this quote ends it, and what follows is read as code",
                        )
                        .help("add the missing `\"` where the string should end, or write a quote inside it as `\\\"`"),
                    );
                }
                open = None;
            }
            (None, b'"') => open = Some(i),
            (None, b'#') => break,
            (None, b'/') if bytes.get(i + 1) == Some(&b'/') => break,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The innermost `{`, `[` or `"` still open at the end of the file, with
/// its byte offset; strings, `${}` and comments are followed as in
/// [`precheck`], heredoc bodies skipped (an unclosed heredoc has its own
/// message, [`unclosed_heredoc`]).
fn unclosed_opener(text: &str) -> Option<(usize, char)> {
    // A string stays open to the end of the file here: the quote that
    // started it is what the user must close.
    let stack = scan_nesting(text, false, |_| ControlFlow::Continue(()));
    stack
        .into_iter()
        .rev()
        .find(|(_, o)| *o != b'$' && *o != b'<')
        .map(|(at, o)| (at, o as char))
}

/// A heredoc that no line closes, as E0101 at its opener (`<<-EOT`): pest
/// reports such a file at the `<` it could not match, which says nothing
/// about the missing `EOT` line.
fn unclosed_heredoc(file: FileId, text: &str, pos: usize) -> Option<Diagnostic> {
    let open = scan_nesting(text, true, |_| ControlFlow::Continue(()));
    let &(at, b'<') = open.last()? else {
        return None;
    };
    // An earlier mistake is the first to fix.
    if at > pos {
        return None;
    }
    let head = text[at..].lines().next().unwrap_or("<<").trim_end();
    let tag = head.trim_start_matches('<').trim_start_matches('-');
    Some(
        Diagnostic::error(
            Code::E0101,
            Span::new(file, at, at + head.len()),
            format!("this heredoc is never closed: no line ends it with `{tag}`"),
        )
        .label("opened here")
        .with_secondary(
            Span::new(file, text.len(), text.len()),
            "the file ends here",
        )
        .help(format!(
            "end the text with a line that holds only `{tag}` (indented or not)"
        )),
    )
}

/// Where a heredoc that opens at `at` (`<<TAG` or `<<-TAG` and a line
/// break) ends, as the grammar reads it: after the first later line that
/// holds only blanks and `TAG` not followed by a name character. `None` if
/// `at` opens no heredoc.
enum HeredocEnd {
    /// The offset just after the closing tag.
    Closed(usize),
    /// No line closes it: it runs to the end of the file.
    Open,
}

fn heredoc_end(text: &str, at: usize) -> Option<HeredocEnd> {
    let rest = text.get(at + 2..)?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let tag_len = rest
        .bytes()
        .enumerate()
        .take_while(|(k, c)| {
            c.is_ascii_alphabetic() || *c == b'_' || (*k > 0 && c.is_ascii_digit())
        })
        .count();
    if tag_len == 0 {
        return None;
    }
    let tag = &rest[..tag_len];
    let after_tag = &rest[tag_len..];
    let body = after_tag
        .strip_prefix("\r\n")
        .or_else(|| after_tag.strip_prefix('\n'))?;
    let mut line_start = text.len() - body.len();
    while line_start < text.len() {
        let line = &text[line_start..];
        let trimmed = line.trim_start_matches([' ', '\t']);
        if let Some(after) = trimmed.strip_prefix(tag) {
            if !after
                .bytes()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
            {
                return Some(HeredocEnd::Closed(text.len() - after.len()));
            }
        }
        match line.find('\n') {
            Some(n) => line_start += n + 1,
            None => break,
        }
    }
    Some(HeredocEnd::Open)
}

/// What [`scan_nesting`] reports as it goes.
enum Nesting {
    /// A `{`, `[` or `${` at `at` made `depth` of them open (strings do
    /// not count).
    Opened { at: usize, depth: usize },
    /// A `}` ending just before `after` closed the last open bracket.
    ClosedTopLevel { after: usize },
}

/// Follows what nesting depends on without parsing: `{`, `[` and `${` open
/// a level, `"` a string (whose `\\` escapes, `$${` and `${` are
/// followed), `#`, `//` and `/* */` comments are skipped, and so are
/// heredoc bodies (free text: a body of 70 `{` opens nothing). A heredoc
/// that never closes is left on the stack as `<` and ends the scan. Returns what is still open at the end, innermost
/// last, as (offset, opener) with `$` for `${` (empty if `report` broke
/// off). `newline_ends_string`: whether a line break closes a string, as
/// in the grammar.
fn scan_nesting(
    text: &str,
    newline_ends_string: bool,
    mut report: impl FnMut(Nesting) -> ControlFlow<()>,
) -> Vec<(usize, u8)> {
    let bytes = text.as_bytes();
    let mut stack: Vec<(usize, u8)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mut event = None;
        if stack.last().is_some_and(|(_, o)| *o == b'"') {
            match b {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'\n' if newline_ends_string => {
                    stack.pop();
                }
                b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    i += 1;
                    stack.push((i, b'$'));
                    depth += 1;
                    event = Some(Nesting::Opened { at: i, depth });
                }
                _ => {}
            }
        } else {
            match b {
                b'<' if bytes.get(i + 1) == Some(&b'<') => match heredoc_end(text, i) {
                    // The body is free text: its brackets open nothing.
                    Some(HeredocEnd::Closed(after)) => i = after - 1,
                    Some(HeredocEnd::Open) => {
                        stack.push((i, b'<'));
                        return stack;
                    }
                    None => {}
                },
                b'"' => stack.push((i, b)),
                b'{' | b'[' => {
                    stack.push((i, b));
                    depth += 1;
                    event = Some(Nesting::Opened { at: i, depth });
                }
                b'}' | b']' if stack.pop().is_some() => {
                    depth -= 1;
                    if b == b'}' && stack.is_empty() {
                        event = Some(Nesting::ClosedTopLevel { after: i + 1 });
                    }
                }
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = text[i..].find("*/").map_or(bytes.len(), |p| i + p + 1);
                }
                _ => {}
            }
        }
        if let Some(e) = event {
            if report(e).is_break() {
                return Vec::new();
            }
        }
        i += 1;
    }
    stack
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::MAX_NESTING;
    use crate::diagnostics::Code;
    use crate::source::SourceMap;

    /// A block holding lists nested so that `levels` brackets are open.
    fn nested(levels: usize) -> String {
        let lists = levels - 1;
        format!(
            "variable \"x\" {{\n  default = {}\"s\"{}\n}}\n",
            "[".repeat(lists),
            "]".repeat(lists)
        )
    }

    fn codes(src: &str) -> Vec<Code> {
        let mut sources = SourceMap::new();
        let id = sources.add("t.hcl".to_string(), src);
        match crate::syntax::parse(id, src) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(|d| d.code).collect(),
        }
    }

    #[test]
    fn nesting_limit_is_exact() {
        assert_eq!(codes(&nested(MAX_NESTING)), Vec::<Code>::new());
        assert_eq!(codes(&nested(MAX_NESTING + 1)), vec![Code::E0105]);
        // Brackets inside a string are text, not levels.
        let in_string = nested(MAX_NESTING).replace("\"s\"", "\"[[{{\"");
        assert!(!codes(&in_string).contains(&Code::E0105));
    }
}
