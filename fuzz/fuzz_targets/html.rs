#![no_main]
//! HTML → visible text on any text: never panics, output is folded.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let out = cf503_core::parse::html::visible_text(text);
    assert!(!out.contains("\n\n"));
});
