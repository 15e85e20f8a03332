//! The JSON reports as serde types: each top-level struct here *is* its versioned schema
//! (`cf503.report`, `cf503.har_report`, `cf503.dns_report`, `cf503.logs_report`), as
//! ripgrep's printer keeps its JSON. With the `schema` feature each also derives a JSON Schema;
//! `cargo run -p cf503-core --features schema --example schemas` writes them to `docs/schemas/`
//! (a test keeps those files equal to what these types give, another validates every fixture's
//! output against them). A field added here is a change to the CHANGELOG's contract.
//!
//! The builders fill these types from the domain's; JSON text is written from them through
//! [`serde_json::Value`] (keys sorted, so the bytes do not depend on field order here).

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use super::logs::LogsView;
use super::view::{Confidence, View};
use crate::causes::CauseId;
use crate::diagnose::NoteId;
use crate::prose::Prose;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

// ------------------------------------------------------------------ cf503.report

/// `cf503.report`: one response diagnosed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Report {
    /// `cf503.report`.
    pub schema: &'static str,
    /// [`super::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The diagnosis.
    #[serde(flatten)]
    pub diagnosis: Diagnosis,
}

/// A diagnosis, as `cf503.report` and each entry of `cf503.har_report` carry it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Diagnosis {
    /// The request's URL, redacted.
    pub url: Option<String>,
    /// The HTTP status.
    pub status: Option<u16>,
    /// What the input was (`curl_verbose`, `har`, `page_text`, …).
    pub source: Option<&'static str>,
    /// What every front end shows, decided in the core.
    pub view: View,
    /// The facts observed.
    pub observed: Observed,
    /// `rich`, `partial` or `thin`.
    pub input_quality: &'static str,
    /// What to add for a surer verdict (may hold back-ticked code).
    pub collect: Vec<&'static str>,
    /// Candidate causes, most likely first.
    pub findings: Vec<Finding>,
    /// The origin's DNS check, when one ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsReport>,
    /// Several edge locations asked for the same URL (`check --edges`), when they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edges: Option<crate::edges::EdgesReport>,
    /// Remarks true whatever the cause.
    pub notes: Vec<Note>,
}

/// The facts observed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Observed {
    /// `cloudfront`, `origin` or `unknown`.
    pub generated_by: &'static str,
    /// `yes`, `no` or `unknown`.
    pub through_cloudfront: &'static str,
    /// What says so.
    pub through_cloudfront_evidence: String,
    /// No status line was given; the page states the status.
    pub status_from_page: bool,
    /// `Server`.
    pub server: Option<String>,
    /// `X-Cache`.
    pub x_cache: Option<String>,
    /// The edge location.
    pub pop: Option<Pop>,
    /// `X-Amz-Cf-Id`.
    pub request_id: Option<String>,
    /// The origin's kind (`s3`, `alb`, `nginx`, …).
    pub origin_kind: Option<&'static str>,
    /// The error page's recognised sentence.
    pub page_phrase: Option<&'static str>,
    /// `Age`, seconds.
    pub age: Option<u64>,
    /// `Retry-After`.
    pub retry_after: Option<String>,
    /// Result types from a pasted log record.
    pub log: LogFields,
    /// `Server-Timing` figures.
    pub server_timing: ServerTiming,
}

/// An edge location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Pop {
    /// As written (`FRA56-P1`).
    pub id: String,
    /// Its three-letter code.
    pub code: Option<String>,
    /// City and country.
    pub location: Option<String>,
    /// The Region whose Lambda@Edge logs it writes to.
    pub lambda_edge_region: Option<&'static str>,
    /// That Region's name.
    pub lambda_edge_region_name: Option<&'static str>,
}

/// Result types from a pasted log record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct LogFields {
    /// `x-edge-result-type`.
    pub x_edge_result_type: Option<&'static str>,
    /// `x-edge-detailed-result-type`.
    pub x_edge_detailed_result_type: Option<&'static str>,
}

/// `Server-Timing` figures, ms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct ServerTiming {
    /// `cdn-upstream-dns`.
    pub upstream_dns_ms: Option<u32>,
    /// `cdn-upstream-connect`.
    pub upstream_connect_ms: Option<u32>,
    /// `cdn-upstream-fbl`.
    pub upstream_fbl_ms: Option<u32>,
}

/// One candidate cause.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Finding {
    /// Its id.
    pub cause: &'static str,
    /// Its title.
    pub title: &'static str,
    /// 0 to 1, two decimals.
    pub confidence: Confidence,
    /// What it means here.
    pub meaning: String,
    /// The evidence weighed.
    pub evidence: Vec<Evidence>,
    /// Next steps, code in back-ticks.
    pub steps: Vec<String>,
    /// Documentation links.
    pub docs: &'static [&'static str],
}

/// One piece of evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Evidence {
    /// Which signal.
    pub signal: &'static str,
    /// Its value as observed.
    pub value: String,
    /// For or against the cause.
    pub supports: bool,
    /// 0 to 1, two decimals.
    pub weight: Confidence,
    /// Why it matters.
    pub note: String,
}

/// A remark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Note {
    /// Its stable id.
    pub id: NoteId,
    /// Its text.
    pub text: String,
}

// ------------------------------------------------------------------ cf503.har_report

/// `cf503.har_report`: a HAR file's failing entries, each diagnosed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct HarReport {
    /// `cf503.har_report`.
    pub schema: &'static str,
    /// [`super::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Entries in the file.
    pub total_entries: usize,
    /// Entries reported.
    pub failing_entries: usize,
    /// Entries that could not be read.
    pub unreadable_entries: usize,
    /// Failing entries past the distinct ones kept, counted only.
    pub summarised_entries: usize,
    /// Why the first unreadable entry could not be read.
    pub first_unreadable: Option<String>,
    /// The failing entries.
    pub entries: Vec<HarEntry>,
}

/// One failing entry of a HAR file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct HarEntry {
    /// Its place in the file.
    pub index: usize,
    /// How many entries failed the same way.
    pub repeats: usize,
    /// Those entries' places.
    pub same_as: Vec<usize>,
    /// When it started.
    pub started: Option<String>,
    /// Its diagnosis.
    #[serde(flatten)]
    pub diagnosis: Diagnosis,
}

// ------------------------------------------------------------------ cf503.dns_report

/// `cf503.dns_report`: the origin's DNS, asked as CloudFront asks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct DnsReport {
    /// `cf503.dns_report`.
    pub schema: &'static str,
    /// [`super::DNS_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The name checked.
    pub origin: String,
    /// Its zone apex, by SOA.
    pub apex: Option<String>,
    /// The parent zone.
    pub parent: Option<String>,
    /// The CNAME chain, one link a string.
    pub cname_chain: Vec<String>,
    /// The `*.cloudfront.net` name the chain reaches, if it does.
    pub cloudfront_alias: Option<String>,
    /// Whether the name is an alias of CloudFront, in a sentence.
    pub alias_summary: String,
    /// What a check without direct questions could not see.
    pub scope_note: Option<String>,
    /// The addresses through the resolver.
    pub addresses: Vec<String>,
    /// Whether name servers were asked directly.
    pub direct: bool,
    /// Findings, most severe first.
    pub findings: Vec<DnsFinding>,
    /// The zone's name servers.
    pub servers: Vec<DnsServer>,
    /// Questions through the resolvers.
    pub resolver: Vec<ResolverQuery>,
    /// Queries sent.
    pub queries: usize,
    /// Rounds.
    pub depth: u8,
    /// Wall time, ms.
    pub elapsed_ms: Option<u64>,
    /// The check of the CNAME target's own zone, when it lies elsewhere.
    pub cname_target: Option<Box<DnsReport>>,
}

/// One DNS finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct DnsFinding {
    /// Its stable id.
    pub id: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// `origin` or `check` (the check's own resolver or network: never weighed).
    pub scope: &'static str,
    /// The server it is about.
    pub server: Option<String>,
    /// In a sentence.
    pub summary: String,
    /// What shows it.
    pub evidence: Vec<String>,
}

/// A name server and what it answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct DnsServer {
    /// Its name.
    pub name: String,
    /// Its addresses.
    pub addresses: Vec<String>,
    /// Listed by the zone itself.
    pub in_zone: bool,
    /// Listed by the parent's delegation.
    pub in_parent: bool,
    /// Its answers.
    pub results: Vec<ServerQuery>,
}

/// What every query result shows, whoever was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Query {
    /// The record type asked.
    pub query: &'static str,
    /// What came back, in a word or two.
    pub outcome: String,
    /// The response code.
    pub rcode: Option<String>,
    /// The answers, one record a string.
    pub answers: Vec<String>,
    /// Round trip, ms.
    pub rtt_ms: Option<u64>,
}

/// A question put to a name server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct ServerQuery {
    /// The question and answer.
    #[serde(flatten)]
    pub query: Query,
    /// The address asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Whether the answer was authoritative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aa: Option<bool>,
    /// The zone's SOA serial there.
    pub serial: Option<u32>,
}

/// A question put to a resolver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct ResolverQuery {
    /// The question and answer.
    #[serde(flatten)]
    pub query: Query,
    /// Which resolver (0-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolver: Option<u8>,
    /// Asked with DNSSEC checking off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cd: Option<bool>,
    /// Extended DNS errors.
    pub ede: Vec<String>,
}

// ------------------------------------------------------------------ cf503.logs_report

/// `cf503.logs_report`: access logs' errors by cause.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct LogsReport {
    /// `cf503.logs_report`.
    pub schema: &'static str,
    /// [`super::logs::LOGS_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Files read.
    pub files: usize,
    /// The report's opening sentences.
    pub summary_lines: Vec<String>,
    /// Records read inside the time window.
    pub records: u64,
    /// Records left out by the time window.
    pub outside_window: u64,
    /// Records that passed the status filter.
    pub errors: u64,
    /// Lines skipped.
    pub skipped_lines: u64,
    /// The first skipped lines.
    pub skipped_at: Vec<SkippedAt>,
    /// Files read beside logs that held no record of a known log format (a README in the
    /// folder): left out, their lines not counted in `skipped_lines`.
    pub not_log_files: u64,
    /// The first of them by name (redacted, at most ten).
    pub not_log_files_first: Vec<String>,
    /// The first minute with an error (UTC).
    pub first_error_minute: Option<String>,
    /// The last minute with an error (UTC).
    pub last_error_minute: Option<String>,
    /// The timeline's bucket width.
    pub timeline_bucket_minutes: i64,
    /// The incident: the buckets with at least a quarter of the peak's errors.
    pub incident_window: Option<IncidentWindow>,
    /// Origin errors replayed from CloudFront's error cache.
    pub replayed_from_error_cache: u64,
    /// Origin errors whose fields say whether the origin was asked.
    pub origin_errors_with_origin_timing: u64,
    /// Errors per status.
    pub by_status: Vec<StatusCount>,
    /// Errors per cause, most first.
    pub by_cause: Vec<LogsCause>,
    /// Every bucket the summary holds.
    pub timeline: Vec<TimelineBucket>,
    /// Every edge location the summary holds, most errors first.
    pub edge_locations: Vec<EdgeLocation>,
    /// Distinct edge locations (estimated past the bound).
    pub edge_locations_distinct: u64,
    /// Errors at edge locations not kept.
    pub other_edge_locations: u64,
    /// The paths with most errors.
    pub top_paths: Vec<PathCount>,
    /// Distinct paths (estimated past the bound).
    pub paths_distinct: u64,
    /// Whether the paths are a sample.
    pub paths_sampled: bool,
    /// Errors on paths outside the sample.
    pub other_paths: u64,
    /// What text, Markdown and the page list.
    pub view: LogsView,
}

/// A skipped line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct SkippedAt {
    /// The file, redacted.
    pub file: String,
    /// 1-based.
    pub line: u64,
}

/// The incident window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct IncidentWindow {
    /// First bucket (UTC minute).
    pub from: String,
    /// Last bucket (UTC minute).
    pub to: String,
    /// Errors in the peak bucket.
    pub peak: u64,
    /// The buckets' width.
    pub bucket_minutes: i64,
}

/// Errors of one status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct StatusCount {
    /// The status.
    pub status: u16,
    /// Its errors.
    pub count: u64,
}

/// One cause's errors.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct LogsCause {
    /// The cause.
    pub cause: CauseId,
    /// Its title.
    pub title: &'static str,
    /// Its colour (`#RRGGBB`), the same in every report and chart ([`CauseId::colour`]).
    pub colour: &'static str,
    /// Its errors.
    pub count: u64,
    /// The earliest request ids.
    pub sample_request_ids: Vec<String>,
    /// The Regions of its Lambda@Edge logs, most errors first.
    pub lambda_edge_regions: Vec<&'static str>,
    /// How long its errors took.
    pub time_taken: Option<TimeTaken>,
    /// That, in a sentence.
    pub time_taken_line: Option<String>,
    /// What to do next.
    pub next_steps: Vec<Prose>,
}

/// How long errors took (`time-taken`), seconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct TimeTaken {
    /// Errors with a time.
    pub count: u64,
    /// Median.
    pub median_s: Option<f64>,
    /// 90th percentile.
    pub p90_s: Option<f64>,
    /// 99th percentile.
    pub p99_s: Option<f64>,
    /// Longest (exact).
    pub max_s: f64,
    /// How far off a percentile can be, in percent.
    pub precision_percent: f32,
}

/// A timeline bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct TimelineBucket {
    /// Its first minute (UTC).
    pub minute: String,
    /// Errors per cause.
    pub counts: BTreeMap<&'static str, u64>,
}

/// An edge location's errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct EdgeLocation {
    /// As logged.
    pub pop: String,
    /// City and country.
    pub location: Option<String>,
    /// The Region whose Lambda@Edge logs it writes to.
    pub lambda_edge_region: Option<&'static str>,
    /// Errors per cause.
    pub counts: BTreeMap<&'static str, u64>,
}

/// A path's errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct PathCount {
    /// The path, URL-decoded once and redacted.
    pub path: String,
    /// Its errors.
    pub count: u64,
}

/// The JSON value of a wire type (serialising these types cannot fail: string keys, finite
/// numbers).
pub(crate) fn value<T: Serialize>(wire: &T) -> serde_json::Value {
    serde_json::to_value(wire).unwrap_or(serde_json::Value::Null)
}

/// Each report's JSON Schema (draft 2020-12), by file name, as `docs/schemas/` publishes them.
/// Strict: an object has only the properties listed (`additionalProperties: false`), and each
/// report names its schema and version as constants.
#[cfg(feature = "schema")]
pub fn schemas() -> Vec<(&'static str, String)> {
    use serde_json::{Value, json};
    /// Every object schema with listed properties admits no other.
    fn strict(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                    m.insert("additionalProperties".into(), Value::Bool(false));
                }
                m.values_mut().for_each(strict);
            }
            Value::Array(a) => a.iter_mut().for_each(strict),
            _ => {}
        }
    }
    fn one<T: JsonSchema>(id: &str, version: u32) -> String {
        let mut schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
        strict(&mut schema);
        schema["$id"] = json!(alloc::format!(
            "https://github.com/cf503/cf503/blob/main/docs/schemas/{id}.schema.json"
        ));
        schema["properties"]["schema"] = json!({"const": id});
        schema["properties"]["schema_version"] = json!({"const": version});
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }
    let (report, dns, logs) = (
        super::SCHEMA_VERSION,
        super::DNS_SCHEMA_VERSION,
        super::logs::LOGS_SCHEMA_VERSION,
    );
    alloc::vec![
        (
            "cf503.report.schema.json",
            one::<Report>("cf503.report", report)
        ),
        (
            "cf503.har_report.schema.json",
            one::<HarReport>("cf503.har_report", report)
        ),
        (
            "cf503.dns_report.schema.json",
            one::<DnsReport>("cf503.dns_report", dns)
        ),
        (
            "cf503.logs_report.schema.json",
            one::<LogsReport>("cf503.logs_report", logs)
        ),
        (
            "cf503.edges_report.schema.json",
            one::<crate::edges::EdgesReport>(
                "cf503.edges_report",
                crate::edges::EDGES_SCHEMA_VERSION
            )
        ),
    ]
}
