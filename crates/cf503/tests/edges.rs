//! `cf503 edges` on loopback (issue 20): knot answers the test distribution's name per EDNS
//! Client Subnet and names the edges in reverse DNS (tests/dns/harness.sh, started by `just
//! test`); five loopback "edges" (127.0.0.11, .12, .21, .22, .31) answer like CloudFront edge
//! locations with scripted statuses. Nothing leaves 127.0.0.0/8.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

/// knot itself: it honours client subnets (unbound would not pass them on).
const RESOLVER: &str = "127.0.0.7:53";
const EUROPE: &str = "Europe=198.51.100.0/24";
const ASIA: &str = "Asia=203.0.113.0/24";

fn harness_up() {
    let out = Command::new("dig")
        .args([
            "+time=1",
            "+tries=2",
            "@127.0.0.7",
            "d111edges.cloudfront.net",
            "A",
            "+subnet=198.51.100.7/24",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("127.0.0.11"))
        .unwrap_or(false);
    assert!(
        out,
        "the DNS harness's edges zone does not answer on 127.0.0.7: start it with `just dns-harness` \
         (as root, with knot-module-geoip; `just test` does both)"
    );
}

/// The edge location of each loopback edge (as the reverse zone names them).
fn pop_of(last: u8) -> &'static str {
    match last {
        11 => "FRA56-P1",
        12 => "FRA60-P2",
        21 | 22 => "NRT57-P3",
        _ => "IAD89-C1",
    }
}

/// What an edge answers: (status, X-Cache, Age), or None: accept and never answer.
type Script = fn(u8) -> Option<(u16, &'static str, Option<u32>)>;

/// Starts the five edges on one port; returns it.
fn start_edges(script: Script) -> u16 {
    let first = TcpListener::bind("127.0.0.11:0").unwrap();
    let port = first.local_addr().unwrap().port();
    let mut listeners = vec![(11u8, first)];
    for last in [12u8, 21, 22, 31] {
        listeners.push((
            last,
            TcpListener::bind(("127.0.0.".to_string() + &last.to_string(), port)).unwrap(),
        ));
    }
    for (last, l) in listeners {
        std::thread::spawn(move || {
            for conn in l.incoming() {
                let Ok(mut s) = conn else { continue };
                std::thread::spawn(move || {
                    let mut req = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                        match s.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(k) => req.extend_from_slice(&buf[..k]),
                        }
                    }
                    // Pinned with the URL's Host: the edge sees the distribution's name.
                    assert!(
                        String::from_utf8_lossy(&req)
                            .to_ascii_lowercase()
                            .contains("host: d111edges.cloudfront.net")
                    );
                    let Some((status, x_cache, age)) = script(last) else {
                        std::thread::sleep(Duration::from_secs(60));
                        return;
                    };
                    let pop = pop_of(last);
                    let mut head = format!(
                        "HTTP/1.1 {status} X\r\nServer: CloudFront\r\nX-Cache: {x_cache}\r\nX-Amz-Cf-Pop: {pop}\r\nX-Amz-Cf-Id: id-{last}==\r\nVia: 1.1 e{last}.cloudfront.net (CloudFront)\r\nContent-Length: 0\r\nConnection: close\r\n"
                    );
                    if let Some(a) = age {
                        head.push_str(&format!("Age: {a}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = s.write_all(head.as_bytes());
                });
            }
        });
    }
    port
}

/// `cf503 edges URL` asking the harness's knot for the two places, with `extra` arguments.
fn run_edges(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "edges",
        url,
        "--resolver",
        RESOLVER,
        "--subnet",
        EUROPE,
        "--subnet",
        ASIA,
    ];
    args.extend_from_slice(extra);
    common::run(&args, None)
}

fn edges(script: Script, extra: &[&str]) -> (Value, Duration) {
    harness_up();
    let port = start_edges(script);
    let url = format!("http://d111edges.cloudfront.net:{port}/app");
    let mut extra = extra.to_vec();
    extra.push("--json");
    let started = Instant::now();
    let v = common::json(&run_edges(&url, &extra));
    (v, started.elapsed())
}

fn assert_loopback_only(v: &Value) {
    for e in v["edges"].as_array().unwrap() {
        assert!(
            e["address"].as_str().unwrap().starts_with("127.0.0."),
            "{e}"
        );
    }
}

const OK: (u16, &str, Option<u32>) = (200, "Miss from cloudfront", None);

/// The Tokyo edges (.21, .22: NRT57) out of capacity, the others fine.
fn capacity_at_nrt57(last: u8) -> Option<(u16, &'static str, Option<u32>)> {
    Some(if last >= 21 {
        (503, "CapacityExceeded from cloudfront", None)
    } else {
        OK
    })
}

#[test]
fn three_pops_in_two_regions_all_fine() {
    let (v, _) = edges(|_| Some(OK), &[]);
    assert_eq!(v["schema"], "cf503.edges_report");
    assert_eq!(v["verdict"]["kind"], "nothing_fails");
    let pops: Vec<(String, String)> = v["pops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["pop"].as_str().unwrap().into(),
                p["region"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        pops,
        [
            ("FRA56".into(), "eu-central-1".into()),
            ("FRA60".into(), "eu-central-1".into()),
            ("NRT57".into(), "ap-northeast-1".into())
        ]
    );
    // Reverse names came back for every edge, and each was asked twice.
    for e in v["edges"].as_array().unwrap() {
        assert!(
            e["reverse_name"]
                .as_str()
                .unwrap()
                .ends_with(".r.cloudfront.net."),
            "{e}"
        );
        assert_eq!(e["attempts"].as_array().unwrap().len(), 2, "{e}");
    }
    assert_loopback_only(&v);
}

#[test]
fn one_edge_location_out_of_capacity() {
    let (v, _) = edges(capacity_at_nrt57, &[]);
    assert_eq!(
        v["verdict"],
        serde_json::json!({"kind": "one_pop", "pop": "NRT57", "cached": false})
    );
    assert_eq!(v["cause"], "edge_capacity");
    assert_loopback_only(&v);
}

#[test]
fn one_regions_edge_locations_throttled() {
    let (v, _) = edges(
        |last| {
            Some(if last < 20 {
                (503, "LambdaLimitExceeded from cloudfront", None)
            } else {
                OK
            })
        },
        &[],
    );
    assert_eq!(
        v["verdict"],
        serde_json::json!({"kind": "one_region", "region": "eu-central-1"})
    );
    assert_eq!(v["cause"], "lambda_edge_throttled");
    assert!(
        v["steps"]
            .to_string()
            .contains("--region eu-central-1 --log-group-name-prefix /aws/lambda/us-east-1.")
    );
}

#[test]
fn every_edge_failing_is_not_the_edge() {
    let (v, _) = edges(|_| Some((502, "Error from cloudfront", None)), &[]);
    assert_eq!(v["verdict"]["kind"], "every_edge");
    assert!(
        v["summary"].as_str().unwrap().contains("not the edge"),
        "{}",
        v["summary"]
    );
}

#[test]
fn an_error_cached_at_one_edge_location() {
    let (v, _) = edges(
        |last| {
            Some(if last == 12 {
                (503, "Error from cloudfront", Some(7))
            } else {
                OK
            })
        },
        &[],
    );
    assert_eq!(
        v["verdict"],
        serde_json::json!({"kind": "one_pop", "pop": "FRA60", "cached": true})
    );
}

#[test]
fn a_silent_edge_is_bounded_by_the_timeout_and_not_weighed() {
    let (v, took) = edges(
        |last| if last == 21 { None } else { Some(OK) },
        &["--timeout", "3"],
    );
    // 3 s, plus process start and a little slack.
    assert!(took < Duration::from_millis(4_500), "{took:?}");
    assert_eq!(v["verdict"]["kind"], "nothing_fails");
    let silent = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["address"] == "127.0.0.21")
        .unwrap();
    assert!(silent["attempts"][0]["error"].is_string(), "{silent}");
}

#[test]
fn text_and_markdown_say_where() {
    harness_up();
    let port = start_edges(capacity_at_nrt57);
    let url = format!("http://d111edges.cloudfront.net:{port}/app");
    let out = run_edges(&url, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Verdict: Only edge location NRT57"), "{text}");
    assert!(
        text.contains(
            "127.0.0.21       NRT57   ap-northeast-1   503 CapacityExceeded from cloudfront"
        ),
        "{text}"
    );
    let out = run_edges(&url, &["--markdown"]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("| `127.0.0.21` | `NRT57` | ap-northeast-1 |"),
        "{md}"
    );
}

#[test]
fn bad_usage_is_exit_2() {
    for args in [
        vec!["edges", "ftp://x/"],
        vec!["edges", "https://127.0.0.1/"],
        vec!["edges", "https://www.example.test/", "--subnet", "nonsense"],
        vec![
            "edges",
            "https://www.example.test/",
            "--resolver",
            "not-an-address",
        ],
    ] {
        let out = common::run(&args, None);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
    }
}

/// The published schema accepts what `cf503 edges --json` prints, and a report with `--edges`.
fn validate(report: &Value, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schemas");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = format!("file:///cf503/{name}.schema.json");
    let text = std::fs::read_to_string(dir.join(format!("{name}.schema.json"))).unwrap();
    compiler
        .add_resource(&url, serde_json::from_str(&text).unwrap())
        .unwrap();
    let index = compiler.compile(&url, &mut schemas).unwrap();
    if let Err(e) = schemas.validate(report, index) {
        panic!("{name}: {e:#}");
    }
}

#[test]
fn the_edges_report_validates_against_its_schema() {
    let (v, _) = edges(capacity_at_nrt57, &[]);
    validate(&v, "cf503.edges_report");
}

/// `check --edges`: the fetch, the edges and the verdict in one report, all within --timeout.
/// Here the name has no edges (knot serves no `localhost`): the report says no edge answered and
/// the verdict rests on the response alone.
#[test]
fn check_with_edges_joins_the_edges_report() {
    harness_up();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nX-Cache: LambdaLimitExceeded from cloudfront\r\nX-Amz-Cf-Pop: FRA56-P1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    let started = Instant::now();
    let out = common::run(
        &[
            "check",
            &format!("http://localhost:{port}/"),
            "--edges",
            "--edges-resolver",
            RESOLVER,
            "--subnet",
            EUROPE,
            "--timeout",
            "4",
            "--json",
        ],
        None,
    );
    assert!(
        started.elapsed() < Duration::from_millis(6_000),
        "{:?}",
        started.elapsed()
    );
    let v = common::json(&out);
    assert_eq!(v["view"]["verdict"]["cause"], "lambda_edge_throttled");
    assert_eq!(v["edges"]["schema"], "cf503.edges_report");
    assert_eq!(v["edges"]["verdict"]["kind"], "no_edge_answered");
    validate(&v, "cf503.report");
    // --subnet without --edges is bad usage.
    let out = common::run(&["check", "http://localhost:1/", "--subnet", EUROPE], None);
    assert_eq!(out.status.code(), Some(2));
}

/// Pinned requests keep certificate checks: five HTTPS edges with a certificate for the right
/// name but from no trusted authority would all answer a 503 if the check were skipped. None may
/// be believed: every attempt fails on the certificate, no edge counts as failing, and the
/// verdict is that no edge answered (this side's trust, not evidence about CloudFront).
#[test]
fn pinned_https_requests_check_the_edges_certificate() {
    harness_up();
    let dir = std::env::temp_dir().join(format!("cf503-edges-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args([
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=d111edges.cloudfront.net",
        ])
        .args(["-addext", "subjectAltName=DNS:d111edges.cloudfront.net"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl (Debian's openssl package) makes the test certificate");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let port = TcpListener::bind("127.0.0.11:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Each edge: TLS with that certificate, then CloudFront's capacity 503 to whoever trusts it.
    let server = r#"
import socket, ssl, sys, threading
cert, key, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
def serve(sock):
    while True:
        conn, _ = sock.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                tls.recv(4096)
                tls.sendall(b"HTTP/1.1 503 X\r\nServer: CloudFront\r\nX-Cache: CapacityExceeded from cloudfront\r\nX-Amz-Cf-Pop: FRA56-P1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except Exception:
            pass
socks = []
for last in (11, 12, 21, 22, 31):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((f"127.0.0.{last}", port)); s.listen(16); socks.append(s)
for s in socks:
    threading.Thread(target=serve, args=(s,), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
"#;
    let mut child = Command::new("python3")
        .args(["-c", server])
        .arg(&cert)
        .arg(&key)
        .arg(port.to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the TLS edges");
    let mut ready = [0u8; 6];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut ready)
        .unwrap();
    assert_eq!(&ready, b"ready\n");
    let url = format!("https://d111edges.cloudfront.net:{port}/app");
    let out = run_edges(&url, &["--json"]);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let v = common::json(&out);
    assert_eq!(v["verdict"]["kind"], "no_edge_answered", "{v}");
    let edges = v["edges"].as_array().unwrap();
    assert!(edges.len() >= 4, "{v}");
    for e in edges {
        assert_eq!(e["failing"], false, "{e}");
        let error = e["attempts"][0]["error"].as_str().unwrap_or_default();
        assert!(error.to_ascii_lowercase().contains("certificate"), "{e}");
    }
    assert_loopback_only(&v);
}
