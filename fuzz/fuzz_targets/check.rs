#![no_main]
//! Parse + resolve + check arbitrary bytes, then render the diagnostics every
//! way (human, JSON, SARIF, GitHub; miette slices the source at every
//! span): must never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text)]);
    if let Ok(c) = eosc::check("hecate.hcl", &loader) {
        let _ = eosc::diagnostics::render_human(&c.diagnostics, &c.sources, false);
        let reports = [eosc::diagnostics::Report {
            diagnostics: &c.diagnostics,
            sources: &c.sources,
            base: "",
            allowed: &[],
        }];
        let _ = eosc::diagnostics::render_json(&reports);
        let _ = eosc::diagnostics::sarif::render(&reports);
        let _ = eosc::diagnostics::github::render(&reports);
    }
});
