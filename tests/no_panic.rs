//! Mutated specs (bytes flipped, spliced, truncated) never make the checker
//! or the emitters panic. A deterministic generator, so a failure reproduces;
//! the coverage-guided fuzz targets in fuzz/ go further.

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

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

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
