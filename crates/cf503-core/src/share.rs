//! Links that reproduce a diagnosis from derived facts only.
//!
//! A shared link must not carry what the user pasted: URLs, cookies, request ids, free-form
//! header values and page texts can all be secret. It carries what the diagnosis *derived* —
//! status, who generated the error, the `X-Cache` result type, the POP id, the recognised page
//! sentence (from our own tables), the origin kind, an XML error code word, `Age`, a numeric `Retry-After`, log result
//! types, `Server-Timing` figures — as a URL fragment (`v=1&status=503&…`, never sent to a
//! server). Opening it rebuilds a canonical response from those facts alone and diagnoses it
//! again, so the verdict, evidence and steps come back, explained. Every value is checked on
//! the way in: anything that is not one of our own words or a number is dropped.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::diagnose::{Diagnosis, Note};
use crate::observation::{Observation, Source};
use crate::signals::{Generator, OriginKind, ResultType, Signals, Through};

const VERSION: &str = "1";

/// The URL fragment (without `#`) for a diagnosis: derived facts only.
pub fn fragment(d: &Diagnosis) -> String {
    let s = &d.summary;
    let mut pairs: Vec<(&str, String)> = vec![("v", VERSION.to_string())];
    if let Some(status) = s.status {
        pairs.push(("status", status.to_string()));
    }
    pairs.push(("gen", s.generated_by.as_str().to_string()));
    match s.through_cloudfront {
        Through::Yes => pairs.push(("cf", "1".to_string())),
        Through::No => pairs.push(("cf", "0".to_string())),
        Through::Unknown => {}
    }
    if let Some(t) = s.x_cache_result {
        pairs.push(("xcache", t.as_str().to_string()));
    }
    if let Some(pop) = s.pop.as_deref().filter(|p| is_pop_id(p)) {
        pairs.push(("pop", pop.to_string()));
    }
    if let Some(kind) = s.origin_kind {
        pairs.push(("kind", kind.as_str().to_string()));
    }
    if s.cloudfront_page {
        pairs.push(("page", "cf".to_string()));
    }
    if let Some(phrase) = s.page_phrase {
        pairs.push(("phrase", phrase.to_string()));
    }
    if let Some(code) = s.xml_code.as_deref().filter(|c| is_code_word(c)) {
        pairs.push(("code", code.to_string()));
    }
    if s.cloudfront_api {
        pairs.push(("api", "1".to_string()));
    }
    if let Some(age) = s.age {
        pairs.push(("age", age.to_string()));
    }
    if let Some(retry) = s
        .retry_after
        .as_deref()
        .filter(|r| r.parse::<u32>().is_ok())
    {
        pairs.push(("retry", retry.to_string()));
    }
    for (key, value) in [("log", s.log_result), ("dlog", s.log_detailed_result)] {
        if let Some(v) = value {
            pairs.push((key, v.as_str().to_string()));
        }
    }
    for (key, value) in [
        ("dns", s.timing_dns_ms),
        ("connect", s.timing_connect_ms),
        ("fbl", s.timing_upstream_fbl_ms),
    ] {
        if let Some(v) = value {
            pairs.push((key, v.to_string()));
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        percent_encode(v, &mut out);
    }
    out
}

/// Why a fragment cannot be read back.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareError {
    /// Not a cf503 link (no `v=1`), or from a newer version.
    NotALink,
    /// The link names no status: nothing to diagnose.
    NoStatus,
}

impl core::fmt::Display for ShareError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ShareError::NotALink => write!(
                f,
                "this link does not hold a cf503 diagnosis (or one from a newer cf503): paste the response instead"
            ),
            ShareError::NoStatus => write!(
                f,
                "this cf503 link names no HTTP status, so there is nothing to diagnose: paste the response instead"
            ),
        }
    }
}

impl core::error::Error for ShareError {}

/// The canonical response a fragment stands for, ready to diagnose. Unknown keys and values
/// that are not ours (a result type we do not know, a phrase not in our tables, a malformed POP
/// id, non-numbers) are dropped.
pub fn observation(fragment: &str) -> Result<Observation, ShareError> {
    decode(fragment).map(|(obs, _)| obs)
}

/// The canonical response, and the origin kind the link names (given to the signals as it is,
/// not re-derived from made-up headers).
fn decode(fragment: &str) -> Result<(Observation, Option<OriginKind>), ShareError> {
    let fragment = fragment.trim().trim_start_matches('#');
    let mut facts: Vec<(String, String)> = Vec::new();
    for pair in fragment.split('&') {
        if let Some((k, v)) = pair.split_once('=') {
            facts.push((percent_decode(k), percent_decode(v)));
        }
    }
    let get = |key: &str| {
        facts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    if get("v") != Some(VERSION) {
        return Err(ShareError::NotALink);
    }
    let status = get("status")
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..=599).contains(s))
        .ok_or(ShareError::NoStatus)?;
    let mut obs = Observation::new(Source::Shared);
    obs.set_status(status, None);
    let generated_by_cloudfront = get("gen") == Some(Generator::CloudFront.as_str());
    let kind = get("kind").and_then(OriginKind::from_name);
    if generated_by_cloudfront {
        obs.push_header("Server", "CloudFront");
    } else if kind.is_some() {
        // The origin answered; which server it is, the link says (`kind`).
        obs.push_header("Server", "origin");
    }
    match get("cf") {
        Some("1") => obs.push_header("Via", "1.1 shared.cloudfront.net (CloudFront)"),
        // Positively elsewhere: a full header set without CloudFront's marks says so.
        Some("0") => {
            for (name, value) in [
                ("Content-Type", "text/html"),
                ("Connection", "keep-alive"),
                ("Cache-Control", "no-store"),
                ("X-Shared", "not-cloudfront"),
            ] {
                obs.push_header(name, value);
            }
        }
        _ => {}
    }
    if let Some(t) = get("xcache").and_then(ResultType::parse) {
        obs.push_header("X-Cache", &format!("{} from cloudfront", t.as_str()));
    }
    if let Some(pop) = get("pop").filter(|p| is_pop_id(p)) {
        obs.push_header("X-Amz-Cf-Pop", pop);
    }
    for (key, header) in [("age", "Age"), ("retry", "Retry-After")] {
        if let Some(n) = get(key).filter(|v| v.parse::<u32>().is_ok()) {
            obs.push_header(header, n);
        }
    }
    for (key, header) in [
        ("log", "x-edge-result-type"),
        ("dlog", "x-edge-detailed-result-type"),
    ] {
        if let Some(t) = get(key).and_then(ResultType::parse) {
            obs.push_header(header, t.as_str());
        }
    }
    let timings: Vec<String> = [
        ("dns", "cdn-upstream-dns"),
        ("connect", "cdn-upstream-connect"),
        ("fbl", "cdn-upstream-fbl"),
    ]
    .iter()
    .filter_map(|(key, metric)| {
        let ms = get(key)?.parse::<u32>().ok()?;
        Some(format!("{metric};dur={ms}"))
    })
    .collect();
    if !timings.is_empty() {
        obs.push_header("Server-Timing", &timings.join(", "));
    }
    // An XML error body carries only its code: S3's `<Error>`, or the CloudFront API's.
    if let Some(code) = get("code").filter(|c| is_code_word(c)) {
        let body = if get("api") == Some("1") {
            format!(
                "<ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Error><Code>{code}</Code></Error></ErrorResponse>"
            )
        } else {
            format!("<Error><Code>{code}</Code></Error>")
        };
        obs.attach_body(&body, Some("application/xml"));
    }
    let phrase = get("phrase").filter(|p| crate::signals::is_known_phrase(p));
    let footer = (get("page") == Some("cf")).then_some(CLOUDFRONT_PAGE_FOOTER);
    let text: Vec<&str> = phrase.into_iter().chain(footer).collect();
    if !text.is_empty() {
        obs.set_page_text(&text.join("\n"));
    }
    Ok((obs, kind))
}

/// Diagnoses a shared link: the canonical response rebuilt from its facts, with a note saying so.
pub fn diagnose(fragment: &str) -> Result<Diagnosis, ShareError> {
    let (obs, kind) = decode(fragment)?;
    let mut sig = Signals::extract(&obs);
    if kind.is_some() {
        sig.origin_kind = kind;
    }
    let mut d = crate::diagnose::diagnose_signals(&obs, &sig, None);
    d.notes.insert(
        0,
        Note {
            id: crate::diagnose::NoteId::SharedLink,
            text: String::from(
                "Rebuilt from a shared link, which carries only derived facts (status, result type, \
                 edge location, recognised page sentence, origin kind): no URL, headers or page \
                 text of the original.",
            ),
        },
    );
    Ok(d)
}

/// The line that marks CloudFront's own error page, for a link that says the page was seen.
const CLOUDFRONT_PAGE_FOOTER: &str = "Generated by cloudfront (CloudFront)";

/// An error code: one word of ASCII letters and digits (`SlowDown`, `ServiceUnavailable`).
fn is_code_word(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A POP id as the POP table's grammar reads it (`FRA56-P1`, `IAD89-C1`, `sof50-p2`, a bare
/// `IAD`), written exactly so: nothing around it, nothing else in it.
fn is_pop_id(s: &str) -> bool {
    s.len() <= 16 && crate::pops::PopId::parse(s).is_some_and(|p| p.raw == s)
}

fn percent_encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| char::from(c).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?')); // two hex digits: < 256
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn pop_ids() {
        // The same grammar as the POP table's (issue 12: links used to drop `IAD`, `sof50-p2`).
        for ok in [
            "FRA56-P1", "IAD89-C1", "HIO50-C2", "AMS1", "IAD", "sof50-p2",
        ] {
            assert!(is_pop_id(ok), "{ok}");
        }
        for bad in [
            "",
            " IAD89-C1",
            "FRA-P1",
            "FRA56-",
            "FRA56-P1<script>",
            "FR",
            "FRAX",
        ] {
            assert!(!is_pop_id(bad), "{bad}");
        }
    }

    #[test]
    fn percent_round_trip() {
        let s = "The Lambda function … doesn't & = %";
        let mut enc = String::new();
        percent_encode(s, &mut enc);
        assert!(!enc.contains(['&', '=', ' ']));
        assert_eq!(percent_decode(&enc), s);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn foreign_values_are_dropped() {
        let obs = observation(
            "v=1&status=503&gen=cloudfront&xcache=%3Cscript%3E&pop=FRA56-P1%3Cimg%3E&phrase=secret%20token&age=x&retry=Wed&kind=evil&dns=-1",
        )
        .unwrap();
        let head = obs.render_head();
        assert_eq!(head, "HTTP/1.1 503\r\nServer: CloudFront\r\n", "{head}");
        assert_eq!(obs.page_text(), None);
    }

    #[test]
    fn not_a_link() {
        assert_eq!(
            observation("cause=origin_dns").unwrap_err(),
            ShareError::NotALink
        );
        assert_eq!(
            observation("v=2&status=503").unwrap_err(),
            ShareError::NotALink
        );
        assert_eq!(
            observation("v=1&status=abc").unwrap_err(),
            ShareError::NoStatus
        );
    }
}
