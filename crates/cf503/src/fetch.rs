//! `cf503 check URL`: fetches the URL as a browser would, bounded in time and size, and turns
//! the response into the core's [`Observation`]. Redirects are followed (the last response is
//! the one diagnosed, as with `curl -L`); an error status is a result, not a failure.

use std::io::Read;
use std::time::Duration;

use cf503_core::{Observation, Source};

/// Bodies beyond this are not read (error pages are a few KB).
const BODY_LIMIT: u64 = 1024 * 1024;

/// Why a URL could not be fetched.
#[derive(Debug, thiserror::Error)]
#[error("cannot fetch {url}: {reason}")]
pub struct FetchError {
    url: String,
    reason: String,
}

/// Fetches `url`.
pub fn fetch(url: &str, timeout: Duration) -> Result<Observation, FetchError> {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_redirects(5)
        .user_agent(concat!("cf503/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    fetch_with(&agent, url, timeout)
}

/// A resolver that answers every name with one address: the request goes to that edge, with
/// the URL's Host and SNI, and certificates are still checked against the URL's host (what
/// `curl --resolve host:port:address` does).
#[derive(Debug)]
struct Pinned(std::net::IpAddr);

impl ureq::unversioned::resolver::Resolver for Pinned {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        _timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("http") {
                80
            } else {
                443
            });
        let mut out = self.empty();
        out.push(std::net::SocketAddr::new(self.0, port));
        Ok(out)
    }
}

/// Fetches `url` from one edge address (`cf503 edges`): no redirect followed, so the answer is
/// that edge's.
pub fn fetch_pinned(
    url: &str,
    address: std::net::IpAddr,
    timeout: Duration,
) -> Result<Observation, FetchError> {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .user_agent(concat!("cf503/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent = ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::new(),
        Pinned(address),
    );
    fetch_with(&agent, url, timeout)
}

fn fetch_with(
    agent: &ureq::Agent,
    url: &str,
    timeout: Duration,
) -> Result<Observation, FetchError> {
    let fail = |reason: String| FetchError {
        url: cf503_core::redact::url(url).into_owned(),
        reason,
    };
    let mut resp = agent
        .get(url)
        .call()
        .map_err(|e| fail(describe(&e, timeout)))?;
    let mut obs = Observation::new(Source::Fetched);
    // After redirects, the URL that answered is the one diagnosed (audit 2026-12 F12).
    obs.set_url(&ureq::ResponseExt::get_uri(&resp).to_string());
    let status = resp.status();
    obs.set_status(status.as_u16(), status.canonical_reason());
    obs.set_http_version(match resp.version() {
        ureq::http::Version::HTTP_09 => "HTTP/0.9",
        ureq::http::Version::HTTP_10 => "HTTP/1.0",
        ureq::http::Version::HTTP_2 => "HTTP/2",
        ureq::http::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    });
    for (name, value) in resp.headers() {
        obs.push_header(name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
    }
    let mut body = Vec::new();
    // A body that breaks off is still worth diagnosing: keep what arrived.
    let _ = resp
        .body_mut()
        .as_reader()
        .take(BODY_LIMIT)
        .read_to_end(&mut body);
    obs.attach_body(&String::from_utf8_lossy(&body), None);
    Ok(obs)
}

/// A one-line reason, with what to check.
fn describe(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "no complete answer within {} s (is the host up? is a firewall dropping packets?)",
            timeout.as_secs()
        ),
        ureq::Error::HostNotFound => {
            "the host name does not resolve (check the URL, or run `cf503 dns` on it)".into()
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused (nothing listens on that port)".into()
        }
        ureq::Error::BadUri(u) => format!("not a valid URL ({u}); give it as https://host/path"),
        other => {
            let text = other.to_string();
            let lower = text.to_ascii_lowercase();
            // The system resolver's failure comes as an I/O error (getaddrinfo's words).
            if lower.contains("lookup address")
                || lower.contains("name or service not known")
                || lower.contains("no address associated")
                || lower.contains("temporary failure in name resolution")
            {
                format!(
                    "the host name does not resolve from here ({text}): check the URL, your network's DNS, or run `cf503 dns` on it"
                )
            } else if lower.contains("corrupt message")
                || lower.contains("invalidcontenttype")
                || lower.contains("wrong version number")
            {
                format!(
                    "the server at that port does not speak TLS ({text}): is it plain HTTP? try the http:// URL"
                )
            } else if lower.contains("tls")
                || lower.contains("certificate")
                || lower.contains("handshake")
            {
                format!("TLS failed: {text}")
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hints fire on the errors as ureq and the system resolver word them.
    #[test]
    fn name_resolution_and_plain_http_get_their_hints() {
        let t = Duration::from_secs(5);
        let lookup = ureq::Error::Io(std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        ));
        assert!(describe(&lookup, t).starts_with("the host name does not resolve from here"));
        let refused = ureq::Error::Io(std::io::ErrorKind::ConnectionRefused.into());
        assert!(describe(&refused, t).starts_with("connection refused"));
    }
}
