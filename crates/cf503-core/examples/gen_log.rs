//! Writes a CloudFront standard log of about N MB (33 fields; several causes, edge locations and
//! minutes), for `just bench`: `gen_log PATH MB`.

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("gen_log PATH MB");
    let mb: usize = args.next().and_then(|m| m.parse().ok()).unwrap_or(100);
    let kinds = [
        ("200", "Hit", "Hit"),
        ("200", "Miss", "Miss"),
        ("502", "Error", "OriginDnsError"),
        ("503", "LambdaLimitExceeded", "LambdaLimitExceeded"),
        ("503", "Error", "Error"),
        ("504", "Error", "OriginCommError"),
    ];
    let pops = ["SEA19-C1", "FRA56-P1", "IAD89-C1", "NRT57-P2", "LHR5-P3"];
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(out, "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end").unwrap();
    let mut written = 0usize;
    let mut i = 0usize;
    // A fixed linear congruential sequence: the same file every time.
    let mut x: u64 = 1;
    while written < mb * 1024 * 1024 {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let (status, rt, drt) = kinds[(x >> 33) as usize % kinds.len()];
        let pop = pops[(x >> 40) as usize % pops.len()];
        let line = format!(
            "2026-11-26\t05:{:02}:17\t{pop}\t900\t192.0.2.10\tGET\td111111abcdef8.cloudfront.net\t/p/{}\t{status}\t-\tMozilla/5.0%2520(X11;%2520Linux)\t-\t-\t{rt}\tabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH{i:06}==\twww.example.com\thttps\t400\t0.102\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\t{rt}\tHTTP/2.0\t-\t-\t443\t0.102\t{drt}\ttext/html\t507\t-\t-\n",
            (x >> 20) % 60,
            (x >> 8) % 5000
        );
        out.write_all(line.as_bytes()).unwrap();
        written += line.len();
        i += 1;
    }
}
