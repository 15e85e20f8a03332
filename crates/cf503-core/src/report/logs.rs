//! The logs report: per cause, a timeline by minute, per edge location (with its city and the
//! Region where Lambda@Edge logs are), top paths, sample request ids. Terminal text and JSON
//! (schema `cf503.logs_report`, version [`LOGS_SCHEMA_VERSION`]).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::{Value, json};

use super::{md_code, md_text, printable, to_pretty};
use crate::causes::CauseId;
use crate::logs::{Minute, Summary};
use crate::pops::PopId;

/// Version of `cf503.logs_report`.
pub const LOGS_SCHEMA_VERSION: u32 = 2;

/// Paths listed, at most.
const TOP_PATHS: usize = 10;
/// Minutes drawn in the terminal before the timeline is cut to the incident window.
const MAX_TIMELINE_MINUTES: usize = 180;
/// Width of the longest timeline bar, in characters.
const BAR_WIDTH: u64 = 50;
/// Edge locations listed in text and Markdown (the JSON has all).
const TOP_POPS: usize = 15;

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

/// Sorted by count, most first; ties by key.
fn most_first<K: Ord>(mut v: Vec<(K, u64)>) -> Vec<(K, u64)> {
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Edge locations by errors, most first.
fn pops_by_count(s: &Summary) -> Vec<(&str, u64)> {
    most_first(
        s.by_pop
            .iter()
            .map(|(p, c)| (p.as_str(), c.values().sum()))
            .collect(),
    )
}

/// The Regions where a cause's Lambda@Edge logs are (the Region nearest each edge location that
/// logged it), most errors first.
fn regions_of(s: &Summary, cause: CauseId) -> Vec<&'static str> {
    let mut by_region: BTreeMap<&'static str, u64> = BTreeMap::new();
    for (pop, counts) in &s.by_pop {
        if let (Some(n), (_, Some(region))) = (counts.get(&cause), pop_info(pop)) {
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
            .filter_map(|(p, c)| c.get(&cause).map(|n| (p.as_str(), *n)))
            .collect(),
    )
    .into_iter()
    .map(|(p, _)| p)
    .take(TOP_POPS)
    .collect()
}

/// What to do next about each cause, filled from the summary: the window, the Regions whose
/// logs to search, the log groups, the request ids to search for. Values from the logs are
/// printable-cleaned; commands name placeholders in capitals.
pub fn next_steps(s: &Summary, cause: CauseId) -> Vec<String> {
    let window = match s.incident_window() {
        Some((from, to, _)) if from == to => format!("{from} UTC"),
        Some((from, to, _)) => format!("{from} to {to} UTC"),
        None => "the logged minutes".to_string(),
    };
    let ids: Vec<&str> = s
        .samples
        .get(&cause)
        .map(|v| v.iter().map(|(_, id)| id.as_str()).collect())
        .unwrap_or_default();
    let first_id = ids.first().map_or("REQUEST_ID", |i| i);
    let clean = |v: &str| printable(v, false);
    // The request ids, in this phrase, when the logs have any (the field is optional in v2).
    let with_ids = |phrase: &str| {
        if ids.is_empty() {
            String::new()
        } else {
            phrase.replace("{}", &clean(&ids.join(", ")))
        }
    };
    let mut steps = Vec::new();
    match cause {
        CauseId::LambdaEdgeThrottled
        | CauseId::LambdaEdgeExecution
        | CauseId::LambdaEdgeInvalid => {
            let regions = regions_of(s, cause);
            let first_region = regions.first().copied().unwrap_or("REGION");
            if !regions.is_empty() {
                steps.push(format!(
                    "Lambda@Edge logs are in the Region nearest each edge location: search {} (log group /aws/lambda/us-east-1.FUNCTION_NAME in each).",
                    regions.join(", ")
                ));
            }
            if cause == CauseId::LambdaEdgeThrottled {
                steps.push(format!(
                    "Look at the function's Throttles and ConcurrentExecutions metrics in {first_region} for {window}; raise the concurrency quota there if it was reached: aws service-quotas list-service-quotas --service-code lambda --region {first_region}"
                ));
            } else {
                steps.push(format!(
                    "CloudFront writes the function's errors to /aws/cloudfront/LambdaEdge/DISTRIBUTION_ID in the same Regions: aws logs filter-log-events --region {first_region} --log-group-name /aws/cloudfront/LambdaEdge/DISTRIBUTION_ID --filter-pattern '\"{}\"'",
                    clean(first_id)
                ));
            }
        }
        CauseId::CloudFrontFunctionError => {
            steps.push(format!(
                "CloudFront Functions log to us-east-1: aws logs filter-log-events --region us-east-1 --log-group-name /aws/cloudfront/function/FUNCTION_NAME --start-time START_MS, for {window}."
            ));
            steps.push(format!(
                "Look at FunctionExecutionErrors, FunctionValidationErrors and FunctionThrottles (us-east-1, namespace AWS/CloudFront) for {window}: a throttle can outlive the fix by minutes."
            ));
        }
        CauseId::EdgeCapacity | CauseId::CloudFrontQuota => {
            let pops = pops_of(s, cause);
            steps.push(format!(
                "Give AWS Support the edge locations ({}), the window ({window}){}.",
                clean(&pops.join(", ")),
                with_ids(" and the request ids ({})")
            ));
        }
        CauseId::OriginDns => {
            steps.push(format!(
                "Ask every name server of the origin's domain for it, as CloudFront does: cf503 dns ORIGIN_DOMAIN (errors {window})."
            ));
        }
        _ => {
            steps.push(format!(
                "Read the origin's own logs and metrics for {window}{}.",
                with_ids(
                    "; CloudFront's request ids ({}) are in the X-Amz-Cf-Id header the origin received"
                )
            ));
        }
    }
    if cause == CauseId::OriginOverloaded && s.replayed > 0 {
        steps.push(format!(
            "{} of the {} errors whose fields say were replayed from CloudFront's error cache (the origin was not asked): the origin failed less often than the count shows; the cache time is the behaviour's Error caching minimum TTL (10 s by default).",
            s.replayed, s.origin_errors_known
        ));
    }
    steps
}

/// The logs report as JSON.
pub fn logs_json_value(s: &Summary, files: usize) -> Value {
    let window = s.incident_window();
    let counts = |counts: &BTreeMap<CauseId, u64>| {
        counts
            .iter()
            .map(|(c, n)| (c.as_str().to_string(), json!(n)))
            .collect::<serde_json::Map<_, _>>()
    };
    json!({
        "schema": "cf503.logs_report",
        "schema_version": LOGS_SCHEMA_VERSION,
        "files": files,
        "summary_lines": summary_lines(s, files),
        "records": s.records,
        "outside_window": s.outside_window,
        "errors": s.errors,
        "skipped_lines": s.skipped,
        "skipped_at": s.skipped_at.iter().map(|k| json!({"file": k.source, "line": k.line})).collect::<Vec<_>>(),
        "first_error_minute": s.first_minute().map(|m| m.to_string()),
        "last_error_minute": s.last_minute().map(|m| m.to_string()),
        "incident_window": window.map(|(from, to, peak)| json!({"from": from.to_string(), "to": to.to_string(), "peak_per_minute": peak})),
        "replayed_from_error_cache": s.replayed,
        "origin_errors_with_origin_timing": s.origin_errors_known,
        "by_status": s.by_status.iter().map(|(k, v)| json!({"status": k, "count": v})).collect::<Vec<_>>(),
        "by_cause": causes_by_count(s).iter().map(|(c, n)| json!({
            "cause": c.as_str(),
            "title": c.info().title,
            "count": n,
            "sample_request_ids": s.samples.get(c).map(|v| v.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>()).unwrap_or_default(),
            "lambda_edge_regions": regions_of(s, *c),
            "next_steps": next_steps(s, *c),
        })).collect::<Vec<_>>(),
        "timeline": s.by_minute.iter().map(|(m, c)| json!({
            "minute": m.to_string(),
            "counts": counts(c),
        })).collect::<Vec<_>>(),
        "edge_locations": pops_by_count(s).iter().map(|(p, _)| {
            let (city, region) = pop_info(p);
            json!({
                "pop": p,
                "location": city,
                "lambda_edge_region": region,
                "counts": counts(&s.by_pop[*p]),
            })
        }).collect::<Vec<_>>(),
        "top_paths": s.top_paths(TOP_PATHS).iter().map(|(p, n)| json!({"path": crate::redact::text(p), "count": n})).collect::<Vec<_>>(),
        "other_paths": s.other_paths,
    })
}

/// Pretty JSON text.
pub fn logs_json(s: &Summary, files: usize) -> String {
    to_pretty(&logs_json_value(s, files))
}

/// The first line: what was read.
fn read_line(s: &Summary, files: usize) -> String {
    let mut o = format!(
        "{files} file(s), {} records, {} errors",
        s.records, s.errors
    );
    if s.outside_window > 0 {
        let _ = write!(o, ", {} records outside --since/--until", s.outside_window);
    }
    if s.skipped > 0 {
        let _ = write!(
            o,
            ", {} lines skipped (not records of the file's fields",
            s.skipped
        );
        let at: Vec<String> = s
            .skipped_at
            .iter()
            .map(|k| format!("{}:{}", printable(&k.source, false), k.line))
            .collect();
        if !at.is_empty() {
            let _ = write!(o, "; first at {}", at.join(", "));
        }
        o.push(')');
    }
    o
}

/// The sentences a report opens with: what was read, then when the errors were (or that none
/// matched). The text, Markdown and the web page all start with them.
fn summary_lines(s: &Summary, files: usize) -> Vec<String> {
    let mut v = alloc::vec![read_line(s, files)];
    if s.errors == 0 {
        v.push(NO_ERRORS.to_string());
    } else {
        v.extend(window_lines(s));
    }
    v
}

const NO_ERRORS: &str = "No error matched the status filter.";

fn window_lines(s: &Summary) -> Vec<String> {
    let mut v = Vec::new();
    if let (Some(a), Some(b)) = (s.first_minute(), s.last_minute()) {
        v.push(format!("Errors from {a} to {b} (UTC)"));
    }
    if let Some((from, to, peak)) = s.incident_window() {
        v.push(format!(
            "Incident window: {from} to {to}, peak {peak} errors a minute"
        ));
    }
    v
}

/// Terminal text, with a per-minute timeline.
pub fn logs_text(s: &Summary, files: usize) -> String {
    let mut o = String::new();
    for line in summary_lines(s, files) {
        let _ = writeln!(o, "{line}");
    }
    if s.errors == 0 {
        return o;
    }
    let _ = writeln!(o, "\nBy cause:");
    for (c, n) in causes_by_count(s) {
        let _ = writeln!(o, "  {n:>8}  {:<26} {}", c.as_str(), c.info().title);
        if let Some(ids) = s.samples.get(&c) {
            let ids: Vec<&str> = ids.iter().map(|(_, id)| id.as_str()).collect();
            let _ = writeln!(
                o,
                "            e.g. request ids {}",
                printable(&ids.join(", "), false)
            );
        }
        for step in next_steps(s, c) {
            let _ = writeln!(o, "            - {step}");
        }
    }
    let _ = writeln!(o, "\nBy edge location:");
    for (p, n) in pops_by_count(s).iter().take(TOP_POPS) {
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
    timeline(s, &mut o);
    o
}

/// The timeline: one bar a minute, a letter per cause (the legend says which).
fn timeline(s: &Summary, o: &mut String) {
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
    let shown: Vec<(&Minute, &BTreeMap<CauseId, u64>)> = match s.incident_window() {
        Some((from, to, _)) if s.by_minute.len() > MAX_TIMELINE_MINUTES => {
            let _ = writeln!(
                o,
                "  (the incident window and ten minutes around it; the JSON report has every minute)"
            );
            s.by_minute
                .range(Minute(from.0 - 10)..=Minute(to.0 + 10))
                .collect()
        }
        _ => s.by_minute.iter().collect(),
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
}

/// Markdown, for a ticket or a post-mortem: the same figures as the text, in tables.
pub fn logs_markdown(s: &Summary, files: usize) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## CloudFront logs: errors by cause\n");
    let mut lines = summary_lines(s, files).into_iter();
    let _ = writeln!(o, "{}\n", md_text(&lines.next().unwrap_or_default()));
    if s.errors == 0 {
        let _ = writeln!(o, "{NO_ERRORS}");
        return o;
    }
    for line in lines {
        let _ = writeln!(o, "- {}", md_text(&line));
    }
    let _ = writeln!(
        o,
        "\n| Errors | Cause | Request ids (earliest) |\n|---:|---|---|"
    );
    for (c, n) in causes_by_count(s) {
        let ids: Vec<String> = s
            .samples
            .get(&c)
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
        for step in next_steps(s, c) {
            let _ = writeln!(o, "- {}", md_text(&step));
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "### Edge locations\n\n| Errors | Edge location | City | Lambda@Edge logs in |\n|---:|---|---|---|"
    );
    for (p, n) in pops_by_count(s).iter().take(TOP_POPS) {
        let (city, region) = pop_info(p);
        let _ = writeln!(
            o,
            "| {n} | {} | {} | {} |",
            md_code(p),
            md_text(&city.unwrap_or_default()),
            region.unwrap_or("")
        );
    }
    let paths = s.top_paths(TOP_PATHS);
    if !paths.is_empty() {
        let _ = writeln!(o, "\n### Top paths\n\n| Errors | Path |\n|---:|---|");
        for (p, n) in paths {
            let _ = writeln!(o, "| {n} | {} |", md_code(&crate::redact::text(p)));
        }
    }
    let _ = writeln!(
        o,
        "\n### Timeline (UTC)\n\n| Minute | Errors | By cause |\n|---|---:|---|"
    );
    for (m, counts) in &s.by_minute {
        let total: u64 = counts.values().sum();
        let parts: Vec<String> = counts
            .iter()
            .map(|(c, n)| format!("{} {n}", c.as_str()))
            .collect();
        let _ = writeln!(o, "| {m} | {total} | {} |", parts.join(", "));
    }
    o
}
