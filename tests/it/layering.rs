//! The layering of `src/`, checked on the source text: every `crate::…`
//! and `super::…` path of every module is resolved to the module it names
//! and checked against the table below. A lower layer that imports a higher
//! one, an emit target that imports another target, or a cycle between
//! modules of `sema` fails this test (try it: add `use crate::emit::Artifact;`
//! to `src/sema/model.rs`).
//!
//! Unit tests (`#[cfg(test)] mod tests` at the end of a file) may use the
//! whole crate and are not checked. Also here: docs/architecture.md names
//! every source file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Layers from the bottom: a module may use its own layer and those below.
/// The longest matching prefix decides; `""` is the crate root (`lib.rs`).
const LAYERS: &[(&str, u8, &str)] = &[
    ("source", 0, "core"),
    ("diagnostics", 0, "core"),
    ("digest", 0, "core"),
    ("stdlib", 0, "core"),
    ("syntax", 1, "syntax"),
    ("sema", 2, "sema"),
    ("plan", 3, "plan"),
    ("emit", 4, "emit"),
    ("changes", 5, "lib"),
    ("drift", 5, "lib"),
    ("edit", 5, "lib"),
    ("output_tree", 5, "lib"),
    ("", 5, "lib"),
];

/// Modules of `emit` every target may use; every other child of `emit` is
/// a target, which may use only these, `emit` itself and its own subtree.
const EMIT_SHARED: &[&str] = &["hcl_out", "names", "shell"];

/// One source file: its module path (`emit::salt::layout`) and its text.
struct Source {
    module: Vec<String>,
    text: String,
}

/// A dependency of `from` on `to`, both module paths joined with `::`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: String,
    to: String,
}

fn layer_of(module: &str) -> (u8, &'static str) {
    LAYERS
        .iter()
        .filter(|(prefix, _, _)| {
            prefix.is_empty() || module == *prefix || module.starts_with(&format!("{prefix}::"))
        })
        .max_by_key(|(prefix, _, _)| prefix.len())
        .map(|(_, l, name)| (*l, *name))
        .unwrap_or((5, "lib"))
}

/// The text without comments and without the trailing unit-test module.
fn code_of(text: &str) -> String {
    let cut = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i]);
    cut.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path that starts with `crate::`, `super::` or `self::`, with
/// `use` groups (`a::{b, c::d}`) expanded, as segments.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for root in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(root) {
            let start = from + i;
            from = start + root.len();
            // `crate::` must not be the end of a longer word (`eosc_crate::`).
            if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
                continue;
            }
            // `super::super::x` is found once, from its first `super`.
            if root == "super::" && start >= 7 && &code[start - 7..start] == "super::" {
                continue;
            }
            expand(&code[start..], &[], &mut out);
        }
    }
    out
}

/// Reads one path (and its group, if any) from the start of `s`.
fn expand(s: &str, prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let mut segs = prefix.to_vec();
    let mut i = 0;
    let b = s.as_bytes();
    loop {
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        if i > start {
            segs.push(s[start..i].to_string());
        }
        if s[i..].starts_with("::{") {
            i += 3;
            loop {
                while i < b.len() && (b[i] as char).is_whitespace() {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'}' {
                    return i + 1;
                }
                if b[i] == b',' {
                    i += 1;
                    continue;
                }
                let used = expand(&s[i..], &segs, out);
                if used == 0 {
                    return i;
                }
                i += used;
            }
        } else if s[i..].starts_with("::") {
            i += 2;
        } else {
            if segs.len() > prefix.len() {
                out.push(segs);
            }
            return i;
        }
    }
}

/// The module a path names, seen from `src`: `crate`/`super`/`self`
/// resolved (`super` is the parent module, whatever the file layout), then
/// cut to the longest known module.
fn resolve(src: &Source, path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    let mut abs: Vec<String> = Vec::new();
    let rest = match path.first().map(String::as_str) {
        Some("crate") => &path[1..],
        Some("self") => {
            abs = src.module.clone();
            &path[1..]
        }
        Some("super") => {
            abs = src.module.clone();
            let n = path.iter().take_while(|s| *s == "super").count();
            for _ in 0..n {
                abs.pop();
            }
            &path[n..]
        }
        _ => return None,
    };
    abs.extend(rest.iter().cloned());
    while !abs.is_empty() && !modules.contains(&abs.join("::")) {
        abs.pop();
    }
    Some(abs.join("::"))
}

/// Every violation of the layering in `sources`, as sentences.
fn violations(sources: &[Source]) -> Vec<String> {
    let modules: BTreeSet<String> = sources.iter().map(|s| s.module.join("::")).collect();
    let mut edges: BTreeSet<Edge> = BTreeSet::new();
    let mut problems = Vec::new();
    for src in sources {
        let from = src.module.join("::");
        if src.module.first().map(String::as_str) == Some("<bin>") {
            continue;
        }
        let code = code_of(&src.text);
        if from.is_empty() && code.lines().any(|l| l.trim_start().contains("mod cli")) {
            problems
                .push("lib.rs declares `mod cli`: the command line belongs to the binary".into());
        }
        for path in paths_in(&code) {
            let Some(to) = resolve(src, &path, &modules) else {
                continue;
            };
            if to == from {
                continue;
            }
            edges.insert(Edge {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
    for e in &edges {
        let (lf, nf) = layer_of(&e.from);
        let (lt, nt) = layer_of(&e.to);
        let what = if e.to.is_empty() {
            "the crate root".to_string()
        } else {
            format!("`{}`", e.to)
        };
        if lt > lf {
            problems.push(format!(
                "`{}` (layer {nf}) uses {what} (layer {nt}, above it)",
                e.from
            ));
        }
        if let Some(msg) = emit_rule(&e.from, &e.to) {
            problems.push(msg);
        }
    }
    for cycle in cycles(&edges, "sema") {
        problems.push(format!(
            "modules of sema import each other: {}",
            cycle.join(" → ")
        ));
    }
    for cycle in cycles(&edges, "") {
        problems.push(format!(
            "top-level modules import each other: {}",
            cycle.join(" → ")
        ));
    }
    problems
}

/// The target of an `emit` module (`salt` for `emit::salt::steps`), or
/// `None` for `emit` itself and its shared helpers.
fn target_of(module: &str) -> Option<&str> {
    let rest = module.strip_prefix("emit::")?;
    let first = rest.split("::").next()?;
    (!EMIT_SHARED.contains(&first)).then_some(first)
}

fn emit_rule(from: &str, to: &str) -> Option<String> {
    let from_emit = from == "emit" || from.starts_with("emit::");
    if !from_emit {
        return None;
    }
    let tf = target_of(from);
    let tt = target_of(to);
    match (tf, tt) {
        (Some(a), Some(b)) if a != b => Some(format!(
            "emit target `{a}` (`{from}`) imports another target's module `{to}`"
        )),
        (None, Some(b)) if from != "emit" => Some(format!(
            "shared emit helper `{from}` imports the target module `{to}` (of `{b}`)"
        )),
        _ => None,
    }
}

/// Cycles between the children of `parent` (`""`: top-level modules),
/// each as the path of module names from its smallest member.
fn cycles(edges: &BTreeSet<Edge>, parent: &str) -> Vec<Vec<String>> {
    let child = |m: &str| -> Option<String> {
        let rest = if parent.is_empty() {
            m
        } else {
            m.strip_prefix(&format!("{parent}::"))?
        };
        rest.split("::")
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in edges {
        if let (Some(a), Some(b)) = (child(&e.from), child(&e.to)) {
            if a != b {
                graph.entry(a).or_default().insert(b);
            }
        }
    }
    let mut found = Vec::new();
    let mut seen_cycles: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    for start in graph.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut visited = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    let members: BTreeSet<String> = path.iter().cloned().collect();
                    if seen_cycles.insert(members) {
                        let mut p = path.clone();
                        p.push(start.clone());
                        found.push(p);
                    }
                } else if visited.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found
}

/// Every `.rs` file under `src/`, with its module path.
fn read_sources(root: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(root.join("src")).unwrap().to_path_buf();
            let mut module: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let file = module.pop().unwrap();
            let stem = file.trim_end_matches(".rs").to_string();
            match stem.as_str() {
                "lib" | "mod" if module.is_empty() || stem == "mod" => {}
                "main" if module.is_empty() => module.push("<bin>".into()),
                _ => module.push(stem),
            }
            // The binary's modules (`cli.rs`, `cli/`) are not the library's.
            if module.first().map(String::as_str) == Some("cli") {
                module.insert(0, "<bin>".into());
            }
            Source {
                module,
                text: std::fs::read_to_string(&path).unwrap(),
            }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn src_follows_the_layering() {
    let sources = read_sources(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        sources.len() > 40,
        "found only {} source files",
        sources.len()
    );
    let problems = violations(&sources);
    assert!(
        problems.is_empty(),
        "the layering of src/ is broken:\n  {}",
        problems.join("\n  ")
    );
}

fn fake(module: &str, text: &str) -> Source {
    Source {
        module: module
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        text: text.to_string(),
    }
}

/// The checker itself: each rule fires on a small made-up crate, and a
/// clean one passes (so the real test is not vacuous).
#[test]
fn the_checker_catches_each_rule() {
    let base = || {
        vec![
            fake("", "pub mod sema;\npub mod emit;\npub fn hex() {}\n"),
            fake("sema", "mod policy;\nmod secrets;\npub mod model;\n"),
            fake("sema::model", "use crate::source::Span;\n"),
            fake("sema::policy", "use super::secrets::x;\n"),
            fake("sema::secrets", "use super::model::App;\n"),
            fake("source", ""),
            fake("emit", "pub mod salt;\npub mod jenkins;\npub mod names;\n"),
            fake("emit::names", "use crate::sema::model::App;\n"),
            fake("emit::salt", "mod layout;\nuse super::names;\n"),
            fake("emit::salt::layout", "use super::super::names::x;\n"),
            fake("emit::jenkins", "use super::{names::a, Artifact};\n"),
        ]
    };
    assert_eq!(violations(&base()), Vec::<String>::new());

    let with = |module: &str, text: &str| {
        let mut s = base();
        let i = s
            .iter()
            .position(|x| x.module.join("::") == module)
            .unwrap();
        s[i].text.push_str(text);
        violations(&s)
    };
    let up = with("sema::model", "use crate::emit::salt::layout::sh;\n");
    assert_eq!(
        up,
        [
            "`sema::model` (layer sema) uses `emit::salt::layout` (layer emit, above it)",
            "top-level modules import each other: emit → sema → emit",
        ]
    );
    let root = with("emit::salt", "fn f() { crate::hex() }\n");
    assert_eq!(
        root,
        ["`emit::salt` (layer emit) uses the crate root (layer lib, above it)"]
    );
    let cross = with(
        "emit::jenkins",
        "use super::salt::layout::{path_component, sh};\n",
    );
    assert_eq!(
        cross,
        ["emit target `jenkins` (`emit::jenkins`) imports another target's module `emit::salt::layout`"]
    );
    let cycle = with("sema::secrets", "use super::policy::words;\n");
    assert_eq!(
        cycle,
        ["modules of sema import each other: policy → secrets → policy"]
    );
    let cli = with("", "pub mod cli;\n");
    assert_eq!(
        cli,
        ["lib.rs declares `mod cli`: the command line belongs to the binary"]
    );
}

/// docs/architecture.md names every source file under `src/` (by its path
/// below `src/`, in backticks, or as a file of its folder's row), so the
/// map cannot drift from the tree again.
#[test]
fn architecture_doc_names_every_source_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    let mut missing = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root.join("src")).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let named = doc.contains(&format!("`{rel}`")) || {
            // `emit/caddy/` (`mod.rs`, `auth.rs`, …): a folder's row.
            let (dir, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
            doc.lines()
                .any(|l| l.contains(&format!("`{dir}/`")) && l.contains(&format!("`{name}`")))
        };
        if !named {
            missing.push(rel);
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "docs/architecture.md does not name these source files: {}",
        missing.join(", ")
    );
}
