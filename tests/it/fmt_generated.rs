//! The formatter over generated specs (proptest): random trees of blocks,
//! attributes, lists, objects, strings, heredocs and comments, each written
//! out with random whitespace.
//!
//! - Whatever the whitespace, the output is the same: a spec written twice
//!   with the same line breaks but different spaces, tabs, indentation and
//!   runs of blank lines formats to identical text.
//! - The output is idempotent, differs from the input only in whitespace,
//!   and parses to the same syntax tree.
//! - On the HCL-compatible subset (no unit literals, no `:` entries, commas
//!   in lists, at most one blank line and none at the ends of a body), the
//!   output is exactly what hclwrite (`terraform fmt`) produces.

use crate::support::fmt;
use crate::support::tools;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

#[derive(Clone, Debug)]
enum Val {
    /// Numbers, units, keywords, references and quoted strings.
    Atom(String),
    Heredoc {
        strip: bool,
        lines: Vec<String>,
        close_indent: usize,
    },
    /// Items, multi-line, separated by commas.
    List(Vec<Val>, bool, bool),
    /// Entries (key, written with `:`, value), multi-line.
    Object(Vec<(String, bool, Val)>, bool),
}

#[derive(Clone, Debug)]
enum Item {
    Attr(String, Val, Option<String>),
    Block {
        kind: String,
        labels: Vec<String>,
        body: Vec<Item>,
        one_line: bool,
        comment: Option<String>,
    },
    /// A comment on its own line.
    Comment(String),
    Blank,
}

/// Generation switches: `hcl` restricts to what HCL lexes the same way.
#[derive(Clone, Copy)]
struct Mode {
    hcl: bool,
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,7}".prop_filter("not a keyword", |s| {
        !matches!(
            s.as_str(),
            "true"
                | "false"
                | "null"
                | "import"
                | "in"
                | "for"
                | "if"
                | "else"
                | "endif"
                | "endfor"
        )
    })
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ./:_-]{0,12}",
        Just("tab\\there \\\"q\\\" \\\\ \\u00e9".to_string()),
        Just("héllo   wörld".to_string()),
        Just("$${literal}".to_string()),
        Just("x-${var.v}-y".to_string()),
        Just("${a.b}${c}".to_string()),
    ]
    .prop_map(|s| format!("\"{s}\""))
}

fn atom(mode: Mode) -> BoxedStrategy<String> {
    let hecate_only = prop_oneof![
        Just("30s".to_string()),
        Just("5%".to_string()),
        Just("256MiB".to_string()),
        Just("-3".to_string()),
        Just("\"spaced ${ var.v } interp\"".to_string()),
    ];
    let common = prop_oneof![
        "[0-9]{1,4}",
        Just("1.5".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        (name(), name()).prop_map(|(a, b)| format!("{a}.{b}")),
        string(),
    ];
    if mode.hcl {
        common.boxed()
    } else {
        prop_oneof![3 => common, 1 => hecate_only].boxed()
    }
}

fn heredoc() -> impl Strategy<Value = Val> {
    (
        any::<bool>(),
        prop::collection::vec("( {0,4}[a-z#{}=\\[\\]]{1,8}( [a-z]{1,5})?)?", 0..4),
        0usize..5,
    )
        .prop_map(|(strip, lines, close_indent)| Val::Heredoc {
            strip,
            lines,
            close_indent,
        })
}

fn value(mode: Mode) -> BoxedStrategy<Val> {
    let leaf = atom(mode).prop_map(Val::Atom);
    leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            (
                prop::collection::vec(inner.clone(), 0..4),
                any::<bool>(),
                colons_or_commas(mode)
            )
                .prop_map(|(v, multi, commas)| Val::List(v, multi, commas)),
            (
                prop::collection::vec((object_key(), colons_or_commas(mode), inner), 0..4),
                any::<bool>()
            )
                .prop_map(|(v, multi)| Val::Object(v, multi)),
        ]
    })
    .boxed()
}

/// Commas between list items (or `:` in object entries): HCL needs the
/// commas and has no `:` entries; hecate makes both optional.
fn colons_or_commas(mode: Mode) -> BoxedStrategy<bool> {
    if mode.hcl {
        Just(true).boxed()
    } else {
        any::<bool>().boxed()
    }
}

fn object_key() -> impl Strategy<Value = String> {
    prop_oneof![name(), plain_string()]
}

/// Labels and quoted keys: no interpolation (E0104).
fn plain_string() -> impl Strategy<Value = String> {
    "\"[A-Za-z0-9 .-]{0,10}\""
}

fn comment() -> impl Strategy<Value = String> {
    prop_oneof![
        "# [a-z {}=\\[\\],\"]{0,12}[a-z]",
        "// [a-z {}=]{0,12}[a-z]",
        "/\\* [a-z {}]{0,8} \\*/",
    ]
}

fn attr_value(mode: Mode) -> BoxedStrategy<Val> {
    prop_oneof![6 => value(mode), 1 => heredoc()].boxed()
}

fn items(mode: Mode) -> BoxedStrategy<Vec<Item>> {
    let attr = (
        name(),
        attr_value(mode),
        prop::option::weighted(0.3, comment()),
    )
        .prop_map(|(n, v, c)| Item::Attr(n, v, c));
    let leafs = prop_oneof![
        6 => attr,
        1 => comment().prop_map(Item::Comment),
        1 => Just(Item::Blank),
    ];
    prop::collection::vec(leafs, 0..5)
        .prop_recursive(3, 24, 5, move |inner| {
            let block = (
                name(),
                prop::collection::vec(plain_string(), 0..3),
                inner.clone(),
                any::<bool>(),
                prop::option::weighted(0.3, comment()),
            )
                .prop_map(|(kind, labels, body, one_line, comment)| Item::Block {
                    kind,
                    labels,
                    body,
                    one_line,
                    comment,
                });
            (inner, prop::collection::vec(block, 0..3)).prop_map(|(mut items, blocks)| {
                // Interleave blocks after attributes, deterministically.
                for (i, b) in blocks.into_iter().enumerate() {
                    let at = (i * 2 + 1).min(items.len());
                    items.insert(at, b);
                }
                items
            })
        })
        .boxed()
}

/// Whitespace choices, from a seed: the same seed gives the same text.
struct Ws {
    state: u64,
    /// Choose only what both formatters agree on (HCL mode).
    hcl: bool,
}

impl Ws {
    fn next(&mut self) -> u64 {
        self.state = self
            .state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.state >> 33
    }
    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[(self.next() as usize) % options.len()]
    }
    /// Between two tokens where no space is needed (next to punctuation).
    fn optional(&mut self) -> &'static str {
        self.pick(&["", "", " ", "  ", "\t"])
    }
    /// Between two words.
    fn required(&mut self) -> &'static str {
        self.pick(&[" ", " ", "  ", "\t", " \t "])
    }
    fn newline(&mut self, out: &mut String) {
        let trailing = if self.hcl {
            ""
        } else {
            self.pick(&["", "", " ", "\t"])
        };
        out.push_str(trailing);
        out.push('\n');
        let indent = self.pick(&["", "  ", "    ", "\t", "   ", "      "]);
        out.push_str(indent);
    }
    fn blank(&mut self, out: &mut String) {
        let extra = if self.hcl { 1 } else { 1 + self.next() % 3 };
        for _ in 0..extra {
            self.newline(out);
        }
    }
}

struct Writer {
    ws: Ws,
    out: String,
}

impl Writer {
    fn val(&mut self, v: &Val) {
        match v {
            Val::Atom(a) => self.out.push_str(a),
            Val::Heredoc {
                strip,
                lines,
                close_indent,
            } => {
                self.out
                    .push_str(if *strip { "<<-EOT\n" } else { "<<EOT\n" });
                for l in lines {
                    self.out.push_str(l);
                    self.out.push('\n');
                }
                self.out.push_str(&" ".repeat(*close_indent));
                self.out.push_str("EOT");
                // A heredoc's closing line ends there, so the next thing
                // starts on a fresh line (also what HCL requires).
                self.ws.newline(&mut self.out);
            }
            Val::List(items, multi, commas) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if *multi {
                        self.ws.newline(&mut self.out);
                    } else if i > 0 {
                        let sep = if *commas { "," } else { "" };
                        self.out.push_str(sep);
                        let s = if sep.is_empty() {
                            self.ws.required()
                        } else {
                            self.ws.optional()
                        };
                        self.out.push_str(s);
                    } else {
                        let s = self.ws.optional();
                        self.out.push_str(s);
                    }
                    self.val(item);
                    if *multi {
                        self.out.push(',');
                    }
                }
                if *multi && !items.is_empty() {
                    self.ws.newline(&mut self.out);
                } else {
                    let s = self.ws.optional();
                    self.out.push_str(s);
                }
                self.out.push(']');
            }
            Val::Object(entries, multi) => {
                self.out.push('{');
                for (i, (k, colon, v)) in entries.iter().enumerate() {
                    if *multi {
                        self.ws.newline(&mut self.out);
                    } else {
                        if i > 0 {
                            self.out.push(',');
                        }
                        let s = self.ws.optional();
                        self.out.push_str(s);
                    }
                    self.out.push_str(k);
                    let s = self.ws.optional();
                    self.out.push_str(s);
                    let op = if *colon && !self.ws.hcl { ":" } else { "=" };
                    self.out.push_str(op);
                    let s = self.ws.optional();
                    self.out.push_str(s);
                    self.val(v);
                }
                if *multi && !entries.is_empty() {
                    self.ws.newline(&mut self.out);
                } else {
                    let s = self.ws.optional();
                    self.out.push_str(s);
                }
                self.out.push('}');
            }
        }
    }

    /// Ends the current line, with its trailing comment if any. A value
    /// that ended in a heredoc has already ended its line.
    fn end_line(&mut self, comment: &Option<String>, ended: bool) {
        if let Some(c) = comment.as_ref().filter(|_| !ended) {
            let s = self.ws.required();
            self.out.push_str(s);
            self.out.push_str(c);
        }
        if !ended {
            self.ws.newline(&mut self.out);
        }
    }

    fn items(&mut self, items: &[Item]) {
        let hcl = self.ws.hcl;
        for (i, item) in items.iter().enumerate() {
            match item {
                Item::Blank => {
                    // hclwrite keeps blank lines that this formatter drops.
                    let blank = |it: &Item| matches!(it, Item::Blank);
                    let droppable = items[..i].iter().all(blank)
                        || items[i + 1..].iter().all(blank)
                        || blank(&items[i - 1]);
                    if !(hcl && droppable) {
                        self.ws.blank(&mut self.out);
                    }
                }
                Item::Comment(c) => {
                    self.out.push_str(c);
                    self.ws.newline(&mut self.out);
                }
                Item::Attr(n, v, c) => {
                    self.out.push_str(n);
                    let s = self.ws.optional();
                    self.out.push_str(s);
                    self.out.push('=');
                    let s = self.ws.optional();
                    self.out.push_str(s);
                    self.val(v);
                    self.end_line(c, ends_with_heredoc(v));
                }
                Item::Block {
                    kind,
                    labels,
                    body,
                    one_line,
                    comment,
                } => {
                    self.out.push_str(kind);
                    for l in labels {
                        let s = self.ws.required();
                        self.out.push_str(s);
                        self.out.push_str(l);
                    }
                    let s = self.ws.optional();
                    self.out.push_str(s);
                    self.out.push('{');
                    let flat = *one_line && body.iter().all(flat_item);
                    if flat {
                        let attrs: Vec<_> = body
                            .iter()
                            .filter_map(|b| match b {
                                Item::Attr(n, v, _) => Some((n, v)),
                                _ => None,
                            })
                            .collect();
                        for (j, (n, v)) in attrs.iter().enumerate() {
                            if j > 0 {
                                self.out.push(',');
                            }
                            let s = self.ws.optional();
                            self.out.push_str(s);
                            self.out.push_str(n);
                            let s = self.ws.optional();
                            self.out.push_str(s);
                            self.out.push('=');
                            let s = self.ws.optional();
                            self.out.push_str(s);
                            self.val(v);
                        }
                        let s = self.ws.optional();
                        self.out.push_str(s);
                        self.out.push('}');
                        self.end_line(comment, false);
                    } else {
                        if let Some(c) = comment {
                            let s = self.ws.required();
                            self.out.push_str(s);
                            self.out.push_str(c);
                        }
                        self.ws.newline(&mut self.out);
                        self.items(body);
                        self.out.push('}');
                        self.ws.newline(&mut self.out);
                    }
                }
            }
        }
    }
}

fn ends_with_heredoc(v: &Val) -> bool {
    matches!(v, Val::Heredoc { .. })
}

/// Items a one-line block can hold: attributes whose value stays on one line.
fn flat_item(item: &Item) -> bool {
    fn flat(v: &Val) -> bool {
        match v {
            Val::Atom(_) => true,
            Val::Heredoc { .. } => false,
            Val::List(items, multi, _) => !multi && items.iter().all(flat),
            Val::Object(entries, multi) => !multi && entries.iter().all(|(_, _, v)| flat(v)),
        }
    }
    match item {
        Item::Attr(_, v, _) => flat(v),
        Item::Blank => true,
        _ => false,
    }
}

fn write(items: &[Item], seed: u64, hcl: bool) -> String {
    let mut w = Writer {
        ws: Ws { state: seed, hcl },
        out: String::new(),
    };
    w.items(items);
    w.out
}

/// What hclwrite lays out differently on purpose: a heredoc anywhere but
/// as an attribute's value (HCL's lexer splits those lines differently), and
/// a multi-line list or object inside a one-line one (`[{` … `}, {`, where
/// hclwrite indents by its bracket count and this formatter by the line).
fn hcl_compatible(items: &[Item]) -> bool {
    fn flat(v: &Val) -> bool {
        match v {
            Val::Atom(_) => true,
            Val::Heredoc { .. } => false,
            Val::List(items, multi, _) => !multi && items.iter().all(flat),
            Val::Object(entries, multi) => !multi && entries.iter().all(|(_, _, v)| flat(v)),
        }
    }
    fn val(v: &Val, top: bool) -> bool {
        match v {
            Val::Atom(_) => true,
            Val::Heredoc { .. } => top,
            Val::List(items, true, _) => items.iter().all(|v| val(v, false)),
            Val::Object(entries, true) => entries.iter().all(|(_, _, v)| val(v, false)),
            flat_container => flat(flat_container),
        }
    }
    items.iter().all(|item| match item {
        Item::Attr(_, v, _) => val(v, true),
        Item::Block { body, .. } => hcl_compatible(body),
        _ => true,
    })
}

proptest! {
    #![proptest_config(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn layout_is_canonical_idempotent_and_meaning_preserving(
        tree in items(Mode { hcl: false }),
        seed_a in any::<u64>(),
        seed_b in any::<u64>(),
    ) {
        let a = write(&tree, seed_a, false);
        let b = write(&tree, seed_b, false);
        let fa = fmt::format(&a);
        prop_assert!(fa.is_ok(), "does not parse:\n{a}\n{:?}", fa.err());
        let fa = fa.unwrap_or_default();
        let problems = fmt::problems(&a, &fa);
        prop_assert!(problems.is_empty(), "{problems:?}\n--- input\n{a}\n--- output\n{fa}");
        let fb = fmt::format(&b).unwrap_or_default();
        prop_assert_eq!(&fa, &fb, "same tokens and line breaks, different output\n--- a\n{}\n--- b\n{}", a, b);
        prop_assert!(!fa.lines().any(|l| l.ends_with(' ') || l.ends_with('\t')),
            "trailing whitespace in\n{fa}");
    }
}

/// hclwrite takes seconds to start, so the generated specs go through it
/// as one file: each is a top-level block, and no alignment run or
/// indentation crosses a top-level `}` line, so they cannot affect each other.
#[test]
fn hcl_subset_is_formatted_exactly_as_hclwrite_does() {
    let Some(hclfmt) = tools::tool("hclfmt") else {
        return;
    };
    let mut runner = TestRunner::deterministic();
    let strategy = (items(Mode { hcl: true }), any::<u64>());
    let mut doc = String::new();
    let mut cases = 0;
    while cases < 300 {
        let (tree, seed) = strategy
            .new_tree(&mut runner)
            .expect("generate a case")
            .current();
        if !hcl_compatible(&tree) {
            continue;
        }
        doc.push_str(&format!("case{cases} {{\n"));
        doc.push_str(&write(&tree, seed, true));
        doc.push_str("}\n");
        cases += 1;
    }
    let ours = fmt::format(&doc).unwrap_or_else(|d| panic!("generated HCL does not parse: {d:?}"));
    let dir = tools::TempDir::new("fmt-hcl");
    let file = dir.write("cases.hcl", &doc);
    let theirs = tools::hclfmt(&hclfmt, &file);
    if ours != theirs {
        let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        let from = at.saturating_sub(8);
        panic!(
            "eosc fmt and hclwrite differ at line {}:\n--- eosc\n{}\n--- hclwrite\n{}",
            at + 1,
            a[from..(at + 4).min(a.len())].join("\n"),
            b[from..(at + 4).min(b.len())].join("\n"),
        );
    }
    assert!(
        ours.lines().count() > 1000,
        "the generated document is too small"
    );
}
