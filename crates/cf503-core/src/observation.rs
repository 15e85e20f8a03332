//! What was seen: one HTTP response as a viewer got it.
//!
//! An [`Observation`] is redacted as it is built: secret header values and signed-URL parameters
//! are replaced before they are stored, so nothing downstream (signals, diagnosis, reports,
//! serialisation) can leak them. See [`crate::redact`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::parse::html;
use crate::redact;
use crate::text::floor_char_boundary;

/// Where an observation came from; shown in reports so a reader knows how much to trust it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Source {
    /// `curl -si`, `curl -I`, `curl -v` or a raw HTTP response.
    RawResponse,
    /// Only a header block (devtools "copy response headers" or a bare paste).
    HeaderBlock,
    /// Only the page: its text as the browser shows it, or its body (HTML, JSON, XML).
    PageText,
    /// Response headers (and a status) found inside other text: an HTTP client's log line, a
    /// printed object or map.
    Embedded,
    /// A record of a CloudFront standard log, pasted with its `#Fields:` line.
    LogRecord,
    /// An entry of a HAR file.
    Har,
    /// Captured by the browser extension.
    Browser,
    /// Fetched by the CLI (`cf503 check URL`).
    Fetched,
    /// Rebuilt from a shared link's derived facts ([`crate::share`]).
    Shared,
}

impl Source {
    /// Stable machine name, used in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::RawResponse => "raw_response",
            Source::HeaderBlock => "header_block",
            Source::PageText => "page_text",
            Source::Embedded => "embedded",
            Source::LogRecord => "log_record",
            Source::Har => "har",
            Source::Browser => "browser",
            Source::Fetched => "fetched",
            Source::Shared => "shared",
        }
    }
}

/// Ordered response headers: duplicates kept, look-up case-insensitive.
///
/// Deserialising goes through [`Headers::push`], so values are redacted whatever the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "Vec<(String, String)>"))]
pub struct Headers(Vec<(String, String)>);

impl From<Vec<(String, String)>> for Headers {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut h = Headers::new();
        for (name, value) in &pairs {
            h.push(name, value);
        }
        h
    }
}

impl Headers {
    /// An empty header list.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Appends a header, redacting its value first when it can carry a secret.
    pub fn push(&mut self, name: &str, value: &str) {
        let name = name.trim();
        let value = redact::header_value(name, value.trim());
        self.0.push((name.to_string(), value.into_owned()));
    }

    /// The first value of `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether any header called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// All headers in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Number of header lines.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One HTTP response as the viewer saw it.
///
/// Deserialising (feature `serde`) goes through the setters, so a front end that hands over
/// captured data cannot bypass redaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "ObservationFields"))]
pub struct Observation {
    url: Option<String>,
    status: Option<u16>,
    reason: Option<String>,
    http_version: Option<String>,
    headers: Headers,
    page_text: Option<String>,
    body: Option<String>,
    source: Option<Source>,
    /// Header lines past [`MAX_HEADERS`]: counted, not kept.
    #[cfg_attr(feature = "serde", serde(skip))]
    headers_dropped: usize,
}

/// Headers kept per response. Real responses have a few dozen; a flood of them is hostile
/// input, and memory must stay a small multiple of what is worth reading.
pub const MAX_HEADERS: usize = 10_000;

/// The wire form of an [`Observation`], turned into one through its setters.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct ObservationFields {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    http_version: Option<String>,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    page_text: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    source: Option<Source>,
}

#[cfg(feature = "serde")]
impl From<ObservationFields> for Observation {
    fn from(f: ObservationFields) -> Self {
        let mut o = Observation::new(f.source.unwrap_or(Source::Browser));
        if let Some(url) = &f.url {
            o.set_url(url);
        }
        if let Some(status) = f.status {
            o.set_status(status, f.reason.as_deref());
        }
        if let Some(v) = &f.http_version {
            o.set_http_version(v);
        }
        for (name, value) in &f.headers {
            o.push_header(name, value);
        }
        if let Some(t) = &f.page_text {
            o.set_page_text(t);
        }
        if let Some(b) = &f.body {
            o.set_body(b);
        }
        o
    }
}

/// The part of a raw body kept for signal extraction (S3 and CloudFront XML codes sit near the
/// start); keeping all of a multi-megabyte body would only cost memory.
pub const BODY_KEEP_LIMIT: usize = 256 * 1024;

impl Observation {
    /// An observation with nothing in it yet.
    pub fn new(source: Source) -> Self {
        Self {
            source: Some(source),
            ..Self::default()
        }
    }

    /// Says where it came from instead (a page whose text held headers as well).
    pub(crate) fn set_source(&mut self, source: Source) {
        self.source = Some(source);
    }

    /// Sets the request URL; signed-URL parameters and credentials are redacted.
    pub fn set_url(&mut self, url: &str) {
        let url = url.trim();
        self.url = (!url.is_empty()).then(|| redact::url(url).into_owned());
    }

    /// Sets the status code and, optionally, its reason phrase.
    pub fn set_status(&mut self, status: u16, reason: Option<&str>) {
        self.status = Some(status);
        self.reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(ToString::to_string);
    }

    /// Sets the HTTP version as written on the status line (`HTTP/1.1`, `HTTP/2`, …).
    pub fn set_http_version(&mut self, version: &str) {
        self.http_version = Some(version.to_string());
    }

    /// Appends a response header (redacted when it can carry a secret); past [`MAX_HEADERS`]
    /// it is only counted ([`Observation::headers_dropped`]).
    pub fn push_header(&mut self, name: &str, value: &str) {
        if self.headers.len() >= MAX_HEADERS {
            self.headers_dropped += 1;
            return;
        }
        self.headers.push(name, value);
    }

    /// Header lines past [`MAX_HEADERS`], counted but not kept.
    pub fn headers_dropped(&self) -> usize {
        self.headers_dropped
    }

    /// Sets the page's visible text (what a person reads on the error page).
    pub fn set_page_text(&mut self, text: &str) {
        let text = text.trim();
        self.page_text = (!text.is_empty()).then(|| redact::text(text).into_owned());
    }

    /// Keeps (the start of) the raw body, used for XML error codes.
    pub fn set_body(&mut self, body: &str) {
        let body = body.trim();
        if body.is_empty() {
            self.body = None;
            return;
        }
        let kept = &body[..floor_char_boundary(body, BODY_KEEP_LIMIT)];
        self.body = Some(redact::text(kept).into_owned());
    }

    /// Keeps a response body and derives the page text from it: markup (by `content_type`, the
    /// `Content-Type` header, or the look of it) is reduced to its visible text. Only the first
    /// MiB is read: error pages are small, and a huge body must not cost more than it can tell.
    pub fn attach_body(&mut self, body: &str, content_type: Option<&str>) {
        const PAGE_TEXT_SCAN_LIMIT: usize = 1024 * 1024;
        let body = body.trim();
        if body.is_empty() {
            return;
        }
        self.set_body(body);
        let scanned = &body[..floor_char_boundary(body, PAGE_TEXT_SCAN_LIMIT)];
        let is_markup = |ct: &str| ct.contains("html") || ct.contains("xml");
        let markup = content_type.is_some_and(is_markup)
            || self.headers.get("content-type").is_some_and(is_markup)
            || html::looks_like_markup(scanned);
        if markup {
            self.set_page_text(&html::visible_text(scanned));
        } else {
            self.set_page_text(&html::fold_whitespace(scanned));
        }
    }

    /// The request URL, redacted.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
    /// The status code.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// The reason phrase of the status line.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
    /// The HTTP version of the status line.
    pub fn http_version(&self) -> Option<&str> {
        self.http_version.as_deref()
    }
    /// The response headers, redacted.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }
    /// The page's visible text.
    pub fn page_text(&self) -> Option<&str> {
        self.page_text.as_deref()
    }
    /// The start of the raw body.
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }
    /// Where the observation came from.
    pub fn source(&self) -> Option<Source> {
        self.source
    }

    /// Renders the status line and headers as an HTTP/1.1-style head (the inverse of the raw
    /// parser; used by tests and to show what was understood).
    pub fn render_head(&self) -> String {
        let mut out = String::new();
        if let Some(status) = self.status {
            out.push_str(self.http_version.as_deref().unwrap_or("HTTP/1.1"));
            out.push(' ');
            out.push_str(&status.to_string());
            if let Some(reason) = &self.reason {
                out.push(' ');
                out.push_str(reason);
            }
            out.push_str("\r\n");
        }
        for (name, value) in self.headers.iter() {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        }
        out
    }
}
