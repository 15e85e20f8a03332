#![no_main]
//! A session's part (the text the web page's workers pass each other), made from any bytes read
//! as a log: absorbed, it gives the session's own reading; damaged at any byte, it is absorbed
//! or refused with an error, never a panic, and the report is drawn either way.
use cf503_core::logs::{Delimiter, LogSession, SessionPart, StatusFilter};
use libfuzzer_sys::fuzz_target;

fn session() -> LogSession {
    LogSession::new(&[], Delimiter::Auto, StatusFilter::ServerErrors.into())
}

fuzz_target!(|input: (u16, u8, &[u8])| {
    let (at, byte, bytes) = input;
    let read = |s: &mut LogSession| {
        s.begin("f");
        s.feed(bytes);
        s.end();
    };
    let mut whole = session();
    read(&mut whole);
    let mut one = session();
    read(&mut one);
    let text = one.into_part().to_json();
    let mut merged = session();
    merged
        .absorb_part(SessionPart::from_json(&text).expect("a part made here reads back"))
        .expect("a part made here is absorbed");
    assert_eq!(merged.finish(), whole.finish());

    let mut damaged = text.into_bytes();
    if !damaged.is_empty() {
        let i = usize::from(at) % damaged.len();
        damaged[i] = byte;
    }
    let damaged = String::from_utf8_lossy(&damaged);
    let mut into = session();
    if let Ok(part) = SessionPart::from_json(&damaged) {
        let _ = into.absorb_part(part);
    }
    if let Ok(read) = into.finish() {
        let _ = cf503_core::report::logs_json(&read.summary, read.files);
        let _ = cf503_core::report::logs_text(&read.summary, read.files);
    }
});
