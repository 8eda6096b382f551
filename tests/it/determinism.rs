//! Byte-identical output: every example and ok case compiled by several
//! processes of the binary (each with its own `HashMap` seed: std's
//! `RandomState` is seeded per process), from different working directories,
//! through different spellings of the spec's path, with the environment
//! cleared, reordered and padded, and with another locale and time zone, gives
//! the same tree, which is also what the library gives in memory. No
//! artifact holds a path of the machine it was compiled on.

use crate::support::specs;
use crate::support::tools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Tree = BTreeMap<String, Vec<u8>>;

fn read_tree(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, out: &mut Tree) {
        for e in std::fs::read_dir(dir).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).expect("under base");
                out.insert(
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(&p).expect("read"),
                );
            }
        }
    }
    let mut out = Tree::new();
    walk(dir, dir, &mut out);
    out
}

/// The library's trees, as the CLI would lay them out.
fn in_memory(spec: &Path) -> Tree {
    let checked = eosc::check(
        &crate::support::loader::FsLoader::root_name(spec),
        &crate::support::loader::FsLoader::new(spec),
    )
    .expect("readable");
    assert!(!checked.has_errors(), "{} has errors", spec.display());
    let mut out = Tree::new();
    for (tree, arts) in eosc::compile(&checked.models) {
        for a in arts {
            out.insert(format!("{tree}/{}", a.path), a.contents.into_bytes());
        }
    }
    out
}

/// Environment variables, in the order the process gets them.
type Env = Vec<(String, String)>;

/// One way of running the binary.
struct Variant {
    what: &'static str,
    /// The working directory, given the spec's directory and a scratch dir.
    cwd: fn(&Path, &Path) -> PathBuf,
    /// How the spec is named on the command line, from that directory.
    spec_arg: fn(&Path, &Path) -> PathBuf,
    /// The environment, in this order (None: inherit).
    env: Option<fn() -> Env>,
}

fn inherited_reversed() -> Env {
    let mut v: Env = std::env::vars().collect();
    v.reverse();
    v
}

fn padded_and_foreign() -> Env {
    let mut v: Env = (0..64)
        .map(|i| (format!("EOSC_NOISE_{}", 64 - i), "x".repeat(i)))
        .collect();
    v.extend(
        [
            ("LC_ALL", "tr_TR.UTF-8"),
            ("LANG", "ja_JP.UTF-8"),
            ("TZ", "Pacific/Chatham"),
            ("SOURCE_DATE_EPOCH", "1"),
            ("HOME", "/nonexistent"),
            ("PWD", "/somewhere/else"),
            ("RUST_BACKTRACE", "1"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    v
}

const VARIANTS: &[Variant] = &[
    Variant {
        what: "repository root, relative path, inherited environment",
        cwd: |_, _| specs::root(),
        spec_arg: |spec, _| {
            spec.strip_prefix(specs::root())
                .expect("in repo")
                .to_path_buf()
        },
        env: None,
    },
    Variant {
        what: "scratch directory, absolute path, environment reversed",
        cwd: |_, scratch| scratch.to_path_buf(),
        spec_arg: |spec, _| spec.to_path_buf(),
        env: Some(inherited_reversed),
    },
    Variant {
        what: "spec's directory, bare file name, foreign locale and noise",
        cwd: |spec, _| spec.parent().expect("dir").to_path_buf(),
        spec_arg: |spec, _| PathBuf::from(spec.file_name().expect("file name")),
        env: Some(padded_and_foreign),
    },
    Variant {
        what: "/, a path with `.` and `..` in it, empty environment",
        cwd: |_, _| PathBuf::from("/"),
        spec_arg: |spec, _| {
            let dir = spec.parent().expect("dir");
            dir.join(".")
                .join("..")
                .join(dir.file_name().expect("dir name"))
                .join(spec.file_name().expect("file name"))
        },
        env: Some(Vec::new),
    },
];

fn compile_with(v: &Variant, spec: &Path, scratch: &Path, out: &Path) {
    let cwd = (v.cwd)(spec, scratch);
    let arg = (v.spec_arg)(spec, scratch);
    // `env -i A=1 B=2 …` puts the variables into environ in exactly this
    // order (std's Command would sort them).
    let mut cmd = match v.env {
        None => Command::new(env!("CARGO_BIN_EXE_eosc")),
        Some(env) => {
            let mut c = Command::new("env");
            c.arg("-i");
            for (k, val) in env() {
                c.arg(format!("{k}={val}"));
            }
            c.arg(env!("CARGO_BIN_EXE_eosc"));
            c
        }
    };
    let run = cmd
        .current_dir(&cwd)
        .arg("compile")
        .arg(&arg)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run eosc");
    assert!(
        run.status.success(),
        "{} ({}): {}",
        spec.display(),
        v.what,
        String::from_utf8_lossy(&run.stderr)
    );
}

fn first_difference(a: &Tree, b: &Tree) -> String {
    for (k, va) in a {
        match b.get(k) {
            None => return format!("{k} only in the first"),
            Some(vb) if vb != va => {
                let (ta, tb) = (String::from_utf8_lossy(va), String::from_utf8_lossy(vb));
                let line = ta
                    .lines()
                    .zip(tb.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(0);
                return format!(
                    "{k} line {}:\n  {:?}\n  {:?}",
                    line + 1,
                    ta.lines().nth(line).unwrap_or(""),
                    tb.lines().nth(line).unwrap_or("")
                );
            }
            _ => {}
        }
    }
    b.keys()
        .find(|k| !a.contains_key(*k))
        .map(|k| format!("{k} only in the second"))
        .unwrap_or_default()
}

#[test]
fn every_spec_compiles_to_the_same_bytes_everywhere() {
    let all = specs::all();
    assert!(all.len() >= 10, "examples and ok cases: {all:?}");
    let scratch = tools::TempDir::new("determinism");
    for spec in &all {
        let expected = in_memory(spec);
        // Twice in the same process, too.
        assert_eq!(expected, in_memory(spec), "{}", spec.display());
        // The binary also marks the project-wide trees it owns with a
        // hidden manifest (cli/out_dir.rs), which the library does not
        // make: it must be the same bytes in every variant.
        let mut marker: Option<(String, Vec<u8>)> = None;
        for (i, v) in VARIANTS.iter().enumerate() {
            let out = scratch.0.join(format!("{}-{i}", specs::name(spec)));
            compile_with(v, spec, &scratch.0, &out);
            let mut got = read_tree(&out);
            let hidden: Vec<String> = got
                .keys()
                .filter(|k| k.ends_with(".eosc-manifest.json"))
                .cloned()
                .collect();
            for k in hidden {
                let bytes = got.remove(&k).unwrap_or_default();
                match &marker {
                    None => marker = Some((k, bytes)),
                    Some((mk, mb)) => assert!(
                        *mk == k && *mb == bytes,
                        "{} ({}): {k} differs between variants",
                        spec.display(),
                        v.what
                    ),
                }
            }
            assert!(
                got == expected,
                "{} ({}): {}",
                spec.display(),
                v.what,
                first_difference(&expected, &got)
            );
        }
    }
}

/// Output names no directory of the machine: the specs are compiled from
/// a copy in a uniquely named directory, which must appear nowhere.
#[test]
fn no_machine_paths_in_artifacts() {
    let scratch = tools::TempDir::new("determinism-paths-Xq7");
    let marker = scratch.0.to_string_lossy().into_owned();
    for spec in specs::all() {
        let copy = specs::copy_into(&spec, &scratch.0.join(specs::name(&spec)));
        for (path, bytes) in in_memory(&copy) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(&marker) && !text.contains("determinism-paths-Xq7"),
                "{}: {path} contains the machine path {marker}",
                spec.display()
            );
        }
    }
}
