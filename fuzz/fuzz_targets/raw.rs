#![no_main]
//! The raw-response parser, then the diagnosis and every report, on any text.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(obs) = cf503_core::parse::parse_response(text) {
        let d = cf503_core::diagnose(&obs);
        assert!(!d.findings.is_empty());
        let _ = cf503_core::report::text(&d);
        let _ = cf503_core::report::markdown(&d);
        let _ = cf503_core::report::json(&d);
    }
});
