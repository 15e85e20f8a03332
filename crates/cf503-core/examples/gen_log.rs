//! Writes CloudFront standard logs of about N MB in all, for `just bench`:
//! `gen_log PATH MB [FILES] [SHAPE]`. With FILES > 1, PATH is a folder and the files are named as
//! CloudFront names them (`E2EXAMPLE.2026-11-26-05.<id>`). SHAPE `errors` (the default: 33
//! fields, two thirds of the records 5xx of several causes) or `realistic` (35 fields as written
//! since 2025, about 2 % 5xx, tens of thousands of distinct paths, long user agents and query
//! strings, as a busy site's logs are).
//!
//! Values vary as in real logs (random request ids, client addresses, sizes, timings, seconds),
//! so the files compress about as real ones do (6–8×), not 25× as repeated lines would: a gzip
//! benchmark on them measures decoding, not a degenerate case.

use std::io::Write;

const FIELDS: &str = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";

const KINDS: [(&str, &str, &str); 6] = [
    ("200", "Hit", "Hit"),
    ("200", "Miss", "Miss"),
    ("502", "Error", "OriginDnsError"),
    ("503", "LambdaLimitExceeded", "LambdaLimitExceeded"),
    ("503", "Error", "Error"),
    ("504", "Error", "OriginCommError"),
];
const POPS: [&str; 5] = ["SEA19-C1", "FRA56-P1", "IAD89-C1", "NRT57-P2", "LHR5-P3"];
const AGENTS: [&str; 4] = [
    "Mozilla/5.0%20(X11;%20Linux%20x86_64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/131.0.0.0%20Safari/537.36",
    "Mozilla/5.0%20(iPhone;%20CPU%20iPhone%20OS%2018_1%20like%20Mac%20OS%20X)%20AppleWebKit/605.1.15%20(KHTML,%20like%20Gecko)%20Version/18.1%20Mobile/15E148%20Safari/604.1",
    "Mozilla/5.0%2520(compatible;%2520bingbot/2.0;%2520+http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
];
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A fixed linear congruential sequence: the same files every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 16
    }
    fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        usize::try_from(self.next() % n).unwrap_or(0) // < n, which was a usize
    }
}

/// What differs between the shapes; the rest of a line is drawn the same way.
struct Shape {
    kind: (&'static str, &'static str, &'static str),
    /// The query string, drawn after the request id and time taken.
    query: fn(&mut Lcg) -> String,
    /// The path and the referrer, drawn where they stand on the line.
    path_and_referrer: fn(&mut Lcg) -> (String, String),
    /// Fields after `sc-range-end` (`-` each).
    extra_fields: usize,
}

/// One line: the shape's values, random addresses, sizes, times and a request id.
fn write_line(rng: &mut Lcg, line: &mut String, shape: &Shape) {
    use std::fmt::Write as _;
    let (status, rt, drt) = shape.kind;
    let pop = POPS[rng.below(POPS.len())];
    let agent = AGENTS[rng.below(AGENTS.len())];
    let id: String = (0..52).map(|_| char::from(B64[rng.below(64)])).collect();
    let taken = rng.below(3000);
    let query = (shape.query)(rng);
    line.clear();
    let (minute, second, bytes) = (rng.below(60), rng.below(60), 300 + rng.below(90_000));
    let ip = [
        rng.below(224) + 1,
        rng.below(256),
        rng.below(256),
        rng.below(256),
    ];
    let (path, referrer) = (shape.path_and_referrer)(rng);
    let _ = write!(
        line,
        "2026-11-26\t05:{minute:02}:{second:02}\t{pop}\t{bytes}\t{}.{}.{}.{}\tGET\td111111abcdef8.cloudfront.net\t{path}\t{status}\t{referrer}\t{agent}\t{query}\t-\t{rt}\t{id}==\twww.example.com\thttps\t{}\t{}.{:03}\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\t{rt}\tHTTP/2.0\t-\t-\t{}\t{}.{:03}\t{drt}\ttext/html\t{}\t-\t-",
        ip[0],
        ip[1],
        ip[2],
        ip[3],
        300 + rng.below(600),
        taken / 1000,
        taken % 1000,
        1024 + rng.below(60_000),
        taken / 2000,
        (taken / 2) % 1000,
        rng.below(200_000),
    );
    for _ in 0..shape.extra_fields {
        line.push_str("\t-");
    }
    line.push('\n');
}

fn record(rng: &mut Lcg, line: &mut String) {
    let kind = KINDS[rng.below(KINDS.len())];
    let shape = Shape {
        kind,
        query: |_| "-".to_string(),
        path_and_referrer: |rng| (format!("/p/{}", rng.below(5000)), "-".to_string()),
        extra_fields: 0,
    };
    write_line(rng, line, &shape);
}

const FIELDS_35: &str = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end distribution-tenant-id connection-id";

/// A busy site's record: mostly hits and misses, about 2 % 5xx.
fn realistic(rng: &mut Lcg, line: &mut String) {
    let kind = match rng.below(1000) {
        0..=6 => ("503", "Error", "Error"),
        7..=11 => ("502", "Error", "OriginDnsError"),
        12..=16 => ("504", "Error", "OriginCommError"),
        17..=19 => ("503", "LambdaLimitExceeded", "LambdaLimitExceeded"),
        20..=79 => ("304", "RefreshHit", "RefreshHit"),
        80..=119 => ("404", "Error", "Error"),
        120..=519 => ("200", "Miss", "Miss"),
        _ => ("200", "Hit", "Hit"),
    };
    let shape = Shape {
        kind,
        query: |rng| {
            if rng.below(3) == 0 {
                return "-".to_string();
            }
            format!(
                "utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale-{}&utm_content=hero-banner-{}&fbclid=IwAR{}",
                rng.below(500),
                rng.below(50),
                (0..40)
                    .map(|_| char::from(B64[rng.below(62)]))
                    .collect::<String>()
            )
        },
        path_and_referrer: |rng| {
            let path = format!(
                "/catalog/{}/items/{}/detail.html",
                rng.below(400),
                rng.below(200)
            );
            (
                path,
                format!("https://www.example.com/catalog/{}/", rng.below(400)),
            )
        },
        extra_fields: 2,
    };
    write_line(rng, line, &shape);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("gen_log PATH MB [FILES]");
    let mb: usize = args.next().and_then(|m| m.parse().ok()).unwrap_or(100);
    let files: usize = args.next().and_then(|m| m.parse().ok()).unwrap_or(1).max(1);
    let shape_realistic = match args.next().as_deref() {
        None | Some("errors") => false,
        Some("realistic") => true,
        Some(other) => panic!("SHAPE {other:?}: give errors or realistic"),
    };
    let (fields, make): (&str, fn(&mut Lcg, &mut String)) = if shape_realistic {
        (FIELDS_35, realistic)
    } else {
        (FIELDS, record)
    };
    let per_file = mb * 1024 * 1024 / files;
    let mut rng = Lcg(1);
    let mut line = String::new();
    for f in 0..files {
        let out_path = if files == 1 {
            std::path::PathBuf::from(&path)
        } else {
            std::fs::create_dir_all(&path).expect("create the folder");
            std::path::Path::new(&path).join(format!("E2EXAMPLE.2026-11-26-05.{f:08x}"))
        };
        let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("create"));
        writeln!(out, "#Version: 1.0\n#Fields: {fields}").expect("write");
        let mut written = 0usize;
        while written < per_file {
            make(&mut rng, &mut line);
            out.write_all(line.as_bytes()).expect("write");
            written += line.len();
        }
    }
}
