#![no_main]
//! The HAR reader (structural scan + serde_json for failing entries) on any text.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(har) = cf503_core::parse::har::parse(text, cf503_core::signals::is_failing) {
        assert!(har.failing.len() <= har.total_entries);
        for e in &har.failing {
            let _ = cf503_core::diagnose(&e.observation);
        }
    }
});
