//! The logs report: per cause, a timeline by minute, per edge location (with its city and the
//! Region where Lambda@Edge logs are), top paths, sample request ids. Terminal text and JSON
//! (schema `cf503.logs_report`, version [`LOGS_SCHEMA_VERSION`]).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::Value;

use super::{md_code, md_prose, md_text, printable, to_pretty, wire};
use crate::causes::{CauseId, LogsSteps};
use crate::logs::ErrorTimeline;
use crate::logs::{CauseCounts, Minute, Summary};
use crate::pops::PopId;
use crate::prose::{Part, Prose};

/// Version of `cf503.logs_report`.
pub const LOGS_SCHEMA_VERSION: u32 = 3;

/// Paths listed, at most.
const TOP_PATHS: usize = 10;
/// Timeline rows drawn in text and Markdown, at most: past that, the incident window, coarsened
/// to fit if need be (the JSON has every bucket the summary holds).
const TIMELINE_ROWS: usize = 180;
/// Width of the longest timeline bar, in characters.
const BAR_WIDTH: u64 = 50;
/// Edge locations listed in text and Markdown (the JSON has all).
const TOP_POPS: usize = 15;

fn causes_by_count(s: &Summary) -> Vec<(CauseId, u64)> {
    let mut v: Vec<(CauseId, u64)> = s.by_cause.iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.order().cmp(&b.0.order())));
    v
}

fn pop_info(pop: &str) -> (Option<String>, Option<&'static str>) {
    match PopId::parse(pop).and_then(|p| p.location()) {
        Some(l) => (
            Some(format!("{}, {}", l.city, l.country)),
            Some(l.nearest_region.code),
        ),
        None => (None, None),
    }
}

/// Sorted by count, most first; ties by key.
fn most_first<K: Ord>(mut v: Vec<(K, u64)>) -> Vec<(K, u64)> {
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Edge locations by errors, most first.
fn pops_by_count(s: &Summary) -> Vec<(&str, u64)> {
    most_first(s.by_pop.iter().map(|(p, c)| (p, c.total())).collect())
}

/// The Regions where a cause's Lambda@Edge logs are (the Region nearest each edge location that
/// logged it), most errors first.
fn regions_of(s: &Summary, cause: CauseId) -> Vec<&'static str> {
    let mut by_region: BTreeMap<&'static str, u64> = BTreeMap::new();
    for (pop, counts) in s.by_pop.iter() {
        if let (Some(n), (_, Some(region))) = (counts.get(cause), pop_info(pop)) {
            *by_region.entry(region).or_default() += n;
        }
    }
    most_first(by_region.into_iter().collect())
        .into_iter()
        .map(|(r, _)| r)
        .collect()
}

fn pops_of(s: &Summary, cause: CauseId) -> Vec<&str> {
    most_first(
        s.by_pop
            .iter()
            .filter_map(|(p, c)| c.get(cause).map(|n| (p, n)))
            .collect(),
    )
    .into_iter()
    .map(|(p, _)| p)
    .take(TOP_POPS)
    .collect()
}

/// Whether a value from a log may stand inside a suggested shell command: a plain token of the
/// characters CloudFront's request ids and edge locations are made of. Anything else (a quote,
/// a space, `$`, a back-tick) is left out of the command (audit V2).
fn plain_token(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= crate::logs::REQUEST_ID_BYTES
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=' | b'.'))
}

/// Milliseconds as seconds with three decimals (as CloudFront logs `time-taken`).
fn seconds(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

/// How long a cause's errors took (`time-taken`), in a sentence; `None` when the logs have no
/// such field.
fn time_taken_line(s: &Summary, cause: CauseId) -> Option<String> {
    let l = s.time_taken.get(cause)?;
    let q = |per_mille| l.quantile_ms(per_mille).map(seconds).unwrap_or_default();
    let precision = crate::logs::latency::PRECISION_PERCENT;
    Some(match l.count() {
        0 => return None,
        1 => format!("Time taken: {}", seconds(l.max_ms())),
        // Too few for the tail percentiles to mean anything.
        n if n < 20 => format!(
            "Time taken: median {}, longest {} ({n} errors; the median within {precision} %)",
            q(500),
            seconds(l.max_ms())
        ),
        n => format!(
            "Time taken: median {}, 90th percentile {}, 99th {}, longest {} ({n} errors; percentiles within {precision} %)",
            q(500),
            q(900),
            q(990),
            seconds(l.max_ms())
        ),
    })
}

/// The same figures for the JSON, in seconds.
fn time_taken_wire(s: &Summary, cause: CauseId) -> Option<wire::TimeTaken> {
    let l = s.time_taken.get(cause)?;
    // Milliseconds below 2^53 are exact as f64 seconds to the millisecond.
    #[allow(clippy::cast_precision_loss)]
    let secs = |ms: u64| ms as f64 / 1000.0;
    Some(wire::TimeTaken {
        count: l.count(),
        median_s: l.quantile_ms(500).map(secs),
        p90_s: l.quantile_ms(900).map(secs),
        p99_s: l.quantile_ms(990).map(secs),
        max_s: secs(l.max_ms()),
        precision_percent: crate::logs::latency::PRECISION_PERCENT,
    })
}

/// The incident window in words.
fn window_words(s: &Summary) -> String {
    match s.incident_window() {
        Some((from, to, _)) if from == to => format!("{from} UTC"),
        Some((from, to, _)) => format!("{from} to {to} UTC"),
        None => "the logged minutes".to_string(),
    }
}

/// Prose built part by part: catalogue words as text, every value from a log as code (so no
/// front end can take it for markup, a link or a command).
#[derive(Default)]
struct Step(Prose);

impl Step {
    fn text(mut self, t: &str) -> Self {
        self.0.push(Part::Text(t.to_string()));
        self
    }
    fn code(mut self, c: &str) -> Self {
        self.0.push(Part::Code(printable(c, false)));
        self
    }
    /// Values from a log, each in its own code part, separated by commas.
    fn codes<'a>(mut self, values: impl IntoIterator<Item = &'a str>) -> Self {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self = self.text(", ");
            }
            self = self.code(v);
        }
        self
    }
    fn command(mut self, c: String) -> Self {
        self.0.push(Part::Command(c));
        self
    }
}

/// What to do next about each cause, filled from the summary: the window, the Regions whose
/// logs to search, the log groups, the request ids to search for. Values from the logs are
/// code parts; a command holds only cf503's own words, table values (Regions) and a request id
/// that is a plain token; placeholders are in capitals.
pub fn next_steps(s: &Summary, cause: CauseId) -> Vec<Prose> {
    let window = window_words(s);
    let ids: Vec<&str> = s
        .samples
        .get(cause)
        .map(|v| v.iter().map(|(_, id)| id.as_str()).collect())
        .unwrap_or_default();
    let mut steps = Vec::new();
    // Which steps is the catalogue's to say (`Cause::logs`), for every cause: no fallback.
    match cause.info().logs {
        LogsSteps::EdgeFunctionLogs { throttled } => {
            let regions = regions_of(s, cause);
            let first_region = regions.first().copied().unwrap_or("REGION");
            if !regions.is_empty() {
                steps.push(
                    Step::default()
                        .text("Lambda@Edge logs are in the Region nearest each edge location: search ")
                        .codes(regions.iter().copied())
                        .text(" (log group ")
                        .code("/aws/lambda/us-east-1.FUNCTION_NAME")
                        .text(" in each).")
                        .0,
                );
            }
            // Each Region has its own metrics and concurrency quota: with errors in several,
            // the step names them all (most first), not the first alone.
            let metrics_in = if regions.len() > 1 {
                format!("in each Region above, first {first_region} (the most of these errors),")
            } else {
                format!("in {first_region}")
            };
            if throttled {
                steps.push(
                    Step::default()
                        .text(&format!("Look at the function's Throttles and ConcurrentExecutions metrics {metrics_in} for {window}; raise the concurrency quota where it was reached: "))
                        .command(format!("aws service-quotas list-service-quotas --service-code lambda --region {first_region}"))
                        .0,
                );
            } else {
                let (pattern, note) = match ids.first() {
                    Some(id) if plain_token(id) => ((*id).to_string(), None),
                    Some(_) => (
                        "REQUEST_ID".to_string(),
                        Some(
                            " (use the earliest request id shown above: it is not a plain CloudFront id, so it is not put into a command)",
                        ),
                    ),
                    None => ("REQUEST_ID".to_string(), None),
                };
                let mut step = Step::default()
                    .text("CloudFront writes the function's errors to ")
                    .code("/aws/cloudfront/LambdaEdge/DISTRIBUTION_ID")
                    .text(match regions.len() {
                        0 => " in the Region nearest the edge location: ",
                        1 => " in the same Region: ",
                        _ => " in the same Regions (here the one with the most): ",
                    })
                    .command(format!("aws logs filter-log-events --region {first_region} --log-group-name /aws/cloudfront/LambdaEdge/DISTRIBUTION_ID --filter-pattern '\"{pattern}\"'"));
                if let Some(note) = note {
                    step = step.text(note);
                }
                steps.push(step.0);
            }
        }
        LogsSteps::FunctionLogsInUsEast1 => {
            steps.push(
                Step::default()
                    .text("CloudFront Functions log to us-east-1: ")
                    .command("aws logs filter-log-events --region us-east-1 --log-group-name /aws/cloudfront/function/FUNCTION_NAME --start-time START_MS".to_string())
                    .text(&format!(", for {window}."))
                    .0,
            );
            steps.push(Prose::text(format!(
                "Look at FunctionExecutionErrors, FunctionValidationErrors and FunctionThrottles (us-east-1, namespace AWS/CloudFront) for {window}: a throttle can outlive the fix by minutes."
            )));
        }
        LogsSteps::AwsSupport => {
            let pops = pops_of(s, cause);
            let mut step = Step::default()
                .text("Give AWS Support the edge locations (")
                .codes(pops.iter().copied())
                .text(&format!("), the window ({window})"));
            if !ids.is_empty() {
                step = step
                    .text(" and the request ids (")
                    .codes(ids.iter().copied())
                    .text(")");
            }
            steps.push(step.text(".").0);
        }
        LogsSteps::OriginDns => {
            steps.push(
                Step::default()
                    .text(
                        "Ask every name server of the origin's domain for it, as CloudFront does: ",
                    )
                    .command("cf503 dns ORIGIN_DOMAIN".to_string())
                    .text(&format!(" (errors {window})."))
                    .0,
            );
        }
        LogsSteps::OriginLogs => {
            let mut step = Step::default().text(&format!(
                "Read the origin's own logs and metrics for {window}"
            ));
            if !ids.is_empty() {
                step = step
                    .text("; CloudFront's request ids (")
                    .codes(ids.iter().copied())
                    .text(") are in the ")
                    .code("X-Amz-Cf-Id")
                    .text(" header the origin received");
            }
            steps.push(step.text(".").0);
        }
    }
    if cause == CauseId::OriginOverloaded && s.replayed > 0 {
        steps.push(Prose::text(format!(
            "{} of the {} errors whose fields say were replayed from CloudFront's error cache (the origin was not asked): the origin failed less often than the count shows; the cache time is the behaviour's Error caching minimum TTL (10 s by default).",
            s.replayed, s.origin_errors_known
        )));
    }
    steps
}

/// A bucket width in words: `minute`, `10 minutes`, `hour`, `day`, `week`, `N days`.
fn width_words(minutes: i64) -> String {
    match minutes {
        1 => "minute".into(),
        60 => "hour".into(),
        1_440 => "day".into(),
        10_080 => "week".into(),
        m if m % 1_440 == 0 => format!("{} days", m / 1_440),
        m => format!("{m} minutes"),
    }
}

/// The timeline that text and Markdown draw: every bucket when they fit in
/// [`TIMELINE_ROWS`]; else the incident window with ten buckets around it, coarsened until it
/// fits. The second value says what was left out, when anything was.
fn shown_timeline(s: &Summary) -> (ErrorTimeline, Option<String>) {
    let t = &s.timeline;
    if t.len() <= TIMELINE_ROWS {
        return (t.clone(), None);
    }
    let around = match s.incident_window() {
        Some((from, to, _)) => {
            let margin = t.width().saturating_mul(10);
            t.between(
                Minute(from.0.saturating_sub(margin)),
                Minute(to.0.saturating_add(margin)),
            )
        }
        None => t.clone(),
    };
    let shown = around.at_most(TIMELINE_ROWS);
    let note = format!(
        "the incident window and ten {}s around it{}; the JSON report has the whole timeline",
        width_words(t.width()),
        if shown.width() > t.width() {
            format!(", a bar a {}", width_words(shown.width()))
        } else {
            String::new()
        }
    );
    (shown, Some(note))
}

/// What every logs report lists, decided once: the edge locations and the timeline rows that
/// text, Markdown and the web page show (the JSON keeps every edge location and bucket the
/// summary holds besides, for tools).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LogsView {
    /// The edge locations listed, most errors first (at most [`TOP_POPS`]).
    pub edge_locations: Vec<EdgeRow>,
    /// Edge locations with errors that are not listed.
    pub edge_locations_not_listed: usize,
    /// The sentence that says so, when there are.
    pub edge_locations_note: Option<String>,
    /// The timeline as drawn.
    pub timeline: TimelineView,
}

/// One listed edge location.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EdgeRow {
    /// As logged (control characters replaced).
    pub pop: String,
    /// Its errors.
    pub errors: u64,
    /// Its city and country, when the code is known.
    pub location: Option<String>,
    /// The Region where its Lambda@Edge logs are, when known.
    pub lambda_edge_region: Option<&'static str>,
}

/// The timeline rows drawn: every bucket when they fit in [`TIMELINE_ROWS`]; else the incident
/// window with ten buckets around it, coarsened until it fits.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineView {
    /// A row's width, in minutes.
    pub bucket_minutes: i64,
    /// The width in words (`minute`, `10 minutes`, `day`).
    pub bucket_words: String,
    /// What was left out, when anything was.
    pub note: Option<String>,
    /// The rows, oldest first.
    pub rows: Vec<TimelineRow>,
}

/// One timeline row.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineRow {
    /// Its first minute (UTC, `2026-11-26 05:01`).
    pub from: String,
    /// Its errors.
    pub errors: u64,
    /// Its errors per cause, in the report's cause order (most errors first).
    pub by_cause: Vec<(CauseId, u64)>,
}

impl LogsView {
    /// The view of a summary.
    pub fn of(s: &Summary) -> Self {
        let pops = pops_by_count(s);
        let edge_locations = pops
            .iter()
            .take(TOP_POPS)
            .map(|(p, n)| {
                let (location, lambda_edge_region) = pop_info(p);
                EdgeRow {
                    pop: printable(p, false),
                    errors: *n,
                    location,
                    lambda_edge_region,
                }
            })
            .collect();
        let causes: Vec<CauseId> = causes_by_count(s).into_iter().map(|(c, _)| c).collect();
        let (shown, note) = shown_timeline(s);
        let rows = shown
            .buckets()
            .map(|(m, counts)| TimelineRow {
                from: m.to_string(),
                errors: counts.total(),
                by_cause: causes
                    .iter()
                    .filter_map(|c| counts.get(*c).map(|n| (*c, n)))
                    .collect(),
            })
            .collect();
        let not_listed = pops.len().saturating_sub(TOP_POPS);
        LogsView {
            edge_locations_not_listed: not_listed,
            edge_locations_note: (not_listed > 0).then(|| {
                format!("{not_listed} more edge locations with errors are in the JSON report")
            }),
            edge_locations,
            timeline: TimelineView {
                bucket_minutes: shown.width(),
                bucket_words: width_words(shown.width()),
                note,
                rows,
            },
        }
    }
}

/// The logs report as its wire type (schema `cf503.logs_report`).
pub fn logs_report(s: &Summary, files: usize) -> wire::LogsReport {
    let window = s.incident_window();
    let counts = |counts: &CauseCounts| {
        counts
            .iter()
            .map(|(c, n)| (c.as_str(), n))
            .collect::<BTreeMap<_, _>>()
    };
    let pops = pops_by_count(s);
    let pop_counts: BTreeMap<&str, &CauseCounts> = s.by_pop.iter().collect();
    wire::LogsReport {
        schema: "cf503.logs_report",
        schema_version: LOGS_SCHEMA_VERSION,
        files,
        summary_lines: summary_lines(s, files),
        records: s.records,
        outside_window: s.outside_window,
        errors: s.errors,
        skipped_lines: s.skipped,
        skipped_at: s
            .skipped_at
            .iter()
            .map(|k| wire::SkippedAt {
                file: file_name(&k.source),
                line: k.line,
            })
            .collect(),
        not_log_files: s.not_logs.files,
        not_log_files_first: s.not_logs.first.iter().map(|f| file_name(f)).collect(),
        first_error_minute: s.first_minute().map(|m| m.to_string()),
        last_error_minute: s.last_minute().map(|m| m.to_string()),
        timeline_bucket_minutes: s.timeline.width(),
        incident_window: window.map(|(from, to, peak)| wire::IncidentWindow {
            from: from.to_string(),
            to: to.to_string(),
            peak,
            bucket_minutes: s.timeline.width(),
        }),
        replayed_from_error_cache: s.replayed,
        origin_errors_with_origin_timing: s.origin_errors_known,
        by_status: s
            .by_status
            .iter()
            .map(|(status, count)| wire::StatusCount {
                status: *status,
                count: *count,
            })
            .collect(),
        by_cause: causes_by_count(s)
            .iter()
            .map(|(c, n)| wire::LogsCause {
                cause: *c,
                title: c.info().title,
                colour: c.colour(),
                count: *n,
                sample_request_ids: s
                    .samples
                    .get(*c)
                    .map(|v| v.iter().map(|(_, id)| printable(id, false)).collect())
                    .unwrap_or_default(),
                lambda_edge_regions: regions_of(s, *c),
                time_taken: time_taken_wire(s, *c),
                time_taken_line: time_taken_line(s, *c),
                next_steps: next_steps(s, *c),
            })
            .collect(),
        timeline: s
            .timeline
            .buckets()
            .map(|(m, c)| wire::TimelineBucket {
                minute: m.to_string(),
                counts: counts(c),
            })
            .collect(),
        edge_locations: pops
            .iter()
            .map(|(p, _)| {
                let (location, lambda_edge_region) = pop_info(p);
                wire::EdgeLocation {
                    pop: printable(p, false),
                    location,
                    lambda_edge_region,
                    counts: pop_counts.get(p).map(|c| counts(c)).unwrap_or_default(),
                }
            })
            .collect(),
        edge_locations_distinct: s.by_pop.distinct(),
        other_edge_locations: s.by_pop.other().total(),
        top_paths: s
            .top_paths(TOP_PATHS)
            .iter()
            .map(|(p, n)| wire::PathCount {
                path: printable(&crate::redact::text(p), false),
                count: *n,
            })
            .collect(),
        paths_distinct: s.by_path.distinct(),
        paths_sampled: s.by_path.saturated(),
        other_paths: *s.by_path.other(),
        view: LogsView::of(s),
    }
}

/// The logs report as JSON.
pub fn logs_json_value(s: &Summary, files: usize) -> Value {
    wire::value(&logs_report(s, files))
}

/// Pretty JSON text.
pub fn logs_json(s: &Summary, files: usize) -> String {
    to_pretty(&logs_json_value(s, files))
}

/// A file's name as a report shows it: redacted like a URL (a log downloaded from a presigned
/// URL keeps its query in its name: audit LS4) and with control characters replaced.
pub fn file_name(name: &str) -> String {
    crate::redact::for_terminal(name)
}

/// The warning for a gzip stream that ends early or is damaged (`why`): what arrived counts.
/// One sentence for the CLI and the page.
pub fn gzip_cut_warning(file: &str, why: &str) -> String {
    format!(
        "{}: the gzip stream ends early or is damaged ({why}); the records before were counted",
        file_name(file)
    )
}

/// The first line: what was read.
fn read_line(s: &Summary, files: usize) -> Prose {
    let mut o = Step::default().text(&format!(
        "{files} file(s), {} records, {} errors",
        s.records, s.errors
    ));
    if s.outside_window > 0 {
        o = o.text(&format!(
            ", {} records outside --since/--until",
            s.outside_window
        ));
    }
    if s.skipped > 0 {
        o = o.text(&format!(
            ", {} lines skipped (not records of the file's fields",
            s.skipped
        ));
        if !s.skipped_at.is_empty() {
            o = o.text("; first at ");
            let at: Vec<String> = s
                .skipped_at
                .iter()
                .map(|k| format!("{}:{}", file_name(&k.source), k.line))
                .collect();
            o = o.codes(at.iter().map(String::as_str));
        }
        o = o.text(")");
    }
    if s.not_logs.files > 0 {
        // Named, not counted as skipped lines: a README beside the logs is no damaged log.
        o = o.text(&format!(
            "; {} of the files held no record of a known log format and were left out: ",
            s.not_logs.files
        ));
        let named: Vec<String> = s.not_logs.first.iter().map(|f| file_name(f)).collect();
        o = o.codes(named.iter().map(String::as_str));
        let more = s.not_logs.files.saturating_sub(named.len() as u64);
        if more > 0 {
            o = o.text(&format!(" and {more} more"));
        }
    }
    o.0
}

/// The sentences a report opens with: what was read, then when the errors were (or that none
/// matched), and what was counted together past the summary's bounds. The text, Markdown and
/// the web page all start with them.
fn summary_prose(s: &Summary, files: usize) -> Vec<Prose> {
    let mut v = alloc::vec![read_line(s, files)];
    if s.errors == 0 {
        v.push(Prose::text(NO_ERRORS));
        return v;
    }
    if let (Some(a), Some(b)) = (s.first_minute(), s.last_minute()) {
        v.push(Prose::text(format!("Errors from {a} to {b} (UTC)")));
    }
    if let Some((from, to, peak)) = s.incident_window() {
        v.push(Prose::text(format!(
            "Incident window: {from} to {to}, peak {peak} errors a {}",
            width_words(s.timeline.width())
        )));
    }
    if s.timeline.width() > 1 {
        v.push(Prose::text(format!(
            "The errors fall in more than {} distinct minutes: the timeline counts them a {} at a time.",
            crate::logs::TIMELINE_BUCKETS,
            width_words(s.timeline.width())
        )));
    }
    if s.by_pop.saturated() {
        v.push(Prose::text(format!(
            "More than {} distinct edge locations (about {}, an estimate within ±{} %; CloudFront has about 600): {} errors are counted under other edge locations.",
            crate::logs::MAX_POPS,
            s.by_pop.distinct(),
            s.by_pop.distinct_error_percent(),
            s.by_pop.other().total()
        )));
    }
    if s.by_path.saturated() {
        v.push(Prose::text(format!(
            "More than {} distinct paths (about {}, an estimate within ±{} %): the top paths are the most failing of a sample of {} paths, chosen the same way on every run, with exact counts; {} errors are on paths outside the sample.",
            crate::logs::MAX_PATHS,
            s.by_path.distinct(),
            s.by_path.distinct_error_percent(),
            s.by_path.len(),
            s.by_path.other()
        )));
    }
    v
}

/// [`summary_prose`] as plain sentences (the JSON's `summary_lines`).
fn summary_lines(s: &Summary, files: usize) -> Vec<String> {
    summary_prose(s, files).iter().map(Prose::plain).collect()
}

const NO_ERRORS: &str = "No error matched the status filter.";

/// Terminal text, with a timeline.
pub fn logs_text(s: &Summary, files: usize) -> String {
    let mut o = String::new();
    for line in summary_lines(s, files) {
        let _ = writeln!(o, "{}", printable(&line, false));
    }
    if s.errors == 0 {
        return o;
    }
    let _ = writeln!(o, "\nBy cause:");
    for (c, n) in causes_by_count(s) {
        let _ = writeln!(o, "  {n:>8}  {:<26} {}", c.as_str(), c.info().title);
        if let Some(ids) = s.samples.get(c) {
            let ids: Vec<&str> = ids.iter().map(|(_, id)| id.as_str()).collect();
            let _ = writeln!(
                o,
                "            e.g. request ids {}",
                printable(&ids.join(", "), false)
            );
        }
        if let Some(line) = time_taken_line(s, c) {
            let _ = writeln!(o, "            {line}");
        }
        for step in next_steps(s, c) {
            let _ = writeln!(o, "            - {}", printable(&step.to_string(), false));
        }
    }
    let view = LogsView::of(s);
    let _ = writeln!(o, "\nBy edge location:");
    for p in &view.edge_locations {
        let _ = writeln!(
            o,
            "  {:>8}  {:<12} {}{}",
            p.errors,
            p.pop,
            p.location.as_deref().unwrap_or_default(),
            p.lambda_edge_region
                .map(|r| format!(" (Lambda@Edge logs: {r})"))
                .unwrap_or_default()
        );
    }
    if let Some(note) = &view.edge_locations_note {
        let _ = writeln!(o, "  ({note})");
    }
    let paths = s.top_paths(TOP_PATHS);
    if !paths.is_empty() {
        let _ = writeln!(o, "\nTop paths:");
        for (p, n) in paths {
            let _ = writeln!(o, "  {n:>8}  {}", printable(&crate::redact::text(p), false));
        }
    }
    timeline(s, &view.timeline, &mut o);
    o
}

/// The timeline: one bar a row, a letter per cause (the legend says which).
fn timeline(s: &Summary, t: &TimelineView, o: &mut String) {
    let causes: Vec<CauseId> = causes_by_count(s).into_iter().map(|(c, _)| c).collect();
    let letter = |c: &CauseId| {
        let i = causes.iter().position(|x| x == c).unwrap_or(0);
        char::from(b'A' + u8::try_from(i % 26).unwrap_or(0))
    };
    let peak = t.rows.iter().map(|r| r.errors).max().unwrap_or(1);
    let _ = writeln!(o, "\nTimeline (UTC, a bar a {}):", t.bucket_words);
    for c in &causes {
        let _ = writeln!(o, "  {} = {}", letter(c), c.as_str());
    }
    if let Some(note) = &t.note {
        let _ = writeln!(o, "  ({note})");
    }
    for row in &t.rows {
        let mut bar = String::new();
        for (c, n) in &row.by_cause {
            let width = usize::try_from(
                (u128::from(*n) * u128::from(BAR_WIDTH)).div_ceil(u128::from(peak.max(1))),
            )
            .unwrap_or(0);
            bar.extend(core::iter::repeat_n(letter(c), width));
        }
        let _ = writeln!(o, "  {}  {:>6}  {bar}", row.from, row.errors);
    }
}

/// Markdown, for a ticket or a post-mortem: the same figures as the text, in tables. Every
/// value from a log is a code span; prose is escaped (no link, image or HTML can come from a
/// log: audit M4).
pub fn logs_markdown(s: &Summary, files: usize) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## CloudFront logs: errors by cause\n");
    let mut lines = summary_prose(s, files).into_iter();
    let _ = writeln!(o, "{}\n", md_prose(&lines.next().unwrap_or_default()));
    if s.errors == 0 {
        let _ = writeln!(o, "{NO_ERRORS}");
        return o;
    }
    for line in lines {
        let _ = writeln!(o, "- {}", md_prose(&line));
    }
    let _ = writeln!(
        o,
        "\n| Errors | Cause | Request ids (earliest) |\n|---:|---|---|"
    );
    for (c, n) in causes_by_count(s) {
        let ids: Vec<String> = s
            .samples
            .get(c)
            .map(|v| v.iter().map(|(_, id)| md_code(id)).collect())
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| {n} | {} ({}) | {} |",
            md_text(c.info().title),
            md_code(c.as_str()),
            ids.join(" ")
        );
    }
    let _ = writeln!(o, "\n### Next steps\n");
    for (c, _) in causes_by_count(s) {
        let _ = writeln!(o, "**{}**\n", md_text(c.info().title));
        if let Some(line) = time_taken_line(s, c) {
            let _ = writeln!(o, "{}\n", md_text(&line));
        }
        for step in next_steps(s, c) {
            let _ = writeln!(o, "- {}", md_prose(&step));
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "### Edge locations\n\n| Errors | Edge location | City | Lambda@Edge logs in |\n|---:|---|---|---|"
    );
    let view = LogsView::of(s);
    for p in &view.edge_locations {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            p.errors,
            md_code(&p.pop),
            md_text(p.location.as_deref().unwrap_or_default()),
            p.lambda_edge_region.unwrap_or("")
        );
    }
    if let Some(note) = &view.edge_locations_note {
        let _ = writeln!(o, "\n{}", md_text(note));
    }
    let paths = s.top_paths(TOP_PATHS);
    if !paths.is_empty() {
        let _ = writeln!(o, "\n### Top paths\n\n| Errors | Path |\n|---:|---|");
        for (p, n) in paths {
            let _ = writeln!(o, "| {n} | {} |", md_code(&crate::redact::text(p)));
        }
    }
    let t = &view.timeline;
    let _ = writeln!(o, "\n### Timeline (UTC, a row a {})\n", t.bucket_words);
    if let Some(note) = &t.note {
        let _ = writeln!(o, "{}\n", md_text(note));
    }
    let _ = writeln!(o, "| From | Errors | By cause |\n|---|---:|---|");
    for row in &t.rows {
        let parts: Vec<String> = row
            .by_cause
            .iter()
            .map(|(c, n)| format!("{} {n}", c.as_str()))
            .collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            row.from,
            row.errors,
            parts.join(", ")
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::{Delimiter, LogSession, StatusFilter};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// 20 edge locations, errors in 400 distinct minutes (a peak in the middle).
    fn wide() -> Summary {
        let mut log = String::from("#Fields: date time x-edge-location sc-status\n");
        for m in 0..400u32 {
            let n = if (190..200).contains(&m) { 20 } else { 1 };
            for i in 0..n {
                let _ = writeln!(
                    log,
                    "2026-11-26\t{:02}:{:02}:00\tPOP{}-C1\t503",
                    m / 60,
                    m % 60,
                    (m + i) % 20
                );
            }
        }
        let mut s = LogSession::new(&[], Delimiter::Auto, StatusFilter::ServerErrors.into());
        s.begin("f");
        s.feed(log.as_bytes());
        s.finish().unwrap().summary
    }

    /// Text, Markdown and (through the JSON's `view`) the page list the same edge locations and
    /// timeline rows, in the same order: the view decides, the renderers draw.
    #[test]
    fn text_and_markdown_list_what_the_view_lists() {
        let s = wide();
        let view = LogsView::of(&s);
        assert_eq!(view.edge_locations.len(), TOP_POPS);
        assert_eq!(view.edge_locations_not_listed, 5);
        assert!(
            view.timeline.note.is_some(),
            "400 minutes do not fit in 180 rows"
        );
        assert!(view.timeline.rows.len() <= TIMELINE_ROWS);
        let text = logs_text(&s, 1);
        let md = logs_markdown(&s, 1);
        let position = |out: &str, needle: &str| {
            out.find(needle)
                .unwrap_or_else(|| panic!("{needle:?} missing from:\n{out}"))
        };
        for out in [&text, &md] {
            let mut last = 0;
            for p in &view.edge_locations {
                let at = position(out, &p.pop);
                assert!(at > last, "{} out of order", p.pop);
                last = at;
            }
            position(out, view.edge_locations_note.as_deref().unwrap());
            position(out, view.timeline.note.as_deref().unwrap());
            let rows = out
                .lines()
                .filter(|l| {
                    l.trim_start().starts_with("2026-11-26") || l.starts_with("| 2026-11-26")
                })
                .count();
            assert_eq!(rows, view.timeline.rows.len());
        }
        let listed = |out: &str| {
            (0..20)
                .filter(|i| out.contains(&format!("POP{i}-C1")))
                .count()
        };
        assert_eq!((listed(&text), listed(&md)), (TOP_POPS, TOP_POPS));
        assert_eq!(
            logs_json_value(&s, 1)["view"],
            serde_json::to_value(&view).unwrap()
        );
    }

    /// Throttled Lambda@Edge errors at edge locations of two Regions: the metrics step names
    /// each Region (each has its own quota), the Region with the most first; at one Region's
    /// edge locations, that Region alone.
    #[test]
    fn throttled_at_edges_of_several_regions_names_each_region() {
        let steps_for = |pops: &[&str]| -> Vec<String> {
            let mut log =
                String::from("#Fields: date time x-edge-location sc-status x-edge-result-type\n");
            for (i, pop) in pops.iter().enumerate() {
                for _ in 0..=i {
                    let _ = writeln!(log, "2026-11-26\t05:00:00\t{pop}\t503\tLambdaLimitExceeded");
                }
            }
            let mut s = LogSession::new(&[], Delimiter::Auto, StatusFilter::ServerErrors.into());
            s.begin("f");
            s.feed(log.as_bytes());
            let summary = s.finish().unwrap().summary;
            next_steps(&summary, CauseId::LambdaEdgeThrottled)
                .iter()
                .map(Prose::plain)
                .collect()
        };
        // FRA56-P1 is Frankfurt (eu-central-1), IAD89-C1 Washington (us-east-1): two errors at
        // IAD89-C1, one at FRA56-P1.
        let two = steps_for(&["FRA56-P1", "IAD89-C1"]);
        let metrics = two.iter().find(|s| s.contains("Throttles")).unwrap();
        assert!(
            metrics.contains("in each Region above, first us-east-1"),
            "{metrics}"
        );
        let one = steps_for(&["FRA56-P1", "FRA56-P1"]);
        let metrics = one.iter().find(|s| s.contains("Throttles")).unwrap();
        assert!(metrics.contains("metrics in eu-central-1 for"), "{metrics}");
    }
}
