//! DNS-over-HTTPS (RFC 8484) as a sans-IO layer over [`Check`]: which resolver URLs are
//! acceptable, GET or POST, how long one exchange may take, when to fall back to POST. A
//! transport (`fetch` in the browser, an HTTP client natively) only sends the [`HttpRequest`]s
//! handed out and reports what came back; both then behave the same by construction.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::check::{Check, Config, Failure, Target, Transmit};
use super::findings::DnsReport;
use super::wire::{self, Verdict, WireError};

/// The resolvers used when the user names none: large public DoH services that answer CORS
/// requests (a web page can ask them) and return Extended DNS Errors.
pub const DEFAULT_RESOLVERS: &[&str] = &[
    "https://cloudflare-dns.com/dns-query",
    "https://dns.google/dns-query",
    "https://dns.quad9.net/dns-query",
];

/// The most resolvers one check asks (each is asked for the origin and compared).
pub const MAX_RESOLVERS: usize = 8;

/// How long a transport may keep an exchange open past the check's own attempt time-out: the
/// check decides the time-out; this only bounds the transport's resources (a thread, a fetch).
pub const TRANSPORT_GRACE_MS: u64 = 500;

/// The media type of DNS messages over HTTP.
pub const DNS_MESSAGE: &str = "application/dns-message";

/// Why a resolver URL (or list) is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolverUrlError {
    /// No resolver at all.
    Empty,
    /// More than [`MAX_RESOLVERS`].
    TooMany(usize),
    /// Not `https://host/path`.
    NotHttps(String),
    /// User name or password in the URL: they would be sent with every query.
    Credentials(String),
    /// A fragment (`#…`): never sent, a sign of a pasted page address.
    Fragment(String),
    /// No host, or spaces or control characters.
    Malformed(String),
}

impl fmt::Display for ResolverUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolverUrlError::Empty => f.write_str(
                "no DNS-over-HTTPS resolver given: add a resolver URL (https://host/dns-query) or turn DNS checks off",
            ),
            ResolverUrlError::TooMany(n) => write!(
                f,
                "{n} resolvers given: at most {MAX_RESOLVERS} are asked; remove some"
            ),
            ResolverUrlError::NotHttps(u) => write!(
                f,
                "not a DoH URL: {u} (expected https://host/dns-query; plain http only on this machine: 127.0.0.1, ::1, localhost)"
            ),
            ResolverUrlError::Credentials(u) => write!(
                f,
                "{u}: a user name or password in a resolver URL would go out with every query; remove it"
            ),
            ResolverUrlError::Fragment(u) => write!(
                f,
                "{u}: a resolver URL has no #fragment (is it a page address?); give the DoH endpoint, e.g. https://host/dns-query"
            ),
            ResolverUrlError::Malformed(u) => write!(
                f,
                "not a DoH URL: {u} (expected https://host/dns-query)"
            ),
        }
    }
}

impl core::error::Error for ResolverUrlError {}

/// Checks one resolver URL: `https://host[:port]/path[?query]`, or plain `http://` to a loopback
/// host (local resolvers, tests). Returns it trimmed.
pub fn check_resolver_url(url: &str) -> Result<&str, ResolverUrlError> {
    let url = url.trim();
    let owned = || String::from(url);
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ResolverUrlError::Malformed(owned()));
    }
    let lower = url.to_ascii_lowercase();
    let (rest, secure) = if let Some(r) = lower.strip_prefix("https://") {
        (r, true)
    } else if let Some(r) = lower.strip_prefix("http://") {
        (r, false)
    } else {
        return Err(ResolverUrlError::NotHttps(owned()));
    };
    if url.contains('#') {
        return Err(ResolverUrlError::Fragment(owned()));
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(ResolverUrlError::Credentials(owned()));
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return Err(ResolverUrlError::Malformed(owned()));
    }
    let loopback = host == "localhost" || host == "::1" || host.starts_with("127.");
    if !secure && !loopback {
        return Err(ResolverUrlError::NotHttps(owned()));
    }
    Ok(url)
}

/// Checks a list of resolver URLs (blank entries dropped): at least one, at most
/// [`MAX_RESOLVERS`], each acceptable. Returns them trimmed.
pub fn check_resolver_urls<S: AsRef<str>>(urls: &[S]) -> Result<Vec<String>, ResolverUrlError> {
    let list: Vec<String> = urls
        .iter()
        .map(|u| u.as_ref().trim())
        .filter(|u| !u.is_empty())
        .map(|u| check_resolver_url(u).map(String::from))
        .collect::<Result<_, _>>()?;
    match list.len() {
        0 => Err(ResolverUrlError::Empty),
        n if n > MAX_RESOLVERS => Err(ResolverUrlError::TooMany(n)),
        _ => Ok(list),
    }
}

/// The URL of an RFC 8484 GET for `t` at the DoH endpoint `url` (`?dns=` base64url).
pub fn doh_get_url(url: &str, t: &Transmit) -> String {
    doh_get_url_for(url, &t.bytes)
}

/// The URL of an RFC 8484 GET of a DNS message at the DoH endpoint `url`.
pub fn doh_get_url_for(url: &str, message: &[u8]) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}dns={}", wire::base64url(message))
}

/// Judges what the DoH server (RFC 8484) at `url` sent back for `t`: HTTP status, content type
/// and body. Both DoH transports (native and browser) call this, so they fail the same way: an
/// HTML page, an HTTP error or bytes that do not answer the query are failures with their
/// reason, naming the endpoint.
pub fn judge_doh(
    url: &str,
    t: &Transmit,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> Result<(), Failure> {
    if status != 200 {
        return Err(Failure::Http(status));
    }
    let ct = content_type.trim().to_ascii_lowercase();
    // The media type itself, parameters aside (`application/dns-message; charset=…` is fine,
    // `application/dns-messagefoo` is not).
    let media_type = ct.split(';').next().unwrap_or("").trim();
    if media_type != "application/dns-message" {
        return Err(Failure::NotDns(format!(
            "{url} answered with content-type {ct:?}, not application/dns-message (is it a DoH endpoint?)"
        )));
    }
    match wire::check_response(t.id, &t.question, body) {
        Verdict::Accept(_) | Verdict::Truncated(_) => Ok(()),
        Verdict::Reject(e) => Err(Failure::NotDns(format!("{url} {e}"))),
    }
}

/// Whether a DoH server's refusal of a GET (`?dns=`) means "ask me with POST": RFC 8484 makes
/// both methods mandatory, but some endpoints (corporate proxies, hand-rolled servers) only take
/// POST and answer GET with 405, 400, 415 or 501; 414 says the URL was too long. Both DoH
/// transports then retry the query with POST and keep using POST for that resolver.
pub fn doh_wants_post(failure: &Failure) -> bool {
    matches!(failure, Failure::Http(400 | 405 | 413 | 414 | 415 | 501))
}

/// GET (`?dns=`, no CORS preflight) or POST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// RFC 8484 GET.
    Get,
    /// RFC 8484 POST, body = the DNS message.
    Post,
}

/// One HTTP exchange for the transport to perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// Pass it back with the reply.
    pub token: u32,
    /// GET or POST.
    pub method: Method,
    /// Where (for a GET, with the query in `?dns=`).
    pub url: String,
    /// The body (POST only; empty for a GET).
    pub body: Vec<u8>,
    /// Give up after this long: report [`Failure::Timeout`].
    pub timeout_ms: u64,
}

impl HttpRequest {
    /// The `Accept` header (always) and, for a POST, the same `Content-Type`.
    pub const ACCEPT: &'static str = DNS_MESSAGE;

    /// The `Content-Type` to send, for a POST.
    pub fn content_type(&self) -> Option<&'static str> {
        (self.method == Method::Post).then_some(DNS_MESSAGE)
    }
}

/// What came back over HTTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header (empty when absent).
    pub content_type: String,
    /// The body (the transport may stop reading past [`super::wire::MAX_MESSAGE`] + 1 bytes).
    pub body: Vec<u8>,
}

/// Why a DoH check cannot start.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DohError {
    /// A resolver URL is refused.
    Resolver(ResolverUrlError),
    /// The name to check is not a domain name.
    Name(WireError),
}

impl fmt::Display for DohError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DohError::Resolver(e) => e.fmt(f),
            DohError::Name(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for DohError {}

/// A DNS check over DoH resolvers.
#[derive(Debug)]
pub struct DohCheck {
    check: Check,
    urls: Vec<String>,
    /// Per resolver: it refused a GET, so every later query to it goes by POST.
    post_only: Vec<bool>,
    /// The DNS query behind each exchange in flight, and how it was sent.
    in_flight: BTreeMap<u32, (Transmit, Method)>,
    /// Exchanges to send before new queries (POST retries of refused GETs).
    resend: VecDeque<HttpRequest>,
}

impl DohCheck {
    /// A check of `origin` through `urls`. `config` gives the time-outs, deadline and scope;
    /// the resolver count and "cannot ask a chosen server" come from here.
    pub fn new<S: AsRef<str>>(
        origin: &str,
        urls: &[S],
        config: Config,
        seed: u64,
    ) -> Result<Self, DohError> {
        let urls = check_resolver_urls(urls).map_err(DohError::Resolver)?;
        let config = Config {
            can_target_servers: false,
            resolvers: u8::try_from(urls.len()).unwrap_or(u8::MAX),
            ..config
        };
        let check = Check::new(origin, config, seed).map_err(DohError::Name)?;
        Ok(DohCheck {
            check,
            post_only: alloc::vec![false; urls.len()],
            urls,
            in_flight: BTreeMap::new(),
            resend: VecDeque::new(),
        })
    }

    /// The next exchange to perform, if any.
    pub fn poll_request(&mut self, now: u64) -> Option<HttpRequest> {
        if let Some(r) = self.resend.pop_front() {
            return Some(r);
        }
        let t = self.check.poll_transmit(now)?;
        let Target::Resolver(i) = t.target else {
            // The check was told it cannot reach a chosen server; should it ask, say so.
            self.check.handle_failure(
                t.token,
                Failure::Network("DoH cannot reach a chosen server".into()),
                now,
            );
            return self.poll_request(now);
        };
        let method = if self.post_only.get(usize::from(i)).copied().unwrap_or(false) {
            Method::Post
        } else {
            Method::Get
        };
        let request = self.request(&t, method);
        self.in_flight.insert(t.token, (t, method));
        Some(request)
    }

    fn request(&self, t: &Transmit, method: Method) -> HttpRequest {
        let index = match t.target {
            Target::Resolver(i) => usize::from(i),
            Target::Server(_) => 0,
        };
        let base = self.urls.get(index).map_or("", String::as_str);
        HttpRequest {
            token: t.token,
            method,
            url: match method {
                Method::Get => doh_get_url(base, t),
                Method::Post => String::from(base),
            },
            body: match method {
                Method::Get => Vec::new(),
                Method::Post => t.bytes.clone(),
            },
            timeout_ms: self.check.attempt_timeout_ms(t.target) + TRANSPORT_GRACE_MS,
        }
    }

    /// What came of the exchange `token`: a reply, or a transport failure (time-out, network).
    pub fn handle_reply(&mut self, token: u32, reply: Result<HttpReply, Failure>, now: u64) {
        let Some((t, method)) = self.in_flight.remove(&token) else {
            return;
        };
        let base = match t.target {
            Target::Resolver(i) => self.urls.get(usize::from(i)).cloned().unwrap_or_default(),
            Target::Server(_) => String::new(),
        };
        let judged = reply.and_then(|r| {
            judge_doh(&base, &t, r.status, &r.content_type, &r.body).map(|()| r.body)
        });
        match judged {
            Ok(bytes) => {
                self.check.handle_answer(token, &bytes, now);
            }
            // A resolver that takes only POST: ask again by POST, and from now on.
            Err(f) if method == Method::Get && doh_wants_post(&f) => {
                if let Target::Resolver(i) = t.target
                    && let Some(flag) = self.post_only.get_mut(usize::from(i))
                {
                    *flag = true;
                }
                let again = self.request(&t, Method::Post);
                self.in_flight.insert(token, (t, Method::Post));
                self.resend.push_back(again);
            }
            Err(f) => self.check.handle_failure(token, f, now),
        }
    }

    /// When [`DohCheck::handle_timeout`] is due.
    pub fn poll_timeout(&self) -> Option<u64> {
        self.check.poll_timeout()
    }

    /// Lets time pass.
    pub fn handle_timeout(&mut self, now: u64) {
        self.check.handle_timeout(now);
    }

    /// Whether the check is over.
    pub fn is_done(&self) -> bool {
        self.check.is_done()
    }

    /// The report, complete or partial.
    pub fn report(&self) -> DnsReport {
        DnsReport::from_check(&self.check)
    }

    /// The check underneath.
    pub fn check(&self) -> &Check {
        &self.check
    }
}

impl super::Session for DohCheck {
    type Request = HttpRequest;
    type Reply = HttpReply;

    fn poll_request(&mut self, now: u64) -> Option<HttpRequest> {
        DohCheck::poll_request(self, now)
    }
    fn token(request: &HttpRequest) -> u32 {
        request.token
    }
    fn handle_reply(&mut self, token: u32, reply: Result<HttpReply, Failure>, now: u64) {
        DohCheck::handle_reply(self, token, reply, now);
    }
    fn poll_timeout(&self) -> Option<u64> {
        DohCheck::poll_timeout(self)
    }
    fn handle_timeout(&mut self, now: u64) {
        DohCheck::handle_timeout(self, now);
    }
    fn is_done(&self) -> bool {
        DohCheck::is_done(self)
    }
}
