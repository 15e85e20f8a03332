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
    "jwt",
    "oidc",
    "assertion",
    "secret",
    "session",
    "passw",
    "credential",
    "signature",
    "api-key",
    "apikey",
    "auth",
];

/// Parameter names are compared normalised: percent-decoded, lower-case, without `-`, `_`
/// and `.` (so `X%2DAmz%2DSignature`, `x_amz_signature` and `X-Amz-Signature` are one name).
/// A name is secret when it contains one of these parts…
const SECRET_PARAM_PARTS: &[&str] = &[
    "session",
    "sessid",
    "token",
    "secret",
    "passw",
    "pwd",
    "signature",
    "credential",
    "auth",
    "apikey",
    "accesskey",
    "privatekey",
    "jwt",
    "accessid",
    "assertion",
    "samlresponse",
];

/// … or is one of these (too short to match as parts) …
const SECRET_PARAM_NAMES: &[&str] = &[
    "sig",
    "key",
    "code",
    "pass",
    "policy",
    "keypairid",
    "sid",
    "otp",
    "ticket",
    "nonce",
];

/// … or ends with one of these (`subscription-key`, `authcode`, `x-goog-sig`).
const SECRET_PARAM_SUFFIXES: &[&str] = &["key", "code", "sig"];

/// Nested URLs and encoded query strings are looked into this deep.
const NESTING_LIMIT: usize = 3;

/// Whether the whole value of header `name` must be hidden.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    if lower == "cookie" || lower == "set-cookie" || lower == "set-cookie2" {
        return true;
    }
    SECRET_HEADERS.contains(&lower.as_str()) || SECRET_NAME_PARTS.iter().any(|p| lower.contains(p))
}

/// The normalised form of a parameter name (see [`SECRET_PARAM_PARTS`]).
fn normalise_name(name: &str) -> String {
    let decoded = percent_decode(name);
    decoded
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_secret_param(name: &str) -> bool {
    let n = normalise_name(name);
    !n.is_empty()
        && (SECRET_PARAM_PARTS.iter().any(|p| n.contains(p))
            || SECRET_PARAM_NAMES.contains(&n.as_str())
            || SECRET_PARAM_SUFFIXES.iter().any(|s| n.ends_with(s)))
}

/// `%XX` escapes decoded once (invalid ones kept as written; the result is lossy UTF-8).
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return String::from(s);
    }
    let b = s.as_bytes();
    let mut out = alloc::vec::Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                b.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?')); // two hex digits: < 256
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

/// A URL with user-info and secret query/fragment parameters replaced (nested URLs too).
pub fn url(url: &str) -> Cow<'_, str> {
    text(url)
}

/// Free text (a header value, page text, a URL, an error message) with secrets replaced:
/// every `name=value` (also `name = value`, `name="value"`, `"name": "value"`) whose normalised
/// name is secret, wherever it stands; user-info in any URL; and values that look like
/// credentials whatever their name (JWTs `eyJ….eyJ…`, AWS access key ids `AKIA…`/`ASIA…`).
/// Nested URLs and percent-encoded query strings are looked into. Linear in the input.
pub fn text(input: &str) -> Cow<'_, str> {
    redact_nested(input, 0)
}

fn redact_nested(input: &str, depth: usize) -> Cow<'_, str> {
    let a = match encoded_queries(input, depth) {
        Cow::Borrowed(_) => assignments(input, depth),
        Cow::Owned(s) => Cow::Owned(assignments(&s, depth).into_owned()),
    };
    let b = match userinfo(&a) {
        Cow::Borrowed(_) => a,
        Cow::Owned(s) => Cow::Owned(s),
    };
    match shapes(&b) {
        Cow::Borrowed(_) => b,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// Text for a terminal or a one-line error message: redacted, and with control characters
/// (escape sequences, bidi overrides) replaced, so a file name or URL cannot drive the terminal.
pub fn for_terminal(input: &str) -> String {
    text(input)
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Builds the output lazily: nothing is allocated when nothing is redacted.
struct Rewriter<'a> {
    input: &'a str,
    out: Option<String>,
    copied: usize,
}

impl<'a> Rewriter<'a> {
    fn new(input: &'a str) -> Self {
        Self {
            input,
            out: None,
            copied: 0,
        }
    }
    /// Replaces `input[from..to]` by `with`.
    fn replace(&mut self, from: usize, to: usize, with: &str) {
        let o = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.input.len()));
        o.push_str(&self.input[self.copied..from]);
        o.push_str(with);
        self.copied = to;
    }
    fn finish(self) -> Cow<'a, str> {
        match self.out {
            None => Cow::Borrowed(self.input),
            Some(mut o) => {
                o.push_str(&self.input[self.copied..]);
                Cow::Owned(o)
            }
        }
    }
}

fn assignments(input: &str, depth: usize) -> Cow<'_, str> {
    let bytes = input.as_bytes();
    let mut w = Rewriter::new(input);
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&c| c == b'=' || c == b':') {
        let sep = i + off;
        let is_colon = bytes[sep] == b':';
        // The name runs back from the separator (over spaces first: `password = x`), and may be
        // quoted (`"access_token": "x"`, the only form in which `:` counts).
        let mut name_end = sep;
        while name_end > i && bytes[name_end - 1] == b' ' {
            name_end -= 1;
        }
        let quoted_name = name_end > 0 && bytes[name_end - 1] == b'"';
        if is_colon && !quoted_name {
            i = sep + 1;
            continue;
        }
        let name_end = name_end - usize::from(quoted_name);
        let mut start = name_end;
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
                    | b'{'
                    | b'/'
            );
        if start == name_end || !boundary_ok {
            i = sep + 1;
            continue;
        }
        // The value: after spaces, up to its closing quote or to a value end.
        let mut vstart = sep + 1;
        while vstart < bytes.len() && bytes[vstart] == b' ' {
            vstart += 1;
        }
        let quote = bytes
            .get(vstart)
            .copied()
            .filter(|q| *q == b'"' || *q == b'\'');
        let value_from = vstart + usize::from(quote.is_some());
        let secret = is_secret_param(&input[start..name_end]);
        if secret {
            let end = match quote {
                Some(q) => bytes[value_from..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(bytes.len(), |p| value_from + p),
                None => value_end(bytes, value_from),
            };
            if end > value_from {
                w.replace(value_from, end, REDACTED);
            }
            i = end.max(sep + 1);
            continue;
        }
        // Not secret: an encoded nested URL or query string is decoded and looked into; any
        // other value is scanned on from here, so `?next=https://…?code=…` is found as well.
        if depth < NESTING_LIMIT && looks_encoded(&bytes[value_from..]) {
            let end = value_end(bytes, value_from);
            let decoded = percent_decode(&input[value_from..end]);
            if let Cow::Owned(r) = redact_nested(&decoded, depth + 1) {
                w.replace(value_from, end, &r);
            }
            i = end.max(sep + 1);
            continue;
        }
        i = sep + 1;
    }
    w.finish()
}

/// A query string encoded into a path segment (`/next%3Ftoken%3DSECRET`: an encoded `?`
/// anywhere, not only after `=`) is decoded and looked into (audit LS3). Each occurrence is
/// decoded up to its value's end and the scan goes on from there: linear in the input.
fn encoded_queries(input: &str, depth: usize) -> Cow<'_, str> {
    if depth >= NESTING_LIMIT {
        return Cow::Borrowed(input);
    }
    let bytes = input.as_bytes();
    let mut w = Rewriter::new(input);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'%', &bytes[i..]) {
        let at = i + off;
        // `%3F`, or `%253F` (encoded twice: the next level finds the `%3F`).
        let after = |n: usize| &bytes[(at + n).min(bytes.len())..];
        let question_mark = |rest: &[u8]| {
            rest.first() == Some(&b'3')
                && rest.get(1).is_some_and(|b| b.eq_ignore_ascii_case(&b'f'))
        };
        let encoded_question_mark =
            question_mark(after(1)) || (after(1).starts_with(b"25") && question_mark(after(3)));
        if !encoded_question_mark {
            i = at + 1;
            continue;
        }
        let end = value_end(bytes, at);
        let decoded = percent_decode(&input[at..end]);
        if let Cow::Owned(r) = redact_nested(&decoded, depth + 1) {
            w.replace(at, end, &r);
        }
        i = end.max(at + 1);
    }
    w.finish()
}

/// Whether a value starts like a percent-encoded URL or query string. Looks at a bounded
/// prefix only, so scanning stays linear however many `=` the text holds.
fn looks_encoded(v: &[u8]) -> bool {
    const PREFIX: usize = 64;
    let head: alloc::vec::Vec<u8> = v
        .iter()
        .take(PREFIX)
        .take_while(|&&c| !is_value_end(c))
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"http%3a")
        || head.starts_with(b"https%3a")
        || head.starts_with(b"%2f")
        || head.windows(3).any(|w| w == b"%3f" || w == b"%3d")
}

fn value_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&c| is_value_end(c))
        .map_or(bytes.len(), |p| from + p)
}

/// `scheme://user:password@host`: the user-info of every URL in the text.
fn userinfo(input: &str) -> Cow<'_, str> {
    let bytes = input.as_bytes();
    let mut w = Rewriter::new(input);
    let mut i = 0;
    while let Some(off) = find(&bytes[i..], b"://") {
        let auth_start = i + off + 3;
        let auth_end = bytes[auth_start..]
            .iter()
            .position(|&c| {
                matches!(
                    c,
                    b'/' | b'?' | b'#' | b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'<' | b'>'
                )
            })
            .map_or(bytes.len(), |p| auth_start + p);
        if let Some(at) = bytes[auth_start..auth_end].iter().rposition(|&c| c == b'@') {
            w.replace(auth_start, auth_start + at, REDACTED);
        }
        i = auth_end.max(auth_start);
    }
    w.finish()
}

/// Credentials recognised by their shape, whatever name they stand under.
fn shapes(input: &str) -> Cow<'_, str> {
    let bytes = input.as_bytes();
    let mut w = Rewriter::new(input);
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let at_word_start = i == 0 || !is_token_char(bytes[i - 1]);
        let rest = &bytes[i..];
        if at_word_start && (rest.starts_with(b"eyJ")) {
            // A JWT: three base64url parts, the first two JSON objects (`eyJ` = `{"`).
            let end = i + rest
                .iter()
                .position(|&c| !(is_token_char(c) || c == b'.'))
                .unwrap_or(rest.len());
            let token = &input[i..end];
            let parts: alloc::vec::Vec<&str> = token.split('.').collect();
            if parts.len() >= 2 && parts[1].starts_with("eyJ") && parts[0].len() >= 10 {
                w.replace(i, end, REDACTED);
            }
            i = end.max(i + 1);
            continue;
        }
        if at_word_start && (rest.starts_with(b"AKIA") || rest.starts_with(b"ASIA")) {
            // An AWS access key id: four letters and sixteen upper-case letters or digits.
            let len = rest
                .iter()
                .take(21)
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                .count();
            if len == 20 {
                w.replace(i, i + 20, REDACTED);
                i += 20;
                continue;
            }
        }
        i += 1;
    }
    w.finish()
}

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_param_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'%')
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

    /// Audit LS3: a query string encoded into a path segment (once, or twice as a log's
    /// `cs-uri-stem` holds it before cf503 decodes it once) is looked into.
    #[test]
    fn audit_ls3_encoded_query_in_a_path_segment() {
        for (input, secret) in [
            ("/login/next%3Ftoken%3DSECRET1", "SECRET1"),
            ("https://www.example.com/next%3Ftoken%3DSECRET2", "SECRET2"),
            ("/a/next%253Fsession_id%253DSECRET3%2526x%253D1", "SECRET3"),
            ("/x%3fpassword%3dSECRET4 and more", "SECRET4"),
        ] {
            let out = text(input);
            assert!(!out.contains(secret), "{input} -> {out}");
            assert!(out.contains(REDACTED), "{input} -> {out}");
        }
        // Nothing secret: unchanged, borrowed.
        assert!(matches!(text("/search%3Fq%3Dshoes"), Cow::Borrowed(_)));
        assert!(matches!(text("/100%25/%3F"), Cow::Borrowed(_)));
        // Linear: a million encoded question marks.
        let many = "%3F".repeat(1_000_000);
        assert_eq!(text(&many).len(), many.len());
    }

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

    /// The audit's misses (audit-2026-12 §1, §5, §6), one line each.
    #[test]
    fn audit_2026_12_secret_shapes() {
        for (input, leak) in [
            ("https://x/p?session_id=S3CR3T", "S3CR3T"),
            ("https://x/p?PHPSESSID=S3CR3T", "S3CR3T"),
            ("https://x/p;jsessionid=S3CR3T?a=1", "S3CR3T"),
            ("https://x/v1?api-key=akLK52a", "akLK52a"),
            ("https://x/v1?x-api-key=akLK52b", "akLK52b"),
            ("https://x/v1?subscription-key=akLK52c", "akLK52c"),
            ("https://x/v1?access_key=akLK52d", "akLK52d"),
            ("https://x/login?pwd=hunter2", "hunter2"),
            ("https://x/login?pass=hunter2", "hunter2"),
            ("https://x/?next=https://y/cb?code=OAUTHCODE", "OAUTHCODE"),
            (
                "https://x/?next=https%3A%2F%2Fy%2Fcb%3Ftoken%3DENCTOKEN",
                "ENCTOKEN",
            ),
            ("https://x/?next=https://bob:hunter2@y/", "hunter2"),
            (
                "https://x/u/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl/p",
                "eyJzdWIiOiIxMjM0In0",
            ),
            (
                "https://b.s3.amazonaws.com/k?X%2DAmz%2DSignature=pctLK43sig",
                "pctLK43sig",
            ),
            (
                "https://b.s3.amazonaws.com/k?X%2DAmz%2DCredential=AKIALK43QWERTYUIOPAS",
                "AKIALK43QWERTYUIOPAS",
            ),
            (
                "https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1",
                "AKIAIOSFODNN7EXAMPLE",
            ),
            (
                "https://storage.googleapis.com/b/o?GoogleAccessId=svc@p.iam&Expires=1",
                "svc@p.iam",
            ),
            ("token=\"quoLK25\"", "quoLK25"),
            ("password = spaLK26", "spaLK26"),
            ("{\"access_token\": \"jsonLK27\"}", "jsonLK27"),
            (
                "0; url=https://x/?X-Amz-Credential=AKIALK11QWERTYUIOPAS",
                "AKIALK11",
            ),
            (
                "https://admin:hunter2LK10@internal.example.com/app",
                "hunter2LK10",
            ),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "wJalrXUtnFEMI",
            ),
            (
                "key id ASIAIOSFODNN7EXAMPLE in text",
                "ASIAIOSFODNN7EXAMPLE",
            ),
        ] {
            let r = text(input);
            assert!(!r.contains(leak), "{input} -> {r}");
        }
        assert_eq!(
            header_value(
                "x-amzn-oidc-data",
                "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.sig"
            ),
            REDACTED
        );
    }

    #[test]
    fn terminal_text_is_redacted_and_inert() {
        let t = for_terminal(
            "cannot fetch http://admin:pw@x/?X-Amz-Signature=abc: \u{1b}]0;pwned\u{7}",
        );
        assert!(
            !t.contains("pw@") && !t.contains("abc") && !t.contains('\u{1b}'),
            "{t}"
        );
    }

    #[test]
    fn text_keeps_unrelated_assignments() {
        assert_eq!(
            text("status=503 pop=IAD89-C1 Server: CloudFront"),
            "status=503 pop=IAD89-C1 Server: CloudFront"
        );
        assert_eq!(text("a=b c=d"), "a=b c=d");
        assert_eq!(text("see token=abc;"), "see token=[redacted];");
        assert_eq!(text("design=abc&page=2"), "design=abc&page=2");
        // By policy, not by list: a name ending in `key` is hidden, whatever comes before.
        assert_eq!(text("mykey=abc"), "mykey=[redacted]");
    }
}
