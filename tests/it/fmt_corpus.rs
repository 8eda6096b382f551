//! The formatter over every spec in the repository (cases, examples,
//! stdlib) and over mutations of them: idempotent, whitespace-only, and
//! meaning-preserving — the checked models (and so the artifacts) of a
//! formatted spec are those of the original, and an erroneous spec reports
//! the same diagnostics. A file that does not parse is refused with the
//! parser's own diagnostics.

use crate::support::fmt;

use crate::support::loader::FsLoader;
use eosc::source::FileId;
use eosc::Loader;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "hcl"))
        .collect();
    out.sort();
    out
}

fn cases(kind: &str) -> Vec<PathBuf> {
    files_in(&format!("tests/cases/{kind}"))
}

fn examples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/") {
        let dir = entry.expect("directory entry").path();
        if dir.is_dir() {
            out.extend(files_in(&format!(
                "examples/{}",
                dir.file_name().unwrap_or_default().to_string_lossy()
            )));
        }
    }
    out.sort();
    assert!(out.len() >= 2, "no examples found");
    out
}

fn corpus() -> Vec<PathBuf> {
    let mut all = cases("ok");
    all.extend(cases("err"));
    all.extend(files_in("tests/cases/err/imports"));
    all.extend(examples());
    all.extend(files_in("stdlib"));
    assert!(all.len() > 100, "only {} spec files found", all.len());
    all
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The filesystem, with every file it serves formatted first (when it
/// parses), so imports are formatted too.
struct Formatting(FsLoader);

impl Loader for Formatting {
    fn load(&self, path: &str) -> Result<String, String> {
        let text = self.0.load(path)?;
        Ok(fmt::format(&text).unwrap_or(text))
    }
}

/// Everything a check produces that formatting must not change: each
/// model and every artifact byte for byte (their hashes are over the model,
/// not the text), less the manifests (which record the input bytes' hash),
/// and the diagnostics without their positions.
fn meaning(path: &Path, loader: &dyn Loader) -> String {
    let checked = eosc::check(&FsLoader::root_name(path), loader)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = String::new();
    for d in &checked.diagnostics {
        out.push_str(&format!(
            "{} {:?} {} | {:?} | envs {:?}\n",
            d.code, d.severity, d.message, d.help, d.envs
        ));
    }
    for model in &checked.models {
        let json = serde_json::to_string_pretty(model).expect("model serializes");
        out.push_str(&json);
    }
    for (env, artifacts) in eosc::compile(&checked.models) {
        // Only the manifest records the input bytes' hash.
        for a in artifacts.iter().filter(|a| a.path != "manifest.json") {
            out.push_str(&format!("--- {env}/{}\n{}", a.path, a.contents));
        }
    }
    out
}

#[test]
fn every_spec_formats_idempotently_changing_only_whitespace() {
    let mut failures = Vec::new();
    let mut formatted_count = 0;
    for path in corpus() {
        let src = read(&path);
        match fmt::format(&src) {
            Ok(out) => {
                formatted_count += 1;
                for p in fmt::problems(&src, &out) {
                    failures.push(format!("{}: {p}", path.display()));
                }
            }
            Err(diags) => {
                let expected = eosc::syntax::parse(FileId(0), &src)
                    .err()
                    .unwrap_or_default();
                if diags != expected || diags.is_empty() {
                    failures.push(format!(
                        "{}: refused with {diags:?}, but the parser says {expected:?}",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(
        formatted_count > 100,
        "only {formatted_count} files formatted"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn files_that_do_not_parse_are_refused_with_the_parse_error() {
    let mut refused = Vec::new();
    for path in cases("err") {
        let src = read(&path);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if let Err(diags) = fmt::format(&src) {
            let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
            assert!(
                codes.iter().all(|c| c.starts_with("E01")),
                "{name}: refused with non-syntax codes {codes:?}"
            );
            assert!(name.starts_with(codes[0]), "{name}: refused with {codes:?}");
            refused.push(name.to_string());
        }
    }
    // Every E010x case but E0107 (a resolve error: the file parses).
    let expected: Vec<String> = cases("err")
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with("E010") && !n.starts_with("E0107"))
        .collect();
    assert_eq!(refused, expected);
}

#[test]
fn formatting_keeps_the_checked_models_artifacts_and_diagnostics() {
    let mut specs = cases("ok");
    specs.extend(cases("err"));
    specs.extend(examples());
    let mut failures = Vec::new();
    let mut with_models = 0;
    for path in specs {
        let rel = path.strip_prefix(root()).unwrap_or(&path).to_path_buf();
        let before = meaning(&rel, &FsLoader::new(&rel));
        let after = meaning(&rel, &Formatting(FsLoader::new(&rel)));
        if before != after {
            failures.push(format!(
                "{}: meaning changed\n--- before\n{before}\n--- after\n{after}",
                rel.display()
            ));
        }
        with_models += usize::from(before.contains("\n--- "));
    }
    assert!(
        with_models >= 10,
        "only {with_models} specs produced models: is the comparison empty?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The stdlib ships inside the binary and is the house style's showcase.
#[test]
fn stdlib_is_formatted() {
    for path in files_in("stdlib") {
        let src = read(&path);
        assert!(
            fmt::format(&src).as_deref() == Ok(src.as_str()),
            "{} is not in canonical layout: run `eosc fmt {}`",
            path.display(),
            path.display()
        );
    }
}

use crate::support::rng;
use rng::Rng;

/// Layout-only edits and small token edits at random places. Many results
/// still parse (and must format correctly); the rest must be refused with
/// the parser's diagnostics. Neither may panic.
const INSERTS: &[&str] = &[
    " ",
    "\t",
    "\n",
    "\n\n\n",
    "\r\n",
    "  # note\n",
    "// x\n",
    "/* c */",
    "/* a\n b */",
    ",",
    "\u{feff}",
    "{",
    "}",
    "[",
    "]",
    "=",
    ":",
    "\"",
    "x",
    "1",
    "\n}\n",
    "<<EOT\nz\nEOT\n",
];

fn mutate(rng: &mut Rng, src: &str) -> String {
    let mut s = src.to_string();
    for _ in 0..1 + rng.below(3) {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(4) {
            0 | 1 => s.insert_str(at, INSERTS[rng.below(INSERTS.len())]),
            2 => {
                // Drop a run of whitespace, the edit a formatter most often undoes.
                let end = s[at..]
                    .find(|c: char| !c.is_whitespace())
                    .map_or(s.len(), |e| at + e);
                s.replace_range(at..end, "");
            }
            _ => {
                let mut end = (at + 1 + rng.below(8)).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            }
        }
    }
    s
}

#[test]
fn mutated_specs_format_correctly_or_are_refused() {
    let seeds: Vec<String> = examples()
        .iter()
        .chain(files_in("stdlib").iter())
        .chain(cases("ok").iter())
        .map(|p| read(p))
        .collect();
    let mut rng = Rng(0x5eed_f0f0_1234_5678);
    let (mut formatted, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for i in 0..600 {
        let src = mutate(&mut rng, &seeds[i % seeds.len()]);
        match fmt::format(&src) {
            Ok(out) => {
                formatted += 1;
                for p in fmt::problems(&src, &out) {
                    failures.push(format!("mutation {i}: {p}\n--- input\n{src}"));
                }
            }
            Err(diags) => {
                refused += 1;
                if eosc::syntax::parse(FileId(0), &src).err() != Some(diags) {
                    failures.push(format!("mutation {i}: refused, but not as the parser does"));
                }
            }
        }
    }
    assert!(
        formatted > 150 && refused > 50,
        "the mutations test too little: {formatted} formatted, {refused} refused"
    );
    failures.truncate(3);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn messy_input_snapshot() {
    let src = read(&root().join("tests/fmt/messy.hcl"));
    let out = fmt::format(&src).unwrap_or_else(|d| panic!("messy.hcl does not parse: {d:?}"));
    assert!(
        fmt::problems(&src, &out).is_empty(),
        "{:?}",
        fmt::problems(&src, &out)
    );
    crate::support::snap::assert("fmt", "messy", &out);
}
