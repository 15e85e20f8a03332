//! The second outside audit's reproductions (`audit-2026-12b.md`), one test per id, on the
//! core: each failed before the fix it names.

// Native only: it renders Markdown with comrak (a native dev-dependency) and builds large inputs.
#![cfg(not(target_arch = "wasm32"))]

use cf503_core::logs::{
    MAX_PATHS, MAX_POPS, POP_BYTES, Reader, StatusFilter, Summary, TIMELINE_BUCKETS, summarise,
};
use cf503_core::report;

fn read(doc: &[u8]) -> Summary {
    summarise(
        "t",
        doc,
        &mut Reader::new(),
        &StatusFilter::ServerErrors.into(),
    )
}

/// L7: 20,000 edge locations of 60 KB took 1.2 GB (and > 4 GiB as JSON). Kept keys are now
/// bounded in number and length, and the report lists only what is kept.
#[test]
fn audit_l7_long_edge_locations_stay_bounded() {
    let mut doc = String::from("#Fields: date time x-edge-location sc-status\n");
    let pad = "P".repeat(60_000);
    for i in 0..2_000 {
        doc.push_str(&format!("2026-11-26\t05:01:17\t{i:06}{pad}\t503\n"));
    }
    let s = read(doc.as_bytes());
    assert_eq!(s.errors, 2_000);
    assert!(s.by_pop.iter().all(|(p, _)| p.len() <= POP_BYTES));
    // Cut to 32 bytes, the 2,000 names share their first 29: "0000…" etc.; they are counted
    // per cut name, none lost.
    let counted: u64 =
        s.by_pop.iter().map(|(_, c)| c.total()).sum::<u64>() + s.by_pop.other().total();
    assert_eq!(counted, 2_000);
    let json = report::logs_json(&s, 1);
    // At most MAX_POPS entries of bounded names: a few hundred kilobytes whatever the input.
    assert!(json.len() < 400_000, "{} bytes of JSON", json.len());
}

/// L8: 20,000 paths of 60 KB took 1.36 GB.
#[test]
fn audit_l8_long_paths_stay_bounded() {
    let mut doc = String::from("#Fields: date time x-edge-location sc-status cs-uri-stem\n");
    let pad = "a".repeat(60_000);
    for i in 0..(MAX_PATHS + 500) {
        doc.push_str(&format!(
            "2026-11-26\t05:01:17\tIAD89-C1\t503\t/{pad}{i:06}\n"
        ));
    }
    let s = read(doc.as_bytes());
    assert!(s.by_path.len() <= MAX_PATHS);
    assert!(
        s.by_path
            .iter()
            .all(|(p, _)| p.len() <= cf503_core::logs::PATH_BYTES)
    );
}

/// L9: one error a minute for a million minutes (two years) printed every minute: 79 MB of
/// text, 96 MB of JSON, 3.1 GB of memory.
#[test]
fn audit_l9_two_years_of_minutes_fit_a_few_thousand_buckets() {
    let mut s = Summary::default();
    let mut doc = String::from("#Fields: timestamp sc-status x-edge-location\n");
    for i in 0..1_000_000i64 {
        doc.push_str(&format!("{}\t503\tIAD89-C1\n", 946_684_800 + i * 60));
        if doc.len() > 1 << 20 {
            s.merge(read(doc.as_bytes()));
            doc = String::from("#Fields: timestamp sc-status x-edge-location\n");
        }
    }
    s.merge(read(doc.as_bytes()));
    assert_eq!(s.errors, 1_000_000);
    assert!(s.timeline.len() <= TIMELINE_BUCKETS);
    assert_eq!(s.timeline.width(), 1_440, "a bucket a day");
    let text = report::logs_text(&s, 1);
    let md = report::logs_markdown(&s, 1);
    let json = report::logs_json(&s, 1);
    assert!(text.len() < 40_000, "{} bytes of text", text.len());
    assert!(md.len() < 40_000, "{} bytes of Markdown", md.len());
    assert!(json.len() < 200_000, "{} bytes of JSON", json.len());
    assert!(
        text.contains("a day at a time"),
        "{}",
        &text[..text.len().min(600)]
    );
    // First and last minutes stay exact.
    assert!(text.contains("Errors from 2000-01-01 00:00 to 2001-11-25 10:39"));
}

/// L10: five million distinct edge locations: 1.38 GB, > 4 GiB as JSON.
#[test]
fn audit_l10_millions_of_edge_locations_keep_a_thousand() {
    let mut s = Summary::default();
    let header = "#Fields: date time x-edge-location sc-status\n";
    let mut doc = String::from(header);
    for i in 0..200_000 {
        doc.push_str(&format!("2026-11-26\t05:01:17\tX{i:07}\t503\n"));
    }
    s.merge(read(doc.as_bytes()));
    assert_eq!(s.by_pop.len(), MAX_POPS);
    assert!(s.by_pop.saturated());
    let estimate = s.by_pop.distinct();
    assert!((180_000..220_000).contains(&estimate), "{estimate}");
    let json: serde_json::Value = serde_json::from_str(&report::logs_json(&s, 1)).unwrap();
    assert_eq!(
        json["edge_locations"].as_array().unwrap().len(),
        MAX_POPS,
        "only what is kept is listed"
    );
    assert_eq!(json["edge_locations_distinct"], estimate);
    assert!(
        json["summary_lines"]
            .to_string()
            .contains("More than 1024 distinct edge locations")
    );
}

/// L14: lines of `#Fields:` repeated made the splitter's header scan quadratic (a 29 KB `.gz`
/// took 14 minutes). Four 1 MiB lines took minutes; now a linear scan.
#[test]
fn audit_l14_repeated_fields_markers_are_linear() {
    let line = "#Fields:".repeat(131_072);
    let block = format!("{line}\n{line}\n{line}\n{line}\n");
    let mut r = Reader::new();
    r.note_headers(block.as_bytes());
    // Lines over 64 KB are never a field list, for the reader or the splitter.
    assert!(!r.saw_fields);
    // A short one in the same block still counts.
    r.note_headers(format!("{line}\n#Fields: date time sc-status\n").as_bytes());
    assert!(r.saw_fields);
}

/// LS4: a log downloaded from a presigned URL keeps the query in its name, and the name was
/// printed as is when a line was skipped.
#[test]
fn audit_ls4_file_names_are_redacted() {
    let name = "/tmp/E2ABC.2026-11-26-05.abcd.gz?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261126%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0123456789abcdef";
    let doc = "#Fields: date time x-edge-location sc-status\n2026-11-26\t05:01:17\tIAD89-C1\t503\nnot a record\n";
    let s = summarise(
        name,
        doc.as_bytes(),
        &mut Reader::new(),
        &StatusFilter::ServerErrors.into(),
    );
    assert_eq!(s.skipped, 1);
    for out in [
        report::logs_text(&s, 1),
        report::logs_markdown(&s, 1),
        report::logs_json(&s, 1),
        cf503_core::logs::LogsError::NoKnownFormat {
            files: vec![name.to_string()],
        }
        .to_string(),
    ] {
        assert!(!out.contains("AKIAIOSFODNN7EXAMPLE"), "{out}");
        assert!(!out.contains("0123456789abcdef"), "{out}");
    }
}

/// V2: a request id with a quote broke out of the suggested `aws logs` command.
#[test]
fn audit_v2_a_request_id_never_enters_a_command() {
    let rid = "x\"'; touch $TMPDIR/PWNED; echo '\"";
    let doc = format!(
        "#Fields: date time x-edge-location sc-status x-edge-result-type x-edge-request-id\n2026-11-26\t05:01:17\tIAD89-C1\t503\tLambdaExecutionError\t{rid}\n"
    );
    let s = read(doc.as_bytes());
    let cause = s.by_cause.iter().next().unwrap().0;
    let steps = report::next_steps(&s, cause);
    let commands: Vec<&str> = steps
        .iter()
        .flat_map(|p| p.0.iter())
        .filter_map(|part| match part {
            cf503_core::prose::Part::Command(c) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    assert!(!commands.is_empty());
    for c in &commands {
        assert!(!c.contains("PWNED"), "{c}");
        assert!(c.contains("REQUEST_ID"), "{c}");
    }
    assert!(
        report::logs_text(&s, 1).contains("use the earliest request id shown above"),
        "the step says where the id is"
    );
    // A plain CloudFront id does go into the command.
    let plain = "#Fields: date time x-edge-location sc-status x-edge-result-type x-edge-request-id\n2026-11-26\t05:01:17\tIAD89-C1\t503\tLambdaExecutionError\tW9bXn4V_pQ==\n";
    let s = read(plain.as_bytes());
    let steps = report::next_steps(&s, cause);
    assert!(steps.iter().any(|p| p.0.iter().any(|part| matches!(part,
        cf503_core::prose::Part::Command(c) if c.contains("'\"W9bXn4V_pQ==\"'")))));
}

/// Renders Markdown as GitHub does (cmark-gfm's extensions: autolinks, tables,
/// strikethrough) and returns the links and HTML that came out of it.
fn gfm_links_and_html(md: &str) -> Vec<String> {
    let mut options = comrak::Options::default();
    options.extension.autolink = true;
    options.extension.table = true;
    options.extension.strikethrough = true;
    let html = comrak::markdown_to_html(md, &options);
    let mut found = Vec::new();
    for (i, _) in html.match_indices('<') {
        let tag: String = html[i + 1..].chars().take_while(|c| *c != '>').collect();
        let name = tag.split([' ', '/']).next().unwrap_or("");
        let allowed = [
            "p", "ul", "li", "ol", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td", "code",
            "strong", "em", "pre", "",
        ];
        if tag.starts_with('/') {
            continue;
        }
        if name == "a" {
            let href = tag.split("href=\"").nth(1).unwrap_or("");
            let aws = href.starts_with("https://")
                && href
                    .split('/')
                    .nth(2)
                    .is_some_and(|h| h.ends_with(".aws.amazon.com"));
            if !aws {
                found.push(tag);
            }
        } else if !allowed.contains(&name) {
            found.push(tag);
        }
    }
    found
}

/// M3: a back-tick in an observed value (`Retry-After`) opened a code span that never closed,
/// and the link after it was live.
#[test]
fn audit_m3_a_back_tick_cannot_open_a_link() {
    let input = "HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: Error from cloudfront\r\nRetry-After: 120 ` [Sign in to AWS to see the fix](https://evil.example/signin)\r\n\r\n";
    let Ok(cf503_core::Input::Response(obs)) = cf503_core::parse_input(input.as_bytes()) else {
        panic!("did not parse");
    };
    let md = report::markdown(&cf503_core::diagnose::diagnose(&obs));
    assert_eq!(gfm_links_and_html(&md), Vec::<String>::new(), "{md}");
}

/// M4: a log's edge location, request id or file name in prose became a link on GitHub,
/// bare `www.` names included.
#[test]
fn audit_m4_log_values_never_become_links() {
    let doc = "#Fields: date time x-edge-location sc-status x-edge-result-type x-edge-request-id cs-uri-stem\n2026-11-26\t05:01:17\tIAD89-C1` [Open the AWS Support case](https://evil.example/case)\t503\tCapacityExceeded\twww.evil.example\t/a@evil.example\nnot a record\n";
    let s = summarise(
        "www.evil.example/x.log",
        doc.as_bytes(),
        &mut Reader::new(),
        &StatusFilter::ServerErrors.into(),
    );
    let md = report::logs_markdown(&s, 1);
    assert_eq!(gfm_links_and_html(&md), Vec::<String>::new(), "{md}");
}
