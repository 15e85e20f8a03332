#![no_main]
//! The whole front door on any bytes: detection, parsing, diagnosis, every report format.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(analysis) = cf503_core::analyze(bytes) {
        for f in [
            cf503_core::report::Format::Text,
            cf503_core::report::Format::Markdown,
            cf503_core::report::Format::Json,
        ] {
            let _ = analysis.render(f);
        }
    }
});
