#![no_main]
//! The parser alone (precheck, pest, tree conversion) on arbitrary text: the
//! fastest target, so it explores the grammar far deeper per second than
//! `check`, which spends most of its time past the parser.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = eosc::syntax::parse(eosc::source::FileId(0), &text);
});
