//! CloudFront access logs, read by cause: a sans-IO streaming reader (bytes in, records out)
//! and a mergeable summary (cause × minute × edge location × path).
//!
//! The reader takes the field list from each file's `#Fields:` line (standard logs, every
//! generation: 18, 26, 33, 35 fields; standard logging v2 in W3C form), from each record's keys
//! (standard logging v2 as JSON lines), or from the caller for records without a header
//! (real-time logs, in their configured field order). Values are
//! tab-separated (space-separated when a line has no tab), `-` is empty, paths are URL-decoded
//! once. Lines that do not fit are counted with their line numbers and skipped, never fatal.
//!
//! A record's cause comes from the same evidence rules as a response's `X-Cache` and pasted log
//! fields ([`crate::diagnose::rules`]): status, `x-edge-result-type`,
//! `x-edge-response-result-type` and `x-edge-detailed-result-type` are facts, the rules weigh
//! them, the strongest cause wins. No second mapping.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::causes::CauseId;
use crate::diagnose::rules::{self, Fact, Stance};
use crate::signals::ResultType;

/// A record's fields the summary uses, by their names in every log generation.
#[derive(Clone, Copy, Debug, Default)]
struct Columns {
    date: Option<usize>,
    time: Option<usize>,
    timestamp: Option<usize>,
    pop: Option<usize>,
    status: Option<usize>,
    result: Option<usize>,
    response_result: Option<usize>,
    detailed: Option<usize>,
    path: Option<usize>,
    host: Option<usize>,
    request_id: Option<usize>,
    count: usize,
}

impl Columns {
    fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut c = Columns::default();
        for (i, n) in names.into_iter().enumerate() {
            let slot = match n.trim() {
                "date" => &mut c.date,
                "time" => &mut c.time,
                "timestamp" | "timestamp(ms)" => &mut c.timestamp,
                "x-edge-location" => &mut c.pop,
                "sc-status" => &mut c.status,
                "x-edge-result-type" => &mut c.result,
                "x-edge-response-result-type" => &mut c.response_result,
                "x-edge-detailed-result-type" => &mut c.detailed,
                "cs-uri-stem" => &mut c.path,
                "cs(Host)" | "cs-host" | "x-host-header" => &mut c.host,
                "x-edge-request-id" => &mut c.request_id,
                _ => {
                    c.count = i + 1;
                    continue;
                }
            };
            // The first of `cs(Host)` / `x-host-header` wins for the host.
            slot.get_or_insert(i);
            c.count = i + 1;
        }
        c
    }
}

/// One log record, borrowed from the line it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// The minute it belongs to, `YYYY-MM-DD HH:MM` (UTC), when the record says.
    pub minute: Option<String>,
    /// `date time` (standard logs) or the epoch timestamp (real-time logs), as written.
    pub when: Option<&'a str>,
    /// `x-edge-location`.
    pub pop: Option<&'a str>,
    /// `sc-status` (`000`, a viewer that left, is 0).
    pub status: Option<u16>,
    /// `x-edge-result-type`.
    pub result: Option<ResultType>,
    /// `x-edge-response-result-type`.
    pub response_result: Option<ResultType>,
    /// `x-edge-detailed-result-type`.
    pub detailed: Option<ResultType>,
    /// `cs-uri-stem`, URL-decoded once.
    pub path: Option<String>,
    /// `cs(Host)` / `x-host-header`.
    pub host: Option<&'a str>,
    /// `x-edge-request-id`.
    pub request_id: Option<&'a str>,
}

/// Why lines were skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// How many lines.
    pub lines: u64,
    /// The first few line numbers (1-based), to look at.
    pub first: Vec<u64>,
}

/// Line numbers kept in [`Skipped::first`].
const SKIPPED_KEPT: usize = 10;
/// A line longer than this is skipped (CloudFront does not log requests with URLs over 8 KB or
/// headers over 20 KB): memory stays bounded on a file that is not a log.
const MAX_LINE: usize = 64 * 1024;

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

/// The streaming reader: feed it chunks, it calls back with each record.
#[derive(Debug, Default)]
pub struct Reader {
    columns: Option<Columns>,
    /// Given by the caller (real-time logs): a `#Fields:` line does not replace it.
    fixed: bool,
    partial: Vec<u8>,
    line: u64,
    /// Skipped lines.
    pub skipped: Skipped,
    /// Whether a `#Fields:` line (or a caller's field list) was seen.
    pub saw_fields: bool,
}

impl Reader {
    /// A reader of W3C logs: the field list comes from each file's `#Fields:` line.
    pub fn new() -> Self {
        Self::default()
    }

    /// A reader of records without a header (real-time logs), in this field order.
    pub fn with_fields(names: &[&str]) -> Self {
        Self {
            columns: Some(Columns::from_names(names.iter().copied())),
            fixed: true,
            saw_fields: true,
            ..Self::default()
        }
    }

    /// Reads a chunk; complete lines become records.
    pub fn feed(&mut self, chunk: &[u8], mut out: impl FnMut(Record<'_>)) {
        let mut rest = chunk;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = rest.split_at(nl);
            rest = &after[1..];
            if self.partial.is_empty() {
                self.line(line, &mut out);
            } else {
                let mut joined = core::mem::take(&mut self.partial);
                joined.extend_from_slice(line);
                self.line(&joined, &mut out);
            }
        }
        if self.partial.len() + rest.len() > MAX_LINE {
            // Skipped once, when it ends; not kept meanwhile.
            self.partial.clear();
            self.partial.push(0);
        } else {
            self.partial.extend_from_slice(rest);
        }
    }

    /// The end of the input: a last line without a newline is read too.
    pub fn finish(&mut self, mut out: impl FnMut(Record<'_>)) {
        if !self.partial.is_empty() {
            let last = core::mem::take(&mut self.partial);
            self.line(&last, &mut out);
        }
    }

    fn skip(&mut self) {
        self.skipped.lines += 1;
        if self.skipped.first.len() < SKIPPED_KEPT {
            self.skipped.first.push(self.line);
        }
    }

    fn line(&mut self, bytes: &[u8], out: &mut impl FnMut(Record<'_>)) {
        self.line += 1;
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.len() > MAX_LINE || bytes.contains(&0) {
            self.skip();
            return;
        }
        let Ok(text) = core::str::from_utf8(bytes) else {
            self.skip();
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        if let Some(fields) = text.trim_start().strip_prefix("#Fields:") {
            if !self.fixed {
                self.columns = Some(Columns::from_names(fields.split_whitespace()));
            }
            self.saw_fields = true;
            return;
        }
        if text.starts_with('#') {
            return; // #Version and other directives
        }
        if text.trim_start().starts_with('{') {
            self.json_line(text, out);
            return;
        }
        let Some(c) = self.columns else {
            self.skip();
            return;
        };
        let values: Vec<&str> = if text.contains('\t') {
            text.split('\t').collect()
        } else {
            text.split(' ').filter(|v| !v.is_empty()).collect()
        };
        if values.len() < c.count {
            self.skip();
            return;
        }
        let get = |i: Option<usize>| i.map(|i| values[i]).filter(|v| !v.is_empty() && *v != "-");
        let status = get(c.status).and_then(|s| s.parse::<u16>().ok());
        if c.status.is_some() && status.is_none() {
            self.skip();
            return;
        }
        let (when, minute) = match (get(c.date), get(c.time), get(c.timestamp)) {
            (Some(d), Some(t), _) => (
                None,
                (d.len() == 10 && t.len() >= 5).then(|| alloc::format!("{d} {}", &t[..5])),
            ),
            (_, _, Some(ts)) => (Some(ts), epoch_minute(ts)),
            _ => (None, None),
        };
        let when = when.or_else(|| get(c.date));
        let record = Record {
            minute,
            when,
            pop: get(c.pop),
            status,
            result: get(c.result).and_then(ResultType::parse),
            response_result: get(c.response_result).and_then(ResultType::parse),
            detailed: get(c.detailed).and_then(ResultType::parse),
            path: get(c.path).map(percent_decode_once),
            host: get(c.host),
            request_id: get(c.request_id),
        };
        out(record);
    }
}

impl Reader {
    /// Standard logging v2 as JSON lines (CloudWatch Logs, Firehose): one object a record, its
    /// keys the field names, any subset and order.
    fn json_line(&mut self, text: &str, out: &mut impl FnMut(Record<'_>)) {
        let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(text)
        else {
            self.skip();
            return;
        };
        self.saw_fields = true;
        let get = |k: &str| {
            m.get(k)
                .and_then(|v| match v {
                    serde_json::Value::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .filter(|v| !v.is_empty() && *v != "-")
        };
        let status = m.get("sc-status").and_then(|v| match v {
            serde_json::Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        });
        let minute = match (
            get("date"),
            get("time"),
            get("timestamp").or(get("timestamp(ms)")),
        ) {
            (Some(d), Some(t), _) if d.len() == 10 && t.len() >= 5 => {
                Some(alloc::format!("{d} {}", &t[..5]))
            }
            (_, _, Some(ts)) if m.contains_key("timestamp(ms)") => {
                epoch_minute(&alloc::format!("{}", ts.parse::<u64>().unwrap_or(0) / 1000))
            }
            (_, _, Some(ts)) => epoch_minute(ts),
            _ => None,
        };
        out(Record {
            minute,
            when: get("date").or(get("timestamp")),
            pop: get("x-edge-location"),
            status,
            result: get("x-edge-result-type").and_then(ResultType::parse),
            response_result: get("x-edge-response-result-type").and_then(ResultType::parse),
            detailed: get("x-edge-detailed-result-type").and_then(ResultType::parse),
            path: get("cs-uri-stem").map(percent_decode_once),
            host: get("cs(Host)").or(get("cs-host")).or(get("x-host-header")),
            request_id: get("x-edge-request-id"),
        });
    }
}

/// `%XX` decoded once: CloudFront encodes values once, so a `%2520` in the log was `%20` in the
/// request, and shows as such.
fn percent_decode_once(s: &str) -> String {
    crate::redact::percent_decode(s)
}

/// The UTC minute of an epoch timestamp in seconds (`1767225600.123`).
fn epoch_minute(ts: &str) -> Option<String> {
    let secs: i64 = ts.split('.').next()?.parse().ok()?;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    Some(alloc::format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60
    ))
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

/// Which records the summary counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every 5xx.
    ServerErrors,
    /// This status only.
    Exactly(u16),
}

impl StatusFilter {
    /// Whether a status passes.
    pub fn admits(self, status: Option<u16>) -> bool {
        match self {
            StatusFilter::ServerErrors => status.is_some_and(|s| s >= 500),
            StatusFilter::Exactly(x) => status == Some(x),
        }
    }
}

/// Distinct paths counted one by one; more are counted together ([`Summary::other_paths`]).
pub const MAX_PATHS: usize = 10_000;
/// Sample request ids kept per cause (for the Lambda@Edge log search).
const SAMPLES: usize = 3;

/// The summary of many records: mergeable (read files in parallel, merge the parts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records read.
    pub records: u64,
    /// Records that passed the status filter.
    pub errors: u64,
    /// Per cause.
    pub by_cause: BTreeMap<CauseId, u64>,
    /// Per minute (`YYYY-MM-DD HH:MM`), per cause.
    pub by_minute: BTreeMap<String, BTreeMap<CauseId, u64>>,
    /// Per edge location (as logged), per cause.
    pub by_pop: BTreeMap<String, BTreeMap<CauseId, u64>>,
    /// Per path.
    pub by_path: BTreeMap<String, u64>,
    /// Errors on paths past [`MAX_PATHS`] distinct ones.
    pub other_paths: u64,
    /// Per host.
    pub by_host: BTreeMap<String, u64>,
    /// Per status.
    pub by_status: BTreeMap<u16, u64>,
    /// A few request ids per cause.
    pub samples: BTreeMap<CauseId, Vec<String>>,
    /// The first and last minute with an error.
    pub first_minute: Option<String>,
    /// See `first_minute`.
    pub last_minute: Option<String>,
    /// Lines skipped.
    pub skipped: u64,
}

impl Summary {
    /// Counts one record (errors only are broken down).
    pub fn add(&mut self, r: &Record<'_>, filter: StatusFilter) {
        self.records += 1;
        if !filter.admits(r.status) {
            return;
        }
        self.errors += 1;
        let cause =
            classify(r.status, r.result, r.response_result, r.detailed).unwrap_or(CauseId::Unknown);
        *self.by_cause.entry(cause).or_default() += 1;
        if let Some(s) = r.status {
            *self.by_status.entry(s).or_default() += 1;
        }
        if let Some(m) = &r.minute {
            *self
                .by_minute
                .entry(m.clone())
                .or_default()
                .entry(cause)
                .or_default() += 1;
            if self.first_minute.as_ref().is_none_or(|f| m < f) {
                self.first_minute = Some(m.clone());
            }
            if self.last_minute.as_ref().is_none_or(|l| m > l) {
                self.last_minute = Some(m.clone());
            }
        }
        if let Some(p) = r.pop {
            *self
                .by_pop
                .entry(p.to_string())
                .or_default()
                .entry(cause)
                .or_default() += 1;
        }
        if let Some(path) = &r.path {
            count_path(&mut self.by_path, &mut self.other_paths, path.clone(), 1);
        }
        if let Some(h) = r.host
            && self.by_host.len() < MAX_PATHS
        {
            *self.by_host.entry(h.to_string()).or_default() += 1;
        }
        if let Some(id) = r.request_id {
            let s = self.samples.entry(cause).or_default();
            if s.len() < SAMPLES {
                s.push(id.to_string());
            }
        }
    }

    /// Merges another part in (files read in parallel).
    pub fn merge(&mut self, other: Summary) {
        self.records += other.records;
        self.errors += other.errors;
        self.skipped += other.skipped;
        self.other_paths += other.other_paths;
        let add = |into: &mut BTreeMap<CauseId, u64>, from: BTreeMap<CauseId, u64>| {
            for (k, v) in from {
                *into.entry(k).or_default() += v;
            }
        };
        add(&mut self.by_cause, other.by_cause);
        for (m, counts) in other.by_minute {
            add(self.by_minute.entry(m).or_default(), counts);
        }
        for (p, counts) in other.by_pop {
            add(self.by_pop.entry(p).or_default(), counts);
        }
        for (p, n) in other.by_path {
            count_path(&mut self.by_path, &mut self.other_paths, p, n);
        }
        for (h, n) in other.by_host {
            *self.by_host.entry(h).or_default() += n;
        }
        for (s, n) in other.by_status {
            *self.by_status.entry(s).or_default() += n;
        }
        for (c, ids) in other.samples {
            let s = self.samples.entry(c).or_default();
            for id in ids {
                if s.len() < SAMPLES {
                    s.push(id);
                }
            }
        }
        for m in [other.first_minute, other.last_minute]
            .into_iter()
            .flatten()
        {
            if self.first_minute.as_ref().is_none_or(|f| &m < f) {
                self.first_minute = Some(m.clone());
            }
            if self.last_minute.as_ref().is_none_or(|l| &m > l) {
                self.last_minute = Some(m);
            }
        }
    }

    /// The minutes of the incident: from the first minute whose error count reaches a quarter
    /// of the peak minute's to the last such minute.
    pub fn incident_window(&self) -> Option<(String, String, u64)> {
        let totals: Vec<(&String, u64)> = self
            .by_minute
            .iter()
            .map(|(m, c)| (m, c.values().sum()))
            .collect();
        let peak = totals.iter().map(|(_, n)| *n).max()?;
        let threshold = peak.div_ceil(4).max(1);
        let first = totals.iter().find(|(_, n)| *n >= threshold)?.0.clone();
        let last = totals
            .iter()
            .rev()
            .find(|(_, n)| *n >= threshold)?
            .0
            .clone();
        Some((first, last, peak))
    }

    /// The `n` paths with most errors, most first.
    pub fn top_paths(&self, n: usize) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self.by_path.iter().map(|(p, n)| (p.as_str(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }
}

/// Counts `n` errors on `path`, or with the other paths once [`MAX_PATHS`] are known.
fn count_path(paths: &mut BTreeMap<String, u64>, other: &mut u64, path: String, n: u64) {
    if let Some(x) = paths.get_mut(&path) {
        *x += n;
    } else if paths.len() < MAX_PATHS {
        paths.insert(path, n);
    } else {
        *other += n;
    }
}

/// Reads a whole log (the bytes of one file) into a summary.
pub fn summarise(bytes: &[u8], reader: &mut Reader, filter: StatusFilter) -> Summary {
    let mut s = Summary::default();
    reader.feed(bytes, |r| s.add(&r, filter));
    reader.finish(|r| s.add(&r, filter));
    s.skipped = reader.skipped.lines;
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
        let s = summarise(DOC.as_bytes(), &mut r, StatusFilter::ServerErrors);
        assert_eq!((s.records, s.errors, s.skipped), (3, 2, 1));
        assert_eq!(r.skipped.first, alloc::vec![6]);
        assert_eq!(s.by_cause.get(&CauseId::OriginDns), Some(&1));
        assert_eq!(s.by_cause.get(&CauseId::LambdaEdgeThrottled), Some(&1));
        assert_eq!(s.first_minute.as_deref(), Some("2019-12-13 22:36"));
        assert_eq!(s.last_minute.as_deref(), Some("2019-12-13 22:37"));
        // Decoded once: the request had `%20`.
        assert!(s.by_path.contains_key("/a%20b"), "{:?}", s.by_path);
    }

    #[test]
    fn chunks_split_anywhere_give_the_same_summary() {
        let whole = summarise(
            DOC.as_bytes(),
            &mut Reader::new(),
            StatusFilter::ServerErrors,
        );
        for cut in 1..DOC.len() {
            let mut r = Reader::new();
            let mut s = Summary::default();
            r.feed(&DOC.as_bytes()[..cut], |rec| {
                s.add(&rec, StatusFilter::ServerErrors);
            });
            r.feed(&DOC.as_bytes()[cut..], |rec| {
                s.add(&rec, StatusFilter::ServerErrors);
            });
            r.finish(|rec| s.add(&rec, StatusFilter::ServerErrors));
            s.skipped = r.skipped.lines;
            assert_eq!(s, whole, "cut at {cut}");
        }
    }

    #[test]
    fn merging_parts_equals_reading_the_whole() {
        let (a, b) = DOC.split_at(DOC.find("2019-12-13\t22:37").unwrap());
        let header = "#Fields: date time x-edge-location sc-status x-edge-result-type x-edge-request-id cs-uri-stem x-edge-response-result-type x-edge-detailed-result-type\n";
        let mut left = summarise(a.as_bytes(), &mut Reader::new(), StatusFilter::ServerErrors);
        let right = summarise(
            alloc::format!("{header}{b}").as_bytes(),
            &mut Reader::new(),
            StatusFilter::ServerErrors,
        );
        left.merge(right);
        let whole = summarise(
            DOC.as_bytes(),
            &mut Reader::new(),
            StatusFilter::ServerErrors,
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
            b"1767225600.123\t192.0.2.1\t503\tFRA56-P1\tCapacityExceeded\n",
            &mut r,
            StatusFilter::Exactly(503),
        );
        assert_eq!(s.by_cause.get(&CauseId::EdgeCapacity), Some(&1));
        assert_eq!(s.first_minute.as_deref(), Some("2026-01-01 00:00"));
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
        let s = summarise(lines.as_bytes(), &mut r, StatusFilter::ServerErrors);
        assert_eq!((s.records, s.errors, s.skipped), (2, 2, 1));
        assert_eq!(s.by_cause.get(&CauseId::CloudFrontFunctionError), Some(&1));
        assert_eq!(s.by_cause.get(&CauseId::OriginDns), Some(&1));
        assert_eq!(s.first_minute.as_deref(), Some("2025-11-26 05:00"));
        assert!(r.saw_fields);
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
            s.by_minute
                .entry(minute.into())
                .or_default()
                .insert(CauseId::EdgeCapacity, n);
        }
        assert_eq!(
            s.incident_window(),
            Some(("2026-01-01 00:01".into(), "2026-01-01 00:02".into(), 40))
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
