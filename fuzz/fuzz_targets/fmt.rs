#![no_main]
//! Format arbitrary text: never panics, and whatever it formats stays
//! formatted and changes only in whitespace.
use eosc::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(out) = eosc::syntax::format_source(FileId(0), &text) {
        let again = eosc::syntax::format_source(FileId(0), &out);
        assert_eq!(again.as_deref(), Ok(out.as_str()), "not idempotent");
        let squeeze = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
                .collect::<String>()
        };
        assert_eq!(squeeze(&text), squeeze(&out), "more than whitespace changed");
    }
});
