//! Parsers: pasted responses and HAR files → [`Observation`]s.
//!
//! Every parser is total: any input gives an observation or a [`ParseError`] that says what was
//! wrong and what to paste instead, in time linear in the input.

mod embedded;
pub mod har;
pub mod html;
mod json_scan;
pub mod raw;

use alloc::string::String;
use core::fmt;

pub use har::{Har, HarEntry};

use crate::observation::Observation;

/// What an input turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// One response (raw, curl output or a header block).
    Response(Observation),
    /// A HAR file.
    Har(Har),
}

/// Why a HAR file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HarError {
    /// The JSON ends early.
    Truncated {
        /// 1-based line of the end.
        line: usize,
        /// 1-based column of the end.
        column: usize,
    },
    /// Not valid JSON.
    Json {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The JSON parser's message.
        detail: String,
    },
    /// Valid JSON, but a HAR field has the wrong type.
    Schema {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The JSON parser's message.
        detail: String,
    },
    /// JSON without `log` (nor a single `response`).
    NotHar,
    /// `log` without `entries`.
    NoEntries,
    /// One entry is malformed.
    BadEntry {
        /// Index in `log.entries`.
        index: usize,
        /// Which part.
        what: &'static str,
        /// The JSON parser's message.
        detail: String,
    },
}

/// Why an input could not be read as a response or a HAR file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// Nothing (or only white space) was given.
    Empty,
    /// The input is binary data, not text.
    Binary {
        /// Offset of the first byte that gave it away.
        offset: usize,
    },
    /// Larger than the caller's limit.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Text, but neither a status line nor a header was found where one was expected.
    NotAResponse {
        /// 1-based line number.
        line: usize,
        /// The start of that line.
        found: String,
    },
    /// A HAR file that could not be read.
    Har(HarError),
}

const WHAT_TO_PASTE: &str =
    "give the output of `curl -si URL`, the response headers, or a HAR file";

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => write!(f, "the input is empty: {WHAT_TO_PASTE}"),
            ParseError::Binary { offset } => write!(
                f,
                "the input is binary data (byte {offset} is not text), not an HTTP response: {WHAT_TO_PASTE} (a compressed body? use curl without --compressed output, or -I for headers only)"
            ),
            ParseError::TooLarge { limit } => write!(
                f,
                "the input is larger than {} MiB: give the headers of the failing response or a HAR file of the failing page only",
                limit / (1024 * 1024)
            ),
            ParseError::NotAResponse { line, found } => write!(
                f,
                "line {line} is neither an HTTP status line nor a header (found {found:?}): {WHAT_TO_PASTE}"
            ),
            ParseError::Har(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Display for HarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HarError::Truncated { line, column } => write!(
                f,
                "the HAR file ends early (line {line}, column {column}): it was probably cut off while saving or copying; export it again"
            ),
            HarError::Json {
                line,
                column,
                detail,
            } => write!(
                f,
                "the input starts like JSON but is not valid JSON at line {line}, column {column} ({detail}); export the HAR again or paste the raw response instead"
            ),
            HarError::Schema {
                line,
                column,
                detail,
            } => write!(
                f,
                "the HAR file has an unexpected value at line {line}, column {column} ({detail}); is it a HAR 1.2 file from the browser's network panel?"
            ),
            HarError::NotHar => write!(
                f,
                "the input is JSON but not a HAR file (no \"log\" object): export the HAR from the browser's network panel (\"Save all as HAR\")"
            ),
            HarError::NoEntries => write!(
                f,
                "the HAR file has no \"log.entries\": it recorded no requests; reload the failing page with the network panel open, then export again"
            ),
            HarError::BadEntry {
                index,
                what,
                detail,
            } => {
                write!(f, "HAR entry {index}: {what} ({detail})")
            }
        }
    }
}

impl core::error::Error for ParseError {}
impl core::error::Error for HarError {}

/// Reads any supported input: a HAR file when it starts with `{` (other JSON is an error body),
/// a raw response, a header block, or the text of an error page alone. A HAR file keeps the
/// entries `is_failing` accepts (`cf503_core::parse_input` passes the diagnosis's own policy).
pub fn parse_input_with(bytes: &[u8], is_failing: har::IsFailing) -> Result<Input, ParseError> {
    let text = to_text(bytes)?;
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    if trimmed.starts_with('{') {
        return match har::parse(trimmed, is_failing) {
            // JSON that is no HAR file may be an error body (API Gateway's `{"message": …}`).
            Err(ParseError::Har(HarError::NotHar)) if raw::looks_like_a_page(trimmed) => {
                Ok(Input::Response(raw::page_only(trimmed)))
            }
            other => other.map(Input::Har),
        };
    }
    raw::parse(trimmed).map(Input::Response)
}

/// Parses one response (not HAR); convenience for front ends that know what they have.
pub fn parse_response(text: &str) -> Result<Observation, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    raw::parse(text)
}

/// Text from bytes: UTF-8 (lossy in bodies), refusing obviously binary input.
fn to_text(bytes: &[u8]) -> Result<alloc::borrow::Cow<'_, str>, ParseError> {
    // The head of an HTTP response or a HAR file is text; binary data shows itself at once.
    let head = &bytes[..bytes.len().min(1024)];
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(ParseError::Binary { offset });
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if control * 10 > head.len() {
        let offset = head
            .iter()
            .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
            .unwrap_or(0);
        return Err(ParseError::Binary { offset });
    }
    match core::str::from_utf8(bytes) {
        Ok(s) => Ok(alloc::borrow::Cow::Borrowed(s)),
        Err(e) if e.valid_up_to() < head.len().min(64) && bytes.len() > 64 => {
            Err(ParseError::Binary {
                offset: e.valid_up_to(),
            })
        }
        Err(_) => Ok(alloc::borrow::Cow::Owned(
            String::from_utf8_lossy(bytes).into_owned(),
        )),
    }
}

#[cfg(feature = "std")]
/// Reads at most `limit` bytes from `reader`; more is [`ParseError::TooLarge`].
pub fn read_limited(
    reader: impl std::io::Read,
    limit: usize,
) -> std::io::Result<Result<alloc::vec::Vec<u8>, ParseError>> {
    use std::io::Read as _;
    let mut buf = alloc::vec::Vec::new();
    let read = reader.take(limit as u64 + 1).read_to_end(&mut buf)?;
    if read > limit {
        return Ok(Err(ParseError::TooLarge { limit }));
    }
    Ok(Ok(buf))
}
