//! Typed facts extracted from an [`Observation`]: who generated the response, the edge result,
//! the POP, the origin's kind, the error-page phrase, timings.
//!
//! Every literal matched here is documented in `../shared/reference/cloudfront-signals.md`
//! (sections noted beside each table); `docs/sources.md` lists the sources.

use alloc::string::String;
use alloc::vec::Vec;

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
    /// Another server, named by its `Server` header.
    Other,
}

impl OriginKind {
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
            OriginKind::Other => "a custom origin server",
        }
    }
}

/// A reason line of CloudFront's own error page (§2). AWS does not document these; they are
/// observed, and cited in the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum CfPhrase {
    LambdaInvalidOrNoPermission,
    LambdaThrottled,
    FunctionCouldNotRun,
    LambdaInvalidJson,
    LambdaFailedValidation,
    CouldNotConnect,
    CouldNotConnectOrIncorrect,
    AttemptedToConnect,
    GatewayTimeout,
}

/// Whether `text` is one of the page sentences this module recognises, as reports show them
/// (a shared link may carry only these).
pub fn is_known_phrase(text: &str) -> bool {
    CF_PHRASES.iter().any(|(p, _)| p.text() == text)
        || ORIGIN_PHRASES.iter().any(|(_, _, shown)| *shown == text)
}

/// Matched against the page text folded to lower case with straight quotes.
const CF_PHRASES: &[(CfPhrase, &str)] = &[
    (
        CfPhrase::LambdaInvalidOrNoPermission,
        "the lambda function associated with the cloudfront distribution is invalid or doesn't have the required permissions",
    ),
    (
        CfPhrase::LambdaThrottled,
        "the lambda function associated with the cloudfront distribution was throttled",
    ),
    (
        CfPhrase::FunctionCouldNotRun,
        "the cloudfront function associated with the cloudfront distribution is invalid or could not run",
    ),
    (
        CfPhrase::LambdaInvalidJson,
        "the lambda function returned invalid json",
    ),
    (
        CfPhrase::LambdaFailedValidation,
        "the lambda function result failed validation",
    ),
    (
        CfPhrase::CouldNotConnect,
        "cloudfront wasn't able to connect to the origin",
    ),
    (
        CfPhrase::CouldNotConnectOrIncorrect,
        "cloudfront couldn't connect to the origin or the origin returned an incorrect response",
    ),
    (
        CfPhrase::AttemptedToConnect,
        "cloudfront attempted to establish a connection with the origin",
    ),
    (CfPhrase::GatewayTimeout, "504 gateway timeout error"),
];

impl CfPhrase {
    /// The sentence as it appears on the page (for evidence).
    pub fn text(self) -> &'static str {
        match self {
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
            CfPhrase::CouldNotConnect => "CloudFront wasn't able to connect to the origin.",
            CfPhrase::CouldNotConnectOrIncorrect => {
                "CloudFront couldn't connect to the origin or the origin returned an incorrect response."
            }
            CfPhrase::AttemptedToConnect => {
                "CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection."
            }
            CfPhrase::GatewayTimeout => "504 Gateway Timeout ERROR",
        }
    }
}

/// A phrase of an origin's own error page (§8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum OriginPhrase {
    S3SlowDown,
    ServiceTemporarilyUnavailable,
    NginxFooter,
    AmazonLinuxNginx,
    ApacheUnavailable,
    IisUnavailable,
    EnvoyNoHealthyUpstream,
    EnvoyUpstreamConnect,
    HerokuApplicationError,
    ClassicElbAtCapacity,
}

const ORIGIN_PHRASES: &[(OriginPhrase, &str, &str)] = &[
    (
        OriginPhrase::S3SlowDown,
        "please reduce your request rate",
        "Please reduce your request rate. (S3 SlowDown)",
    ),
    (
        OriginPhrase::EnvoyNoHealthyUpstream,
        "no healthy upstream",
        "no healthy upstream",
    ),
    (
        OriginPhrase::EnvoyUpstreamConnect,
        "upstream connect error or disconnect/reset before headers",
        "upstream connect error or disconnect/reset before headers",
    ),
    (
        OriginPhrase::AmazonLinuxNginx,
        "the page you are looking for is temporarily unavailable",
        "The page you are looking for is temporarily unavailable.",
    ),
    (
        OriginPhrase::ApacheUnavailable,
        "the server is temporarily unable to service your request",
        "The server is temporarily unable to service your request due to maintenance downtime or capacity problems.",
    ),
    (
        OriginPhrase::IisUnavailable,
        "http error 503. the service is unavailable",
        "HTTP Error 503. The service is unavailable.",
    ),
    (
        OriginPhrase::HerokuApplicationError,
        "heroku logs --tail",
        "Application Error (Heroku)",
    ),
    // Inferred, not verified against a live Classic Load Balancer (reference §8).
    (
        OriginPhrase::ClassicElbAtCapacity,
        "back-end server is at capacity",
        "Back-end server is at capacity",
    ),
    (
        OriginPhrase::ServiceTemporarilyUnavailable,
        "503 service temporarily unavailable",
        "503 Service Temporarily Unavailable",
    ),
];

impl OriginPhrase {
    /// The phrase as shown on the page.
    pub fn text(self) -> &'static str {
        ORIGIN_PHRASES
            .iter()
            .find(|(p, _, _)| *p == self)
            .map_or("", |(_, _, t)| t)
    }
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
    /// HTTP status.
    pub status: Option<u16>,
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
    /// The reason line of CloudFront's error page.
    pub cf_phrase: Option<CfPhrase>,
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
        let edge_result = x_cache.and_then(|x| {
            let lower = x.to_ascii_lowercase();
            lower
                .contains("cloudfront")
                .then(|| ResultType::parse(x.split_whitespace().next().unwrap_or("")))
                .flatten()
        });
        let server_timing = h.get_all("server-timing").find_map(ServerTiming::parse);

        let page = obs.page_text().map(|t| {
            let cut = crate::observation::floor_char_boundary(t, PHRASE_SCAN_LIMIT);
            normalise(&t[..cut])
        });
        let page = page.as_deref().unwrap_or("");
        let body = obs.body().unwrap_or("");
        let error_page = page.contains("generated by cloudfront (cloudfront)")
            || page.contains("the request could not be satisfied");
        let cf_phrase = CF_PHRASES
            .iter()
            .find(|(_, needle)| page.contains(needle))
            .map(|(p, _)| *p);
        let origin_phrase = if error_page {
            None
        } else {
            ORIGIN_PHRASES
                .iter()
                .find(|(_, needle, _)| page.contains(needle))
                .map(|(p, _, _)| *p)
                .map(|p| {
                    let nginx_footer = p == OriginPhrase::ServiceTemporarilyUnavailable
                        && page.lines().any(|l| l.trim_start().starts_with("nginx"));
                    if nginx_footer {
                        OriginPhrase::NginxFooter
                    } else {
                        p
                    }
                })
        };
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
            x_cache: x_cache.is_some_and(|x| x.to_ascii_lowercase().contains("cloudfront")),
            cf_id: h.contains("x-amz-cf-id"),
            cf_pop: h.contains("x-amz-cf-pop"),
            error_page,
            server: server.is_some_and(|s| s.eq_ignore_ascii_case("cloudfront")),
        };
        let origin_kind = origin_kind(obs, server, origin_phrase, xml_code, api_error.is_some());
        let log = |name: &str| h.get(name).and_then(ResultType::parse);

        let mut s = Signals {
            status: obs.status(),
            cloudfront,
            generated_by: Generator::Unknown,
            server,
            x_cache,
            edge_result,
            pop,
            request_id,
            origin_kind,
            cf_phrase,
            origin_phrase,
            xml_code,
            api_error,
            age: h.get("age").and_then(|a| a.trim().parse().ok()),
            retry_after: h.get("retry-after"),
            server_timing,
            log_result: log("x-edge-result-type"),
            log_response_result: log("x-edge-response-result-type"),
            log_detailed_result: log("x-edge-detailed-result-type"),
            has_page_text: obs.page_text().is_some(),
            header_count: h.len(),
        };
        s.generated_by = s.decide_generator();
        s
    }

    fn decide_generator(&self) -> Generator {
        if self
            .edge_result
            .is_some_and(ResultType::is_edge_generated_error)
            || self.cloudfront.error_page
            || self.cf_phrase.is_some()
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

    /// Whether the response went through CloudFront (any marker).
    pub fn through_cloudfront(&self) -> bool {
        self.cloudfront.any()
            || self
                .server_timing
                .as_ref()
                .is_some_and(|st| st.pop.is_some())
            || self.log_result.is_some()
            || self.log_detailed_result.is_some()
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
        || matches!(
            phrase,
            Some(OriginPhrase::EnvoyNoHealthyUpstream | OriginPhrase::EnvoyUpstreamConnect)
        )
    {
        return Some(OriginKind::Envoy);
    }
    if s.starts_with("nginx")
        || matches!(
            phrase,
            Some(OriginPhrase::NginxFooter | OriginPhrase::AmazonLinuxNginx)
        )
    {
        return Some(OriginKind::Nginx);
    }
    if s.starts_with("apache") || phrase == Some(OriginPhrase::ApacheUnavailable) {
        return Some(OriginKind::Apache);
    }
    if s.starts_with("microsoft-iis")
        || s.starts_with("microsoft-httpapi")
        || phrase == Some(OriginPhrase::IisUnavailable)
    {
        return Some(OriginKind::Iis);
    }
    if xml_code == Some("SlowDown") || phrase == Some(OriginPhrase::S3SlowDown) {
        return Some(OriginKind::S3);
    }
    if !s.is_empty() && s != "cloudfront" {
        return Some(OriginKind::Other);
    }
    if phrase == Some(OriginPhrase::ServiceTemporarilyUnavailable) {
        // The ALB's own 503 page is nginx-style without the nginx footer (§8).
        return Some(OriginKind::ApplicationLoadBalancer);
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
    pub const LOG_DETAILED: &str = "x-edge-detailed-result-type";
    pub const ORIGIN_HEADERS: &str = "origin-headers";
    pub const MARKERS: &str = "cloudfront-markers";
}

/// All pasted log result types (for evidence).
pub fn log_results(s: &Signals<'_>) -> Vec<(&'static str, ResultType)> {
    let mut v = Vec::new();
    if let Some(t) = s.log_result {
        v.push((names::LOG_RESULT, t));
    }
    if let Some(t) = s.log_response_result {
        v.push(("x-edge-response-result-type", t));
    }
    if let Some(t) = s.log_detailed_result {
        v.push((names::LOG_DETAILED, t));
    }
    v
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
    fn normalise_folds_quotes_and_case() {
        assert_eq!(normalise("Doesn\u{2019}t  HAVE\n x"), "doesn't have x");
    }
}
