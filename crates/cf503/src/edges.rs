//! `cf503 edges URL`: moves the bytes the core's edges check plans (DNS questions with client
//! subnets, reverse names, requests pinned to each edge address) and prints its judgement. Each
//! phase runs its exchanges side by side and all of them within `--timeout`.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cf503_core::edges::Edges;

use crate::{CliError, EdgesArgs, fetch, transport, write_out};

/// Google Public DNS passes EDNS Client Subnet to CloudFront's name servers (source `EDGE-ECS`);
/// resolvers that drop it answer for their own location only.
const DEFAULT_RESOLVER: &str = "8.8.8.8:53";

/// One DNS attempt's cap (the phase's deadline cuts it shorter).
const DNS_ATTEMPT: Duration = Duration::from_secs(3);

pub fn run(args: &EdgesArgs) -> Result<(), CliError> {
    let plan = Plan::new(&args.url, &args.subnet, args.resolver.as_deref())?;
    let report = plan.gather(args.timeout);
    let out = match args.output.format() {
        cf503_core::report::Format::Json => cf503_core::report::edges_json(&report) + "\n",
        cf503_core::report::Format::Markdown => cf503_core::report::edges_markdown(&report),
        cf503_core::report::Format::Text => format!(
            "resolver: {}\n{}",
            plan.resolver,
            cf503_core::report::edges_text(&report)
        ),
    };
    write_out(&out)
}

/// A checked edges request: usage errors are found before anything is sent.
pub struct Plan {
    check: Edges,
    resolver: SocketAddr,
}

impl Plan {
    pub fn new(url: &str, subnets: &[String], resolver: Option<&str>) -> Result<Self, CliError> {
        let subnets: Vec<(String, String)> = subnets
            .iter()
            .map(|s| cf503_core::edges::subnet_arg(s))
            .collect();
        let resolver_text = resolver.unwrap_or(DEFAULT_RESOLVER);
        let resolver: SocketAddr = transport::parse_resolver(resolver_text).ok_or_else(|| {
            CliError::Usage(format!(
                "--resolver {resolver_text:?}: give an IP address, optionally with :PORT (e.g. 8.8.8.8 or 127.0.0.1:5353)"
            ))
        })?;
        let check = Edges::new(url, &subnets, crate::random_seed())
            .map_err(|e| CliError::Usage(e.to_string()))?;
        Ok(Plan { check, resolver })
    }

    /// Asks, within `timeout` seconds, and judges.
    pub fn gather(&self, timeout: u64) -> cf503_core::edges::EdgesReport {
        let mut check = self.check.clone();
        gather(&mut check, self.resolver, timeout);
        check.report()
    }
}

fn gather(check: &mut Edges, resolver: SocketAddr, timeout: u64) {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(timeout.max(1));

    let left = |cap: Duration| deadline.saturating_duration_since(Instant::now()).min(cap);
    // 1. The URL's name once per client subnet; 2. each edge's reverse name.
    for phase in 0..2 {
        let queries = if phase == 0 {
            check.subnet_queries()
        } else {
            check.ptr_queries()
        };
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            for q in &queries {
                let tx = tx.clone();
                let cap = left(DNS_ATTEMPT);
                s.spawn(move || {
                    let got = if cap.is_zero() {
                        Err("no time left (--timeout)".to_string())
                    } else {
                        transport::exchange_query(resolver, q.id, &q.question, &q.bytes, cap)
                            .map_err(|f| format!("{resolver}: {f}"))
                    };
                    let _ = tx.send((q.index, got));
                });
            }
        });
        drop(tx);
        for (index, got) in rx {
            let Some(q) = queries.iter().find(|q| q.index == index) else {
                continue;
            };
            match phase {
                0 => check.on_subnet_answer(q, got.as_deref().map_err(Clone::clone)),
                _ => check.on_ptr_answer(q, got.as_deref().map_err(String::as_str)),
            }
        }
    }
    // 3. The requests, pinned to each edge: every edge's first request side by side, then the
    //    seconds (whether an error persists, and whether it came from the edge's cache).
    let requests = check.requests();
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        for round in requests.chunks(requests.len().div_ceil(2).max(1)) {
            let handles: Vec<_> = round
                .iter()
                .map(|r| {
                    let tx = tx.clone();
                    let timeout = left(Duration::from_secs(timeout.max(1)));
                    s.spawn(move || {
                        let got = if timeout.is_zero() {
                            Err("no time left (--timeout)".to_string())
                        } else {
                            fetch::fetch_pinned(&r.url, r.address, timeout)
                                .map_err(|e| e.to_string())
                        };
                        let _ = tx.send((r.edge, got));
                    })
                })
                .collect();
            for h in handles {
                let _ = h.join();
            }
        }
    });
    drop(tx);
    for (edge, got) in rx {
        check.on_response(edge, got);
    }
}
