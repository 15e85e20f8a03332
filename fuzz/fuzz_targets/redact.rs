#![no_main]
//! Redaction on any text: never panics, and never leaves a value it recognised as secret (a
//! second pass finds nothing more to hide: redaction is idempotent).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let once = cf503_core::redact::text(&text).into_owned();
    let twice = cf503_core::redact::text(&once).into_owned();
    assert_eq!(once, twice, "redaction is not idempotent");
    let _ = cf503_core::redact::url(&text);
    let _ = cf503_core::redact::header_value("Set-Cookie", &text);
    let _ = cf503_core::redact::for_terminal(&text);
});
