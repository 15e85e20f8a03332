//! Signals → ranked findings.
//!
//! Each rule adds weighted evidence for or against causes. A cause's confidence combines its
//! supporting evidence as independent indications (noisy-OR: `1 - Π(1 - w)`) and discounts it by
//! the evidence against (`× Π(1 - w)`). Thin input caps every confidence, so a bare status code
//! never yields a confident verdict. The weights are named so the rules read as prose.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::causes::{CauseId, When};
use crate::dns::{DnsFindingId, DnsReport, Severity as DnsSeverity};
use crate::observation::Observation;
use crate::signals::{
    CfPhrase, Generator, OriginKind, OriginPhrase, ResultType, Signals, log_results, names,
};

/// Decisive: the signal names the cause.
const DECISIVE: f32 = 0.9;
/// Strong: the signal almost always means this cause.
const STRONG: f32 = 0.75;
/// Moderate: one of a few likely causes.
const MODERATE: f32 = 0.45;
/// Weak: possible.
const WEAK: f32 = 0.25;
/// Faint: worth listing, not worth acting on first.
const FAINT: f32 = 0.12;

/// The most a finding can score when the input is thin.
const THIN_CAP: f32 = 0.25;

/// Evidence values longer than this are cut in reports.
pub const VALUE_DISPLAY_LIMIT: usize = 200;

/// One piece of evidence.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Evidence {
    /// Which signal (`x-cache`, `server`, `page-text`, …).
    pub signal: &'static str,
    /// Its value as observed (redacted, shortened).
    pub value: String,
    /// For (`true`) or against (`false`) the cause.
    pub supports: bool,
    /// Weight in 0..1.
    pub weight: f32,
    /// Why it matters.
    pub note: String,
}

/// One candidate cause.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Finding {
    /// The cause.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_cause"))]
    pub cause: CauseId,
    /// 0..1.
    pub confidence: f32,
    /// Evidence for and against.
    pub evidence: Vec<Evidence>,
    /// Next steps, tailored to what was observed.
    pub steps: Vec<String>,
}

#[cfg(feature = "serde")]
fn ser_cause<S: serde::Serializer>(c: &CauseId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.as_str())
}

/// How much the input showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum InputQuality {
    /// A status code and little else: no confident verdict possible.
    Thin,
    /// Headers or page text, not both.
    Partial,
    /// Headers and page text, or a decisive signal.
    Rich,
}

impl InputQuality {
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            InputQuality::Thin => "thin",
            InputQuality::Partial => "partial",
            InputQuality::Rich => "rich",
        }
    }
}

/// A remark about the response that is not a cause (cached error, contradictions…).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Note {
    /// Stable id.
    pub id: &'static str,
    /// Text.
    pub text: String,
}

/// What was observed, in the form reports show it.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Summary {
    /// Request URL (redacted).
    pub url: Option<String>,
    /// HTTP status.
    pub status: Option<u16>,
    /// Where the observation came from.
    pub source: Option<&'static str>,
    /// `cloudfront`, `origin` or `unknown`.
    pub generated_by: &'static str,
    /// Whether any CloudFront marker was present.
    pub through_cloudfront: bool,
    /// `Server`.
    pub server: Option<String>,
    /// `X-Cache`.
    pub x_cache: Option<String>,
    /// The POP id as written.
    pub pop: Option<String>,
    /// Its three-letter code.
    pub pop_code: Option<String>,
    /// City and country of the POP.
    pub pop_city: Option<String>,
    /// Likely Lambda@Edge Region for the POP.
    pub lambda_region: Option<&'static str>,
    /// That Region's name.
    pub lambda_region_name: Option<&'static str>,
    /// `X-Amz-Cf-Id`.
    pub request_id: Option<String>,
    /// Origin kind (machine name).
    pub origin_kind: Option<&'static str>,
    /// Origin kind (label).
    pub origin_label: Option<&'static str>,
    /// Error-page reason line.
    pub page_phrase: Option<&'static str>,
    /// `Age` on the error.
    pub age: Option<u64>,
    /// `Retry-After`.
    pub retry_after: Option<String>,
    /// Pasted log result types.
    pub log_result: Option<&'static str>,
    /// Pasted detailed result type.
    pub log_detailed_result: Option<&'static str>,
    /// Server-Timing figures, in ms: dns, connect, upstream first byte.
    pub timing_dns_ms: Option<u32>,
    /// `cdn-upstream-connect`.
    pub timing_connect_ms: Option<u32>,
    /// `cdn-upstream-fbl`.
    pub timing_upstream_fbl_ms: Option<u32>,
    /// The `<Code>` of an XML error body (S3's `SlowDown`, the CloudFront API's codes).
    pub xml_code: Option<String>,
    /// Whether the body is a CloudFront API `<ErrorResponse>`.
    pub cloudfront_api: bool,
}

/// The verdict on one response.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Diagnosis {
    /// What was observed.
    pub summary: Summary,
    /// How much the input showed.
    pub input_quality: InputQuality,
    /// What to collect for a better verdict (empty when nothing is missing).
    pub collect: Vec<&'static str>,
    /// Findings, most likely first; never empty.
    pub findings: Vec<Finding>,
    /// Remarks.
    pub notes: Vec<Note>,
    /// The DNS check of the origin, when one ran.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub dns: Option<alloc::boxed::Box<DnsReport>>,
}

impl Diagnosis {
    /// The most likely finding.
    pub fn top(&self) -> &Finding {
        &self.findings[0]
    }
}

const COLLECT_HEADERS: &str =
    "the full response headers (`curl -si <url>`, or the browser's network panel)";
const COLLECT_PAGE: &str = "the text of the error page";
const COLLECT_LOGS: &str = "`x-edge-result-type` and `x-edge-detailed-result-type` for the request id, from CloudFront standard or real-time logs";
const COLLECT_ORIGIN: &str =
    "the origin domain (from the distribution's origin settings), for the DNS checks";

struct Scorer {
    evidence: Vec<(CauseId, Evidence)>,
}

impl Scorer {
    fn add(
        &mut self,
        cause: CauseId,
        signal: &'static str,
        value: &str,
        supports: bool,
        weight: f32,
        note: &str,
    ) {
        self.evidence.push((
            cause,
            Evidence {
                signal,
                value: shorten(value),
                supports,
                weight,
                note: note.to_string(),
            },
        ));
    }
    fn for_(&mut self, cause: CauseId, signal: &'static str, value: &str, weight: f32, note: &str) {
        self.add(cause, signal, value, true, weight, note);
    }
    fn against(
        &mut self,
        cause: CauseId,
        signal: &'static str,
        value: &str,
        weight: f32,
        note: &str,
    ) {
        self.add(cause, signal, value, false, weight, note);
    }
}

fn shorten(v: &str) -> String {
    if v.len() <= VALUE_DISPLAY_LIMIT {
        return v.to_owned();
    }
    let cut = crate::observation::floor_char_boundary(v, VALUE_DISPLAY_LIMIT);
    format!("{}… ({} bytes)", &v[..cut], v.len())
}

/// Diagnoses one observation.
pub fn diagnose(obs: &Observation) -> Diagnosis {
    let sig = Signals::extract(obs);
    diagnose_signals(obs, &sig, None)
}

/// Diagnoses one observation together with a DNS check of its origin: the DNS findings confirm
/// or rule out `origin_dns`, and its steps name the failing server.
pub fn diagnose_with_dns(obs: &Observation, dns: &DnsReport) -> Diagnosis {
    let sig = Signals::extract(obs);
    diagnose_signals(obs, &sig, Some(dns))
}

fn dns_evidence(sc: &mut Scorer, dns: &DnsReport) {
    use CauseId::*;
    use DnsFindingId as Id;
    const SIGNAL: &str = "dns-check";
    for f in &dns.findings {
        let value = match &f.server {
            Some(server) => format!("{} at {server}", f.id.as_str()),
            None => f.id.as_str().to_string(),
        };
        match (f.id, f.severity) {
            (Id::Ok, _) => {
                sc.against(
                    OriginDns,
                    SIGNAL,
                    &value,
                    STRONG,
                    "the origin's name resolves, and every name server answers it consistently",
                );
            }
            (Id::PrivateAddress, _) => {
                sc.for_(
                    OriginTimeout,
                    SIGNAL,
                    &value,
                    STRONG,
                    "the origin resolves to an address CloudFront cannot reach",
                );
                sc.for_(
                    OriginConnect,
                    SIGNAL,
                    &value,
                    MODERATE,
                    "the origin resolves to an address CloudFront cannot reach",
                );
                sc.against(
                    OriginDns,
                    SIGNAL,
                    &value,
                    MODERATE,
                    "the name resolves (to an unusable address)",
                );
            }
            (_, DnsSeverity::Error) => {
                sc.for_(
                    OriginDns,
                    SIGNAL,
                    &value,
                    DECISIVE,
                    "the DNS check found the origin's name unresolvable for CloudFront",
                );
            }
            (_, DnsSeverity::Warning) => {
                sc.for_(
                    OriginDns,
                    SIGNAL,
                    &value,
                    MODERATE,
                    "a name server fails: some of CloudFront's lookups fail, intermittently",
                );
            }
            _ => {}
        }
    }
}

pub(crate) fn diagnose_signals(
    obs: &Observation,
    sig: &Signals<'_>,
    dns: Option<&DnsReport>,
) -> Diagnosis {
    use CauseId::*;
    let mut sc = Scorer {
        evidence: Vec::new(),
    };
    let mut notes = Vec::new();
    let status = sig.status;
    let status_str = status.map(|s| s.to_string()).unwrap_or_default();

    // 1. CloudFront's own result types: X-Cache and pasted log fields.
    let mut results: Vec<(&'static str, ResultType)> = log_results(sig);
    if let Some(t) = sig.edge_result {
        results.push((names::X_CACHE, t));
    }
    for (signal, t) in &results {
        let value = if *signal == names::X_CACHE {
            sig.x_cache.unwrap_or("")
        } else {
            t.as_str()
        };
        result_type_evidence(&mut sc, signal, value, *t, status);
    }

    // 2. The reason line of CloudFront's error page.
    if let Some(p) = sig.cf_phrase {
        phrase_evidence(&mut sc, p, status);
    }

    // 3. Who generated the response.
    let edge_function_marker = results.iter().any(|(_, t)| {
        matches!(
            t,
            ResultType::LambdaExecutionError
                | ResultType::LambdaValidationError
                | ResultType::LambdaLimitExceeded
                | ResultType::FunctionExecutionError
                | ResultType::FunctionThrottledError
        )
    }) || matches!(
        sig.cf_phrase,
        Some(
            CfPhrase::LambdaInvalidOrNoPermission
                | CfPhrase::LambdaThrottled
                | CfPhrase::FunctionCouldNotRun
                | CfPhrase::LambdaInvalidJson
                | CfPhrase::LambdaFailedValidation
        )
    );
    match sig.generated_by {
        Generator::Origin if status.is_some_and(|s| s >= 500) && sig.through_cloudfront() => {
            origin_answered(&mut sc, sig, &status_str);
        }
        Generator::Origin if status.is_some_and(|s| s >= 500) => {
            let v = sig
                .server
                .map_or_else(|| "origin headers".to_string(), |s| format!("Server: {s}"));
            sc.for_(OriginOverloaded, names::SERVER, &v, WEAK, "that server answered the error itself; if it is meant to sit behind CloudFront, it is overloaded or unavailable");
        }
        Generator::CloudFront
            if !edge_function_marker
                && sig.cf_phrase.is_none()
                && results.iter().all(|(_, t)| !t.is_edge_generated_error())
                && !results.iter().any(|(s, _)| *s != names::X_CACHE) =>
        {
            cloudfront_generated_unexplained(&mut sc, sig, status);
        }
        _ => {}
    }
    if let Some(api) = &sig.api_error {
        sc.for_(
            CloudFrontApi,
            names::XML_CODE,
            api.code.as_deref().unwrap_or("ErrorResponse"),
            0.95,
            "an <ErrorResponse> of the CloudFront API (xmlns cloudfront.amazonaws.com/doc), not a page a viewer gets",
        );
    }

    // 4. Server-Timing tells whether CloudFront resolved and reached the origin.
    if let Some(st) = &sig.server_timing {
        if let Some(connect) = st.upstream_connect_ms {
            let v = format!("cdn-upstream-connect;dur={connect}");
            sc.against(
                OriginDns,
                names::SERVER_TIMING,
                &v,
                DECISIVE,
                "CloudFront resolved the origin's name and connected to it",
            );
            sc.against(
                OriginConnect,
                names::SERVER_TIMING,
                &v,
                STRONG,
                "CloudFront connected to the origin",
            );
        } else if let Some(dns) = st.upstream_dns_ms {
            let v = format!("cdn-upstream-dns;dur={dns}, no cdn-upstream-connect");
            if dns >= 1000 {
                sc.for_(
                    OriginDns,
                    names::SERVER_TIMING,
                    &v,
                    MODERATE,
                    "resolving the origin took over a second and no connection followed",
                );
            } else {
                sc.for_(
                    OriginConnect,
                    names::SERVER_TIMING,
                    &v,
                    WEAK,
                    "the origin's name resolved but no connection time was recorded",
                );
            }
        }
        // Connected but no first byte, on an error CloudFront made itself: the handshake after
        // TCP failed (inferred; AWS does not document what cdn-upstream-connect covers).
        if let (Some(connect), None, Generator::CloudFront) =
            (st.upstream_connect_ms, st.upstream_fbl_ms, sig.generated_by)
        {
            let v = format!("cdn-upstream-connect;dur={connect}, no cdn-upstream-fbl");
            match status {
                Some(502) => sc.for_(OriginTls, names::SERVER_TIMING, &v, MODERATE, "CloudFront connected to the origin but got no first byte: a failed TLS handshake ends like this"),
                Some(503) => {
                    sc.for_(OriginMtls, names::SERVER_TIMING, &v, STRONG, "CloudFront connected to the origin, got no first byte, and answered 503 itself: failed mutual-TLS handshakes end like this");
                    sc.against(EdgeCapacity, names::SERVER_TIMING, &v, STRONG, "the edge location did contact the origin");
                }
                _ => {}
            }
        }
        if let Some(fbl) = st.upstream_fbl_ms {
            let v = format!("cdn-upstream-fbl;dur={fbl}");
            sc.against(
                OriginDns,
                names::SERVER_TIMING,
                &v,
                DECISIVE,
                "the origin sent a first byte",
            );
            sc.against(
                OriginConnect,
                names::SERVER_TIMING,
                &v,
                DECISIVE,
                "the origin sent a first byte",
            );
            sc.against(
                OriginTls,
                names::SERVER_TIMING,
                &v,
                DECISIVE,
                "the origin sent a first byte",
            );
        }
    }

    // 5. A DNS check of the origin, when one ran.
    if let Some(dns) = dns {
        dns_evidence(&mut sc, dns);
    }

    // 6. Not CloudFront at all.
    let through = sig.through_cloudfront();
    if !through && sig.api_error.is_none() && (sig.header_count >= 2 || sig.has_page_text) {
        let v = sig.server.map_or_else(
            || format!("{} headers, none from CloudFront", sig.header_count),
            |s| format!("Server: {s}"),
        );
        let w = if sig.header_count >= 4 {
            DECISIVE
        } else {
            STRONG
        };
        sc.for_(
            NotCloudFront,
            names::MARKERS,
            &v,
            w,
            "no Via …cloudfront.net, X-Amz-Cf-Id, X-Amz-Cf-Pop or X-Cache …from cloudfront",
        );
    }

    // Notes: what is true whatever the cause.
    if let (Some(age), true) = (sig.age, status.is_some_and(|s| s >= 400)) {
        notes.push(Note {
            id: "cached_error",
            text: format!("This error was served from CloudFront's cache (Age: {age} s): the failure happened {age} s before this response, and the origin may already be fine. CloudFront caches origin 5xx for 10 s by default (error caching minimum TTL); fetch again after that before acting."),
        });
    }
    if let Some(ra) = sig.retry_after {
        notes.push(Note {
            id: "retry_after",
            text: format!("The response asks clients to retry after {ra} (Retry-After)."),
        });
    }
    if sig.edge_result == Some(ResultType::Error) && sig.generated_by == Generator::Origin {
        notes.push(Note { id: "x_cache_error", text: "`X-Cache: Error from cloudfront` only says the status is an error; it does not mean CloudFront generated it. Here the origin did.".to_string() });
    }
    if let (Some(x), Some(p)) = (sig.edge_result, sig.cf_phrase)
        && let (Some(a), Some(b)) = (implied_by_result(x), implied_by_phrase(p))
        && a != b
    {
        notes.push(Note {
                    id: "contradiction",
                    text: format!("The page text (\"{}\") and X-Cache ({}) point at different causes ({} vs {}); X-Cache is the more specific signal.", p.text(), x.as_str(), b.as_str(), a.as_str()),
                });
    }
    if status == Some(502)
        && sc
            .evidence
            .iter()
            .any(|(c, e)| *c == OriginDns && e.supports)
    {
        notes.push(Note { id: "dns_is_502", text: "CloudFront reports origin DNS failures as 502 today (they were 503 before 2019): the AWS 503 page no longer lists them.".to_string() });
    }
    if status.is_some_and(|s| s < 400) {
        notes.push(Note {
            id: "not_an_error",
            text: format!(
                "The status is {status_str}, not an error: this response is not a failure."
            ),
        });
    }

    // Input quality.
    let decisive = sc
        .evidence
        .iter()
        .any(|(_, e)| e.supports && e.weight >= DECISIVE);
    let quality = if decisive || (sig.header_count >= 3 && sig.has_page_text) {
        InputQuality::Rich
    } else if sig.header_count <= 1 && !sig.has_page_text {
        InputQuality::Thin
    } else {
        InputQuality::Partial
    };
    let mut collect = Vec::new();
    if quality != InputQuality::Rich {
        if sig.header_count < 3 {
            collect.push(COLLECT_HEADERS);
        }
        if !sig.has_page_text {
            collect.push(COLLECT_PAGE);
        }
        if through && sig.log_detailed_result.is_none() {
            collect.push(COLLECT_LOGS);
        }
    }

    if quality == InputQuality::Thin {
        // A status code alone: list the causes that give it, all capped low by `combine`.
        let candidates: &[CauseId] = match status {
            Some(503) => &[
                OriginOverloaded,
                LambdaEdgeExecution,
                LambdaEdgeThrottled,
                CloudFrontFunctionError,
                EdgeCapacity,
            ],
            Some(502) => &[OriginDns, OriginConnect, OriginTls, LambdaEdgeInvalid],
            Some(504) => &[OriginTimeout],
            _ => &[],
        };
        for &c in candidates {
            sc.for_(
                c,
                names::STATUS,
                &status_str,
                FAINT,
                "one of the causes that give this status",
            );
        }
    }
    let mut findings = combine(sc.evidence, quality);
    if findings.is_empty() || quality == InputQuality::Thin {
        let mut evidence = Vec::new();
        if quality == InputQuality::Thin {
            evidence.push(Evidence {
                signal: names::STATUS,
                value: if status_str.is_empty() {
                    "none".into()
                } else {
                    status_str.clone()
                },
                supports: true,
                weight: 0.3,
                note: "a status code alone fits several causes".into(),
            });
        }
        let conf = if quality == InputQuality::Thin {
            0.3
        } else {
            0.2
        };
        findings.insert(
            0,
            Finding {
                cause: Unknown,
                confidence: conf,
                evidence,
                steps: Vec::new(),
            },
        );
        if findings.iter().filter(|f| f.cause == Unknown).count() > 1 {
            findings.dedup_by_key(|f| f.cause);
        }
    }
    if findings[0].cause == Unknown && collect.is_empty() {
        collect.push(COLLECT_HEADERS);
    }
    if through && findings.iter().take(3).any(|f| f.cause == OriginDns) {
        collect.push(COLLECT_ORIGIN);
    }

    let summary = summarise(obs, sig);
    let ctx = Context::new(&summary);
    for f in &mut findings {
        f.steps = tailored_steps(f.cause, sig.origin_kind, &ctx);
        if let (CauseId::OriginDns, Some(dns)) = (f.cause, dns) {
            // The DNS check says which server fails and how: first things first.
            let named: Vec<String> = dns
                .findings
                .iter()
                .filter(|d| d.severity != DnsSeverity::Info)
                .map(|d| match &d.server {
                    Some(server) => {
                        format!("DNS check ({}, {server}): {}", d.id.as_str(), d.summary)
                    }
                    None => format!("DNS check ({}): {}", d.id.as_str(), d.summary),
                })
                .collect();
            f.steps.splice(0..0, named);
        }
    }
    if dns.is_some() {
        collect.retain(|c| *c != COLLECT_ORIGIN);
    }
    Diagnosis {
        summary,
        input_quality: quality,
        collect,
        findings,
        notes,
        dns: dns.map(|d| alloc::boxed::Box::new(d.clone())),
    }
}

fn result_type_evidence(
    sc: &mut Scorer,
    signal: &'static str,
    value: &str,
    t: ResultType,
    status: Option<u16>,
) {
    use CauseId::*;
    match t {
        ResultType::LambdaExecutionError => {
            sc.for_(LambdaEdgeExecution, signal, value, DECISIVE, "CloudFront records LambdaExecutionError when a Lambda@Edge function did not complete");
            sc.for_(
                LambdaEdgeInvalid,
                signal,
                value,
                FAINT,
                "a malformed function association is recorded the same way",
            );
            sc.against(
                OriginOverloaded,
                signal,
                value,
                STRONG,
                "an edge function failed before the origin's answer mattered",
            );
        }
        ResultType::LambdaValidationError => {
            sc.for_(
                LambdaEdgeInvalid,
                signal,
                value,
                DECISIVE,
                "CloudFront rejected the Lambda@Edge function's response",
            );
            sc.against(
                OriginOverloaded,
                signal,
                value,
                STRONG,
                "an edge function failed",
            );
        }
        ResultType::LambdaLimitExceeded => {
            sc.for_(
                LambdaEdgeThrottled,
                signal,
                value,
                DECISIVE,
                "Lambda throttled the Lambda@Edge invocation",
            );
            sc.against(
                OriginOverloaded,
                signal,
                value,
                STRONG,
                "an edge function was throttled",
            );
        }
        ResultType::FunctionExecutionError | ResultType::FunctionThrottledError => {
            sc.for_(
                CloudFrontFunctionError,
                signal,
                value,
                DECISIVE,
                if t == ResultType::FunctionThrottledError {
                    "the CloudFront Function is throttled"
                } else {
                    "the CloudFront Function failed at run time"
                },
            );
            sc.against(
                OriginOverloaded,
                signal,
                value,
                STRONG,
                "a CloudFront Function failed",
            );
        }
        ResultType::LimitExceeded => {
            sc.for_(
                CloudFrontQuota,
                signal,
                value,
                DECISIVE,
                "CloudFront denied the request because a quota was exceeded",
            );
            sc.for_(
                EdgeCapacity,
                signal,
                value,
                FAINT,
                "quota and capacity refusals both happen under heavy load",
            );
        }
        ResultType::CapacityExceeded => {
            sc.for_(
                EdgeCapacity,
                signal,
                value,
                DECISIVE,
                "the edge server returned 503 because it lacked capacity",
            );
        }
        ResultType::OriginDnsError => {
            sc.for_(
                OriginDns,
                signal,
                value,
                DECISIVE,
                "CloudFront could not resolve the origin's domain name",
            );
        }
        ResultType::OriginConnectError => {
            sc.for_(
                OriginConnect,
                signal,
                value,
                STRONG,
                "CloudFront could not connect to the origin",
            );
            sc.for_(
                OriginTls,
                signal,
                value,
                MODERATE,
                "TLS handshake failures are likely recorded as connect errors too (inferred)",
            );
        }
        ResultType::OriginCommError => {
            sc.for_(
                OriginTimeout,
                signal,
                value,
                DECISIVE,
                "CloudFront timed out connecting to or reading from the origin",
            );
        }
        ResultType::OriginInvalidResponseError
        | ResultType::OriginHeaderTooBigError
        | ResultType::OriginContentRangeLengthError
        | ResultType::OriginZeroSizeObjectError
        | ResultType::OriginError => {
            sc.for_(
                OriginInvalidResponse,
                signal,
                value,
                DECISIVE,
                "CloudFront could not use the origin's response",
            );
        }
        ResultType::OriginReadError | ResultType::OriginWriteError | ResultType::AbortedOrigin => {
            sc.for_(
                OriginConnect,
                signal,
                value,
                STRONG,
                "the connection to the origin broke",
            );
            sc.for_(
                OriginTimeout,
                signal,
                value,
                WEAK,
                "a stalled origin can end the same way",
            );
        }
        ResultType::Error if signal != names::X_CACHE && status == Some(503) => {
            sc.for_(
                OriginOverloaded,
                signal,
                value,
                WEAK,
                "a plain Error result on a 503 is most often the origin's own answer",
            );
        }
        _ => {}
    }
}

fn phrase_evidence(sc: &mut Scorer, p: CfPhrase, status: Option<u16>) {
    use CauseId::*;
    let v = p.text();
    let sig = names::PAGE;
    match p {
        CfPhrase::LambdaInvalidOrNoPermission => {
            sc.for_(LambdaEdgeExecution, sig, v, STRONG, "CloudFront shows this sentence for Lambda@Edge execution failures (exceptions, time-outs), whatever the cause");
            sc.for_(
                LambdaEdgeInvalid,
                sig,
                v,
                WEAK,
                "the wording also fits an invalid association or role",
            );
        }
        CfPhrase::LambdaThrottled => sc.for_(
            LambdaEdgeThrottled,
            sig,
            v,
            STRONG,
            "CloudFront's page says the function was throttled",
        ),
        CfPhrase::FunctionCouldNotRun => sc.for_(
            CloudFrontFunctionError,
            sig,
            v,
            STRONG,
            "CloudFront's page says the CloudFront Function could not run",
        ),
        CfPhrase::LambdaInvalidJson | CfPhrase::LambdaFailedValidation => {
            sc.for_(
                LambdaEdgeInvalid,
                sig,
                v,
                STRONG,
                "the function's result failed CloudFront's validation",
            );
        }
        CfPhrase::CouldNotConnect | CfPhrase::CouldNotConnectOrIncorrect => {
            sc.for_(
                OriginConnect,
                sig,
                v,
                MODERATE,
                "CloudFront's page says it could not connect to the origin",
            );
            sc.for_(
                OriginTls,
                sig,
                v,
                MODERATE,
                "TLS failures to the origin show the same page",
            );
            sc.for_(
                OriginDns,
                sig,
                v,
                WEAK,
                "an unresolvable origin also ends without a connection",
            );
            if p == CfPhrase::CouldNotConnectOrIncorrect {
                sc.for_(
                    OriginInvalidResponse,
                    sig,
                    v,
                    WEAK,
                    "the page also names an incorrect origin response",
                );
            }
        }
        CfPhrase::AttemptedToConnect => {
            if status == Some(504) {
                sc.for_(
                    OriginTimeout,
                    sig,
                    v,
                    STRONG,
                    "a 504 with this sentence means the connection attempt timed out",
                );
                sc.for_(
                    OriginConnect,
                    sig,
                    v,
                    WEAK,
                    "the origin may also have closed the connection",
                );
            } else {
                sc.for_(
                    OriginConnect,
                    sig,
                    v,
                    STRONG,
                    "the connection attempt failed or the origin closed it",
                );
                sc.for_(
                    OriginTls,
                    sig,
                    v,
                    WEAK,
                    "a failed TLS handshake closes the connection too",
                );
            }
        }
        CfPhrase::GatewayTimeout => sc.for_(
            OriginTimeout,
            sig,
            v,
            STRONG,
            "CloudFront's page reports a gateway time-out",
        ),
    }
}

fn origin_answered(sc: &mut Scorer, sig: &Signals<'_>, status: &str) {
    use CauseId::*;
    let server = sig.server.unwrap_or("");
    let kind = sig.origin_kind.unwrap_or(OriginKind::Other);
    let value = if server.is_empty() {
        kind.label().to_string()
    } else {
        format!("Server: {server}")
    };
    let note = format!(
        "the origin ({}) answered {status} itself and CloudFront relayed it",
        kind.label()
    );
    let w = match sig.status {
        Some(503) => STRONG,
        Some(504) => MODERATE,
        _ => MODERATE,
    };
    sc.for_(OriginOverloaded, names::SERVER, &value, w, &note);
    if sig.status == Some(504) {
        sc.for_(
            OriginTimeout,
            names::SERVER,
            &value,
            MODERATE,
            "the origin itself answered 504: something behind it timed out",
        );
    }
    match (sig.origin_phrase, sig.xml_code) {
        (_, Some(code)) if code == "SlowDown" || code == "ServiceUnavailable" => {
            sc.for_(OriginOverloaded, names::XML_CODE, code, DECISIVE, "Amazon S3 asks the client to slow down: the request rate on the prefix is too high");
        }
        (Some(p), _) => {
            let note = match p {
                OriginPhrase::ServiceTemporarilyUnavailable
                    if kind == OriginKind::ApplicationLoadBalancer =>
                {
                    "the Application Load Balancer's own 503 page: no registered or healthy targets"
                }
                OriginPhrase::EnvoyNoHealthyUpstream => {
                    "Envoy has no healthy endpoint for the cluster"
                }
                OriginPhrase::ClassicElbAtCapacity => {
                    "the Classic Load Balancer's back ends are at capacity"
                }
                _ => "the origin's own error page",
            };
            sc.for_(OriginOverloaded, names::PAGE, p.text(), STRONG, note);
        }
        _ => {}
    }
    let against = "the origin answered, so CloudFront resolved and reached it";
    sc.against(OriginDns, names::SERVER, &value, DECISIVE, against);
    sc.against(OriginConnect, names::SERVER, &value, DECISIVE, against);
    sc.against(OriginTls, names::SERVER, &value, DECISIVE, against);
    sc.against(
        EdgeCapacity,
        names::SERVER,
        &value,
        STRONG,
        "the edge location forwarded the request to the origin",
    );
}

fn cloudfront_generated_unexplained(sc: &mut Scorer, sig: &Signals<'_>, status: Option<u16>) {
    use CauseId::*;
    let strong_page = sig.cloudfront.error_page;
    let (signal, value) = if strong_page {
        (names::PAGE, "Generated by cloudfront (CloudFront)")
    } else {
        (names::SERVER, "Server: CloudFront")
    };
    // Without CloudFront's page, `Server: CloudFront` may only mean the origin sent no Server.
    let scale = if strong_page { 1.0 } else { 0.7 };
    match status {
        Some(503) => {
            sc.for_(EdgeCapacity, signal, value, MODERATE * scale, "CloudFront answered 503 itself with no edge-function marker: an edge location without capacity does this");
            sc.for_(OriginMtls, signal, value, WEAK * scale, "failed mutual-TLS handshakes with the origin also make CloudFront answer 503 itself");
            sc.for_(
                CloudFrontQuota,
                signal,
                value,
                FAINT * scale,
                "a quota refusal looks alike without X-Cache",
            );
            sc.for_(
                OriginDns,
                signal,
                value,
                FAINT * scale,
                "before 2019 origin DNS failures were 503",
            );
            if !strong_page {
                sc.for_(
                    OriginOverloaded,
                    signal,
                    value,
                    WEAK,
                    "an origin that sends no Server header shows Server: CloudFront too",
                );
            }
        }
        Some(502) => {
            sc.for_(
                OriginConnect,
                signal,
                value,
                MODERATE * scale,
                "CloudFront answered 502 itself: it got no usable answer from the origin",
            );
            sc.for_(
                OriginTls,
                signal,
                value,
                MODERATE * scale,
                "TLS failures to the origin give a CloudFront 502",
            );
            sc.for_(
                OriginDns,
                signal,
                value,
                MODERATE * scale,
                "origin DNS failures give a CloudFront 502 (OriginDnsError)",
            );
            sc.for_(
                LambdaEdgeInvalid,
                signal,
                value,
                FAINT * scale,
                "Lambda@Edge validation errors are 502 too",
            );
        }
        Some(504) => {
            sc.for_(
                OriginTimeout,
                signal,
                value,
                STRONG * scale,
                "CloudFront answered 504 itself: the origin did not answer in time",
            );
        }
        Some(s) if s >= 500 => {
            sc.for_(
                LambdaEdgeExecution,
                signal,
                value,
                WEAK * scale,
                "older distributions reported Lambda@Edge execution errors as 500",
            );
        }
        _ => {}
    }
}

fn implied_by_result(t: ResultType) -> Option<CauseId> {
    Some(match t {
        ResultType::LambdaExecutionError => CauseId::LambdaEdgeExecution,
        ResultType::LambdaValidationError => CauseId::LambdaEdgeInvalid,
        ResultType::LambdaLimitExceeded => CauseId::LambdaEdgeThrottled,
        ResultType::FunctionExecutionError | ResultType::FunctionThrottledError => {
            CauseId::CloudFrontFunctionError
        }
        ResultType::LimitExceeded => CauseId::CloudFrontQuota,
        ResultType::CapacityExceeded => CauseId::EdgeCapacity,
        _ => return None,
    })
}

fn implied_by_phrase(p: CfPhrase) -> Option<CauseId> {
    Some(match p {
        CfPhrase::LambdaInvalidOrNoPermission => CauseId::LambdaEdgeExecution,
        CfPhrase::LambdaThrottled => CauseId::LambdaEdgeThrottled,
        CfPhrase::FunctionCouldNotRun => CauseId::CloudFrontFunctionError,
        CfPhrase::LambdaInvalidJson | CfPhrase::LambdaFailedValidation => {
            CauseId::LambdaEdgeInvalid
        }
        _ => return None,
    })
}

/// Evidence → findings with confidences, most likely first.
fn combine(evidence: Vec<(CauseId, Evidence)>, quality: InputQuality) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for (cause, e) in evidence {
        if e.weight <= 0.0 {
            continue;
        }
        match findings.iter_mut().find(|f| f.cause == cause) {
            Some(f) => f.evidence.push(e),
            None => findings.push(Finding {
                cause,
                confidence: 0.0,
                evidence: alloc::vec![e],
                steps: Vec::new(),
            }),
        }
    }
    for f in &mut findings {
        let mut miss = 1.0f32;
        let mut keep = 1.0f32;
        for e in &f.evidence {
            if e.supports {
                miss *= 1.0 - e.weight;
            } else {
                keep *= 1.0 - e.weight;
            }
        }
        let mut c = (1.0 - miss) * keep;
        if quality == InputQuality::Thin {
            c = c.min(THIN_CAP);
        }
        // Two decimals: stable in JSON and across platforms.
        f.confidence = round2(c);
    }
    findings.retain(|f| f.confidence >= 0.05 && f.evidence.iter().any(|e| e.supports));
    for f in &mut findings {
        // Strongest evidence first.
        f.evidence.sort_by(|a, b| {
            b.supports
                .cmp(&a.supports)
                .then(b.weight.total_cmp(&a.weight))
        });
    }
    findings.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.cause.order().cmp(&b.cause.order()))
    });
    findings
}

fn round2(x: f32) -> f32 {
    // Nothing seen from outside is certain: 0.99 at most.
    let x = x.clamp(0.0, 0.99);
    // no_std has no f32::round; confidences are in 0..=1 so truncating x*100+0.5 is exact enough.
    ((x * 100.0 + 0.5) as u32) as f32 / 100.0
}

fn summarise(obs: &Observation, sig: &Signals<'_>) -> Summary {
    let loc = sig.pop.as_ref().and_then(|p| p.location());
    Summary {
        url: obs.url().map(ToString::to_string),
        status: sig.status,
        source: obs.source().map(|s| s.as_str()),
        generated_by: sig.generated_by.as_str(),
        through_cloudfront: sig.through_cloudfront(),
        server: sig.server.map(shorten),
        x_cache: sig.x_cache.map(shorten),
        pop: sig.pop.as_ref().map(|p| shorten(p.raw)),
        pop_code: sig.pop.as_ref().map(|p| p.code_str().to_string()),
        pop_city: loc.map(|l| format!("{}, {}", l.city, l.country)),
        lambda_region: loc.map(|l| l.nearest_region.code),
        lambda_region_name: loc.map(|l| l.nearest_region.name),
        request_id: sig.request_id.map(shorten),
        origin_kind: sig.origin_kind.map(OriginKind::as_str),
        origin_label: sig.origin_kind.map(OriginKind::label),
        page_phrase: sig
            .cf_phrase
            .map(CfPhrase::text)
            .or(sig.origin_phrase.map(OriginPhrase::text)),
        age: sig.age,
        retry_after: sig.retry_after.map(shorten),
        log_result: sig.log_result.map(ResultType::as_str),
        log_detailed_result: sig.log_detailed_result.map(ResultType::as_str),
        timing_dns_ms: sig.server_timing.as_ref().and_then(|s| s.upstream_dns_ms),
        timing_connect_ms: sig
            .server_timing
            .as_ref()
            .and_then(|s| s.upstream_connect_ms),
        timing_upstream_fbl_ms: sig.server_timing.as_ref().and_then(|s| s.upstream_fbl_ms),
        xml_code: sig.xml_code.map(shorten),
        cloudfront_api: sig.api_error.is_some(),
    }
}

/// Values for step templates.
struct Context<'a> {
    pairs: [(&'static str, Option<&'a str>); 6],
    status: Option<String>,
}

impl<'a> Context<'a> {
    fn new(s: &'a Summary) -> Self {
        Self {
            pairs: [
                ("pop", s.pop.as_deref()),
                ("pop_city", s.pop_city.as_deref()),
                ("region", s.lambda_region),
                ("region_name", s.lambda_region_name),
                ("request_id", s.request_id.as_deref()),
                ("server", s.server.as_deref()),
            ],
            status: s.status.map(|v| v.to_string()),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        if name == "status" {
            return self.status.as_deref();
        }
        self.pairs
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| *v)
    }
}

/// Fills `{name}` placeholders; `None` when one has no value.
fn fill(template: &str, ctx: &Context<'_>) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        out.push_str(ctx.get(&rest[open + 1..close])?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn tailored_steps(cause: CauseId, kind: Option<OriginKind>, ctx: &Context<'_>) -> Vec<String> {
    cause
        .info()
        .steps
        .iter()
        .filter(|step| match step.when {
            When::Always => true,
            When::Origin(k) => kind == Some(k),
            When::GenericOrigin => matches!(kind, None | Some(OriginKind::Other)),
        })
        .filter_map(|step| fill(step.text, ctx))
        .collect()
}

/// Fills the `{…}` placeholders of a catalogue text (a cause's meaning) for one diagnosis;
/// placeholders without a value become `?`.
pub fn render_template(template: &str, d: &Diagnosis) -> String {
    let ctx = Context::new(&d.summary);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        out.push_str(ctx.get(&rest[open + 1..close]).unwrap_or("?"));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}
