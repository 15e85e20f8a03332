//! HAR 1.2 files (what browsers' devtools and support desks export).
//!
//! Every entry is read; only failing ones are turned into observations. Speed matters (support
//! HARs run to hundreds of megabytes), so the first pass borrows from the input and leaves
//! headers and bodies as unparsed JSON slices (`RawValue`); they are decoded only for the
//! entries that failed.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::json_scan::{ScanError, Scanner, line_column};
use super::{HarError, ParseError};
use crate::observation::{Observation, Source};

/// One failing entry of a HAR file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HarEntry {
    /// Position in `log.entries`, from 0.
    pub index: usize,
    /// How many failing entries of the file this one stands for (itself included): identical
    /// failures (same status, headers and page, apart from per-request values such as the date
    /// or the request id) are kept once.
    pub repeats: usize,
    /// Positions of the first few of the other entries it stands for.
    pub same_as: Vec<usize>,
    /// `startedDateTime` as written.
    pub started: Option<String>,
    /// The response, as observed.
    pub observation: Observation,
}

/// A parsed HAR file: how many entries it had and the failing ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Har {
    /// Number of entries in `log.entries`.
    pub total_entries: usize,
    /// Entries whose response failed (as the caller's [`IsFailing`] judged), in file order.
    pub failing: Vec<HarEntry>,
    /// Failing entries that could not be read (a malformed header list, say), skipped so the
    /// rest of the file is still diagnosed: how many, and the first one's error.
    pub unreadable: usize,
    /// Failing entries past [`MAX_DISTINCT_FAILURES`] distinct ones: counted, not kept.
    pub summarised: usize,
    /// The first unreadable entry's error.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub first_unreadable: Option<HarError>,
}

/// One entry of `log.entries`; also a single entry pasted on its own ("Copy as HAR" of one
/// request in some tools).
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    request: Option<Request<'a>>,
    #[serde(borrow)]
    response: Option<Response<'a>>,
    #[serde(rename = "startedDateTime", borrow)]
    started: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Request<'a> {
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
}

impl Request<'_> {
    fn into_owned(self) -> Request<'static> {
        Request {
            url: self.url.map(|u| Cow::Owned(u.into_owned())),
        }
    }
}

#[derive(Deserialize)]
struct Response<'a> {
    #[serde(borrow)]
    status: Option<&'a RawValue>,
    #[serde(rename = "statusText", borrow)]
    status_text: Option<Cow<'a, str>>,
    #[serde(rename = "httpVersion", borrow)]
    http_version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    headers: Option<&'a RawValue>,
    #[serde(borrow)]
    content: Option<Content<'a>>,
}

#[derive(Deserialize)]
struct Content<'a> {
    #[serde(rename = "mimeType", borrow)]
    mime_type: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Option<&'a RawValue>,
    #[serde(borrow)]
    encoding: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
}

/// Bodies beyond this are not decoded (error pages are a few KB).
const BODY_DECODE_LIMIT: usize = 2 * 1024 * 1024;

/// Which responses count as failures: the diagnosis's policy (`signals::is_failing`), handed
/// in by the caller so that parsing applies none of its own. It must not read the values of
/// the [`VERDICT_FREE_VALUES`] headers: a response that differs from one judged before only in
/// those is given that one's verdict.
pub type IsFailing = fn(&Observation) -> bool;

/// Parses a HAR document, keeping the entries `is_failing` accepts.
pub fn parse(input: &str, is_failing: IsFailing) -> Result<Har, ParseError> {
    let bytes = input.as_bytes();
    let scanned = scan(bytes).map_err(|e| ParseError::Har(scan_error(bytes, &e)))?;
    let Some(entries) = scanned.entries else {
        return match (scanned.saw_log, scanned.saw_response) {
            (true, _) => Err(ParseError::Har(HarError::NoEntries)),
            // A single entry pasted on its own: small, so parse it whole.
            (false, true) => parse_single(input, is_failing),
            (false, false) => Err(ParseError::Har(HarError::NotHar)),
        };
    };
    let total_entries = entries.len();
    let mut har = Har {
        total_entries,
        failing: Vec::new(),
        unreadable: 0,
        summarised: 0,
        first_unreadable: None,
    };
    let mut groups = Groups::default();
    for (index, span) in entries.into_iter().enumerate() {
        // Successful responses are skipped without decoding anything else.
        if span.status.is_none_or(|s| s < 400) {
            continue;
        }
        let text = &input[span.start..span.end];
        let bad_entry = |e: serde_json::Error| {
            ParseError::Har(HarError::BadEntry {
                index,
                what: "the entry is not a valid HAR entry",
                detail: alloc::format!("{e}"),
            })
        };
        // A lone UTF-16 surrogate escape (`\ud800`) is valid JSON syntax that serde refuses:
        // replaced by U+FFFD, the entry is read like any other.
        let read = match span.response {
            // The response alone is read first: most responses are like one read before, and
            // their entry's request is never read (it was a third of the time of a file of
            // many like 4xx responses).
            Some((from, to)) => {
                let response = &input[from..to];
                let repaired = repair_lone_surrogates(response);
                let response = repaired.as_deref().unwrap_or(response);
                let rest = || {
                    let repaired = repair_lone_surrogates(text);
                    let text = repaired.as_deref().unwrap_or(text);
                    serde_json::from_str::<Entry<'_>>(text)
                        .map(|entry| Rest {
                            request: entry.request.map(Request::into_owned),
                            started: entry.started.map(|s| Cow::Owned(s.into_owned())),
                        })
                        .map_err(bad_entry)
                };
                // A response like one read before (but for per-request values) is what that
                // one was: counted without reading it again.
                let key = verdict_key(&input[from..to]);
                if let Some(known) = key.as_ref().and_then(|k| groups.known.get(k)) {
                    match *known {
                        Outcome::Refused => {}
                        Outcome::Kept(g) => repeat(&mut har.failing[g], index),
                        Outcome::Summarised => har.summarised += 1,
                    }
                    continue;
                }
                serde_json::from_str::<Response<'_>>(response)
                    .map_err(bad_entry)
                    .and_then(|r| {
                        push_if_failing(
                            &mut har,
                            &mut groups,
                            index,
                            key,
                            Some(r),
                            rest,
                            is_failing,
                        )
                    })
            }
            None => {
                let repaired = repair_lone_surrogates(text);
                let text = repaired.as_deref().unwrap_or(text);
                serde_json::from_str::<Entry<'_>>(text)
                    .map_err(bad_entry)
                    .and_then(|entry| {
                        let rest = Rest {
                            request: entry.request,
                            started: entry.started,
                        };
                        push_if_failing(
                            &mut har,
                            &mut groups,
                            index,
                            None,
                            entry.response,
                            || Ok(rest),
                            is_failing,
                        )
                    })
            }
        };
        if let Err(ParseError::Har(e)) = read {
            har.unreadable += 1;
            har.first_unreadable.get_or_insert(e);
        }
    }
    // Nothing readable to diagnose: the reason is the answer.
    if har.failing.is_empty()
        && let Some(e) = har.first_unreadable.take()
    {
        return Err(ParseError::Har(e));
    }
    Ok(har)
}

/// `text` with every lone surrogate escape (`\uD800`–`\uDFFF` not forming a pair) replaced by
/// `\uFFFD`; `None` when there is none.
fn repair_lone_surrogates(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let hex = |at: usize| -> Option<u16> {
        let digits = text.get(at..at + 4)?;
        u16::from_str_radix(digits, 16).ok()
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i + 1 < b.len() {
        // From one backslash to the next (a vectorised search: most of an entry has none).
        match memchr::memchr(b'\\', &b[i..]) {
            Some(off) => i += off,
            None => break,
        }
        if i + 1 >= b.len() {
            break;
        }
        if b[i + 1] != b'u' {
            i += 2;
            continue;
        }
        let Some(unit) = hex(i + 2) else {
            i += 2;
            continue;
        };
        let paired = (0xD800..0xDC00).contains(&unit)
            && b.get(i + 6) == Some(&b'\\')
            && b.get(i + 7) == Some(&b'u')
            && hex(i + 8).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        if paired {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            o.push_str("\\ufffd");
            i += 6;
            copied = i;
        } else {
            i += 6;
        }
    }
    out.map(|mut o| {
        o.push_str(&text[copied..]);
        o
    })
}

fn parse_single(input: &str, is_failing: IsFailing) -> Result<Har, ParseError> {
    let repaired = repair_lone_surrogates(input);
    let input = repaired.as_deref().unwrap_or(input);
    let entry: Entry<'_> =
        serde_json::from_str(input).map_err(|e| ParseError::Har(json_error(&e)))?;
    let mut har = Har {
        total_entries: 1,
        ..Har::default()
    };
    let rest = Rest {
        request: entry.request,
        started: entry.started,
    };
    push_if_failing(
        &mut har,
        &mut Groups::default(),
        0,
        None,
        entry.response,
        || Ok(rest),
        is_failing,
    )?;
    Ok(har)
}

/// Distinct failures kept from one file; more are counted in [`Har::summarised`]. A HAR file
/// of one failing page has a handful; thousands are a load test, and memory must stay bounded.
pub const MAX_DISTINCT_FAILURES: usize = 200;

/// Other entries listed by position in [`HarEntry::same_as`], at most.
const SAME_AS_LIMIT: usize = 20;

/// Headers that differ between otherwise identical failures: the [`VERDICT_FREE_VALUES`] and
/// `Set-Cookie` (a failure policy may read a cookie's presence, a failure's identity does not).
fn per_request(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie")
        || VERDICT_FREE_VALUES
            .iter()
            .any(|p| name.eq_ignore_ascii_case(p))
}

/// The identity of a failure, for grouping: a hash of its status, its headers but the
/// per-request ones, and its page text.
#[derive(Default)]
struct Groups {
    keys: Vec<u64>,
    /// What became of the responses read so far, by [`verdict_key`]: a load test's thousand
    /// identical 404s are judged and grouped once (building, judging and hashing each one's
    /// observation was nine tenths of reading such a file). Exact keys, not hashes: a response
    /// can never be taken for another.
    known: alloc::collections::BTreeMap<Vec<u8>, Outcome>,
    /// Bytes taken by the keys of `known`.
    known_bytes: usize,
}

/// What became of a response.
#[derive(Clone, Copy)]
enum Outcome {
    /// The policy said it is no failure.
    Refused,
    /// A failure, kept as `har.failing[i]`.
    Kept(usize),
    /// A failure past [`MAX_DISTINCT_FAILURES`] distinct ones.
    Summarised,
}

/// Responses remembered, at most, and the bytes of their keys, at most: memory stays bounded
/// whatever the file (past either, responses are judged one by one, as before).
const KNOWN_KEPT: usize = 1024;
const KNOWN_BYTES: usize = 4 << 20;
/// Responses (as written) longer than this get no key: error pages are a few KB.
const KEYED_RESPONSE_BYTES: usize = 256 << 10;

/// Headers whose *value* neither the failure policy nor the grouping reads (their presence
/// counts, and is in the key): per-request values that differ between otherwise identical
/// responses. `signals::is_failing` reads none of them (a test changes each and checks its
/// verdict does not move); a failure's identity reads none either.
pub const VERDICT_FREE_VALUES: &[&str] = &[
    "date",
    "age",
    "x-amz-cf-id",
    "x-amzn-requestid",
    "x-amzn-trace-id",
    "x-amz-request-id",
    "x-amz-id-2",
    "x-amz-apigw-id",
    "apigw-requestid",
    "content-length",
    "etag",
    "expires",
    "last-modified",
];

/// A response as written, with the value of each [`VERDICT_FREE_VALUES`] header cut out:
/// two responses with the same key differ in those values at most, so the failure policy and
/// the grouping say the same of both. Read from the raw JSON (no decoding): a key is a copy of
/// the response's bytes, and a response like one read before is settled without serde.
/// `None` when the response is not an object the scanner can walk (it is then read as usual).
fn verdict_key(response: &str) -> Option<Vec<u8>> {
    let b = response.as_bytes();
    // A response this big is read as usual: copying it for a key would cost what it saves.
    if b.len() > KEYED_RESPONSE_BYTES {
        return None;
    }
    let mut holes: Vec<(usize, usize)> = Vec::new();
    let mut sc = Scanner::new(b);
    sc.object(|key, sc| {
        if key != b"headers" || sc.peek() != Some(b'[') {
            return sc.skip_value().map(drop);
        }
        sc.array(|sc| {
            if sc.peek() != Some(b'{') {
                return sc.skip_value().map(drop);
            }
            let (mut name, mut value) = (None, None);
            sc.object(|key, sc| {
                let span = sc.skip_value()?;
                match key {
                    b"name" => name = Some(span),
                    b"value" => value = Some(span),
                    _ => {}
                }
                Ok(())
            })?;
            if let (Some((ns, ne)), Some(value)) = (name, value) {
                // The name as written, quotes and blanks off (an escaped name is kept whole).
                let name = b[ns..ne]
                    .strip_prefix(b"\"")
                    .and_then(|n| n.strip_suffix(b"\""));
                if name.is_some_and(|n| {
                    let n = n.trim_ascii();
                    VERDICT_FREE_VALUES
                        .iter()
                        .any(|free| n.eq_ignore_ascii_case(free.as_bytes()))
                }) {
                    holes.push(value);
                }
            }
            Ok(())
        })
    })
    .ok()?;
    if !sc.at_end() {
        return None;
    }
    let mut key = Vec::with_capacity(b.len());
    let mut copied = 0;
    for (from, to) in holes {
        key.extend_from_slice(&b[copied..from]);
        // A byte no JSON text holds unescaped: a hole cannot be mistaken for a value.
        key.push(0);
        copied = to;
    }
    key.extend_from_slice(&b[copied..]);
    Some(key)
}

fn failure_key(obs: &Observation) -> u64 {
    // FNV-1a: small, no_std, deterministic; a collision only merges two failures' counts.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(&obs.status().unwrap_or(0).to_be_bytes());
    for (name, value) in obs.headers().iter() {
        if !per_request(name) {
            eat(name.to_ascii_lowercase().as_bytes());
            eat(value.as_bytes());
        }
    }
    let page = obs.page_text().unwrap_or("");
    // The request id on CloudFront's page differs for every request.
    let page = page.split("Request ID:").next().unwrap_or(page);
    eat(page.as_bytes());
    h
}

/// The rest of an entry, read only for a response that is kept: its request and start time.
struct Rest<'a> {
    request: Option<Request<'a>>,
    started: Option<Cow<'a, str>>,
}

fn push_if_failing<'a>(
    har: &mut Har,
    groups: &mut Groups,
    index: usize,
    key: Option<Vec<u8>>,
    response: Option<Response<'_>>,
    rest: impl FnOnce() -> Result<Rest<'a>, ParseError>,
    is_failing: IsFailing,
) -> Result<(), ParseError> {
    let Some(response) = response else {
        return Ok(());
    };
    let Some(status) = response.status.and_then(|raw| status_of(raw.get())) else {
        return Ok(());
    };
    if status < 400 {
        return Ok(());
    }
    let headers = match response.headers {
        Some(raw) => serde_json::from_str::<Vec<Header<'_>>>(raw.get()).map_err(|e| {
            ParseError::Har(HarError::BadEntry {
                index,
                what: "response.headers is not a list of {name, value}",
                detail: alloc::format!("{e}"),
            })
        })?,
        None => Vec::new(),
    };
    let rest = rest()?;
    let observation = observe(rest.request, response, &headers, status);
    let outcome = if !is_failing(&observation) {
        Outcome::Refused
    } else {
        let failure = failure_key(&observation);
        if let Some(g) = groups.keys.iter().position(|k| *k == failure) {
            repeat(&mut har.failing[g], index);
            Outcome::Kept(g)
        } else if har.failing.len() < MAX_DISTINCT_FAILURES {
            groups.keys.push(failure);
            har.failing.push(HarEntry {
                index,
                repeats: 1,
                same_as: Vec::new(),
                started: rest.started.map(Cow::into_owned),
                observation,
            });
            Outcome::Kept(har.failing.len() - 1)
        } else {
            har.summarised += 1;
            Outcome::Summarised
        }
    };
    if let Some(key) = key
        && groups.known.len() < KNOWN_KEPT
        && groups.known_bytes + key.len() <= KNOWN_BYTES
    {
        groups.known_bytes += key.len();
        groups.known.insert(key, outcome);
    }
    Ok(())
}

/// One more failure like `kept`, at `index`.
fn repeat(kept: &mut HarEntry, index: usize) {
    kept.repeats += 1;
    if kept.same_as.len() < SAME_AS_LIMIT {
        kept.same_as.push(index);
    }
}

/// Where an entry is, and its response status if it has a readable one.
struct EntrySpan {
    start: usize,
    end: usize,
    status: Option<u16>,
    /// The response object's span, when the entry has exactly one (two are an error serde
    /// reports, so such an entry is read whole).
    response: Option<(usize, usize)>,
}

struct Scanned {
    saw_log: bool,
    saw_response: bool,
    entries: Option<Vec<EntrySpan>>,
}

fn scan(b: &[u8]) -> Result<Scanned, ScanError> {
    let mut sc = Scanner::new(b);
    let mut out = Scanned {
        saw_log: false,
        saw_response: false,
        entries: None,
    };
    if sc.peek() != Some(b'{') {
        return Err(sc.schema_err("a JSON object"));
    }
    sc.object(|key, sc| match key {
        b"log" if !out.saw_log => {
            out.saw_log = true;
            if sc.peek() != Some(b'{') {
                return Err(sc.schema_err("\"log\" to be an object"));
            }
            sc.object(|key, sc| {
                if key != b"entries" || out.entries.is_some() {
                    return sc.skip_value().map(drop);
                }
                if sc.peek() != Some(b'[') {
                    return Err(sc.schema_err("\"log.entries\" to be an array"));
                }
                let mut entries = Vec::new();
                sc.array(|sc| {
                    entries.push(scan_entry(sc)?);
                    Ok(())
                })?;
                out.entries = Some(entries);
                Ok(())
            })
        }
        b"response" => {
            out.saw_response = true;
            sc.skip_value().map(drop)
        }
        _ => sc.skip_value().map(drop),
    })?;
    if !sc.at_end() {
        return Err(sc.schema_err("the end of the document"));
    }
    Ok(out)
}

fn scan_entry(sc: &mut Scanner<'_>) -> Result<EntrySpan, ScanError> {
    if sc.peek() != Some(b'{') {
        let (start, end) = sc.skip_value()?;
        return Ok(EntrySpan {
            start,
            end,
            status: None,
            response: None,
        });
    }
    let start = sc.pos;
    let mut status = None;
    let mut responses = 0;
    let mut response = None;
    sc.object(|key, sc| {
        if key == b"response" {
            responses += 1;
        }
        if key != b"response" || sc.peek() != Some(b'{') {
            return sc.skip_value().map(drop);
        }
        let from = sc.pos;
        let walked = sc.object(|key, sc| {
            let (s, e) = sc.skip_value()?;
            if key == b"status" {
                status = core::str::from_utf8(&sc.bytes()[s..e])
                    .ok()
                    .and_then(status_of);
            }
            Ok(())
        });
        response = Some((from, sc.pos));
        walked
    })?;
    Ok(EntrySpan {
        start,
        end: sc.pos,
        status,
        response: response.filter(|_| responses == 1),
    })
}

fn scan_error(b: &[u8], e: &ScanError) -> HarError {
    let (line, column) = line_column(b, e.offset);
    let detail = alloc::format!("expected {}", e.expected);
    if e.eof {
        HarError::Truncated { line, column }
    } else if e.schema {
        HarError::Schema {
            line,
            column,
            detail,
        }
    } else {
        HarError::Json {
            line,
            column,
            detail,
        }
    }
}

fn observe(
    request: Option<Request<'_>>,
    response: Response<'_>,
    headers: &[Header<'_>],
    status: u16,
) -> Observation {
    let mut obs = Observation::new(Source::Har);
    if let Some(url) = request.and_then(|r| r.url) {
        obs.set_url(&url);
    }
    obs.set_status(status, response.status_text.as_deref());
    if let Some(v) = response.http_version.as_deref().filter(|v| !v.is_empty()) {
        obs.set_http_version(v);
    }
    for h in headers {
        // HTTP/2 pseudo-headers appear in some exports; the status is already known.
        if !h.name.starts_with(':') {
            obs.push_header(&h.name, &h.value);
        }
    }
    if let Some(content) = response.content
        && let Some(text) = content
            .text
            .and_then(|raw| decode_text(raw, content.encoding.as_deref()))
    {
        obs.attach_body(&text, content.mime_type.as_deref());
    }
    obs
}

fn status_of(raw: &str) -> Option<u16> {
    let s = raw.trim().trim_matches('"');
    // Some exporters write 503.0.
    let s = s.strip_suffix(".0").unwrap_or(s);
    s.parse::<u16>().ok().filter(|s| (100..=999).contains(s))
}

fn decode_text(raw: &RawValue, encoding: Option<&str>) -> Option<String> {
    if raw.get().len() > BODY_DECODE_LIMIT * 2 {
        return None;
    }
    let text: String = serde_json::from_str(raw.get()).ok()?;
    match encoding {
        Some(e) if e.eq_ignore_ascii_case("base64") => {
            let bytes = base64_decode(&text)?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        _ => Some(text),
    }
}

/// Standard base64 with optional padding and embedded white space; `None` on anything else.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in s.as_bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\r' | b'\n' | b' ' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from(acc >> bits).unwrap_or(u8::MAX)); // < 256: the bits above were taken
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn json_error(e: &serde_json::Error) -> HarError {
    let (line, column) = (e.line(), e.column());
    if e.is_eof() {
        HarError::Truncated { line, column }
    } else if e.is_data() {
        HarError::Schema {
            line,
            column,
            detail: alloc::format!("{e}"),
        }
    } else {
        HarError::Json {
            line,
            column,
            detail: alloc::format!("{e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVs\nbG8").unwrap(), b"hello");
        assert!(base64_decode("a*b").is_none());
    }

    #[test]
    fn only_failing_entries_are_kept() {
        let har = r#"{"log":{"version":"1.2","entries":[
          {"startedDateTime":"2026-11-26T05:00:00Z","request":{"url":"https://x/ok"},"response":{"status":200,"headers":[],"content":{"text":"fine"}}},
          {"request":{"url":"https://x/a?Signature=s3cr3t"},"response":{"status":503,"statusText":"Service Unavailable","httpVersion":"http/2.0","headers":[{"name":"Server","value":"CloudFront"},{"name":":status","value":"503"}],"content":{"mimeType":"text/html","encoding":"base64","text":"PGgxPjUwMyBFUlJPUjwvaDE+"}}}
        ]}}"#;
        let h = parse(har, crate::signals::is_failing).unwrap();
        assert_eq!(h.total_entries, 2);
        assert_eq!(h.failing.len(), 1);
        let e = &h.failing[0];
        assert_eq!(e.index, 1);
        assert_eq!(e.observation.status(), Some(503));
        assert_eq!(
            e.observation.url(),
            Some("https://x/a?Signature=[redacted]")
        );
        assert_eq!(e.observation.page_text(), Some("503 ERROR"));
        assert_eq!(e.observation.headers().len(), 1);
    }

    /// A response like one read before is counted by that one's outcome, without being read:
    /// the groups, repeats and refusals are what reading each one would give.
    #[test]
    fn like_responses_are_counted_as_the_first_was() {
        let entry = |status: u16, server: &str, via: &str, id: &str, date: &str, body: &str| {
            alloc::format!(
                r#"{{"request":{{"url":"https://x/{id}"}},"response":{{"status":{status},"headers":[{{"name":"Server","value":"{server}"}},{{"name":"Via","value":"{via}"}},{{"name":"X-Cache","value":"Error from cloudfront"}},{{"name":"x-amz-cf-id","value":"{id}"}},{{"name":"Date","value":"{date}"}}],"content":{{"mimeType":"text/html","text":"{body}"}}}}}}"#
            )
        };
        let cf = "1.1 a.cloudfront.net (CloudFront)";
        let entries = [
            // 0: a 404 CloudFront wrote (Server: CloudFront): failing.
            entry(404, "CloudFront", cf, "id0aaaaaaaa", "d0", "gone"),
            // 1: the same but for its request id and date: a repeat of 0.
            entry(404, "CloudFront", cf, "id1bbbbbbbb", "d1", "gone"),
            // 2: nginx's own 404: refused.
            entry(404, "nginx", cf, "id2cccccccc", "d2", "gone"),
            // 3: the same as 2 but for per-request values: refused too.
            entry(404, "nginx", cf, "id3dddddddd", "d3", "gone"),
            // 4: as 0, another Via: not like 0 (read, its own group).
            entry(
                404,
                "CloudFront",
                "1.1 b.cloudfront.net (CloudFront)",
                "id4",
                "d0",
                "gone",
            ),
            // 5: as 0, another body: its own group.
            entry(404, "CloudFront", cf, "id5eeeeeeee", "d0", "other"),
            // 6: as 0 again.
            entry(404, "CloudFront", cf, "id6ffffffff", "d6", "gone"),
        ];
        let har = alloc::format!(r#"{{"log":{{"entries":[{}]}}}}"#, entries.join(","));
        let h = parse(&har, crate::signals::is_failing).unwrap();
        let got: Vec<(usize, usize, Vec<usize>)> = h
            .failing
            .iter()
            .map(|e| (e.index, e.repeats, e.same_as.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (0, 3, alloc::vec![1, 6]),
                (4, 1, alloc::vec![]),
                (5, 1, alloc::vec![])
            ]
        );
        assert_eq!((h.total_entries, h.summarised, h.unreadable), (7, 0, 0));
        // The kept observation is the first entry's own (its request id, its URL).
        assert_eq!(
            h.failing[0].observation.url(),
            Some("https://x/id0aaaaaaaa")
        );
        // Each alone gives the same verdict.
        for (i, e) in entries.iter().enumerate() {
            let alone = parse(e, crate::signals::is_failing).unwrap();
            assert_eq!(
                alone.failing.len(),
                usize::from(![2, 3].contains(&i)),
                "{i}"
            );
        }
    }

    #[test]
    fn the_key_cuts_out_per_request_values_only() {
        let a = r#"{"status":404,"headers":[{"name":" DATE ","value":"one"},{"value":"v","name":"Via"},{"name":"x-amz-cf-id","value":"abc"}]}"#;
        let b = r#"{"status":404,"headers":[{"name":" DATE ","value":"two"},{"value":"v","name":"Via"},{"name":"x-amz-cf-id","value":"xyz"}]}"#;
        let c = r#"{"status":404,"headers":[{"name":" DATE ","value":"one"},{"value":"w","name":"Via"},{"name":"x-amz-cf-id","value":"abc"}]}"#;
        assert_eq!(verdict_key(a), verdict_key(b));
        assert_ne!(verdict_key(a), verdict_key(c));
        assert!(verdict_key(a).is_some());
        // Not an object, or too big: no key (read as usual).
        assert_eq!(verdict_key("[1]"), None);
        let big = alloc::format!(
            r#"{{"status":404,"content":{{"text":"{}"}}}}"#,
            "x".repeat(300 << 10)
        );
        assert_eq!(verdict_key(&big), None);
    }

    #[test]
    fn truncated_har_is_reported_as_such() {
        match parse(
            r#"{"log":{"entries":[{"response":{"status":503"#,
            crate::signals::is_failing,
        ) {
            Err(ParseError::Har(HarError::Truncated { line: 1, .. })) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_single_entry_on_its_own() {
        let one = r#"{"startedDateTime":"2026-11-26T05:00:00Z","request":{"url":"https://x/"},"response":{"status":"503","headers":[{"name":"x-cache","value":"LambdaLimitExceeded from cloudfront"}]}}"#;
        let h = parse(one, crate::signals::is_failing).unwrap();
        assert_eq!(h.total_entries, 1);
        assert_eq!(h.failing[0].observation.status(), Some(503));
        assert_eq!(
            h.failing[0].started.as_deref(),
            Some("2026-11-26T05:00:00Z")
        );
    }

    #[test]
    fn json_that_is_not_har() {
        assert!(matches!(
            parse(r#"{"hello": 1}"#, crate::signals::is_failing),
            Err(ParseError::Har(HarError::NotHar))
        ));
        assert!(matches!(
            parse(r#"{"log": {}}"#, crate::signals::is_failing),
            Err(ParseError::Har(HarError::NoEntries))
        ));
    }
}
