//! CloudFront's vocabulary recognised the way people paste it (issue 17): any fragment of at
//! least six consecutive words of a catalogued sentence, in any case, re-wrapped, HTML-entity or
//! JSON escaped, quoted, behind a tool's log prefix, names its sentence; every documented result
//! type names its own cause; a result-type-shaped name no table lists goes to its family, never
//! elsewhere.
//!
//! Native only (proptest), like properties.rs.
#![cfg(not(target_arch = "wasm32"))]

use cf503_core::causes::CauseId;
use cf503_core::diagnose::rules;
use cf503_core::parse::Input;
use cf503_core::signals::{self, ResultFamily, Signals};
use cf503_core::vocab::{self, MIN_FRAGMENT_WORDS};
use cf503_core::{diagnose, parse_input};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 384,
        ..ProptestConfig::default()
    }
}

/// What a tool puts around a quoted sentence.
fn wrapping() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        Just((String::new(), String::new())),
        Just(("2026-12-03T10:00:00.123Z ERROR ".into(), String::new())),
        Just(("npm ERR! ".into(), String::new())),
        Just(("> ".into(), String::new())),
        Just(("`".into(), "`".into())),
        Just(("**".into(), "**".into())),
        Just(("{\"message\": \"".into(), "\"}".into())),
        Just(("HttpError: ".into(), " (status 503)".into())),
        Just(("Error: \"".into(), "\"".into())),
    ]
}

/// A sentence's words, changed as pastes change them.
fn disguise(words: &[&str], upper: &[bool], breaks: &[bool], escape: u8) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(if breaks[i % breaks.len()] {
                "\n  "
            } else {
                " "
            });
        }
        let w = if upper[i % upper.len()] {
            w.to_uppercase()
        } else {
            (*w).to_string()
        };
        let w = match escape {
            0 => w,
            1 => w.replace('\'', "&#x27;"),
            2 => w.replace('\'', "&#39;").replace('"', "&quot;"),
            3 => w.replace('\'', "\\u0027").replace('"', "\\\""),
            _ => w.replace('\'', "\u{2019}"),
        };
        out.push_str(&w);
    }
    out
}

fn phrase_of(text: &str) -> Option<signals::CfPhrase> {
    match parse_input(text.as_bytes()) {
        Ok(Input::Response(obs)) => Signals::extract(&obs).cf_phrase,
        _ => None,
    }
}

proptest! {
    #![proptest_config(config())]

    /// A fragment of a catalogued sentence names it (or, when the fragment is shared by
    /// several sentences, one of those), however it is wrapped.
    #[test]
    fn fragments_of_cloudfront_sentences_are_recognised(
        which in any::<prop::sample::Index>(),
        start in any::<prop::sample::Index>(),
        extra in 0usize..8,
        upper in prop::collection::vec(any::<bool>(), 1..5),
        breaks in prop::collection::vec(any::<bool>(), 1..5),
        escape in 0u8..5,
        (before, after) in wrapping(),
    ) {
        let table = signals::cf_sentences();
        let (phrase, sentence) = table[which.index(table.len())];
        let all: Vec<&str> = sentence.split(' ').collect();
        let len = (MIN_FRAGMENT_WORDS + extra).min(all.len());
        let first = start.index(all.len() - len + 1);
        let fragment = &all[first..first + len];
        let text = format!("{before}{}{after}", disguise(fragment, &upper, &breaks, escape));
        // Which sentences hold this run of words.
        let needle = vocab::words(&fragment.join(" "));
        let holders: Vec<signals::CfPhrase> = table
            .iter()
            .filter(|(_, s)| vocab::words(s).windows(needle.len()).any(|w| w == needle.as_slice()))
            .map(|(p, _)| *p)
            .collect();
        let got = phrase_of(&text);
        prop_assert!(got.is_some_and(|g| holders.contains(&g)), "{text:?}: got {got:?}, holders {holders:?}");
        if holders.iter().all(|p| *p == phrase) {
            prop_assert_eq!(got, Some(phrase), "{:?}", text);
        }
    }

    /// A name shaped like a result type that no table lists is weighed by its family: the
    /// verdict is that family's cause, never another (before: edge_capacity).
    #[test]
    fn undocumented_result_types_go_to_their_family(
        family in 0usize..4,
        middle in "[A-Z][a-z]{2,8}",
        status in prop_oneof![Just(502u16), Just(503), Just(504)],
    ) {
        let (prefix, suffix, cause) = [
            ("Function", "Error", CauseId::CloudFrontFunctionError),
            ("Lambda", "Error", CauseId::LambdaEdgeExecution),
            ("Origin", "Error", CauseId::OriginOverloaded),
            ("Request", "LimitExceeded", CauseId::CloudFrontQuota),
        ][family];
        let name = format!("{prefix}{middle}{suffix}");
        prop_assume!(signals::ResultType::parse(&name).is_none());
        prop_assert!(ResultFamily::of(&name).is_some(), "{}", name);
        let input = format!("HTTP/1.1 {status} x\r\nServer: CloudFront\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: {name} from cloudfront\r\nX-Amz-Cf-Pop: IAD89-C1\r\nX-Amz-Cf-Id: abc==\r\n\r\n");
        let Ok(Input::Response(obs)) = parse_input(input.as_bytes()) else {
            return Err(TestCaseError::fail("did not parse"));
        };
        let d = diagnose(&obs);
        prop_assert_eq!(d.top().cause, cause, "{}", name);
        prop_assert!(d.notes.iter().any(|n| n.id == cf503_core::diagnose::NoteId::UndocumentedResultType));
        // The same name written in a log line names the same family.
        let line = format!("2026-12-03 10:00:01 edge returned {name} for /index.html");
        let Ok(Input::Response(obs)) = parse_input(line.as_bytes()) else {
            return Err(TestCaseError::fail("did not parse the log line"));
        };
        prop_assert_eq!(Signals::extract(&obs).result_family.map(|(f, _)| f), ResultFamily::of(&name));
    }
}

/// Every documented result type in `X-Cache` names its own cause (the rule table's), on the
/// statuses it comes with.
#[test]
fn every_documented_result_type_names_its_own_cause() {
    for (t, name) in signals::result_types() {
        for status in [502u16, 503, 504] {
            let Some(want) = rules::implied_cause(rules::Fact::Result(*t), Some(status)) else {
                continue;
            };
            let input = format!(
                "HTTP/1.1 {status} x\r\nServer: CloudFront\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: {name} from cloudfront\r\n\r\n"
            );
            let Ok(Input::Response(obs)) = parse_input(input.as_bytes()) else {
                panic!("{name}: did not parse");
            };
            assert_eq!(diagnose(&obs).top().cause, want, "{name} on {status}");
            // Written in a sentence, the same (the edge's own errors and the detailed types).
            let sentence = format!("we got a {status} and the logs say {name} for every request");
            if let Ok(Input::Response(obs)) = parse_input(sentence.as_bytes()) {
                let got = diagnose(&obs).top().cause;
                assert!(
                    got == want || got == CauseId::Unknown,
                    "{sentence}: {got:?}"
                );
            }
        }
    }
}

fn diagnosis_of(text: &str) -> cf503_core::Diagnosis {
    let Ok(Input::Response(obs)) = parse_input(text.as_bytes()) else {
        panic!("did not parse: {text}");
    };
    diagnose(&obs)
}

/// Issue 17 classes 4 and 5: a bare CloudFront 504 ranks the connection that never completes
/// second; an origin proxy's own upstream time-out, relayed, is said to be that proxy's.
#[test]
fn ambiguous_504s_are_ranked_and_relayed_proxy_timeouts_named() {
    let bare = diagnosis_of(
        "HTTP/2 504\r\nserver: CloudFront\r\nx-cache: Error from cloudfront\r\nvia: 1.1 a.cloudfront.net (CloudFront)\r\ncontent-type: text/html\r\n\r\n<HTML><HEAD><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD><BODY><H1>504 Gateway Timeout ERROR</H1><H2>The request could not be satisfied.</H2>Generated by cloudfront (CloudFront)</BODY></HTML>",
    );
    let causes: Vec<CauseId> = bare.findings.iter().map(|f| f.cause).collect();
    assert_eq!(causes[0], CauseId::OriginTimeout, "{causes:?}");
    assert!(causes[1..].contains(&CauseId::OriginConnect), "{causes:?}");
    // Each alternative comes with the one question that tells it from the verdict.
    let view = cf503_core::report::view(&bare);
    let connect = view
        .others
        .iter()
        .find(|o| o.cause == "origin_connect")
        .unwrap();
    assert!(
        connect.question.contains("HTTPS on 443"),
        "{}",
        connect.question
    );
    for cause in cf503_core::causes::CATALOGUE {
        assert!(
            cause.question.ends_with('?'),
            "{}: {}",
            cause.name,
            cause.question
        );
    }
    for (server, body) in [
        ("envoy", "upstream request timeout"),
        (
            "nginx",
            "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>",
        ),
    ] {
        let d = diagnosis_of(&format!(
            "HTTP/1.1 504 Gateway Timeout\r\nServer: {server}\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: Error from cloudfront\r\nX-Amz-Cf-Pop: FRA56-P1\r\n\r\n{body}"
        ));
        assert!(
            d.notes
                .iter()
                .any(|n| n.id == cf503_core::diagnose::NoteId::RelayedProxyTimeout),
            "{server}: {:?}",
            d.notes
        );
    }
}

/// Issue 17 class 6: another CDN's own page says "not through CloudFront", whatever status.
#[test]
fn fastly_and_cloudflare_pages_are_not_cloudfront() {
    for page in [
        "Error 503 Backend is unhealthy\n\nBackend is unhealthy\n\nGuru Mediation:\n\nDetails: cache-fra19126-FRA 1700000000 123456\n\nVarnish cache server",
        "503 No healthy backends",
        "{\"title\": \"Error 502: Bad gateway\", \"status\": 502, \"cloudflare_error\": true}",
        // Cloudflare's title shape (host, bar, code, colon, its reason), any case, in a log line.
        "ERROR - state: <!DOCTYPE html>\n<html><head>\n<title>api.example.com | 504: Gateway time-out</title>",
        "<title>Example.COM | 522: CONNECTION TIMED OUT</title>",
        "shop.example | 523: Origin is unreachable",
    ] {
        assert_eq!(
            diagnosis_of(page).top().cause,
            CauseId::NotCloudFront,
            "{page}"
        );
    }
    // A stock server's `504 Gateway Time-out` title is not Cloudflare's shape.
    for page in [
        "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>",
        "Status | 503: Service unavailable (down for maintenance)",
    ] {
        assert_ne!(
            diagnosis_of(page).top().cause,
            CauseId::NotCloudFront,
            "{page}"
        );
    }
    // An origin's own Varnish behind CloudFront stays the origin's.
    let d = diagnosis_of(
        "HTTP/1.1 503 Backend fetch failed\r\nVia: 1.1 varnish, 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: Error from cloudfront\r\n\r\nError 503 Backend fetch failed\nGuru Meditation:\nXID: 3\nVarnish cache server",
    );
    assert_ne!(d.top().cause, CauseId::NotCloudFront);
}

/// Reports print evidence as `signal: value`; the `server` signal's value is the header's value
/// alone, not `Server: …` again (`server: Server: AmazonS3` read as a stutter).
#[test]
fn server_evidence_is_the_header_value_alone() {
    let values = |text: &str| -> Vec<String> {
        diagnosis_of(text)
            .findings
            .iter()
            .flat_map(|f| &f.evidence)
            .filter(|e| e.signal == "server")
            .map(|e| e.value.clone())
            .collect()
    };
    let relayed = values(
        "HTTP/1.1 503 Slow Down\r\nServer: AmazonS3\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: Error from cloudfront\r\n\r\n",
    );
    assert!(!relayed.is_empty());
    assert!(relayed.iter().all(|v| v == "AmazonS3"), "{relayed:?}");
    let made = values(
        "HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nX-Cache: Error from cloudfront\r\n\r\n",
    );
    assert!(!made.is_empty());
    assert!(made.iter().all(|v| v == "CloudFront"), "{made:?}");
}
