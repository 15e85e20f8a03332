//! Raw HTTP responses as people paste them: `curl -si` / `-i` / `-I` / `-v` output (several
//! responses from redirects or `100 Continue`: the last one wins), HTTP/1.x, HTTP/2 and HTTP/3
//! status lines, a bare header block, and the devtools "copy response headers" forms (HTTP/2
//! `:status` pseudo-header, `name:` and value on separate lines).

use alloc::string::String;
use alloc::vec::Vec;

use super::ParseError;
use crate::observation::{Observation, Source};
use crate::text::floor_char_boundary;

/// One line of the input, without its line ending.
struct Line<'a> {
    text: &'a str,
    start: usize,
    next: usize,
    number: usize,
}

fn line_at(input: &str, pos: usize, number: usize) -> Option<Line<'_>> {
    if pos >= input.len() {
        return None;
    }
    let rest = &input[pos..];
    // LF, CRLF, and a lone CR (old Mac pastes, some copy paths) all end a line.
    let (len, eol) = match rest.find(['\n', '\r']) {
        Some(n) if rest[n..].starts_with("\r\n") => (n, 2),
        Some(n) => (n, 1),
        None => (rest.len(), 0),
    };
    let text = &rest[..len];
    Some(Line {
        text,
        start: pos,
        next: pos + len + eol,
        number,
    })
}

/// `curl -v` mixes its own lines (`* `, `> `, `{ `, `} `) with the response (`< `).
/// The next line at or after `pos` that [`clean`] keeps (curl -v's `*`, `>`, `{`, `}` lines are
/// passed over), with its cleaned text. Its `number` counts the lines passed over.
fn kept_line_at(
    input: &str,
    mut pos: usize,
    mut number: usize,
    verbose: bool,
) -> Option<(Line<'_>, &str)> {
    loop {
        let line = line_at(input, pos, number)?;
        if let Some(text) = clean(line.text, verbose) {
            return Some((line, text));
        }
        pos = line.next;
        number += 1;
    }
}

fn clean(line: &str, verbose: bool) -> Option<&str> {
    if !verbose {
        return Some(line);
    }
    if let Some(rest) = line.strip_prefix('<') {
        return Some(rest.strip_prefix(' ').unwrap_or(rest));
    }
    if line.starts_with("* ")
        || line.starts_with("> ")
        || line == ">"
        || line.starts_with("{ ")
        || line.starts_with("} ")
    {
        return None;
    }
    Some(line)
}

/// `HTTP/1.1 503 Service Unavailable`, `HTTP/2 503`, `HTTP/3 503`.
pub(crate) fn parse_status_line(line: &str) -> Option<(&str, u16, Option<&str>)> {
    let line = line.trim();
    if !line
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("HTTP/"))
    {
        return None;
    }
    let mut parts = line.splitn(3, ' ');
    let version = parts.next()?;
    let ver = &version[5..];
    if ver.is_empty() || !ver.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let code = parts.next()?.trim();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let status = code.parse().ok()?;
    Some((version, status, parts.next()))
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `name: value` where name is an HTTP token (or an HTTP/2 pseudo-header such as `:status`).
fn split_header(line: &str) -> Option<(&str, &str)> {
    let search_from = usize::from(line.starts_with(':'));
    let colon = line[search_from..].find(':')? + search_from;
    // `name : value`, as some SDKs log headers.
    let name = line[..colon].trim_end_matches(' ');
    let bare = name.strip_prefix(':').unwrap_or(name);
    // A token, not starting with a digit: no header name does, and a tool's log line starts
    // with its time (`2026-12-05T00:41:12Z ERROR …` is no header `2026-12-05T00`).
    if bare.is_empty()
        || bare.starts_with(|c: char| c.is_ascii_digit())
        || !bare.bytes().all(is_tchar)
    {
        return None;
    }
    Some((name, line[colon + 1..].trim()))
}

/// A pasted piece of a CloudFront standard log (W3C: a `#Fields:` line, then records separated
/// by tabs): the first failing record (5xx, else the first record) as an observation whose
/// headers are its log fields, so the same result-type rules read it as they read `X-Cache`.
fn log_record(input: &str) -> Option<Observation> {
    let fields_line = input
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("#Fields:"))?;
    let fields: Vec<&str> = fields_line.split_whitespace().collect();
    let records = input
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| {
            if l.contains('\t') {
                l.split('\t').collect::<Vec<_>>()
            } else {
                l.split_whitespace().collect()
            }
        })
        .filter(|values| values.len() == fields.len());
    let status_at = fields
        .iter()
        .position(|f| crate::logs::fields::slot_of(f) == Some(crate::logs::Slot::Status))?;
    let mut first = None;
    for values in records {
        let failing = values[status_at].starts_with('5');
        if failing || first.is_none() {
            first = Some(values);
        }
        if failing {
            break;
        }
    }
    let values = first?;
    let mut obs = Observation::new(Source::LogRecord);
    if let Ok(status) = values[status_at].parse::<u16>() {
        obs.set_status(status, None);
    }
    for (name, value) in fields.iter().zip(&values) {
        // Only the fields that are response facts (the field table's `pasted` column).
        if crate::logs::fields::is_pasted_fact(name) && *value != "-" {
            obs.push_header(name, value);
        }
    }
    Some(obs)
}

/// Parses a raw response or header block. The input must already be text.
///
/// Text that is no response as such (page text, a tool's log line, one `name: value` line) is
/// also searched for response headers written inside it (as JSON, a printed object or map):
/// those found are added, with the status the text states, and the observation says it was
/// read that way.
pub fn parse(input: &str) -> Result<Observation, ParseError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let parsed = parse_response(input);
    let may_hold_more = match &parsed {
        Ok(obs) => match obs.source() {
            Some(Source::PageText) => true,
            Some(Source::HeaderBlock) => obs.headers().len() <= 1 && obs.status().is_none(),
            _ => false,
        },
        Err(ParseError::NotAResponse { .. }) => true,
        Err(_) => false,
    };
    if !may_hold_more {
        return parsed;
    }
    let Some(found) = super::embedded::read(input) else {
        return parsed;
    };
    let mut obs = parsed.unwrap_or_else(|_| {
        let mut obs = Observation::new(Source::Embedded);
        obs.set_page_text(input);
        obs
    });
    obs.set_source(Source::Embedded);
    for (name, value) in &found.headers {
        if !obs.headers().contains(name) {
            obs.push_header(name, value);
        }
    }
    if let (None, Some(status)) = (obs.status(), found.status) {
        obs.set_status(status, None);
    }
    Ok(obs)
}

fn parse_response(input: &str) -> Result<Observation, ParseError> {
    if let Some(obs) = log_record(input) {
        return Ok(obs);
    }
    let verbose = input.starts_with("< HTTP/") || input.contains("\n< HTTP/");
    let mut current: Option<Observation> = None;
    let mut pos = 0;
    let mut number = 1;
    while let Some((line, text)) = kept_line_at(input, pos, number, verbose) {
        if text.trim().is_empty() {
            pos = line.next;
            number = line.number + 1;
            continue;
        }
        if let Some((version, status, reason)) = parse_status_line(text) {
            let mut obs = Observation::new(Source::RawResponse);
            obs.set_http_version(version);
            obs.set_status(status, reason);
            (pos, number) = read_headers(input, line.next, line.number + 1, verbose, &mut obs);
            current = Some(obs);
            continue;
        }
        let Some(obs) = current.as_mut() else {
            // `$ curl -i URL`, or "It returned:" and a code fence, before the response.
            if let Some(start) = preamble_before_response(input, line.start, verbose) {
                while pos < start {
                    let Some(skipped) = line_at(input, pos, number) else {
                        break;
                    };
                    pos = skipped.next;
                    number += 1;
                }
                continue;
            }
            if split_header(text).is_some() {
                let mut obs = Observation::new(Source::HeaderBlock);
                (pos, number) = read_headers(input, line.start, line.number, verbose, &mut obs);
                current = Some(obs);
                continue;
            }
            if looks_like_a_page(input) {
                return Ok(page_only(input));
            }
            return Err(ParseError::NotAResponse {
                line: line.number,
                found: snippet(text),
            });
        };
        // A body. It ends where a later response starts (curl -L prints every hop).
        let (body_end, resume) = match find_next_response(input, line.start, verbose) {
            Some(next_start) => (next_start, Some(next_start)),
            None => (input.len(), None),
        };
        obs.attach_body(&input[line.start..body_end], None);
        match resume {
            Some(next_start) => {
                number += input[pos..next_start].matches('\n').count();
                pos = next_start;
            }
            None => break,
        }
    }
    let mut obs = current.ok_or(ParseError::Empty)?;
    if obs.status().is_none() && obs.headers().is_empty() && obs.page_text().is_none() {
        return Err(ParseError::Empty);
    }
    // One `Name: value` line and nothing else is as often a sentence quoted from the page
    // (`Error: "CloudFront wasn't able to connect to the origin."`) as a header: keep both.
    if obs.source() == Some(Source::HeaderBlock)
        && obs.headers().len() == 1
        && obs.page_text().is_none()
        && obs.status().is_none()
        && input.trim().lines().count() == 1
    {
        obs.set_page_text(input.trim());
    }
    Ok(obs)
}

/// Words that error pages (CloudFront's, origins', other CDNs') carry; a paste of the page text
/// alone is read as such when it has one of them, or markup. Other text stays an error that
/// says what to paste.
const PAGE_WORDS: &[&str] = &[
    "error",
    "unavailable",
    "timed out",
    "time-out",
    "unreachable",
    "timeout",
    "could not",
    "couldn't",
    "wasn't able",
    "failed",
    "throttled",
    "bad gateway",
    "from cloudfront",
    "request id",
    "upstream",
    "no server is available",
    "reduce your request rate",
    "lambda function",
    "cloudfront function",
    "invalid",
    "exceeded",
    "too many requests",
    "unhealthy",
    "no healthy",
    "guru meditation",
];

/// The part of a page searched for [`PAGE_WORDS`].
const PAGE_WORD_SCAN: usize = 64 * 1024;

pub(crate) fn looks_like_a_page(input: &str) -> bool {
    let head = &input[..floor_char_boundary(input, PAGE_WORD_SCAN)];
    if super::html::looks_like_markup(head) {
        return true;
    }
    // Entities and escapes decoded first: `wasn&#x27;t able` is `wasn't able`.
    let lower = crate::vocab::unwrap_text(head).to_lowercase();
    PAGE_WORDS.iter().any(|w| lower.contains(w))
        || crate::signals::sentence_fragment_in(head).is_some()
}

/// A paste of the page alone (no status line, no headers): its body, and the text derived
/// from it. The status, if the page states one, is read by the signals, not here.
pub(crate) fn page_only(input: &str) -> Observation {
    let mut obs = Observation::new(Source::PageText);
    obs.attach_body(input, None);
    obs
}

/// Reads header lines from `pos`; returns where parsing continues and the line number there.
fn read_headers(
    input: &str,
    mut pos: usize,
    mut number: usize,
    verbose: bool,
    obs: &mut Observation,
) -> (usize, usize) {
    // The header being read: continuation lines (obsolete folding, or devtools' value on the
    // line after `name:`) are joined to it before it is redacted and stored, once, so the time
    // stays linear however many lines a value is folded over.
    let mut pending: Option<(&str, String)> = None;
    let flush = |obs: &mut Observation, pending: &mut Option<(&str, String)>| {
        if let Some((name, value)) = pending.take() {
            obs.push_header(name, &value);
        }
    };
    // Set when the previous line was `name:` with nothing after it.
    let mut awaiting_value = false;
    while let Some((line, text)) = kept_line_at(input, pos, number, verbose) {
        if text.trim().is_empty() {
            flush(obs, &mut pending);
            return (line.next, line.number + 1);
        }
        let folded = text.starts_with([' ', '\t']);
        if let (false, Some((name, value))) = (folded, split_header(text)) {
            flush(obs, &mut pending);
            if let Some(pseudo) = name.strip_prefix(':') {
                if pseudo.eq_ignore_ascii_case("status") {
                    set_status_from_header(obs, value);
                }
            } else {
                // `status`, and `sc-status` as pasted from CloudFront logs (Athena, the log file).
                if (name.eq_ignore_ascii_case("status") || name.eq_ignore_ascii_case("sc-status"))
                    && obs.status().is_none()
                {
                    set_status_from_header(obs, value);
                }
                pending = Some((name, String::from(value)));
            }
            awaiting_value = value.is_empty();
        } else if (folded || awaiting_value)
            && let Some((_, value)) = pending.as_mut()
        {
            if !value.is_empty() {
                value.push(' ');
            }
            value.push_str(text.trim());
            awaiting_value = false;
        } else {
            // Not a header: the block ended without a blank line.
            flush(obs, &mut pending);
            return (line.start, line.number);
        }
        pos = line.next;
        number = line.number + 1;
    }
    flush(obs, &mut pending);
    (input.len(), number)
}

fn set_status_from_header(obs: &mut Observation, value: &str) {
    let code = value.split_whitespace().next().unwrap_or("");
    if code.len() == 3
        && let Ok(status) = code.parse::<u16>()
    {
        let reason = value[code.len()..].trim();
        obs.set_status(status, (!reason.is_empty()).then_some(reason));
    }
}

/// The start of a later response inside what looks like a body: a status line directly followed
/// by a header line.
fn find_next_response(input: &str, from: usize, verbose: bool) -> Option<usize> {
    let mut pos = from;
    while let Some(line) = line_at(input, pos, 0) {
        if line.start > from && starts_a_response(input, &line, verbose) {
            return Some(line.start);
        }
        pos = line.next;
    }
    None
}

/// Whether `line` is a status line directly followed by a header line.
fn starts_a_response(input: &str, line: &Line<'_>, verbose: bool) -> bool {
    clean(line.text, verbose).is_some_and(|t| parse_status_line(t).is_some())
        && line_at(input, line.next, 0)
            .and_then(|l| clean(l.text, verbose))
            .is_some_and(|t| split_header(t).is_some())
}

/// Lines of prose before a response, at most: a shell command (`$ curl -i URL`), a sentence
/// introducing it, a code fence.
const PREAMBLE_LINES: usize = 3;
/// Bytes of one such line, at most: longer text is a page, read as one.
const PREAMBLE_LINE_BYTES: usize = 300;

/// Where a response starts (a status line directly followed by a header) after a short
/// preamble at `from`: a few short lines, no markup. Pastes often begin with the command that
/// printed the response; read as page text, its headers were lost.
fn preamble_before_response(input: &str, from: usize, verbose: bool) -> Option<usize> {
    let mut pos = from;
    let mut lines = 0;
    while let Some(line) = line_at(input, pos, 0) {
        let text = clean(line.text, verbose).unwrap_or("");
        if parse_status_line(text).is_some() {
            // A preamble that quotes CloudFront's page is evidence, not a command: kept.
            let quotes_the_page = crate::signals::sentence_fragment_in(&input[from..line.start]);
            return (starts_a_response(input, &line, verbose) && quotes_the_page.is_none())
                .then_some(line.start);
        }
        if !text.trim().is_empty() {
            lines += 1;
            if lines > PREAMBLE_LINES || text.len() > PREAMBLE_LINE_BYTES || has_a_tag(text) {
                return None;
            }
        }
        pos = line.next;
    }
    None
}

/// Whether a line holds something tag-shaped (`<p>`, `</div>`, `<!--`): a page's, not a
/// command's (whose `<` and `>` are redirections: `2>&1`, `< file`).
fn has_a_tag(line: &str) -> bool {
    line.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'/' | b'!' | b'?')))
}

/// The start of a rejected line for the error message: redacted first (people paste error
/// messages into tickets), then cut, with control characters shown as `?`.
fn snippet(line: &str) -> String {
    let redacted = crate::redact::text(line);
    let line = redacted.as_ref();
    let cut = floor_char_boundary(line, 60);
    let mut s: String = line[..cut]
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if cut < line.len() {
        s.push('…');
    }
    s.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn curl_si_with_body() {
        let o = parse("HTTP/2 503 \r\nserver: CloudFront\r\nx-cache: Error from cloudfront\r\n\r\n<HTML><BODY><H1>503 ERROR</H1></BODY></HTML>").unwrap();
        assert_eq!(o.status(), Some(503));
        assert_eq!(o.http_version(), Some("HTTP/2"));
        assert_eq!(o.headers().get("X-Cache"), Some("Error from cloudfront"));
        assert_eq!(o.page_text(), Some("503 ERROR"));
    }

    #[test]
    fn last_of_several_responses_wins() {
        let input = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved Permanently\r\nLocation: https://x/\r\n\r\nmoved\r\nHTTP/1.1 503 Service Unavailable\r\nServer: awselb/2.0\r\n\r\nbusy";
        let o = parse(input).unwrap();
        assert_eq!(o.status(), Some(503));
        assert_eq!(o.headers().get("server"), Some("awselb/2.0"));
        assert!(!o.headers().contains("location"));
        assert_eq!(o.page_text(), Some("busy"));
    }

    #[test]
    fn devtools_forms() {
        let o = parse(":status: 503\ncontent-type: text/html\nx-cache:\nLambdaLimitExceeded from cloudfront\nvia: 1.1 a.cloudfront.net (CloudFront)\n").unwrap();
        assert_eq!(o.status(), Some(503));
        assert_eq!(o.source(), Some(Source::HeaderBlock));
        assert_eq!(
            o.headers().get("x-cache"),
            Some("LambdaLimitExceeded from cloudfront")
        );
        assert_eq!(o.headers().len(), 3);
    }

    #[test]
    fn curl_verbose() {
        let input = "*   Trying 1.2.3.4:443...\n> GET / HTTP/2\n> Host: x\n>\n< HTTP/2 503\n< server: CloudFront\n< \n<html>x</html>";
        let o = parse(input).unwrap();
        assert_eq!(o.status(), Some(503));
        assert_eq!(o.headers().get("server"), Some("CloudFront"));
    }

    #[test]
    fn the_page_alone() {
        let o = parse("503 ERROR\nThe request could not be satisfied.\nThe Lambda function associated with the CloudFront distribution was throttled.").unwrap();
        assert_eq!(o.source(), Some(Source::PageText));
        assert_eq!(
            o.status(),
            None,
            "the signals read the status off the page, not the parser"
        );
        assert!(o.page_text().unwrap().contains("was throttled"));
        let o = parse("<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>").unwrap();
        assert_eq!(
            o.page_text(),
            Some("503 Service Unavailable\nNo server is available to handle this request.")
        );
    }

    #[test]
    fn one_name_value_line_is_also_page_text() {
        let o = parse("Error: \"CloudFront wasn't able to connect to the origin.\"").unwrap();
        assert_eq!(o.headers().len(), 1);
        assert!(o.page_text().unwrap().contains("wasn't able to connect"));
        // Two header lines are a header block, nothing more.
        let o = parse("x-cache: Error from cloudfront\nserver: CloudFront").unwrap();
        assert_eq!(o.page_text(), None);
    }

    #[test]
    fn log_field_status() {
        let o = parse("sc-status: 502\nx-edge-detailed-result-type: OriginDnsError").unwrap();
        assert_eq!(o.status(), Some(502));
    }

    #[test]
    fn a_pasted_log_record() {
        let input = "#Version: 1.0\n#Fields: date time x-edge-location sc-status x-edge-result-type x-edge-detailed-result-type\n2023-02-08\t15:29:13\tIAD55-P5\t200\tHit\tHit\n2023-02-08\t15:29:14\tSEA19-C1\t502\tError\tOriginDnsError\n";
        let o = parse(input).unwrap();
        assert_eq!(o.source(), Some(Source::LogRecord));
        assert_eq!(o.status(), Some(502), "the first failing record");
        assert_eq!(
            o.headers().get("x-edge-detailed-result-type"),
            Some("OriginDnsError")
        );
        assert_eq!(o.headers().get("x-edge-location"), Some("SEA19-C1"));
    }

    /// The command that printed the response, or a sentence and a code fence, before it: the
    /// headers are still read (they were taken for page text, and lost).
    #[test]
    fn a_short_preamble_before_the_response() {
        for input in [
            "$ curl -i https://example.com/\nHTTP/2.0 503\nserver:cloudflare-nginx\ncf-ray:337857c52a2510e7-ORD\n\nNo server is available to handle this request.\n",
            "It stopped once it got this set of headers:\n```\nHTTP/1.1 503 Service Unavailable\nServer: cloudflare\nCF-RAY: 61002a9f9b4dbee2-FRA\n```\n",
            "PS C:\\> curl.exe -sI https://example.com\r\nHTTP/1.1 503 Service Unavailable\r\nServer: cloudflare\r\nCF-RAY: 1-FRA\r\n",
        ] {
            let o = parse(input).unwrap();
            assert_eq!(o.status(), Some(503), "{input}");
            assert!(o.headers().contains("cf-ray"), "{input}");
        }
        // Longer prose, markup, or CloudFront's own sentence before it: the whole is a page.
        for input in [
            "one\ntwo\nthree\nfour: lines of a story about an error\nHTTP/1.1 503 Service Unavailable\nServer: x\n",
            "<p>error</p>\nHTTP/1.1 503 Service Unavailable\nServer: x\n",
            "The Lambda function associated with the CloudFront distribution was throttled.\nHTTP/1.1 503 Service Unavailable\nServer: CloudFront\n",
        ] {
            let o = parse(input).unwrap();
            assert_eq!(o.source(), Some(Source::PageText), "{input}");
        }
    }

    #[test]
    fn not_a_response() {
        match parse("hello world\nthis is not http") {
            Err(ParseError::NotAResponse { line: 1, found }) => assert_eq!(found, "hello world"),
            other => panic!("{other:?}"),
        }
    }
}
