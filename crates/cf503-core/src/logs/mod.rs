//! CloudFront access logs, read by cause: a sans-IO streaming reader (bytes in, records out,
//! [`reader`]) and a mergeable summary (cause × minute × edge location × path).
//!
//! The reader takes the field list from each file's `#Fields:` line (standard logs, every
//! generation: 18, 26, 33, 35 fields; standard logging v2 in W3C form), from each record's keys
//! (standard logging v2 as JSON lines), or from the caller for records without a header
//! (real-time logs, v2 plain with its chosen delimiter). `-` is empty, paths are URL-decoded
//! once. Lines that do not fit are counted with their line numbers and skipped, never fatal.
//!
//! A record's cause comes from the same evidence rules as a response's `X-Cache` and pasted log
//! fields ([`crate::diagnose::rules`]): status, `x-edge-result-type`,
//! `x-edge-response-result-type` and `x-edge-detailed-result-type` are facts, the rules weigh
//! them, the strongest cause wins. No second mapping.
//!
//! The summary is a commutative monoid: parts read on other threads (or machines) merge into
//! the same totals in any order, sample request ids included (the earliest are kept).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::causes::CauseId;
use crate::diagnose::rules::{self, Fact, Stance};
use crate::signals::ResultType;

pub mod bounded;
pub mod fields;
pub mod gzip;
pub mod latency;
pub mod part;
pub mod reader;
pub mod session;
pub mod time;

pub use bounded::{Blank, CauseCounts, PerCause, Timeline};
pub use fields::Slot;
pub use part::{PartError, SessionPart};
pub use reader::{Delimiter, DelimiterError, Reader, Record, Skipped};
pub use session::{Block, CutShort, Cutter, FileId, LogSession, LogsError, LogsRead, Plan, Tally};
pub use time::Minute;

/// Why a saved real-time log configuration gives no field order.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RealtimeConfigError {
    /// Not JSON at all.
    NotJson(String),
    /// JSON, but no `Fields` list of strings (in `RealtimeLogConfig` or at the top).
    NoFields,
}

impl core::fmt::Display for RealtimeConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            RealtimeConfigError::NotJson(e) => write!(
                f,
                "not JSON ({e}): save it with `aws cloudfront get-realtime-log-config --name NAME > config.json`"
            ),
            RealtimeConfigError::NoFields => f.write_str(
                "no Fields list of strings in it: expected the output of `aws cloudfront get-realtime-log-config` ({\"RealtimeLogConfig\": {\"Fields\": [...]}})",
            ),
        }
    }
}

impl core::error::Error for RealtimeConfigError {}

/// The field order of real-time log records, from a saved `aws cloudfront
/// get-realtime-log-config` answer (the authority for the column order: the API lists the
/// fields in the order they are sent to Kinesis), or from its `RealtimeLogConfig` object alone.
pub fn fields_from_realtime_config(json: &str) -> Result<Vec<String>, RealtimeConfigError> {
    let v: serde_json::Value = serde_json::from_str(json.trim_start_matches('\u{feff}'))
        .map_err(|e| RealtimeConfigError::NotJson(e.to_string()))?;
    let config = v.get("RealtimeLogConfig").unwrap_or(&v);
    let fields = config
        .get("Fields")
        .and_then(serde_json::Value::as_array)
        .ok_or(RealtimeConfigError::NoFields)?;
    let names: Option<Vec<String>> = fields
        .iter()
        .map(|f| f.as_str().map(|s| s.trim().to_string()))
        .collect();
    match names {
        Some(n) if !n.is_empty() && n.iter().all(|s| !s.is_empty()) => Ok(n),
        _ => Err(RealtimeConfigError::NoFields),
    }
}

/// Whether a file's first bytes are a gzip stream's (CloudFront's standard logs are gzip; a
/// folder synced from S3 may hold both).
pub fn is_gzip(prefix: &[u8]) -> bool {
    prefix.starts_with(&[0x1f, 0x8b])
}

/// A field order as a person writes it: names separated by commas (`timestamp,c-ip,…`).
pub fn field_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ToString::to_string)
        .collect()
}

/// A field order given in one box (the web page): a saved `get-realtime-log-config` answer when
/// it is JSON, else a comma-separated list (empty: none).
pub fn fields_from_text(text: &str) -> Result<Vec<String>, RealtimeConfigError> {
    if text.trim_start().starts_with('{') {
        fields_from_realtime_config(text)
    } else {
        Ok(field_list(text))
    }
}

/// The cause of one logged error, from the evidence rules; `None` below 500 (not a 5xx).
pub fn classify(
    status: Option<u16>,
    result: Option<ResultType>,
    response_result: Option<ResultType>,
    detailed: Option<ResultType>,
) -> Option<CauseId> {
    if status.is_none_or(|s| s < 500) {
        return None;
    }
    let facts = [
        result.map(Fact::Result),
        response_result.map(Fact::Result),
        detailed.map(Fact::Detailed),
    ];
    // Strongest supporting row wins; ties go to the catalogue order, as in a diagnosis.
    let mut best: Option<(f32, CauseId)> = None;
    for fact in facts.into_iter().flatten() {
        for r in rules::rules_for(fact, status).filter(|r| r.stance == Stance::For) {
            let better = match best {
                None => true,
                Some((w, c)) => r.weight > w || (r.weight == w && r.cause.order() < c.order()),
            };
            if better {
                best = Some((r.weight, r.cause));
            }
        }
    }
    Some(best.map_or(CauseId::Unknown, |(_, c)| c))
}

/// [`classify`] of a record's result-type names as logged.
pub fn classify_record(r: &Record<'_>) -> Option<CauseId> {
    let [result, response_result, detailed] =
        r.result_types().map(|v| v.and_then(ResultType::parse));
    classify(r.status, result, response_result, detailed)
}

/// Which records the summary counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every 5xx.
    ServerErrors,
    /// This status only.
    Exactly(u16),
}

impl StatusFilter {
    /// `5xx` (or empty: the default) or one server error such as `503`. Other statuses are
    /// refused: the causes are CloudFront's reasons for a 5xx, so a 200 or a 404 counted as an
    /// "error" would be reported as a cause unknown, with advice for a failing origin.
    pub fn parse(s: &str) -> Result<Self, FilterError> {
        match s.trim() {
            "" | "5xx" | "5XX" => Ok(StatusFilter::ServerErrors),
            one => one
                .parse()
                .ok()
                .filter(|n| (500..=599).contains(n))
                .map(StatusFilter::Exactly)
                .ok_or_else(|| FilterError::Status(one.to_string())),
        }
    }

    /// Whether a status passes.
    pub fn admits(self, status: Option<u16>) -> bool {
        match self {
            StatusFilter::ServerErrors => status.is_some_and(|s| s >= 500),
            StatusFilter::Exactly(x) => status == Some(x),
        }
    }
}

/// Why a filter could not be read; `Display` names the setting (`status`, `since`, `until`),
/// the value, and what to give.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// Not `5xx` nor a server error's status.
    Status(String),
    /// Not a UTC time.
    Since(String),
    /// Not a UTC time.
    Until(String),
    /// The window ends before it starts.
    SinceNotBeforeUntil,
}

impl core::fmt::Display for FilterError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        const TIME: &str = "give a UTC time such as 2026-11-26T05:00 or 2026-11-26";
        match self {
            FilterError::Status(v) => write!(
                f,
                "status {v:?}: give 5xx or one server error from 500 to 599, such as 503 (cf503 \
                 names the causes of CloudFront's 5xx; other statuses have none of them)"
            ),
            FilterError::Since(v) => write!(f, "since {v:?}: {TIME}"),
            FilterError::Until(v) => write!(f, "until {v:?}: {TIME}"),
            FilterError::SinceNotBeforeUntil => {
                f.write_str("since must be before until (until is the first second left out)")
            }
        }
    }
}

impl core::error::Error for FilterError {}

/// What the summary counts: a status filter and a time window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Which statuses are errors to break down.
    pub status: StatusFilter,
    /// Records before this second (since the epoch, UTC) are left out.
    pub since: Option<i64>,
    /// Records at or after this second are left out.
    pub until: Option<i64>,
}

impl From<StatusFilter> for Filter {
    fn from(status: StatusFilter) -> Self {
        Filter {
            status,
            since: None,
            until: None,
        }
    }
}

impl Filter {
    /// A filter from what a person types: a status (see [`StatusFilter::parse`]) and a window's
    /// ends (see [`time::parse_instant`]; empty for none).
    pub fn parse(status: &str, since: &str, until: &str) -> Result<Self, FilterError> {
        let status = StatusFilter::parse(status)?;
        let instant = |v: &str, error: fn(String) -> FilterError| {
            if v.trim().is_empty() {
                return Ok(None);
            }
            time::parse_instant(v)
                .map(Some)
                .ok_or_else(|| error(v.to_string()))
        };
        let filter = Filter {
            status,
            since: instant(since, FilterError::Since)?,
            until: instant(until, FilterError::Until)?,
        };
        if let (Some(a), Some(b)) = (filter.since, filter.until)
            && a >= b
        {
            return Err(FilterError::SinceNotBeforeUntil);
        }
        Ok(filter)
    }

    /// Whether a record's time is inside the window (a record without a time is not, once a
    /// window is set: it cannot be placed).
    pub fn in_window(&self, second: Option<i64>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        second
            .is_some_and(|t| self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u))
    }
}

/// Distinct paths counted one by one; past that, a sample of them ([`bounded::Capped`]).
pub const MAX_PATHS: usize = 4_096;
/// A path's bytes kept (longer ones are cut, and counted as one).
pub const PATH_BYTES: usize = 512;
/// Distinct edge locations counted one by one: CloudFront has about 600 (and 13 Regional edge
/// caches), so a real log never reaches it.
pub const MAX_POPS: usize = 1_024;
/// An edge location's bytes kept: CloudFront's codes are about 8 (`IAD89-C1`, `sof50-p2`).
pub const POP_BYTES: usize = 32;
/// Time buckets of the timeline, at most: per minute for errors in up to this many distinct
/// minutes (almost three days of errors every minute), coarser past that.
pub const TIMELINE_BUCKETS: usize = 4_096;
/// Sample request ids kept per cause (for the Lambda@Edge log search).
pub const SAMPLES: usize = 3;
/// A request id's bytes kept: CloudFront's are 56.
pub const REQUEST_ID_BYTES: usize = 128;

/// Errors per edge location (as logged, cut to [`POP_BYTES`]) and cause.
pub type PopCounts = bounded::Capped<CauseCounts, MAX_POPS, POP_BYTES>;
/// Errors per path (URL-decoded once, cut to [`PATH_BYTES`]).
pub type PathCounts = bounded::Capped<u64, MAX_PATHS, PATH_BYTES>;
/// Errors per time bucket and cause.
pub type ErrorTimeline = Timeline<TIMELINE_BUCKETS>;

/// A line that was skipped: the file (as the caller names it) and its line number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkippedLine {
    /// The file.
    pub source: String,
    /// 1-based.
    pub line: u64,
}

/// Files that held no record of a known log format, read beside files that did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotLogs {
    /// How many.
    pub files: u64,
    /// The first of them by name (at most [`NOT_LOGS_NAMED`]).
    pub first: Vec<String>,
}

/// Files named in [`NotLogs::first`], at most.
pub const NOT_LOGS_NAMED: usize = 10;

impl NotLogs {
    /// Counts one in.
    pub fn add(&mut self, name: &str) {
        self.files = self.files.saturating_add(1);
        self.name(name);
    }

    /// Merges another's in: the count adds up, the names kept are the first by name of both.
    pub fn merge(&mut self, other: &NotLogs) {
        self.files = self.files.saturating_add(other.files);
        for name in &other.first {
            self.name(name);
        }
    }

    /// Keeps `name` if it is among the first [`NOT_LOGS_NAMED`] by name.
    fn name(&mut self, name: &str) {
        let at = self.first.partition_point(|n| n.as_str() < name);
        if at < NOT_LOGS_NAMED {
            self.first.insert(at, name.to_string());
            self.first.truncate(NOT_LOGS_NAMED);
        }
    }
}

/// The summary of many records: mergeable (read files in parallel, merge the parts), and
/// bounded in memory whatever the input: every map has a bound on its keys' number and length
/// ([`bounded`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records read (inside the time window).
    pub records: u64,
    /// Records left out by the time window.
    pub outside_window: u64,
    /// Records that passed the status filter.
    pub errors: u64,
    /// Per cause.
    pub by_cause: CauseCounts,
    /// Per UTC minute (or wider bucket, past [`TIMELINE_BUCKETS`]), per cause.
    pub timeline: ErrorTimeline,
    /// Per edge location (as logged), per cause.
    pub by_pop: PopCounts,
    /// Per path (URL-decoded once).
    pub by_path: PathCounts,
    /// Per status.
    pub by_status: BTreeMap<u16, u64>,
    /// How long the errors took (`time-taken`), per cause.
    pub time_taken: PerCause<latency::Latency>,
    /// The earliest request ids per cause, with their second (for the Lambda@Edge log search).
    pub samples: PerCause<Vec<(i64, String)>>,
    /// Uncategorised origin errors whose fields say whether the origin was asked (v2's
    /// `origin-fbl`).
    pub origin_errors_known: u64,
    /// Of those, errors CloudFront replayed from its error cache (the origin was not asked: an
    /// error response is cached for 10 s by default), so the origin failed fewer times.
    pub replayed: u64,
    /// Lines skipped.
    pub skipped: u64,
    /// The first skipped lines, to look at (at most [`reader::SKIPPED_KEPT`]).
    pub skipped_at: Vec<SkippedLine>,
    /// Files read beside logs that held no record of a known format (a README in the folder):
    /// left out, their lines not counted as skipped. Set when a reading ends.
    pub not_logs: NotLogs,
    causes: CauseCache,
}

/// The causes of the result-type combinations seen so far: a log has a handful, and the rules
/// need not be weighed again for each of millions of records. Not part of a summary's value.
#[derive(Clone, Debug, Default)]
struct CauseCache(Vec<(u16, [String; 3], CauseId)>);

impl PartialEq for CauseCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for CauseCache {}

/// Combinations remembered by [`CauseCache`]; past that, records are classified one by one.
const CAUSES_CACHED: usize = 64;

impl CauseCache {
    fn cause(&mut self, r: &Record<'_>) -> CauseId {
        let status = r.status.unwrap_or(0);
        let names = r.result_types().map(Option::unwrap_or_default);
        let hit = self.0.iter().find(|(s, n, _)| {
            *s == status && n[0] == names[0] && n[1] == names[1] && n[2] == names[2]
        });
        if let Some((_, _, cause)) = hit {
            return *cause;
        }
        let cause = classify_record(r).unwrap_or(CauseId::Unknown);
        if self.0.len() < CAUSES_CACHED {
            self.0.push((status, names.map(ToString::to_string), cause));
        }
        cause
    }
}

fn bump<K: Ord>(map: &mut BTreeMap<K, u64>, key: K, n: u64) {
    let x = map.entry(key).or_default();
    *x = x.saturating_add(n);
}

/// Keeps the [`SAMPLES`] earliest `(second, id)`, in order.
fn keep_sample(samples: &mut Vec<(i64, String)>, second: i64, id: &str) {
    // Most records come after every kept one: settled by one comparison (the search for the id
    // below compared it with every kept id, on every error record). Nothing is lost: were the
    // id kept, it would be kept at or before the last, so at or before this record.
    if samples.len() >= SAMPLES
        && let Some((last_second, last_id)) = samples.last()
        && (second, id) >= (*last_second, last_id.as_str())
    {
        return;
    }
    // An id logged twice (a file read twice, overlapping exports) is kept once, at its earliest.
    if let Some(known) = samples.iter().position(|(_, i)| i == id) {
        if samples[known].0 <= second {
            return;
        }
        samples.remove(known);
    }
    let at = samples.partition_point(|(s, i)| (*s, i.as_str()) < (second, id));
    if at < SAMPLES {
        samples.insert(at, (second, id.to_string()));
        samples.truncate(SAMPLES);
    }
}

impl Summary {
    /// Counts one record (errors only are broken down).
    pub fn add(&mut self, r: &Record<'_>, filter: &Filter) {
        if !filter.in_window(r.second) {
            self.outside_window += 1;
            return;
        }
        self.records += 1;
        if !filter.status.admits(r.status) {
            return;
        }
        self.errors += 1;
        let cause = self.causes.cause(r);
        self.by_cause.add(cause, 1);
        if let Some(s) = r.status {
            bump(&mut self.by_status, s, 1);
        }
        if let Some(ms) = r.get(Slot::TimeTaken).and_then(latency::parse_seconds) {
            self.time_taken.slot(cause).add(ms);
        }
        if let Some(t) = r.second {
            self.timeline.add(Minute::of_second(t), cause, 1);
        }
        if let Some(p) = r.pop() {
            self.by_pop.add_with(p, |counts| counts.add(cause, 1));
        }
        if let Some(path) = r.decoded_path() {
            self.by_path.add_with(&path, |n| *n += 1);
        }
        let kept = self.samples.slot(cause);
        let second = r.second.unwrap_or(i64::MAX);
        // A record whose second is after every kept one's is not kept (`keep_sample`'s first
        // test, on the second alone): settled before the id is read, as most records are.
        let later = kept.len() >= SAMPLES && kept.last().is_some_and(|(last, _)| second > *last);
        if !later && let Some(id) = r.request_id() {
            keep_sample(kept, second, &bounded::bounded_key(id, REQUEST_ID_BYTES));
        }
        // The detailed type is read last: only an origin error with origin timing needs it.
        if cause == CauseId::OriginOverloaded
            && let Some(contacted) = r.origin_contacted()
            && r.get(Slot::Detailed)
                .is_none_or(|d| ResultType::parse(d) == Some(ResultType::Error))
        {
            self.origin_errors_known += 1;
            if !contacted {
                self.replayed += 1;
            }
        }
    }

    /// The reader's skipped lines, named by `source`, counted in (line numbers offset by
    /// `first_line - 1`, for a reader that started inside the file).
    pub fn add_skipped(&mut self, source: &str, skipped: &Skipped, first_line: u64) {
        self.skipped += skipped.lines;
        for &line in &skipped.first {
            self.keep_skipped(SkippedLine {
                source: source.to_string(),
                line: line + first_line - 1,
            });
        }
    }

    fn keep_skipped(&mut self, s: SkippedLine) {
        let at = self.skipped_at.partition_point(|x| *x < s);
        if at < reader::SKIPPED_KEPT {
            self.skipped_at.insert(at, s);
            self.skipped_at.truncate(reader::SKIPPED_KEPT);
        }
    }

    /// Merges another part in (files or blocks read in parallel), in any order.
    pub fn merge(&mut self, other: Summary) {
        // Saturating: parts may come from other workers, as text ([`part`]).
        self.records = self.records.saturating_add(other.records);
        self.outside_window = self.outside_window.saturating_add(other.outside_window);
        self.errors = self.errors.saturating_add(other.errors);
        self.skipped = self.skipped.saturating_add(other.skipped);
        self.origin_errors_known = self
            .origin_errors_known
            .saturating_add(other.origin_errors_known);
        self.replayed = self.replayed.saturating_add(other.replayed);
        bounded::Tally::absorb(&mut self.by_cause, other.by_cause);
        self.timeline.merge(other.timeline);
        self.by_pop.merge(other.by_pop);
        self.by_path.merge(other.by_path);
        for (s, n) in other.by_status {
            bump(&mut self.by_status, s, n);
        }
        for (c, l) in other.time_taken.iter() {
            self.time_taken.slot(c).merge(l);
        }
        for (c, ids) in other.samples.into_values() {
            let s = self.samples.slot(c);
            for (second, id) in ids {
                keep_sample(s, second, &id);
            }
        }
        for s in other.skipped_at {
            self.keep_skipped(s);
        }
        self.not_logs.merge(&other.not_logs);
    }

    /// The first minute with an error.
    pub fn first_minute(&self) -> Option<Minute> {
        self.timeline.first()
    }

    /// The last minute with an error.
    pub fn last_minute(&self) -> Option<Minute> {
        self.timeline.last()
    }

    /// The incident, on the finest buckets the summary holds (minutes, unless the errors fall
    /// in more than [`TIMELINE_BUCKETS`] distinct minutes): from the first bucket whose error
    /// count reaches a quarter of the peak bucket's to the last such bucket (their first
    /// minutes), and the peak.
    pub fn incident_window(&self) -> Option<(Minute, Minute, u64)> {
        let totals: Vec<(Minute, u64)> = self
            .timeline
            .buckets()
            .map(|(m, c)| (m, c.total()))
            .collect();
        let peak = totals.iter().map(|(_, n)| *n).max()?;
        let threshold = peak.div_ceil(4).max(1);
        let first = totals.iter().find(|(_, n)| *n >= threshold)?.0;
        let last = totals.iter().rev().find(|(_, n)| *n >= threshold)?.0;
        Some((first, last, peak))
    }

    /// The `n` paths with most errors, most first (of the paths kept: all of them unless there
    /// were more than [`MAX_PATHS`]).
    pub fn top_paths(&self, n: usize) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self.by_path.iter().map(|(p, n)| (p, *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }
}

/// Reads a whole log (the bytes of one file, named `source`) into a summary.
pub fn summarise(source: &str, bytes: &[u8], reader: &mut Reader, filter: &Filter) -> Summary {
    let mut s = Summary::default();
    reader.feed(bytes, |r| s.add(r, filter));
    reader.finish(|r| s.add(r, filter));
    s.add_skipped(source, &reader.skipped, 1);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const DOC: &str = "#Version: 1.0\n#Fields: date time x-edge-location sc-status x-edge-result-type x-edge-request-id cs-uri-stem x-edge-response-result-type x-edge-detailed-result-type\n2019-12-13\t22:36:27\tSEA19-C1\t502\tError\tid1==\t/favicon.ico\tError\tOriginDnsError\n2019-12-13\t22:36:40\tLAX1\t200\tHit\tid2==\t/\tHit\tHit\n2019-12-13\t22:37:01\tSEA19-C2\t503\tLambdaLimitExceeded\tid3==\t/a%2520b\tLambdaLimitExceeded\tLambdaLimitExceeded\nnot a record\n";

    #[test]
    fn reads_by_fields_and_classifies_with_the_rules() {
        let mut r = Reader::new();
        let s = summarise(
            "t",
            DOC.as_bytes(),
            &mut r,
            &StatusFilter::ServerErrors.into(),
        );
        assert_eq!((s.records, s.errors, s.skipped), (3, 2, 1));
        assert_eq!(r.skipped.first, alloc::vec![6]);
        assert_eq!(s.by_cause.get(CauseId::OriginDns), Some(1));
        assert_eq!(s.by_cause.get(CauseId::LambdaEdgeThrottled), Some(1));
        assert_eq!(
            s.first_minute().map(|m| m.to_string()).as_deref(),
            Some("2019-12-13 22:36")
        );
        assert_eq!(
            s.last_minute().map(|m| m.to_string()).as_deref(),
            Some("2019-12-13 22:37")
        );
        // Decoded once: the request had `%20`.
        assert!(
            s.by_path.iter().any(|(p, _)| p == "/a%20b"),
            "{:?}",
            s.by_path
        );
    }

    #[test]
    fn chunks_split_anywhere_give_the_same_summary() {
        let whole = summarise(
            "t",
            DOC.as_bytes(),
            &mut Reader::new(),
            &StatusFilter::ServerErrors.into(),
        );
        for cut in 1..DOC.len() {
            let mut r = Reader::new();
            let mut s = Summary::default();
            r.feed(&DOC.as_bytes()[..cut], |rec| {
                s.add(rec, &StatusFilter::ServerErrors.into());
            });
            r.feed(&DOC.as_bytes()[cut..], |rec| {
                s.add(rec, &StatusFilter::ServerErrors.into());
            });
            r.finish(|rec| s.add(rec, &StatusFilter::ServerErrors.into()));
            s.add_skipped("t", &r.skipped, 1);
            assert_eq!(s, whole, "cut at {cut}");
        }
    }

    fn whole_skipped_at(doc: &str) -> Vec<SkippedLine> {
        summarise(
            "t",
            doc.as_bytes(),
            &mut Reader::new(),
            &StatusFilter::ServerErrors.into(),
        )
        .skipped_at
    }

    #[test]
    fn merging_parts_equals_reading_the_whole() {
        let (a, b) = DOC.split_at(DOC.find("2019-12-13\t22:37").unwrap());
        let header = "#Fields: date time x-edge-location sc-status x-edge-result-type x-edge-request-id cs-uri-stem x-edge-response-result-type x-edge-detailed-result-type\n";
        let mut left = summarise(
            "t",
            a.as_bytes(),
            &mut Reader::new(),
            &StatusFilter::ServerErrors.into(),
        );
        let right = summarise(
            "t",
            alloc::format!("{header}{b}").as_bytes(),
            &mut Reader::new(),
            &StatusFilter::ServerErrors.into(),
        );
        left.merge(right);
        // The right part was read as its own file (a header line first): its line numbers count
        // from there. Everything else merges to the same totals.
        assert_eq!(left.skipped_at.len(), 1);
        left.skipped_at.clone_from(&whole_skipped_at(DOC));
        let whole = summarise(
            "t",
            DOC.as_bytes(),
            &mut Reader::new(),
            &StatusFilter::ServerErrors.into(),
        );
        assert_eq!(left, whole);
    }

    #[test]
    fn real_time_records_take_the_callers_field_order() {
        let fields = [
            "timestamp",
            "c-ip",
            "sc-status",
            "x-edge-location",
            "x-edge-detailed-result-type",
        ];
        let mut r = Reader::with_fields(&fields);
        let s = summarise(
            "t",
            b"1767225600.123\t192.0.2.1\t503\tFRA56-P1\tCapacityExceeded\n",
            &mut r,
            &StatusFilter::Exactly(503).into(),
        );
        assert_eq!(s.by_cause.get(CauseId::EdgeCapacity), Some(1));
        assert_eq!(
            s.first_minute().map(|m| m.to_string()).as_deref(),
            Some("2026-01-01 00:00")
        );
    }

    #[test]
    fn the_same_table_as_responses() {
        // An uncategorised Error on a 5xx: the origin's own error.
        let t = |s| ResultType::parse(s);
        assert_eq!(
            classify(Some(503), t("Error"), t("Error"), t("Error")),
            Some(CauseId::OriginOverloaded)
        );
        assert_eq!(
            classify(Some(504), t("Error"), None, t("OriginCommError")),
            Some(CauseId::OriginTimeout)
        );
        assert_eq!(
            classify(Some(503), t("FunctionThrottledError"), None, None),
            Some(CauseId::CloudFrontFunctionError)
        );
        assert_eq!(classify(Some(200), t("Hit"), None, None), None);
    }

    #[test]
    fn standard_logging_v2_json_lines() {
        let lines = "{\"timestamp(ms)\":\"1764133200123\",\"x-edge-location\":\"SOF50-P2\",\"sc-status\":\"503\",\"x-edge-result-type\":\"FunctionThrottledError\",\"cs-uri-stem\":\"/\"}\n{\"date\":\"2026-11-26\",\"time\":\"05:00:01\",\"sc-status\":502,\"x-edge-detailed-result-type\":\"OriginDnsError\"}\n{not json\n";
        let mut r = Reader::new();
        let s = summarise(
            "t",
            lines.as_bytes(),
            &mut r,
            &StatusFilter::ServerErrors.into(),
        );
        assert_eq!((s.records, s.errors, s.skipped), (2, 2, 1));
        assert_eq!(s.by_cause.get(CauseId::CloudFrontFunctionError), Some(1));
        assert_eq!(s.by_cause.get(CauseId::OriginDns), Some(1));
        assert_eq!(
            s.first_minute().map(|m| m.to_string()).as_deref(),
            Some("2025-11-26 05:00")
        );
        assert!(r.saw_fields);
    }

    #[test]
    fn sample_request_ids_are_the_earliest_distinct_ones() {
        let mut v = Vec::new();
        for (second, id) in [(5, "c"), (3, "a"), (9, "a"), (1, "a"), (4, "b"), (7, "d")] {
            keep_sample(&mut v, second, id);
        }
        assert_eq!(v, [(1, "a".into()), (4, "b".into()), (5, "c".into())]);
    }

    #[test]
    fn what_people_type_for_filters_and_delimiters() {
        let f = Filter::parse("503", "2026-11-26T05:00", "2026-11-26 06:00").unwrap();
        assert_eq!(f.status, StatusFilter::Exactly(503));
        assert_eq!(f.until.unwrap() - f.since.unwrap(), 3600);
        assert!(
            !f.in_window(None),
            "a record without a time cannot be placed"
        );
        assert_eq!(
            Filter::parse("", "", "").unwrap(),
            StatusFilter::ServerErrors.into()
        );
        for (status, since, until, says) in [
            ("99", "", "", "status \"99\""),
            (
                "200",
                "",
                "",
                "status \"200\": give 5xx or one server error",
            ),
            ("404", "", "", "from 500 to 599"),
            ("600", "", "", "status \"600\""),
            ("5xx", "yesterday", "", "since \"yesterday\""),
            (
                "5xx",
                "2026-11-26T06:00",
                "2026-11-26T05:00",
                "before until",
            ),
        ] {
            let e = Filter::parse(status, since, until).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        }
        assert_eq!(Delimiter::parse("|"), Ok(Delimiter::Byte(b'|')));
        assert_eq!(Delimiter::parse("tab"), Ok(Delimiter::Byte(b'\t')));
        assert_eq!(Delimiter::parse(""), Ok(Delimiter::Auto));
        assert!(
            Delimiter::parse("ab")
                .unwrap_err()
                .to_string()
                .starts_with("delimiter \"ab\": give one character")
        );
        assert!(Delimiter::parse("\n").is_err());
        let unknown = LogsError::NoKnownFormat {
            files: alloc::vec!["a.txt".into()],
        };
        assert!(
            unknown
                .to_string()
                .starts_with("a.txt: no record of a known log format")
        );
        assert_eq!(
            field_list(" timestamp, sc-status,,"),
            ["timestamp", "sc-status"]
        );
        assert_eq!(
            fields_from_text(r#"{"Fields": ["sc-status"]}"#).unwrap(),
            ["sc-status"]
        );
        assert_eq!(fields_from_text("").unwrap(), Vec::<String>::new());
        assert!(is_gzip(&[0x1f, 0x8b, 8]) && !is_gzip(b"#Version"));
    }

    #[test]
    fn incident_window() {
        let mut s = Summary::default();
        for (minute, n) in [
            ("2026-01-01 00:00", 1u64),
            ("2026-01-01 00:01", 40),
            ("2026-01-01 00:02", 35),
            ("2026-01-01 00:03", 2),
        ] {
            s.timeline
                .add(Minute::parse(minute).unwrap(), CauseId::EdgeCapacity, n);
        }
        assert_eq!(
            s.incident_window(),
            Some((
                Minute::parse("2026-01-01 00:01").unwrap(),
                Minute::parse("2026-01-01 00:02").unwrap(),
                40
            ))
        );
    }

    #[test]
    fn a_saved_realtime_log_config_gives_the_field_order() {
        let saved = r#"{"ETag": "E1", "RealtimeLogConfig": {"ARN": "arn:aws:cloudfront::1:realtime-log-config/x",
            "Name": "x", "SamplingRate": 100, "EndPoints": [],
            "Fields": ["timestamp", "c-ip", "sc-status", "x-edge-location", "x-edge-detailed-result-type"]}}"#;
        let fields = fields_from_realtime_config(saved).unwrap();
        assert_eq!(
            fields,
            [
                "timestamp",
                "c-ip",
                "sc-status",
                "x-edge-location",
                "x-edge-detailed-result-type"
            ]
        );
        // The inner object alone (as `list-realtime-log-configs` lists them) works too.
        assert_eq!(
            fields_from_realtime_config(r#"{"Fields": ["sc-status"]}"#).unwrap(),
            ["sc-status"]
        );
        assert!(matches!(
            fields_from_realtime_config("timestamp,c-ip"),
            Err(RealtimeConfigError::NotJson(_))
        ));
        assert_eq!(
            fields_from_realtime_config(r#"{"RealtimeLogConfig": {"Fields": [1]}}"#),
            Err(RealtimeConfigError::NoFields)
        );
        assert_eq!(
            fields_from_realtime_config(r#"{"Fields": []}"#),
            Err(RealtimeConfigError::NoFields)
        );
    }
}
