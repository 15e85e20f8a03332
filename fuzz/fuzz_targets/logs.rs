#![no_main]
//! The log reader on any bytes, cut into chunks anywhere: the same summary whatever the cuts,
//! and every report drawn from it.
use cf503_core::logs::{Filter, Reader, StatusFilter, Summary};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &[u8])| {
    let (cut, bytes) = input;
    let filter: Filter = StatusFilter::ServerErrors.into();
    let whole = cf503_core::logs::summarise("f", bytes, &mut Reader::new(), &filter);
    let cut = usize::from(cut) % (bytes.len() + 1);
    let mut reader = Reader::new();
    let mut parts = Summary::default();
    reader.feed(&bytes[..cut], |r| parts.add(r, &filter));
    reader.feed(&bytes[cut..], |r| parts.add(r, &filter));
    reader.finish(|r| parts.add(r, &filter));
    parts.add_skipped("f", &reader.skipped, 1);
    assert_eq!(parts, whole);
    let _ = cf503_core::report::logs_text(&whole, 1);
    let _ = cf503_core::report::logs_markdown(&whole, 1);
    let _ = cf503_core::report::logs_json(&whole, 1);
    let mut rt = Reader::with_fields(&["timestamp", "sc-status", "x-edge-location", "x-edge-detailed-result-type"]);
    let _ = cf503_core::logs::summarise("f", bytes, &mut rt, &filter);
});
