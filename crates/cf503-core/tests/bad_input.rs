//! Bad input gets a clear error or a bounded result, never a panic or a hang.
//! (Time is not asserted here: a hang shows up as a test that never ends, and the figures live
//! in `just bench`.)

use cf503_core::parse::{HarError, Input, ParseError};
use cf503_core::parse_input;
use cf503_core::{Analysis, analyze, report};

// Also compiled to wasm and run in Node and Chromium, where plain `#[test]` is skipped silently.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn err(bytes: &[u8]) -> ParseError {
    match parse_input(bytes) {
        Err(e) => e,
        Ok(other) => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn empty_and_blank_input() {
    assert_eq!(err(b""), ParseError::Empty);
    assert_eq!(err(b" \r\n\t\n"), ParseError::Empty);
    assert!(err(b"").to_string().contains("curl -si"));
}

#[test]
fn binary_garbage_is_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    assert!(matches!(err(png), ParseError::Binary { .. }));
    let mut noise = Vec::new();
    let mut x: u32 = 0x1234_5678;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push(x.to_le_bytes()[0]);
    }
    let e = err(&noise);
    assert!(matches!(e, ParseError::Binary { .. }), "{e:?}");
    assert!(e.to_string().contains("binary"));
    // gzip-compressed body after valid headers: headers still diagnosed, body lossily decoded.
    let mut gz =
        b"HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nContent-Encoding: gzip\r\n\r\n"
            .to_vec();
    gz.extend_from_slice(&[0x1f, 0x8b, 0x08, 0xff, 0xfe, 0x80, 0x81]);
    assert!(matches!(parse_input(&gz), Ok(Input::Response(_))));
}

#[test]
fn text_that_is_not_http_names_the_line() {
    let e = err(b"Hello,\nthis is my question about CloudFront");
    assert_eq!(
        e,
        ParseError::NotAResponse {
            line: 1,
            found: "Hello,".into()
        }
    );
    assert!(e.to_string().contains("line 1"));
}

#[test]
fn ten_megabyte_header_value() {
    let big = "A".repeat(10 * 1024 * 1024);
    let input = format!(
        "HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nX-Big: {big}\r\nX-Cache: LambdaLimitExceeded from cloudfront\r\n\r\n"
    );
    let Ok(Analysis::Response(b)) = analyze(input.as_bytes()) else {
        panic!()
    };
    let (obs, d) = &*b;
    assert_eq!(obs.headers().get("x-big").map(str::len), Some(big.len()));
    assert_eq!(d.top().cause.as_str(), "lambda_edge_throttled");
    // Reports stay small: long values are cut.
    let huge_server = format!(
        "HTTP/1.1 503 x\r\nServer: {big}\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\n\r\n"
    );
    let Ok(a) = analyze(huge_server.as_bytes()) else {
        panic!()
    };
    for f in [
        report::Format::Text,
        report::Format::Markdown,
        report::Format::Json,
    ] {
        let out = a.render(f);
        assert!(out.len() < 64 * 1024, "{f:?}: {} bytes", out.len());
    }
}

#[test]
fn ten_megabytes_without_a_newline() {
    let line = "x".repeat(10 * 1024 * 1024);
    assert!(matches!(
        err(line.as_bytes()),
        ParseError::NotAResponse { line: 1, .. }
    ));
}

#[test]
fn a_million_header_lines() {
    let mut s = String::from("HTTP/2 503\n");
    for i in 0..1_000_000 {
        s.push_str(&format!("x-h{i}: v\n"));
    }
    let Ok(Input::Response(obs)) = parse_input(s.as_bytes()) else {
        panic!()
    };
    // Audit 2026-12 §4: memory stays bounded; the rest are counted.
    assert_eq!(obs.headers().len(), cf503_core::observation::MAX_HEADERS);
    assert_eq!(
        obs.headers_dropped(),
        1_000_000 - cf503_core::observation::MAX_HEADERS
    );
}

#[test]
fn truncated_har() {
    let har = include_str!("../../../tests/fixtures/har/mixed.har");
    let cut = &har[..har.len() / 2];
    match err(cut.as_bytes()) {
        ParseError::Har(HarError::Truncated { line, column }) => {
            assert!(line > 1 && column > 0);
        }
        other => panic!("{other:?}"),
    }
    assert!(err(cut.as_bytes()).to_string().contains("ends early"));
}

#[test]
fn har_shape_errors() {
    assert!(matches!(
        err(br#"{"log": {"entries": 5}}"#),
        ParseError::Har(HarError::Schema { .. })
    ));
    assert!(matches!(
        err(br#"{"log": {"entries": [{"response": {"status": 503, "headers": 7}}]}}"#),
        ParseError::Har(HarError::BadEntry { index: 0, .. })
    ));
    assert!(matches!(
        err(br#"{"a": 1}"#),
        ParseError::Har(HarError::NotHar)
    ));
    assert!(matches!(
        err(br#"{"a": trux}"#),
        ParseError::Har(HarError::Json { .. })
    ));
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let mut s = String::from("{\"log\":");
    s.push_str(&"[".repeat(200_000));
    assert!(matches!(err(s.as_bytes()), ParseError::Har(_)));
}

#[test]
fn fifty_megabyte_har() {
    let fail = r#"{"startedDateTime":"2026-11-26T05:00:00Z","request":{"url":"https://x/fail"},"response":{"status":503,"headers":[{"name":"Server","value":"CloudFront"},{"name":"X-Cache","value":"LambdaExecutionError from cloudfront"}],"content":{"mimeType":"text/html","text":"<H1>503 ERROR</H1>"}}}"#;
    let ok_body = "x".repeat(4000);
    let ok = format!(
        r#"{{"request":{{"url":"https://x/ok"}},"response":{{"status":200,"headers":[{{"name":"Content-Type","value":"text/plain"}}],"content":{{"mimeType":"text/plain","text":"{ok_body}\n\"quoted\""}}}}}}"#
    );
    let mut s = String::from(r#"{"log":{"version":"1.2","entries":["#);
    let mut n = 0;
    while s.len() < 50 * 1024 * 1024 {
        if n > 0 {
            s.push(',');
        }
        s.push_str(if n % 1000 == 7 { fail } else { &ok });
        n += 1;
    }
    s.push_str("]}}");
    let Ok(Analysis::Har { har, diagnoses }) = analyze(s.as_bytes()) else {
        panic!()
    };
    assert_eq!(har.total_entries, n);
    // The failures are identical: kept once, with the count.
    assert_eq!(har.failing.len(), 1);
    assert_eq!(
        har.failing[0].repeats,
        (0..n).filter(|i| i % 1000 == 7).count()
    );
    assert!(
        diagnoses
            .iter()
            .all(|d| d.top().cause.as_str() == "lambda_edge_execution")
    );
}

#[test]
fn invalid_utf8_in_a_body_is_replaced() {
    let mut input = b"HTTP/1.1 503 Service Unavailable\r\nServer: nginx\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\n\r\nno healthy \xff\xfe upstream".to_vec();
    input.extend_from_slice(&[b'x'; 100]);
    let Ok(Input::Response(obs)) = parse_input(&input) else {
        panic!()
    };
    assert!(obs.page_text().unwrap().contains('\u{fffd}'));
}

#[test]
fn hostile_values_cannot_inject_into_reports() {
    let input = "HTTP/1.1 503 x\r\nServer: evil\u{1b}[2J\u{7}`| <script>alert(1)</script>\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: Error from cloudfront\r\n\r\n";
    let Ok(a) = analyze(input.as_bytes()) else {
        panic!()
    };
    let text = a.render(report::Format::Text);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
    let md = a.render(report::Format::Markdown);
    assert!(!md.contains('\u{1b}'));
    assert!(md.contains("``evil"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&a.render(report::Format::Json)).unwrap();
    assert!(
        json["observed"]["server"]
            .as_str()
            .unwrap()
            .contains("<script>")
    );
}

/// Front ends hand over captured responses as data (feature `serde`): deserialising must redact
/// exactly as the parsers do.
#[cfg(feature = "serde")]
#[test]
fn deserialised_observations_are_redacted() {
    let obs: cf503_core::Observation = serde_json::from_value(serde_json::json!({
        "url": "https://d1.cloudfront.net/a?Signature=sekrit1&x=1",
        "status": 503,
        "headers": [["Set-Cookie", "sid=sekrit2; Path=/"], ["Authorization", "Bearer sekrit3"], ["X-Cache", "LambdaLimitExceeded from cloudfront"]],
        "page_text": "token=sekrit4",
    }))
    .unwrap();
    let all = format!("{obs:?}");
    for s in ["sekrit1", "sekrit2", "sekrit3", "sekrit4"] {
        assert!(!all.contains(s), "{s} in {all}");
    }
    assert_eq!(
        cf503_core::diagnose(&obs).top().cause.as_str(),
        "lambda_edge_throttled"
    );
}

/// Audit 2026-12 §11: one bad header entry no longer makes the whole file unreadable.
#[test]
fn a_lone_surrogate_or_one_bad_entry_does_not_sink_the_har_file() {
    let one = br#"{"log":{"entries":[{"response":{"status":503,"headers":[{"name":"Server","value":"Cloud\ud800Front"},{"name":"X-Cache","value":"LambdaLimitExceeded from cloudfront"}]}}]}}"#;
    let Ok(Analysis::Har { har, diagnoses }) = analyze(one) else {
        panic!("a lone surrogate made the file unreadable")
    };
    assert_eq!(har.failing.len(), 1);
    assert_eq!(diagnoses[0].top().cause.as_str(), "lambda_edge_throttled");
    assert!(
        har.failing[0]
            .observation
            .headers()
            .get("server")
            .unwrap()
            .contains('\u{fffd}')
    );

    let mixed = br#"{"log":{"entries":[{"response":{"status":503,"headers":7}},{"response":{"status":503,"headers":[{"name":"X-Cache","value":"LambdaExecutionError from cloudfront"}]}}]}}"#;
    let Ok(a @ Analysis::Har { .. }) = analyze(mixed) else {
        panic!()
    };
    let Analysis::Har { har, .. } = &a else {
        unreachable!()
    };
    assert_eq!((har.failing.len(), har.unreadable), (1, 1));
    assert!(
        a.render(report::Format::Text)
            .contains("1 failing entries could not be read")
    );
    let json: serde_json::Value = serde_json::from_str(&a.render(report::Format::Json)).unwrap();
    assert_eq!(json["unreadable_entries"], 1);
}

/// Audit 2026-12 §4: thousands of failing entries (a load test's HAR) stay bounded: identical
/// ones are grouped, distinct ones past the cap are counted, and the JSON stays small.
#[test]
fn many_failing_har_entries_are_grouped_and_capped() {
    let mut s = String::from(r#"{"log":{"entries":["#);
    for i in 0..20_000 {
        if i > 0 {
            s.push(',');
        }
        // Every 10th entry is a distinct failure (its own Server value); the rest repeat one.
        let server = if i % 10 == 0 {
            format!("origin-{i}")
        } else {
            "CloudFront".into()
        };
        s.push_str(&format!(
            r#"{{"request":{{"url":"https://x/{i}"}},"response":{{"status":503,"headers":[{{"name":"Server","value":"{server}"}},{{"name":"X-Amz-Cf-Id","value":"id{i}=="}},{{"name":"X-Cache","value":"Error from cloudfront"}}]}}}}"#
        ));
    }
    s.push_str("]}}");
    let Ok(a @ Analysis::Har { .. }) = analyze(s.as_bytes()) else {
        panic!()
    };
    let Analysis::Har { har, .. } = &a else {
        unreachable!()
    };
    assert_eq!(
        har.failing.len(),
        cf503_core::parse::har::MAX_DISTINCT_FAILURES
    );
    assert_eq!(har.failing[0].repeats, 1);
    assert_eq!(
        har.failing[1].repeats, 18_000,
        "the repeated CloudFront failure"
    );
    assert_eq!(
        har.summarised,
        2_000 - (cf503_core::parse::har::MAX_DISTINCT_FAILURES - 1)
    );
    let json = a.render(report::Format::Json);
    assert!(json.len() < 4 * 1024 * 1024, "{} bytes", json.len());
}

/// Audit 2026-12 §2: folded (continuation) header lines were quadratic (50 KB took 6 s, 250 KB
/// over a minute). A megabyte of them now parses like any megabyte.
#[test]
fn a_megabyte_of_folded_header_lines() {
    let cf = "HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nX-Cache: Error from cloudfront\r\n";
    for (first, fold) in [
        ("Set-Cookie: a=b\r\n", " ;c\r\n"),
        ("X-Long: a\r\n", " bbbbbbbbbbbbbbbb\r\n"),
    ] {
        let mut s = format!("{cf}{first}");
        while s.len() < 1024 * 1024 {
            s.push_str(fold);
        }
        s.push_str("\r\n");
        let Ok(Input::Response(obs)) = parse_input(s.as_bytes()) else {
            panic!()
        };
        assert_eq!(obs.headers().len(), 3, "{first}");
    }
}

/// Audit 2026-12 §9: CR-only line endings (and a lone CR) lost every header silently.
#[test]
fn cr_only_line_endings_keep_the_headers() {
    let input = b"HTTP/1.1 503 Service Unavailable\rServer: CloudFront\rX-Cache: LambdaLimitExceeded from cloudfront\r\r<h1>503</h1>";
    let Ok(Analysis::Response(b)) = analyze(input) else {
        panic!()
    };
    assert_eq!(b.0.headers().len(), 2);
    assert_eq!(b.1.top().cause.as_str(), "lambda_edge_throttled");
}
