//! Watch mode's record of edge locations (issue 20, the popup's part): what is kept of an answer,
//! how the record stays bounded, and how it is judged at a given time (the clock is an input):
//! one edge location failing while others answered, every one failing, one alone, stale ones
//! ignored; then the capture's verdict with and without the record.

use cf503_core::capture::{BrowserCapture, StoredCapture, keep};
use cf503_core::edges::{
    Basis, EdgesVerdict, MAX_SIGHTINGS, MAX_SITES, SEEN_WINDOW_MS, SeenRecords, Sighting,
    judge_seen, remember, remember_for_site, sighting, site_of,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const URL: &str = "https://www.example.com/app?token=s3cr3t";
const NOW: u64 = 1_800_000_000_000;
const MINUTE: u64 = 60_000;

fn headers(pop: &str, x_cache: &str) -> Vec<(String, String)> {
    [
        ("server", "CloudFront"),
        ("x-cache", x_cache),
        ("x-amz-cf-pop", pop),
        ("x-amz-cf-id", "abcDEF123_-=="),
        ("via", "1.1 0123456789abcdef.cloudfront.net (CloudFront)"),
        ("set-cookie", "session=hunter2"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect()
}

fn seen(pop: &str, status: u16, x_cache: &str, minutes_ago: u64) -> Sighting {
    sighting(status, &headers(pop, x_cache), NOW - minutes_ago * MINUTE)
        .expect("a CloudFront answer naming its edge location is kept")
}

#[test]
fn only_cloudfront_answers_naming_their_edge_location_are_kept_and_nothing_else_of_them() {
    let s = seen("FRA56-P1", 503, "Error from cloudfront", 0);
    assert_eq!(s.pop, "FRA56-P1");
    assert_eq!(s.status, 503);
    assert_eq!(s.x_cache.as_deref(), Some("Error from cloudfront"));
    assert_eq!(s.request_id.as_deref(), Some("abcDEF123_-=="));
    let kept = format!("{s:?}");
    assert!(!kept.contains("hunter2"), "{kept}");
    // Not CloudFront's, no edge location, or an edge location that is no POP code.
    let nginx = vec![("server".to_string(), "nginx".to_string())];
    assert_eq!(sighting(503, &nginx, NOW), None);
    let no_pop: Vec<_> = headers("FRA56-P1", "Error from cloudfront")
        .into_iter()
        .filter(|(k, _)| k != "x-amz-cf-pop")
        .collect();
    assert_eq!(sighting(503, &no_pop, NOW), None);
    assert_eq!(
        sighting(503, &headers("<script>", "Error from cloudfront"), NOW),
        None
    );
    let long = "X".repeat(10_000);
    let s = sighting(200, &headers("AMS1-P2", &long), NOW).unwrap();
    assert_eq!(s.x_cache, None, "an over-long value is not kept");
}

#[test]
fn the_site_is_the_host_lower_case_without_port_or_credentials() {
    assert_eq!(
        site_of("https://user:pw@WWW.Example.com:8443/x?y").as_deref(),
        Some("www.example.com")
    );
    assert_eq!(site_of("ftp://example.com/"), None);
    assert_eq!(site_of("not a url"), None);
}

#[test]
fn the_record_keeps_the_latest_answer_of_each_edge_location_newest_first_and_bounded() {
    let mut record = Vec::new();
    remember(
        &mut record,
        seen("FRA56-P1", 503, "Error from cloudfront", 3),
    );
    remember(
        &mut record,
        seen("FRA56-P3", 200, "Miss from cloudfront", 1),
    );
    remember(&mut record, seen("AMS1-P1", 200, "Hit from cloudfront", 2));
    assert_eq!(
        record.len(),
        2,
        "FRA56-P3 replaced FRA56-P1: one edge location"
    );
    assert_eq!(record[0].pop, "FRA56-P3");
    assert_eq!(record[1].pop, "AMS1-P1");
    let codes = [
        "AMS1", "ARN1", "ATL56", "BOM78", "CDG3", "DFW56", "DUB2", "FRA2", "GRU3", "HKG62",
        "IAD89", "LAX50", "LHR61", "MAD56", "MXP64", "NRT20", "ORD52", "SEA19", "SFO5", "SIN2",
        "SYD1",
    ];
    for (i, code) in codes.iter().enumerate() {
        let mut s = seen(&format!("{code}-P1"), 200, "Hit from cloudfront", 4);
        s.at_ms += i as u64;
        remember(&mut record, s);
    }
    assert_eq!(record.len(), MAX_SIGHTINGS);
    assert!(record.windows(2).all(|w| w[0].at_ms >= w[1].at_ms));
}

#[test]
fn the_sites_records_drop_stale_sites_and_stay_bounded() {
    let mut records = SeenRecords::new();
    let mut old = seen("FRA56-P1", 503, "Error from cloudfront", 0);
    old.at_ms = NOW - 2 * SEEN_WINDOW_MS;
    remember_for_site(&mut records, "old.example", old);
    remember_for_site(
        &mut records,
        "www.example.com",
        seen("AMS1-P1", 200, "Miss from cloudfront", 0),
    );
    assert!(!records.contains_key("old.example"), "{records:?}");
    for i in 0..(MAX_SITES as u64 * 2) {
        let mut s = seen("AMS1-P1", 200, "Miss from cloudfront", 0);
        s.at_ms += i;
        remember_for_site(&mut records, &format!("site{i}.example"), s);
    }
    assert_eq!(records.len(), MAX_SITES);
    assert!(
        records.contains_key(&format!("site{}.example", MAX_SITES as u64 * 2 - 1)),
        "the newest site is kept"
    );
}

#[test]
fn one_edge_location_failing_while_others_answered_minutes_before() {
    let record = vec![
        seen("FRA56-P1", 503, "Error from cloudfront", 0),
        seen("AMS1-P2", 200, "Miss from cloudfront", 2),
        seen("LHR62-C1", 200, "Hit from cloudfront", 4),
    ];
    let r = judge_seen(URL, &record, NOW).expect("recent answers are judged");
    assert_eq!(r.basis, Basis::WatchMode);
    assert_eq!(
        r.verdict,
        EdgesVerdict::OnePop {
            pop: "FRA56".into(),
            cached: false
        }
    );
    assert_eq!(r.cause, Some("edge_capacity"));
    assert_eq!(r.pops.len(), 3);
    assert!(
        r.summary.contains("watch mode, last 5 minutes"),
        "{}",
        r.summary
    );
    assert!(!r.url.contains("s3cr3t"), "{}", r.url);
    assert_eq!(r.name, "www.example.com");
    let commands: Vec<String> = r
        .steps
        .iter()
        .flat_map(|p| p.0.iter())
        .filter_map(|p| match p {
            cf503_core::prose::Part::Command(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    assert!(
        commands.iter().any(|c| c.starts_with("cf503 edges '")),
        "points to the CLI, which asks at one moment: {commands:?}"
    );
}

#[test]
fn answers_older_than_the_window_are_not_compared() {
    let record = vec![
        seen("FRA56-P1", 503, "Error from cloudfront", 0),
        seen("AMS1-P2", 200, "Miss from cloudfront", 6),
    ];
    let r = judge_seen(URL, &record, NOW).unwrap();
    assert_eq!(
        r.verdict,
        EdgesVerdict::OnlyOnePopSeen {
            pop: "FRA56".into()
        }
    );
    assert_eq!(r.cause, None);
    assert!(r.summary.contains("FRA56 only"), "{}", r.summary);
    // Nothing in the window, or a clock far behind the record: nothing to judge.
    assert_eq!(judge_seen(URL, &record, NOW + 2 * SEEN_WINDOW_MS), None);
    assert_eq!(judge_seen(URL, &record, NOW - 10 * MINUTE), None);
}

#[test]
fn every_edge_location_failing_alike_is_not_the_edge() {
    let record = vec![
        seen("FRA56-P1", 502, "Error from cloudfront", 0),
        seen("AMS1-P2", 502, "Error from cloudfront", 1),
    ];
    let r = judge_seen(URL, &record, NOW).unwrap();
    assert_eq!(r.verdict, EdgesVerdict::EveryEdge);
    assert!(r.summary.contains("not the edge"), "{}", r.summary);
}

#[test]
fn a_cached_error_at_one_edge_location() {
    let mut failing = headers("FRA56-P1", "Error from cloudfront");
    failing.push(("age".into(), "7".into()));
    let record = vec![
        sighting(503, &failing, NOW).unwrap(),
        seen("AMS1-P2", 200, "Miss from cloudfront", 1),
    ];
    let r = judge_seen(URL, &record, NOW).unwrap();
    assert_eq!(
        r.verdict,
        EdgesVerdict::OnePop {
            pop: "FRA56".into(),
            cached: true
        }
    );
}

fn failing_capture(record: Vec<Sighting>) -> BrowserCapture {
    let page = "https://www.example.com/app";
    let stored: StoredCapture = keep(page, 503, &headers("FRA56-P1", "Error from cloudfront"))
        .expect("a failing CloudFront answer is kept");
    BrowserCapture {
        url: Some(page.into()),
        stored: Some(stored),
        seen: record,
        now_ms: Some(NOW),
        ..Default::default()
    }
}

fn confidence_of(d: &cf503_core::Diagnosis, cause: &str) -> f32 {
    d.findings
        .iter()
        .find(|f| f.cause.as_str() == cause)
        .map_or(0.0, |f| f.confidence)
}

#[test]
fn the_popup_verdict_weighs_where_it_fails() {
    let alone = cf503_core::capture::diagnose_capture(&failing_capture(Vec::new()), None).unwrap();
    assert!(alone.edges.is_none());
    let record = vec![
        seen("FRA56-P1", 503, "Error from cloudfront", 0),
        seen("AMS1-P2", 200, "Miss from cloudfront", 2),
    ];
    // The first-verdict module's path leaves the record alone; the full one judges it.
    let lean =
        cf503_core::capture::diagnose_capture_with(&failing_capture(record.clone()), None, None)
            .unwrap();
    assert!(lean.edges.is_none());
    let compared = cf503_core::capture::diagnose_capture(&failing_capture(record), None).unwrap();
    let edges = compared.edges.as_deref().expect("the record was judged");
    assert_eq!(edges.basis, Basis::WatchMode);
    assert!(
        confidence_of(&compared, "edge_capacity") > confidence_of(&alone, "edge_capacity"),
        "edge capacity gains: {} then {}",
        confidence_of(&alone, "edge_capacity"),
        confidence_of(&compared, "edge_capacity")
    );
    let view = cf503_core::report::view(&compared);
    let section = view
        .edges
        .as_ref()
        .expect("the view carries where it fails");
    assert_eq!(section.pops.len(), 2);
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["edges"]["verdict"]["kind"], "one_pop");
    assert_eq!(json["edges"]["basis"], "watch_mode");
    // Every edge location failing alike lowers it instead.
    let record = vec![
        seen("FRA56-P1", 503, "Error from cloudfront", 0),
        seen("AMS1-P2", 503, "Error from cloudfront", 2),
    ];
    let every = cf503_core::capture::diagnose_capture(&failing_capture(record), None).unwrap();
    assert!(confidence_of(&every, "edge_capacity") <= confidence_of(&alone, "edge_capacity"));
}
