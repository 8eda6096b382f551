//! Atomic output: `eosc compile` writes into a staging directory and
//! renames whole environment trees into place, so a compile that fails half
//! way leaves the previous `out/` as it was, and a reader never sees a
//! partially written file.
//!
//! The failure is real, not simulated: the binary runs under a file-size
//! limit (RLIMIT_FSIZE, via `prlimit`) chosen so that the first few
//! artifacts fit and a later one does not, as on a full disk or quota.
//! With SIGXFSZ ignored the write fails with EFBIG and eosc reports it;
//! with the default action the process is killed in the middle of writing.
//! (Read-only directories would not do: tests may run as root.)

use crate::support::tools;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

type Tree = BTreeMap<String, Vec<u8>>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn minimal() -> PathBuf {
    root().join("examples/minimal/hecate.hcl")
}

fn cybermonkey() -> PathBuf {
    root().join("examples/cybermonkey/hecate.hcl")
}

/// Two environments; `b`'s Nomad job carries `blob`, so with a large blob
/// the whole tree of `a` (and the first files of `b`) is small and one
/// later file is large: a size limit between the two fails the compile
/// half way through.
fn two_envs(dir: &Path, version: &str, blob: &str) -> PathBuf {
    let spec = format!(
        r#"project "atomic" {{}}
variable "blob" {{ type = string }}
environment "a" {{
  vars = {{ blob = "{version}" }}
}}
environment "b" {{
  vars   = {{ blob = "{version} {blob}" }}
  region = "b"
}}
app "web" {{
  image = "example/web:1.0.0"
  env   = {{ BLOB = var.blob }}
  port "http" {{ to = 80 }}
  health "http" {{ path = "/" }}
}}
"#
    );
    let path = dir.join(format!("spec-{version}/hecate.hcl"));
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    std::fs::write(&path, spec).expect("write spec");
    path
}

fn big_blob() -> String {
    "lorem ipsum dolor sit amet ".repeat(10_000)
}

fn read_tree(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, out: &mut Tree) {
        for e in std::fs::read_dir(dir).expect("read dir").flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .into_owned();
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    let mut out = Tree::new();
    walk(dir, dir, &mut out);
    out
}

fn compile(spec: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eosc"))
        .arg("compile")
        .arg(spec)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run eosc")
}

/// The artifacts of `spec` in the order `eosc compile` writes them.
fn write_order(spec: &Path) -> Vec<(String, usize)> {
    let checked = eosc::check(
        &crate::support::loader::FsLoader::root_name(spec),
        &crate::support::loader::FsLoader::new(spec),
    )
    .expect("readable");
    eosc::compile(&checked.models)
        .into_iter()
        .flat_map(|(tree, arts)| {
            arts.into_iter()
                .map(move |a| (format!("{tree}/{}", a.path), a.contents.len()))
        })
        .collect()
}

/// A size limit under which at least `min_written` artifacts are written
/// before one is too large: (limit in bytes, files written, the one that fails).
fn limit_failing_half_way(spec: &Path, min_written: usize) -> (usize, usize, String) {
    let order = write_order(spec);
    let mut largest = 0;
    for (i, (path, size)) in order.iter().enumerate() {
        if i >= min_written && *size > largest {
            return (largest, i, path.clone());
        }
        largest = largest.max(*size);
    }
    panic!(
        "no artifact of {} is larger than all before it",
        spec.display()
    );
}

fn prlimit() -> Option<PathBuf> {
    tools::tool("prlimit")
}

/// `eosc compile spec -o out` under RLIMIT_FSIZE = `limit` bytes; SIGXFSZ
/// ignored (`trap ''` survives exec) or left to kill the process.
fn compile_limited(prlimit: &Path, limit: usize, spec: &Path, out: &Path, ignore: bool) -> Output {
    let script = if ignore {
        "trap '' XFSZ; exec \"$@\""
    } else {
        "exec \"$@\""
    };
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .arg(prlimit)
        .arg(format!("--fsize={limit}"))
        .arg(env!("CARGO_BIN_EXE_eosc"))
        .arg("compile")
        .arg(spec)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run eosc under prlimit")
}

/// out/ holding version 1 of the two-environment spec.
fn previous_tree(dir: &Path) -> (PathBuf, Tree) {
    let out = dir.join("out");
    let o = compile(&two_envs(dir, "v1", "small"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = read_tree(&out);
    assert!(before.contains_key("a/manifest.json") && before.contains_key("b/manifest.json"));
    (out, before)
}

#[test]
fn write_error_half_way_leaves_the_previous_tree_byte_identical() {
    let Some(prlimit) = prlimit() else { return };
    let dir = tools::TempDir::new("atomic-efbig");
    let (out, before) = previous_tree(&dir.0);
    let v2 = two_envs(&dir.0, "v2", &big_blob());
    let (limit, written, failing) = limit_failing_half_way(&v2, 10);
    assert!(failing.starts_with("b/"), "{failing}");
    let o = compile_limited(&prlimit, limit, &v2, &out, true);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{written} files fit under {limit} bytes, {failing} does not: {stderr}"
    );
    assert!(stderr.contains("cannot write"), "{stderr}");
    // Byte-identical, and no staging directory left behind.
    assert!(
        read_tree(&out) == before,
        "out/ changed: {:?}",
        read_tree(&out).keys()
    );
    // Without the limit the same compile goes through and replaces both.
    let o = compile(&v2, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = read_tree(&out);
    for env in ["a", "b"] {
        let m = format!("{env}/manifest.json");
        assert_ne!(after.get(&m), before.get(&m), "{m} not replaced");
    }
}

#[test]
fn killed_half_way_leaves_every_environment_tree_byte_identical() {
    let Some(prlimit) = prlimit() else { return };
    let dir = tools::TempDir::new("atomic-killed");
    let (out, before) = previous_tree(&dir.0);
    let v2 = two_envs(&dir.0, "v2", &big_blob());
    let (limit, _, _) = limit_failing_half_way(&v2, 10);
    let o = compile_limited(&prlimit, limit, &v2, &out, false);
    assert_eq!(
        o.status.signal(),
        Some(25),
        "killed by SIGXFSZ: {:?} {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    // A killed process cannot clean up: its staging directory and its lock
    // may stay (hidden, never an environment's tree; the next compile
    // removes both, cli_ownership). Everything else is as before.
    let after: Tree = read_tree(&out)
        .into_iter()
        .filter(|(k, _)| !k.starts_with(".eosc-staging-") && k != ".eosc.lock")
        .collect();
    assert!(after == before, "out/ changed: {:?}", after.keys());
}

/// While compiles of two different specs replace out/ again and again, a
/// reader that opens every file by path only ever reads one of the two
/// complete versions of it (or finds it absent during a swap).
#[test]
fn readers_never_see_a_partial_file() {
    let dir = tools::TempDir::new("atomic-readers");
    let out = dir.0.join("out");
    let mut versions: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    for spec in [minimal(), cybermonkey()] {
        let scratch = dir.0.join(format!("v-{}", versions.len()));
        assert!(compile(&spec, &scratch).status.success());
        for (k, v) in read_tree(&scratch) {
            if !k.ends_with('/') {
                versions.entry(k).or_default().push(v);
            }
        }
    }
    let versions = Arc::new(versions);
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let reader = {
        let (versions, stop, reads, out) =
            (versions.clone(), stop.clone(), reads.clone(), out.clone());
        std::thread::spawn(move || {
            let mut bad = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                for (path, known) in versions.iter() {
                    if let Ok(bytes) = std::fs::read(out.join(path)) {
                        reads.fetch_add(1, Ordering::SeqCst);
                        if !known.contains(&bytes) {
                            bad.push(format!("{path}: {} bytes, no known version", bytes.len()));
                        }
                    }
                }
            }
            bad
        })
    };
    for i in 0..12 {
        let spec = if i % 2 == 0 { cybermonkey() } else { minimal() };
        let o = compile(&spec, &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    stop.store(true, Ordering::SeqCst);
    let bad = reader.join().expect("reader");
    assert!(bad.is_empty(), "partial files seen: {bad:#?}");
    assert!(reads.load(Ordering::SeqCst) > 0, "the reader read nothing");
}
