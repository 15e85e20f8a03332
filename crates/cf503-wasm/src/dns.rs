//! The DNS checks over DNS-over-HTTPS (feature `dns`, module `cf503_dns`): the core's
//! [`DohCheck`] decides resolvers, GET or POST, time-outs and fall-backs; this sends its HTTP
//! requests with `fetch`, aborts each at the time the core gave it, and hands back what came.

use std::cell::Cell;

use cf503_core::dns::{Config, DnsReport, DohCheck, Failure, HttpReply, HttpRequest, Method};
use cf503_core::report;
use futures_util::stream::{FuturesUnordered, StreamExt};
use wasm_bindgen::prelude::*;

use crate::{capture_from, observation, to_js};

/// A finished DNS check, kept on the Rust side so it can join a diagnosis.
#[wasm_bindgen]
#[derive(Debug)]
pub struct DnsResult {
    report: DnsReport,
}

#[wasm_bindgen]
impl DnsResult {
    /// The report as JSON (schema `cf503.dns_report`).
    pub fn json(&self) -> Result<JsValue, JsError> {
        to_js(&report::dns_json_value(&self.report))
    }
}

/// As `diagnose_input`, with a DNS check of the origin joined in.
#[wasm_bindgen]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands JS strings over as owned values
pub fn diagnose_input_with_dns(
    input: &str,
    entry: Option<usize>,
    dns: &DnsResult,
    config: Option<String>,
    url: Option<String>,
) -> Result<JsValue, JsError> {
    crate::with_config(
        cf503_core::diagnose::diagnose_with_dns(&observation(input, entry)?, &dns.report),
        config,
        url.as_deref(),
    )
}

/// As `diagnose_capture`, with a DNS check of the origin joined in.
#[wasm_bindgen]
pub fn diagnose_capture_with_dns(
    capture: JsValue,
    dns: &DnsResult,
    config: Option<String>,
) -> Result<JsValue, JsValue> {
    crate::rendered_capture(&capture_from(capture)?, Some(&dns.report), config)
}

/// How often a running DNS check reports progress, at most.
const UPDATE_EVERY_MS: u64 = 100;

thread_local! {
    static SEED: Cell<u64> = const { Cell::new(0) };
}

/// A JS number known to be a whole number in 0..=u32::MAX (or a millisecond clock), as u64.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn whole(x: f64) -> u64 {
    x.max(0.0) as u64
}

fn seed() -> u64 {
    // Message IDs only need to differ and be unguessable off-path; DoH runs over TLS anyway.
    let a = whole(js_sys::Math::random() * f64::from(u32::MAX));
    let b = whole(js_sys::Math::random() * f64::from(u32::MAX));
    SEED.with(|s| {
        let v = s.get().wrapping_add((a << 32) | b) | 1;
        s.set(v);
        v
    })
}

fn now_ms() -> u64 {
    whole(js_sys::Date::now())
}

/// Runs the core's DNS check of `origin` through the DoH resolvers `resolvers` (checked as
/// `check_resolvers` does), every independent query in flight at once. `on_update`, if given, is
/// called with the partial report JSON as answers arrive (at most every 100 ms), so a page can
/// fill in.
#[wasm_bindgen]
pub async fn check_dns(
    origin: String,
    resolvers: Vec<String>,
    on_update: Option<js_sys::Function>,
) -> Result<DnsResult, JsError> {
    run_check(&origin, &resolvers, on_update, false).await
}

/// What the resolvers answer for `host` itself, in one round (no zone apex, no name servers):
/// enough to see whether a viewer host is an alias of a `*.cloudfront.net` name (the report's
/// `cloudfront_alias`).
#[wasm_bindgen]
pub async fn check_alias(host: String, resolvers: Vec<String>) -> Result<DnsResult, JsError> {
    run_check(&host, &resolvers, None, true).await
}

async fn run_check(
    origin: &str,
    resolvers: &[String],
    on_update: Option<js_sys::Function>,
    resolver_view_only: bool,
) -> Result<DnsResult, JsError> {
    let config = Config {
        resolver_view_only,
        ..Config::default()
    };
    let mut check = DohCheck::new(origin, resolvers, config, seed())
        .map_err(|e| JsError::new(&format!("{origin:?}: {e}")))?;
    let mut last_update = 0u64;
    let mut inflight = FuturesUnordered::new();
    loop {
        while let Some(request) = check.poll_request(now_ms()) {
            inflight.push(async move { (request.token, exchange(&request).await) });
        }
        if check.is_done() {
            break;
        }
        let wait = check
            .poll_timeout()
            .map_or(100, |d| d.saturating_sub(now_ms()))
            .min(60_000);
        let sleep =
            gloo_timers::future::TimeoutFuture::new(u32::try_from(wait).unwrap_or(u32::MAX));
        futures_util::select_biased! {
            done = inflight.select_next_some() => {
                let (token, reply) = done;
                check.handle_reply(token, reply, now_ms());
                // Progress for the page, at most every UPDATE_EVERY_MS: building and drawing a
                // partial report per answer kept the main thread from reading the next answers
                // (a round of 9 answers took 75 ms instead of one RTT). The final report is the
                // caller's to draw.
                if let Some(cb) = &on_update
                    && now_ms().saturating_sub(last_update) >= UPDATE_EVERY_MS
                {
                    last_update = now_ms();
                    if let Ok(v) = to_js(&report::dns_json_value(&check.report())) {
                        let _ = cb.call1(&JsValue::NULL, &v);
                    }
                }
            }
            _ = futures_util::FutureExt::fuse(sleep) => {}
        }
        check.handle_timeout(now_ms());
    }
    Ok(DnsResult {
        report: check.report(),
    })
}

/// One HTTP exchange as the core asked for it, aborted after its `timeout_ms`.
async fn exchange(r: &HttpRequest) -> Result<HttpReply, Failure> {
    let url = r.url.as_str();
    let controller = web_sys::AbortController::new()
        .map_err(|_| Failure::Network("AbortController unavailable".into()))?;
    let signal = controller.signal();
    let request = match (r.method, r.content_type()) {
        (Method::Post, Some(content_type)) => gloo_net::http::Request::post(url)
            .header("accept", HttpRequest::ACCEPT)
            .header("content-type", content_type)
            .abort_signal(Some(&signal))
            .body(js_sys::Uint8Array::from(r.body.as_slice())),
        _ => gloo_net::http::Request::get(url)
            .header("accept", HttpRequest::ACCEPT)
            .abort_signal(Some(&signal))
            .build(),
    }
    .map_err(|e| Failure::Network(format!("{url}: {e}")))?;
    let fetch = async {
        let resp = request
            .send()
            .await
            .map_err(|e| Failure::Network(format!("{url}: {e}")))?;
        let status = resp.status();
        let content_type = resp.headers().get("content-type").unwrap_or_default();
        let body = resp
            .binary()
            .await
            .map_err(|e| Failure::Network(format!("{url}: {e}")))?;
        Ok(HttpReply {
            status,
            content_type,
            body,
        })
    };
    let timer =
        gloo_timers::future::TimeoutFuture::new(u32::try_from(r.timeout_ms).unwrap_or(u32::MAX));
    futures_util::pin_mut!(fetch);
    let mut timer = futures_util::FutureExt::fuse(timer);
    let mut fetch = futures_util::FutureExt::fuse(fetch);
    futures_util::select_biased! {
        r = fetch => r,
        _ = timer => {
            controller.abort();
            Err(Failure::Timeout)
        }
    }
}

/// Which edges viewers in each place reach (issue 20, the DNS half): the URL's name asked of
/// one DoH resolver once per client subnet (`subnets`: `LABEL=ADDR/PREFIX` lines; none: the
/// core's defaults), then each edge address's reverse name. Returns the `cf503.edges_report`
/// JSON with the verdict `dns_only` (a browser cannot pin a request to an edge address: the
/// report points to `cf503 edges`). A resolver that drops client subnets gives every place the
/// same edges; the report says so.
#[wasm_bindgen]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands JS strings and arrays over owned
pub async fn edges_dns(
    url: String,
    resolver: String,
    subnets: Vec<String>,
) -> Result<JsValue, JsError> {
    use cf503_core::edges::{Edges, doh_answer, doh_request, subnet_arg};
    let resolver = cf503_core::dns::doh::check_resolver_urls(core::slice::from_ref(&resolver))
        .map_err(|e| JsError::new(&e.to_string()))?
        .into_iter()
        .next()
        .ok_or_else(|| JsError::new("give one DNS-over-HTTPS resolver URL"))?;
    let pairs: Vec<(String, String)> = subnets
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| subnet_arg(s))
        .collect();
    let mut check = Edges::new(&url, &pairs, seed()).map_err(|e| JsError::new(&e.to_string()))?;
    for phase in 0..2 {
        let queries = if phase == 0 {
            check.subnet_queries()
        } else {
            check.ptr_queries()
        };
        let mut inflight: FuturesUnordered<_> = queries
            .iter()
            .map(|q| {
                let request = doh_request(q, &resolver);
                async move { (q, doh_answer(exchange(&request).await)) }
            })
            .collect();
        while let Some((q, got)) = inflight.next().await {
            if phase == 0 {
                check.on_subnet_answer(q, got.as_deref().map_err(Clone::clone));
            } else {
                check.on_ptr_answer(q, got.as_deref().map_err(String::as_str));
            }
        }
    }
    to_js(&serde_json::to_value(check.dns_report()).map_err(|e| JsError::new(&e.to_string()))?)
}

/// The core's defaults for the page's edges form: `{subnets: ["LABEL=ADDR/PREFIX", …],
/// resolver}`.
#[wasm_bindgen]
pub fn edges_defaults() -> Result<JsValue, JsError> {
    let subnets: Vec<String> = cf503_core::edges::DEFAULT_SUBNETS
        .iter()
        .map(|(label, cidr)| format!("{label}={cidr}"))
        .collect();
    to_js(&serde_json::json!({
        "subnets": subnets,
        "resolver": cf503_core::edges::DEFAULT_DOH_RESOLVER,
    }))
}
