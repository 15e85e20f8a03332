//! The distribution config (issue 19): the six test distributions of `tests/fixtures/config/`
//! (written by botocore's serializer and hand-mapped to CloudFormation and Terraform by
//! `gen.py`) read to equal models in every form; behaviour matching as CloudFront documents it;
//! bad configs get an error that says what was expected; each risk finding fires on its positive
//! fixture and not on the others; a diagnosis joined to a config names the function, its log
//! group in the edge's Region, and the origin.

use cf503_core::config::model::{Distribution, EventType, OriginType, Val};
use cf503_core::config::risks::{RiskId, risks};
use cf503_core::config::routing::{self, Picked, Target, path_matches, route};
use cf503_core::config::{ConfigError, Configs, Form, read};
use cf503_core::parse::Input;
use cf503_core::{diagnose, parse_input};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/config/", $name)).as_slice()
    };
    ($name:literal, $ext:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/config/", $name, $ext)).as_slice()
    };
}

/// One test distribution: its name, its id, and every form of it (form, bytes).
type Forms = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static [u8])>,
);

/// The six test distributions in every form.
fn forms() -> Vec<Forms> {
    macro_rules! six {
        ($($name:literal $id:literal,)*) => {
            vec![$(($name, $id, vec![
                ("config.json", fixture!($name, ".config.json")),
                ("config.xml", fixture!($name, ".config.xml")),
                ("distribution.json", fixture!($name, ".distribution.json")),
                ("distribution.xml", fixture!($name, ".distribution.xml")),
                ("cfn.json", fixture!($name, ".cfn.json")),
                ("tf.json", fixture!($name, ".tf.json")),
            ])),*]
        };
    }
    six![
        "lambda-auth" "E1AUTHEXAMPLE1",
        "function-url" "E2FURLEXAMPLE2",
        "api-gateway" "E3APIGEXAMPLE3",
        "alb-failover" "E4ALBFEXAMPLE4",
        "legacy-origin" "E5LEGCEXAMPLE5",
        "vpc-mtls" "E6VPCMEXAMPLE6",
    ]
}

fn one(bytes: &[u8]) -> Distribution {
    let c = read(bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.distributions.len(), 1, "{:?}", c.form);
    c.distributions.into_iter().next().unwrap()
}

fn config_only(mut d: Distribution) -> Distribution {
    d.label = None;
    d.id = None;
    d.domain_name = None;
    d
}

fn dist(name: &str) -> Distribution {
    let (_, _, f) = forms().into_iter().find(|(n, _, _)| *n == name).unwrap();
    one(f[3].1)
}

#[test]
fn every_form_reads_to_the_same_model() {
    let list_json = read(fixture!("list-distributions.json")).unwrap();
    let list_xml = read(fixture!("list-distributions.xml")).unwrap();
    assert_eq!(list_json.form, Form::ApiListJson);
    assert_eq!(list_xml.form, Form::ApiListXml);
    assert_eq!(list_json.distributions, list_xml.distributions);
    assert_eq!(list_json.distributions.len(), 6);
    for (name, id, forms) in forms() {
        let reference = one(forms[3].1); // get-distribution XML: everything, as AWS sends it
        assert_eq!(reference.id.as_deref(), Some(id));
        for (form, bytes) in &forms {
            let d = one(bytes);
            assert_eq!(
                config_only(d.clone()),
                config_only(reference.clone()),
                "{name} as {form}"
            );
            // Forms that carry the id and domain carry the same ones.
            if let Some(got) = &d.id {
                assert_eq!(got, id, "{name} {form}");
                assert_eq!(d.domain_name, reference.domain_name, "{name} {form}");
            }
        }
        let listed = list_json
            .distributions
            .iter()
            .find(|d| d.id.as_deref() == Some(id))
            .unwrap();
        assert_eq!(listed, &reference, "{name} in list-distributions");
    }
}

#[test]
fn the_forms_are_told_apart() {
    let f = forms();
    let (_, _, lambda) = &f[0];
    let expect = [
        Form::ApiConfigJson,
        Form::ApiConfigXml,
        Form::ApiDistributionJson,
        Form::ApiDistributionXml,
        Form::CloudFormation,
        Form::Terraform,
    ];
    for ((form, bytes), want) in lambda.iter().zip(expect) {
        assert_eq!(read(bytes).unwrap().form, want, "{form}");
    }
}

#[test]
fn the_model_holds_what_issue_19_lists() {
    let d = dist("lambda-auth");
    assert_eq!(
        d.aliases,
        vec![
            Val::Known("example.com".to_string()),
            Val::Known("www.example.com".to_string())
        ]
    );
    let l = &d.default_behavior.lambdas[0];
    assert_eq!(l.event, EventType::ViewerRequest);
    assert_eq!(l.name_and_version(), Some(("auth", Some("7"))));
    let api = d
        .behaviors
        .iter()
        .find(|b| b.path_pattern.as_deref() == Some("/api/*"))
        .unwrap();
    assert!(api.lambdas.iter().any(|l| l.include_body));
    assert_eq!(api.allowed_methods.len(), 7);
    let app = d.origin("app").unwrap();
    assert_eq!(app.custom_header_names, vec!["X-Origin-Verify".to_string()]);
    let vpc = dist("vpc-mtls");
    assert!(matches!(
        vpc.origin("internal-alb").unwrap().kind,
        OriginType::Vpc { .. }
    ));
    assert!(
        vpc.origin("mtls")
            .unwrap()
            .custom()
            .unwrap()
            .mtls_certificate
            .is_some()
    );
    assert_eq!(vpc.default_behavior.functions.len(), 2);
    let legacy = dist("legacy-origin");
    let old = legacy.origin("old-https").unwrap();
    assert_eq!(old.response_completion_timeout, Some(Val::Known(90)));
    assert_eq!(
        old.custom().unwrap().ip_address_type.as_deref(),
        Some("dualstack")
    );
    let alb = dist("alb-failover");
    assert_eq!(alb.origin_groups[0].failover_codes, vec![500, 502, 504]);
    assert_eq!(alb.origin_groups[0].members, vec!["alb", "backup"]);
    assert_eq!(
        alb.origin("alb").unwrap().origin_shield,
        Some(Val::Known("eu-central-1".to_string()))
    );
    let api = dist("api-gateway");
    assert_eq!(
        api.error_response(503).unwrap().min_ttl,
        Some(Val::Known(300))
    );
}

#[test]
fn template_expressions_stay_unresolved() {
    let c = read(fixture!("unresolved.cfn.json")).unwrap();
    assert_eq!(c.form, Form::CloudFormation);
    let d = &c.distributions[0];
    assert_eq!(d.label.as_deref(), Some("Site"));
    let o = d.origin("app").unwrap();
    assert_eq!(
        o.domain_name,
        Val::Unresolved("Fn::GetAtt LoadBalancer.DNSName".into())
    );
    assert_eq!(o.read_timeout(), None, "a Ref is not CloudFront's default");
    assert_eq!(
        d.default_behavior.lambdas[0].arn,
        Val::Unresolved("Ref AuthVersion".into())
    );
    assert_eq!(d.default_behavior.lambdas[0].name_and_version(), None);
    // The only distribution, its names unknown: used, and said so.
    let r = route(&c.distributions, Some("https://www.example.com/x")).unwrap();
    assert_eq!(r.picked, Picked::OnlyOne);
}

/// (pattern, path, matches): CloudFront's documented rules (sources `CFG-PATH`).
const PATTERNS: &[(&str, &str, bool)] = &[
    ("*", "/", true),
    ("*", "/anything/at/all", true),
    ("/images/*", "/images/a.jpg", true),
    ("/images/*", "/images/", true),
    ("/images/*", "/images/a/b/c.png", true),
    ("/images/*", "/images", false),
    ("/images/*", "/Images/a.jpg", false),
    ("images/*", "/images/a.jpg", true),
    ("images/*", "/other/images/a.jpg", false),
    ("/images/*.jpg", "/images/a.jpg", true),
    ("/images/*.jpg", "/images/sub/a.jpg", true),
    ("/images/*.jpg", "/images/a.JPG", false),
    ("/images/*.jpg", "/images/a.jpg.png", false),
    ("*.jpg", "/a.jpg", true),
    ("*.jpg", "/deep/er/a.jpg", true),
    ("*.jpg", "/a.jpeg", false),
    ("/img/?/thumb*", "/img/1/thumb.png", true),
    ("/img/?/thumb*", "/img/12/thumb.png", false),
    ("/img/?/thumb*", "/img//thumb.png", false),
    ("/img/?/thumb*", "/img/é/thumb", true),
    ("/a?c", "/abc", true),
    ("/a?c", "/ac", false),
    ("/a?c", "/abbc", false),
    ("/api/*", "/api/v1/users", true),
    ("/api/*", "/API/v1/users", false),
    ("/api/*", "/apiv1", false),
    ("/api*", "/apiv1", true),
    ("/api*", "/api", true),
    ("/*/static/*", "/en/static/app.js", true),
    ("/*/static/*", "/static/app.js", false),
    ("/*.html", "/index.html", true),
    ("/*.html", "/a/b/index.html", true),
    ("/index.html", "/index.html", true),
    ("/index.html", "/index.htm", false),
    ("/index.html", "/index.html/", false),
    ("/**", "/x", true),
    ("/a*b*c", "/aXbYc", true),
    ("/a*b*c", "/aXbY", false),
    ("/a*b*c", "/abc", true),
    ("/a*b*c*", "/a-b-c-d", true),
    (
        "/*a*a*a*a*a*b",
        "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        false,
    ),
    ("/files/?", "/files/", false),
    ("/files/??", "/files/ab", true),
];

#[test]
fn path_patterns_match_as_cloudfront_documents() {
    assert!(PATTERNS.len() >= 40);
    for (pattern, path, want) in PATTERNS {
        assert_eq!(path_matches(pattern, path), *want, "{pattern} vs {path}");
    }
}

#[test]
fn behaviours_are_taken_in_order_default_last() {
    let d = dist("lambda-auth");
    let cases = [
        ("/api/users", Some("/api/*")),
        ("/api/users?x=1", Some("/api/*")),
        ("/static/app.js", Some("static/*")),
        ("/images/cat.jpg", Some("/images/*.jpg")),
        ("/images/cat.png", None),
        ("/img/3/thumb-small.webp", Some("/img/?/thumb*")),
        ("/", None),
        ("/API/users", None),
    ];
    for (path, want) in cases {
        assert_eq!(
            routing::behavior_for(&d, path).path_pattern.as_deref(),
            want,
            "{path}"
        );
    }
    let alb = dist("alb-failover");
    assert_eq!(
        routing::behavior_for(&alb, "/checkout/pay")
            .path_pattern
            .as_deref(),
        Some("/checkout/*")
    );
    assert_eq!(
        routing::behavior_for(&alb, "/CHECKOUT/pay")
            .path_pattern
            .as_deref(),
        Some("/CHECKOUT/*")
    );
}

#[test]
fn hosts_pick_the_distribution() {
    let all = read(fixture!("list-distributions.json"))
        .unwrap()
        .distributions;
    let pick =
        |url: &str| route(&all, Some(url)).map(|r| (r.distribution.id.clone().unwrap(), r.picked));
    assert_eq!(
        pick("https://www.example.com/").unwrap(),
        (
            "E1AUTHEXAMPLE1".into(),
            Picked::Alias("www.example.com".into())
        )
    );
    assert_eq!(
        pick("https://WWW.Example.COM:443/x").unwrap().0,
        "E1AUTHEXAMPLE1"
    );
    assert_eq!(
        pick("https://d333333abcdef8.cloudfront.net/").unwrap(),
        ("E3APIGEXAMPLE3".into(), Picked::DomainName)
    );
    assert_eq!(
        pick("https://shop.example.io/").unwrap(),
        (
            "E4ALBFEXAMPLE4".into(),
            Picked::WildcardAlias("*.example.io".into())
        )
    );
    assert_eq!(pick("https://example.io/").unwrap().0, "E4ALBFEXAMPLE4");
    assert!(pick("https://example.io.evil.test/").is_err());
    let err = pick("https://nobody.example.test/").unwrap_err();
    assert!(err.to_string().contains("nobody.example.test"), "{err}");
    assert!(
        route(&all, None)
            .unwrap_err()
            .to_string()
            .contains("6 distributions")
    );
    // A group target lists its members, primary first.
    let r = route(&all, Some("https://example.io/checkout/1")).unwrap();
    match r.target {
        Target::Group(g, members) => {
            assert_eq!(g.id, "primary-with-backup");
            assert_eq!(
                members.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
                ["alb", "backup"]
            );
        }
        other => panic!("{other:?}"),
    }
}

fn err(bytes: &[u8]) -> ConfigError {
    match read(bytes) {
        Ok(c) => panic!("read as {:?}", c.form),
        Err(e) => e,
    }
}

#[test]
fn bad_configs_say_what_was_expected() {
    let truncated = err(fixture!("bad/truncated.config.json"));
    assert!(
        matches!(truncated, ConfigError::Json { .. }),
        "{truncated:?}"
    );
    assert!(truncated.to_string().contains("cut short"), "{truncated}");
    let truncated = err(fixture!("bad/truncated.config.xml"));
    assert!(
        matches!(truncated, ConfigError::Xml { .. }),
        "{truncated:?}"
    );
    let lambda = err(fixture!("bad/lambda-function-configuration.json"));
    let words = lambda.to_string();
    assert!(
        words.contains("FunctionName") && words.contains("get-distribution-config"),
        "{words}"
    );
    assert!(
        !words.contains("auth-edge"),
        "values are not echoed: {words}"
    );
    let s3 = err(fixture!("bad/s3-only.cfn.json")).to_string();
    assert!(
        s3.contains("AWS::S3::Bucket") && s3.contains("2 resources"),
        "{s3}"
    );
    assert_eq!(err(fixture!("bad/template.yaml")), ConfigError::Yaml);
    let xml = err(fixture!("bad/s3-list-bucket.xml")).to_string();
    assert!(
        xml.contains("ListBucketResult") && xml.contains("DistributionConfig"),
        "{xml}"
    );
    // A list whose tags no longer pair up (found by the fuzzer: an element name damaged inside
    // it) is an XML error naming both tags, not its distributions read shifted, or none; an
    // answer that lists nothing is no configuration, in XML as in JSON.
    let list = String::from_utf8(fixture!("list-distributions.xml").to_vec()).unwrap();
    let damaged = list.replacen("<IsTruncated>", "<IsTruncas><IsTruncated>", 1);
    let e = err(damaged.as_bytes());
    assert!(matches!(e, ConfigError::Xml { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("</DistributionList> where <IsTruncas> is open"),
        "{e}"
    );
    let empty = br#"<?xml version="1.0"?><DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Quantity>0</Quantity><Items></Items></DistributionList>"#;
    assert!(matches!(err(empty), ConfigError::NoDistribution { .. }));
    assert_eq!(err(b"  \n"), ConfigError::Empty);
    assert_eq!(err(&[0xff, 0xfe, 0x00]), ConfigError::NotText);
    assert!(matches!(err(b"[1,2]"), ConfigError::NoDistribution { .. }));
    // Only key names are quoted, and a key shaped like a secret is hidden too.
    let e = err(br#"{"AKIAIOSFODNN7EXAMPLE": "wJalrXUtnFEMI", "Region": "x"}"#).to_string();
    assert!(
        !e.contains("AKIAIOSFODNN7EXAMPLE") && !e.contains("wJalrXUtnFEMI") && e.contains("Region"),
        "{e}"
    );
    // A wrong value where a number belongs names the field.
    let bad = String::from_utf8(fixture!("lambda-auth.config.json").to_vec())
        .unwrap()
        .replacen(
            "\"OriginReadTimeout\": 30",
            "\"OriginReadTimeout\": \"soon\"",
            1,
        );
    let e = err(bad.as_bytes()).to_string();
    assert!(
        e.contains("origin app: OriginReadTimeout") && e.contains("whole number"),
        "{e}"
    );
    // A 10 MB template: refused by size, with what to give instead.
    let mut big =
        b"{\"Resources\": {\"Pad\": {\"Type\": \"AWS::S3::Bucket\", \"Metadata\": \"".to_vec();
    big.resize(10 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"}}}");
    let e = err(&big);
    assert!(matches!(e, ConfigError::TooLarge { .. }));
    assert!(e.to_string().contains("get-distribution-config"), "{e}");
    // Deep nesting is an error, not a stack overflow.
    let deep = "[".repeat(100_000);
    assert!(read(deep.as_bytes()).is_err());
    let deep_xml = format!(
        "<DistributionConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">{}",
        "<a>".repeat(10_000)
    );
    assert!(read(deep_xml.as_bytes()).is_err());
}

/// Which risk findings each test distribution must have; every other id must be absent.
const EXPECTED_RISKS: &[(&str, &[RiskId])] = &[
    (
        "lambda-auth",
        &[RiskId::KeepaliveRace, RiskId::ViewerRequestLambdaOnDefault],
    ),
    ("function-url", &[RiskId::ReadTimeoutBelowOriginLimit]),
    ("api-gateway", &[RiskId::ErrorCacheLong]),
    (
        "alb-failover",
        &[
            RiskId::KeepaliveRace,
            RiskId::WorstCase504Wait,
            RiskId::FailoverCodesPartial,
        ],
    ),
    (
        "legacy-origin",
        &[
            RiskId::KeepaliveRace,
            RiskId::OriginSslProtocolsLegacy,
            RiskId::HttpOnlyOriginWithHttpsViewer,
        ],
    ),
    // The VPC origin is an internal ALB: 30 s against its 60 s idle time-out.
    (
        "vpc-mtls",
        &[RiskId::ReadTimeoutBelowOriginLimit, RiskId::KeepaliveRace],
    ),
];

#[test]
fn each_risk_fires_on_its_positive_fixture_only() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, want) in EXPECTED_RISKS {
        let got: std::collections::BTreeSet<RiskId> =
            risks(&dist(name)).iter().map(|r| r.id).collect();
        let want: std::collections::BTreeSet<RiskId> = want.iter().copied().collect();
        assert_eq!(got, want, "{name}: {:#?}", risks(&dist(name)));
        seen.extend(got);
    }
    // Every id but the one no deployed config can have (TargetMissing: the API refuses it) has a
    // positive fixture here; and a negative one, since each is absent from some distribution.
    for r in cf503_core::config::risks::RISKS {
        if r.id != RiskId::TargetMissing {
            assert!(seen.contains(&r.id), "{} has no positive fixture", r.name);
        }
    }
    // The keep-alive race does not fire on an origin keeping 2 s against Node's 5 s.
    let legacy = risks(&dist("legacy-origin"));
    assert!(
        !legacy
            .iter()
            .any(|r| r.id == RiskId::KeepaliveRace && r.subject == "origin plain-http")
    );
    // API Gateway at the default 30 s: no read time-out finding (29 s < 30 s).
    assert!(
        !risks(&dist("api-gateway"))
            .iter()
            .any(|r| r.id == RiskId::ReadTimeoutBelowOriginLimit)
    );
}

#[test]
fn a_missing_target_is_an_error_finding() {
    let text = String::from_utf8(fixture!("lambda-auth.config.json").to_vec())
        .unwrap()
        .replacen(
            "\"TargetOriginId\": \"assets\"",
            "\"TargetOriginId\": \"gone\"",
            1,
        );
    let d = one(text.as_bytes());
    let r = risks(&d);
    assert_eq!(r[0].id, RiskId::TargetMissing, "{r:#?}");
    assert!(r[0].text.contains("gone"));
}

fn diagnosis_with(response: &[u8], config: &Configs, url: Option<&str>) -> cf503_core::Diagnosis {
    let Input::Response(obs) = parse_input(response).unwrap() else {
        panic!("not a response")
    };
    let d = diagnose(&obs);
    let url = url.map(str::to_string).or_else(|| d.summary.url.clone());
    let r = route(&config.distributions, url.as_deref()).unwrap();
    d.with_route(&r, config.form)
}

const LAMBDA_FIXTURES: &[(&str, &[u8])] = &[
    (
        "lambda_edge_execution--serverless-next.http",
        include_bytes!(
            "../../../tests/fixtures/responses/lambda_edge_execution--serverless-next.http"
        ),
    ),
    (
        "lambda_edge_execution--curl-verbose.txt",
        include_bytes!("../../../tests/fixtures/responses/lambda_edge_execution--curl-verbose.txt"),
    ),
    (
        "lambda_edge_invalid--invalid-json.http",
        include_bytes!("../../../tests/fixtures/responses/lambda_edge_invalid--invalid-json.http"),
    ),
    (
        "lambda_edge_throttled--throttled-page.http",
        include_bytes!(
            "../../../tests/fixtures/responses/lambda_edge_throttled--throttled-page.http"
        ),
    ),
    (
        "lambda_edge_throttled--page-contradicts-x-cache.http",
        include_bytes!(
            "../../../tests/fixtures/responses/lambda_edge_throttled--page-contradicts-x-cache.http"
        ),
    ),
];

#[test]
fn lambda_verdicts_name_the_function_and_its_log_group() {
    let config = read(fixture!("lambda-auth.distribution.json")).unwrap();
    for (name, bytes) in LAMBDA_FIXTURES {
        let d = diagnosis_with(bytes, &config, Some("https://www.example.com/account"));
        let text = cf503_core::report::text(&d);
        let json = cf503_core::report::json(&d);
        for needle in [
            "auth",
            "version 7",
            "viewer-request",
            "/aws/lambda/us-east-1.auth",
        ] {
            assert!(text.contains(needle), "{name}: {needle} missing in\n{text}");
            assert!(
                json.contains(needle),
                "{name}: {needle} missing in the JSON"
            );
        }
        // A runnable command in the edge's Region, or the every-Region loop when it is unknown.
        let region = d.summary.lambda_region;
        let steps = &d.top().steps;
        let command = steps
            .iter()
            .flat_map(|s| s.0.iter())
            .find_map(|p| match p {
                cf503_core::prose::Part::Command(c) if c.contains("/aws/lambda/us-east-1.auth") => {
                    Some(c.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("{name}: no command in {steps:#?}"));
        match region {
            Some(r) => assert!(
                command.starts_with(&format!("aws logs filter-log-events --region {r} --log-group-name /aws/lambda/us-east-1.auth --start-time ")),
                "{name}: {command}"
            ),
            None => assert!(command.contains("describe-regions"), "{name}: {command}"),
        }
        if d.top().cause == cf503_core::CauseId::LambdaEdgeInvalid {
            assert!(
                text.contains("/aws/cloudfront/LambdaEdge/E1AUTHEXAMPLE1"),
                "{text}"
            );
        }
    }
    // The /api/* behaviour names its two functions and says the body is included.
    let d = diagnosis_with(
        LAMBDA_FIXTURES[0].1,
        &config,
        Some("https://www.example.com/api/orders"),
    );
    let text = cf503_core::report::text(&d);
    for needle in [
        "api-router, version 12, body included",
        "api-headers",
        "/aws/lambda/us-east-1.api-router",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
}

#[test]
fn function_verdicts_name_the_function() {
    let config = read(fixture!("lambda-auth.config.xml")).unwrap();
    for bytes in [
        include_bytes!(
            "../../../tests/fixtures/responses/cloudfront_function_error--execution-error.http"
        )
        .as_slice(),
        include_bytes!(
            "../../../tests/fixtures/responses/cloudfront_function_error--devtools-throttled.txt"
        )
        .as_slice(),
    ] {
        let d = diagnosis_with(bytes, &config, Some("https://www.example.com/static/index"));
        let text = cf503_core::report::text(&d);
        assert!(text.contains("viewer-request: rewrite-index"), "{text}");
        assert!(
            text.contains("aws logs filter-log-events --region us-east-1 --log-group-name /aws/cloudfront/function/rewrite-index"),
            "{text}"
        );
    }
}

/// Every origin-cause fixture (a test requires one per cause).
const ORIGIN_FIXTURES: &[(&str, &[u8])] = &[
    (
        "origin_connect--502-attempted-connection.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_connect--502-attempted-connection.http"
        ),
    ),
    (
        "origin_dns--pasted-log-fields.http",
        include_bytes!("../../../tests/fixtures/responses/origin_dns--pasted-log-fields.http"),
    ),
    (
        "origin_dns--server-timing-slow-dns.http",
        include_bytes!("../../../tests/fixtures/responses/origin_dns--server-timing-slow-dns.http"),
    ),
    (
        "origin_invalid_response--log-header-too-big.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_invalid_response--log-header-too-big.http"
        ),
    ),
    (
        "origin_mtls--connected-then-503.http",
        include_bytes!("../../../tests/fixtures/responses/origin_mtls--connected-then-503.http"),
    ),
    (
        "origin_overloaded--alb-no-targets.http",
        include_bytes!("../../../tests/fixtures/responses/origin_overloaded--alb-no-targets.http"),
    ),
    (
        "origin_overloaded--api-gateway.http",
        include_bytes!("../../../tests/fixtures/responses/origin_overloaded--api-gateway.http"),
    ),
    (
        "origin_overloaded--curl-redirect-chain.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_overloaded--curl-redirect-chain.http"
        ),
    ),
    (
        "origin_overloaded--envoy-no-healthy-upstream.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_overloaded--envoy-no-healthy-upstream.http"
        ),
    ),
    (
        "origin_overloaded--nginx-fetched-past-cloudfront.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_overloaded--nginx-fetched-past-cloudfront.http"
        ),
    ),
    (
        "origin_overloaded--nginx-limit-req.http",
        include_bytes!("../../../tests/fixtures/responses/origin_overloaded--nginx-limit-req.http"),
    ),
    (
        "origin_overloaded--s3-slowdown.http",
        include_bytes!("../../../tests/fixtures/responses/origin_overloaded--s3-slowdown.http"),
    ),
    (
        "origin_overloaded--served-from-error-cache.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_overloaded--served-from-error-cache.http"
        ),
    ),
    (
        "origin_timeout--504-gateway-timeout.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_timeout--504-gateway-timeout.http"
        ),
    ),
    (
        "origin_timeout--wget-server-response.txt",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_timeout--wget-server-response.txt"
        ),
    ),
    (
        "origin_tls--connected-no-first-byte.http",
        include_bytes!(
            "../../../tests/fixtures/responses/origin_tls--connected-no-first-byte.http"
        ),
    ),
];

#[test]
fn origin_verdicts_name_the_origin_and_its_domain() {
    let config = read(fixture!("alb-failover.tf.json")).unwrap();
    for (name, bytes) in ORIGIN_FIXTURES {
        let d = diagnosis_with(bytes, &config, Some("https://shop.example.io/checkout/1"));
        assert!(
            d.top().cause.as_str().starts_with("origin_"),
            "{name}: {:?}",
            d.top().cause
        );
        let e = d.config.as_ref().unwrap();
        assert_eq!(
            e.origin_domain.as_deref(),
            Some("my-alb-1234567890.eu-central-1.elb.amazonaws.com"),
            "{name}"
        );
        let text = cf503_core::report::text(&d);
        assert!(
            text.contains("primary-with-backup: alb → backup (fails over on 500, 502, 504"),
            "{name}: {text}"
        );
        assert!(text.contains("first byte 60 s"), "{name}: {text}");
        assert!(
            text.contains("The request went to origin `alb` at `my-alb-1234567890"),
            "{name}: {text}"
        );
    }
    let d = diagnosis_with(
        include_bytes!("../../../tests/fixtures/responses/origin_dns--pasted-log-fields.http"),
        &config,
        Some("https://shop.example.io/checkout/1"),
    );
    assert!(
        cf503_core::report::text(&d)
            .contains("cf503 dns my-alb-1234567890.eu-central-1.elb.amazonaws.com")
    );
    assert!(!d.collect.contains(&cf503_core::diagnose::Collect::Origin));
}

#[test]
fn cached_errors_show_the_configured_ttl() {
    let config = read(fixture!("api-gateway.config.json")).unwrap();
    let d = diagnosis_with(
        include_bytes!(
            "../../../tests/fixtures/responses/origin_overloaded--served-from-error-cache.http"
        ),
        &config,
        None,
    );
    let text = cf503_core::report::text(&d);
    assert!(
        text.contains("Error caching: 300 s (custom error response for 503)"),
        "{text}"
    );
    assert!(text.contains("error_cache_long"), "{text}");
}

#[test]
fn hostile_names_never_reach_a_command() {
    let text = String::from_utf8(fixture!("lambda-auth.config.json").to_vec())
        .unwrap()
        .replace("app.example.com", "app.example.com;rm -rf ~")
        .replace("function:auth:7", "function:$(reboot):7");
    let config = read(text.as_bytes()).unwrap();
    let d = diagnosis_with(
        LAMBDA_FIXTURES[0].1,
        &config,
        Some("https://www.example.com/"),
    );
    for f in &d.findings {
        for p in f.steps.iter().flat_map(|s| s.0.iter()) {
            if let cf503_core::prose::Part::Command(c) = p {
                assert!(!c.contains("rm -rf") && !c.contains("reboot"), "{c}");
            }
        }
    }
    assert_eq!(d.config.as_ref().unwrap().origin_domain, None);
}

/// README's list of risk ids is the table's, in order: a new finding cannot go undocumented;
/// and each cites a source `docs/sources.md` defines.
#[test]
fn readme_lists_every_risk_id_and_sources_define_theirs() {
    let readme = include_str!("../../../README.md");
    let line = readme
        .lines()
        .find_map(|l| l.strip_prefix("Risk ids: "))
        .expect("README lists the risk ids");
    let listed: Vec<&str> = line.split('|').map(str::trim).collect();
    let ids: Vec<&str> = cf503_core::config::risks::RISKS
        .iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(listed, ids);
    let sources = include_str!("../../../docs/sources.md");
    for r in cf503_core::config::risks::RISKS {
        assert!(
            sources.contains(&format!("| {} |", r.source)),
            "{}: source {} is not in docs/sources.md",
            r.name,
            r.source
        );
    }
}

/// What people copy out of a template or a post: one resource without its `Resources`, a
/// member cut out with its name (and trailing comma), a bare `DistributionConfig` member.
#[test]
fn fragments_of_a_template_are_read() {
    let template: serde_json::Value =
        serde_json::from_slice(fixture!("lambda-auth.cfn.json")).unwrap();
    let resource = &template["Resources"]["LambdaAuthDistribution"];
    let want = config_only(one(fixture!("lambda-auth.cfn.json")));
    let member = format!("  \"LambdaAuthDistribution\": {resource},\n");
    let bare = resource.to_string();
    let unwrapped = serde_json::json!({"LambdaAuthDistribution": resource, "Bucket": {"Type": "AWS::S3::Bucket"}}).to_string();
    let config_member = format!(
        "\"DistributionConfig\": {}",
        resource["Properties"]["DistributionConfig"]
    );
    for text in [member, bare, unwrapped, config_member] {
        let got = read(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text:.80}"));
        assert_eq!(
            config_only(got.distributions[0].clone()),
            want,
            "{text:.80}"
        );
    }
    // A member of something else is still not a distribution.
    assert!(read(b"\"Bucket\": {\"Type\": \"AWS::S3::Bucket\"}").is_err());
}

/// The lists above hold every Lambda@Edge and origin fixture (natively: wasm has no files).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_fixture_lists_are_complete() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/responses"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let listed = |prefix: &str| {
        names
            .iter()
            .filter(|n| n.starts_with(prefix))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut lambda: Vec<String> = LAMBDA_FIXTURES
        .iter()
        .map(|(n, _)| (*n).to_string())
        .collect();
    lambda.sort();
    assert_eq!(lambda, listed("lambda_edge_"));
    let origin: Vec<String> = ORIGIN_FIXTURES
        .iter()
        .map(|(n, _)| (*n).to_string())
        .collect();
    assert_eq!(origin, listed("origin_"));
}
