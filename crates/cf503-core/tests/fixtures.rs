//! One fixture per cause (and mixed/contradictory ones) under `tests/fixtures/responses/`,
//! built from the header sets and page texts documented in the shared reference. A fixture's
//! file name starts with the cause it must be diagnosed as: `<cause>--<what>.<ext>`.

use std::path::PathBuf;

use cf503_core::diagnose::InputQuality;
use cf503_core::parse::{Input, parse_input};
use cf503_core::{Diagnosis, Observation, diagnose};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/responses")
}

fn load(name: &str) -> (Observation, Diagnosis) {
    let bytes = std::fs::read(fixtures_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    match parse_input(&bytes) {
        Ok(Input::Response(obs)) => {
            let d = diagnose(&obs);
            (obs, d)
        }
        other => panic!("{name}: expected a response, got {other:?}"),
    }
}

#[test]
fn every_fixture_gets_its_cause() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let expected = name.split("--").next().unwrap();
        let (_, d) = load(name);
        let got = d.top().cause.as_str();
        if got != expected {
            failures.push(format!(
                "{name}: expected {expected}, got {got} ({:?})",
                d.findings
                    .iter()
                    .map(|f| (f.cause.as_str(), f.confidence))
                    .collect::<Vec<_>>()
            ));
        }
        // Findings are ranked, within 0..1, and never empty.
        assert!(
            d.findings
                .windows(2)
                .all(|w| w[0].confidence >= w[1].confidence),
            "{name}: not ranked"
        );
        assert!(
            d.findings
                .iter()
                .all(|f| (0.0..=1.0).contains(&f.confidence)),
            "{name}"
        );
        assert!(!d.top().steps.is_empty(), "{name}: no next steps");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_catalogue_cause_has_a_fixture() {
    let names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    for cause in cf503_core::causes::CATALOGUE {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(&format!("{}--", cause.name))),
            "no fixture for {}",
            cause.name
        );
    }
}

#[test]
fn lambda_edge_steps_name_the_region_and_log_group() {
    let (_, d) = load("lambda_edge_execution--serverless-next.http");
    assert!(d.top().confidence >= 0.9, "{}", d.top().confidence);
    assert_eq!(d.summary.pop.as_deref(), Some("IAD89-C1"));
    assert_eq!(d.summary.lambda_region, Some("us-east-1"));
    let steps = d.top().steps.join("\n");
    assert!(
        steps.contains("/aws/lambda/us-east-1.<FunctionName>"),
        "{steps}"
    );
    assert!(
        steps.contains("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"),
        "{steps}"
    );
    assert!(
        steps.contains("k2Wm1dZ1rLqQ3uAq0Xg0b6Yt5r9vBn7cXj2PpLx8sQ1eR4tY6uI0oA=="),
        "{steps}"
    );
    // The page's wording also fits an invalid association: listed, ranked below.
    assert!(
        d.findings
            .iter()
            .any(|f| f.cause.as_str() == "lambda_edge_invalid")
    );

    let (_, d) = load("lambda_edge_throttled--throttled-page.http");
    assert_eq!(d.summary.lambda_region, Some("ap-northeast-1"));
    assert!(d.top().steps.iter().any(|s| s.contains("ap-northeast-1")));
}

#[test]
fn page_text_contradicting_x_cache_is_noted() {
    let (_, d) = load("lambda_edge_throttled--page-contradicts-x-cache.http");
    assert!(
        d.notes.iter().any(|n| n.id == "contradiction"),
        "{:?}",
        d.notes
    );
    assert_eq!(d.findings[1].cause.as_str(), "lambda_edge_execution");
}

#[test]
fn origin_errors_relayed_by_cloudfront() {
    let (_, d) = load("origin_overloaded--s3-slowdown.http");
    assert_eq!(d.summary.generated_by, "origin");
    assert_eq!(d.summary.origin_kind, Some("s3"));
    assert!(d.top().confidence >= 0.9);
    assert!(d.top().steps.iter().any(|s| s.contains("5,500 GET/HEAD")));
    assert!(d.notes.iter().any(|n| n.id == "x_cache_error"));
    // DNS is ruled out: the origin answered.
    assert!(!d.findings.iter().any(|f| f.cause.as_str() == "origin_dns"));

    let (_, d) = load("origin_overloaded--alb-no-targets.http");
    assert_eq!(d.summary.origin_kind, Some("alb"));
    assert!(
        d.top()
            .steps
            .iter()
            .any(|s| s.contains("describe-target-health"))
    );

    let (_, d) = load("origin_overloaded--served-from-error-cache.http");
    assert_eq!(d.summary.origin_kind, Some("apache"));
    assert!(
        d.notes
            .iter()
            .any(|n| n.id == "cached_error" && n.text.contains("Age: 7 s"))
    );
}

#[test]
fn redirect_chain_diagnoses_the_last_response() {
    let (obs, d) = load("origin_overloaded--curl-redirect-chain.http");
    assert_eq!(obs.status(), Some(503));
    assert_eq!(d.summary.origin_kind, Some("iis"));
}

#[test]
fn bare_status_is_thin_and_says_what_to_collect() {
    let (_, d) = load("unknown--bare-status-line.txt");
    assert_eq!(d.input_quality, InputQuality::Thin);
    assert!(d.top().confidence <= 0.35);
    assert!(d.findings.iter().all(|f| f.confidence <= 0.35));
    assert!(
        d.collect.iter().any(|c| c.contains("curl -si")),
        "{:?}",
        d.collect
    );
    assert!(
        d.collect.iter().any(|c| c.contains("page")),
        "{:?}",
        d.collect
    );
}

#[test]
fn not_cloudfront_is_confident_with_headers() {
    let (_, d) = load("not_cloudfront--plain-nginx.http");
    assert!(d.top().confidence >= 0.7);
    assert!(!d.summary.through_cloudfront);
}

#[test]
fn dns_from_logs_notes_the_502() {
    let (_, d) = load("origin_dns--pasted-log-fields.http");
    assert!(d.top().confidence >= 0.9);
    assert!(d.notes.iter().any(|n| n.id == "dns_is_502"));
    assert!(d.collect.iter().any(|c| c.contains("origin domain")));
}

#[test]
fn verbose_curl_keeps_request_secrets_out() {
    let (obs, d) = load("lambda_edge_execution--curl-verbose.txt");
    assert_eq!(obs.status(), Some(503));
    let all = format!(
        "{}{}{}",
        cf503_core::report::text(&d),
        cf503_core::report::markdown(&d),
        cf503_core::report::json(&d)
    );
    assert!(!all.contains("abcdef0123456789"));
    assert!(!all.contains("do-not-leak-me"));
    assert!(
        obs.headers()
            .get("set-cookie")
            .unwrap()
            .contains("[redacted]")
    );
}
