//! cf503 in the browser: parse, diagnose, render and the DNS checks over DNS-over-HTTPS, for the
//! web page (`www/`) and the extension. No decision is made here; everything comes from
//! `cf503-core`. The only logic of its own is moving bytes: `fetch` with an abort per query.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::cell::Cell;

use cf503_core::dns::{
    Check, Config, DnsReport, Failure, Transmit, doh_get_url, doh_wants_post, judge_doh,
};
use cf503_core::parse::{Input, parse_input};
use cf503_core::{Diagnosis, Observation, diagnose, report};
use futures_util::stream::{FuturesUnordered, StreamExt};
use wasm_bindgen::prelude::*;

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

fn to_js(v: &serde_json::Value) -> Result<JsValue, JsError> {
    use serde::Serialize as _;
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// What the input is: `{kind: "response"}` or `{kind: "har", total, failing: [{index, url,
/// status}]}`. Throws with a message saying what was wrong and what to paste instead.
#[wasm_bindgen]
pub fn inspect(input: &str) -> Result<JsValue, JsError> {
    let v = match parse_input(input.as_bytes()).map_err(|e| JsError::new(&e.to_string()))? {
        Input::Response(o) => serde_json::json!({"kind": "response", "status": o.status()}),
        Input::Har(h) => serde_json::json!({
            "kind": "har",
            "total": h.total_entries,
            "failing": h.failing.iter().map(|e| serde_json::json!({
                "index": e.index,
                "url": e.observation.url(),
                "status": e.observation.status(),
            })).collect::<Vec<_>>(),
        }),
        _ => serde_json::json!({"kind": "unknown"}),
    };
    to_js(&v)
}

fn observation(input: &str, entry: Option<usize>) -> Result<Observation, JsError> {
    match parse_input(input.as_bytes()).map_err(|e| JsError::new(&e.to_string()))? {
        Input::Response(o) => Ok(o),
        Input::Har(h) => {
            let pick = match entry {
                Some(i) => h.failing.into_iter().find(|e| e.index == i),
                None => h.failing.into_iter().next(),
            };
            pick.map(|e| e.observation).ok_or_else(|| {
                JsError::new(&format!(
                    "none of the {} entries of this HAR file failed (no 5xx, no CloudFront-generated 4xx)",
                    h.total_entries
                ))
            })
        }
        _ => Err(JsError::new("unsupported input")),
    }
}

fn rendered(d: &Diagnosis) -> Result<JsValue, JsError> {
    // No terminal text: no front end shows it, and it would cost its renderer in the module.
    to_js(&serde_json::json!({
        "report": report::json_value(d),
        "markdown": report::markdown(d),
        "share": cf503_core::share::fragment(d),
    }))
}

/// Diagnoses a pasted response or one failing HAR entry (`entry` = its index in `log.entries`;
/// the first failing one when absent). Returns `{report, markdown, share}`, `share` being the
/// URL fragment of a link that reproduces the diagnosis from derived facts only.
#[wasm_bindgen]
pub fn diagnose_input(input: &str, entry: Option<usize>) -> Result<JsValue, JsError> {
    rendered(&diagnose(&observation(input, entry)?))
}

/// As [`diagnose_input`], with a DNS check of the origin joined in.
#[wasm_bindgen]
pub fn diagnose_input_with_dns(
    input: &str,
    entry: Option<usize>,
    dns: &DnsResult,
) -> Result<JsValue, JsError> {
    rendered(&cf503_core::diagnose::diagnose_with_dns(
        &observation(input, entry)?,
        &dns.report,
    ))
}

/// Diagnoses what the extension captured from a tab (`{url, navigation_status, page_text,
/// refetch: {status, headers}, refetch_error, passive: {status, headers}}`, headers as
/// `[name, value]` pairs), with a DNS check joined in when given. Returns `{report, markdown, share}`;
/// throws when the tab is not failing or nothing could be read.
#[wasm_bindgen]
pub fn diagnose_capture(capture: JsValue, dns: Option<DnsResult>) -> Result<JsValue, JsError> {
    let capture: cf503_core::capture::BrowserCapture = serde_wasm_bindgen::from_value(capture)
        .map_err(|e| JsError::new(&format!("the capture is not in the expected shape: {e}")))?;
    let d = cf503_core::capture::diagnose_capture(&capture, dns.as_ref().map(|d| &d.report))
        .map_err(|e| JsError::new(&e.to_string()))?;
    rendered(&d)
}

/// What watch mode may store of this response: `{status, headers}` with the headers redacted,
/// or `null` when it is not a failing CloudFront response (then nothing is stored). `headers`
/// as `[name, value]` pairs.
#[wasm_bindgen]
pub fn keepable_response(status: u16, headers: JsValue) -> Result<JsValue, JsError> {
    let headers: Vec<(String, String)> = serde_wasm_bindgen::from_value(headers)
        .map_err(|e| JsError::new(&format!("headers must be [name, value] pairs: {e}")))?;
    match cf503_core::capture::keepable(status, &headers) {
        Some(kept) => {
            use serde::Serialize as _;
            kept.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .map_err(|e| JsError::new(&e.to_string()))
        }
        None => Ok(JsValue::NULL),
    }
}

/// A URL with its secrets redacted by the core's policy (signed-URL parameters, tokens, session
/// ids, user-info, nested URLs): what watch mode stores, and what a stored capture is compared
/// with.
#[wasm_bindgen]
pub fn redact_url(url: &str) -> String {
    cf503_core::redact::url(url).into_owned()
}

/// Diagnoses a shared link's fragment (`v=1&status=…`, with or without `#`). Returns
/// `{report, markdown, share}`; throws when it is not a cf503 link.
#[wasm_bindgen]
pub fn diagnose_shared(fragment: &str) -> Result<JsValue, JsError> {
    rendered(&cf503_core::share::diagnose(fragment).map_err(|e| JsError::new(&e.to_string()))?)
}

/// How often a running DNS check reports progress, at most.
const UPDATE_EVERY_MS: u64 = 100;

thread_local! {
    static SEED: Cell<u64> = const { Cell::new(0) };
}

fn seed() -> u64 {
    // Message IDs only need to differ and be unguessable off-path; DoH runs over TLS anyway.
    let a = (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    let b = (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    SEED.with(|s| {
        let v = s.get().wrapping_add((a << 32) | b) | 1;
        s.set(v);
        v
    })
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Runs the core's DNS check of `origin` over DoH (RFC 8484 GET with `?dns=`, which needs no
/// CORS preflight; POST for a resolver that refuses GET) against every resolver URL; all independent queries in flight at once, each
/// aborted after `attempt_ms`. `on_update`, if given, is called with the partial report JSON as
/// answers arrive (at most every 100 ms), so a page can fill in.
#[wasm_bindgen]
pub async fn check_dns(
    origin: String,
    resolvers: Vec<String>,
    attempt_ms: Option<u32>,
    on_update: Option<js_sys::Function>,
) -> Result<DnsResult, JsError> {
    run_check(origin, resolvers, attempt_ms, on_update, false).await
}

/// What the resolvers answer for `host` itself, in one round (no zone apex, no name servers):
/// enough to see whether a viewer host is an alias of a `*.cloudfront.net` name (the report's
/// `cloudfront_alias`).
#[wasm_bindgen]
pub async fn check_alias(
    host: String,
    resolvers: Vec<String>,
    attempt_ms: Option<u32>,
) -> Result<DnsResult, JsError> {
    run_check(host, resolvers, attempt_ms, None, true).await
}

async fn run_check(
    origin: String,
    resolvers: Vec<String>,
    attempt_ms: Option<u32>,
    on_update: Option<js_sys::Function>,
    resolver_view_only: bool,
) -> Result<DnsResult, JsError> {
    if resolvers.is_empty() {
        return Err(JsError::new(
            "no DNS-over-HTTPS resolver given: turn DNS checks off or add a resolver URL",
        ));
    }
    let n = u8::try_from(resolvers.len().min(8)).unwrap_or(8);
    let config = Config {
        can_target_servers: false,
        resolvers: n,
        resolver_timeout_ms: u64::from(attempt_ms.unwrap_or(4000)),
        resolver_view_only,
        ..Config::default()
    };
    let cap = config.resolver_timeout_ms + 500;
    let mut check = Check::new(&origin, config, seed())
        .map_err(|e| JsError::new(&format!("{origin:?}: {e}")))?;
    let mut last_update = 0u64;
    // Per resolver: has it refused a GET? Then every later query to it goes by POST.
    let post_only: Vec<Cell<bool>> = resolvers.iter().map(|_| Cell::new(false)).collect();
    let mut inflight = FuturesUnordered::new();
    loop {
        while let Some(t) = check.poll_transmit(now_ms()) {
            let resolver = match t.target {
                cf503_core::dns::Target::Resolver(i) => resolvers
                    .get(usize::from(i))
                    .zip(post_only.get(usize::from(i))),
                cf503_core::dns::Target::Server(_) => None,
            };
            inflight.push(async move {
                let token = t.token;
                let result = match resolver {
                    Some((url, post)) => doh(url, &t, cap, post).await,
                    None => Err(Failure::Network("DoH cannot reach a chosen server".into())),
                };
                (token, result)
            });
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
                let (token, result) = done;
                match result {
                    Ok(bytes) => { check.handle_answer(token, &bytes, now_ms()); }
                    Err(f) => check.handle_failure(token, f, now_ms()),
                }
                // Progress for the page, at most every UPDATE_EVERY_MS: building and drawing a
                // partial report per answer kept the main thread from reading the next answers
                // (a round of 9 answers took 75 ms instead of one RTT). The final report is the
                // caller's to draw.
                if let Some(cb) = &on_update
                    && now_ms().saturating_sub(last_update) >= UPDATE_EVERY_MS
                {
                    last_update = now_ms();
                    let partial = report::dns_json_value(&DnsReport::from_check(&check));
                    if let Ok(v) = to_js(&partial) {
                        let _ = cb.call1(&JsValue::NULL, &v);
                    }
                }
            }
            _ = futures_util::FutureExt::fuse(sleep) => {}
        }
        check.handle_timeout(now_ms());
    }
    Ok(DnsResult {
        report: DnsReport::from_check(&check),
    })
}

/// One DoH query: GET, or POST once the resolver has refused a GET (then remembered in
/// `post_only`). Each exchange is aborted after `cap_ms`.
async fn doh(
    url: &str,
    t: &Transmit,
    cap_ms: u64,
    post_only: &Cell<bool>,
) -> Result<Vec<u8>, Failure> {
    if !post_only.get() {
        match exchange(url, t, cap_ms, Method::Get).await {
            Err(f) if doh_wants_post(&f) => post_only.set(true),
            other => return other,
        }
    }
    exchange(url, t, cap_ms, Method::Post).await
}

#[derive(Clone, Copy, Debug)]
enum Method {
    Get,
    Post,
}

async fn exchange(
    url: &str,
    t: &Transmit,
    cap_ms: u64,
    method: Method,
) -> Result<Vec<u8>, Failure> {
    let controller = web_sys::AbortController::new()
        .map_err(|_| Failure::Network("AbortController unavailable".into()))?;
    let signal = controller.signal();
    let request = match method {
        Method::Get => gloo_net::http::Request::get(&doh_get_url(url, t))
            .header("accept", "application/dns-message")
            .abort_signal(Some(&signal))
            .build(),
        Method::Post => gloo_net::http::Request::post(url)
            .header("accept", "application/dns-message")
            .header("content-type", "application/dns-message")
            .abort_signal(Some(&signal))
            .body(js_sys::Uint8Array::from(t.bytes.as_slice())),
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
        judge_doh(url, t, status, &content_type, &body)?;
        Ok(body)
    };
    let timer = gloo_timers::future::TimeoutFuture::new(u32::try_from(cap_ms).unwrap_or(u32::MAX));
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

/// The engine's version, for the page footer and bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
