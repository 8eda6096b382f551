#![no_main]
//! The parser alone (precheck, pest, tree conversion) on arbitrary text: the
//! fastest target, so it explores the grammar far deeper per second than
//! `check`, which spends most of its time past the parser. Parsed with a
//! cut at every top-level block, the result must be the whole file's.
use eosc::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let whole = eosc::syntax::parse_whole(FileId(0), &text);
    let pieces = eosc::syntax::parse_in_pieces(FileId(0), &text, 1);
    assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
});
