#![no_main]
//! `eosc import nginx` on arbitrary text: never panics; an import without
//! errors writes a spec that parses.
use eosc::import::{import, Format, Input, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let out = import(
        &[Input { format: Format::Nginx, name: "f".into(), text }],
        &Options { project: "p".into() },
    );
    if !out.has_errors() {
        assert!(eosc::syntax::parse(eosc::source::FileId(0), &out.spec).is_ok());
    }
});
