//! The logs report: per cause, a timeline by minute, per edge location (with its city and the
//! Region where Lambda@Edge logs are), top paths, sample request ids. Terminal text and JSON
//! (schema `cf503.logs_report`, version [`LOGS_SCHEMA_VERSION`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::{Value, json};

use super::{printable, to_pretty};
use crate::causes::CauseId;
use crate::logs::Summary;
use crate::pops::PopId;

/// Version of `cf503.logs_report`.
pub const LOGS_SCHEMA_VERSION: u32 = 1;

/// Paths listed, at most.
const TOP_PATHS: usize = 10;
/// Minutes drawn in the terminal before the timeline is cut to the incident window.
const MAX_TIMELINE_MINUTES: usize = 180;
/// Width of the longest timeline bar, in characters.
const BAR_WIDTH: u64 = 50;

fn causes_by_count(s: &Summary) -> Vec<(CauseId, u64)> {
    let mut v: Vec<(CauseId, u64)> = s.by_cause.iter().map(|(c, n)| (*c, *n)).collect();
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

/// The logs report as JSON.
pub fn logs_json_value(s: &Summary, files: usize) -> Value {
    let window = s.incident_window();
    json!({
        "schema": "cf503.logs_report",
        "schema_version": LOGS_SCHEMA_VERSION,
        "files": files,
        "records": s.records,
        "errors": s.errors,
        "skipped_lines": s.skipped,
        "first_error_minute": s.first_minute,
        "last_error_minute": s.last_minute,
        "incident_window": window.map(|(from, to, peak)| json!({"from": from, "to": to, "peak_per_minute": peak})),
        "by_status": s.by_status.iter().map(|(k, v)| json!({"status": k, "count": v})).collect::<Vec<_>>(),
        "by_cause": causes_by_count(s).iter().map(|(c, n)| json!({
            "cause": c.as_str(),
            "title": c.info().title,
            "count": n,
            "sample_request_ids": s.samples.get(c).cloned().unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "timeline": s.by_minute.iter().map(|(m, counts)| json!({
            "minute": m,
            "counts": counts.iter().map(|(c, n)| (c.as_str().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
        "edge_locations": s.by_pop.iter().map(|(p, counts)| {
            let (city, region) = pop_info(p);
            json!({
                "pop": p,
                "location": city,
                "lambda_edge_region": region,
                "counts": counts.iter().map(|(c, n)| (c.as_str().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            })
        }).collect::<Vec<_>>(),
        "top_paths": s.top_paths(TOP_PATHS).iter().map(|(p, n)| json!({"path": p, "count": n})).collect::<Vec<_>>(),
        "other_paths": s.other_paths,
    })
}

/// Pretty JSON text.
pub fn logs_json(s: &Summary, files: usize) -> String {
    to_pretty(&logs_json_value(s, files))
}

/// Terminal text, with a per-minute timeline.
pub fn logs_text(s: &Summary, files: usize) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{files} file(s), {} records, {} errors{}",
        s.records,
        s.errors,
        if s.skipped > 0 {
            format!(
                ", {} lines skipped (not records of the file's fields)",
                s.skipped
            )
        } else {
            String::new()
        }
    );
    if s.errors == 0 {
        let _ = writeln!(o, "No error matched the status filter.");
        return o;
    }
    if let (Some(a), Some(b)) = (&s.first_minute, &s.last_minute) {
        let _ = writeln!(o, "Errors from {a} to {b} (UTC)");
    }
    if let Some((from, to, peak)) = s.incident_window() {
        let _ = writeln!(
            o,
            "Incident window: {from} to {to}, peak {peak} errors a minute"
        );
    }
    let _ = writeln!(o, "\nBy cause:");
    for (c, n) in causes_by_count(s) {
        let _ = writeln!(o, "  {n:>8}  {:<26} {}", c.as_str(), c.info().title);
        if let Some(ids) = s.samples.get(&c) {
            let _ = writeln!(
                o,
                "            e.g. request ids {}",
                printable(&ids.join(", "), false)
            );
        }
    }
    let _ = writeln!(o, "\nBy edge location:");
    let mut pops: Vec<(&String, u64)> = s
        .by_pop
        .iter()
        .map(|(p, c)| (p, c.values().sum()))
        .collect();
    pops.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (p, n) in pops.iter().take(15) {
        let (city, region) = pop_info(p);
        let _ = writeln!(
            o,
            "  {n:>8}  {:<12} {}{}",
            printable(p, false),
            city.unwrap_or_default(),
            region
                .map(|r| format!(" (Lambda@Edge logs: {r})"))
                .unwrap_or_default()
        );
    }
    let paths = s.top_paths(TOP_PATHS);
    if !paths.is_empty() {
        let _ = writeln!(o, "\nTop paths:");
        for (p, n) in paths {
            let _ = writeln!(o, "  {n:>8}  {}", printable(&crate::redact::text(p), false));
        }
    }
    // The timeline: one bar a minute, a letter per cause (the legend says which).
    let causes: Vec<CauseId> = causes_by_count(s).into_iter().map(|(c, _)| c).collect();
    let letter = |c: &CauseId| {
        let i = causes.iter().position(|x| x == c).unwrap_or(0);
        char::from(b'A' + u8::try_from(i % 26).unwrap_or(0))
    };
    let peak = s
        .by_minute
        .values()
        .map(|c| c.values().sum::<u64>())
        .max()
        .unwrap_or(1);
    let _ = writeln!(o, "\nTimeline (UTC, a bar a minute):");
    for c in &causes {
        let _ = writeln!(o, "  {} = {}", letter(c), c.as_str());
    }
    // Days of logs are thousands of minutes: then the incident window, with ten minutes around.
    let window = s.incident_window();
    let shown: Vec<(&String, &alloc::collections::BTreeMap<CauseId, u64>)> = if s.by_minute.len()
        > MAX_TIMELINE_MINUTES
    {
        let (from, to, _) = window.clone().unwrap_or_default();
        let keys: Vec<&String> = s.by_minute.keys().collect();
        let start = keys
            .iter()
            .position(|k| **k == from)
            .unwrap_or(0)
            .saturating_sub(10);
        let end = (keys.iter().position(|k| **k == to).unwrap_or(0) + 11).min(keys.len());
        let _ = writeln!(
            o,
            "  (the incident window and ten minutes around it; the JSON report has every minute)"
        );
        s.by_minute.iter().skip(start).take(end - start).collect()
    } else {
        s.by_minute.iter().collect()
    };
    for (m, counts) in shown {
        let total: u64 = counts.values().sum();
        let mut bar = String::new();
        for c in &causes {
            let n = counts.get(c).copied().unwrap_or(0);
            let width = usize::try_from((n * BAR_WIDTH).div_ceil(peak.max(1))).unwrap_or(0);
            bar.extend(core::iter::repeat_n(letter(c), width));
        }
        let _ = writeln!(o, "  {m}  {total:>6}  {bar}");
    }
    o
}
