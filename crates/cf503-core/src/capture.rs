//! What the browser extension captured from a tab, and how it becomes one observation.
//!
//! At the click the extension knows up to three things about the failing page: the navigation's
//! status (`PerformanceNavigationTiming.responseStatus`), the page's visible text, and the
//! headers of a same-origin re-fetch made at that moment (`cache: 'no-store'`). In watch mode it
//! also has the original response's status and headers, captured passively by `webRequest`.
//! They do not always agree — the error may be gone by the click — and which to believe is a
//! decision, so it is made here and explained in a note, not in the extension's JavaScript.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diagnose::{Diagnosis, Note, diagnose_signals_with};
use crate::dns::DnsReport;
use crate::observation::{Observation, Source};
use crate::signals::{self, Signals};

/// The most page text kept from a tab: CloudFront's and origins' error pages are a few hundred
/// bytes; a huge page must not cost more than it can tell.
pub const PAGE_TEXT_LIMIT: usize = 64 * 1024;

/// One response's status and headers, as a browser API reported them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CapturedResponse {
    /// HTTP status.
    pub status: u16,
    /// Header pairs in order (redacted when they become an observation).
    #[cfg_attr(feature = "serde", serde(default))]
    pub headers: Vec<(String, String)>,
}

/// Everything the extension captured for one tab.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct BrowserCapture {
    /// The tab's URL.
    pub url: Option<String>,
    /// The navigation's status, when the browser exposes it.
    pub navigation_status: Option<u16>,
    /// The page's visible text (`document.body.innerText`).
    pub page_text: Option<String>,
    /// The same-origin re-fetch made at the click.
    pub refetch: Option<CapturedResponse>,
    /// Why the re-fetch failed, when it did (network error, blocked…).
    pub refetch_error: Option<String>,
    /// The original response, captured by watch mode.
    pub passive: Option<CapturedResponse>,
    /// What watch mode stored for the tab ([`keep`]): it stands for `passive` when it is this
    /// page's (its redacted URL is the tab URL redacted), and is ignored otherwise.
    pub stored: Option<StoredCapture>,
    /// Watch mode's record of the edge locations that answered this browser for the site
    /// ([`crate::edges::remember`]), judged at `now_ms`.
    pub seen: Vec<crate::edges::Sighting>,
    /// The caller's clock, in milliseconds (the record's times are on it).
    pub now_ms: Option<u64>,
}

/// What watch mode stores for a tab: a failing CloudFront response, URL and headers redacted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StoredCapture {
    /// The URL, redacted (a signed URL's signature never reaches storage).
    pub url: String,
    /// HTTP status.
    pub status: u16,
    /// Header pairs, redacted.
    #[cfg_attr(feature = "serde", serde(default))]
    pub headers: Vec<(String, String)>,
}

/// What watch mode may store of this navigation ([`keepable`], with the URL redacted), or `None`.
pub fn keep(url: &str, status: u16, headers: &[(String, String)]) -> Option<StoredCapture> {
    keepable(status, headers).map(|kept| StoredCapture {
        url: crate::redact::url(url).into_owned(),
        status: kept.status,
        headers: kept.headers,
    })
}

impl BrowserCapture {
    /// The watch-mode capture that describes this page: `passive`, or `stored` when its URL is
    /// the tab's (both redacted by the same policy, so like is compared with like).
    /// Whether the diagnosis rests on watch mode's capture of the original response (rather
    /// than on what was read at the click).
    pub fn uses_watch_mode(&self) -> bool {
        self.original().is_some()
    }

    fn original(&self) -> Option<(u16, &[(String, String)])> {
        if let Some(p) = &self.passive {
            return Some((p.status, &p.headers));
        }
        let stored = self.stored.as_ref()?;
        let url = self.url.as_deref()?;
        (crate::redact::url(url) == stored.url.as_str())
            .then_some((stored.status, stored.headers.as_slice()))
    }
}

/// Whether watch mode may keep this response: failing (5xx, or a 4xx CloudFront generated) and
/// served through CloudFront. Nothing else is stored.
pub fn worth_keeping(status: u16, headers: &[(String, String)]) -> bool {
    keepable(status, headers).is_some()
}

/// The response as watch mode stores it — headers redacted (cookie values, credentials, signed
/// URL parameters) — if it is [`worth_keeping`]; `None` otherwise.
pub fn keepable(status: u16, headers: &[(String, String)]) -> Option<CapturedResponse> {
    let obs = observation(None, status, headers, None);
    (signals::is_failing(&obs) && Signals::extract(&obs).through_cloudfront()).then(|| {
        CapturedResponse {
            status,
            headers: obs
                .headers()
                .iter()
                .map(|(n, v)| (String::from(n), String::from(v)))
                .collect(),
        }
    })
}

/// One browser-reported response as an observation (headers redacted by the observation).
pub(crate) fn observation(
    url: Option<&str>,
    status: u16,
    headers: &[(String, String)],
    page_text: Option<&str>,
) -> Observation {
    let mut obs = Observation::new(Source::Browser);
    if let Some(url) = url {
        obs.set_url(url);
    }
    obs.set_status(status, None);
    for (name, value) in headers {
        obs.push_header(name, value);
    }
    if let Some(text) = page_text {
        let end = crate::text::floor_char_boundary(text, PAGE_TEXT_LIMIT);
        obs.set_page_text(&text[..end]);
    }
    obs
}

/// The observation to diagnose, and notes on how it was put together.
///
/// Order of belief: the passively captured original response (watch mode); else the re-fetch
/// if it still fails; else — the error is gone by the click — the navigation's status and the
/// page text alone, because the re-fetch's headers describe a success, not the failure.
pub fn resolve(c: &BrowserCapture) -> Result<(Observation, Vec<Note>), CaptureError> {
    let mut notes = Vec::new();
    let url = c.url.as_deref();
    let text = c.page_text.as_deref();
    let refetch_failing = c.refetch.as_ref().filter(|r| r.status >= 400);
    let obs = if let Some((status, headers)) = c.original() {
        if let Some(r) = &c.refetch {
            notes.push(refetch_note(status, r.status));
        }
        observation(url, status, headers, text)
    } else if let Some(r) = refetch_failing {
        let status = c
            .navigation_status
            .filter(|s| *s >= 400)
            .unwrap_or(r.status);
        if status != r.status {
            notes.push(Note {
                id: crate::diagnose::NoteId::RefetchOtherStatus,
                text: format!(
                    "The page failed with {status}; fetched again at the click it answered {}. \
                     The headers shown are the second answer's.",
                    r.status
                ),
            });
        }
        observation(url, status, &r.headers, text)
    } else if let Some(status) = c.navigation_status.filter(|s| *s >= 400) {
        notes.push(match (&c.refetch, &c.refetch_error) {
            (Some(r), _) => Note {
                id: crate::diagnose::NoteId::RefetchRecovered,
                text: format!(
                    "Fetched again at the click, the page answered {}: the error did not last. \
                     Its headers were not captured; turn on watch mode to keep the headers of \
                     failing CloudFront responses as they happen.",
                    r.status
                ),
            },
            (None, Some(e)) => Note {
                id: crate::diagnose::NoteId::RefetchFailed,
                text: format!(
                    "Fetching the page again at the click failed ({e}), so only the status and \
                     the page text were read."
                ),
            },
            (None, None) => Note {
                id: crate::diagnose::NoteId::RefetchFailed,
                text: String::from("The page was not fetched again, so only the status and the page text were read."),
            },
        });
        observation(url, status, &[], text)
    } else if let Some(r) = &c.refetch {
        // The browser did not say how the navigation ended, and the page answers fine now.
        return Err(CaptureError::NotFailing(r.status));
    } else {
        return Err(CaptureError::NothingCaptured);
    };
    Ok((obs, notes))
}

fn refetch_note(original: u16, now: u16) -> Note {
    if now >= 400 {
        Note {
            id: crate::diagnose::NoteId::RefetchStillFailing,
            text: format!("Fetched again at the click, the page still fails ({now})."),
        }
    } else {
        Note {
            id: crate::diagnose::NoteId::RefetchRecovered,
            text: format!(
                "The page failed with {original} when it loaded; fetched again at the click it \
                 answered {now}: the error did not last."
            ),
        }
    }
}

/// Diagnoses a capture, with a DNS check of the origin joined in when one ran, and watch mode's
/// record of the site's edge locations ([`BrowserCapture::judged_record`]) when there is one.
pub fn diagnose_capture(
    c: &BrowserCapture,
    dns: Option<&DnsReport>,
) -> Result<Diagnosis, CaptureError> {
    let edges = c.judged_record();
    diagnose_capture_with(c, dns, edges.as_ref())
}

/// As [`diagnose_capture`], with where it fails given by the caller (or not at all): the
/// browser's first-verdict module leaves watch mode's record to the larger module, which judges
/// it, so the edges verdict table is not in the module every click loads.
pub fn diagnose_capture_with(
    c: &BrowserCapture,
    dns: Option<&DnsReport>,
    edges: Option<&crate::edges::EdgesReport>,
) -> Result<Diagnosis, CaptureError> {
    let (obs, notes) = resolve(c)?;
    let sig = Signals::extract(&obs);
    let mut d = diagnose_signals_with(&obs, &sig, dns, edges);
    d.notes.extend(notes);
    Ok(d)
}

impl BrowserCapture {
    /// Where it fails, from watch mode's record of the site's edge locations judged at
    /// `now_ms` ([`crate::edges::judge_seen`]); `None` without a record, a clock or a URL.
    pub fn judged_record(&self) -> Option<crate::edges::EdgesReport> {
        match (self.url.as_deref(), self.now_ms) {
            (Some(url), Some(now)) if !self.seen.is_empty() => {
                crate::edges::judge_seen(url, &self.seen, now)
            }
            _ => None,
        }
    }
}

/// Why a capture cannot be diagnosed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CaptureError {
    /// The page is not failing (the status it answered with).
    NotFailing(u16),
    /// Neither a status nor a response was captured.
    NothingCaptured,
}

impl core::fmt::Display for CaptureError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            CaptureError::NotFailing(s) => write!(
                f,
                "this page answers {s} now, and the browser did not record an error for it: \
                 reload it while it fails, or turn on watch mode to catch the next failure"
            ),
            CaptureError::NothingCaptured => write!(
                f,
                "nothing could be read from this tab (a browser page, or a page the extension \
                 may not read): open the failing page and click again"
            ),
        }
    }
}

impl core::error::Error for CaptureError {}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn pairs(h: &[(&str, &str)]) -> Vec<(String, String)> {
        h.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const LAMBDA_PAGE: &str = "503 ERROR\nThe request could not be satisfied.\nThe Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions.\nGenerated by cloudfront (CloudFront)";

    fn cf_headers() -> Vec<(String, String)> {
        pairs(&[
            ("server", "CloudFront"),
            ("x-cache", "LambdaExecutionError from cloudfront"),
            ("x-amz-cf-pop", "FRA56-P1"),
            ("set-cookie", "session=hunter2; Path=/"),
        ])
    }

    #[test]
    fn refetch_still_failing_gives_the_headers() {
        let c = BrowserCapture {
            url: Some("https://www.example.com/?X-Amz-Signature=abc".into()),
            navigation_status: Some(503),
            page_text: Some(LAMBDA_PAGE.into()),
            refetch: Some(CapturedResponse {
                status: 503,
                headers: cf_headers(),
            }),
            ..Default::default()
        };
        let d = diagnose_capture(&c, None).unwrap();
        assert_eq!(d.top().cause.as_str(), "lambda_edge_execution");
        assert_eq!(d.summary.pop_code.as_deref(), Some("FRA"));
        assert!(d.notes.iter().all(|n| !n.id.is_refetch()));
        let (obs, _) = resolve(&c).unwrap();
        assert!(!obs.url().unwrap().contains("abc"));
        assert!(!obs.headers().get("set-cookie").unwrap().contains("hunter2"));
    }

    #[test]
    fn recovered_refetch_keeps_the_failure_and_says_so() {
        let c = BrowserCapture {
            navigation_status: Some(503),
            page_text: Some(LAMBDA_PAGE.into()),
            refetch: Some(CapturedResponse {
                status: 200,
                headers: pairs(&[("x-cache", "Miss from cloudfront")]),
            }),
            ..Default::default()
        };
        let (obs, notes) = resolve(&c).unwrap();
        assert_eq!(obs.status(), Some(503));
        assert!(
            obs.headers().is_empty(),
            "a success's headers must not describe the failure"
        );
        assert_eq!(notes[0].id, crate::diagnose::NoteId::RefetchRecovered);
    }

    #[test]
    fn watch_mode_capture_wins_and_the_refetch_is_compared() {
        let c = BrowserCapture {
            navigation_status: Some(503),
            passive: Some(CapturedResponse {
                status: 503,
                headers: cf_headers(),
            }),
            refetch: Some(CapturedResponse {
                status: 200,
                headers: vec![],
            }),
            ..Default::default()
        };
        let d = diagnose_capture(&c, None).unwrap();
        assert_eq!(d.top().cause.as_str(), "lambda_edge_execution");
        assert!(
            d.notes
                .iter()
                .any(|n| n.id == crate::diagnose::NoteId::RefetchRecovered)
        );
    }

    /// Watch mode's stored capture counts only for the page it was stored for: the decision the
    /// popup used to make by comparing URLs itself.
    #[test]
    fn a_stored_capture_applies_only_to_its_own_page() {
        let url = "https://d.example/a?X-Amz-Signature=abc&Expires=1";
        let stored = keep(url, 503, &cf_headers()).expect("a failing CloudFront response is kept");
        assert!(!stored.url.contains("abc"), "{}", stored.url);
        let capture = |tab: &str| BrowserCapture {
            url: Some(tab.into()),
            navigation_status: Some(503),
            refetch: Some(CapturedResponse {
                status: 200,
                headers: Vec::new(),
            }),
            stored: Some(stored.clone()),
            ..BrowserCapture::default()
        };
        let (obs, _) = resolve(&capture(url)).unwrap();
        assert!(!obs.headers().is_empty(), "the stored headers were used");
        assert!(capture(url).uses_watch_mode());
        let (obs, _) = resolve(&capture("https://d.example/other")).unwrap();
        assert!(obs.headers().is_empty(), "another page's capture was used");
        assert!(!capture("https://d.example/other").uses_watch_mode());
        assert_eq!(keep(url, 200, &cf_headers()), None);
    }

    #[test]
    fn a_working_page_and_an_empty_capture_are_errors() {
        let ok = BrowserCapture {
            refetch: Some(CapturedResponse {
                status: 200,
                headers: vec![],
            }),
            ..Default::default()
        };
        assert_eq!(resolve(&ok).unwrap_err(), CaptureError::NotFailing(200));
        assert_eq!(
            resolve(&BrowserCapture::default()).unwrap_err(),
            CaptureError::NothingCaptured
        );
    }

    #[test]
    fn only_failing_cloudfront_responses_are_kept() {
        assert!(worth_keeping(503, &cf_headers()));
        assert!(!worth_keeping(503, &pairs(&[("server", "nginx")])));
        assert!(!worth_keeping(200, &cf_headers()));
        // A 403 the origin sent through CloudFront is not kept; one CloudFront generated is.
        assert!(!worth_keeping(
            403,
            &pairs(&[("x-cache", "Miss from cloudfront"), ("server", "AmazonS3")])
        ));
        assert!(worth_keeping(
            403,
            &pairs(&[
                ("x-cache", "Error from cloudfront"),
                ("server", "CloudFront")
            ])
        ));
    }

    #[test]
    fn huge_page_text_is_cut() {
        let c = BrowserCapture {
            navigation_status: Some(503),
            page_text: Some("é".repeat(PAGE_TEXT_LIMIT)),
            ..Default::default()
        };
        let (obs, _) = resolve(&c).unwrap();
        assert!(obs.page_text().unwrap().len() <= PAGE_TEXT_LIMIT);
    }
}
