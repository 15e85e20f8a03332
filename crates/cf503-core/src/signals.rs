//! Typed facts extracted from an [`Observation`]: who generated the response, the edge result,
//! the POP, the origin's kind, the error-page phrase, timings.
//!
//! Every literal matched here is cited: the tables name their source ids (`OBS-PAGE`,
//! `OBS-XCACHE`, `ORIGINS`, …), which `docs/sources.md` lists with the public pages they come
//! from.

use alloc::string::String;
use alloc::vec::Vec;

use crate::logs::fields::{self, Slot};
use crate::observation::Observation;
use crate::pops::PopId;

/// A CloudFront result type: the first word of `X-Cache`, or a log field value
/// (`x-edge-result-type`, `x-edge-response-result-type`, `x-edge-detailed-result-type`).
/// Reference §1.1 and §4.3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum ResultType {
    Hit,
    RefreshHit,
    Miss,
    Error,
    Redirect,
    LimitExceeded,
    CapacityExceeded,
    LambdaExecutionError,
    LambdaValidationError,
    LambdaLimitExceeded,
    LambdaGeneratedResponse,
    FunctionGeneratedResponse,
    FunctionExecutionError,
    FunctionThrottledError,
    OriginShieldHit,
    MissGeneratedResponse,
    AbortedOrigin,
    ClientCommError,
    ClientGeoBlocked,
    ClientHungUpRequest,
    InvalidRequest,
    InvalidRequestBlocked,
    InvalidRequestCertificate,
    InvalidRequestHeader,
    InvalidRequestMethod,
    OriginCommError,
    OriginConnectError,
    OriginContentRangeLengthError,
    OriginDnsError,
    OriginError,
    OriginHeaderTooBigError,
    OriginInvalidResponseError,
    OriginReadError,
    OriginWriteError,
    OriginZeroSizeObjectError,
    SlowReaderOriginError,
}

/// Every documented result type with its name as CloudFront writes it.
pub fn result_types() -> &'static [(ResultType, &'static str)] {
    RESULT_TYPES
}

/// The names as CloudFront writes them (case-insensitive on input).
const RESULT_TYPES: &[(ResultType, &str)] = &[
    (ResultType::Hit, "Hit"),
    (ResultType::RefreshHit, "RefreshHit"),
    (ResultType::Miss, "Miss"),
    (ResultType::Error, "Error"),
    (ResultType::Redirect, "Redirect"),
    (ResultType::LimitExceeded, "LimitExceeded"),
    (ResultType::CapacityExceeded, "CapacityExceeded"),
    (ResultType::LambdaExecutionError, "LambdaExecutionError"),
    (ResultType::LambdaValidationError, "LambdaValidationError"),
    (ResultType::LambdaLimitExceeded, "LambdaLimitExceeded"),
    (
        ResultType::LambdaGeneratedResponse,
        "LambdaGeneratedResponse",
    ),
    (
        ResultType::FunctionGeneratedResponse,
        "FunctionGeneratedResponse",
    ),
    (ResultType::FunctionExecutionError, "FunctionExecutionError"),
    (ResultType::FunctionThrottledError, "FunctionThrottledError"),
    (ResultType::OriginShieldHit, "OriginShieldHit"),
    (ResultType::MissGeneratedResponse, "MissGeneratedResponse"),
    (ResultType::AbortedOrigin, "AbortedOrigin"),
    (ResultType::ClientCommError, "ClientCommError"),
    (ResultType::ClientGeoBlocked, "ClientGeoBlocked"),
    (ResultType::ClientHungUpRequest, "ClientHungUpRequest"),
    (ResultType::InvalidRequest, "InvalidRequest"),
    (ResultType::InvalidRequestBlocked, "InvalidRequestBlocked"),
    (
        ResultType::InvalidRequestCertificate,
        "InvalidRequestCertificate",
    ),
    (ResultType::InvalidRequestHeader, "InvalidRequestHeader"),
    (ResultType::InvalidRequestMethod, "InvalidRequestMethod"),
    (ResultType::OriginCommError, "OriginCommError"),
    (ResultType::OriginConnectError, "OriginConnectError"),
    (
        ResultType::OriginContentRangeLengthError,
        "OriginContentRangeLengthError",
    ),
    (ResultType::OriginDnsError, "OriginDnsError"),
    (ResultType::OriginError, "OriginError"),
    (
        ResultType::OriginHeaderTooBigError,
        "OriginHeaderTooBigError",
    ),
    (
        ResultType::OriginInvalidResponseError,
        "OriginInvalidResponseError",
    ),
    (ResultType::OriginReadError, "OriginReadError"),
    (ResultType::OriginWriteError, "OriginWriteError"),
    (
        ResultType::OriginZeroSizeObjectError,
        "OriginZeroSizeObjectError",
    ),
    (ResultType::SlowReaderOriginError, "SlowReaderOriginError"),
];

impl ResultType {
    /// Parses a result-type name (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        RESULT_TYPES
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(s))
            .map(|(t, _)| *t)
    }

    /// The name as CloudFront writes it.
    pub fn as_str(self) -> &'static str {
        RESULT_TYPES
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("?", |(_, n)| n)
    }

    /// Results that mean an edge function failed or a CloudFront limit was hit: CloudFront made
    /// the error itself.
    pub fn is_edge_generated_error(self) -> bool {
        matches!(
            self,
            ResultType::LimitExceeded
                | ResultType::CapacityExceeded
                | ResultType::LambdaExecutionError
                | ResultType::LambdaValidationError
                | ResultType::LambdaLimitExceeded
                | ResultType::FunctionExecutionError
                | ResultType::FunctionThrottledError
        )
    }
}

/// Who produced the error response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Generator {
    /// CloudFront itself (or an edge function), without a usable origin response.
    CloudFront,
    /// The origin; CloudFront relayed it.
    Origin,
    /// The evidence does not say.
    Unknown,
}

impl Generator {
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Generator::CloudFront => "cloudfront",
            Generator::Origin => "origin",
            Generator::Unknown => "unknown",
        }
    }
}

/// The kind of origin, from its `Server` header, other headers and its error page (§8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum OriginKind {
    S3,
    ApplicationLoadBalancer,
    ClassicLoadBalancer,
    ApiGateway,
    LambdaFunctionUrl,
    Heroku,
    Nginx,
    Apache,
    Iis,
    Envoy,
    Haproxy,
    Varnish,
    /// Another server, named by its `Server` header.
    Other,
}

impl OriginKind {
    /// Every kind, in catalogue order.
    pub const ALL: [OriginKind; 13] = [
        OriginKind::S3,
        OriginKind::ApplicationLoadBalancer,
        OriginKind::ClassicLoadBalancer,
        OriginKind::ApiGateway,
        OriginKind::LambdaFunctionUrl,
        OriginKind::Heroku,
        OriginKind::Nginx,
        OriginKind::Apache,
        OriginKind::Iis,
        OriginKind::Envoy,
        OriginKind::Haproxy,
        OriginKind::Varnish,
        OriginKind::Other,
    ];

    /// The kind with this machine name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            OriginKind::S3 => "s3",
            OriginKind::ApplicationLoadBalancer => "alb",
            OriginKind::ClassicLoadBalancer => "classic_elb",
            OriginKind::ApiGateway => "api_gateway",
            OriginKind::LambdaFunctionUrl => "lambda_function_url",
            OriginKind::Heroku => "heroku",
            OriginKind::Nginx => "nginx",
            OriginKind::Apache => "apache",
            OriginKind::Iis => "iis",
            OriginKind::Envoy => "envoy",
            OriginKind::Haproxy => "haproxy",
            OriginKind::Varnish => "varnish",
            OriginKind::Other => "other",
        }
    }

    /// Human name.
    pub fn label(self) -> &'static str {
        match self {
            OriginKind::S3 => "Amazon S3",
            OriginKind::ApplicationLoadBalancer => "Application Load Balancer",
            OriginKind::ClassicLoadBalancer => "Classic Load Balancer",
            OriginKind::ApiGateway => "Amazon API Gateway",
            OriginKind::LambdaFunctionUrl => "Lambda function URL",
            OriginKind::Heroku => "Heroku",
            OriginKind::Nginx => "nginx",
            OriginKind::Apache => "Apache httpd",
            OriginKind::Iis => "IIS / HTTP.sys",
            OriginKind::Envoy => "Envoy",
            OriginKind::Haproxy => "HAProxy",
            OriginKind::Varnish => "Varnish",
            OriginKind::Other => "a custom origin server",
        }
    }
}

/// A reason line of CloudFront's own error page (§2). AWS does not document these; they are
/// observed, and each is cited in `docs/sources.md` (OBS-PAGE). The page's wording has changed
/// over the years (2016 "wasn't able to connect", 2018 "Failed to contact the origin", 2021
/// "couldn't connect … or returned an incorrect response", 2026 no reason line at all and the
/// status words in the heading): every variant is here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum CfPhrase {
    CouldNotResolveOrigin,
    LambdaInvalidOrNoPermission,
    LambdaThrottled,
    FunctionCouldNotRun,
    LambdaInvalidJson,
    LambdaFailedValidation,
    LambdaInvalidResult,
    CouldNotConnect,
    CouldNotConnectOrIncorrect,
    FailedToContactOrigin,
    AttemptedToConnect,
    GatewayTimeout,
    BadGatewayHeading,
}

/// Whether `text` is one of the page sentences this module recognises, as reports show them
/// (a shared link may carry only these).
pub fn is_known_phrase(text: &str) -> bool {
    CF_SENTENCES.iter().any(|(p, _)| p.text() == text)
        || ORIGIN_SIGNATURES.iter().any(|sig| sig.shown == text)
}

/// Every reason sentence of CloudFront's pages in full, every known variant (OBS-PAGE), for
/// recognising fragments of them ([`crate::vocab`]): more specific sentences first, so that a
/// fragment two sentences share goes to the first (the Lambda@Edge sentences share their start).
const CF_SENTENCES: &[(CfPhrase, &str)] = &[
    (
        CfPhrase::CouldNotResolveOrigin,
        "CloudFront wasn't able to resolve the origin domain name.",
    ),
    (
        CfPhrase::LambdaInvalidOrNoPermission,
        "The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions.",
    ),
    (
        CfPhrase::LambdaThrottled,
        "The Lambda function associated with the CloudFront distribution was throttled.",
    ),
    (
        CfPhrase::FunctionCouldNotRun,
        "The CloudFront function associated with the CloudFront distribution is invalid or could not run.",
    ),
    (
        CfPhrase::LambdaInvalidJson,
        "The Lambda function returned invalid JSON: The JSON output is not parsable.",
    ),
    (
        CfPhrase::LambdaInvalidJson,
        "The Lambda function returned invalid JSON: The JSON output must be an object type.",
    ),
    (
        CfPhrase::LambdaFailedValidation,
        "The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.",
    ),
    (
        CfPhrase::LambdaFailedValidation,
        "The Lambda function result failed validation: The body is not a string, is not an object, or exceeds the maximum size.",
    ),
    (
        CfPhrase::LambdaFailedValidation,
        "The Lambda function result failed validation: The function tried to add a blacklisted header.",
    ),
    (
        CfPhrase::LambdaInvalidResult,
        "The Lambda function returned an invalid request or response to CloudFront.",
    ),
    (
        CfPhrase::LambdaInvalidResult,
        "The Lambda function returned an invalid origin configuration.",
    ),
    (
        CfPhrase::LambdaInvalidResult,
        "The Lambda function returned an invalid entry in the headers object.",
    ),
    (
        CfPhrase::CouldNotConnect,
        "CloudFront wasn't able to connect to the origin.",
    ),
    (
        CfPhrase::CouldNotConnectOrIncorrect,
        "CloudFront couldn't connect to the origin or the origin returned an incorrect response.",
    ),
    (
        CfPhrase::FailedToContactOrigin,
        "Failed to contact the origin.",
    ),
    (
        CfPhrase::AttemptedToConnect,
        "CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.",
    ),
    (CfPhrase::GatewayTimeout, "504 Gateway Timeout ERROR"),
    (CfPhrase::BadGatewayHeading, "502 Bad Gateway ERROR"),
];

/// The CloudFront sentence a text holds a fragment of ([`crate::vocab`]), in its first
/// [`PHRASE_SCAN_LIMIT`] bytes.
pub(crate) fn sentence_fragment_in(raw: &str) -> Option<CfPhrase> {
    // Split into words once per process, on first use: a HAR of a hundred thousand entries
    // looks at every page it holds.
    static TABLE: once_cell::race::OnceBox<crate::vocab::Sentences<'static, CfPhrase>> =
        once_cell::race::OnceBox::new();
    let table =
        TABLE.get_or_init(|| alloc::boxed::Box::new(crate::vocab::Sentences::new(CF_SENTENCES)));
    let cut = crate::text::floor_char_boundary(raw, PHRASE_SCAN_LIMIT);
    table
        .find_in(&crate::vocab::words(&raw[..cut]))
        .map(|m| m.value)
}

/// Every catalogued reason sentence of CloudFront's pages, with its phrase (tests generate
/// fragments of them).
pub fn cf_sentences() -> &'static [(CfPhrase, &'static str)] {
    CF_SENTENCES
}

/// The messages of the CloudFront management API and the shapes AWS's tools print them in
/// (API: the XML `<Message>`; the AWS CLI's `An error occurred (Code) when calling the Op
/// operation: …`; the Go SDK's `operation error CloudFront: Op, …`). Matched on the folded text.
const API_MARKS: &[&str] = &[
    "cloudfront encountered an internal error",
    "operation error cloudfront:",
];

/// CloudFront API operations, as the AWS CLI names them in `when calling the … operation`.
const API_OPERATIONS: &[&str] = &[
    "createinvalidation",
    "getinvalidation",
    "listinvalidations",
    "createdistribution",
    "updatedistribution",
    "getdistribution",
    "getdistributionconfig",
    "listdistributions",
    "deletedistribution",
    "createfunction",
    "updatefunction",
    "publishfunction",
    "testfunction",
];

/// Lines a Lambda function's runtime writes when it fails (the function's own CloudWatch log,
/// which people paste beside a CloudFront 503): an unhandled error's JSON, a time-out, a module
/// that will not load (LRT in `docs/sources.md`). Matched on the folded text.
const LAMBDA_RUNTIME_MARKS: &[&str] = &[
    "task timed out after",
    "\"errortype\"",
    "runtime.handleonce",
    "runtime.importmoduleerror",
    "runtime.usercodesyntaxerror",
    "at runtime.exports.handler",
];

/// The family a result-type name belongs to, read from the name itself: what an undocumented
/// value (a new result type, one this table lacks) can still say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResultFamily {
    /// `Function…`: CloudFront Functions.
    Function,
    /// `Lambda…`: Lambda@Edge.
    Lambda,
    /// `Origin…`: the origin.
    Origin,
    /// `Client…`, `InvalidRequest…`: the viewer's side.
    Viewer,
    /// `…LimitExceeded`, `…Throttled…`: a quota.
    Quota,
}

impl ResultFamily {
    /// Words for a report.
    pub fn label(self) -> &'static str {
        match self {
            ResultFamily::Function => "CloudFront Functions",
            ResultFamily::Lambda => "Lambda@Edge",
            ResultFamily::Origin => "the origin",
            ResultFamily::Viewer => "the viewer's side",
            ResultFamily::Quota => "a quota",
        }
    }

    /// The family of a result-type-shaped name (`FunctionFooError`) this table does not list;
    /// `None` for a listed name or one that is not shaped like a result type.
    pub fn of(name: &str) -> Option<Self> {
        let shaped = name.len() <= 48
            && name.bytes().all(|b| b.is_ascii_alphanumeric())
            && name.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
            && name.bytes().skip(1).any(|b| b.is_ascii_uppercase());
        if !shaped || ResultType::parse(name).is_some() {
            return None;
        }
        if name.ends_with("LimitExceeded") || name.contains("Throttl") {
            // A throttled edge function is its own family's; any other throttle is a quota.
            return Some(if name.starts_with("Function") {
                ResultFamily::Function
            } else if name.starts_with("Lambda") {
                ResultFamily::Lambda
            } else {
                ResultFamily::Quota
            });
        }
        [
            ("Function", ResultFamily::Function),
            ("Lambda", ResultFamily::Lambda),
            ("Origin", ResultFamily::Origin),
            ("Client", ResultFamily::Viewer),
            ("InvalidRequest", ResultFamily::Viewer),
        ]
        .into_iter()
        .find(|(prefix, _)| name.starts_with(prefix) && name.len() > prefix.len())
        .map(|(_, f)| f)
    }
}

/// Result-type names that are ordinary words too, and so say nothing when they stand in text.
fn is_plain_word(t: ResultType) -> bool {
    matches!(
        t,
        ResultType::Hit | ResultType::Miss | ResultType::Error | ResultType::Redirect
    )
}

/// A documented result type, or a result-type-shaped name, written anywhere in the text (a log
/// line, an SDK error, a sentence): the first one, with the word as written.
fn result_word_in(raw: &str) -> (Option<ResultType>, Option<(ResultFamily, &str)>) {
    let mut known = None;
    let mut family = None;
    for word in raw.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.len() < 8 {
            continue;
        }
        if known.is_none()
            && let Some(t) = ResultType::parse(word).filter(|t| !is_plain_word(*t))
        {
            known = Some(t);
        }
        // In free text only names ending as result types do are taken (a pasted template's
        // `LambdaFunctionAssociations` is no result).
        if family.is_none()
            && ["Error", "Exceeded", "Throttled"]
                .iter()
                .any(|e| word.ends_with(e))
            && let Some(f) = ResultFamily::of(word)
        {
            family = Some((f, word));
        }
        if known.is_some() && family.is_some() {
            break;
        }
    }
    (known, family)
}

impl CfPhrase {
    /// The sentence as it appears on the page (for evidence).
    pub fn text(self) -> &'static str {
        match self {
            CfPhrase::CouldNotResolveOrigin => {
                "CloudFront wasn't able to resolve the origin domain name."
            }
            CfPhrase::LambdaInvalidOrNoPermission => {
                "The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions."
            }
            CfPhrase::LambdaThrottled => {
                "The Lambda function associated with the CloudFront distribution was throttled."
            }
            CfPhrase::FunctionCouldNotRun => {
                "The CloudFront function associated with the CloudFront distribution is invalid or could not run."
            }
            CfPhrase::LambdaInvalidJson => "The Lambda function returned invalid JSON",
            CfPhrase::LambdaFailedValidation => "The Lambda function result failed validation",
            CfPhrase::LambdaInvalidResult => "The Lambda function returned an invalid …",
            CfPhrase::CouldNotConnect => "CloudFront wasn't able to connect to the origin.",
            CfPhrase::CouldNotConnectOrIncorrect => {
                "CloudFront couldn't connect to the origin or the origin returned an incorrect response."
            }
            CfPhrase::FailedToContactOrigin => "Failed to contact the origin.",
            CfPhrase::AttemptedToConnect => {
                "CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection."
            }
            CfPhrase::GatewayTimeout => "504 Gateway Timeout ERROR",
            CfPhrase::BadGatewayHeading => "502 Bad Gateway ERROR",
        }
    }
}

/// A stock error body of an origin (or of a server in front of it) that names the server and
/// its failure (§8; each vendor's documentation or source, cited in `docs/sources.md` ORIGINS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum OriginPhrase {
    S3SlowDown,
    S3ServiceUnavailable,
    S3InternalError,
    ApiGatewayServiceUnavailable,
    ApiGatewayTimeout,
    ApiGatewayInternalError,
    ApiGatewayThrottled,
    ServiceTemporarilyUnavailable,
    NginxFooter,
    NginxBadGateway,
    NginxGatewayTimeout,
    AmazonLinuxNginx,
    ApacheUnavailable,
    ApacheProxyError,
    ApacheGatewayTimeout,
    IisUnavailable,
    EnvoyNoHealthyUpstream,
    EnvoyUpstreamConnect,
    EnvoyUpstreamTimeout,
    HerokuApplicationError,
    HaproxyNoServer,
    HaproxyGatewayTimeout,
    VarnishBackendFetchFailed,
    ClassicElbAtCapacity,
    BadGatewayPage,
    ServiceUnavailablePage,
    InternalServerErrorPage,
    GatewayTimeoutPage,
}

/// One stock error body: how to recognise it and what it says about the server.
#[derive(Debug)]
pub struct OriginSignature {
    /// Which body.
    pub phrase: OriginPhrase,
    /// Matched (any of them) against the folded page text; for JSON bodies, also against the
    /// text with the spaces after `:` and `{` removed.
    pub needles: &'static [&'static str],
    /// What reports show (a shared link carries this; it is matched back as well).
    pub shown: &'static str,
    /// The server it identifies, when it identifies one.
    pub kind: Option<OriginKind>,
    /// The status it is sent with, for a paste without a status line.
    pub status: Option<u16>,
}

const fn sig(
    phrase: OriginPhrase,
    needles: &'static [&'static str],
    shown: &'static str,
    kind: Option<OriginKind>,
    status: Option<u16>,
) -> OriginSignature {
    OriginSignature {
        phrase,
        needles,
        shown,
        kind,
        status,
    }
}

/// The first match wins: specific bodies before generic headings.
pub static ORIGIN_SIGNATURES: &[OriginSignature] = &[
    sig(
        OriginPhrase::S3SlowDown,
        // The REST API's XML, and the website endpoint's HTML list ("Code: SlowDown").
        &[
            "please reduce your request rate",
            "<code>slowdown</code>",
            "code: slowdown",
        ],
        "Please reduce your request rate. (S3 SlowDown)",
        Some(OriginKind::S3),
        Some(503),
    ),
    sig(
        OriginPhrase::ApiGatewayTimeout,
        &["{\"message\":\"endpoint request timed out\"}"],
        "{\"message\": \"Endpoint request timed out\"} (API Gateway)",
        Some(OriginKind::ApiGateway),
        Some(504),
    ),
    sig(
        OriginPhrase::ApiGatewayServiceUnavailable,
        &["{\"message\":\"service unavailable\"}"],
        "{\"message\":\"Service Unavailable\"} (API Gateway)",
        Some(OriginKind::ApiGateway),
        Some(503),
    ),
    sig(
        OriginPhrase::ApiGatewayInternalError,
        &["{\"message\":\"internal server error\"}"],
        "{\"message\":\"Internal server error\"} (API Gateway)",
        Some(OriginKind::ApiGateway),
        Some(502),
    ),
    sig(
        OriginPhrase::ApiGatewayThrottled,
        &[
            "{\"message\":\"too many requests\"}",
            "{\"message\":\"rate exceeded\"}",
            "{\"message\":\"limit exceeded\"}",
        ],
        "{\"message\":\"Too Many Requests\"} (API Gateway)",
        Some(OriginKind::ApiGateway),
        Some(429),
    ),
    sig(
        OriginPhrase::EnvoyNoHealthyUpstream,
        &["no healthy upstream"],
        "no healthy upstream",
        Some(OriginKind::Envoy),
        Some(503),
    ),
    sig(
        OriginPhrase::EnvoyUpstreamConnect,
        &["upstream connect error or disconnect/reset before headers"],
        "upstream connect error or disconnect/reset before headers",
        Some(OriginKind::Envoy),
        Some(503),
    ),
    sig(
        OriginPhrase::EnvoyUpstreamTimeout,
        &["upstream request timeout"],
        "upstream request timeout",
        Some(OriginKind::Envoy),
        Some(504),
    ),
    sig(
        OriginPhrase::HerokuApplicationError,
        &[
            "heroku logs --tail",
            "an error occurred in the application and your page could not be served",
        ],
        "Application Error (Heroku)",
        Some(OriginKind::Heroku),
        Some(503),
    ),
    sig(
        OriginPhrase::HaproxyNoServer,
        &["no server is available to handle this request"],
        "No server is available to handle this request. (HAProxy)",
        Some(OriginKind::Haproxy),
        Some(503),
    ),
    sig(
        OriginPhrase::HaproxyGatewayTimeout,
        &["the server didn't respond in time"],
        "The server didn't respond in time. (HAProxy)",
        Some(OriginKind::Haproxy),
        Some(504),
    ),
    sig(
        OriginPhrase::VarnishBackendFetchFailed,
        &["backend fetch failed", "guru meditation"],
        "Backend fetch failed (Varnish)",
        Some(OriginKind::Varnish),
        Some(503),
    ),
    sig(
        OriginPhrase::AmazonLinuxNginx,
        &["the page you are looking for is temporarily unavailable"],
        "The page you are looking for is temporarily unavailable.",
        Some(OriginKind::Nginx),
        Some(502),
    ),
    sig(
        OriginPhrase::ApacheUnavailable,
        &["the server is temporarily unable to service your request"],
        "The server is temporarily unable to service your request due to maintenance downtime or capacity problems.",
        Some(OriginKind::Apache),
        Some(503),
    ),
    sig(
        OriginPhrase::ApacheProxyError,
        &["the proxy server received an invalid response from an upstream server"],
        "The proxy server received an invalid response from an upstream server.",
        Some(OriginKind::Apache),
        Some(502),
    ),
    sig(
        OriginPhrase::ApacheGatewayTimeout,
        &["the gateway did not receive a timely response from the upstream server"],
        "The gateway did not receive a timely response from the upstream server or application.",
        Some(OriginKind::Apache),
        Some(504),
    ),
    sig(
        OriginPhrase::IisUnavailable,
        &["http error 503. the service is unavailable"],
        "HTTP Error 503. The service is unavailable.",
        Some(OriginKind::Iis),
        Some(503),
    ),
    // Inferred, not verified against a live Classic Load Balancer (reference §8).
    sig(
        OriginPhrase::ClassicElbAtCapacity,
        &["back-end server is at capacity"],
        "Back-end server is at capacity",
        Some(OriginKind::ClassicLoadBalancer),
        Some(503),
    ),
    sig(
        OriginPhrase::S3ServiceUnavailable,
        &[
            "<code>serviceunavailable</code>",
            "code: serviceunavailable",
        ],
        "ServiceUnavailable (S3 XML error)",
        Some(OriginKind::S3),
        Some(503),
    ),
    sig(
        OriginPhrase::S3InternalError,
        &["<code>internalerror</code>", "code: internalerror"],
        "InternalError (S3 XML error)",
        Some(OriginKind::S3),
        Some(500),
    ),
    // Generic headings last: nginx, the ALB and many proxies share them; the footer or the
    // Server header says which (see `origin_kind`).
    sig(
        OriginPhrase::ServiceTemporarilyUnavailable,
        &["503 service temporarily unavailable"],
        "503 Service Temporarily Unavailable",
        None,
        Some(503),
    ),
    sig(
        OriginPhrase::BadGatewayPage,
        &["502 bad gateway"],
        "502 Bad Gateway",
        None,
        Some(502),
    ),
    sig(
        OriginPhrase::ServiceUnavailablePage,
        &["503 service unavailable"],
        "503 Service Unavailable",
        None,
        Some(503),
    ),
    sig(
        OriginPhrase::InternalServerErrorPage,
        &["500 internal server error"],
        "500 Internal Server Error",
        None,
        Some(500),
    ),
    sig(
        OriginPhrase::GatewayTimeoutPage,
        &["504 gateway time-out", "504 gateway timeout"],
        "504 Gateway Time-out",
        None,
        Some(504),
    ),
    // Only reached through the footer check below; listed so reports and links know them.
    sig(
        OriginPhrase::NginxFooter,
        &[],
        "503 Service Temporarily Unavailable (nginx)",
        Some(OriginKind::Nginx),
        Some(503),
    ),
    sig(
        OriginPhrase::NginxBadGateway,
        &[],
        "502 Bad Gateway (nginx)",
        Some(OriginKind::Nginx),
        Some(502),
    ),
    sig(
        OriginPhrase::NginxGatewayTimeout,
        &[],
        "504 Gateway Time-out (nginx)",
        Some(OriginKind::Nginx),
        Some(504),
    ),
];

impl OriginPhrase {
    /// This body's signature.
    pub fn signature(self) -> &'static OriginSignature {
        ORIGIN_SIGNATURES
            .iter()
            .find(|s| s.phrase == self)
            .unwrap_or(&ORIGIN_SIGNATURES[0])
    }

    /// The phrase as shown on the page.
    pub fn text(self) -> &'static str {
        self.signature().shown
    }
}

/// Finds the origin body signature in folded page text.
fn origin_phrase_in(page: &str, json_page: &str) -> Option<OriginPhrase> {
    let found = ORIGIN_SIGNATURES.iter().find(|s| {
        s.needles.iter().any(|n| {
            stands_outside_status_lines(page, n) || (n.starts_with('{') && json_page.contains(n))
        }) || (!s.shown.is_empty() && contains_ignoring_ascii_case(page, s.shown))
    })?;
    // The generic headings are nginx's own pages when its footer line follows them.
    let nginx_footer = has_footer(page, "nginx") || has_footer(page, "openresty");
    Some(match (found.phrase, nginx_footer) {
        (OriginPhrase::ServiceTemporarilyUnavailable, true) => OriginPhrase::NginxFooter,
        (OriginPhrase::BadGatewayPage, true) => OriginPhrase::NginxBadGateway,
        (OriginPhrase::GatewayTimeoutPage, true) => OriginPhrase::NginxGatewayTimeout,
        (p, _) => p,
    })
}

/// Whether `needle` stands in `page` (folded: lower case, single spaces) ignoring ASCII case:
/// what `page.contains(&normalise(needle))` says for the table's needles (a test checks they
/// fold to their lower case), without building the folded needle for every response.
fn contains_ignoring_ascii_case(page: &str, needle: &str) -> bool {
    let (bytes, needle) = (page.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return true;
    };
    let first = first.to_ascii_lowercase();
    memchr::memchr_iter(first, bytes).any(|at| {
        bytes
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
            && !after_http_version(&bytes[..at])
    })
}

/// Whether `needle` stands in `page` other than as a status line's code and reason
/// (`HTTP/1.1 504 Gateway Timeout`): CloudFront's own errors carry the same status line as an
/// origin's, so only a page's heading says who wrote it. A response pasted inside other text
/// (a tool's log line, `wget -S` output read as page text) holds its status line there.
fn stands_outside_status_lines(page: &str, needle: &str) -> bool {
    // `contains` first: its vectorised search settles the usual absent needle before any
    // match is walked.
    page.contains(needle)
        && page
            .match_indices(needle)
            .any(|(at, _)| !after_http_version(&page.as_bytes()[..at]))
}

/// Whether `before` ends with an HTTP version and a space (`http/1.1 `, `HTTP/2 `), what comes
/// before a status line's code.
fn after_http_version(before: &[u8]) -> bool {
    let Some(before) = before.strip_suffix(b" ") else {
        return false;
    };
    let version_at = before
        .iter()
        .rposition(|b| !(b.is_ascii_digit() || *b == b'.'))
        .map_or(0, |i| i + 1);
    let (word, version) = before.split_at(version_at);
    !version.is_empty() && word.len() >= 5 && word[word.len() - 5..].eq_ignore_ascii_case(b"http/")
}

/// Whether a line of the page (a footer such as nginx's `<hr><center>nginx/1.18.0</center>`,
/// folded to one line of text) is `word` or starts with `word/`.
fn has_footer(page: &str, word: &str) -> bool {
    page.split(' ').any(|w| {
        w == word
            || w.strip_prefix(word)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Whether the response passed through CloudFront: a fact shown beside the verdict, not a
/// cause that competes with the cause of the error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Through {
    /// A CloudFront marker is present.
    Yes,
    /// The response positively came from elsewhere: a full header set without any CloudFront
    /// marker, or another CDN's own page or headers.
    No,
    /// The input cannot tell (only the page text, or a few headers).
    Unknown,
}

impl Through {
    /// Stable machine name (`yes`, `no`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Through::Yes => "yes",
            Through::No => "no",
            Through::Unknown => "unknown",
        }
    }
}

/// Another CDN, recognised by its headers or its own error page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum OtherCdn {
    Cloudflare,
    Fastly,
    Akamai,
}

impl OtherCdn {
    /// Its name.
    pub fn label(self) -> &'static str {
        match self {
            OtherCdn::Cloudflare => "Cloudflare",
            OtherCdn::Fastly => "Fastly",
            OtherCdn::Akamai => "Akamai",
        }
    }
}

/// Another CDN's marks: its headers, or words of its own error pages (Cloudflare's "Error
/// code 52x" pages, its `cloudflare` footer; Akamai's "Reference #" page).
fn other_cdn(obs: &Observation, server: &str, page: &str) -> Option<OtherCdn> {
    let h = obs.headers();
    let body = obs.body().unwrap_or("");
    if server.starts_with("cloudflare")
        || h.contains("cf-ray")
        || body.contains("/cdn-cgi/styles/")
        || body.contains("cf-error-details")
        || page.contains("cloudflare ray id")
        || page.contains("performance & security by cloudflare")
        || (page.contains("error code 52") && page.contains("cloudflare"))
        || has_footer(page, "cloudflare")
        || cloudflare_error_title(page)
        || cloudflare_error_title(body)
    {
        return Some(OtherCdn::Cloudflare);
    }
    // Cloudflare's JSON error bodies (2026: `"cloudflare_error": true`, its docs' address).
    if page.contains("\"cloudflare_error\"")
        || page.contains("developers.cloudflare.com/support/troubleshooting")
    {
        return Some(OtherCdn::Cloudflare);
    }
    if h.contains("x-fastly-request-id")
        || h.get_all("via").any(|v| v.contains("varnish")) && h.contains("x-served-by")
        || fastly_page(page)
    {
        return Some(OtherCdn::Fastly);
    }
    if server.starts_with("akamaighost")
        || (page.contains("reference #") && page.contains("access denied"))
    {
        return Some(OtherCdn::Akamai);
    }
    None
}

/// The reasons Cloudflare's own 5xx pages give after their code, as their titles write them
/// (`example.com | 504: Gateway time-out`). Source: Cloudflare's "Cloudflare 5xx errors"
/// troubleshooting pages (developers.cloudflare.com/support/troubleshooting/http-status-codes/
/// cloudflare-5xx-errors/) and the pages in the real-world corpus.
const CLOUDFLARE_5XX_REASONS: &[&str] = &[
    "bad gateway",
    "gateway time-out",
    "web server is returning an unknown error",
    "web server is down",
    "connection timed out",
    "origin is unreachable",
    "a timeout occurred",
    "ssl handshake failed",
    "invalid ssl certificate",
];

/// Cloudflare's title shape: a host, ` | `, the code, `: `, one of its reasons. A stock server
/// page writes `504 Gateway Time-out` (no bar, no colon), so the shape tells them apart.
/// Any case: read in the page text and in the markup (a title alone is not page text).
fn cloudflare_error_title(text: &str) -> bool {
    let text = &text[..crate::text::floor_char_boundary(text, PHRASE_SCAN_LIMIT)];
    text.match_indices("| 5").any(|(at, _)| {
        let rest = &text.as_bytes()[at + 2..];
        rest.get(..3)
            .is_some_and(|c| c.iter().all(u8::is_ascii_digit))
            && rest[3..].starts_with(b": ")
            && CLOUDFLARE_5XX_REASONS.iter().any(|r| {
                rest[5..]
                    .get(..r.len())
                    .is_some_and(|got| got.eq_ignore_ascii_case(r.as_bytes()))
            })
    })
}

/// Fastly's own error pages: its synthetic errors' names ("Backend is unhealthy", "No healthy
/// backends"), and Varnish's "Guru Meditation" with Fastly's cache-node id (`cache-syd1627-SYD`),
/// or Fastly named outright (ORIGINS). A Varnish page without these is an origin's Varnish.
fn fastly_page(page: &str) -> bool {
    page.contains("backend is unhealthy")
        || page.contains("no healthy backends")
        || (page.contains("guru meditation") && page.contains("details: cache-"))
        || page
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .any(|w| w == "fastly" || w.ends_with(".fastly.net") || w.starts_with("fastly."))
}

/// The status a page states about itself (`503 ERROR`, `HTTP Error 503`, `<title>502 Bad
/// Gateway</title>`, `Error code 524`): for a paste of the page text alone.
fn status_in_page(page: &str) -> Option<u16> {
    const AFTER: &[&str] = &[
        "error", "service", "bad", "gateway", "internal", "backend", "origin", "unknown",
    ];
    // Also the verbs of prose ("CloudFront returns 504", "getting a 503").
    const BEFORE: &[&str] = &[
        "error",
        "code",
        "http",
        "status",
        "code:",
        "status:",
        "returns",
        "returned",
        "return",
        "returning",
        "got",
        "get",
        "gets",
        "getting",
        "gives",
        "giving",
        "a",
        "an",
        "with",
    ];
    let head = &page[..crate::text::floor_char_boundary(page, 4096)];
    let words: Vec<&str> = head.split(' ').collect();
    words.iter().enumerate().find_map(|(i, w)| {
        // The last run of digits in the word: `<h1>504` is 504.
        let w = w.trim_end_matches(|c: char| !c.is_ascii_digit());
        let start = w
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_ascii_digit())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let w = &w[start..];
        let code: u16 = (w.len() == 3).then(|| w.parse().ok()).flatten()?;
        if !(400..=599).contains(&code) {
            return None;
        }
        // A reason in parentheses counts too (a browser console's `GET URL 503 (Service
        // Unavailable)`), and the clients' own words: Python requests' `503 Server Error: …`,
        // a browser's "the server responded with a status of 503".
        let next = words
            .get(i + 1)
            .map_or("", |w| w.trim_start_matches(['(', '[', '"', '\'']));
        let prev = i.checked_sub(1).map_or("", |p| words[p]);
        let before_prev = i.checked_sub(2).map_or("", |p| words[p]);
        (AFTER.iter().any(|a| next.starts_with(a))
            || next.trim_end_matches(|c: char| !c.is_ascii_alphabetic()) == "server"
            || BEFORE.contains(&prev)
            || (prev == "of" && before_prev == "status"))
            .then_some(code)
    })
}

/// Detailed result types (`x-edge-detailed-result-type` only): the origin's failures by kind.
fn is_detailed_only(t: ResultType) -> bool {
    matches!(
        t,
        ResultType::OriginCommError
            | ResultType::OriginConnectError
            | ResultType::OriginContentRangeLengthError
            | ResultType::OriginDnsError
            | ResultType::OriginError
            | ResultType::OriginHeaderTooBigError
            | ResultType::OriginInvalidResponseError
            | ResultType::OriginReadError
            | ResultType::OriginWriteError
            | ResultType::OriginZeroSizeObjectError
            | ResultType::SlowReaderOriginError
    )
}

/// A CloudFront API error as AWS's tools print it (see [`API_MARKS`]).
fn api_error_in_text(page: &str) -> Option<ApiError> {
    let calling = page.find("when calling the ").map(|at| {
        let op = page[at + "when calling the ".len()..]
            .split(' ')
            .next()
            .unwrap_or("");
        API_OPERATIONS.contains(&op)
    });
    if !(API_MARKS.iter().any(|m| page.contains(m)) || calling == Some(true)) {
        return None;
    }
    // `An error occurred (ServiceUnavailable)`, `503 (ServiceUnavailable)`.
    let code = page.find('(').and_then(|open| {
        let inner = &page[open + 1..];
        let close = inner.find(')')?;
        let code = &inner[..close];
        (!code.is_empty() && code.len() <= 40 && code.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| String::from(code))
    });
    // The one message the API is known to send (API in docs/sources.md).
    let message = page
        .contains("cloudfront encountered an internal error")
        .then(|| String::from("CloudFront encountered an internal error. Please try again."));
    Some(ApiError { code, message })
}

/// `<Result> from cloudfront` written in the text itself (people paste the X-Cache value, or a
/// sentence quoting it).
fn result_in_page(page: &str) -> Option<ResultType> {
    let at = page.find(" from cloudfront")?;
    let word = page[..at].rsplit([' ', ':', '`', '"', '\'']).next()?;
    ResultType::parse(word)
}

/// CloudFront `Server-Timing` metrics (response-headers policy or `Pragma: server-timing`; §1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerTiming {
    /// `cdn-upstream-dns` in ms (0: cached DNS or reused connection).
    pub upstream_dns_ms: Option<u32>,
    /// `cdn-upstream-connect` in ms.
    pub upstream_connect_ms: Option<u32>,
    /// `cdn-upstream-fbl` in ms: origin first-byte latency.
    pub upstream_fbl_ms: Option<u32>,
    /// `cdn-downstream-fbl` in ms.
    pub downstream_fbl_ms: Option<u32>,
    /// `cdn-cache-hit`, `cdn-cache-miss` or `cdn-cache-refresh`.
    pub cache: Option<String>,
    /// `cdn-pop;desc=…`.
    pub pop: Option<String>,
    /// `cdn-rid;desc=…`.
    pub request_id: Option<String>,
    /// `cdn-hit-layer;desc=…`.
    pub hit_layer: Option<String>,
    /// `cdn-upstream-layer;desc=…`.
    pub upstream_layer: Option<String>,
}

impl ServerTiming {
    /// Parses a `Server-Timing` value; `None` when it has no CloudFront metric.
    pub fn parse(value: &str) -> Option<Self> {
        let mut st = ServerTiming::default();
        let mut any = false;
        for metric in value.split(',') {
            let mut params = metric.split(';');
            let name = params.next().unwrap_or("").trim().to_ascii_lowercase();
            let mut dur = None;
            let mut desc = None;
            for p in params {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                let v = v.trim().trim_matches('"');
                match k.trim().to_ascii_lowercase().as_str() {
                    "dur" => dur = v.split('.').next().and_then(|n| n.parse::<u32>().ok()),
                    "desc" => desc = Some(String::from(v)),
                    _ => {}
                }
            }
            any |= name.starts_with("cdn-");
            match name.as_str() {
                "cdn-upstream-dns" => st.upstream_dns_ms = dur,
                "cdn-upstream-connect" => st.upstream_connect_ms = dur,
                "cdn-upstream-fbl" => st.upstream_fbl_ms = dur,
                "cdn-downstream-fbl" => st.downstream_fbl_ms = dur,
                "cdn-cache-hit" | "cdn-cache-miss" | "cdn-cache-refresh" => {
                    st.cache = Some(String::from(&name[10..]));
                }
                "cdn-pop" => st.pop = desc,
                "cdn-rid" => st.request_id = desc,
                "cdn-hit-layer" => st.hit_layer = desc,
                "cdn-upstream-layer" => st.upstream_layer = desc,
                _ => {}
            }
        }
        any.then_some(st)
    }
}

/// The markers that show a response went through CloudFront.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CloudFrontMarkers {
    /// `Via: … .cloudfront.net (CloudFront)`.
    pub via: bool,
    /// `X-Cache: … from cloudfront`.
    pub x_cache: bool,
    /// `X-Amz-Cf-Id`.
    pub cf_id: bool,
    /// `X-Amz-Cf-Pop`.
    pub cf_pop: bool,
    /// CloudFront's own HTML error page.
    pub error_page: bool,
    /// `Server: CloudFront`.
    pub server: bool,
}

impl CloudFrontMarkers {
    /// Whether any marker is present.
    pub fn any(&self) -> bool {
        self.via || self.x_cache || self.cf_id || self.cf_pop || self.error_page || self.server
    }
}

/// An error document of the CloudFront management API (`<ErrorResponse xmlns=
/// "http://cloudfront.amazonaws.com/doc/…">`), not a viewer response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// `<Code>`, e.g. `ServiceUnavailable`, `Throttling`.
    pub code: Option<String>,
    /// `<Message>`.
    pub message: Option<String>,
}

/// Everything the diagnosis looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct Signals<'a> {
    /// HTTP status (from the status line, or stated by the page when only its text was given).
    pub status: Option<u16>,
    /// Whether `status` was read off the page text rather than a status line.
    pub status_from_page: bool,
    /// Whether the response passed through CloudFront.
    pub through: Through,
    /// Another CDN's marks, when present.
    pub other_cdn: Option<OtherCdn>,
    /// Which CloudFront markers are present.
    pub cloudfront: CloudFrontMarkers,
    /// Who generated the error.
    pub generated_by: Generator,
    /// `Server`.
    pub server: Option<&'a str>,
    /// `X-Cache` as written.
    pub x_cache: Option<&'a str>,
    /// The result type in `X-Cache`.
    pub edge_result: Option<ResultType>,
    /// `X-Amz-Cf-Pop` (or Server-Timing `cdn-pop`).
    pub pop: Option<PopId<'a>>,
    /// `X-Amz-Cf-Id`, or the error page's `Request ID:`.
    pub request_id: Option<&'a str>,
    /// The origin's kind, when the origin answered.
    pub origin_kind: Option<OriginKind>,
    /// The reason line of CloudFront's error page (or a fragment of it).
    pub cf_phrase: Option<CfPhrase>,
    /// A result-type-shaped name this table does not list (`X-Cache`, or written in the text),
    /// with its family.
    pub result_family: Option<(ResultFamily, &'a str)>,
    /// A line a Lambda function's runtime writes when it fails, found in the text.
    pub function_log: Option<&'static str>,
    /// A phrase of the origin's own error page.
    pub origin_phrase: Option<OriginPhrase>,
    /// `<Code>` of an XML error body (S3, CloudFront API).
    pub xml_code: Option<&'a str>,
    /// A CloudFront management-API error document.
    pub api_error: Option<ApiError>,
    /// `Age` in seconds: the error was served from CloudFront's cache.
    pub age: Option<u64>,
    /// `Retry-After` as written.
    pub retry_after: Option<&'a str>,
    /// `Server-Timing` CloudFront metrics.
    pub server_timing: Option<ServerTiming>,
    /// Pasted `x-edge-result-type`.
    pub log_result: Option<ResultType>,
    /// Pasted `x-edge-response-result-type`.
    pub log_response_result: Option<ResultType>,
    /// Pasted `x-edge-detailed-result-type`.
    pub log_detailed_result: Option<ResultType>,
    /// Whether the page text was available at all.
    pub has_page_text: bool,
    /// Number of headers seen.
    pub header_count: usize,
}

/// Lower-case, straight quotes, single spaces: what phrase tables are matched against.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// Page text beyond this is not searched for phrases (error pages are short).
const PHRASE_SCAN_LIMIT: usize = 64 * 1024;

impl<'a> Signals<'a> {
    /// Extracts the signals of one observation.
    pub fn extract(obs: &'a Observation) -> Self {
        let h = obs.headers();
        let server = h.get("server").filter(|s| !s.is_empty());
        let x_cache = h.get("x-cache").filter(|s| !s.is_empty());
        let via = h
            .get_all("via")
            .any(|v| v.to_ascii_lowercase().contains("cloudfront"));
        let server_timing = h.get_all("server-timing").find_map(ServerTiming::parse);

        let page = obs.page_text().map(|t| {
            let cut = crate::text::floor_char_boundary(t, PHRASE_SCAN_LIMIT);
            normalise(&t[..cut])
        });
        // Lines of a tool's log (`WARNING: 503 (ServiceUnavailable): …`) read as headers when
        // nothing else was given: their text is searched as a page would be.
        let header_text = (page.is_none() && obs.status().is_none() && !h.is_empty()).then(|| {
            let mut t = String::new();
            for (n, v) in h.iter() {
                t.push_str(n);
                t.push_str(": ");
                t.push_str(v);
                t.push('\n');
            }
            t
        });
        let page = page.or_else(|| header_text.as_deref().map(normalise));
        let page = page.as_deref().unwrap_or("");
        // JSON bodies are written with and without spaces after `:`; match them one way.
        let json_page = if page.starts_with('{') {
            page.replace(": ", ":")
                .replace("{ ", "{")
                .replace(" }", "}")
        } else {
            String::new()
        };
        // The result type's word in `X-Cache: <Result> from cloudfront`, and the same names
        // written anywhere in the text (read once, for both).
        let x_cache_word = x_cache
            .filter(|x| x.to_ascii_lowercase().contains("cloudfront"))
            .and_then(|x| x.split_whitespace().next());
        let raw_page = obs.page_text().map_or("", |t| {
            &t[..crate::text::floor_char_boundary(t, PHRASE_SCAN_LIMIT)]
        });
        let (word_result, word_family) = result_word_in(raw_page);
        let edge_result = x_cache_word
            .and_then(ResultType::parse)
            .or_else(|| result_in_page(page))
            .or(word_result.filter(|t| t.is_edge_generated_error()));
        let result_family = x_cache_word
            .and_then(|w| ResultFamily::of(w).map(|f| (f, w)))
            .or(word_family);
        let body = obs.body().unwrap_or("");
        let error_page = page.contains("generated by cloudfront (cloudfront)")
            || page.contains("the request could not be satisfied");
        // The sentence as CloudFront writes it, or a fragment of one, however wrapped.
        let cf_phrase = if page.is_empty() {
            None
        } else {
            sentence_fragment_in(obs.page_text().unwrap_or(page))
        };
        let function_log = LAMBDA_RUNTIME_MARKS
            .iter()
            .copied()
            .find(|m| page.contains(m));
        let server_lower = server.map(str::to_ascii_lowercase).unwrap_or_default();
        let other_cdn = other_cdn(obs, &server_lower, page);
        let xml_source = if body.is_empty() {
            obs.page_text().unwrap_or("")
        } else {
            body
        };
        let xml_code = xml_element(xml_source, "Code");
        let api_error = (xml_source.contains("cloudfront.amazonaws.com/doc/")
            && xml_source.contains("<ErrorResponse"))
        .then(|| ApiError {
            code: xml_code.map(String::from),
            message: xml_element(xml_source, "Message").map(String::from),
        })
        .or_else(|| api_error_in_text(page));
        // Another CDN's own page (its heading words, its footer) says nothing about an origin;
        // nor does the CloudFront API's error document, whose codes S3 shares (a browser shows
        // that XML as page text).
        let origin_phrase =
            if error_page || cf_phrase.is_some() || other_cdn.is_some() || api_error.is_some() {
                None
            } else {
                origin_phrase_in(page, &json_page)
            };
        let origin_phrase = origin_phrase.or(match xml_code {
            Some("SlowDown") if api_error.is_none() => Some(OriginPhrase::S3SlowDown),
            Some("ServiceUnavailable") if api_error.is_none() => {
                Some(OriginPhrase::S3ServiceUnavailable)
            }
            Some("InternalError") if api_error.is_none() => Some(OriginPhrase::S3InternalError),
            _ => None,
        });

        let request_id = h
            .get("x-amz-cf-id")
            .filter(|s| !s.is_empty())
            .or_else(|| page_request_id(obs.page_text().unwrap_or("")));
        let pop = h
            .get("x-amz-cf-pop")
            .and_then(PopId::parse)
            .or_else(|| h.get("x-edge-location").and_then(PopId::parse));

        let cloudfront = CloudFrontMarkers {
            via,
            x_cache: x_cache.is_some_and(|x| x.to_ascii_lowercase().contains("cloudfront"))
                || (x_cache.is_none() && edge_result.is_some()),
            cf_id: h.contains("x-amz-cf-id"),
            cf_pop: h.contains("x-amz-cf-pop"),
            error_page,
            server: server.is_some_and(|s| s.eq_ignore_ascii_case("cloudfront")),
        };
        // Another CDN's Server header names no origin.
        let origin_kind = origin_kind(obs, server, origin_phrase, xml_code, api_error.is_some())
            .filter(|k| !(other_cdn.is_some() && *k == OriginKind::Other));
        let log = |name: &str| h.get(name).and_then(ResultType::parse);
        let (status, status_from_page) = match obs.status() {
            Some(s) => (Some(s), false),
            None => {
                let stated = status_in_page(page)
                    .or_else(|| origin_phrase.and_then(|p| p.signature().status));
                (stated, stated.is_some())
            }
        };

        let mut s = Signals {
            status,
            status_from_page,
            through: Through::Unknown,
            other_cdn,
            cloudfront,
            generated_by: Generator::Unknown,
            server,
            x_cache,
            edge_result,
            pop,
            request_id,
            origin_kind,
            cf_phrase,
            result_family,
            function_log,
            origin_phrase,
            xml_code,
            api_error,
            age: h.get("age").and_then(|a| a.trim().parse().ok()),
            retry_after: h.get("retry-after"),
            server_timing,
            log_result: log(fields::name_of(Slot::Result)),
            log_response_result: log(fields::name_of(Slot::ResponseResult)),
            log_detailed_result: log(fields::name_of(Slot::Detailed)).or(
                // `OriginDnsError` and its kin written in a pasted log line or a sentence.
                word_result.filter(|t| !t.is_edge_generated_error() && is_detailed_only(*t)),
            ),
            has_page_text: obs.page_text().is_some(),
            header_count: h.len(),
        };
        s.generated_by = s.decide_generator();
        s.through = s.decide_through();
        s
    }

    fn decide_generator(&self) -> Generator {
        if self
            .edge_result
            .is_some_and(ResultType::is_edge_generated_error)
            || self.cloudfront.error_page
            || self.cf_phrase.is_some()
            || self.function_log.is_some()
        {
            return Generator::CloudFront;
        }
        if self.origin_kind.is_some() {
            return Generator::Origin;
        }
        if self.cloudfront.server && self.cloudfront.any() {
            // CloudFront also writes `Server: CloudFront` when the origin sent no Server header,
            // so this is the weaker reading; the diagnosis weighs it accordingly.
            return Generator::CloudFront;
        }
        Generator::Unknown
    }

    /// A full header set is what `curl -si` or the network panel gives: CloudFront always adds
    /// `Via` and `X-Amz-Cf-Id` to it, so their absence there means another server answered.
    const FULL_HEADER_SET: usize = 4;

    fn decide_through(&self) -> Through {
        if self.through_cloudfront() {
            Through::Yes
        } else if self.other_cdn.is_some() || self.header_count >= Self::FULL_HEADER_SET {
            Through::No
        } else {
            Through::Unknown
        }
    }

    /// Whether any CloudFront marker is present (headers, page, timing or log fields).
    pub fn through_cloudfront(&self) -> bool {
        self.cloudfront.any()
            || self
                .server_timing
                .as_ref()
                .is_some_and(|st| st.pop.is_some())
            || self.log_result.is_some()
            || self.log_detailed_result.is_some()
    }

    /// What says the response did, or did not, pass through CloudFront (for the report).
    pub fn through_evidence(&self) -> String {
        let m = &self.cloudfront;
        let mut yes: Vec<&str> = Vec::new();
        for (present, what) in [
            (m.via, "Via …cloudfront.net"),
            (m.cf_id, "X-Amz-Cf-Id"),
            (m.cf_pop, "X-Amz-Cf-Pop"),
            (m.x_cache, "X-Cache …from cloudfront"),
            (m.error_page, "CloudFront's error page"),
            (m.server, "Server: CloudFront"),
            (
                self.log_result.is_some() || self.log_detailed_result.is_some(),
                "CloudFront log fields",
            ),
        ] {
            if present {
                yes.push(what);
            }
        }
        match self.through {
            Through::Yes => yes.join(", "),
            Through::No => match self.other_cdn {
                Some(cdn) => alloc::format!("{}'s marks, none of CloudFront's", cdn.label()),
                None => alloc::format!(
                    "{} headers without Via …cloudfront.net, X-Amz-Cf-Id, X-Amz-Cf-Pop or X-Cache …from cloudfront",
                    self.header_count
                ),
            },
            Through::Unknown if self.header_count == 0 => {
                String::from("no headers were given, only the page text")
            }
            Through::Unknown => alloc::format!(
                "only {} header(s), none of CloudFront's: too few to tell",
                self.header_count
            ),
        }
    }

    /// A result type from any source: pasted logs first (most specific), then `X-Cache`.
    pub fn any_result(&self, t: ResultType) -> bool {
        self.log_detailed_result == Some(t)
            || self.log_result == Some(t)
            || self.log_response_result == Some(t)
            || self.edge_result == Some(t)
    }
}

fn origin_kind(
    obs: &Observation,
    server: Option<&str>,
    phrase: Option<OriginPhrase>,
    xml_code: Option<&str>,
    api_error: bool,
) -> Option<OriginKind> {
    let h = obs.headers();
    let server_lower = server.map(str::to_ascii_lowercase).unwrap_or_default();
    let s = server_lower.as_str();
    if api_error {
        return None;
    }
    if s == "amazons3" || (h.contains("x-amz-request-id") && h.contains("x-amz-id-2")) {
        return Some(OriginKind::S3);
    }
    if s.starts_with("awselb/2") {
        return Some(OriginKind::ApplicationLoadBalancer);
    }
    if s.starts_with("awselb") || phrase == Some(OriginPhrase::ClassicElbAtCapacity) {
        return Some(OriginKind::ClassicLoadBalancer);
    }
    if h.contains("x-amz-apigw-id") || h.contains("apigw-requestid") {
        return Some(OriginKind::ApiGateway);
    }
    if h.contains("x-amzn-requestid") || h.contains("x-amzn-errortype") {
        // API Gateway HTTP APIs and Lambda function URLs both send x-amzn-RequestId; function
        // URLs add a trace id and never an API Gateway id.
        return Some(
            if h.contains("x-amzn-trace-id") && !h.contains("x-amzn-errortype") {
                OriginKind::LambdaFunctionUrl
            } else {
                OriginKind::ApiGateway
            },
        );
    }
    if s == "heroku"
        || s == "cowboy"
        || h.get_all("via").any(|v| v.contains("vegur"))
        || phrase == Some(OriginPhrase::HerokuApplicationError)
    {
        return Some(OriginKind::Heroku);
    }
    if s.starts_with("envoy")
        || h.iter().any(|(n, _)| {
            n.get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("x-envoy-"))
        })
    {
        return Some(OriginKind::Envoy);
    }
    if s.starts_with("nginx") || s.starts_with("openresty") {
        return Some(OriginKind::Nginx);
    }
    if s.starts_with("apache") {
        return Some(OriginKind::Apache);
    }
    if s.starts_with("microsoft-iis") || s.starts_with("microsoft-httpapi") {
        return Some(OriginKind::Iis);
    }
    if xml_code == Some("SlowDown") {
        return Some(OriginKind::S3);
    }
    if let Some(kind) = phrase.and_then(|p| p.signature().kind) {
        return Some(kind);
    }
    if !s.is_empty() && s != "cloudfront" {
        return Some(OriginKind::Other);
    }
    if matches!(
        phrase,
        Some(OriginPhrase::ServiceTemporarilyUnavailable | OriginPhrase::BadGatewayPage)
    ) {
        // The ALB's own 503 and 502 pages are nginx-style without the nginx footer (§8).
        return Some(OriginKind::ApplicationLoadBalancer);
    }
    if matches!(
        phrase,
        Some(
            OriginPhrase::GatewayTimeoutPage
                | OriginPhrase::ServiceUnavailablePage
                | OriginPhrase::InternalServerErrorPage
        )
    ) {
        return Some(OriginKind::Other);
    }
    None
}

/// The text of the first `<name>…</name>` element.
fn xml_element<'t>(xml: &'t str, name: &str) -> Option<&'t str> {
    let open = alloc::format!("<{name}>");
    let close = alloc::format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let len = xml[start..].find(&close)?;
    let v = xml[start..start + len].trim();
    (!v.is_empty() && v.len() <= 256).then_some(v)
}

/// `Request ID: …` on CloudFront's error page.
fn page_request_id(text: &str) -> Option<&str> {
    let at = text.find("Request ID:")?;
    let rest = text[at + "Request ID:".len()..].trim_start();
    let id = rest.split_whitespace().next()?;
    (id.len() >= 8 && id.len() <= 128).then_some(id)
}

/// Whether a response is a failure worth diagnosing: any 5xx, and 4xx that CloudFront generated
/// (edge-function errors, CloudFront error pages). Used by the HAR reader and the extension.
pub fn is_failing(obs: &Observation) -> bool {
    match obs.status() {
        Some(s) if s >= 500 => true,
        Some(s) if s >= 400 => {
            let sig = Signals::extract(obs);
            sig.through_cloudfront() && sig.generated_by == Generator::CloudFront
        }
        _ => false,
    }
}

/// Names of the signals, as used in evidence.
pub mod names {
    #![allow(missing_docs)]
    pub const STATUS: &str = "status";
    pub const X_CACHE: &str = "x-cache";
    pub const SERVER: &str = "server";
    pub const VIA: &str = "via";
    pub const POP: &str = "x-amz-cf-pop";
    pub const CF_ID: &str = "x-amz-cf-id";
    pub const PAGE: &str = "page-text";
    pub const XML_CODE: &str = "body-code";
    pub const AGE: &str = "age";
    pub const RETRY_AFTER: &str = "retry-after";
    pub const SERVER_TIMING: &str = "server-timing";
    pub const LOG_RESULT: &str = "x-edge-result-type";
    pub const LOG_RESPONSE_RESULT: &str = "x-edge-response-result-type";
    pub const LOG_DETAILED: &str = "x-edge-detailed-result-type";
    pub const DNS_CHECK: &str = "dns-check";
    /// Several edge locations asked (`cf503 edges`).
    pub const EDGES: &str = "edges";
    pub const ORIGIN_HEADERS: &str = "origin-headers";
    pub const MARKERS: &str = "cloudfront-markers";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_response;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn server_timing() {
        let st = ServerTiming::parse("cdn-upstream-layer;desc=\"EDGE\",cdn-upstream-dns;dur=0,cdn-upstream-connect;dur=114,cdn-upstream-fbl;dur=177,cdn-cache-miss,cdn-pop;desc=\"IAD89-C1\",cdn-rid;desc=\"abc==\",cdn-downstream-fbl;dur=178").unwrap();
        assert_eq!(st.upstream_dns_ms, Some(0));
        assert_eq!(st.upstream_connect_ms, Some(114));
        assert_eq!(st.cache.as_deref(), Some("miss"));
        assert_eq!(st.pop.as_deref(), Some("IAD89-C1"));
        assert_eq!(st.upstream_layer.as_deref(), Some("EDGE"));
        assert!(ServerTiming::parse("db;dur=53").is_none());
    }

    #[test]
    fn origin_vs_cloudfront() {
        let o = parse_response("HTTP/1.1 503 Slow Down\nServer: AmazonS3\nX-Cache: Error from cloudfront\n\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>").unwrap();
        let s = Signals::extract(&o);
        assert_eq!(s.generated_by, Generator::Origin);
        assert_eq!(s.origin_kind, Some(OriginKind::S3));
        assert_eq!(s.xml_code, Some("SlowDown"));
        assert_eq!(s.edge_result, Some(ResultType::Error));

        let o = parse_response("HTTP/2 503\nserver: CloudFront\nx-cache: LambdaExecutionError from cloudfront\nx-amz-cf-pop: IAD89-C1\n").unwrap();
        let s = Signals::extract(&o);
        assert_eq!(s.generated_by, Generator::CloudFront);
        assert_eq!(s.pop.as_ref().unwrap().code_str(), "IAD");
    }

    #[test]
    fn status_stated_by_the_page() {
        for (text, status) in [
            ("503 error the request could not be satisfied.", Some(503)),
            (
                "504 gateway timeout error the request could not be satisfied.",
                Some(504),
            ),
            ("http error 503. the service is unavailable.", Some(503)),
            (
                "a timeout occurred error code 524 visit cloudflare.com",
                Some(524),
            ),
            (
                "api returning 504 error the request could not be satisfied",
                Some(504),
            ),
            ("we served 503 customers today", None),
            ("page 404", None),
            (
                "requests.exceptions.httperror: 503 server error: service unavailable for url: https://d111111abcdef8.cloudfront.net/a",
                Some(503),
            ),
            (
                "get https://d111111abcdef8.cloudfront.net/a 502 (bad gateway)",
                Some(502),
            ),
            (
                "failed to load resource: the server responded with a status of 504 ()",
                Some(504),
            ),
            ("we run 500 servers", None),
            ("one of 503 requests failed", None),
        ] {
            assert_eq!(status_in_page(text), status, "{text}");
        }
    }

    #[test]
    fn x_cache_value_quoted_in_text() {
        assert_eq!(
            result_in_page("经常出现 503 lambdalimitexceeded from cloudfront"),
            Some(ResultType::LambdaLimitExceeded)
        );
        assert_eq!(
            result_in_page("x-cache: `error from cloudfront`"),
            Some(ResultType::Error)
        );
        assert_eq!(result_in_page("served from cloudfront"), None);
    }

    #[test]
    fn through_cloudfront_yes_no_unknown() {
        let t = |text: &str| Signals::extract(&crate::parse::parse_response(text).unwrap()).through;
        assert_eq!(
            t("HTTP/2 503\nvia: 1.1 a.cloudfront.net (CloudFront)\n"),
            Through::Yes
        );
        assert_eq!(
            t(
                "503 ERROR\nThe request could not be satisfied.\nGenerated by cloudfront (CloudFront)"
            ),
            Through::Yes
        );
        assert_eq!(
            t(
                "HTTP/1.1 503 x\nServer: nginx\nDate: x\nContent-Type: text/html\nConnection: close\n"
            ),
            Through::No
        );
        assert_eq!(t("HTTP/1.1 522 x\nServer: cloudflare\n"), Through::No);
        assert_eq!(t("HTTP/1.1 503 x\nServer: awselb/2.0\n"), Through::Unknown);
        assert_eq!(t("{\"message\":\"Service Unavailable\"}"), Through::Unknown);
    }

    #[test]
    fn normalise_folds_quotes_and_case() {
        assert_eq!(normalise("Doesn\u{2019}t  HAVE\n x"), "doesn't have x");
    }

    /// The shown texts fold to their ASCII lower case, so matching them ignoring ASCII case
    /// in folded page text is matching their folded form.
    #[test]
    fn shown_texts_fold_to_their_lower_case() {
        for s in ORIGIN_SIGNATURES {
            assert_eq!(
                normalise(s.shown),
                s.shown.to_ascii_lowercase(),
                "{}",
                s.shown
            );
            let page = normalise(&alloc::format!("x {} y", s.shown));
            assert!(s.shown.is_empty() || contains_ignoring_ascii_case(&page, s.shown));
        }
        assert!(!contains_ignoring_ascii_case(
            "no healthy upstrea",
            "no healthy upstream"
        ));
    }
}
