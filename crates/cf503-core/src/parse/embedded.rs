//! Response headers written inside other tools' output, as people paste it: an HTTP client's
//! error log line with the headers as JSON (`headers={"x-cache":"Error from cloudfront",…}`),
//! Node's printed object (`{ 'x-cache': 'Error from cloudfront', via: '1.1 …' }`), a Python dict
//! (`{'X-Cache': 'Error from cloudfront'}`), Go's `http.Header` (`map[X-Cache:[Error from
//! cloudfront]]`), `key=value` pairs with underscores (`x_amz_cf_pop=IAD89-C1`); and the status
//! such a line states (`status=503`, `"statusCode": 503`, `status code 503`).
//!
//! Only the response headers cf503's signals read are looked for ([`NAMES`]), each as a name
//! followed by `:` or `=` and a value: a mention in prose ("the x-cache header was…") is no
//! header. The text is read as headers only when it holds CloudFront's own ([`CLOUDFRONT`]) or
//! two of the others, so a request's headers printed beside a response (`Accept`, `Host`) or one
//! stray word are not taken for it. Bounded whatever the text: one pass over its first
//! [`SCAN`] bytes, and every value read ends within [`VALUE_MAX`] bytes.

use alloc::string::String;
use alloc::vec::Vec;

use crate::text::floor_char_boundary;

/// The response headers read from inside other text: those the signals use (CloudFront's, the
/// origin kinds' and other CDNs'), lower case. Request headers are left out: an error dump
/// prints the request's beside the response's.
pub(crate) const NAMES: &[&str] = &[
    "x-cache",
    "x-amz-cf-pop",
    "x-amz-cf-id",
    "via",
    "server",
    "age",
    "retry-after",
    "server-timing",
    "x-amzn-errortype",
    "x-amzn-requestid",
    "x-amzn-trace-id",
    "x-amz-apigw-id",
    "x-amz-request-id",
    "x-amz-id-2",
    "cf-ray",
    "x-served-by",
    "x-fastly-request-id",
];

/// Names that alone show the text holds CloudFront's response headers.
const CLOUDFRONT: &[&str] = &["x-cache", "x-amz-cf-pop", "x-amz-cf-id"];

/// The part of the text searched (a pasted log line or printed object is short; the page
/// parser reads the same first 64 KB).
const SCAN: usize = 64 * 1024;

/// The longest value read (CloudFront's longest header values are ids and `Server-Timing`).
const VALUE_MAX: usize = 4 * 1024;

/// What was found inside the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Embedded {
    /// `(name, value)` in the order they appear, each name once (its first value).
    pub headers: Vec<(&'static str, String)>,
    /// The status the text states, when it holds headers too.
    pub status: Option<u16>,
}

/// The response headers (and status) inside `text`, when it holds some.
pub(crate) fn read(text: &str) -> Option<Embedded> {
    let text = &text[..floor_char_boundary(text, SCAN)];
    let folded = fold(text);
    // One pass: at each word's start, the names it may begin (no substring searcher: memmem
    // would add 7 KB to the browser's first-verdict module). Each name's first value is kept.
    let mut found: Vec<(usize, &'static str, String)> = Vec::new();
    let mut seen = [false; NAMES.len()];
    for at in 0..folded.len() {
        if at > 0 && is_name_byte(folded[at - 1]) {
            continue;
        }
        for (k, name) in NAMES.iter().enumerate() {
            if !seen[k]
                && folded[at..].starts_with(name.as_bytes())
                && let Some(value) = value_after(text, &folded, at, name.len())
            {
                seen[k] = true;
                found.push((at, name, value));
            }
        }
    }
    let cloudfront = found.iter().any(|(_, n, _)| CLOUDFRONT.contains(n));
    if !cloudfront && found.len() < 2 {
        return None;
    }
    found.sort_by_key(|(at, _, _)| *at);
    Some(Embedded {
        headers: found.into_iter().map(|(_, n, v)| (n, v)).collect(),
        status: status_in(&folded),
    })
}

/// Lower case, `_` as `-` (logfmt and attribute names): the same length and byte offsets as the
/// text, so a match's place is the value's place in the text.
fn fold(text: &str) -> Vec<u8> {
    text.bytes()
        .map(|b| {
            if b == b'_' {
                b'-'
            } else {
                b.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Part of a name: a match inside a longer word (`max-cache`, `server-timing` for `server`) is
/// not the name.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// The value of the name matched at `at` (`len` bytes): the name quoted or not, then `:` or `=`
/// (or Go's `:[`), then a quoted value, a `[…]` list, or a bare value up to a delimiter.
fn value_after(text: &str, folded: &[u8], at: usize, len: usize) -> Option<String> {
    let before = at.checked_sub(1).map(|i| folded[i]);
    if before.is_some_and(is_name_byte) {
        return None;
    }
    let mut i = at + len;
    if folded.get(i).copied().is_some_and(is_name_byte) {
        return None;
    }
    // The name's closing quote, when it opened with one (a Markdown code span's too); a name
    // inside a longer quoted string is no name.
    match before {
        Some(q @ (b'"' | b'\'' | b'`')) if folded.get(i) == Some(&q) => i += 1,
        Some(b'"' | b'\'') => return None,
        _ => {}
    }
    i = skip_blanks(folded, i);
    if !matches!(folded.get(i), Some(b':' | b'=')) {
        return None;
    }
    i = skip_blanks(folded, i + 1);
    let b = text.as_bytes();
    let value = match b.get(i)? {
        &q @ (b'"' | b'\'' | b'`') => quoted(b, i + 1, q)?,
        b'[' => {
            // Go's `[v]` (a value list printed with spaces between: kept whole).
            let rest = &b[i + 1..b.len().min(i + 1 + VALUE_MAX)];
            let end = memchr::memchr2(b']', b'\n', rest).filter(|&e| rest[e] == b']')?;
            let inner = &text[i + 1..i + 1 + end];
            let inner = inner.trim();
            // Python's `['v']`.
            match inner.as_bytes().first() {
                Some(&q @ (b'"' | b'\'')) if inner.len() >= 2 && inner.ends_with(q as char) => {
                    String::from(&inner[1..inner.len() - 1])
                }
                _ => String::from(inner),
            }
        }
        _ => {
            let rest = &b[i..b.len().min(i + VALUE_MAX)];
            let end = rest
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b'\n' | b'\r' | b'"' | b'\'' | b'`'))
                .unwrap_or(rest.len());
            let end = floor_char_boundary(&text[i..], end);
            String::from(text[i..i + end].trim())
        }
    };
    let value = value.trim();
    (!value.is_empty()).then(|| String::from(value))
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
        i += 1;
    }
    i
}

/// A quoted value from `start` (after the opening quote `q`) to the closing one, its escapes
/// (`\"`, `\'`, `\\`, `\n`) decoded; `None` when it does not close within [`VALUE_MAX`] bytes or
/// before the line ends.
fn quoted(b: &[u8], start: usize, q: u8) -> Option<String> {
    let mut out = Vec::new();
    let mut i = start;
    let end = b.len().min(start + VALUE_MAX);
    while i < end {
        match b[i] {
            c if c == q => return String::from_utf8(out).ok(),
            b'\\' if i + 1 < end => {
                match b[i + 1] {
                    b'n' | b'r' | b't' => out.push(b' '),
                    c => out.push(c),
                }
                i += 2;
            }
            b'\n' | b'\r' => return None,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    None
}

/// The status the text states: `status code 503` (axios), or `status`, `statuscode`,
/// `status-code`, `httpstatuscode` (any case; `_` read as `-`) then `:` or `=` and three digits,
/// quoted or not. The first from 100 to 599.
fn status_in(folded: &[u8]) -> Option<u16> {
    (0..folded.len()).find_map(|at| {
        if !folded[at..].starts_with(b"status") {
            return None;
        }
        let mut i = at + "status".len();
        for word in [&b" code"[..], b"code", b"-code"] {
            if folded[i..].starts_with(word) {
                i += word.len();
                break;
            }
        }
        if matches!(folded.get(i), Some(b'"' | b'\'')) {
            i += 1;
        }
        let spaced = skip_blanks(folded, i);
        i = if matches!(folded.get(spaced), Some(b':' | b'=')) {
            skip_blanks(folded, spaced + 1)
        } else if folded[at..i].ends_with(b" code") && spaced > i {
            spaced
        } else {
            return None;
        };
        if matches!(folded.get(i), Some(b'"' | b'\'')) {
            i += 1;
        }
        let digits = folded.get(i..i + 3)?;
        if !digits.iter().all(u8::is_ascii_digit)
            || folded.get(i + 3).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        let n = digits
            .iter()
            .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        (100..=599).contains(&n).then_some(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn headers(text: &str) -> Vec<(&'static str, String)> {
        read(text).map(|e| e.headers).unwrap_or_default()
    }

    #[test]
    fn the_shapes_other_tools_print_headers_in() {
        // An HTTP client's error line with the headers as JSON.
        let json = r#"2026-12-05T00:41:12Z ERROR [http] GET https://www.example.com/a failed: status=503 headers={"content-type":"text/html","x-cache":"LambdaLimitExceeded from cloudfront","via":"1.1 3f2a.cloudfront.net (CloudFront)","x-amz-cf-pop":"FRA56-P1","x-amz-cf-id":"abc123=="}"#;
        let e = read(json).unwrap();
        assert_eq!(e.status, Some(503));
        assert_eq!(
            e.headers,
            [
                ("x-cache", "LambdaLimitExceeded from cloudfront".into()),
                ("via", "1.1 3f2a.cloudfront.net (CloudFront)".into()),
                ("x-amz-cf-pop", "FRA56-P1".into()),
                ("x-amz-cf-id", "abc123==".into()),
            ]
        );
        // Node's util.inspect of a response's headers (the shape posted in
        // kartikey54/VaccineAvailabilityNotifier#74): names quoted only when they need it.
        let node = "{\n  server: 'CloudFront',\n  'content-type': 'text/html',\n  'x-cache': 'Error from cloudfront',\n  via: '1.1 a35f.cloudfront.net (CloudFront)',\n  'x-amz-cf-pop': 'BOM51-C1',\n}";
        assert_eq!(
            headers(node),
            [
                ("server", "CloudFront".into()),
                ("x-cache", "Error from cloudfront".into()),
                ("via", "1.1 a35f.cloudfront.net (CloudFront)".into()),
                ("x-amz-cf-pop", "BOM51-C1".into()),
            ]
        );
        // A Python dict (requests' CaseInsensitiveDict prints as one), and boto's status.
        let python = "{'ResponseMetadata': {'HTTPStatusCode': 502, 'HTTPHeaders': {'X-Cache': 'Error from cloudfront', 'X-Amz-Cf-Pop': 'IAD89-C1'}}}";
        let e = read(python).unwrap();
        assert_eq!(e.status, Some(502));
        assert_eq!(e.headers[0], ("x-cache", "Error from cloudfront".into()));
        // Go's http.Header, and a JSON value with escapes.
        let go = "resp: 504 map[Server:[CloudFront] X-Amz-Cf-Pop:[SEA19-C1] X-Cache:[Error from cloudfront]]";
        assert_eq!(
            headers(go),
            [
                ("server", "CloudFront".into()),
                ("x-amz-cf-pop", "SEA19-C1".into()),
                ("x-cache", "Error from cloudfront".into()),
            ]
        );
        let escaped = r#"{"x-cache": "Error from \"cloudfront\"", "x-amz-cf-pop": "IAD89-C1"}"#;
        assert_eq!(headers(escaped)[0].1, "Error from \"cloudfront\"");
        // key=value pairs with underscores, and axios' sentence for the status.
        let logfmt = "level=error msg=\"Request failed with status code 503\" x_cache=\"Error from cloudfront\" x_amz_cf_pop=NRT57-P2";
        let e = read(logfmt).unwrap();
        assert_eq!(e.status, Some(503));
        assert_eq!(e.headers[1], ("x-amz-cf-pop", "NRT57-P2".into()));
        // Markdown: the whole header in a code span, or name and value each in one.
        assert_eq!(
            headers("`x-cache: LambdaLimitExceeded from cloudfront`")[0].1,
            "LambdaLimitExceeded from cloudfront"
        );
        assert_eq!(
            headers("`x-cache`: `Error from cloudfront`")[0].1,
            "Error from cloudfront"
        );
        // Python's list values.
        assert_eq!(
            headers("{'x-cache': ['Error from cloudfront'], 'x-amz-cf-pop': ['IAD89-C1']}")[0].1,
            "Error from cloudfront"
        );
    }

    #[test]
    fn mentions_request_headers_and_near_names_are_no_headers() {
        // Prose naming a header, without a value after it.
        assert_eq!(
            read("the x-cache header said Error, and via was empty"),
            None
        );
        // A request's headers alone (an error dump's config): none of the names read.
        assert_eq!(
            read(
                "headers: { Accept: 'application/json', 'User-Agent': 'axios/0.17.1', host: 'x' }"
            ),
            None
        );
        // Longer names that contain one, and one header of the others alone.
        assert_eq!(read("max-cache: 5, server-timing-x: 1, xvia: 2"), None);
        assert_eq!(read("server: nginx"), None);
        // Two of the others are enough (another CDN's headers: told apart by the signals).
        assert_eq!(
            headers("{'Server': 'cloudflare', 'CF-RAY': '7ab160c02b5ddb96-LAX'}").len(),
            2
        );
        // A quoted name must close with its quote; an unclosed value is no value.
        assert_eq!(read("'x-cache: Error from cloudfront"), None);
        assert_eq!(read("{\"x-cache\": \"Error from cloudfront"), None);
    }

    #[test]
    fn the_status_is_read_only_as_a_stated_status() {
        for (text, status) in [
            ("status=503", Some(503)),
            ("\"status\": 502", Some(502)),
            ("'statusCode': '504'", Some(504)),
            ("status_code=500", Some(500)),
            ("Request failed with status code 503", Some(503)),
            ("HTTPStatusCode': 502", Some(502)),
            ("status: 5030", None),
            ("status=700", None),
            ("status: pending 503", None),
            ("the status was bad, code 503", None),
        ] {
            assert_eq!(status_in(&fold(text)), status, "{text}");
        }
    }

    #[test]
    fn hostile_text_stays_linear_and_bounded() {
        // A megabyte of names without values, of values never closed, of one long value.
        let names = "x-cache: ".repeat(120_000);
        assert!(read(&names).is_none_or(|e| e.headers.len() <= NAMES.len()));
        let open = "'x-cache': '".repeat(100_000);
        assert_eq!(read(&open), None);
        let long = alloc::format!(
            "x-cache: \"{}\" x-amz-cf-pop: IAD89-C1",
            "a".repeat(8 << 10)
        );
        let e = read(&long).unwrap();
        assert!(e.headers.iter().all(|(_, v)| v.len() <= VALUE_MAX));
        // Multi-byte text around and inside values.
        let utf8 = "é{'x-cache': 'Erreur … from cloudfront', 'x-amz-cf-pop': 'CDG50-C1'}ü";
        assert_eq!(headers(utf8)[0].1, "Erreur … from cloudfront");
        for cut in 0..utf8.len() {
            if utf8.is_char_boundary(cut) {
                let _ = read(&utf8[..cut]);
            }
        }
    }
}
