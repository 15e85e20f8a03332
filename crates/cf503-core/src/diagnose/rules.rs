//! The evidence rules: which observed fact speaks for or against which cause, how strongly, and
//! on whose word. Data, not code: one row per (fact, status, cause), each citing a source id of
//! `docs/sources.md`. The same table serves `X-Cache`, pasted log fields and log files, so no
//! mapping from a result type (or a page sentence, or an origin body) to a cause is written twice.
//!
//! Weights are named so rows read as prose; a cause's confidence combines its rows (see
//! `diagnose::score`).

use crate::causes::CauseId;
use crate::signals::{CfPhrase, OriginPhrase, ResultFamily, ResultType};

/// Decisive: the signal names the cause.
pub const DECISIVE: f32 = 0.9;
/// Strong: the signal almost always means this cause.
pub const STRONG: f32 = 0.75;
/// Moderate: one of a few likely causes.
pub const MODERATE: f32 = 0.45;
/// Between moderate and strong: the likelier of two causes a signal names.
pub const MODERATE_PLUS: f32 = 0.5;
/// Weak: possible.
pub const WEAK: f32 = 0.25;
/// Faint: worth listing, not worth acting on first.
pub const FAINT: f32 = 0.12;
/// A `Server: CloudFront` header without CloudFront's page is a weaker sign that CloudFront made
/// the error (it also writes it when the origin sent no `Server`): rows scaled by this.
const SERVER_ONLY: f32 = 0.7;

/// A fact observed in a response (or a log record, or a DNS check).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fact {
    /// A result type in `X-Cache`, `x-edge-result-type` or `x-edge-response-result-type`.
    Result(ResultType),
    /// A result type in `x-edge-detailed-result-type` (`Error` there is uncategorised: with a
    /// 5xx, the origin's own error or one replayed from the error cache).
    Detailed(ResultType),
    /// A reason line of CloudFront's error page.
    Page(CfPhrase),
    /// A result-type-shaped name that no table lists, weighed by its family only.
    Family(ResultFamily),
    /// A Lambda function's runtime failing, in its own log lines (unhandled error, time-out).
    FunctionLog,
    /// CloudFront's error page (or `Server: CloudFront` with CloudFront's marks when `strong` is
    /// false) with nothing saying why.
    CloudFrontMade {
        /// CloudFront's own page (true) or only its `Server` header (false).
        page: bool,
    },
    /// An origin's stock error body.
    OriginBody(OriginPhrase),
    /// The origin's headers on the error, relayed through CloudFront.
    OriginRelayed,
    /// The origin's headers on the error, without CloudFront's marks (fetched past CloudFront,
    /// or pasted in part).
    OriginDirect,
    /// A CloudFront management-API `<ErrorResponse>`.
    ApiErrorDocument,
    /// Server-Timing `cdn-upstream-connect`: CloudFront connected to the origin.
    UpstreamConnected,
    /// Server-Timing: DNS took over a second, no connect time.
    SlowDnsNoConnect,
    /// Server-Timing: DNS resolved, no connect time.
    ResolvedNoConnect,
    /// Server-Timing: connected, no first byte, on an error CloudFront made.
    ConnectedNoFirstByte,
    /// Server-Timing `cdn-upstream-fbl`: the origin sent a first byte.
    UpstreamFirstByte,
    /// The DNS check found the origin healthy.
    DnsHealthy,
    /// The DNS check found the origin resolving to a private address.
    DnsPrivateAddress,
    /// The DNS check found an error.
    DnsBroken,
    /// The DNS check found a warning (one server fails).
    DnsFlaky,
    /// The DNS check could not run (a resolver it chose failed, or its network reached no name
    /// server). No row weighs it: the user's side is never evidence about CloudFront or the
    /// origin; a note says so.
    DnsCheckFailed,
    /// Asking several edges (`cf503 edges`): one edge location fails, the others answer.
    EdgeOnePop,
    /// Asking several edges: one edge location serves the error from its cache, the others
    /// answer.
    EdgeCachedAtOnePop,
    /// Asking several edges: every edge location of one Region fails with Lambda@Edge result
    /// types, the others answer.
    EdgeOneRegion,
    /// Asking several edges: every edge location asked fails alike.
    EdgeEvery,
    /// Watch mode: this browser's edge location fails while others answered it for the same
    /// site minutes before (not at one moment, so it weighs less than [`Fact::EdgeOnePop`]).
    SeenOnePop,
    /// Watch mode: every edge location this browser reached for the site failed alike.
    SeenEveryPop,
    /// The response positively came from elsewhere, and nothing says why it failed.
    ElsewhereUnexplained,
    /// A status code and nothing else.
    StatusOnly,
}

/// Which statuses a rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusIs {
    /// Any status, or none.
    Any,
    /// Exactly this one.
    Is(u16),
    /// A known status other than this one.
    Not(u16),
    /// No status at all (a paste of the page text that does not state one).
    Unknown,
    /// A 5xx other than those given rules of their own (used after `Is` rows).
    OtherServerError(&'static [u16]),
}

impl StatusIs {
    fn matches(self, status: Option<u16>) -> bool {
        match self {
            StatusIs::Any => true,
            StatusIs::Is(s) => status == Some(s),
            StatusIs::Not(s) => status.is_some_and(|x| x != s),
            StatusIs::Unknown => status.is_none(),
            StatusIs::OtherServerError(except) => {
                status.is_some_and(|x| (500..600).contains(&x) && !except.contains(&x))
            }
        }
    }
}

/// For or against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stance {
    /// The fact supports the cause.
    For,
    /// The fact speaks against the cause.
    Against,
}

/// One row of the table.
#[derive(Debug)]
pub struct Rule {
    /// What was observed.
    pub fact: Fact,
    /// On which statuses.
    pub status: StatusIs,
    /// The cause it bears on.
    pub cause: CauseId,
    /// For or against.
    pub stance: Stance,
    /// How much, in 0..1.
    pub weight: f32,
    /// Why, in words a report shows.
    pub note: &'static str,
    /// Source id in `docs/sources.md`.
    pub source: &'static str,
}

use CauseId::*;
use Fact::*;
use Stance::{Against, For};
use StatusIs::{Any, Is, Not, OtherServerError};

const fn r(
    fact: Fact,
    status: StatusIs,
    cause: CauseId,
    stance: Stance,
    weight: f32,
    note: &'static str,
    source: &'static str,
) -> Rule {
    Rule {
        fact,
        status,
        cause,
        stance,
        weight,
        note,
        source,
    }
}

/// The table. Order matters only for display: evidence is sorted by weight.
#[rustfmt::skip]
pub static RULES: &[Rule] = &[
    // --- CloudFront result types (X-Cache values, log fields): DLOG, DLE19, OBS-XCACHE.
    r(Result(ResultType::LambdaExecutionError), Any, LambdaEdgeExecution, For, DECISIVE, "CloudFront records LambdaExecutionError when a Lambda@Edge function did not complete", "DLOG"),
    r(Result(ResultType::LambdaExecutionError), Any, LambdaEdgeInvalid, For, FAINT, "a malformed function association is recorded the same way", "DLOG"),
    r(Result(ResultType::LambdaExecutionError), Any, OriginOverloaded, Against, STRONG, "an edge function failed before the origin's answer mattered", "DLOG"),
    r(Result(ResultType::LambdaValidationError), Any, LambdaEdgeInvalid, For, DECISIVE, "CloudFront rejected the Lambda@Edge function's response", "DLE19"),
    r(Result(ResultType::LambdaValidationError), Any, OriginOverloaded, Against, STRONG, "an edge function failed", "DLE19"),
    r(Result(ResultType::LambdaLimitExceeded), Any, LambdaEdgeThrottled, For, DECISIVE, "Lambda throttled the Lambda@Edge invocation", "DLE19"),
    r(Result(ResultType::LambdaLimitExceeded), Any, OriginOverloaded, Against, STRONG, "an edge function was throttled", "DLE19"),
    r(Result(ResultType::FunctionExecutionError), Any, CloudFrontFunctionError, For, DECISIVE, "the CloudFront Function failed at run time", "OBS-XCACHE"),
    r(Result(ResultType::FunctionExecutionError), Any, OriginOverloaded, Against, STRONG, "a CloudFront Function failed", "OBS-XCACHE"),
    r(Result(ResultType::FunctionThrottledError), Any, CloudFrontFunctionError, For, DECISIVE, "the CloudFront Function is throttled (too slow, a compile error, or a very high request rate)", "OBS-XCACHE"),
    r(Result(ResultType::FunctionThrottledError), Any, OriginOverloaded, Against, STRONG, "a CloudFront Function was throttled", "OBS-XCACHE"),
    r(Result(ResultType::LimitExceeded), Any, CloudFrontQuota, For, DECISIVE, "CloudFront denied the request because a quota was exceeded", "DLOG"),
    r(Result(ResultType::LimitExceeded), Any, EdgeCapacity, For, FAINT, "quota and capacity refusals both happen under heavy load", "DLOG"),
    r(Result(ResultType::CapacityExceeded), Any, EdgeCapacity, For, DECISIVE, "the edge server returned 503 because it lacked capacity", "DLOG"),
    r(Result(ResultType::Error), Is(503), OriginOverloaded, For, WEAK, "a plain Error result on a 503 is most often the origin's own answer", "DLOG"),
    // --- Detailed result types (x-edge-detailed-result-type): DLOG, LOGS §1.4.
    r(Detailed(ResultType::OriginDnsError), Any, OriginDns, For, DECISIVE, "CloudFront could not resolve the origin's domain name", "DLOG"),
    r(Detailed(ResultType::OriginConnectError), Any, OriginConnect, For, STRONG, "CloudFront could not connect to the origin", "DLOG"),
    r(Detailed(ResultType::OriginConnectError), Any, OriginTls, For, MODERATE, "TLS handshake failures are likely recorded as connect errors too (inferred)", "DLOG"),
    r(Detailed(ResultType::OriginCommError), Any, OriginTimeout, For, DECISIVE, "CloudFront timed out connecting to or reading from the origin", "DLOG"),
    r(Detailed(ResultType::OriginInvalidResponseError), Any, OriginInvalidResponse, For, DECISIVE, "CloudFront could not use the origin's response", "DLOG"),
    r(Detailed(ResultType::OriginHeaderTooBigError), Any, OriginInvalidResponse, For, DECISIVE, "the origin's response headers were too big", "DLOG"),
    r(Detailed(ResultType::OriginContentRangeLengthError), Any, OriginInvalidResponse, For, DECISIVE, "the origin's Content-Length did not match its Content-Range", "DLOG"),
    r(Detailed(ResultType::OriginZeroSizeObjectError), Any, OriginInvalidResponse, For, DECISIVE, "a zero-size object from the origin caused the error", "DLOG"),
    r(Detailed(ResultType::OriginError), Any, OriginInvalidResponse, For, DECISIVE, "the origin returned an incorrect response", "DLOG"),
    r(Detailed(ResultType::OriginReadError), Any, OriginConnect, For, STRONG, "the connection to the origin broke", "DLOG"),
    r(Detailed(ResultType::OriginReadError), Any, OriginTimeout, For, WEAK, "a stalled origin can end the same way", "DLOG"),
    r(Detailed(ResultType::OriginWriteError), Any, OriginConnect, For, STRONG, "the connection to the origin broke", "DLOG"),
    r(Detailed(ResultType::AbortedOrigin), Any, OriginConnect, For, STRONG, "CloudFront encountered an issue with the origin", "DLOG"),
    r(Detailed(ResultType::AbortedOrigin), Any, OriginTimeout, For, WEAK, "a stalled origin can end the same way", "DLOG"),
    r(Detailed(ResultType::Error), OtherServerError(&[]), OriginOverloaded, For, STRONG, "an uncategorised Error on a 5xx: the origin answered with this error (or it was replayed from the 10 s error cache)", "LOGS"),
    r(Detailed(ResultType::LambdaExecutionError), Any, LambdaEdgeExecution, For, DECISIVE, "CloudFront records LambdaExecutionError when a Lambda@Edge function did not complete", "DLOG"),
    r(Detailed(ResultType::LambdaValidationError), Any, LambdaEdgeInvalid, For, DECISIVE, "CloudFront rejected the Lambda@Edge function's response", "DLE19"),
    r(Detailed(ResultType::LambdaLimitExceeded), Any, LambdaEdgeThrottled, For, DECISIVE, "Lambda throttled the Lambda@Edge invocation", "DLE19"),
    r(Detailed(ResultType::FunctionExecutionError), Any, CloudFrontFunctionError, For, DECISIVE, "the CloudFront Function failed at run time", "OBS-XCACHE"),
    r(Detailed(ResultType::FunctionThrottledError), Any, CloudFrontFunctionError, For, DECISIVE, "the CloudFront Function is throttled", "OBS-XCACHE"),
    r(Detailed(ResultType::LimitExceeded), Any, CloudFrontQuota, For, DECISIVE, "CloudFront denied the request because a quota was exceeded", "DLOG"),
    r(Detailed(ResultType::CapacityExceeded), Any, EdgeCapacity, For, DECISIVE, "the edge server returned 503 because it lacked capacity", "DLOG"),
    // --- CloudFront's error-page reason lines: OBS-PAGE.
    r(Page(CfPhrase::LambdaInvalidOrNoPermission), Any, LambdaEdgeExecution, For, STRONG, "CloudFront shows this sentence for Lambda@Edge execution failures (exceptions, time-outs), whatever the cause", "OBS-PAGE"),
    r(Page(CfPhrase::LambdaInvalidOrNoPermission), Any, LambdaEdgeInvalid, For, WEAK, "the wording also fits an invalid association or role", "OBS-PAGE"),
    r(Page(CfPhrase::LambdaThrottled), Any, LambdaEdgeThrottled, For, STRONG, "CloudFront's page says the function was throttled", "OBS-PAGE"),
    r(Page(CfPhrase::FunctionCouldNotRun), Any, CloudFrontFunctionError, For, STRONG, "CloudFront's page says the CloudFront Function could not run", "OBS-PAGE"),
    r(Page(CfPhrase::LambdaInvalidJson), Any, LambdaEdgeInvalid, For, STRONG, "CloudFront could not parse the function's result", "OBS-PAGE"),
    r(Page(CfPhrase::LambdaFailedValidation), Any, LambdaEdgeInvalid, For, STRONG, "the function's result failed CloudFront's validation", "OBS-PAGE"),
    r(Page(CfPhrase::LambdaInvalidResult), Any, LambdaEdgeInvalid, For, STRONG, "the function returned something CloudFront rejects (an invalid header, origin or body)", "OBS-PAGE"),
    r(Page(CfPhrase::CouldNotConnect), Any, OriginTls, For, MODERATE_PLUS, "this (2016–2019) page was CloudFront's answer to failed TLS negotiation with the origin (certificate name or chain, protocol, ciphers), the first cause the 502 page lists", "D502"),
    r(Page(CfPhrase::CouldNotConnect), Any, OriginConnect, For, MODERATE, "CloudFront's page says it could not connect to the origin (a closed port or a firewall shows it too)", "OBS-PAGE"),
    r(Page(CfPhrase::CouldNotConnect), Any, OriginDns, For, WEAK, "an unresolvable origin also ends without a connection", "D502"),
    r(Page(CfPhrase::CouldNotConnectOrIncorrect), Any, OriginConnect, For, MODERATE, "CloudFront's page says it could not connect to the origin", "OBS-PAGE"),
    r(Page(CfPhrase::CouldNotConnectOrIncorrect), Any, OriginTls, For, MODERATE, "TLS failures to the origin show the same page", "D502"),
    r(Page(CfPhrase::CouldNotConnectOrIncorrect), Any, OriginDns, For, WEAK, "an unresolvable origin also ends without a connection", "D502"),
    r(Page(CfPhrase::CouldNotConnectOrIncorrect), Any, OriginInvalidResponse, For, WEAK, "the page also names an incorrect origin response", "OBS-PAGE"),
    r(Page(CfPhrase::FailedToContactOrigin), Any, OriginConnect, For, MODERATE, "CloudFront's (older) page says it could not contact the origin", "OBS-PAGE"),
    r(Page(CfPhrase::FailedToContactOrigin), Any, OriginTls, For, MODERATE, "a wrong origin protocol or a failed TLS handshake shows the same page", "OBS-PAGE"),
    r(Page(CfPhrase::FailedToContactOrigin), Any, OriginDns, For, WEAK, "an unresolvable origin also ends without a connection", "D502"),
    r(Page(CfPhrase::AttemptedToConnect), Is(504), OriginTimeout, For, STRONG, "a 504 with this sentence means the connection attempt timed out", "D504"),
    r(Page(CfPhrase::AttemptedToConnect), Is(504), OriginConnect, For, WEAK, "the origin may also have closed the connection, or never answer on that port (an S3 website endpoint asked over HTTPS)", "D504"),
    r(Page(CfPhrase::AttemptedToConnect), Not(504), OriginConnect, For, STRONG, "the connection attempt failed or the origin closed it", "OBS-PAGE"),
    r(Page(CfPhrase::AttemptedToConnect), Not(504), OriginTls, For, WEAK, "a failed TLS handshake closes the connection too", "D502"),
    r(Page(CfPhrase::AttemptedToConnect), Any, OriginTimeout, For, WEAK, "with no status, the sentence fits a time-out (504) as well as a failed connection (502)", "OBS-PAGE"),
    r(Page(CfPhrase::AttemptedToConnect), StatusIs::Unknown, OriginConnect, For, MODERATE, "with no status, the sentence's own words: the connection attempt failed or the origin closed it", "OBS-PAGE"),
    r(Page(CfPhrase::CouldNotResolveOrigin), Any, OriginDns, For, DECISIVE, "CloudFront's page says it could not resolve the origin's domain name", "OBS-PAGE"),
    // --- A result-type name no table lists: its family only, weakly (OBS-XCACHE: the names
    // CloudFront has used share these prefixes).
    r(Family(ResultFamily::Function), Any, CloudFrontFunctionError, For, MODERATE, "an undocumented result type named for CloudFront Functions", "OBS-XCACHE"),
    r(Family(ResultFamily::Lambda), Any, LambdaEdgeExecution, For, MODERATE, "an undocumented result type named for Lambda@Edge", "OBS-XCACHE"),
    r(Family(ResultFamily::Origin), Any, OriginOverloaded, For, WEAK, "an undocumented result type named for the origin", "OBS-XCACHE"),
    r(Family(ResultFamily::Quota), Any, CloudFrontQuota, For, MODERATE, "an undocumented result type named for a limit", "OBS-XCACHE"),
    // --- A Lambda function's own failure, pasted from its log.
    r(FunctionLog, Any, LambdaEdgeExecution, For, STRONG, "a Lambda function's runtime failed (its unhandled error or time-out line): an edge function failing this way gives CloudFront's 503 LambdaExecutionError", "LRT"),
    r(Page(CfPhrase::GatewayTimeout), Any, OriginTimeout, For, STRONG, "CloudFront's page reports a gateway time-out", "OBS-PAGE"),
    r(Page(CfPhrase::GatewayTimeout), Any, OriginConnect, For, WEAK, "a connection that never completes (a firewall dropping CloudFront) also ends in a 504", "D504"),
    r(Page(CfPhrase::BadGatewayHeading), Any, OriginConnect, For, MODERATE, "CloudFront answered 502 itself: it got no usable answer from the origin", "D502"),
    r(Page(CfPhrase::BadGatewayHeading), Any, OriginTls, For, MODERATE_PLUS, "TLS failures to the origin give a CloudFront 502", "D502"),
    r(Page(CfPhrase::BadGatewayHeading), Any, OriginDns, For, MODERATE, "origin DNS failures give a CloudFront 502 (OriginDnsError)", "D502"),
    // --- CloudFront made the error and nothing says why: D503, D502, D504, HIST.
    r(CloudFrontMade { page: true }, Is(503), EdgeCapacity, For, MODERATE, "CloudFront answered 503 itself with no edge-function marker: an edge location without capacity does this", "D503"),
    r(CloudFrontMade { page: true }, Is(503), OriginMtls, For, WEAK, "failed mutual-TLS handshakes with the origin also make CloudFront answer 503 itself", "D503"),
    r(CloudFrontMade { page: true }, Is(503), CloudFrontQuota, For, FAINT, "a quota refusal looks alike without X-Cache", "DLOG"),
    r(CloudFrontMade { page: true }, Is(503), OriginDns, For, FAINT, "before 2019 origin DNS failures were 503", "HIST"),
    r(CloudFrontMade { page: true }, Is(502), OriginConnect, For, MODERATE, "CloudFront answered 502 itself: it got no usable answer from the origin", "D502"),
    r(CloudFrontMade { page: true }, Is(502), OriginTls, For, MODERATE_PLUS, "TLS failures to the origin give a CloudFront 502", "D502"),
    r(CloudFrontMade { page: true }, Is(502), OriginDns, For, MODERATE, "origin DNS failures give a CloudFront 502 (OriginDnsError)", "D502"),
    r(CloudFrontMade { page: true }, Is(502), LambdaEdgeInvalid, For, FAINT, "Lambda@Edge validation errors are 502 too", "D502"),
    r(CloudFrontMade { page: true }, Is(504), OriginTimeout, For, STRONG, "CloudFront answered 504 itself: the origin did not answer in time", "D504"),
    r(CloudFrontMade { page: true }, Is(504), OriginConnect, For, WEAK, "an origin that never completes the connection also ends in a 504: an S3 website endpoint (HTTP only) asked over HTTPS, a firewall dropping CloudFront", "D504"),
    r(CloudFrontMade { page: true }, OtherServerError(&[502, 503, 504]), LambdaEdgeExecution, For, WEAK, "older distributions reported Lambda@Edge execution errors as 500", "HIST"),
    r(CloudFrontMade { page: false }, Is(503), EdgeCapacity, For, MODERATE * SERVER_ONLY, "CloudFront answered 503 itself with no edge-function marker: an edge location without capacity does this", "D503"),
    r(CloudFrontMade { page: false }, Is(503), OriginMtls, For, WEAK * SERVER_ONLY, "failed mutual-TLS handshakes with the origin also make CloudFront answer 503 itself", "D503"),
    r(CloudFrontMade { page: false }, Is(503), CloudFrontQuota, For, FAINT * SERVER_ONLY, "a quota refusal looks alike without X-Cache", "DLOG"),
    r(CloudFrontMade { page: false }, Is(503), OriginDns, For, FAINT * SERVER_ONLY, "before 2019 origin DNS failures were 503", "HIST"),
    r(CloudFrontMade { page: false }, Is(503), OriginOverloaded, For, WEAK, "an origin that sends no Server header shows Server: CloudFront too", "D502"),
    r(CloudFrontMade { page: false }, Is(502), OriginConnect, For, MODERATE * SERVER_ONLY, "CloudFront answered 502 itself: it got no usable answer from the origin", "D502"),
    r(CloudFrontMade { page: false }, Is(502), OriginTls, For, MODERATE_PLUS * SERVER_ONLY, "TLS failures to the origin give a CloudFront 502", "D502"),
    r(CloudFrontMade { page: false }, Is(502), OriginDns, For, MODERATE * SERVER_ONLY, "origin DNS failures give a CloudFront 502 (OriginDnsError)", "D502"),
    r(CloudFrontMade { page: false }, Is(502), LambdaEdgeInvalid, For, FAINT * SERVER_ONLY, "Lambda@Edge validation errors are 502 too", "D502"),
    r(CloudFrontMade { page: false }, Is(504), OriginTimeout, For, STRONG * SERVER_ONLY, "CloudFront answered 504 itself: the origin did not answer in time", "D504"),
    r(CloudFrontMade { page: false }, OtherServerError(&[502, 503, 504]), LambdaEdgeExecution, For, WEAK * SERVER_ONLY, "older distributions reported Lambda@Edge execution errors as 500", "HIST"),
    // --- The origin answered the error itself: D502, D503 ("CloudFront then relays the error").
    r(OriginRelayed, Is(503), OriginOverloaded, For, STRONG, "the origin answered 503 itself and CloudFront relayed it", "D503"),
    r(OriginRelayed, Is(504), OriginTimeout, For, MODERATE, "the origin itself answered 504: something behind it timed out", "D504"),
    r(OriginRelayed, Is(504), OriginOverloaded, For, WEAK, "the origin answered the error itself and CloudFront relayed it", "D504"),
    r(OriginRelayed, OtherServerError(&[503, 504]), OriginOverloaded, For, MODERATE, "the origin answered this 5xx itself and CloudFront relayed it", "D502"),
    r(OriginRelayed, Any, OriginDns, Against, DECISIVE, "the origin answered, so CloudFront resolved and reached it", "D502"),
    r(OriginRelayed, Any, OriginConnect, Against, DECISIVE, "the origin answered, so CloudFront resolved and reached it", "D502"),
    r(OriginRelayed, Any, OriginTls, Against, DECISIVE, "the origin answered, so CloudFront resolved and reached it", "D502"),
    r(OriginRelayed, Any, EdgeCapacity, Against, STRONG, "the edge location forwarded the request to the origin", "D503"),
    r(OriginDirect, Is(503), OriginOverloaded, For, MODERATE, "that server answered 503 itself: overloaded or without a healthy back end", "D503"),
    r(OriginDirect, Is(504), OriginTimeout, For, MODERATE, "that server answered 504 itself: something behind it timed out", "D504"),
    r(OriginDirect, OtherServerError(&[503, 504]), OriginOverloaded, For, MODERATE, "that server answered this 5xx itself", "D502"),
    r(OriginDirect, Any, OriginDns, Against, STRONG, "a server answered, so its name resolved", "D502"),
    r(OriginDirect, Any, OriginConnect, Against, STRONG, "a server answered, so it was reached", "D502"),
    r(OriginDirect, Any, OriginTls, Against, STRONG, "a server answered, so it was reached", "D502"),
    // --- Origins' stock error bodies: ORIGINS (each vendor's documentation or source).
    r(OriginBody(OriginPhrase::S3SlowDown), Any, OriginOverloaded, For, DECISIVE, "Amazon S3 asks the client to slow down (SlowDown): the request rate on the prefix is too high", "ORIGINS"),
    r(OriginBody(OriginPhrase::S3ServiceUnavailable), Any, OriginOverloaded, For, STRONG, "Amazon S3's own 503 (ServiceUnavailable): S3 is shedding load; retry with back-off", "ORIGINS"),
    r(OriginBody(OriginPhrase::S3InternalError), Any, OriginOverloaded, For, MODERATE, "Amazon S3's own 500 (InternalError): retry with back-off", "ORIGINS"),
    r(OriginBody(OriginPhrase::ApiGatewayServiceUnavailable), Any, OriginOverloaded, For, STRONG, "API Gateway's stock 503 body: the integration or a throttle answered, not CloudFront", "ORIGINS"),
    r(OriginBody(OriginPhrase::ApiGatewayTimeout), Any, OriginTimeout, For, STRONG, "API Gateway's stock 504 body: the integration did not answer within API Gateway's time-out (29 s by default)", "ORIGINS"),
    r(OriginBody(OriginPhrase::ApiGatewayInternalError), Any, OriginOverloaded, For, MODERATE, "API Gateway's stock error body: the integration (often a Lambda function) failed or returned a malformed response", "ORIGINS"),
    r(OriginBody(OriginPhrase::ApiGatewayThrottled), Any, OriginOverloaded, For, STRONG, "API Gateway throttled the request (429): a stage, method or usage-plan limit", "ORIGINS"),
    r(OriginBody(OriginPhrase::ServiceTemporarilyUnavailable), Any, OriginOverloaded, For, STRONG, "a load balancer's or proxy's stock 503 page (the Application Load Balancer's when Server is awselb/2.0): no registered or healthy targets", "ORIGINS"),
    r(OriginBody(OriginPhrase::NginxFooter), Any, OriginOverloaded, For, STRONG, "nginx's own 503 page: limit_req/limit_conn rejections, or every upstream marked down", "ORIGINS"),
    r(OriginBody(OriginPhrase::NginxBadGateway), Any, OriginOverloaded, For, STRONG, "nginx's own 502 page: the application behind nginx is down or closed the connection", "ORIGINS"),
    r(OriginBody(OriginPhrase::NginxGatewayTimeout), Any, OriginTimeout, For, STRONG, "nginx's own 504 page: the application behind nginx did not answer in time", "ORIGINS"),
    r(OriginBody(OriginPhrase::AmazonLinuxNginx), Any, OriginOverloaded, For, STRONG, "the Amazon Linux nginx error page: the application behind nginx is down", "ORIGINS"),
    r(OriginBody(OriginPhrase::ApacheUnavailable), Any, OriginOverloaded, For, STRONG, "Apache httpd's own 503 page: MaxRequestWorkers reached, or a proxied back end is down", "ORIGINS"),
    r(OriginBody(OriginPhrase::ApacheProxyError), Any, OriginOverloaded, For, STRONG, "Apache's proxy error page: the back end behind mod_proxy failed", "ORIGINS"),
    r(OriginBody(OriginPhrase::ApacheGatewayTimeout), Any, OriginTimeout, For, STRONG, "Apache's proxy time-out page: the back end did not answer in time", "ORIGINS"),
    r(OriginBody(OriginPhrase::IisUnavailable), Any, OriginOverloaded, For, STRONG, "IIS/HTTP.sys's own 503 page: the application pool is stopped or crashing", "ORIGINS"),
    r(OriginBody(OriginPhrase::EnvoyNoHealthyUpstream), Any, OriginOverloaded, For, STRONG, "Envoy has no healthy endpoint for the cluster", "ORIGINS"),
    r(OriginBody(OriginPhrase::EnvoyUpstreamConnect), Any, OriginOverloaded, For, STRONG, "Envoy could not connect to (or was reset by) the service behind it", "ORIGINS"),
    r(OriginBody(OriginPhrase::EnvoyUpstreamTimeout), Any, OriginTimeout, For, STRONG, "Envoy's upstream request time-out: the service behind it did not answer in time", "ORIGINS"),
    r(OriginBody(OriginPhrase::HerokuApplicationError), Any, OriginOverloaded, For, STRONG, "Heroku's Application Error page: the app crashed, is not running, or timed out (router codes H10–H13 in `heroku logs`)", "ORIGINS"),
    r(OriginBody(OriginPhrase::HaproxyNoServer), Any, OriginOverloaded, For, STRONG, "HAProxy's own 503 page: no back-end server is available", "ORIGINS"),
    r(OriginBody(OriginPhrase::HaproxyGatewayTimeout), Any, OriginTimeout, For, STRONG, "HAProxy's own 504 page: the back end did not answer in time", "ORIGINS"),
    r(OriginBody(OriginPhrase::VarnishBackendFetchFailed), Any, OriginOverloaded, For, STRONG, "Varnish could not fetch from its back end", "ORIGINS"),
    r(OriginBody(OriginPhrase::ClassicElbAtCapacity), Any, OriginOverloaded, For, STRONG, "the Classic Load Balancer's back ends are at capacity", "ORIGINS"),
    r(OriginBody(OriginPhrase::BadGatewayPage), Any, OriginOverloaded, For, STRONG, "a load balancer's or proxy's stock 502 page: the target behind it failed or closed the connection", "ORIGINS"),
    r(OriginBody(OriginPhrase::ServiceUnavailablePage), Any, OriginOverloaded, For, MODERATE, "a server's generic 503 page (not CloudFront's): that server is overloaded or has no back end available", "ORIGINS"),
    r(OriginBody(OriginPhrase::InternalServerErrorPage), Any, OriginOverloaded, For, MODERATE, "a server's generic 500 page (not CloudFront's): the application failed", "ORIGINS"),
    r(OriginBody(OriginPhrase::GatewayTimeoutPage), Any, OriginTimeout, For, STRONG, "a load balancer's or proxy's stock 504 page: the target behind it did not answer in time", "ORIGINS"),
    // --- The CloudFront API's own error document: API.
    r(ApiErrorDocument, Any, CloudFrontApi, For, 0.95, "an <ErrorResponse> of the CloudFront API (xmlns cloudfront.amazonaws.com/doc), not a page a viewer gets", "API"),
    // --- Server-Timing: DRHP (and inferences marked in docs/sources.md).
    r(UpstreamConnected, Any, OriginDns, Against, DECISIVE, "CloudFront resolved the origin's name and connected to it", "DRHP"),
    r(UpstreamConnected, Any, OriginConnect, Against, STRONG, "CloudFront connected to the origin", "DRHP"),
    r(SlowDnsNoConnect, Any, OriginDns, For, MODERATE, "resolving the origin took over a second and no connection followed", "DRHP"),
    r(ResolvedNoConnect, Any, OriginConnect, For, WEAK, "the origin's name resolved but no connection time was recorded", "DRHP"),
    r(ConnectedNoFirstByte, Is(502), OriginTls, For, MODERATE, "CloudFront connected to the origin but got no first byte: a failed TLS handshake ends like this", "DRHP"),
    r(ConnectedNoFirstByte, Is(503), OriginMtls, For, STRONG, "CloudFront connected to the origin, got no first byte, and answered 503 itself: failed mutual-TLS handshakes end like this", "D503"),
    r(ConnectedNoFirstByte, Is(503), EdgeCapacity, Against, STRONG, "the edge location did contact the origin", "DRHP"),
    r(UpstreamFirstByte, Any, OriginDns, Against, DECISIVE, "the origin sent a first byte", "DRHP"),
    r(UpstreamFirstByte, Any, OriginConnect, Against, DECISIVE, "the origin sent a first byte", "DRHP"),
    r(UpstreamFirstByte, Any, OriginTls, Against, DECISIVE, "the origin sent a first byte", "DRHP"),
    // --- A DNS check of the origin: D502 (DNS section).
    // Moderate, not strong: a check made now, from here, cannot undo what CloudFront logged
    // (origin DNS failures are often brief or regional); a note says so beside a logged error.
    r(DnsHealthy, Any, OriginDns, Against, MODERATE, "the origin's name resolves now, and every name server answers it consistently", "D502"),
    r(DnsPrivateAddress, Any, OriginTimeout, For, STRONG, "the origin resolves to an address CloudFront cannot reach", "D504"),
    r(DnsPrivateAddress, Any, OriginConnect, For, MODERATE, "the origin resolves to an address CloudFront cannot reach", "D504"),
    r(DnsPrivateAddress, Any, OriginDns, Against, MODERATE, "the name resolves (to an unusable address)", "D504"),
    r(DnsBroken, Any, OriginDns, For, DECISIVE, "the DNS check found the origin's name unresolvable for CloudFront", "D502"),
    r(DnsFlaky, Any, OriginDns, For, MODERATE, "a name server fails: some of CloudFront's lookups fail, intermittently", "D502"),
    // --- Asking several edge locations (`cf503 edges`, `check --edges`): EDGE-ECS, DQUOTA.
    r(EdgeOnePop, Any, EdgeCapacity, For, STRONG, "only one edge location fails while the others answer: that edge location, not the origin", "EDGE-ECS"),
    r(EdgeOnePop, Any, OriginOverloaded, Against, MODERATE, "the origin answers through the other edge locations", "EDGE-ECS"),
    r(EdgeOnePop, Any, OriginDns, Against, MODERATE, "the other edge locations reach the origin", "EDGE-ECS"),
    r(EdgeCachedAtOnePop, Any, EdgeCapacity, Against, MODERATE, "the one failing edge location serves the error from its cache: an error cached there, not its capacity", "DHSC"),
    r(EdgeOneRegion, Any, LambdaEdgeThrottled, For, MODERATE, "every edge location of one Region fails with Lambda@Edge result types while others answer: Lambda@Edge quotas are per Region", "DQUOTA"),
    r(EdgeOneRegion, Any, EdgeCapacity, Against, MODERATE, "several edge locations of a Region fail alike: not one edge location's capacity", "EDGE-ECS"),
    r(EdgeOneRegion, Any, OriginOverloaded, Against, MODERATE, "the origin answers through the other Regions' edge locations", "EDGE-ECS"),
    r(EdgeEvery, Any, EdgeCapacity, Against, STRONG, "every edge location asked fails alike: not one edge location's capacity", "EDGE-ECS"),
    r(SeenOnePop, Any, EdgeCapacity, For, MODERATE, "this edge location fails while others answered this browser minutes before: that edge location, more likely than the origin", "EDGE-ECS"),
    r(SeenOnePop, Any, OriginOverloaded, Against, WEAK, "the origin answered through other edge locations minutes before", "EDGE-ECS"),
    r(SeenEveryPop, Any, EdgeCapacity, Against, MODERATE, "every edge location this browser reached fails alike: not one edge location's capacity", "EDGE-ECS"),
    // --- Not CloudFront, and nothing says why it failed.
    r(ElsewhereUnexplained, Any, NotCloudFront, For, DECISIVE, "the response carries none of CloudFront's marks (Via …cloudfront.net, X-Amz-Cf-Id, X-Amz-Cf-Pop, X-Cache …from cloudfront) and nothing in it says why it failed", "D502"),
    // --- A status code alone: the causes that give it (capped low by the scorer).
    r(StatusOnly, Is(503), OriginOverloaded, For, FAINT, "one of the causes that give this status", "D503"),
    r(StatusOnly, Is(503), LambdaEdgeExecution, For, FAINT, "one of the causes that give this status", "D503"),
    r(StatusOnly, Is(503), LambdaEdgeThrottled, For, FAINT, "one of the causes that give this status", "D503"),
    r(StatusOnly, Is(503), CloudFrontFunctionError, For, FAINT, "one of the causes that give this status", "D503"),
    r(StatusOnly, Is(503), EdgeCapacity, For, FAINT, "one of the causes that give this status", "D503"),
    r(StatusOnly, Is(502), OriginDns, For, FAINT, "one of the causes that give this status", "D502"),
    r(StatusOnly, Is(502), OriginConnect, For, FAINT, "one of the causes that give this status", "D502"),
    r(StatusOnly, Is(502), OriginTls, For, FAINT, "one of the causes that give this status", "D502"),
    r(StatusOnly, Is(502), LambdaEdgeInvalid, For, FAINT, "one of the causes that give this status", "D502"),
    r(StatusOnly, Is(504), OriginTimeout, For, FAINT, "one of the causes that give this status", "D504"),
];

/// The rows that apply to a fact on a status.
pub fn rules_for(fact: Fact, status: Option<u16>) -> impl Iterator<Item = &'static Rule> {
    RULES
        .iter()
        .filter(move |r| r.fact == fact && r.status.matches(status))
}

/// The cause a fact names by itself (its strongest supporting row, when at least strong).
pub fn implied_cause(fact: Fact, status: Option<u16>) -> Option<CauseId> {
    rules_for(fact, status)
        .filter(|r| r.stance == For && r.weight >= STRONG)
        .max_by(|a, b| a.weight.total_cmp(&b.weight))
        .map(|r| r.cause)
}

/// Whether a fact supports any cause at least moderately: it explains the failure.
pub fn explains(fact: Fact, status: Option<u16>) -> bool {
    rules_for(fact, status).any(|r| r.stance == For && r.weight >= MODERATE)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_row_cites_a_source_of_docs_sources_md() {
        // The ids docs/sources.md defines: its table's first column.
        let sources = include_str!("../../../../docs/sources.md");
        let defined: alloc::vec::Vec<&str> = sources
            .lines()
            .filter_map(|l| l.strip_prefix("| "))
            .filter_map(|l| l.split(" |").next())
            .collect();
        for rule in RULES {
            assert!(
                defined.contains(&rule.source),
                "{rule:?}: not in docs/sources.md"
            );
            assert!((0.0..=1.0).contains(&rule.weight), "{rule:?}");
        }
    }

    #[test]
    fn every_origin_body_and_page_sentence_has_a_rule() {
        for s in crate::signals::ORIGIN_SIGNATURES {
            assert!(
                RULES.iter().any(|r| r.fact == OriginBody(s.phrase)),
                "{:?}",
                s.phrase
            );
        }
    }

    #[test]
    fn derived_mappings() {
        assert_eq!(
            implied_cause(Result(ResultType::LambdaLimitExceeded), Some(503)),
            Some(LambdaEdgeThrottled)
        );
        assert_eq!(
            implied_cause(Detailed(ResultType::Error), Some(503)),
            Some(OriginOverloaded)
        );
        assert_eq!(implied_cause(Detailed(ResultType::Error), Some(200)), None);
        assert_eq!(
            implied_cause(Page(CfPhrase::AttemptedToConnect), Some(504)),
            Some(OriginTimeout)
        );
        assert_eq!(
            implied_cause(Page(CfPhrase::AttemptedToConnect), Some(502)),
            Some(OriginConnect)
        );
    }
}
