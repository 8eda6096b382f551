//! Mutated specs (bytes flipped, spliced, truncated) never make the checker
//! or the emitters panic. A deterministic generator, so a failure reproduces;
//! the coverage-guided fuzz targets in fuzz/ go further. Then hostile files
//! through the binary: deep nesting, very long lines, NULs, invalid UTF-8
//! and a 50 MB spec each get a diagnostic (or check), never a crash.

fn seeds() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["examples/cybermonkey", "examples/minimal"] {
        out.push(std::fs::read_to_string(format!("{dir}/hecate.hcl")).expect("example readable"));
    }
    for (_, text) in eosc::stdlib::MODULES {
        out.push(text.to_string());
    }
    out
}

use crate::support::rng;
use rng::Rng;

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    "${",
    "$${",
    "<<EOF\n",
    "\nEOF\n",
    "=",
    ",",
    ".",
    "#",
    "/*",
    "app.",
    "var.x",
    "30s",
    "5%",
    "256MiB",
    "-1",
    "99999999999999999999",
    "\\u00",
    "\0",
    "\u{202e}",
    "route \"a\" {",
    "null",
    "\n",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => {
                bytes.remove(at);
            }
            1 => {
                let tok = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, tok.iter().copied());
            }
            2 => bytes.truncate(at),
            _ => {
                let len = rng.below(200).min(bytes.len() - at);
                let chunk: Vec<u8> = bytes[at..at + len].to_vec();
                let to = rng.below(bytes.len());
                bytes.splice(to..to, chunk);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..1500 {
        let seed = &seeds[i % seeds.len()];
        let text = mutate(&mut rng, seed);
        let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.clone())]);
        let result = std::panic::catch_unwind(|| {
            if let Ok(c) = eosc::check("hecate.hcl", &loader) {
                let _ = eosc::compile(&c.models);
                let _ = eosc::diagnostics::render_human(&c.diagnostics, &c.sources, false);
            }
        });
        assert!(result.is_ok(), "panic on mutation {i}:\n{text}");
    }
}

#[test]
fn hostile_shapes_get_diagnostics_not_crashes() {
    let deep = format!(
        "project \"p\" {{ x = {}1{} }}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let long_line = format!("project \"p\" {{ region = \"{}\" }}", "a".repeat(1_000_000));
    let cases = [
        deep,
        long_line,
        "\0\0\0".to_string(),
        "app \"x\" { image = \"a\0b\" }".to_string(),
        String::new(),
    ];
    for text in cases {
        let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text)]);
        let checked = eosc::check("hecate.hcl", &loader).expect("in-memory file loads");
        assert!(
            checked.has_errors(),
            "hostile input must be refused with a diagnostic"
        );
    }
}

fn eosc_check(dir: &std::path::Path, file: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_eosc"))
        .current_dir(dir)
        .args(["check", file])
        .output()
        .expect("run eosc")
}

fn temp(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eosc-nopanic-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Exit 1 with a diagnostic code, or 0: never a panic (101) or a signal
/// (a stack overflow aborts with SIGSEGV/SIGABRT).
fn assert_handled(out: &std::process::Output, what: &str, codes: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "{what}: {stderr}"
    );
    assert!(
        out.status.code().is_some(),
        "{what}: killed by a signal: {:?}",
        out.status
    );
    if codes.is_empty() {
        assert_eq!(out.status.code(), Some(0), "{what}: {stderr}");
    } else {
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        for c in codes {
            assert!(stderr.contains(c), "{what}: no {c} in {stderr}");
        }
    }
}

/// Hostile files through the binary: each gets its diagnostic.
#[test]
fn hostile_files_via_the_cli() {
    let dir = temp("hostile");
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "a million open brackets",
            format!("project \"p\" {{ x = {} }}", "[".repeat(1_000_000)).into_bytes(),
            &["E0105"],
        ),
        (
            "a million nested interpolations",
            format!("project \"p\" {{ x = {} }}", "\"${".repeat(1_000_000)).into_bytes(),
            &["E0105"],
        ),
        (
            "a million nested blocks",
            "a {".repeat(1_000_000).into_bytes(),
            &["E0105"],
        ),
        (
            "NUL bytes",
            b"project \"p\" {}\n\0\0\0environment \"e\" {}\n".to_vec(),
            &["E0106"],
        ),
        (
            "a 10 MB line",
            format!(
                "project \"p\" {{ region = \"{}\" }}\nenvironment \"e\" {{}}\n",
                "x".repeat(10 << 20)
            )
            .into_bytes(),
            &[],
        ),
        (
            "a 10 MB line that does not parse",
            format!("project \"p\" {{ region = {} }}", "x ".repeat(5 << 20)).into_bytes(),
            &["E0101"],
        ),
        (
            "an unterminated heredoc of 1 MB",
            format!("project \"p\" {{ x = <<EOF\n{}", "line\n".repeat(200_000)).into_bytes(),
            &["E0101"],
        ),
        (
            "a lone surrogate escape",
            b"project \"p\" { region = \"\\uD800\" }\nenvironment \"e\" {}\n".to_vec(),
            &["E0102"],
        ),
        (
            "CRs, BOMs and right-to-left overrides",
            "\u{feff}project \"p\" {}\r\r\n\u{202e}environment \"e\" {}\u{feff}\n"
                .as_bytes()
                .to_vec(),
            &["E0101"],
        ),
    ];
    for (what, bytes, codes) in cases {
        std::fs::write(dir.join("hecate.hcl"), &bytes).expect("write");
        assert_handled(&eosc_check(&dir, "hecate.hcl"), what, codes);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Not UTF-8: the root file is an I/O error (exit 2) naming the offset, an
/// imported file is E0208; a binary is refused the same way.
#[test]
fn invalid_utf8_via_the_cli() {
    let dir = temp("utf8");
    std::fs::write(dir.join("latin1.hcl"), b"project \"caf\xe9\" {}\n").expect("write");
    let out = eosc_check(&dir, "latin1.hcl");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not UTF-8") && stderr.contains("offset 12"),
        "{stderr}"
    );

    std::fs::write(
        dir.join("root.hcl"),
        "import \"latin1.hcl\"\nproject \"p\" {}\nenvironment \"e\" {}\n",
    )
    .expect("write");
    assert_handled(
        &eosc_check(&dir, "root.hcl"),
        "invalid UTF-8 import",
        &["E0208", "not UTF-8"],
    );

    let mut binary = b"\x7fELF\x02\x01\x01\0".to_vec();
    binary.extend((0..=255u8).cycle().take(4096));
    std::fs::write(dir.join("binary.hcl"), binary).expect("write");
    let out = eosc_check(&dir, "binary.hcl");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A 50 MB spec (312 202 apps) checks through the binary: no stack
/// overflow, no pathological blow-up. It takes minutes in a debug build;
/// the time is printed, never asserted.
#[test]
fn fifty_megabyte_spec_via_the_cli() {
    let dir = temp("50mb");
    let mut spec = String::from("project \"big\" {}\nenvironment \"production\" {}\n");
    let mut i = 0;
    while spec.len() < 50 << 20 {
        spec.push_str(&format!(
            "app \"a{i}\" {{\n  image = \"example/app:1.0.{i}\"\n  env   = {{ LOG_LEVEL = \"info\", INDEX = \"{i}\" }}\n  port \"http\" {{ to = 8080 }}\n  health \"http\" {{ path = \"/health\" }}\n}}\n"
        ));
        i += 1;
    }
    std::fs::write(dir.join("hecate.hcl"), &spec).expect("write");
    let start = std::time::Instant::now();
    let out = eosc_check(&dir, "hecate.hcl");
    eprintln!(
        "50 MB spec ({} bytes, {i} apps): eosc check took {:.1?}",
        spec.len(),
        start.elapsed()
    );
    assert_handled(&out, "50 MB spec", &[]);
    let _ = std::fs::remove_dir_all(&dir);
}
