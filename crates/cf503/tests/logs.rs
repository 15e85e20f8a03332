//! `cf503 logs` on real and generated CloudFront logs: every count checked.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIELDS_33: &str = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";

mod common;

use common::json;

fn cf503(args: &[&str]) -> Output {
    common::run(args, None)
}

/// One 33-field record.
fn record(
    minute: u32,
    pop: &str,
    status: u16,
    rt: &str,
    drt: &str,
    path: &str,
    id: usize,
) -> String {
    let f = [
        "2026-11-26".to_string(),
        format!("05:{minute:02}:17"),
        pop.into(),
        "900".into(),
        "192.0.2.10".into(),
        "GET".into(),
        "d111111abcdef8.cloudfront.net".into(),
        path.into(),
        status.to_string(),
        "-".into(),
        "Mozilla/5.0%2520(X11)".into(),
        "-".into(),
        "-".into(),
        rt.into(),
        format!("req{id}=="),
        "www.example.com".into(),
        "https".into(),
        "400".into(),
        "0.102".into(),
        "-".into(),
        "TLSv1.3".into(),
        "TLS_AES_128_GCM_SHA256".into(),
        rt.into(),
        "HTTP/2.0".into(),
        "-".into(),
        "-".into(),
        "443".into(),
        "0.102".into(),
        drt.into(),
        "text/html".into(),
        "507".into(),
        "-".into(),
        "-".into(),
    ];
    f.join("\t")
}

/// A burst with known counts: 30 origin DNS errors at SEA19 (minutes 1–3), 20 Lambda throttles
/// at FRA56 (minute 2), 10 origin 503s at IAD89 (minute 3), and 40 hits that are not errors.
fn burst(dir: &Path) -> Vec<PathBuf> {
    let mut lines = Vec::new();
    let mut id = 0;
    let mut push =
        |n: usize, minute: u32, pop: &str, status: u16, rt: &str, drt: &str, path: &str| {
            for _ in 0..n {
                id += 1;
                lines.push(record(minute, pop, status, rt, drt, path, id));
            }
        };
    for m in 1..=3 {
        push(
            10,
            m,
            "SEA19-C1",
            502,
            "Error",
            "OriginDnsError",
            "/api/items",
        );
    }
    push(
        20,
        2,
        "FRA56-P1",
        503,
        "LambdaLimitExceeded",
        "LambdaLimitExceeded",
        "/",
    );
    push(10, 3, "IAD89-C1", 503, "Error", "Error", "/img/a%2520b.png");
    push(40, 2, "LAX1", 200, "Hit", "Hit", "/");
    let (a, b) = lines.split_at(lines.len() / 2);
    let header = format!("#Version: 1.0\r\n#Fields: {FIELDS_33}\r\n");
    let plain = dir.join("E2EXAMPLE.2026-11-26-05.a");
    std::fs::write(&plain, format!("{header}{}\r\n", a.join("\r\n"))).unwrap();
    let sub = dir.join("2026/11/26");
    std::fs::create_dir_all(&sub).unwrap();
    let gz = sub.join("E2EXAMPLE.2026-11-26-05.b.gz");
    let text = format!("{header}{}\r\n", b.join("\r\n"));
    std::fs::write(&gz, gzip(text.as_bytes(), flate2::Compression::default())).unwrap();
    vec![plain, gz]
}

/// `bytes` gzip-compressed at `level`.
fn gzip(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), level);
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A standard log of `n` records of `status`, each an origin DNS failure on its own path.
fn dns_error_log(n: usize, status: u16) -> String {
    let lines: Vec<String> = (0..n)
        .map(|i| {
            record(
                1,
                "SEA19-C1",
                status,
                "Error",
                "OriginDnsError",
                &format!("/p{i}"),
                i,
            )
        })
        .collect();
    format!("#Fields: {FIELDS_33}\n{}\n", lines.join("\n"))
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cf503-logs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The report's entry for `cause` (`Null` when it has none).
fn cause_entry<'a>(v: &'a serde_json::Value, cause: &str) -> &'a serde_json::Value {
    v["by_cause"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cause"] == cause)
        .unwrap_or(&serde_json::Value::Null)
}

fn count(v: &serde_json::Value, cause: &str) -> u64 {
    cause_entry(v, cause)["count"].as_u64().unwrap_or(0)
}

/// `{cause: count}` of a report, to compare with DuckDB's or a fixture's expectations.
fn counts_by_cause(v: &serde_json::Value) -> serde_json::Value {
    serde_json::Value::Object(
        v["by_cause"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["cause"].as_str().unwrap().to_string(), c["count"].clone()))
            .collect(),
    )
}

#[test]
fn a_burst_by_cause_minute_edge_location_and_path() {
    let dir = temp("burst");
    burst(&dir);
    // A folder as `aws s3 sync` leaves it: read recursively, the gzip file decompressed.
    let v = json(&cf503(&["logs", "--json", dir.to_str().unwrap()]));
    assert_eq!(v["schema"], "cf503.logs_report");
    assert_eq!(v["schema_version"], 3);
    assert_eq!(v["files"], 2);
    assert_eq!(
        (v["records"].as_u64(), v["errors"].as_u64()),
        (Some(100), Some(60))
    );
    assert_eq!(v["skipped_lines"], 0);
    assert_eq!(count(&v, "origin_dns"), 30);
    assert_eq!(count(&v, "lambda_edge_throttled"), 20);
    assert_eq!(
        count(&v, "origin_overloaded"),
        10,
        "Error on a 5xx: the origin's own error"
    );
    assert_eq!(v["first_error_minute"], "2026-11-26 05:01");
    assert_eq!(v["last_error_minute"], "2026-11-26 05:03");
    assert_eq!(v["incident_window"]["peak"], 30);
    assert_eq!(v["incident_window"]["bucket_minutes"], 1);
    let minute2 = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["minute"] == "2026-11-26 05:02")
        .unwrap();
    assert_eq!(minute2["counts"]["lambda_edge_throttled"], 20);
    assert_eq!(minute2["counts"]["origin_dns"], 10);
    let fra = v["edge_locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pop"] == "FRA56-P1")
        .unwrap();
    assert_eq!(fra["lambda_edge_region"], "eu-central-1");
    assert_eq!(fra["counts"]["lambda_edge_throttled"], 20);
    assert_eq!(v["top_paths"][0]["path"], "/api/items");
    assert!(
        v["top_paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == "/img/a%20b.png"),
        "decoded once"
    );
    let throttled = cause_entry(&v, "lambda_edge_throttled");
    assert_eq!(throttled["sample_request_ids"].as_array().unwrap().len(), 3);

    // A README beside the logs is named as left out, not read as 2 skipped lines.
    std::fs::write(dir.join("README.md"), "# Logs\nsynced from the bucket\n").unwrap();
    let with_readme = json(&cf503(&["logs", "--json", dir.to_str().unwrap()]));
    assert_eq!(with_readme["files"], 3);
    assert_eq!(with_readme["skipped_lines"], 0);
    assert_eq!(with_readme["not_log_files"], 1);
    assert!(
        with_readme["not_log_files_first"][0]
            .as_str()
            .unwrap()
            .ends_with("README.md")
    );
    assert_eq!(with_readme["by_cause"], v["by_cause"]);
    std::fs::remove_file(dir.join("README.md")).unwrap();

    // --status picks one status; the text report draws the timeline.
    let v = json(&cf503(&[
        "logs",
        "--json",
        "--status",
        "503",
        dir.to_str().unwrap(),
    ]));
    assert_eq!(v["errors"], 30);
    let text = String::from_utf8(cf503(&["logs", dir.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("Timeline (UTC, a bar a minute)"), "{text}");
    assert!(text.contains("Frankfurt"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_real_26_field_sample_and_a_cut_gzip_stream() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/logs/aws-samples-2018-cloudfront-access-logs.gz");
    let v = json(&cf503(&["logs", "--json", sample.to_str().unwrap()]));
    assert_eq!(v["records"], 66);
    assert_eq!(v["skipped_lines"], 0);
    assert_eq!(v["errors"], 0, "its statuses are 200 and 302");
    // A status that is no server error is refused, not counted as errors of an unknown cause.
    let out = cf503(&["logs", "--status", "200", sample.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("from 500 to 599"), "{said}");

    // A download cut short: what arrived is counted, and stderr says so.
    let dir = temp("cut");
    let gz = gzip(
        dns_error_log(20_000, 502).as_bytes(),
        flate2::Compression::default(),
    );
    let cut = dir.join("cut.gz");
    std::fs::write(&cut, &gz[..gz.len() * 2 / 3]).unwrap();
    let out = cf503(&["logs", "--json", cut.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ends early"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let read = v["records"].as_u64().unwrap();
    assert!(read > 1_000 && read < 20_000, "{read} records");
    assert_eq!(count(&v, "origin_dns"), read);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn gzip_members_trailing_bytes_and_damage() {
    // The CLI decodes gzip itself, member by member, straight into its blocks: every member of
    // a concatenated file counts (empty ones too), and whatever follows or breaks the last one
    // is a warning that keeps what was read, never a lost file or a wrong count.
    let dir = temp("members");
    let text = dns_error_log(3_000, 503);
    let gz = |bytes: &[u8]| gzip(bytes, flate2::Compression::fast());
    let one = gz(text.as_bytes());
    let empty = gz(b"");
    let mut bad_crc = one.clone();
    let at = bad_crc.len() - 6;
    bad_crc[at] ^= 1;
    let cases: [(&str, Vec<u8>, u64, Option<&str>); 5] = [
        (
            "two.gz",
            [one.clone(), empty.clone(), one.clone()].concat(),
            6_000,
            None,
        ),
        (
            "empties.gz",
            [empty.repeat(500), one.clone()].concat(),
            3_000,
            None,
        ),
        (
            "trailing.gz",
            [one.clone(), b"not gzip".to_vec()].concat(),
            3_000,
            Some("not gzip"),
        ),
        ("crc.gz", bad_crc, 3_000, Some("damaged compressed data")),
        (
            "cut-second.gz",
            [one.clone(), one[..one.len() / 2].to_vec()].concat(),
            3_000,
            Some("ends inside a gzip member"),
        ),
    ];
    for (name, bytes, records, warning) in cases {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = cf503(&["logs", "--json", file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let v = json(&out);
        // A member cut in half holds some of its records: at least the first member's.
        if name == "cut-second.gz" {
            let read = v["records"].as_u64().unwrap();
            assert!(read > records && read < 2 * records, "{name}: {read}");
        } else {
            assert_eq!(v["records"], records, "{name}");
        }
        match warning {
            Some(w) => assert!(
                stderr.contains("ends early or is damaged") && stderr.contains(w),
                "{name}: {stderr}"
            ),
            None => assert!(stderr.is_empty(), "{name}: {stderr}"),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn real_time_records_and_unknown_formats() {
    let dir = temp("rt");
    let rt = dir.join("kinesis.tsv");
    std::fs::write(&rt, "1764133200.123\t192.0.2.1\t503\tFRA56-P1\tCapacityExceeded\n1764133261.5\t192.0.2.2\t503\tFRA56-P1\tCapacityExceeded\n").unwrap();
    let v = json(&cf503(&[
        "logs",
        "--json",
        "--fields",
        "timestamp,c-ip,sc-status,x-edge-location,x-edge-detailed-result-type",
        rt.to_str().unwrap(),
    ]));
    assert_eq!(count(&v, "edge_capacity"), 2);
    assert_eq!(v["timeline"].as_array().unwrap().len(), 2);

    // The same order from a saved `aws cloudfront get-realtime-log-config` answer.
    let config = dir.join("config.json");
    std::fs::write(&config, r#"{"ETag": "E2", "RealtimeLogConfig": {"Name": "rt", "SamplingRate": 100, "EndPoints": [],
        "Fields": ["timestamp", "c-ip", "sc-status", "x-edge-location", "x-edge-detailed-result-type"]}}"#).unwrap();
    let from_config = json(&cf503(&[
        "logs",
        "--json",
        "--fields-from",
        config.to_str().unwrap(),
        rt.to_str().unwrap(),
    ]));
    assert_eq!(from_config["by_cause"], v["by_cause"]);
    // A file that is not such an answer is a usage error that says what to give.
    std::fs::write(&config, "timestamp,c-ip").unwrap();
    let out = cf503(&[
        "logs",
        "--fields-from",
        config.to_str().unwrap(),
        rt.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("get-realtime-log-config"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Without --fields, a header-less file is no known format: a clear error, exit 2.
    let out = cf503(&["logs", rt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("#Fields"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn sql_check(mode: &str, sql: &[u8]) -> String {
    let dir = temp(&format!("sql-{mode}"));
    let file = dir.join("q.sql");
    std::fs::write(&file, sql).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/logs/sql_check.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(mode)
        .arg(&file)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{mode}: {}\n(duckdb and sqlglot come from scripts/setup.sh)",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The SQL for DuckDB, generated from the same rules, run by the real DuckDB engine on the same
/// files, counts the same causes as `cf503 logs`; the Athena SQL parses in Athena's dialects.
#[test]
fn duckdb_counts_what_cf503_logs_counts_and_the_athena_sql_parses() {
    let dir = temp("duckdb");
    let files = burst(&dir);
    // One folder, one glob: the plain file and the gzip one side by side.
    let flat = dir.join("flat");
    std::fs::create_dir_all(&flat).unwrap();
    std::fs::copy(&files[0], flat.join("a.log")).unwrap();
    std::fs::copy(&files[1], flat.join("b.log.gz")).unwrap();
    let glob = format!("{}/*", flat.display());
    let ours = json(&cf503(&["logs", "--json", flat.to_str().unwrap()]));
    let sql = cf503(&["logs", "--sql", "duckdb", &glob]);
    assert_eq!(sql.status.code(), Some(0));
    let theirs: serde_json::Value =
        serde_json::from_str(&sql_check("duckdb", &sql.stdout)).unwrap();
    assert_eq!(counts_by_cause(&ours), theirs);

    let athena = cf503(&[
        "logs",
        "--sql",
        "athena",
        "--location",
        "s3://logs.example/cf/",
    ]);
    assert_eq!(athena.status.code(), Some(0));
    let text = String::from_utf8(athena.stdout.clone()).unwrap();
    assert!(text.contains("'projection.hour.range' = '00,23'"), "{text}");
    assert_eq!(sql_check("athena", &athena.stdout).trim(), "ok");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every field generation and format, from `tests/fixtures/logs/expected.json`: the same counts
/// the web page test expects of the same files.
#[test]
fn every_log_generation_and_format_counts_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/logs");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let cases = expected.as_object().unwrap();
    assert!(cases.len() >= 7);
    for (file, want) in cases {
        let mut args: Vec<String> = vec!["logs".into(), "--json".into()];
        for a in want["args"].as_array().unwrap() {
            let a = a.as_str().unwrap();
            // Files named in the arguments are fixtures too.
            args.push(if a.ends_with(".json") {
                dir.join(a).display().to_string()
            } else {
                a.to_string()
            });
        }
        args.push(dir.join(file).display().to_string());
        let v = json(&cf503(&args.iter().map(String::as_str).collect::<Vec<_>>()));
        assert_eq!(v["records"], want["records"], "{file}");
        assert_eq!(v["errors"], want["errors"], "{file}");
        assert_eq!(v["skipped_lines"], 0, "{file}");
        assert_eq!(&counts_by_cause(&v), &want["causes"], "{file}");
        if let Some(n) = want.get("replayed_from_error_cache") {
            assert_eq!(&v["replayed_from_error_cache"], n, "{file}");
            let steps = v["by_cause"][0]["next_steps"].to_string();
            assert!(steps.contains("error cache"), "{file}: {steps}");
        }
    }
}

#[test]
fn lambda_edge_next_steps_name_the_regions_of_the_edge_locations() {
    let dir = temp("steps");
    burst(&dir);
    let v = json(&cf503(&["logs", "--json", dir.to_str().unwrap()]));
    let throttled = cause_entry(&v, "lambda_edge_throttled");
    assert_eq!(
        throttled["lambda_edge_regions"],
        serde_json::json!(["eu-central-1"])
    );
    let steps = throttled["next_steps"].to_string();
    assert!(
        steps.contains(r#"search "},{"kind":"code","text":"eu-central-1"}"#),
        "{steps}"
    );
    assert!(
        steps.contains("2026-11-26 05:02 UTC") || steps.contains("05:01 to"),
        "{steps}"
    );
    let md =
        String::from_utf8(cf503(&["logs", "--markdown", dir.to_str().unwrap()]).stdout).unwrap();
    assert!(md.contains("| 30 | CloudFront cannot resolve"), "{md}");
    assert!(
        md.contains("eu\\-central\\-1") || md.contains("eu-central-1"),
        "{md}"
    );
    assert!(md.contains("### Timeline (UTC, a row a minute)"), "{md}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn since_and_until_cut_the_window() {
    let dir = temp("window");
    burst(&dir);
    let d = dir.to_str().unwrap();
    // Minute 2 only: 10 DNS errors, 20 throttles (and 40 hits).
    let v = json(&cf503(&[
        "logs",
        "--json",
        "--since",
        "2026-11-26T05:02",
        "--until",
        "2026-11-26 05:03",
        d,
    ]));
    assert_eq!(
        (v["records"].as_u64(), v["errors"].as_u64()),
        (Some(70), Some(30))
    );
    assert_eq!(v["outside_window"], 30);
    assert_eq!(count(&v, "lambda_edge_throttled"), 20);
    for bad in [
        vec!["--since", "yesterday"],
        vec!["--since", "2026-11-26T06:00", "--until", "2026-11-26T05:00"],
        vec!["--delimiter", "ab"],
    ] {
        let mut args = vec!["logs"];
        args.extend(bad.iter());
        args.push(d);
        let out = cf503(&args);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty(), "{bad:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A file of several blocks (read on both cores): plain, gzip and standard input give the same
/// report, and skipped lines keep their numbers in the file.
#[test]
fn a_big_file_read_in_blocks_numbers_its_skipped_lines() {
    let dir = temp("blocks");
    let mut text = format!("#Version: 1.0\n#Fields: {FIELDS_33}\n");
    let mut bad_lines = Vec::new();
    let mut line_no = 2;
    let mut dns = 0;
    for i in 0..15_000 {
        line_no += 1;
        if i % 5_000 == 4_999 {
            text.push_str("this is not a record\n");
            bad_lines.push(line_no);
            continue;
        }
        let (status, rt, drt) = if i % 3 == 0 {
            dns += 1;
            (502, "Error", "OriginDnsError")
        } else {
            (200, "Hit", "Hit")
        };
        text.push_str(&record(
            i % 50,
            "SEA19-C1",
            status,
            rt,
            drt,
            &format!("/p{}", i % 7),
            i as usize,
        ));
        text.push('\n');
    }
    assert!(
        text.len() > 3 << 20,
        "{} bytes: more than three blocks",
        text.len()
    );
    let plain = dir.join("big.log");
    std::fs::write(&plain, &text).unwrap();
    let gz = dir.join("big.log.gz");
    std::fs::write(&gz, gzip(text.as_bytes(), flate2::Compression::fast())).unwrap();
    let a = json(&cf503(&["logs", "--json", plain.to_str().unwrap()]));
    let b = json(&cf503(&["logs", "--json", gz.to_str().unwrap()]));
    let c = json(&common::run(
        &["logs", "--json", "-"],
        Some(text.as_bytes()),
    ));
    assert_eq!(a["records"], 15_000 - 3);
    assert_eq!(count(&a, "origin_dns"), dns);
    let lines: Vec<u64> = a["skipped_at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, bad_lines);
    for other in [&b, &c] {
        for key in [
            "records",
            "errors",
            "by_cause",
            "timeline",
            "edge_locations",
            "top_paths",
        ] {
            assert_eq!(a[key], other[key], "{key}");
        }
        assert_eq!(other["skipped_lines"], 3);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A 3 MB line (no log has one: CloudFront drops requests with headers over 20 KB) in the middle
/// of a log: one skipped line, at its number, and the records around it counted.
#[test]
fn a_line_longer_than_a_block_is_one_skipped_line() {
    let dir = temp("long");
    let rec = record(1, "SEA19-C1", 502, "Error", "OriginDnsError", "/", 1);
    let text = format!(
        "#Fields: {FIELDS_33}\n{rec}\n{}\n{rec}\n{rec}\n",
        "x\t".repeat(1_500_000)
    );
    let file = dir.join("long.log");
    std::fs::write(&file, &text).unwrap();
    let v = json(&cf503(&["logs", "--json", file.to_str().unwrap()]));
    assert_eq!(v["records"], 3);
    assert_eq!(v["skipped_lines"], 1);
    assert_eq!(v["skipped_at"][0]["line"], 3);
    // Ending the file, too.
    std::fs::write(
        &file,
        format!("#Fields: {FIELDS_33}\n{rec}\n{}", "y".repeat(3 << 20)),
    )
    .unwrap();
    let v = json(&cf503(&["logs", "--json", file.to_str().unwrap()]));
    assert_eq!(
        (v["records"].as_u64(), v["skipped_lines"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["skipped_at"][0]["line"], 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A large input (past the progress bar's threshold): with standard error piped, as in CI or a
/// script, no progress bar, nothing on standard error at all; on a terminal, a bar.
#[test]
fn a_progress_bar_on_a_terminal_only() {
    let dir = temp("piped");
    let rec = record(1, "SEA19-C1", 502, "Error", "OriginDnsError", "/", 1);
    let mut text = format!("#Fields: {FIELDS_33}\n");
    while text.len() < 40 << 20 {
        text.push_str(&rec);
        text.push('\n');
    }
    let file = dir.join("large.log");
    std::fs::write(&file, &text).unwrap();
    let out = cf503(&["logs", "--json", file.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(json(&out)["records"].as_u64().unwrap() > 100_000);

    // On a terminal (util-linux `script` gives it one), the bar is drawn on standard error and
    // the report on standard output is untouched.
    let report = dir.join("report.json");
    let typescript = dir.join("typescript");
    let command = format!(
        "{} logs --json {} > {}",
        env!("CARGO_BIN_EXE_cf503"),
        file.display(),
        report.display()
    );
    let status = Command::new("script")
        .args(["-qec", &command])
        .arg(&typescript)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("util-linux script (Debian's bsdutils) runs");
    assert!(status.success());
    let drawn = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned();
    assert!(
        drawn.contains("MiB/"),
        "no progress bar on a terminal: {drawn:?}"
    );
    let on_terminal: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(on_terminal["records"], json(&out)["records"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Audit 2026-12b L17-L19: a folder with a link loop, a FIFO, a link to a device, a link to
/// nothing and a file that fails to read: each is named and left out, the rest is read, and
/// nothing hangs (before: exit 2 with no report, an endless walk, a blocked open).
#[test]
fn audit_l17_l19_folders_with_loops_fifos_devices_and_unreadable_entries() {
    use std::os::unix::fs::symlink;
    let dir = temp("folders");
    let log = "#Fields: date time x-edge-location sc-status\n2026-11-26\t05:01:17\tIAD89-C1\t503\n";
    std::fs::write(dir.join("a.log"), log).unwrap();
    symlink(".", dir.join("self")).unwrap();
    symlink(".", dir.join("again")).unwrap();
    symlink("/dev/zero", dir.join("zero")).unwrap();
    symlink("/nonexistent/cf503", dir.join("gone")).unwrap();
    let fifo = dir.join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // A file whose reads fail (as a mode-000 file does for a user other than root).
    symlink("/proc/self/mem", dir.join("unreadable.log")).unwrap();
    let out = cf503(&["logs", "--json", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v = json(&out);
    assert_eq!(
        (v["files"].as_u64(), v["errors"].as_u64()),
        (Some(1), Some(1))
    );
    for (entry, why) in [
        ("self", "already read"),
        ("again", "already read"),
        ("zero", "not a file"),
        ("pipe", "not a file"),
        ("gone", "cannot be read"),
        ("unreadable.log", "cannot read"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&format!("/{entry}")) && l.contains(why)),
            "{entry}: {stderr}"
        );
    }
    // Nothing readable at all: an error naming the files.
    let out = cf503(&["logs", dir.join("unreadable.log").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    // An empty folder is an error too, not "No error matched".
    let empty = dir.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = cf503(&["logs", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no file to read"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Audit 2026-12b Q4: `--sql athena --location` with a quote added a statement to the DDL.
#[test]
fn audit_q4_sql_location_is_checked() {
    let out = cf503(&[
        "logs",
        "--sql",
        "athena",
        "--location",
        "s3://bucket/logs/'; DROP TABLE cloudfront_standard_logs; --",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--location"));
    assert!(out.stdout.is_empty());
    let out = cf503(&["logs", "--sql", "athena", "--location", "s3://my-logs/cf/"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("LOCATION 's3://my-logs/cf/'"));
}

/// Audit 2026-12b L14 through the CLI: 20 lines of a million-byte `#Fields:` run took 14
/// minutes; now it is read at once and said to be no log.
#[test]
fn audit_l14_repeated_fields_markers_through_the_cli() {
    let dir = temp("fields-markers");
    let file = dir.join("fields.log");
    let line = "#Fields:".repeat(125_000);
    std::fs::write(&file, format!("{line}\n").repeat(20)).unwrap();
    let out = cf503(&["logs", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no record of a known log format"));
    std::fs::remove_dir_all(&dir).unwrap();
}
