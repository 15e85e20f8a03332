//! The `cf503` binary, end to end: real process, real files, real exit codes.

mod common;

use common::{fixtures, json, run as cf503};

#[test]
fn explain_json_for_every_fixture() {
    let dir = fixtures().join("responses");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let expected = name.split("--").next().unwrap();
        let out = cf503(&["explain", "--json", path.to_str().unwrap()], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out);
        assert_eq!(v["schema"], "cf503.report");
        assert_eq!(v["schema_version"], 3);
        // The view is what front ends lay out: it agrees with the findings, its steps are typed
        // parts, and a link only ever points into AWS.
        let view = &v["view"];
        assert_eq!(view["verdict"]["cause"], expected, "{name}");
        assert!(!view["headline"].as_str().unwrap().is_empty(), "{name}");
        for part in view["steps"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s.as_array().unwrap())
        {
            let kind = part["kind"].as_str().unwrap();
            assert!(
                ["text", "code", "command", "link"].contains(&kind),
                "{name}: {part}"
            );
            if kind == "link" {
                let href = part["text"].as_str().unwrap();
                assert!(
                    href.starts_with("https://")
                        && href.split('/').nth(2).unwrap().ends_with(".aws.amazon.com"),
                    "{name}: {href}"
                );
            }
        }
        assert!(
            ["yes", "no", "unknown"]
                .contains(&v["observed"]["through_cloudfront"].as_str().unwrap()),
            "{name}"
        );
        let findings = v["findings"].as_array().unwrap();
        assert_eq!(findings[0]["cause"], expected, "{name}");
        let c = findings[0]["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
        assert!(
            findings
                .windows(2)
                .all(|w| w[0]["confidence"].as_f64() >= w[1]["confidence"].as_f64())
        );
        n += 1;
    }
    assert!(n >= 20);
}

#[test]
fn explain_text_and_markdown() {
    let f = fixtures().join("responses/lambda_edge_throttled--throttled-page.http");
    let out = cf503(&["explain", f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Verdict: The Lambda@Edge function was throttled [lambda_edge_throttled"),
        "{text}"
    );
    assert!(text.contains("ap-northeast-1"), "{text}");

    let out = cf503(&["explain", "--markdown", f.to_str().unwrap()], None);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("## cf503 diagnosis: 503"), "{md}");
    assert!(md.contains(
        "### Most likely: The Lambda@Edge function was throttled (`lambda_edge_throttled`"
    ));
}

#[test]
fn explain_reads_standard_input() {
    let input = b"HTTP/2 503\r\nserver: CloudFront\r\nx-cache: FunctionExecutionError from cloudfront\r\n\r\n";
    for args in [&["explain", "--json"][..], &["explain", "--json", "-"][..]] {
        let out = cf503(args, Some(input));
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            json(&out)["findings"][0]["cause"],
            "cloudfront_function_error"
        );
    }
}

#[test]
fn explain_reads_headers_inside_a_tool_s_log_line() {
    // One line of an HTTP client's log: its time first (no header), the status and the
    // response's headers as JSON. Read as the same response written as headers would be.
    let line = br#"2026-12-05T00:41:12Z ERROR [http-client] GET https://www.example.com/api/cart failed: status=503 headers={"content-type":"text/html","x-cache":"LambdaLimitExceeded from cloudfront","via":"1.1 3f2a.cloudfront.net (CloudFront)","x-amz-cf-pop":"FRA56-P1","x-amz-cf-id":"abc123=="}"#;
    let v = json(&cf503(&["explain", "--json"], Some(line)));
    assert_eq!(v["source"], "embedded");
    assert_eq!(v["status"], 503);
    assert_eq!(v["findings"][0]["cause"], "lambda_edge_throttled");
    assert_eq!(v["observed"]["pop"]["lambda_edge_region"], "eu-central-1");
    assert_eq!(v["observed"]["through_cloudfront"], "yes");
    let headers = b"HTTP/2 503\r\ncontent-type: text/html\r\nx-cache: LambdaLimitExceeded from cloudfront\r\nvia: 1.1 3f2a.cloudfront.net (CloudFront)\r\nx-amz-cf-pop: FRA56-P1\r\nx-amz-cf-id: abc123==\r\n\r\n";
    let plain = json(&cf503(&["explain", "--json"], Some(headers)));
    assert_eq!(v["findings"], plain["findings"]);
    assert_eq!(v["observed"], plain["observed"]);
}

#[test]
fn explain_har() {
    let f = fixtures().join("har/mixed.har");
    let out = cf503(&["explain", "--json", f.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["schema"], "cf503.har_report");
    assert_eq!(v["total_entries"], 6);
    let entries = v["entries"].as_array().unwrap();
    let got: Vec<(u64, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["status"].as_u64().unwrap(),
                e["findings"][0]["cause"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (503, "lambda_edge_execution"),
            (503, "origin_overloaded"),
            (503, "cloudfront_function_error")
        ]
    );
    for e in entries {
        assert!(
            e["url"]
                .as_str()
                .unwrap()
                .starts_with("https://www.example.com/")
        );
    }
    // Every format, no secret from the HAR.
    for fmt in ["--json", "--markdown", "--"] {
        let out = cf503(&["explain", fmt, f.to_str().unwrap()], None);
        let all = String::from_utf8(out.stdout).unwrap();
        assert!(!all.contains("har-secret"), "{fmt}: {all}");
    }
}

#[test]
fn unreadable_input_exits_2_with_one_line_naming_the_file() {
    let cases: Vec<(String, &str)> = vec![
        ("/nonexistent/capture.txt".into(), "cannot read"),
        (
            fixtures().join("har").to_str().unwrap().into(),
            "cannot read",
        ),
    ];
    for (path, want) in cases {
        let out = cf503(&["explain", &path], None);
        assert_eq!(out.status.code(), Some(2), "{path}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("cf503: {path}: {want}")), "{err}");
        assert!(out.stdout.is_empty());
    }

    let dir = std::env::temp_dir().join(format!("cf503-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("garbage.bin");
    std::fs::write(&bin, [0u8, 1, 2, 3, 0xff, 0xfe, 0, 0]).unwrap();
    let trunc = dir.join("cut.har");
    let har = std::fs::read_to_string(fixtures().join("har/mixed.har")).unwrap();
    std::fs::write(&trunc, &har[..har.len() / 3]).unwrap();
    let prose = dir.join("notes.txt");
    std::fs::write(&prose, "my site is down, please help\n").unwrap();
    for (file, want) in [
        (&bin, "binary"),
        (&trunc, "ends early"),
        (&prose, "neither an HTTP status line nor a header"),
    ] {
        let out = cf503(&["explain", file.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(file.to_str().unwrap()) && err.contains(want),
            "{err}"
        );
    }
    let out = cf503(&["explain"], Some(b""));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("cf503: standard input: the input is empty")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors_and_help() {
    let out = cf503(&["explain", "--json", "--markdown"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = cf503(&["--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("Exit status:") && help.contains("explain"),
        "{help}"
    );
    let out = cf503(&[], None);
    assert_eq!(out.status.code(), Some(2));
}

/// Audit 2026-12 §5 and §10: the one-line errors people paste into tickets carry no secret and
/// no terminal escape.
#[test]
fn stderr_is_redacted_and_inert() {
    let out = cf503(
        &[
            "check",
            "--timeout",
            "2",
            "http://admin:hunter2@127.0.0.1:1/x?X-Amz-Signature=abcsig",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("hunter2") && !err.contains("abcsig"), "{err}");

    let out = cf503(
        &["explain", "-"],
        Some(b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("wJalrXUtnFEMI"), "{err}");

    let dir = std::env::temp_dir().join(format!("cf503-evil-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let evil = dir.join("evil\u{1b}]0;pwned\u{7}.txt");
    std::fs::write(&evil, "hello\n").unwrap();
    let out = cf503(&["explain", evil.to_str().unwrap()], None);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("pwned"), "the name is still shown: {err:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Text and JSON are drawn from one view: the text report shows the JSON's headline, every fact
/// and every next step (parts joined, code and commands in back-ticks), in order.
#[test]
fn text_shows_the_json_view_for_every_fixture() {
    let dir = fixtures().join("responses");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let file = path.to_str().unwrap();
        let view = json(&cf503(&["explain", "--json", file], None))["view"].clone();
        let out = cf503(&["explain", file], None);
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), view["headline"].as_str(), "{name}");
        let mut expected: Vec<String> = view["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    f["label"].as_str().unwrap(),
                    f["value"].as_str().unwrap()
                )
            })
            .collect();
        for (i, step) in view["steps"].as_array().unwrap().iter().enumerate() {
            let drawn: String = step
                .as_array()
                .unwrap()
                .iter()
                .map(|p| match p["kind"].as_str().unwrap() {
                    "code" | "command" => format!("`{}`", p["text"].as_str().unwrap()),
                    _ => p["text"].as_str().unwrap().to_string(),
                })
                .collect();
            expected.push(format!("  {}. {drawn}", i + 1));
        }
        // Markdown: a table row per fact, a numbered line per step, in the same order.
        let md = String::from_utf8(cf503(&["explain", "--markdown", file], None).stdout).unwrap();
        let mut md_rest = md.as_str();
        let facts = view["facts"].as_array().unwrap();
        let rows = facts
            .iter()
            .map(|f| format!("| {} | ", f["label"].as_str().unwrap()));
        let steps = (1..=view["steps"].as_array().unwrap().len()).map(|i| format!("\n{i}. "));
        for needle in rows.chain(steps) {
            let at = md_rest
                .find(needle.as_str())
                .unwrap_or_else(|| panic!("{name}: {needle:?} missing or out of order in\n{md}"));
            md_rest = &md_rest[at + needle.len()..];
        }
        // In order: each expected line appears after the previous one.
        let mut rest = text.as_str();
        for line in &expected {
            let at = rest
                .find(line.as_str())
                .unwrap_or_else(|| panic!("{name}: {line:?} missing or out of order in\n{text}"));
            rest = &rest[at + line.len()..];
        }
    }
}

/// `explain --config` (issue 19): every form of a test distribution gives the same view of the
/// route; a folder finds the distribution by Host; a config that serves another host, a bad
/// config and a resolver with no origin to check are bad usage (exit 2) with a clear message.
#[test]
fn explain_with_a_distribution_config() {
    let responses = fixtures().join("responses");
    let configs = fixtures().join("config");
    let response = responses.join("lambda_edge_throttled--throttled-page.http");
    let mut views = Vec::new();
    for form in [
        "config.json",
        "config.xml",
        "distribution.json",
        "distribution.xml",
        "cfn.json",
        "tf.json",
    ] {
        let config = configs.join(format!("lambda-auth.{form}"));
        let v = json(&cf503(
            &[
                "explain",
                "--json",
                response.to_str().unwrap(),
                "--config",
                config.to_str().unwrap(),
                "--url",
                "https://www.example.com/account",
            ],
            None,
        ));
        let dist = &v["view"]["distribution"];
        let facts: Vec<(String, String)> = dist["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["label"].as_str().unwrap().into(),
                    f["value"].as_str().unwrap().into(),
                )
            })
            .filter(|(l, _)| l != "Config" && l != "Distribution" && l != "Matched by")
            .collect();
        assert!(
            facts.contains(&(
                "Lambda@Edge".into(),
                "viewer-request: auth, version 7".into()
            )),
            "{form}: {facts:?}"
        );
        let steps = v["view"]["steps"].to_string();
        assert!(
            steps.contains("/aws/lambda/us-east-1.auth"),
            "{form}: {steps}"
        );
        views.push((form, facts, dist["risks"].clone()));
    }
    for (form, facts, risks) in &views[1..] {
        assert_eq!(facts, &views[0].1, "{form} vs config.json");
        assert_eq!(risks, &views[0].2, "{form} vs config.json");
    }

    // A folder: the Host picks the distribution among every file in it.
    let v = json(&cf503(
        &[
            "explain",
            "--json",
            responses
                .join("origin_overloaded--api-gateway.http")
                .to_str()
                .unwrap(),
            "--config",
            configs.to_str().unwrap(),
            "--url",
            "https://shop.example.net/cart",
        ],
        None,
    ));
    let text = v["view"]["distribution"].to_string();
    assert!(
        text.contains("E3APIGEXAMPLE3") && text.contains("abc123def4.execute-api"),
        "{text}"
    );

    // The Markdown and text reports show the section and the risks.
    let md = cf503(
        &[
            "explain",
            "--markdown",
            response.to_str().unwrap(),
            "--config",
            configs.join("lambda-auth.tf.json").to_str().unwrap(),
            "--url",
            "https://www.example.com/",
        ],
        None,
    );
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("| Your distribution (terraform show"), "{md}");
    assert!(
        md.contains("`viewer_request_lambda_on_default_behavior`"),
        "{md}"
    );
    assert!(!md.contains("s3cr3t"), "{md}");

    for (args, needle) in [
        (
            vec![
                "--config".into(),
                configs
                    .join("unresolved.cfn.json")
                    .to_str()
                    .unwrap()
                    .to_string(),
                "--url".into(),
                "https://nobody.example.test/".into(),
            ],
            "",
        ),
        (
            vec![
                "--config".into(),
                configs
                    .join("api-gateway.config.json")
                    .to_str()
                    .unwrap()
                    .to_string(),
                "--url".into(),
                "https://nobody.example.test/".into(),
            ],
            "no distribution in the config serves nobody.example.test",
        ),
        (
            vec![
                "--config".into(),
                configs
                    .join("bad/truncated.config.json")
                    .to_str()
                    .unwrap()
                    .to_string(),
            ],
            "cut short",
        ),
        (
            vec![
                "--config".into(),
                configs
                    .join("bad/template.yaml")
                    .to_str()
                    .unwrap()
                    .to_string(),
            ],
            "YAML",
        ),
        (
            vec!["--resolver".into(), "127.0.0.1:9".into()],
            "name the origin with --origin",
        ),
        (
            vec!["--url".into(), "https://www.example.com/".into()],
            "--config",
        ),
    ] {
        let mut full = vec![
            "explain".to_string(),
            response.to_str().unwrap().to_string(),
        ];
        full.extend(args.iter().cloned());
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        let out = cf503(&full, None);
        if needle.is_empty() {
            // A template's names are unknown: its only distribution is used, and said so.
            let text = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                text.contains("the only distribution in the config"),
                "{text}"
            );
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{full:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{full:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

/// A HAR file with a config: each failing entry is routed by its own URL, so each names its own
/// cache behaviour (issue 19); the signed URL's secret stays out.
#[test]
fn har_entries_each_take_their_own_behaviour() {
    let har = fixtures().join("har/mixed.har");
    let config = fixtures().join("config/lambda-auth.tf.json");
    let v = json(&cf503(
        &[
            "explain",
            "--json",
            har.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
        None,
    ));
    let mut behaviours = Vec::new();
    for e in v["entries"].as_array().unwrap() {
        let facts = e["view"]["distribution"]["facts"].as_array().unwrap();
        let b = facts
            .iter()
            .find(|f| f["label"] == "Cache behavior")
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .to_string();
        behaviours.push((e["url"].as_str().unwrap().to_string(), b));
    }
    assert!(
        behaviours
            .iter()
            .any(|(u, b)| u.ends_with("/images/a.jpg") && b.starts_with("/images/*.jpg")),
        "{behaviours:?}"
    );
    assert!(
        behaviours.iter().any(|(_, b)| b.starts_with("Default (*)")),
        "{behaviours:?}"
    );
    assert!(!v.to_string().contains("har-secret-signature"));
}

/// `--color`: piped output has no escape unless asked for; `always` colours the verdict line
/// only, in its cause's colour; NO_COLOR (set and not empty) turns `auto` off, never `always`.
#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let file = "../../tests/fixtures/responses/lambda_edge_execution--serverless-next.http";
    let text = |args: &[&str]| String::from_utf8(cf503(args, None).stdout).unwrap();
    let plain = text(&["explain", file]);
    assert!(!plain.contains('\x1b'), "piped output is plain: {plain}");
    let always = text(&["explain", "--color", "always", file]);
    let coloured: Vec<&str> = always.lines().filter(|l| l.contains('\x1b')).collect();
    assert_eq!(coloured.len(), 1, "{always}");
    // lambda_edge_execution is vermillion, #D55E00.
    assert!(
        coloured[0].starts_with("\x1b[1;38;2;213;94;0mVerdict: "),
        "{always:?}"
    );
    assert_eq!(
        always
            .replace("\x1b[1;38;2;213;94;0m", "")
            .replace("\x1b[0m", ""),
        plain
    );
    assert_eq!(text(&["explain", "--color", "never", file]), plain);
    // JSON and Markdown are never coloured.
    assert!(!text(&["explain", "--color", "always", "--json", file]).contains('\x1b'));
    let out = cf503(&["explain", "--color", "sometimes", file], None);
    assert_eq!(out.status.code(), Some(2));
}

/// Completions and the man page come from the same definitions as `--help`.
#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = cf503(&["completions", shell], None);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["explain", "check", "logs", "edges", "config", "color"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    assert_eq!(cf503(&["completions", "tcsh"], None).status.code(), Some(2));
    let page = String::from_utf8(cf503(&["manpage"], None).stdout).unwrap();
    assert!(
        page.contains(".TH cf503 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    for word in ["cf503 explain", "cf503 logs", "\\-\\-config", "Exit status"] {
        assert!(page.contains(word), "the man page lacks {word}");
    }
    let dir = std::env::temp_dir().join(format!("cf503-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = cf503(&["manpage", "--out-dir", dir.to_str().unwrap()], None);
    assert!(out.status.success());
    for name in [
        "cf503.1",
        "cf503-explain.1",
        "cf503-check.1",
        "cf503-dns.1",
        "cf503-logs.1",
        "cf503-edges.1",
    ] {
        assert!(dir.join(name).is_file(), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    // A folder that cannot be written: exit 1, one line naming it.
    let out = cf503(&["manpage", "--out-dir", "/nonexistent/cf503-man"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--out-dir /nonexistent/cf503-man: cannot write")
    );
}

/// Every example in every `--help` is one line a user can copy, on an 80-column terminal: no
/// example is wrapped onto a second line.
#[test]
fn help_examples_fit_and_are_copyable() {
    for cmd in [
        "",
        "explain",
        "check",
        "dns",
        "logs",
        "edges",
        "completions",
        "manpage",
    ] {
        let mut args: Vec<&str> = cmd.split_whitespace().collect();
        args.push("--help");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cf503"))
            .args(&args)
            .env("COLUMNS", "80")
            .output()
            .unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let examples = help
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{cmd} --help has examples"));
        let lines: Vec<&str> = examples
            .lines()
            .take_while(|l| !l.trim().is_empty())
            .collect();
        assert!(!lines.is_empty(), "{cmd}");
        for line in lines {
            assert!(
                line.chars().count() <= 80,
                "{cmd}: {line:?} is longer than 80 columns"
            );
            let first = line.split_whitespace().next().unwrap_or_default();
            assert!(
                ["cf503", "curl", "aws"].contains(&first),
                "{cmd}: {line:?} is not a command of its own (wrapped?)"
            );
        }
    }
}
