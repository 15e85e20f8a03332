//! `just bench`: diagnoses per second for a typical response, and HAR parsing throughput.

use std::hint::black_box;

use cf503_core::{analyze, parse::parse_input, report};
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
        b.iter(|| analyze(black_box(TYPICAL)).unwrap())
    });
    g.bench_function("parse+diagnose: S3 SlowDown relayed", |b| {
        b.iter(|| analyze(black_box(ORIGIN)).unwrap())
    });
    g.bench_function("parse+diagnose+JSON report: Lambda@Edge 503", |b| {
        b.iter(|| {
            analyze(black_box(TYPICAL))
                .unwrap()
                .render(report::Format::Json)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("har");
    g.throughput(Throughput::Bytes(HAR.len() as u64));
    g.bench_function("parse mixed.har (6 entries, 3 failing)", |b| {
        b.iter(|| parse_input(black_box(HAR)).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default().warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
criterion_main!(group);
