//! Reports: terminal text, Markdown (for a support ticket) and JSON (versioned schema, documented
//! in the README).
//!
//! Everything rendered comes from a [`Diagnosis`], whose values were redacted when the
//! observation was built. Renderers also neutralise control characters, so a hostile header
//! value cannot move the cursor of a terminal or break out of a Markdown code span.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::Value;

use crate::causes::CauseId;
use crate::diagnose::{Diagnosis, Finding, render_template};
use crate::parse::{Har, HarEntry};
use crate::prose::{Part, Prose};

/// Version of the JSON report schemas (`cf503.report`, `cf503.har_report`). Bump on any
/// incompatible change (the history is in CHANGELOG.md). 3: `view` carries what front ends show
/// (headline, facts, steps as typed parts, …), replacing the top-level `headline` and `facts`.
pub const SCHEMA_VERSION: u32 = 3;

/// Version of the DNS report schema (`cf503.dns_report`).
pub const DNS_SCHEMA_VERSION: u32 = 1;

/// One diagnosed entry of a HAR file, ready to render.
#[derive(Debug)]
pub struct HarItem<'a> {
    /// The entry.
    pub entry: &'a HarEntry,
    /// Its diagnosis.
    pub diagnosis: &'a Diagnosis,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Terminal text.
    Text,
    /// Markdown for a support ticket.
    Markdown,
    /// JSON (schema `cf503.report` / `cf503.har_report`, version [`SCHEMA_VERSION`]).
    Json,
}

/// A diagnosis in a format.
pub fn render(d: &Diagnosis, format: Format) -> String {
    match format {
        Format::Text => text(d),
        Format::Markdown => markdown(d),
        Format::Json => json(d),
    }
}

/// Text for a colour terminal: each verdict line (`Verdict: … [cause, confidence …]`, as
/// [`text`] and [`har_text`] write it) in bold, in its cause's colour ([`CauseId::colour`], as
/// a 24-bit ANSI colour). The renderers' text is made printable first, so the only escapes in
/// the result are these.
pub fn ansi(text: &str) -> String {
    let mut o = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let colour = line
            .strip_prefix("Verdict: ")
            .and_then(|rest| rest.rsplit_once(" ["))
            .and_then(|(_, tail)| tail.split_once(','))
            .and_then(|(name, _)| CauseId::from_name(name))
            .map(CauseId::colour);
        let Some(hex) = colour else {
            o.push_str(line);
            continue;
        };
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        let body = line.trim_end_matches('\n');
        let _ = write!(
            o,
            "\x1b[1;38;2;{};{};{}m{body}\x1b[0m",
            byte(1),
            byte(3),
            byte(5)
        );
        if line.ends_with('\n') {
            o.push('\n');
        }
    }
    o
}

/// Replaces control characters (ESC, BEL, NUL, …; not newlines where allowed) with `�`.
fn printable(s: &str, keep_newlines: bool) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' && keep_newlines {
                c
            } else if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

// ---------------------------------------------------------------- text

/// Terminal text for one diagnosis.
pub fn text(d: &Diagnosis) -> String {
    let v = view(d);
    let mut o = String::new();
    let _ = writeln!(o, "{}", printable(&v.headline, false));
    for f in &v.facts {
        let _ = writeln!(o, "{}: {}", f.label, printable(&f.value, false));
    }
    if let Some(dist) = &v.distribution {
        let _ = writeln!(o, "\nYour distribution (from {}):", dist.source);
        for f in dist.facts.iter().filter(|f| f.label != "Config") {
            let _ = writeln!(o, "  {}: {}", f.label, printable(&f.value, false));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Verdict: {} [{}, confidence {}]",
        v.verdict.title, v.verdict.cause, v.verdict.confidence
    );
    let _ = writeln!(o, "  {}", printable(&v.verdict.meaning, false));
    if !v.evidence.is_empty() {
        let _ = writeln!(o, "\nEvidence:");
        for e in &v.evidence {
            let _ = writeln!(
                o,
                "  {} {}: {} ({})",
                if e.supports { "+" } else { "-" },
                e.signal,
                printable(&e.value, false),
                printable(&e.note, false)
            );
        }
    }
    if !v.steps.is_empty() {
        let _ = writeln!(o, "\nNext steps:");
        for (i, step) in v.steps.iter().enumerate() {
            let _ = writeln!(o, "  {}. {}", i + 1, printable(&step.to_string(), false));
        }
    }
    if !v.others.is_empty() {
        let _ = writeln!(o, "\nOther possibilities:");
        for f in &v.others {
            let _ = writeln!(o, "  {:<26} {}  {}", f.cause, f.confidence, f.title);
            let _ = writeln!(o, "  {:<26}       to tell it apart: {}", "", f.question);
        }
    }
    if !v.notes.is_empty() {
        let _ = writeln!(o, "\nNotes:");
        for n in &v.notes {
            let _ = writeln!(o, "  * {}", printable(&n.text, false));
        }
    }
    if let Some(dist) = v.distribution.as_ref().filter(|d| !d.risks.is_empty()) {
        let _ = writeln!(o, "\nRisks in the distribution's config:");
        for r in &dist.risks {
            let _ = writeln!(
                o,
                "  [{}] {} ({}): {}",
                r.severity,
                r.id,
                printable(&r.subject, false),
                printable(&r.text, false)
            );
        }
    }
    if !v.collect.is_empty() {
        let _ = writeln!(o, "\nFor a surer verdict, add:");
        for c in &v.collect {
            let _ = writeln!(o, "  * {c}");
        }
    }
    if let (Some(section), Some(dns)) = (&v.dns, &d.dns) {
        let _ = writeln!(o, "\nDNS check of the origin {}:", section.origin);
        for f in &dns.findings {
            let _ = writeln!(o, "{}", dns::finding_line(f));
        }
        let _ = writeln!(
            o,
            "  (details: cf503 dns {})",
            section.origin.trim_end_matches('.')
        );
    }
    if let Some(e) = &d.edges {
        let _ = writeln!(o);
        o.push_str(&edges_text(e));
    }
    o
}

// ---------------------------------------------------------------- Markdown

/// A code span that survives any content: a fence longer than the longest back-tick run, pipes
/// escaped for tables, no line breaks.
/// The longest run of back-ticks in `s`: a Markdown code span or fence around it needs one more.
fn longest_backtick_run(s: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn md_code(v: &str) -> String {
    let clean = printable(v, false).replace('|', "\\|");
    let fence = "`".repeat(longest_backtick_run(&clean) + 1);
    let pad = if clean.starts_with('`') || clean.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{clean}{pad}{fence}")
}

/// Text for Markdown prose, inert whatever it holds: every character that could start markup
/// is backslash-escaped (CommonMark lets any ASCII punctuation be escaped; it renders as
/// itself), back-ticks included, so text can never open a code span that swallows what
/// follows (audit M3); and GitHub's extended autolinks (`www.`, `scheme:`, `name@host`) are
/// broken by escaping their `.`, `:` or `@`, so a bare URL or host name in text stays text
/// (audit M4). Code spans ([`md_code`]) are where values belong; this is the safety net.
fn md_text(v: &str) -> String {
    let clean = printable(v, false);
    let mut out = String::with_capacity(clean.len() + 8);
    let chars: Vec<char> = clean.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let after_www = i >= 3
            && chars[i - 3..i]
                .iter()
                .map(char::to_ascii_lowercase)
                .eq(['w', 'w', 'w']);
        let escape = match c {
            '<' | '>' | '[' | ']' | '|' | '*' | '_' | '\\' | '`' | '~' | '#' | '!' | '@' | '&' => {
                true
            }
            // `http://`, `mailto:x`, `xmpp:x`; not a time (`05:01`) or a label (`note: x`).
            ':' => next.is_some_and(|n| !n.is_ascii_digit() && !n.is_whitespace()),
            '.' => after_www,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Prose in Markdown: code and commands as code spans, links as autolinks (only AWS links
/// reach a [`Part::Link`]), text escaped.
fn md_prose(p: &Prose) -> String {
    p.0.iter()
        .map(|part| match part {
            Part::Text(t) => md_text(t),
            Part::Code(c) | Part::Command(c) => md_code(c),
            Part::Link(href) => format!("<{href}>"),
        })
        .collect()
}

/// Markdown for a support ticket.
pub fn markdown(d: &Diagnosis) -> String {
    let v = view(d);
    let mut o = String::new();
    let _ = writeln!(o, "## cf503 diagnosis: {}\n", md_text(&v.headline));
    let _ = writeln!(o, "| Observed | |\n|---|---|");
    for f in &v.facts {
        let value = match f.kind {
            FactKind::Text => md_text(&f.value),
            FactKind::Observed | FactKind::Url => md_code(&f.value),
        };
        let _ = writeln!(o, "| {} | {value} |", f.label);
    }
    if let Some(dist) = &v.distribution {
        let _ = writeln!(
            o,
            "\n| Your distribution ({}) | |\n|---|---|",
            md_text(&dist.source)
        );
        for f in dist.facts.iter().filter(|f| f.label != "Config") {
            let value = match f.kind {
                FactKind::Text => md_text(&f.value),
                FactKind::Observed | FactKind::Url => md_code(&f.value),
            };
            let _ = writeln!(o, "| {} | {value} |", f.label);
        }
    }
    let _ = writeln!(
        o,
        "\n### Most likely: {} (`{}`, confidence {})\n\n{}\n",
        v.verdict.title,
        v.verdict.cause,
        v.verdict.confidence,
        md_text(&v.verdict.meaning)
    );
    if !v.evidence.is_empty() {
        let _ = writeln!(o, "**Evidence**\n");
        for e in &v.evidence {
            let _ = writeln!(
                o,
                "- {} `{}` = {}: {}",
                if e.supports { "for:" } else { "against:" },
                e.signal,
                md_code(&e.value),
                md_text(&e.note)
            );
        }
        o.push('\n');
    }
    if !v.steps.is_empty() {
        let _ = writeln!(o, "**Next steps**\n");
        for (i, s) in v.steps.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", i + 1, md_prose(s));
        }
        o.push('\n');
    }
    if !v.others.is_empty() {
        let _ = writeln!(
            o,
            "### Other possibilities\n\n| Cause | Confidence | To tell it apart |\n|---|---|---|"
        );
        for f in &v.others {
            let _ = writeln!(
                o,
                "| {} (`{}`) | {} | {} |",
                f.title,
                f.cause,
                f.confidence,
                md_text(f.question)
            );
        }
        o.push('\n');
    }
    if !v.notes.is_empty() {
        let _ = writeln!(o, "### Notes\n");
        for n in &v.notes {
            let _ = writeln!(o, "- {}", md_text(&n.text));
        }
        o.push('\n');
    }
    if let Some(dist) = v.distribution.as_ref().filter(|d| !d.risks.is_empty()) {
        let _ = writeln!(o, "### Risks in the distribution's config\n");
        for r in &dist.risks {
            let _ = writeln!(
                o,
                "- **{}** `{}` ({}): {}",
                r.severity,
                r.id,
                md_text(&r.subject),
                md_text(&r.text)
            );
        }
        o.push('\n');
    }
    if !v.collect.is_empty() {
        let _ = writeln!(o, "### For a surer verdict, add\n");
        for c in &v.collect {
            let _ = writeln!(o, "- {}", md_prose(c));
        }
        o.push('\n');
    }
    if let Some(dns) = &v.dns {
        let _ = writeln!(o, "### DNS check of {}\n", md_code(&dns.origin));
        for f in &dns.findings {
            let _ = writeln!(
                o,
                "- **{}** `{}`: {}{}",
                f.severity,
                f.id,
                md_text(&f.summary),
                f.server
                    .as_ref()
                    .map(|s| format!(" ({})", md_code(s)))
                    .unwrap_or_default()
            );
        }
        o.push('\n');
    }
    if let Some(e) = &d.edges {
        o.push_str(&edges_markdown(e).replacen("## ", "### ", 1));
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "_Secrets (cookies, authorization headers, signed-URL parameters{}) were redacted by cf503._",
        if v.distribution.is_some() {
            ", origin custom header values"
        } else {
            ""
        }
    );
    o
}

// ---------------------------------------------------------------- JSON

fn finding_wire(f: &Finding, d: &Diagnosis) -> wire::Finding {
    let info = f.cause.info();
    wire::Finding {
        cause: info.name,
        title: info.title,
        confidence: Confidence::new(f.confidence),
        meaning: render_template(info.meaning, d),
        evidence: f
            .evidence
            .iter()
            .map(|e| wire::Evidence {
                signal: e.signal,
                value: e.value.clone(),
                supports: e.supports,
                weight: Confidence::new(e.weight),
                note: e.note.clone(),
            })
            .collect(),
        steps: f.steps.iter().map(ToString::to_string).collect(),
        docs: info.docs,
    }
}

/// A diagnosis as the reports carry it.
fn diagnosis_wire(d: &Diagnosis) -> wire::Diagnosis {
    let s = &d.summary;
    wire::Diagnosis {
        url: s.url.clone(),
        status: s.status,
        source: s.source.map(crate::observation::Source::as_str),
        // What every front end shows, decided here once.
        view: view(d),
        observed: wire::Observed {
            generated_by: s.generated_by.as_str(),
            through_cloudfront: s.through_cloudfront.as_str(),
            through_cloudfront_evidence: s.through_evidence.clone(),
            status_from_page: s.status_from_page,
            server: s.server.clone(),
            x_cache: s.x_cache.clone(),
            pop: s.pop.as_ref().map(|p| wire::Pop {
                id: p.clone(),
                code: s.pop_code.clone(),
                location: s.pop_city.clone(),
                lambda_edge_region: s.lambda_region,
                lambda_edge_region_name: s.lambda_region_name,
            }),
            request_id: s.request_id.clone(),
            origin_kind: s.origin_kind.map(crate::signals::OriginKind::as_str),
            page_phrase: s.page_phrase,
            age: s.age,
            retry_after: s.retry_after.clone(),
            log: wire::LogFields {
                x_edge_result_type: s.log_result.map(crate::signals::ResultType::as_str),
                x_edge_detailed_result_type: s
                    .log_detailed_result
                    .map(crate::signals::ResultType::as_str),
            },
            server_timing: wire::ServerTiming {
                upstream_dns_ms: s.timing_dns_ms,
                upstream_connect_ms: s.timing_connect_ms,
                upstream_fbl_ms: s.timing_upstream_fbl_ms,
            },
        },
        input_quality: d.input_quality.as_str(),
        collect: d.collect.iter().map(|c| c.text()).collect(),
        findings: d.findings.iter().map(|f| finding_wire(f, d)).collect(),
        dns: d.dns.as_deref().map(dns::dns_report),
        edges: d.edges.as_deref().cloned(),
        notes: d
            .notes
            .iter()
            .map(|n| wire::Note {
                id: n.id,
                text: n.text.clone(),
            })
            .collect(),
    }
}

/// The report of one response as its wire type (schema `cf503.report`).
pub fn report(d: &Diagnosis) -> wire::Report {
    wire::Report {
        schema: "cf503.report",
        schema_version: SCHEMA_VERSION,
        diagnosis: diagnosis_wire(d),
    }
}

/// The JSON report for one response.
pub fn json_value(d: &Diagnosis) -> Value {
    wire::value(&report(d))
}

/// The report of a HAR file as its wire type (schema `cf503.har_report`): its failing
/// entries, each diagnosed.
pub fn har_report(har: &Har, items: &[HarItem<'_>]) -> wire::HarReport {
    wire::HarReport {
        schema: "cf503.har_report",
        schema_version: SCHEMA_VERSION,
        total_entries: har.total_entries,
        failing_entries: items.len(),
        unreadable_entries: har.unreadable,
        summarised_entries: har.summarised,
        first_unreadable: har.first_unreadable.as_ref().map(ToString::to_string),
        entries: items
            .iter()
            .map(|it| wire::HarEntry {
                index: it.entry.index,
                repeats: it.entry.repeats,
                same_as: it.entry.same_as.clone(),
                started: it.entry.started.clone(),
                diagnosis: diagnosis_wire(it.diagnosis),
            })
            .collect(),
    }
}

/// The JSON report for a HAR file.
pub fn har_json_value(har: &Har, items: &[HarItem<'_>]) -> Value {
    wire::value(&har_report(har, items))
}

/// Pretty JSON text.
pub fn json(d: &Diagnosis) -> String {
    to_pretty(&json_value(d))
}

/// Pretty JSON text for a HAR report.
pub fn har_json(har: &Har, items: &[HarItem<'_>]) -> String {
    to_pretty(&har_json_value(har, items))
}

fn to_pretty(v: &Value) -> String {
    // Serialising a Value cannot fail (string keys, finite numbers).
    let json =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    escape_invisible(json)
}

/// JSON leaves C1 controls (U+0080–U+009F, e.g. U+009B, a terminal's CSI) and bidi overrides
/// raw in strings; a terminal or editor showing the report would act on them. They only occur
/// inside strings, so they are written as `\uXXXX` escapes: the same JSON value, inert text.
fn escape_invisible(json: String) -> String {
    let invisible = |c: char| matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !json.chars().any(invisible) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if invisible(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn har_header(har: &Har, items: &[HarItem<'_>]) -> String {
    let mut s = format!(
        "HAR file: {} entries, {} failing{}",
        har.total_entries,
        items.len(),
        if items.is_empty() {
            " (nothing to diagnose)"
        } else {
            ""
        }
    );
    let repeated: usize = items
        .iter()
        .map(|it| it.entry.repeats.saturating_sub(1))
        .sum();
    if repeated > 0 {
        let _ = write!(
            s,
            "; {repeated} identical failures grouped with the entry they repeat"
        );
    }
    if har.summarised > 0 {
        let _ = write!(
            s,
            "; {} more failing entries past the first {} distinct ones counted, not diagnosed",
            har.summarised,
            crate::parse::har::MAX_DISTINCT_FAILURES
        );
    }
    if let Some(e) = &har.first_unreadable {
        let _ = write!(
            s,
            "; {} failing entries could not be read and were skipped (the first: {})",
            har.unreadable,
            crate::redact::for_terminal(&e.to_string())
        );
    }
    s
}

/// Terminal text for a HAR file: a line per failing entry, then each diagnosis.
pub fn har_text(har: &Har, items: &[HarItem<'_>]) -> String {
    let mut o = har_header(har, items);
    o.push('\n');
    for it in items {
        let top = it.diagnosis.top();
        let _ = writeln!(
            o,
            "  #{:<4} {} {:<26} {}  {}{}",
            it.entry.index,
            it.diagnosis
                .summary
                .status
                .map_or_else(|| "---".to_string(), |s| s.to_string()),
            top.cause.as_str(),
            Confidence::new(top.confidence),
            printable(it.diagnosis.summary.url.as_deref().unwrap_or("-"), false),
            if it.entry.repeats > 1 {
                format!("  (×{})", it.entry.repeats)
            } else {
                String::new()
            }
        );
    }
    for it in items {
        let _ = writeln!(o, "\n=== entry #{} ===", it.entry.index);
        o.push_str(&text(it.diagnosis));
    }
    o
}

/// Markdown for a HAR file.
pub fn har_markdown(har: &Har, items: &[HarItem<'_>]) -> String {
    let mut o = format!("# {}\n\n", md_text(&har_header(har, items)));
    for it in items {
        let _ = writeln!(
            o,
            "<!-- entry {} -->\n{}",
            it.entry.index,
            markdown(it.diagnosis).replacen("## ", &format!("## Entry {}: ", it.entry.index), 1)
        );
    }
    o
}

mod dns;
mod edges;
mod logs;
mod view;
pub mod wire;
pub use dns::{dns_json, dns_json_value, dns_markdown, dns_text};
pub use edges::{edges_json, edges_markdown, edges_text};
pub use logs::{
    LOGS_SCHEMA_VERSION, file_name, gzip_cut_warning, logs_json, logs_json_value, logs_markdown,
    logs_text, next_steps,
};
pub use view::{
    Confidence, DnsLine, DnsSection, EdgesSection, EvidenceLine, Fact, FactKind, NoteLine, Other,
    Verdict, View, view,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn ansi_colours_the_verdict_line_only() {
        let text = "503 from CloudFront\nX-Cache: Verdict: x [edge_capacity, confidence 1]\n\nVerdict: The Lambda@Edge function failed while running [lambda_edge_execution, confidence 0.98]\n  meaning\n";
        let out = ansi(text);
        assert!(
            out.contains("\x1b[1;38;2;213;94;0mVerdict: The Lambda@Edge"),
            "{out:?}"
        );
        assert_eq!(out.matches('\x1b').count(), 2, "{out:?}");
        // Without the escapes it is the same text.
        assert_eq!(
            out.replace("\x1b[1;38;2;213;94;0m", "")
                .replace("\x1b[0m", ""),
            text
        );
    }

    #[test]
    fn md_code_survives_backticks_and_pipes() {
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("a|b"), "`a\\|b`");
        assert_eq!(md_code("`x"), "`` `x ``");
    }

    #[test]
    fn json_escapes_c1_controls_and_bidi_overrides() {
        let v = json!({"server": "a\u{9b}2Jb\u{202e}c"});
        let out = to_pretty(&v);
        assert!(
            !out.contains('\u{9b}') && !out.contains('\u{202e}'),
            "{out}"
        );
        assert!(out.contains("\\u009b") && out.contains("\\u202e"), "{out}");
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn printable_neutralises_terminal_escapes() {
        assert_eq!(
            printable("a\u{1b}[2Jb\u{7}", false),
            "a\u{fffd}[2Jb\u{fffd}"
        );
    }
}
