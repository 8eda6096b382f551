#![no_main]
//! The whole in-memory pipeline: a spec that checks must emit without panicking.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text)]);
    if let Ok(checked) = eosc::check("hecate.hcl", &loader) {
        let _ = eosc::compile(&checked.models);
    }
});
