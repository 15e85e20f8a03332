//! Redaction of secrets: applied when an [`Observation`](crate::Observation) is built, so no
//! report, export or serialisation can contain them.
//!
//! What counts as secret: cookies (`Cookie`, `Set-Cookie`), credentials (`Authorization`,
//! `Proxy-Authorization`, any header whose name mentions a token, secret, session, password,
//! credential, signature or API key), and signed-URL query parameters (`X-Amz-Signature`,
//! `X-Amz-Credential`, `X-Amz-Security-Token`, CloudFront's `Signature`, `Policy`,
//! `Key-Pair-Id`, and the usual OAuth/API-key names), wherever they appear: in the URL, in
//! header values such as `Location`, and in page text.

use alloc::borrow::Cow;
use alloc::string::String;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Header names whose whole value is secret.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
    "x-api-key",
    "x-csrf-token",
    "x-xsrf-token",
    "x-amzn-remapped-authorization",
];

/// Substrings that make a header name secret (compared lower-case).
const SECRET_NAME_PARTS: &[&str] = &[
    "token",
    "secret",
    "session",
    "passw",
    "credential",
    "signature",
    "api-key",
    "apikey",
    "auth",
];

/// Query (and fragment) parameter names whose value is secret, compared case-insensitively.
const SECRET_PARAMS: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "signature",
    "policy",
    "key-pair-id",
    "sig",
    "token",
    "access_token",
    "id_token",
    "refresh_token",
    "code",
    "auth",
    "key",
    "apikey",
    "api_key",
    "password",
    "passwd",
    "session",
    "sessionid",
    "jwt",
    "secret",
    "client_secret",
];

/// Whether the whole value of header `name` must be hidden.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    if lower == "cookie" || lower == "set-cookie" || lower == "set-cookie2" {
        return true;
    }
    SECRET_HEADERS.contains(&lower.as_str()) || SECRET_NAME_PARTS.iter().any(|p| lower.contains(p))
}

fn is_secret_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_PARAMS.contains(&lower.as_str())
        || ["token", "secret", "signature", "password", "credential"]
            .iter()
            .any(|p| lower.contains(p))
}

/// The value of header `name`, with secrets replaced.
pub fn header_value<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    let lower = name.trim().to_ascii_lowercase();
    match lower.as_str() {
        // Keep cookie names (they tell which auth scheme is in play, e.g. CloudFront-Policy),
        // never their values.
        "cookie" => Cow::Owned(redact_cookie_pairs(value, ';')),
        "set-cookie" | "set-cookie2" => Cow::Owned(redact_set_cookie(value)),
        _ if is_secret_header(&lower) => {
            if value.is_empty() {
                Cow::Borrowed(value)
            } else {
                Cow::Borrowed(REDACTED)
            }
        }
        _ => text(value),
    }
}

fn redact_cookie_pairs(value: &str, sep: char) -> String {
    let mut out = String::new();
    for (i, pair) in value.split(sep).enumerate() {
        if i > 0 {
            out.push(sep);
            out.push(' ');
        }
        let pair = pair.trim();
        match pair.split_once('=') {
            Some((name, _)) if !name.trim().is_empty() => {
                out.push_str(name.trim());
                out.push('=');
                out.push_str(REDACTED);
            }
            _ if pair.is_empty() => {}
            _ => out.push_str(REDACTED),
        }
    }
    out
}

fn redact_set_cookie(value: &str) -> String {
    // Only the first `name=value` pair is the cookie; the attributes after it (Path, Domain,
    // Expires, Secure…) are not secret, but a hostile value could hide one anywhere, so keep only
    // attribute names we know.
    let mut parts = value.split(';');
    let mut out = redact_cookie_pairs(parts.next().unwrap_or(""), ';');
    for attr in parts {
        let attr = attr.trim();
        let name = attr.split('=').next().unwrap_or("").trim();
        let known = [
            "path", "domain", "expires", "max-age", "secure", "httponly", "samesite",
        ]
        .iter()
        .any(|k| name.eq_ignore_ascii_case(k));
        out.push_str("; ");
        if known {
            out.push_str(&text(attr));
        } else {
            out.push_str(REDACTED);
        }
    }
    out
}

/// A URL with user-info and secret query/fragment parameters replaced.
pub fn url(url: &str) -> Cow<'_, str> {
    // user:password@ in the authority.
    let stripped = match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => {
                    let mut s = String::with_capacity(url.len());
                    s.push_str(&url[..scheme_end + 3]);
                    s.push_str(REDACTED);
                    s.push_str(&rest[at..]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(url),
            }
        }
        None => Cow::Borrowed(url),
    };
    match text(&stripped) {
        Cow::Borrowed(_) => stripped,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// Free text (a header value, page text, a URL) with every `name=value` whose name is a secret
/// parameter replaced, wherever it stands (after `?`, `&`, `#`, `;`, a space or at the start).
pub fn text(input: &str) -> Cow<'_, str> {
    let bytes = input.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr_eq(&bytes[i..]) {
        let eq = i + off;
        // The parameter name runs back from '=' over name characters.
        let mut start = eq;
        while start > 0 && is_param_char(bytes[start - 1]) {
            start -= 1;
        }
        let boundary_ok = start == 0
            || matches!(
                bytes[start - 1],
                b'?' | b'&'
                    | b'#'
                    | b';'
                    | b' '
                    | b'\t'
                    | b'\n'
                    | b'"'
                    | b'\''
                    | b','
                    | b'('
                    | b'<'
                    | b'>'
            );
        let mut end = eq + 1;
        while end < bytes.len() && !is_value_end(bytes[end]) {
            end += 1;
        }
        if start < eq && boundary_ok && end > eq + 1 && is_secret_param(&input[start..eq]) {
            let o = out.get_or_insert_with(|| String::with_capacity(input.len()));
            o.push_str(&input[copied..=eq]);
            o.push_str(REDACTED);
            copied = end;
        }
        i = end.max(eq + 1);
    }
    match out {
        None => Cow::Borrowed(input),
        Some(mut o) => {
            o.push_str(&input[copied..]);
            Cow::Owned(o)
        }
    }
}

fn memchr_eq(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'=')
}

fn is_param_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

fn is_value_end(b: u8) -> bool {
    matches!(
        b,
        b'&' | b'#' | b';' | b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'<' | b'>' | b','
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn signed_url_parameters_are_hidden() {
        let u = "https://d1.cloudfront.net/a.jpg?Expires=1&Signature=abc~def&Key-Pair-Id=K2&x=1";
        let r = url(u);
        assert_eq!(
            r,
            "https://d1.cloudfront.net/a.jpg?Expires=1&Signature=[redacted]&Key-Pair-Id=[redacted]&x=1"
        );
        let s3 = "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Signature=ff00";
        assert!(!url(s3).contains("ff00"));
        assert!(!url(s3).contains("AKIA"));
    }

    #[test]
    fn userinfo_is_hidden() {
        assert_eq!(
            url("https://bob:hunter2@example.com/x"),
            "https://[redacted]@example.com/x"
        );
    }

    #[test]
    fn cookies_keep_names_only() {
        assert_eq!(
            header_value("Cookie", "a=1; CloudFront-Policy=xyz"),
            "a=[redacted]; CloudFront-Policy=[redacted]"
        );
        assert_eq!(
            header_value("set-cookie", "sid=s3cr3t; Path=/; HttpOnly; Weird=leak"),
            "sid=[redacted]; Path=/; HttpOnly; [redacted]"
        );
        assert_eq!(header_value("Authorization", "Bearer x.y.z"), REDACTED);
        assert_eq!(header_value("X-Upstream-Session", "abc"), REDACTED);
        assert_eq!(header_value("Server", "CloudFront"), "CloudFront");
    }

    #[test]
    fn text_keeps_unrelated_assignments() {
        assert_eq!(text("a=b c=d"), "a=b c=d");
        assert_eq!(text("see token=abc;"), "see token=[redacted];");
        assert_eq!(text("mykey=abc"), "mykey=abc");
    }
}
