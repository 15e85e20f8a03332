//! `just bench`: diagnoses per second for a typical response, and HAR parsing throughput.

use std::hint::black_box;

use cf503_core::{analyze, parse_input, report};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const TYPICAL: &[u8] =
    include_bytes!("../../../tests/fixtures/responses/lambda_edge_execution--serverless-next.http");
const ORIGIN: &[u8] =
    include_bytes!("../../../tests/fixtures/responses/origin_overloaded--s3-slowdown.http");
const HAR: &[u8] = include_bytes!("../../../tests/fixtures/har/mixed.har");

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("diagnose");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse+diagnose: Lambda@Edge 503 page (curl -si)", |b| {
        b.iter(|| analyze(black_box(TYPICAL)).unwrap());
    });
    g.bench_function("parse+diagnose: S3 SlowDown relayed", |b| {
        b.iter(|| analyze(black_box(ORIGIN)).unwrap());
    });
    g.bench_function("parse+diagnose+JSON report: Lambda@Edge 503", |b| {
        b.iter(|| {
            analyze(black_box(TYPICAL))
                .unwrap()
                .render(report::Format::Json)
        });
    });
    g.finish();

    let mut g = c.benchmark_group("har");
    g.throughput(Throughput::Bytes(HAR.len() as u64));
    g.bench_function("parse mixed.har (6 entries, 3 failing)", |b| {
        b.iter(|| parse_input(black_box(HAR)).unwrap());
    });
    g.finish();

    // The shapes of hostile input the resource bounds are about (README "Limits"): each is
    // parsed, redacted and diagnosed; throughput in MB/s shows the time is linear.
    let cf = "HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nX-Cache: Error from cloudfront\r\n";
    let mb = 1024 * 1024;
    let repeat = |head: &str, line: &str, tail: &str| {
        let mut s = String::from(head);
        while s.len() < mb {
            s.push_str(line);
        }
        s.push_str(tail);
        s
    };
    let shapes = [
        (
            "1 MB of folded header lines",
            repeat(
                &format!("{cf}X-Long: a\r\n"),
                " bbbbbbbbbbbbbbbb\r\n",
                "\r\n",
            ),
        ),
        (
            "1 MB of folded Set-Cookie",
            repeat(&format!("{cf}Set-Cookie: a=b\r\n"), " ;c\r\n", "\r\n"),
        ),
        ("1 MB of header lines", repeat(cf, "x-h: v\r\n", "\r\n")),
        (
            "1 MB of assignments and URLs",
            repeat(
                &format!("{cf}\r\n"),
                "a=b&next=https://u:p@x/?code=c%3Ftoken%3Dd eyJabcdefghij.eyJk.l ",
                "",
            ),
        ),
        (
            "1 MB page text alone",
            repeat(
                "503 ERROR The request could not be satisfied. ",
                "We can't connect to the server for this app or website at this time. ",
                "",
            ),
        ),
    ];
    let mut g = c.benchmark_group("hostile");
    for (name, input) in &shapes {
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(*name, |b| {
            b.iter(|| analyze(black_box(input.as_bytes())).unwrap());
        });
    }
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
criterion_main!(group);
