//! A Caddyfile tokenizer and parser, following Caddy's own
//! (caddyconfig/caddyfile/lexer.go, parse.go): whitespace-separated tokens,
//! `"…"` and `` `…` `` quoting, `#` comments at the start of a token, `\`
//! line continuation, `<<MARKER` heredocs; a directive is the tokens of one
//! line, a `{` at the end of the line opens its block. Every token keeps
//! its byte span, so diagnostics point at the source.

/// Blocks nested deeper than this are refused (no input overflows the
/// stack of the recursive parser).
const MAX_DEPTH: usize = 48;

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Logical line: a `\` continuation keeps the line of what it continues.
    pub line: usize,
    pub quoted: bool,
}

impl Token {
    /// An unquoted `{` or `}`.
    fn is(&self, s: &str) -> bool {
        !self.quoted && self.text == s
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    pub name: Token,
    pub args: Vec<Token>,
    pub block: Option<Vec<Directive>>,
    /// From the name to the end of the line or the closing brace.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServerBlock {
    pub keys: Vec<Token>,
    pub body: Vec<Directive>,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Caddyfile {
    /// The global options block (the first block, without keys).
    pub global: Option<ServerBlock>,
    /// `(name) { … }` blocks, in order.
    pub snippets: Vec<ServerBlock>,
    pub sites: Vec<ServerBlock>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

fn err<T>(start: usize, end: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        start,
        end,
        message: message.into(),
    })
}

/// Splits a Caddyfile into tokens.
pub fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let at = |i: usize| bytes.get(i).map_or(text.len(), |b| b.0);
    while i < bytes.len() {
        let (pos, c) = bytes[i];
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' {
            i += 1;
            continue;
        }
        if c == '#' {
            while i < bytes.len() && bytes[i].1 != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '"' || c == '`' {
            let tok_line = line;
            let mut val = String::new();
            i += 1;
            let mut closed = false;
            while i < bytes.len() {
                let ch = bytes[i].1;
                if c == '"' && ch == '\\' && i + 1 < bytes.len() {
                    let next = bytes[i + 1].1;
                    // Only quotes and newlines are escaped; other
                    // backslashes stay (regexps keep theirs).
                    if next == '"' || next == '\n' {
                        if next == '\n' {
                            line += 1;
                        }
                        val.push(next);
                        i += 2;
                        continue;
                    }
                    val.push('\\');
                    i += 1;
                    continue;
                }
                if ch == c {
                    closed = true;
                    i += 1;
                    break;
                }
                if ch == '\n' {
                    line += 1;
                }
                if ch != '\r' || c == '`' {
                    val.push(ch);
                }
                i += 1;
            }
            if !closed {
                return err(pos, text.len(), "unterminated quoted token");
            }
            out.push(Token {
                text: val,
                start: pos,
                end: at(i),
                line: tok_line,
                quoted: true,
            });
            continue;
        }
        if c == '<' && text[pos..].starts_with("<<") {
            if let Some((tok, next, lines)) = heredoc(text, pos, line)? {
                out.push(tok);
                line += lines;
                while i < bytes.len() && bytes[i].0 < next {
                    i += 1;
                }
                continue;
            }
        }
        // A bare word, up to whitespace; `\` + newline continues the line.
        let tok_line = line;
        let mut val = String::new();
        while i < bytes.len() {
            let ch = bytes[i].1;
            if ch == '\\' && i + 1 < bytes.len() && bytes[i + 1].1 == '\n' {
                i += 2;
                break;
            }
            if ch.is_whitespace() {
                break;
            }
            val.push(ch);
            i += 1;
        }
        if !val.is_empty() {
            out.push(Token {
                text: val,
                start: pos,
                end: pos + out_len(text, pos),
                line: tok_line,
                quoted: false,
            });
        }
    }
    Ok(out)
}

/// Byte length of the bare word at `pos`.
fn out_len(text: &str, pos: usize) -> usize {
    text[pos..]
        .find(|c: char| c.is_whitespace())
        .unwrap_or(text.len() - pos)
}

/// `<<MARKER` … `MARKER`: the body with the closing line's indentation
/// removed. Returns the token, the offset after the marker, and how many
/// lines it spans. Not a heredoc (`<<` followed by something else): None.
fn heredoc(
    text: &str,
    pos: usize,
    line: usize,
) -> Result<Option<(Token, usize, usize)>, ParseError> {
    let rest = &text[pos + 2..];
    let marker: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let after = pos + 2 + marker.len();
    if marker.is_empty() || !text[after..].starts_with('\n') && !text[after..].starts_with("\r\n") {
        return Ok(None);
    }
    let body_start = after + text[after..].find('\n').map_or(0, |n| n + 1);
    let mut lines = Vec::new();
    let mut off = body_start;
    for l in text[body_start..].split_inclusive('\n') {
        let trimmed = l.trim();
        let closes = trimmed
            .strip_prefix(marker.as_str())
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']));
        if closes {
            let indent: String = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let body: Vec<&str> = lines
                .iter()
                .map(|x: &&str| {
                    let x = x.trim_end_matches(['\n', '\r']);
                    x.strip_prefix(indent.as_str()).unwrap_or(x)
                })
                .collect();
            // Parsing goes on right after the marker (`EOF 200`).
            let end = off + indent.len() + marker.len();
            let tok = Token {
                text: body.join("\n"),
                start: pos,
                end,
                line,
                quoted: true,
            };
            // Tokens after the closing marker continue the directive's
            // logical line (as Caddy reads `EOF 200`).
            return Ok(Some((tok, end, 0)));
        }
        lines.push(l);
        off += l.len();
    }
    err(
        pos,
        after,
        format!("heredoc `<<{marker}` has no closing `{marker}`"),
    )
}

/// Parses a Caddyfile into its global options, snippets and sites.
pub fn parse(text: &str) -> Result<Caddyfile, ParseError> {
    let tokens = tokenize(text)?;
    let mut file = Caddyfile::default();
    let mut i = 0;
    let mut first = true;
    while i < tokens.len() {
        let start = tokens[i].start;
        let mut keys: Vec<Token> = Vec::new();
        let mut braceless = false;
        loop {
            let Some(t) = tokens.get(i) else {
                let last = keys.last().map_or(start, |k| k.end);
                return err(start, last, "a site address without a `{` block");
            };
            if t.is("{") {
                i += 1;
                if let Some(n) = tokens.get(i) {
                    if n.line == t.line && !n.is("}") {
                        return err(
                            n.start,
                            n.end,
                            "unexpected token after `{` on the same line",
                        );
                    }
                }
                break;
            }
            if t.is("}") {
                return err(t.start, t.end, "unexpected `}`");
            }
            keys.push(t.clone());
            i += 1;
            match tokens.get(i) {
                Some(n) if n.line != t.line && !n.is("{") && !t.text.ends_with(',') => {
                    // `localhost` then directives: a single site without braces.
                    if first && file.sites.is_empty() {
                        braceless = true;
                        break;
                    }
                    return err(
                        keys[0].start,
                        t.end,
                        "a site address must be followed by `{` on the same line",
                    );
                }
                _ => {}
            }
        }
        let (body, end) = if braceless {
            let body = parse_body(&tokens, &mut i, 0, true)?;
            (body, text.len())
        } else {
            let body = parse_body(&tokens, &mut i, 0, false)?;
            (
                body,
                tokens
                    .get(i.saturating_sub(1))
                    .map_or(text.len(), |t| t.end),
            )
        };
        let block = ServerBlock {
            keys: split_keys(keys),
            body,
            start,
            end,
        };
        if block.keys.is_empty() {
            if !first {
                return err(start, start + 1, "a block without a site address (only the first block may be the global options)");
            }
            file.global = Some(block);
        } else if block.keys.len() == 1
            && block.keys[0].text.starts_with('(')
            && block.keys[0].text.ends_with(')')
        {
            file.snippets.push(block);
        } else {
            file.sites.push(block);
        }
        first = false;
    }
    Ok(file)
}

/// `a.com, b.com` and `a.com,b.com`: one key per address.
fn split_keys(keys: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::new();
    for k in keys {
        let mut off = k.start;
        for part in k.text.split(',') {
            if !part.is_empty() {
                out.push(Token {
                    text: part.to_string(),
                    start: off,
                    end: off + part.len(),
                    line: k.line,
                    quoted: k.quoted,
                });
            }
            off += part.len() + 1;
        }
    }
    out
}

/// Directives up to the closing `}` (consumed), or to the end of the
/// tokens when `to_end`.
fn parse_body(
    tokens: &[Token],
    i: &mut usize,
    depth: usize,
    to_end: bool,
) -> Result<Vec<Directive>, ParseError> {
    if depth > MAX_DEPTH {
        let t = &tokens[(*i).min(tokens.len() - 1)];
        return err(t.start, t.end, "blocks nested too deeply");
    }
    let mut out = Vec::new();
    while let Some(t) = tokens.get(*i) {
        if t.is("}") {
            if to_end {
                return err(t.start, t.end, "unexpected `}`");
            }
            *i += 1;
            return Ok(out);
        }
        if t.is("{") {
            return err(t.start, t.end, "a block without a directive");
        }
        let name = t.clone();
        *i += 1;
        let mut args = Vec::new();
        let mut block = None;
        let mut end = name.end;
        while let Some(a) = tokens.get(*i) {
            if a.line != name.line {
                break;
            }
            if a.is("}") {
                break;
            }
            *i += 1;
            if a.is("{") {
                if let Some(n) = tokens.get(*i) {
                    if n.line == a.line && !n.is("}") {
                        return err(
                            n.start,
                            n.end,
                            "unexpected token after `{` on the same line",
                        );
                    }
                }
                let inner = parse_body(tokens, i, depth + 1, false)?;
                end = tokens.get(i.saturating_sub(1)).map_or(a.end, |t| t.end);
                block = Some(inner);
                break;
            }
            end = a.end;
            args.push(a.clone());
        }
        if block.is_none()
            && *i >= tokens.len()
            && !to_end
            && tokens.last().is_some_and(|l| !l.is("}"))
        {
            // Falls through to the end-of-input check below.
        }
        out.push(Directive {
            start: name.start,
            name,
            args,
            block,
            end,
        });
    }
    if to_end {
        Ok(out)
    } else {
        let last = tokens.last().map_or(0, |t| t.end);
        err(last, last, "unclosed `{`: a `}` is missing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_quotes_comments_and_continuations() {
        let t = tokenize("a \"b c\" # x\nd\\\n e `f\"g` \"h\\\"i\" j#k").unwrap();
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["a", "b c", "d", "e", "f\"g", "h\"i", "j#k"]);
        assert_eq!(t[3].line, 2, "continued line");
    }

    #[test]
    fn sites_snippets_and_global_options() {
        let f = parse("{\n admin off\n}\n(s) {\n respond 404\n}\na.com, b.com {\n import s\n handle /x/* {\n  respond 200\n }\n}\n").unwrap();
        assert!(f.global.is_some());
        assert_eq!(f.snippets.len(), 1);
        assert_eq!(f.sites[0].keys.len(), 2);
        assert_eq!(
            f.sites[0].body[1].block.as_ref().unwrap()[0].name.text,
            "respond"
        );
    }

    #[test]
    fn heredoc_body() {
        let f = parse("a.com {\n respond <<EOF\n  hi\n  there\n  EOF 200\n}\n").unwrap();
        let d = &f.sites[0].body[0];
        assert_eq!(d.args[0].text, "hi\nthere");
        assert_eq!(
            d.args[1].text, "200",
            "the status after the marker is an argument"
        );
    }

    #[test]
    fn errors_not_panics() {
        for bad in [
            "a.com {",
            "}",
            "a.com {\n x {\n",
            "\"open",
            "a.com { x }",
            "{\n}\n{\n}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "a {\n".repeat(200);
        assert!(parse(&deep).is_err());
    }
}
