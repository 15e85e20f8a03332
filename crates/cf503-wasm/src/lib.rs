//! cf503 in the browser: parse, diagnose, render, for the web page (`www/`) and the extension;
//! with the feature `dns`, also the DNS checks over DNS-over-HTTPS ([`dns`]). No decision is made
//! here; everything comes from `cf503-core`. The only logic of its own is moving bytes.
//!
//! Two modules are built from this crate (scripts/build-web.sh): `cf503_wasm`, what the first
//! verdict needs, and `cf503_dns`, the same plus the DNS machinery, loaded only when DNS checks
//! run, so a click's verdict does not wait for code it does not use.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use cf503_core::parse::Input;
use cf503_core::parse_input;
use cf503_core::{Diagnosis, Observation, diagnose, report};
use wasm_bindgen::prelude::*;

#[cfg(feature = "dns")]
pub mod dns;
#[cfg(feature = "logs")]
pub mod logs;

pub(crate) fn to_js(v: &serde_json::Value) -> Result<JsValue, JsError> {
    to_js_value(v)
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

pub(crate) fn observation(input: &str, entry: Option<usize>) -> Result<Observation, JsError> {
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

/// `{report, markdown, share}` of a diagnosis. No terminal text: no front end shows it, and it
/// would cost its renderer in the module.
fn rendered_value(d: &Diagnosis) -> serde_json::Value {
    serde_json::json!({
        "report": report::json_value(d),
        "markdown": report::markdown(d),
        "share": cf503_core::share::fragment(d),
    })
}

pub(crate) fn rendered(d: &Diagnosis) -> Result<JsValue, JsError> {
    to_js(&rendered_value(d))
}

/// Diagnoses a pasted response or one failing HAR entry (`entry` = its index in `log.entries`;
/// the first failing one when absent). Returns `{report, markdown, share}`, `share` being the
/// URL fragment of a link that reproduces the diagnosis from derived facts only.
///
/// With `config` (a distribution's config as pasted: API JSON or XML, CloudFormation JSON,
/// `terraform show -json`) the report names the function, origin and settings behind the error;
/// `url` routes the request when the input does not carry its URL. The result then has
/// `config_origin` (the origin the request went to, for the DNS check) or `config_error` (why
/// the config was not used: the verdict stands without it).
#[wasm_bindgen]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands JS strings over as owned values
pub fn diagnose_input(
    input: &str,
    entry: Option<usize>,
    config: Option<String>,
    url: Option<String>,
) -> Result<JsValue, JsError> {
    with_config(
        diagnose(&observation(input, entry)?),
        config,
        url.as_deref(),
    )
}

/// Joins a pasted config (when given) and renders, saying what became of the config.
#[cfg(feature = "config")]
pub(crate) fn with_config(
    mut d: Diagnosis,
    config: Option<String>,
    url: Option<&str>,
) -> Result<JsValue, JsError> {
    let config = config.filter(|c| !c.trim().is_empty());
    let joined = config.map(|c| {
        cf503_core::config::join(&mut d, c.as_bytes(), url.filter(|u| !u.trim().is_empty()))
    });
    let mut v = rendered_value(&d);
    match joined {
        Some(Ok(())) => {
            v["config_origin"] =
                serde_json::json!(d.config.as_ref().and_then(|c| c.origin_domain.clone()));
        }
        Some(Err(e)) => v["config_error"] = serde_json::json!(e.to_string()),
        None => {}
    }
    to_js(&v)
}

/// Without the config reader (the first-verdict module): a config must go to `cf503_dns`.
#[cfg(not(feature = "config"))]
#[allow(clippy::needless_pass_by_value)] // the signature of the config build's
pub(crate) fn with_config(
    d: Diagnosis,
    config: Option<String>,
    _url: Option<&str>,
) -> Result<JsValue, JsError> {
    if config.is_some_and(|c| !c.trim().is_empty()) {
        return Err(JsError::new(
            "this module reads no distribution config: use cf503_dns's, which does",
        ));
    }
    rendered(&d)
}

/// Reads a distribution config as pasted: `{form, distributions: [{label, id, domain_name,
/// aliases}], stored}`, `stored` being the form the extension keeps (the API's JSON shape, no
/// origin custom header value: the model never holds one). Throws with what was expected.
#[cfg(feature = "config")]
#[wasm_bindgen]
pub fn read_config(text: &str) -> Result<JsValue, JsError> {
    let configs =
        cf503_core::config::read(text.as_bytes()).map_err(|e| JsError::new(&e.to_string()))?;
    let distributions: Vec<serde_json::Value> = configs
        .distributions
        .iter()
        .map(|d| {
            serde_json::json!({
                "label": d.label,
                "id": d.id,
                "domain_name": d.domain_name,
                "aliases": d.aliases.iter().map(cf503_core::config::model::Val::shown).collect::<Vec<_>>(),
            })
        })
        .collect();
    to_js(&serde_json::json!({
        "form": configs.form.label(),
        "distributions": distributions,
        "stored": cf503_core::config::export::to_api_json(&configs),
    }))
}

pub(crate) fn capture_from(
    capture: JsValue,
) -> Result<cf503_core::capture::BrowserCapture, JsError> {
    serde_wasm_bindgen::from_value(capture)
        .map_err(|e| JsError::new(&format!("the capture is not in the expected shape: {e}")))
}

/// Diagnoses what the extension captured from a tab (`{url, navigation_status, page_text,
/// refetch: {status, headers}, refetch_error, passive: {status, headers}, stored: {url, status,
/// headers}, seen: [sighting], now_ms}`, headers as `[name, value]` pairs; `stored` is what
/// watch mode kept for the tab, used only when it is this page's; `seen` is watch mode's record
/// of the site's edge locations (`remember_sighting`, judged by `cf503_dns` only), judged at
/// `now_ms`). Returns `{report, markdown, share}`; throws when the tab is
/// not failing or nothing could be read.
/// The result has one more member, `read`: `"watch_mode"` when the verdict rests on watch
/// mode's capture of the original response, `"click"` when on what was read at the click.
/// With `config` (the stored config for this host), as `diagnose_input`'s: `config_origin` or
/// `config_error` in the result.
#[wasm_bindgen]
pub fn diagnose_capture(capture: JsValue, config: Option<String>) -> Result<JsValue, JsValue> {
    rendered_capture(&capture_from(capture)?, None, config)
}

pub(crate) fn rendered_capture(
    capture: &cf503_core::capture::BrowserCapture,
    dns: Option<&cf503_core::dns::DnsReport>,
    config: Option<String>,
) -> Result<JsValue, JsValue> {
    // Watch mode's record of edge locations is judged by the larger module only (its verdict
    // table would add to the module every click loads); the popup sends a capture with a
    // record there.
    #[cfg(feature = "config")]
    let edges = capture.judged_record();
    #[cfg(not(feature = "config"))]
    let edges = None;
    let d = cf503_core::capture::diagnose_capture_with(capture, dns, edges.as_ref())
        .map_err(|e| capture_error(&e))?;
    let read = if capture.uses_watch_mode() {
        "watch_mode"
    } else {
        "click"
    };
    let v = with_config(d, config, None)?;
    js_sys::Reflect::set(&v, &JsValue::from_str("read"), &JsValue::from_str(read))
        .map_err(|_| JsError::new("cannot set `read` on the result"))?;
    Ok(v)
}

/// A capture that cannot be diagnosed, as a JS `Error` whose `name` says which case it is
/// (`NotFailing`, `NothingCaptured`), so the popup can tell a page that works from a failure.
fn capture_error(e: &cf503_core::capture::CaptureError) -> JsValue {
    use cf503_core::capture::CaptureError;
    let name = match *e {
        CaptureError::NotFailing(_) => "NotFailing",
        CaptureError::NothingCaptured => "NothingCaptured",
        _ => "CaptureError",
    };
    let error = js_sys::Error::new(&e.to_string());
    error.set_name(name);
    error.into()
}

/// What watch mode may store of this navigation: `{url, status, headers}`, URL and headers
/// redacted, or `null` when it is not a failing CloudFront response (then nothing is stored).
/// `headers` as `[name, value]` pairs.
#[wasm_bindgen]
pub fn keepable_capture(url: &str, status: u16, headers: JsValue) -> Result<JsValue, JsError> {
    let headers = header_pairs(headers)?;
    match cf503_core::capture::keep(url, status, &headers) {
        Some(kept) => to_js_value(&kept),
        None => Ok(JsValue::NULL),
    }
}

/// Watch mode's record of the edge locations that answered this browser, per site: adds this
/// navigation's answer to `records` (what is stored, or `undefined`) when CloudFront served it
/// and named its edge location, and returns the records to store (stale sites dropped, bounded);
/// `null` when there is nothing to add (not CloudFront, no edge location, not a web URL).
/// `now_ms`: the caller's clock (`Date.now()`). The popup reads `records[tab's host name]`.
/// In `cf503_dns` only (the background loads it): the record's (de)serialisation would add
/// 8 KB of gzip to the first-verdict module.
#[cfg(feature = "dns")]
#[wasm_bindgen]
pub fn remember_sighting(
    url: &str,
    status: u16,
    headers: JsValue,
    records: JsValue,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    let headers = header_pairs(headers)?;
    let Some(site) = cf503_core::edges::site_of(url) else {
        return Ok(JsValue::NULL);
    };
    let now = crate::dns::whole(now_ms);
    let Some(new) = cf503_core::edges::sighting(status, &headers, now) else {
        return Ok(JsValue::NULL);
    };
    // Records not in the expected shape (another build's, edited storage) start over.
    let mut records: cf503_core::edges::SeenRecords = if records.is_undefined() || records.is_null()
    {
        cf503_core::edges::SeenRecords::new()
    } else {
        serde_wasm_bindgen::from_value(records).unwrap_or_default()
    };
    cf503_core::edges::remember_for_site(&mut records, &site, new);
    to_js_value(&records)
}

/// Header pairs as the extension passes them (`[[name, value], …]`).
fn header_pairs(headers: JsValue) -> Result<Vec<(String, String)>, JsError> {
    serde_wasm_bindgen::from_value(headers)
        .map_err(|e| JsError::new(&format!("headers must be [name, value] pairs: {e}")))
}

fn to_js_value<T: serde::Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// The DNS-over-HTTPS settings' defaults: `{resolvers: [url, …], max_resolvers}`.
#[wasm_bindgen]
pub fn doh_defaults() -> Result<JsValue, JsError> {
    to_js(&serde_json::json!({
        "resolvers": cf503_core::dns::doh::DEFAULT_RESOLVERS,
        "max_resolvers": cf503_core::dns::doh::MAX_RESOLVERS,
    }))
}

/// Checks a list of resolver URLs (blank lines dropped) as every DNS check will: returns them
/// trimmed, or throws with what is wrong and what to give instead.
#[wasm_bindgen]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen hands a JS array over as an owned Vec
pub fn check_resolvers(urls: Vec<String>) -> Result<Vec<String>, JsError> {
    cf503_core::dns::doh::check_resolver_urls(&urls).map_err(|e| JsError::new(&e.to_string()))
}

/// Diagnoses a shared link's fragment (`v=1&status=…`, with or without `#`). Returns
/// `{report, markdown, share}`; throws when it is not a cf503 link.
#[wasm_bindgen]
pub fn diagnose_shared(fragment: &str) -> Result<JsValue, JsError> {
    rendered(&cf503_core::share::diagnose(fragment).map_err(|e| JsError::new(&e.to_string()))?)
}

/// The engine's version, for the page footer and bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
