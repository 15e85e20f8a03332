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
    assert!(checked > 100, "only {checked} outputs checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} outputs differ from tests/golden (CF503_BLESS=1 rewrites them after a \
         reviewed change):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
