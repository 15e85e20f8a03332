//! Signals → facts → ranked findings.
//!
//! `facts` turns the signals of a response into facts (a result type, a page sentence, an
//! origin's stock body, who answered…); the cited table in [`rules`] says which cause each fact
//! speaks for or against and how strongly; `score` combines the evidence (noisy-OR for, product
//! against; thin input capped); `notes` adds what is true whatever the cause; `steps` fills the
//! catalogue's next steps with what was observed.

mod facts;
mod notes;
pub mod rules;
mod score;
mod steps;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::causes::CauseId;
use crate::dns::{DnsReport, Severity as DnsSeverity};
use crate::observation::Observation;
use crate::prose::{Part, Prose};
use crate::signals::{
    CfPhrase, Generator, OriginKind, OriginPhrase, ResultType, Signals, Through, names,
};

pub use steps::{PLACEHOLDERS, render_template};

/// The most a finding can score when the input is thin.
pub(crate) const THIN_CAP: f32 = 0.25;

/// Evidence values longer than this are cut in reports.
pub const VALUE_DISPLAY_LIMIT: usize = 200;

/// One piece of evidence.
#[derive(Clone, Debug, PartialEq)]
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
pub struct Finding {
    /// The cause.
    pub cause: CauseId,
    /// 0..1.
    pub confidence: f32,
    /// Evidence for and against.
    pub evidence: Vec<Evidence>,
    /// Next steps, tailored to what was observed.
    pub steps: Vec<Prose>,
}

/// How much the input showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
pub struct Note {
    /// Stable id.
    pub id: NoteId,
    /// Text.
    pub text: String,
}

/// The remarks a report can carry, by their stable ids (the `notes[].id` of the JSON, the
/// `data-note` of the page; README lists them: a test keeps that list true).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NoteId {
    /// The error was served from CloudFront's cache (`Age`).
    CachedError,
    /// The response has `Retry-After`.
    RetryAfter,
    /// `X-Cache: Error` on an origin's error.
    XCacheError,
    /// The page sentence and `X-Cache` name different causes.
    Contradiction,
    /// Origin DNS failures are 502 today.
    DnsIs502,
    /// No status line; the page says the status.
    StatusFromPage,
    /// The DNS check could not run (this side's resolver or network).
    DnsCheckFailed,
    /// The origin's name resolves now, beside a logged DNS error.
    DnsResolvesNow,
    /// A result-type name CloudFront does not document.
    UndocumentedResultType,
    /// The origin's own proxy timed out; CloudFront relayed it.
    RelayedProxyTimeout,
    /// More header lines than are read.
    HeadersCapped,
    /// The status is not an error.
    NotAnError,
    /// Rebuilt from a shared link.
    SharedLink,
    /// The page loaded again fine.
    RefetchRecovered,
    /// The page failed again the same way.
    RefetchStillFailing,
    /// The page failed again with another status.
    RefetchOtherStatus,
    /// The page could not be fetched again.
    RefetchFailed,
}

impl NoteId {
    /// Every note, in README's order.
    pub const ALL: &'static [NoteId] = &[
        NoteId::CachedError,
        NoteId::RetryAfter,
        NoteId::XCacheError,
        NoteId::Contradiction,
        NoteId::DnsIs502,
        NoteId::StatusFromPage,
        NoteId::DnsCheckFailed,
        NoteId::DnsResolvesNow,
        NoteId::UndocumentedResultType,
        NoteId::RelayedProxyTimeout,
        NoteId::HeadersCapped,
        NoteId::NotAnError,
        NoteId::SharedLink,
        NoteId::RefetchRecovered,
        NoteId::RefetchStillFailing,
        NoteId::RefetchOtherStatus,
        NoteId::RefetchFailed,
    ];

    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteId::CachedError => "cached_error",
            NoteId::RetryAfter => "retry_after",
            NoteId::XCacheError => "x_cache_error",
            NoteId::Contradiction => "contradiction",
            NoteId::DnsIs502 => "dns_is_502",
            NoteId::StatusFromPage => "status_from_page",
            NoteId::DnsCheckFailed => "dns_check_failed",
            NoteId::DnsResolvesNow => "dns_resolves_now",
            NoteId::UndocumentedResultType => "undocumented_result_type",
            NoteId::RelayedProxyTimeout => "relayed_proxy_timeout",
            NoteId::HeadersCapped => "headers_capped",
            NoteId::NotAnError => "not_an_error",
            NoteId::SharedLink => "shared_link",
            NoteId::RefetchRecovered => "refetch_recovered",
            NoteId::RefetchStillFailing => "refetch_still_failing",
            NoteId::RefetchOtherStatus => "refetch_other_status",
            NoteId::RefetchFailed => "refetch_failed",
        }
    }

    /// Whether it comes from fetching the page again (the extension's re-fetch).
    pub fn is_refetch(self) -> bool {
        matches!(
            self,
            NoteId::RefetchRecovered
                | NoteId::RefetchStillFailing
                | NoteId::RefetchOtherStatus
                | NoteId::RefetchFailed
        )
    }
}

/// In the JSON Schemas: one of the ids.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for NoteId {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "NoteId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let ids: Vec<&str> = NoteId::ALL.iter().map(|n| n.as_str()).collect();
        schemars::json_schema!({"type": "string", "enum": ids})
    }
}

impl serde::Serialize for NoteId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What to add for a surer verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Collect {
    /// The full response headers.
    Headers,
    /// The error page's text.
    Page,
    /// The request's result types from CloudFront's logs.
    Logs,
    /// The origin domain, for the DNS checks.
    Origin,
}

impl Collect {
    /// What to collect, in words (may hold code spans).
    pub fn text(self) -> &'static str {
        match self {
            Collect::Headers => {
                "the full response headers (`curl -si <url>`, or the browser's network panel)"
            }
            Collect::Page => "the text of the error page",
            Collect::Logs => {
                "`x-edge-result-type` and `x-edge-detailed-result-type` for the request id, from CloudFront standard or real-time logs"
            }
            Collect::Origin => {
                "the origin domain (from the distribution's origin settings), for the DNS checks"
            }
        }
    }
}

/// What was observed, in the form reports show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Request URL (redacted).
    pub url: Option<String>,
    /// HTTP status.
    pub status: Option<u16>,
    /// Where the observation came from.
    pub source: Option<crate::observation::Source>,
    /// Who made the response.
    pub generated_by: Generator,
    /// Whether the response passed through CloudFront: yes, no, or the input cannot tell.
    pub through_cloudfront: Through,
    /// What says so.
    pub through_evidence: String,
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
    pub origin_kind: Option<OriginKind>,
    /// Error-page reason line.
    pub page_phrase: Option<&'static str>,
    /// `Age` on the error.
    pub age: Option<u64>,
    /// `Retry-After`.
    pub retry_after: Option<String>,
    /// Pasted log result types.
    pub log_result: Option<ResultType>,
    /// Pasted detailed result type.
    pub log_detailed_result: Option<ResultType>,
    /// The result type `X-Cache` names (its first word).
    pub x_cache_result: Option<ResultType>,
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
    /// Whether the status was read off the page text (no status line was given).
    pub status_from_page: bool,
    /// Whether CloudFront's own error page was seen.
    pub cloudfront_page: bool,
}

impl Default for Summary {
    fn default() -> Self {
        Self {
            url: None,
            status: None,
            source: None,
            generated_by: Generator::Unknown,
            through_cloudfront: Through::Unknown,
            through_evidence: String::new(),
            server: None,
            x_cache: None,
            pop: None,
            pop_code: None,
            pop_city: None,
            lambda_region: None,
            lambda_region_name: None,
            request_id: None,
            origin_kind: None,
            page_phrase: None,
            age: None,
            retry_after: None,
            log_result: None,
            log_detailed_result: None,
            x_cache_result: None,
            timing_dns_ms: None,
            timing_connect_ms: None,
            timing_upstream_fbl_ms: None,
            xml_code: None,
            cloudfront_api: false,
            status_from_page: false,
            cloudfront_page: false,
        }
    }
}

/// The verdict on one response.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    /// What was observed.
    pub summary: Summary,
    /// How much the input showed.
    pub input_quality: InputQuality,
    /// What to collect for a better verdict (empty when nothing is missing).
    pub collect: Vec<Collect>,
    /// Findings, most likely first; never empty.
    pub findings: Vec<Finding>,
    /// Remarks.
    pub notes: Vec<Note>,
    /// The DNS check of the origin, when one ran.
    pub dns: Option<alloc::boxed::Box<DnsReport>>,
    /// What the distribution's config says about this request, when one was given
    /// ([`Diagnosis::join_config`]).
    pub config: Option<alloc::boxed::Box<crate::config::explain::Explained>>,
    /// Several edge locations asked for the same URL, when they were ([`diagnose_with`]).
    pub edges: Option<alloc::boxed::Box<crate::edges::EdgesReport>>,
}

impl Diagnosis {
    /// The most likely finding.
    pub fn top(&self) -> &Finding {
        &self.findings[0]
    }

    /// Joins what the distribution's config says: its facts and risk findings go in the report,
    /// and each finding's steps start with the config's for that cause (the function and its
    /// log group, the origin and a ready command). The ranking does not change: a config says
    /// where a request went, not why it failed.
    pub fn join_config(&mut self, explained: crate::config::explain::Explained) {
        for f in &mut self.findings {
            let extra = explained.steps_for(f.cause);
            if !extra.is_empty() {
                f.steps.splice(0..0, extra.iter().cloned());
            }
        }
        self.collect
            .retain(|c| *c != Collect::Origin || explained.origin_domain.is_none());
        self.config = Some(alloc::boxed::Box::new(explained));
    }

    /// [`crate::config::explain::explain`] of a route, then [`Diagnosis::join_config`].
    pub fn with_route(
        mut self,
        route: &crate::config::routing::Route<'_>,
        form: crate::config::Form,
    ) -> Self {
        let explained = crate::config::explain::explain(route, form, &self.summary);
        self.join_config(explained);
        self
    }
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

/// Diagnoses one observation with what else was checked: the origin's DNS, and several edge
/// locations asked for the same URL (`cf503 check --edges`), whose verdict weighs through the
/// rule table like any fact.
pub fn diagnose_with(
    obs: &Observation,
    dns: Option<&DnsReport>,
    edges: Option<&crate::edges::EdgesReport>,
) -> Diagnosis {
    let sig = Signals::extract(obs);
    diagnose_signals_with(obs, &sig, dns, edges)
}

pub(crate) fn diagnose_signals(
    obs: &Observation,
    sig: &Signals<'_>,
    dns: Option<&DnsReport>,
) -> Diagnosis {
    diagnose_signals_with(obs, sig, dns, None)
}

pub(crate) fn diagnose_signals_with(
    obs: &Observation,
    sig: &Signals<'_>,
    dns: Option<&DnsReport>,
    edges: Option<&crate::edges::EdgesReport>,
) -> Diagnosis {
    use CauseId::*;
    let status = sig.status;
    let observed = facts::collect(sig, dns, edges);
    let quality = quality(sig, &observed);
    let mut evidence = score::evidence(&observed, status);
    let notes = notes::notes(obs, sig, &observed, &evidence);

    let through = sig.through;
    let mut collect = Vec::new();
    if quality != InputQuality::Rich {
        if sig.header_count < 3 {
            collect.push(Collect::Headers);
        }
        if !sig.has_page_text {
            collect.push(Collect::Page);
        }
        if through == Through::Yes && sig.log_detailed_result.is_none() {
            collect.push(Collect::Logs);
        }
    }
    if quality == InputQuality::Thin {
        evidence.extend(score::evidence(
            &[facts::Observed::new(
                rules::Fact::StatusOnly,
                names::STATUS,
                status_text(status),
            )],
            status,
        ));
    }
    let mut findings = score::combine(evidence, quality);
    if findings.is_empty() || quality == InputQuality::Thin {
        findings.insert(0, score::unknown_finding(quality, status));
    }
    if findings[0].cause == Unknown && collect.is_empty() {
        collect.push(Collect::Headers);
    }
    if through != Through::No && findings.iter().take(3).any(|f| f.cause == OriginDns) {
        collect.push(Collect::Origin);
    }

    let summary = summarise(obs, sig);
    let ctx = steps::Context::new(&summary);
    for f in &mut findings {
        f.steps = steps::tailored_steps(f.cause, sig.origin_kind, &ctx);
        if let (CauseId::OriginDns, Some(dns)) = (f.cause, dns) {
            // The DNS check says which server fails and how: first things first.
            let named: Vec<Prose> = dns
                .findings
                .iter()
                .filter(|d| d.severity != DnsSeverity::Info)
                .map(|d| {
                    let mut step = Prose::text("DNS check (");
                    step.push(Part::Code(d.id.as_str().into()));
                    if let Some(server) = &d.server {
                        step.push(Part::Text(", ".into()));
                        step.push(Part::Code(server.clone()));
                    }
                    step.push(Part::Text(format!("): {}", d.summary)));
                    step
                })
                .collect();
            f.steps.splice(0..0, named);
        }
    }
    if dns.is_some() {
        collect.retain(|c| *c != Collect::Origin);
    }
    Diagnosis {
        summary,
        input_quality: quality,
        collect,
        findings,
        notes,
        dns: dns.map(|d| alloc::boxed::Box::new(d.clone())),
        config: None,
        edges: edges.map(|e| alloc::boxed::Box::new(e.clone())),
    }
}

fn status_text(status: Option<u16>) -> String {
    status.map_or_else(|| "none".into(), |s| s.to_string())
}

/// Rich: a decisive fact, or headers and page text. Thin: a status and at most one header.
/// A page text alone is partial, never thin: a recognised page names its cause.
fn quality(sig: &Signals<'_>, observed: &[facts::Observed]) -> InputQuality {
    let decisive = observed.iter().any(|o| {
        rules::rules_for(o.fact, sig.status)
            .any(|r| r.stance == rules::Stance::For && r.weight >= rules::DECISIVE)
    });
    if decisive || (sig.header_count >= 3 && sig.has_page_text) {
        InputQuality::Rich
    } else if sig.header_count <= 1 && !sig.has_page_text {
        InputQuality::Thin
    } else {
        InputQuality::Partial
    }
}

fn summarise(obs: &Observation, sig: &Signals<'_>) -> Summary {
    let loc = sig.pop.as_ref().and_then(super::pops::PopId::location);
    Summary {
        url: obs.url().map(ToString::to_string),
        status: sig.status,
        source: obs.source(),
        generated_by: sig.generated_by,
        through_cloudfront: sig.through,
        through_evidence: sig.through_evidence(),
        server: sig.server.map(score::shorten),
        x_cache: sig.x_cache.map(score::shorten),
        pop: sig.pop.as_ref().map(|p| score::shorten(p.raw)),
        pop_code: sig.pop.as_ref().map(|p| p.code_str().to_string()),
        pop_city: loc.map(|l| format!("{}, {}", l.city, l.country)),
        lambda_region: loc.map(|l| l.nearest_region.code),
        lambda_region_name: loc.map(|l| l.nearest_region.name),
        request_id: sig.request_id.map(score::shorten),
        origin_kind: sig.origin_kind,
        page_phrase: sig
            .cf_phrase
            .map(CfPhrase::text)
            .or(sig.origin_phrase.map(OriginPhrase::text)),
        age: sig.age,
        retry_after: sig.retry_after.map(score::shorten),
        log_result: sig.log_result,
        log_detailed_result: sig.log_detailed_result,
        x_cache_result: sig
            .x_cache
            .and_then(|x| ResultType::parse(x.split_whitespace().next()?)),
        timing_dns_ms: sig.server_timing.as_ref().and_then(|s| s.upstream_dns_ms),
        timing_connect_ms: sig
            .server_timing
            .as_ref()
            .and_then(|s| s.upstream_connect_ms),
        timing_upstream_fbl_ms: sig.server_timing.as_ref().and_then(|s| s.upstream_fbl_ms),
        xml_code: sig.xml_code.map(score::shorten),
        cloudfront_api: sig.api_error.is_some(),
        status_from_page: sig.status_from_page,
        cloudfront_page: sig.cloudfront.error_page,
    }
}
