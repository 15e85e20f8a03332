//! Watch mode's record of edge locations: which edge location (`X-Amz-Cf-Pop`) answered this
//! browser for a site, with what, and when. A browser cannot pin a request to an edge, but a
//! viewer who moves (a VPN, another network, a resolver change) or whose resolver spreads answers
//! reaches several; when one of them fails while others answered minutes before, that is
//! evidence about *where* it fails, as [`super::Edges`] gathers it at one moment.
//!
//! Kept per site, newest first, at most [`MAX_SIGHTINGS`] edge locations (the latest answer of
//! each), judged over the last [`SEEN_WINDOW_MS`]: answers further apart say little about one
//! another. Nothing but the edge location, status, `X-Cache`, `Age`, request id and time is kept:
//! no URL, no other header. Time is an input (the caller's clock), so judging is pure.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::judge::{Attempt, Basis, EdgeRow, EdgesReport, judge_rows, pop_site};

/// How far apart answers may be and still be compared: five minutes.
pub const SEEN_WINDOW_MS: u64 = 5 * 60 * 1000;
/// How many edge locations are remembered per site (the latest answer of each).
pub const MAX_SIGHTINGS: usize = 16;
/// A clock that runs a little ahead of the recorder's must not discard fresh records.
const CLOCK_SKEW_MS: u64 = 60 * 1000;
/// Longest value kept of each header: longer ones are not CloudFront's.
const MAX_VALUE: usize = 128;

/// One answer from one edge location to this browser, for one site.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Sighting {
    /// `X-Amz-Cf-Pop` as sent (`FRA56-P1`).
    pub pop: String,
    /// HTTP status.
    pub status: u16,
    /// `X-Cache`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub x_cache: Option<String>,
    /// `Age`: served from the edge's cache.
    #[cfg_attr(feature = "serde", serde(default))]
    pub age: Option<u64>,
    /// `X-Amz-Cf-Id`: what AWS Support asks for.
    #[cfg_attr(feature = "serde", serde(default))]
    pub request_id: Option<String>,
    /// When, in milliseconds of the caller's clock.
    pub at_ms: u64,
}

fn bounded(v: Option<String>) -> Option<String> {
    v.filter(|v| v.len() <= MAX_VALUE && !v.chars().any(char::is_control))
}

/// What watch mode may keep of one response for the site's record: `None` unless CloudFront
/// served it and named its edge location.
pub fn sighting(status: u16, headers: &[(String, String)], at_ms: u64) -> Option<Sighting> {
    let d = crate::diagnose(&crate::capture::observation(None, status, headers, None));
    let s = d.summary;
    if s.through_cloudfront != crate::signals::Through::Yes {
        return None;
    }
    let pop = bounded(s.pop).filter(|p| crate::pops::PopId::parse(&pop_site(p)).is_some())?;
    Some(Sighting {
        pop,
        status,
        x_cache: bounded(s.x_cache),
        age: s.age,
        request_id: bounded(s.request_id),
        at_ms,
    })
}

/// Adds `new` to a site's record: it replaces the edge location's earlier answer; the record
/// stays newest first and at most [`MAX_SIGHTINGS`] long, whatever it held before.
pub fn remember(record: &mut Vec<Sighting>, new: Sighting) {
    let site = pop_site(&new.pop);
    record.retain(|s| pop_site(&s.pop) != site);
    record.push(new);
    record.sort_by_key(|s| core::cmp::Reverse(s.at_ms));
    record.truncate(MAX_SIGHTINGS);
}

/// How many sites' records are kept at once: the most recently seen ones.
pub const MAX_SITES: usize = 64;

/// Every site's record (what watch mode stores, under one key): bounded in sites and sightings.
pub type SeenRecords = BTreeMap<String, Vec<Sighting>>;

/// Adds `new`, seen for `site`, to every site's records: records with nothing left in the
/// window are dropped, and at most [`MAX_SITES`] sites are kept (the most recently seen), so the
/// store stays small however many sites the browser visits.
pub fn remember_for_site(records: &mut SeenRecords, site: &str, new: Sighting) {
    let oldest = new.at_ms.saturating_sub(SEEN_WINDOW_MS);
    let newest_of = |r: &Vec<Sighting>| r.iter().map(|s| s.at_ms).max().unwrap_or(0);
    records.retain(|_, r| newest_of(r) >= oldest);
    remember(records.entry(site.to_string()).or_default(), new);
    while records.len() > MAX_SITES {
        let stalest = records
            .iter()
            .min_by_key(|(_, r)| newest_of(r))
            .map(|(k, _)| k.clone());
        match stalest {
            Some(k) => records.remove(&k),
            None => break,
        };
    }
}

/// Judges a site's record at `now_ms` for the page at `url`: `None` when nothing in it is
/// recent enough. One edge location alone gives [`super::EdgesVerdict::OnlyOnePopSeen`].
pub fn judge_seen(url: &str, record: &[Sighting], now_ms: u64) -> Option<EdgesReport> {
    let oldest = now_ms.saturating_sub(SEEN_WINDOW_MS);
    let newest = now_ms.saturating_add(CLOCK_SKEW_MS);
    let mut latest: Vec<&Sighting> = Vec::new();
    // The latest answer of each edge location in the window (the record may come from an older
    // build or be hand-edited storage: it is not trusted to be deduplicated or bounded).
    for s in record
        .iter()
        .filter(|s| (oldest..=newest).contains(&s.at_ms))
    {
        let site = pop_site(&s.pop);
        match latest.iter().position(|l| pop_site(&l.pop) == site) {
            Some(i) if latest[i].at_ms < s.at_ms => latest[i] = s,
            Some(_) => {}
            None if latest.len() < MAX_SIGHTINGS => latest.push(s),
            None => {}
        }
    }
    if latest.is_empty() {
        return None;
    }
    let rows = latest.iter().map(|s| row(s)).collect();
    let host = site_of(url).unwrap_or_default();
    Some(judge_rows(url, &host, Vec::new(), rows, Basis::WatchMode))
}

/// The site a URL's record is kept under: its host, lower-case, without port or credentials.
/// `None` for what is not an http(s) URL.
pub fn site_of(url: &str) -> Option<String> {
    super::url_host(url.trim()).map(str::to_ascii_lowercase)
}

fn row(s: &Sighting) -> EdgeRow {
    let failing = s.status >= 500;
    // The answer's own most likely cause, from what was kept of it.
    let cause = failing.then(|| {
        let mut headers = vec![
            (String::from("server"), String::from("CloudFront")),
            (String::from("x-amz-cf-pop"), s.pop.clone()),
        ];
        headers.extend(s.x_cache.clone().map(|x| (String::from("x-cache"), x)));
        headers.extend(s.age.map(|a| (String::from("age"), a.to_string())));
        let obs = crate::capture::observation(None, s.status, &headers, None);
        crate::diagnose(&obs).top().cause.as_str()
    });
    let site = pop_site(&s.pop);
    let location = crate::pops::PopId::parse(&site).and_then(|p| p.location());
    EdgeRow {
        address: String::new(),
        seen_from: vec![String::from("watch mode")],
        reverse_name: None,
        location: location.map(|l| alloc::format!("{}, {}", l.city, l.country)),
        region: location.map(|l| l.nearest_region.code),
        attempts: vec![Attempt {
            status: Some(s.status),
            x_cache: s.x_cache.clone(),
            age: s.age,
            pop: Some(s.pop.clone()),
            request_id: s.request_id.clone(),
            cause,
            error: None,
        }],
        failing,
        pop: Some(site),
    }
}
