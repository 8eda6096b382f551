#![no_main]
//! Parse + resolve + check arbitrary bytes: must never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text)]);
    let _ = eosc::check("hecate.hcl", &loader);
});
