//! `cf503 dns` against real DNS servers: the harness in tests/dns (knot, nsd, unbound and a
//! silent address on loopback), started by `just test` (or `just dns-harness`). One test per
//! scenario of the harness's zones.

use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

const RESOLVER: &str = "127.0.0.1:5353";

fn harness_up() {
    static UP: OnceLock<bool> = OnceLock::new();
    let up = *UP.get_or_init(|| {
        Command::new("dig")
            .args([
                "+time=1",
                "+tries=2",
                "-p",
                "5353",
                "@127.0.0.1",
                "www.example.test",
                "A",
            ])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("status: NOERROR"))
            .unwrap_or(false)
    });
    assert!(
        up,
        "the DNS harness is not running on 127.0.0.1:5353: start it with `just dns-harness` \
         (as root; `just test` does it for you)"
    );
}

mod common;

/// Runs cf503, which must exit 0, and parses its JSON.
fn cf503_json(args: &[&str]) -> Value {
    common::json(&common::run(args, None))
}

fn dns(name: &str) -> Value {
    harness_up();
    cf503_json(&["dns", name, "--resolver", RESOLVER, "--json"])
}

fn finding_ids(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn finding<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| {
            panic!(
                "no {id} finding in {}",
                serde_json::to_string_pretty(&v["findings"]).unwrap()
            )
        })
}

#[test]
fn healthy() {
    let v = dns("www.example.test");
    assert_eq!(finding_ids(&v), ["ok"]);
    assert_eq!(v["apex"], "example.test.");
    assert_eq!(v["parent"], "test.");
    assert_eq!(v["addresses"], serde_json::json!(["3.5.0.10"]));
    let servers = v["servers"].as_array().unwrap();
    let names: Vec<&str> = servers
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ns1.example.test.", "ns2.example.test."]);
    for s in servers {
        assert_eq!(s["in_zone"], true);
        assert_eq!(s["in_parent"], true);
        let results = s["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert!(results.iter().all(|r| r["aa"] == true));
    }
    assert_eq!(v["depth"], 3);
}

#[test]
fn nxdomain() {
    let v = dns("nx.example.test");
    assert_eq!(finding_ids(&v)[0], "nxdomain");
    assert_eq!(finding(&v, "nxdomain")["severity"], "error");
}

#[test]
fn one_lame_name_server() {
    let v = dns("www.lame.example.test");
    assert_eq!(v["apex"], "lame.example.test.");
    for id in ["refused", "lame_delegation"] {
        assert_eq!(
            finding(&v, id)["server"],
            "ns-lame.example.test. (127.0.0.3)"
        );
    }
    // The other name server is fine, and the resolver still gets the answer.
    assert_eq!(v["addresses"], serde_json::json!(["3.5.0.20"]));
    assert!(!finding_ids(&v).iter().any(|id| id == "servfail"));
}

#[test]
fn one_name_server_timing_out() {
    let v = dns("www.slow.example.test");
    let f = finding(&v, "timeout");
    assert_eq!(f["server"], "ns-silent.example.test. (127.0.0.4)");
    assert_eq!(f["severity"], "warning");
    assert_eq!(v["addresses"], serde_json::json!(["3.5.0.20"]));
}

#[test]
fn all_name_servers_timing_out() {
    let v = dns("www.dead.example.test");
    // The resolver cannot resolve it; the check follows the referral to the dead zone.
    assert_eq!(finding(&v, "servfail")["severity"], "error");
    let f = finding(&v, "timeout");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["server"], "ns-silent.example.test. (127.0.0.4)");
    assert_eq!(v["apex"], "dead.example.test.");
}

#[test]
fn servfail() {
    let v = dns("www.sfail.example.test");
    assert_eq!(finding_ids(&v)[0], "servfail");
    let at_servers: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "servfail" && f["server"].is_string())
        .collect();
    assert!(
        at_servers
            .iter()
            .any(|f| f["server"] == "ns1.example.test. (127.0.0.2)"),
        "{at_servers:?}"
    );
    assert!(!finding_ids(&v).contains(&"lame_delegation".to_string()));
}

#[test]
fn soa_serials_differing() {
    let v = dns("www.drift.example.test");
    let f = finding(&v, "soa_serial_mismatch");
    let ev = f["evidence"].to_string();
    assert!(
        ev.contains("2026112601") && ev.contains("2026112602"),
        "{ev}"
    );
}

#[test]
fn parent_and_child_ns_sets_differing() {
    let v = dns("www.split.example.test");
    let ev = finding(&v, "ns_set_mismatch")["evidence"].to_string();
    assert!(
        ev.contains("ns-x.example.test.") && ev.contains("ns-extra.example.test."),
        "{ev}"
    );
}

#[test]
fn dnssec_bogus() {
    let v = dns("www.bogus.example.test");
    assert_eq!(finding_ids(&v)[0], "dnssec_bogus");
    let cd: Vec<&Value> = v["resolver"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["cd"] == true)
        .collect();
    assert_eq!(cd[0]["outcome"], "answer");
    // Fresh: EDE 9 "DNSKEY Missing" with unbound's reason; cached: EDE 6 "DNSSEC Bogus".
    let ede = v["resolver"].to_string();
    assert!(
        ede.contains("DNSKEY Missing") || ede.contains("DNSSEC Bogus"),
        "{ede}"
    );
}

#[test]
fn dangling_cname() {
    let v = dns("dangling.example.test");
    assert_eq!(finding_ids(&v)[0], "dangling_cname");
    assert!(
        finding(&v, "dangling_cname")["summary"]
            .as_str()
            .unwrap()
            .contains("gone.example.test.")
    );
}

#[test]
fn private_address() {
    let v = dns("private.example.test");
    assert!(
        finding(&v, "private_address")["summary"]
            .as_str()
            .unwrap()
            .contains("10.0.0.5")
    );
}

#[test]
fn cname_chain_into_another_zone() {
    let v = dns("chain.example.test");
    assert_eq!(finding_ids(&v), ["ok"]);
    assert_eq!(
        v["cname_chain"],
        serde_json::json!(["chain.example.test. → www.other.test."])
    );
    assert_eq!(v["addresses"], serde_json::json!(["3.5.0.50"]));
    // The target's own zone is checked too, its servers asked one by one.
    let t = &v["cname_target"];
    assert_eq!(t["origin"], "www.other.test.");
    assert_eq!(t["apex"], "other.test.");
    assert!(
        t["servers"].as_array().is_some_and(|s| !s.is_empty()),
        "{t}"
    );
    assert!(v["dns"].is_null() && v["cname_target"]["cname_target"].is_null());
}

#[test]
fn text_output_is_the_dig_session() {
    harness_up();
    let out = Command::new(env!("CARGO_BIN_EXE_cf503"))
        .args(["dns", "www.lame.example.test", "--resolver", RESOLVER])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("$ dig lame.example.test. NS +short"),
        "{text}"
    );
    assert!(
        text.contains("$ dig www.lame.example.test. A @127.0.0.3 +norec"),
        "{text}"
    );
    assert!(text.contains("WARNING lame_delegation"), "{text}");
}

#[test]
fn bad_domain_and_resolver_are_usage_errors() {
    for args in [
        &["dns", "", "--resolver", RESOLVER][..],
        &["dns", "www.example.test", "--resolver", "not-an-address"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cf503"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    }
}

fn explain_with_origin(fixture: &str, origin: &str) -> Value {
    harness_up();
    let path = format!(
        "{}/../../tests/fixtures/responses/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    cf503_json(&[
        "explain",
        "--json",
        &path,
        "--origin",
        origin,
        "--resolver",
        RESOLVER,
    ])
}

#[test]
fn dns_findings_join_the_diagnosis() {
    // A 502 that looks like DNS (slow cdn-upstream-dns, no connect), and the origin's DNS is broken:
    // origin_dns, with the failing server named in the first step.
    let v = explain_with_origin(
        "origin_dns--server-timing-slow-dns.http",
        "www.dead.example.test",
    );
    assert_eq!(v["findings"][0]["cause"], "origin_dns");
    let step = v["findings"][0]["steps"][0].as_str().unwrap();
    assert!(
        step.contains("servfail") || step.contains("ns-silent.example.test."),
        "{step}"
    );
    assert_eq!(v["dns"]["schema"], "cf503.dns_report");
    assert!(v["findings"][0]["confidence"].as_f64().unwrap() <= 0.99);

    // The same response, but the origin's DNS is healthy: DNS is ruled out, connect/TLS lead.
    let v = explain_with_origin(
        "origin_dns--server-timing-slow-dns.http",
        "www.example.test",
    );
    assert_ne!(v["findings"][0]["cause"], "origin_dns");
    assert_eq!(v["dns"]["findings"][0]["id"], "ok");
    let dns = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["cause"] == "origin_dns");
    if let Some(dns) = dns {
        assert!(
            dns["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["signal"] == "dns-check" && e["supports"] == false)
        );
    }
}

const DOH: &str = "http://127.0.0.1:8053/dns-query";

fn dns_over_doh(name: &str, url: &str) -> Value {
    cf503_json(&["dns", name, "--doh", url, "--json", "--deadline", "10"])
}

#[test]
fn doh_healthy_and_bogus_through_dnsdist() {
    harness_up();
    let v = dns_over_doh("www.example.test", DOH);
    assert_eq!(finding_ids(&v), ["ok"]);
    assert_eq!(v["direct"], false);
    assert_eq!(v["depth"], 2);
    assert_eq!(v["apex"], "example.test.");
    assert!(
        v["servers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["results"].as_array().unwrap().is_empty())
    );

    let v = dns_over_doh("www.bogus.example.test", DOH);
    assert_eq!(finding_ids(&v)[0], "dnssec_bogus");
    let ede = v["resolver"].to_string();
    assert!(
        ede.contains("DNSKEY Missing") || ede.contains("DNSSEC Bogus"),
        "{ede}"
    );

    let v = dns_over_doh("www.dead.example.test", DOH);
    assert_eq!(finding_ids(&v)[0], "servfail");
}

/// A viewer host that is a CNAME of a distribution's `*.cloudfront.net` name says so; one that
/// is not has no alias.
#[test]
fn viewer_host_aliasing_cloudfront() {
    harness_up();
    let v = dns_over_doh("cdn.example.test", DOH);
    assert_eq!(v["cloudfront_alias"], "d111abcdef8.cloudfront.net.");
    assert_eq!(finding_ids(&v), ["ok"]);
    let v = dns_over_doh("www.example.test", DOH);
    assert_eq!(v["cloudfront_alias"], Value::Null);
}

/// The harness's POST-only endpoint answers every GET with 405: the check must switch to POST
/// (RFC 8484's other method) and get the same answers as through dnsdist.
#[test]
fn doh_resolver_refusing_get_is_asked_by_post() {
    harness_up();
    let v = dns_over_doh("www.example.test", "http://127.0.0.1:8054/dns-query");
    assert_eq!(finding_ids(&v), ["ok"], "{}", v["findings"]);
    assert_eq!(v["addresses"], serde_json::json!(["3.5.0.10"]));
    let v = dns_over_doh("www.bogus.example.test", "http://127.0.0.1:8054/dns-query");
    assert_eq!(finding_ids(&v)[0], "dnssec_bogus");
}

/// A DoH "resolver" that answers every request with `response`.
fn fake_doh(response: &'static [u8]) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/dns-query", listener.local_addr().unwrap());
    listener.set_nonblocking(false).unwrap();
    let handle = std::thread::spawn(move || {
        // Enough connections for one check; then the listener closes.
        for _ in 0..16 {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(response);
        }
    });
    (url, handle)
}

#[test]
fn doh_server_answering_html_or_502_gets_a_clear_error() {
    let (url, _server) = fake_doh(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\nConnection: close\r\n\r\n<html>Captive portal</html>");
    let v = dns_over_doh("www.example.test", &url);
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "error");
    // A broken resolver, not a time-out (audit 2026-12 D8).
    assert_eq!(f["id"], "resolver_error");
    assert!(
        f["summary"]
            .as_str()
            .unwrap()
            .contains("not application/dns-message"),
        "{f}"
    );

    let (url, _server) =
        fake_doh(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let v = dns_over_doh("www.example.test", &url);
    assert!(
        v["findings"][0]["summary"]
            .as_str()
            .unwrap()
            .contains("HTTP status 502"),
        "{}",
        v["findings"]
    );
}

#[test]
fn several_doh_resolvers_one_broken_the_check_goes_on() {
    harness_up();
    let (broken, _server) = fake_doh(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\nConnection: close\r\n\r\n<html>x</html>");
    let out = Command::new(env!("CARGO_BIN_EXE_cf503"))
        .args([
            "dns",
            "www.example.test",
            "--doh",
            &broken,
            "--doh",
            DOH,
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(finding_ids(&v), ["resolver_error"]);
    assert_eq!(v["findings"][0]["server"], "resolver 1");
    assert_eq!(v["apex"], "example.test.");
    assert_eq!(v["addresses"], serde_json::json!(["3.5.0.10"]));
    let second: Vec<&Value> = v["resolver"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["resolver"] == 1)
        .collect();
    assert!(second.iter().all(|r| r["outcome"] != "not dns"));
}

/// A DoH "resolver" that answers every request, for as long as the test runs, with a web page
/// (a captive portal, a corporate proxy's block page).
fn html_doh_forever() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/dns-query", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for s in listener.incoming() {
            let Ok(mut s) = s else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 45\r\nConnection: close\r\n\r\n<html>Blocked by your network policy.</html>\n");
            });
        }
    });
    url
}

/// Issue 17, class 0, against real servers: a resolver that refuses (knot, asked about a zone
/// it does not serve), one that never answers (the harness's blackhole) and one that answers a
/// web page (DoH): every response fixture keeps its verdict and its confidence, and the report
/// says that the DNS check could not run.
#[test]
fn a_failing_resolver_never_changes_a_verdict() {
    harness_up();
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/responses");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    fixtures.sort();
    let html = html_doh_forever();
    let kinds: [(&str, Vec<&str>); 3] = [
        (
            "refused",
            vec!["--origin", "www.example.com", "--resolver", "127.0.0.2:53"],
        ),
        (
            "silent",
            vec!["--origin", "www.example.com", "--resolver", "127.0.0.4:53"],
        ),
        (
            "html",
            vec!["--origin", "www.example.com", "--doh", html.as_str()],
        ),
    ];
    let top = |v: &Value| {
        (
            v["findings"][0]["cause"].clone(),
            v["findings"][0]["confidence"].clone(),
        )
    };
    for (kind, flags) in &kinds {
        // All fixtures at once: a silent resolver makes each check wait for its deadline.
        let runs: Vec<(String, std::process::Child)> = fixtures
            .iter()
            .map(|f| {
                let child = Command::new(env!("CARGO_BIN_EXE_cf503"))
                    .args(["explain", "--json", f])
                    .args(flags)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                (f.clone(), child)
            })
            .collect();
        for (f, child) in runs {
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{kind} {f}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let with: Value = serde_json::from_slice(&out.stdout).unwrap();
            let alone = cf503_json(&["explain", "--json", &f]);
            assert_eq!(top(&with), top(&alone), "{kind}: {f}");
            let notes = with["notes"].to_string();
            assert!(notes.contains("dns_check_failed"), "{kind}: {f}: {notes}");
            assert!(
                with["dns"]["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d["scope"] == "check"),
                "{kind}: {f}: {}",
                with["dns"]["findings"]
            );
        }
    }
}
