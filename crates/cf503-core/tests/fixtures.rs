//! One fixture per cause (and mixed/contradictory ones) under `tests/fixtures/responses/`,
//! built from the header sets and page texts documented in the shared reference. A fixture's
//! file name starts with the cause it must be diagnosed as: `<cause>--<what>.<ext>`.

use cf503_core::diagnose::InputQuality;
use cf503_core::parse::Input;
use cf503_core::parse_input;
use cf503_core::signals::Through;
use cf503_core::{Diagnosis, Observation, diagnose};

// These tests also run compiled to wasm (Node and Chromium), where plain `#[test]` would be
// skipped silently and there is no file system: hence the attribute swap and `include_bytes!`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Every fixture, compiled in. `fixture_list_matches_the_directory` keeps it complete.
macro_rules! fixtures {
    ($($name:literal,)*) => {
        &[$(($name, include_bytes!(concat!("../../../tests/fixtures/responses/", $name)))),*]
    };
}
static FIXTURES: &[(&str, &[u8])] = fixtures![
    "cloudfront_api--internal-error.http",
    "cloudfront_function_error--devtools-throttled.txt",
    "cloudfront_function_error--execution-error.http",
    "cloudfront_quota--limit-exceeded.http",
    "edge_capacity--cloudfront-503-page-only.http",
    "edge_capacity--log-capacity-exceeded.http",
    "lambda_edge_execution--curl-verbose.txt",
    "lambda_edge_execution--serverless-next.http",
    "lambda_edge_invalid--invalid-json.http",
    "lambda_edge_throttled--page-contradicts-x-cache.http",
    "lambda_edge_throttled--throttled-page.http",
    "not_cloudfront--cloudflare-522.http",
    "origin_connect--502-attempted-connection.http",
    "origin_dns--pasted-log-fields.http",
    "origin_dns--server-timing-slow-dns.http",
    "origin_invalid_response--log-header-too-big.http",
    "origin_mtls--connected-then-503.http",
    "origin_overloaded--alb-no-targets.http",
    "origin_overloaded--api-gateway.http",
    "origin_overloaded--curl-redirect-chain.http",
    "origin_overloaded--envoy-no-healthy-upstream.http",
    "origin_overloaded--nginx-fetched-past-cloudfront.http",
    "origin_overloaded--nginx-limit-req.http",
    "origin_overloaded--s3-slowdown.http",
    "origin_overloaded--served-from-error-cache.http",
    "origin_timeout--504-gateway-timeout.http",
    "origin_timeout--wget-server-response.txt",
    "origin_tls--connected-no-first-byte.http",
    "unknown--bare-status-line.txt",
];

fn names() -> Vec<String> {
    FIXTURES.iter().map(|(n, _)| n.to_string()).collect()
}

fn load(name: &str) -> (Observation, Diagnosis) {
    let (_, bytes) = FIXTURES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("{name}: not in FIXTURES"));
    match parse_input(bytes) {
        Ok(Input::Response(obs)) => {
            let d = diagnose(&obs);
            (obs, d)
        }
        other => panic!("{name}: expected a response, got {other:?}"),
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn fixture_list_matches_the_directory() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/responses");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk,
        names(),
        "add the new fixture to FIXTURES in this file"
    );
}

#[test]
fn every_fixture_gets_its_cause() {
    let names = names();
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
    let names = names();
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
    let steps = d
        .top()
        .steps
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
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
        d.notes
            .iter()
            .any(|n| n.id == cf503_core::diagnose::NoteId::Contradiction),
        "{:?}",
        d.notes
    );
    assert_eq!(d.findings[1].cause.as_str(), "lambda_edge_execution");
}

/// `wget -S` prints the response's status line and headers inside its own lines: the status
/// line's reason (`504 Gateway Timeout`, CloudFront's own too) is no origin's page heading, so
/// the error stays CloudFront's (`Server: CloudFront`), not an origin's relayed one; the
/// headers are read, the edge location with them.
#[test]
fn a_status_line_inside_a_tools_output_is_no_origin_page() {
    let (_, d) = load("origin_timeout--wget-server-response.txt");
    assert_eq!(
        d.summary.generated_by,
        cf503_core::signals::Generator::CloudFront
    );
    assert_eq!(d.summary.origin_kind, None);
    assert_eq!(d.summary.page_phrase, None);
    assert_eq!(d.summary.pop.as_deref(), Some("BOM78-P2"));
    for line in [
        "HTTP/1.1 504 Gateway Timeout from the load balancer test",
        "curl said HTTP/2 502 Bad Gateway; x-cache: Error from cloudfront",
        "upstream returned http/1.0 503 Service Unavailable (x-amz-cf-pop: FRA56-P1)",
    ] {
        let Ok(Input::Response(obs)) = parse_input(line.as_bytes()) else {
            panic!("{line}: not read");
        };
        let d = diagnose(&obs);
        assert_eq!(d.summary.origin_kind, None, "{line}");
        assert_eq!(d.summary.page_phrase, None, "{line}");
    }
    // The same heading as a page's (nginx's, a load balancer's) still is one.
    let Ok(Input::Response(obs)) = parse_input(
        b"HTTP/1.1 504 Gateway Timeout\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: Error from cloudfront\r\n\r\n<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>",
    ) else {
        panic!("not read");
    };
    assert!(diagnose(&obs).summary.page_phrase.is_some());
}

#[test]
fn origin_errors_relayed_by_cloudfront() {
    let (_, d) = load("origin_overloaded--s3-slowdown.http");
    assert_eq!(
        d.summary.generated_by,
        cf503_core::signals::Generator::Origin
    );
    assert_eq!(
        d.summary
            .origin_kind
            .map(cf503_core::signals::OriginKind::as_str),
        Some("s3")
    );
    assert!(d.top().confidence >= 0.9);
    assert!(d.top().steps.iter().any(|s| s.contains("5,500 GET/HEAD")));
    assert!(
        d.notes
            .iter()
            .any(|n| n.id == cf503_core::diagnose::NoteId::XCacheError)
    );
    // DNS is ruled out: the origin answered.
    assert!(!d.findings.iter().any(|f| f.cause.as_str() == "origin_dns"));

    let (_, d) = load("origin_overloaded--alb-no-targets.http");
    assert_eq!(
        d.summary
            .origin_kind
            .map(cf503_core::signals::OriginKind::as_str),
        Some("alb")
    );
    assert!(
        d.top()
            .steps
            .iter()
            .any(|s| s.contains("describe-target-health"))
    );

    let (_, d) = load("origin_overloaded--served-from-error-cache.http");
    assert_eq!(
        d.summary
            .origin_kind
            .map(cf503_core::signals::OriginKind::as_str),
        Some("apache")
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.id == cf503_core::diagnose::NoteId::CachedError
                && n.text.contains("Age: 7 s"))
    );
}

#[test]
fn redirect_chain_diagnoses_the_last_response() {
    let (obs, d) = load("origin_overloaded--curl-redirect-chain.http");
    assert_eq!(obs.status(), Some(503));
    assert_eq!(
        d.summary
            .origin_kind
            .map(cf503_core::signals::OriginKind::as_str),
        Some("iis")
    );
}

#[test]
fn bare_status_is_thin_and_says_what_to_collect() {
    let (_, d) = load("unknown--bare-status-line.txt");
    assert_eq!(d.input_quality, InputQuality::Thin);
    assert!(d.top().confidence <= 0.35);
    assert!(d.findings.iter().all(|f| f.confidence <= 0.35));
    assert!(
        d.collect.contains(&cf503_core::diagnose::Collect::Headers),
        "{:?}",
        d.collect
    );
    assert!(
        d.collect.contains(&cf503_core::diagnose::Collect::Page),
        "{:?}",
        d.collect
    );
}

#[test]
fn not_cloudfront_is_confident_with_headers() {
    let (_, d) = load("not_cloudfront--cloudflare-522.http");
    assert!(d.top().confidence >= 0.7);
    assert_eq!(d.summary.through_cloudfront, Through::No);
}

/// Whether the response passed through CloudFront is a fact beside the verdict: an origin's own
/// page fetched past CloudFront is diagnosed as the origin's error.
#[test]
fn an_origin_page_without_cloudfront_marks_names_the_origin() {
    let (_, d) = load("origin_overloaded--nginx-fetched-past-cloudfront.http");
    assert_eq!(d.summary.through_cloudfront, Through::No);
    assert_eq!(
        d.summary
            .origin_kind
            .map(cf503_core::signals::OriginKind::as_str),
        Some("nginx")
    );
    assert!(d.top().confidence >= 0.7, "{}", d.top().confidence);
    assert!(
        !d.findings
            .iter()
            .any(|f| f.cause.as_str() == "not_cloudfront")
    );
}

#[test]
fn dns_from_logs_notes_the_502() {
    let (_, d) = load("origin_dns--pasted-log-fields.http");
    assert!(d.top().confidence >= 0.9);
    assert!(
        d.notes
            .iter()
            .any(|n| n.id == cf503_core::diagnose::NoteId::DnsIs502)
    );
    assert!(d.collect.contains(&cf503_core::diagnose::Collect::Origin));
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

/// A shared link carries derived facts only, and opening it gives the same verdict back.
#[test]
fn shared_links_reproduce_every_verdict_without_secrets() {
    let mut failures = Vec::new();
    for name in names() {
        let (obs, d) = load(&name);
        let fragment = cf503_core::share::fragment(&d);
        // Nothing the user pasted verbatim: no URL, no request id, no free text.
        for leak in [obs.url(), d.summary.request_id.as_deref()]
            .into_iter()
            .flatten()
        {
            assert!(!fragment.contains(leak), "{name}: {leak} in {fragment}");
        }
        assert!(!fragment.contains("http"), "{name}: {fragment}");
        let again = cf503_core::share::diagnose(&fragment).unwrap();
        if again.top().cause != d.top().cause {
            failures.push(format!(
                "{name}: {} -> {} via {fragment}",
                d.top().cause.as_str(),
                again.top().cause.as_str()
            ));
        }
        // The origin kind travels as itself, so the origin-specific next steps come back too
        // (steps naming the request id or the Server value do not: a link carries neither).
        if again.summary.origin_kind != d.summary.origin_kind {
            failures.push(format!(
                "{name}: origin {:?} -> {:?} via {fragment}",
                d.summary.origin_kind, again.summary.origin_kind
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// README's list of note ids is the enum's, in order: a new note cannot go undocumented.
#[test]
fn readme_lists_every_note_id() {
    let readme = include_str!("../../../README.md");
    let line = readme
        .lines()
        .find(|l| l.contains(r#""notes": [ { "id": "cached_error""#) && l.contains("//"))
        .expect("README documents notes[].id");
    let listed: Vec<&str> = line
        .rsplit("//")
        .next()
        .unwrap()
        .split('|')
        .map(str::trim)
        .collect();
    let ids: Vec<&str> = cf503_core::diagnose::NoteId::ALL
        .iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(listed, ids);
}

/// The HAR reader judges a response like one judged before (the same but for the values of
/// `VERDICT_FREE_VALUES` headers) by that one's verdict. This holds only if the failure policy
/// reads none of those values: for every fixture and a few bare responses, as a 4xx and as
/// they are, with each of those headers added, no value given to it moves the verdict. (It
/// fails with `server` or `x-cache`, which the policy reads, put in that list.)
#[test]
fn the_failure_policy_reads_no_per_request_value() {
    use cf503_core::parse::har::VERDICT_FREE_VALUES;
    use cf503_core::signals::is_failing;
    // Values that would move a verdict were they read: CloudFront's markers and phrases.
    let variants = [
        "",
        "CloudFront",
        "LambdaExecutionError from cloudfront",
        "1.1 abc.cloudfront.net (CloudFront)",
        "The request could not be satisfied. Generated by cloudfront (CloudFront)",
    ];
    // Bare responses too: in the fixtures, other markers would hide a value that is read.
    let bare: &[(&str, &[u8])] = &[
        ("bare", b"HTTP/1.1 404 Not Found\n\n"),
        (
            "bare-server",
            b"HTTP/1.1 404 Not Found\nServer: CloudFront\n\n",
        ),
        (
            "bare-page",
            b"HTTP/1.1 403 Forbidden\nContent-Type: text/html\n\n<h1>403 ERROR</h1>",
        ),
    ];
    let mut checked = 0;
    let http = FIXTURES.iter().filter(|(n, _)| n.ends_with(".http"));
    for (name, bytes) in http.chain(bare.iter()) {
        let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
        let Some((status_line, rest)) = text.split_once('\n') else {
            continue;
        };
        let code = status_line.split_whitespace().nth(1).unwrap_or("503");
        for status in [code, "404"] {
            let line = status_line.replacen(code, status, 1);
            let verdict = |free: &str, value: &str| {
                let text = format!("{line}\n{free}: {value}\n{rest}");
                match parse_input(text.as_bytes()) {
                    Ok(Input::Response(obs)) => is_failing(&obs),
                    other => panic!("{name}: {other:?}"),
                }
            };
            for free in VERDICT_FREE_VALUES {
                let baseline = verdict(free, "x");
                for v in variants {
                    assert_eq!(
                        verdict(free, v),
                        baseline,
                        "{name} as {status}: {free}: {v:?} moved the verdict"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}
