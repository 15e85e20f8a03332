//! Golden outputs: every fixture's report as `cf503` prints it today, kept in `tests/golden/`.
//! A move of code that changes no behaviour changes none of them; a change that is meant to
//! shows up here, reviewed in the diff. `CF503_BLESS=1 cargo test --test golden` rewrites them.
//!
//! Responses, pastes and HARs: the JSON of `explain`. Logs: the JSON, text and Markdown of
//! `logs` for each fixture and for the fixture folder as a whole (the layout decisions of the
//! text and Markdown reports are guarded too).

mod common;

use std::path::{Path, PathBuf};

use common::{fixtures, run};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

/// Where the fixtures are, as it appears in an output: replaced by a stable name, so the
/// golden files do not depend on the checkout's place.
fn stable(out: &str) -> String {
    let dir = fixtures().display().to_string();
    out.replace(&dir, "<fixtures>")
}

/// Compares (or, blessing, writes) one output; returns a description of the mismatch.
fn check(name: &str, args: &[String]) -> Option<String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args, None);
    let mut got = stable(&String::from_utf8_lossy(&out.stdout));
    got.push_str(&format!("# exit {}\n", out.status.code().unwrap_or(-1)));
    let path = golden_dir().join(name);
    if std::env::var_os("CF503_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return None;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    (want != got).then(|| {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
        format!(
            "{name}: differs from line {}:\n  want: {}\n  got:  {}",
            line + 1,
            want.lines().nth(line).unwrap_or("<end>"),
            got.lines().nth(line).unwrap_or("<end>")
        )
    })
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// (golden name, response fixture, config file, the request's URL): each test distribution with
/// a response of the kind its config explains, the config in a different form each time.
const CONFIG_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "lambda-auth--lambda_edge_execution",
        "responses/lambda_edge_execution--serverless-next.http",
        "lambda-auth.distribution.json",
        "https://www.example.com/api/orders",
    ),
    (
        "lambda-auth--lambda_edge_invalid",
        "responses/lambda_edge_invalid--invalid-json.http",
        "lambda-auth.config.xml",
        "https://www.example.com/",
    ),
    (
        "lambda-auth--cloudfront_function_error",
        "responses/cloudfront_function_error--execution-error.http",
        "lambda-auth.tf.json",
        "https://example.com/static/index.html",
    ),
    (
        "function-url--origin_timeout",
        "responses/origin_timeout--504-gateway-timeout.http",
        "function-url.config.json",
        "https://api.example.org/slow",
    ),
    (
        "api-gateway--cached_error",
        "responses/origin_overloaded--served-from-error-cache.http",
        "api-gateway.cfn.json",
        "https://shop.example.net/",
    ),
    (
        "alb-failover--origin_overloaded",
        "responses/origin_overloaded--alb-no-targets.http",
        "alb-failover.tf.json",
        "https://shop.example.io/checkout/1",
    ),
    (
        "legacy-origin--origin_tls",
        "responses/origin_tls--connected-no-first-byte.http",
        "legacy-origin.distribution.xml",
        "https://legacy.example.com/",
    ),
    (
        "vpc-mtls--origin_mtls",
        "responses/origin_mtls--connected-then-503.http",
        "vpc-mtls.distribution.json",
        "https://d666666abcdef8.cloudfront.net/partner/x",
    ),
];

#[test]
fn every_fixture_reports_as_its_golden_output() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for kind in ["responses", "real", "har"] {
        for f in files(&fixtures().join(kind)) {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            let args = vec!["explain".into(), "--json".into(), f.display().to_string()];
            failures.extend(check(&format!("{kind}/{name}.json"), &args));
            checked += 1;
        }
    }
    let logs = fixtures().join("logs");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(logs.join("expected.json")).unwrap())
            .unwrap();
    for (file, want) in expected.as_object().unwrap() {
        for (format, ext) in [("--json", "json"), ("--markdown", "md"), ("", "txt")] {
            let mut args: Vec<String> = vec!["logs".into()];
            if !format.is_empty() {
                args.push(format.into());
            }
            for a in want["args"].as_array().unwrap() {
                let a = a.as_str().unwrap();
                args.push(if a.ends_with(".json") {
                    logs.join(a).display().to_string()
                } else {
                    a.to_string()
                });
            }
            args.push(logs.join(file).display().to_string());
            failures.extend(check(&format!("logs/{file}.{ext}"), &args));
            checked += 1;
        }
    }
    for (format, ext) in [("--json", "json"), ("--markdown", "md"), ("--text", "txt")] {
        let mut args: Vec<String> = vec!["logs".into()];
        if format != "--text" {
            args.push(format.into());
        }
        args.push(logs.display().to_string());
        failures.extend(check(&format!("logs/folder.{ext}"), &args));
        checked += 1;
    }
    // With a distribution config (issue 19): one request per test distribution, in each format.
    for (name, response, config, url) in CONFIG_CASES {
        for (format, ext) in [("--json", "json"), ("--markdown", "md"), ("", "txt")] {
            let mut args: Vec<String> = vec!["explain".into()];
            if !format.is_empty() {
                args.push(format.into());
            }
            args.extend([
                fixtures().join(response).display().to_string(),
                "--config".into(),
                fixtures().join("config").join(config).display().to_string(),
                "--url".into(),
                (*url).into(),
            ]);
            failures.extend(check(&format!("config/{name}.{ext}"), &args));
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} outputs checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} outputs differ from tests/golden (CF503_BLESS=1 rewrites them after a \
         reviewed change):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The published schemas, compiled (`docs/schemas/`, derived from the core's wire types).
fn schemas() -> (
    boon::Schemas,
    std::collections::BTreeMap<String, boon::SchemaIndex>,
) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schemas");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let mut by_name = std::collections::BTreeMap::new();
    for name in [
        "cf503.report",
        "cf503.har_report",
        "cf503.dns_report",
        "cf503.logs_report",
        "cf503.edges_report",
    ] {
        let file = dir.join(format!("{name}.schema.json"));
        let text = std::fs::read_to_string(&file).expect("docs/schemas/ holds every schema");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let url = format!("file:///cf503/{name}.schema.json");
        compiler.add_resource(&url, value).unwrap();
        let index = compiler
            .compile(&url, &mut schemas)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        by_name.insert(name.to_string(), index);
    }
    (schemas, by_name)
}

/// Validates a report against the schema it names; returns what is wrong.
fn invalid(
    (schemas, by_name): &(
        boon::Schemas,
        std::collections::BTreeMap<String, boon::SchemaIndex>,
    ),
    what: &str,
    report: &serde_json::Value,
) -> Option<String> {
    let Some(index) = report["schema"].as_str().and_then(|n| by_name.get(n)) else {
        return Some(format!(
            "{what}: names no published schema ({})",
            report["schema"]
        ));
    };
    schemas
        .validate(report, *index)
        .err()
        .map(|e| format!("{what}: {e:#}"))
}

/// Every JSON the fixtures give (the golden outputs: responses, pastes, HARs, logs) and DNS
/// reports (a check through a resolver that refuses, alone and beside a diagnosis)
/// validate against the published schemas, which are strict: no property they do not list.
#[test]
fn every_report_validates_against_its_published_schema() {
    let compiled = schemas();
    let mut problems = Vec::new();
    let mut checked = 0;
    for kind in ["responses", "real", "har", "logs", "config"] {
        for f in files(&golden_dir().join(kind)) {
            if f.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            // The golden file ends with the exit status, which is not part of the JSON.
            let json = text.rsplit_once("# exit").map_or(text.as_str(), |(j, _)| j);
            let report: serde_json::Value =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            problems.extend(invalid(&compiled, &f.display().to_string(), &report));
            checked += 1;
        }
    }
    // A closed port on loopback as the resolver (refused at once): the DNS report of a check
    // that could not run.
    let resolver = {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.local_addr().unwrap().to_string()
    };
    let fixture = fixtures().join("responses/origin_dns--pasted-log-fields.http");
    for args in [
        vec![
            "dns",
            "--json",
            "--deadline",
            "1",
            "--resolver",
            &resolver,
            "origin.example.test",
        ],
        vec![
            "explain",
            "--json",
            "--origin",
            "origin.example.test",
            "--resolver",
            &resolver,
            fixture.to_str().unwrap(),
        ],
    ] {
        let out = run(&args, None);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        problems.extend(invalid(&compiled, &args.join(" "), &report));
        checked += 1;
    }
    assert!(checked > 50, "only {checked} reports");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The schemas are strict: a report with a property they do not list, or a cause that is not
/// in the catalogue, does not validate (the test above could otherwise pass on anything).
#[test]
fn the_schemas_reject_what_the_contract_does_not_hold() {
    let compiled = schemas();
    let f = golden_dir().join("logs/gen-35-fields-2025.log.json");
    let text = std::fs::read_to_string(f).unwrap();
    let json = text.rsplit_once("# exit").unwrap().0;
    let good: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(invalid(&compiled, "as printed", &good), None);
    let mut extra = good.clone();
    extra["by_cause"][0]["surprise"] = serde_json::json!(1);
    assert!(invalid(&compiled, "extra", &extra).is_some());
    let mut cause = good.clone();
    cause["by_cause"][0]["cause"] = serde_json::json!("not_a_cause");
    assert!(invalid(&compiled, "cause", &cause).is_some());
    let mut version = good;
    version["schema_version"] = serde_json::json!(99);
    assert!(invalid(&compiled, "version", &version).is_some());
}
