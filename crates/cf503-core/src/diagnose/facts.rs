//! Signals → facts: what the response shows, in the terms of the rule table. Each fact keeps
//! the signal it came from and its value as observed, for the evidence a report shows.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::rules::{self, Fact};
use crate::dns::{DnsFindingId, DnsReport, Scope, Severity as DnsSeverity};
use crate::signals::{Generator, Signals, Through, names};

/// One observed fact.
#[derive(Clone, Debug)]
pub(crate) struct Observed {
    pub fact: Fact,
    pub signal: &'static str,
    pub value: String,
}

impl Observed {
    pub(crate) fn new(fact: Fact, signal: &'static str, value: String) -> Self {
        Self {
            fact,
            signal,
            value,
        }
    }
}

/// Every fact of one response (and of the DNS check of its origin, when one ran).
pub(crate) fn collect(
    sig: &Signals<'_>,
    dns: Option<&DnsReport>,
    edges: Option<&crate::edges::EdgesReport>,
) -> Vec<Observed> {
    let status = sig.status;
    let mut out = Vec::new();
    let mut push = |fact: Fact, signal: &'static str, value: String| {
        out.push(Observed::new(fact, signal, value));
    };

    // CloudFront's own result types: X-Cache and pasted log fields.
    let mut results: Vec<(&'static str, Fact, String)> = Vec::new();
    if let Some(t) = sig.log_result {
        results.push((names::LOG_RESULT, Fact::Result(t), t.as_str().into()));
    }
    if let Some(t) = sig.log_response_result {
        results.push((
            names::LOG_RESPONSE_RESULT,
            Fact::Result(t),
            t.as_str().into(),
        ));
    }
    if let Some(t) = sig.log_detailed_result {
        results.push((names::LOG_DETAILED, Fact::Detailed(t), t.as_str().into()));
    }
    if let Some(t) = sig.edge_result {
        let shown = sig.x_cache.map_or_else(
            || format!("{} from cloudfront", t.as_str()),
            ToString::to_string,
        );
        results.push((names::X_CACHE, Fact::Result(t), shown));
    }
    let results_explain = results
        .iter()
        .any(|(_, f, _)| rules::implied_cause(*f, status).is_some());
    let pasted_log_fields = results.iter().any(|(s, _, _)| *s != names::X_CACHE);
    for (signal, fact, value) in results {
        push(fact, signal, value);
    }

    // The reason line of CloudFront's error page.
    if let Some(p) = sig.cf_phrase {
        push(Fact::Page(p), names::PAGE, p.text().into());
    }
    // A result type no table lists: its family, weakly (never a default that favours another
    // cause: CloudFront "made" the error, but the name says which part of it).
    if let Some((family, word)) = sig.result_family {
        push(Fact::Family(family), names::X_CACHE, word.to_string());
    }
    if let Some(line) = sig.function_log {
        push(
            Fact::FunctionLog,
            names::PAGE,
            line.trim_matches('"').to_string(),
        );
    }

    // Who generated the response. The value is the header's alone: reports print it after the
    // signal's name (`server: AmazonS3`), which already says which header it is.
    let server_value = || {
        sig.server.map_or_else(
            || {
                sig.origin_kind
                    .map_or("origin headers", |k| k.label())
                    .to_string()
            },
            ToString::to_string,
        )
    };
    let server_error = status.is_some_and(|s| s >= 500);
    match sig.generated_by {
        Generator::Origin if server_error && sig.through == Through::Yes => {
            push(Fact::OriginRelayed, names::SERVER, server_value());
        }
        Generator::Origin if server_error => {
            push(Fact::OriginDirect, names::SERVER, server_value());
        }
        Generator::CloudFront
            if sig.cf_phrase.is_none()
                && sig.result_family.is_none()
                && sig.function_log.is_none()
                && !results_explain
                && !pasted_log_fields =>
        {
            let page = sig.cloudfront.error_page;
            let value = if page {
                "CloudFront's error page, no reason line"
            } else {
                "CloudFront"
            };
            push(
                Fact::CloudFrontMade { page },
                if page { names::PAGE } else { names::SERVER },
                value.into(),
            );
        }
        _ => {}
    }
    if let Some(p) = sig.origin_phrase {
        push(Fact::OriginBody(p), names::PAGE, p.text().into());
    }
    if let Some(api) = &sig.api_error {
        push(
            Fact::ApiErrorDocument,
            names::XML_CODE,
            api.code.as_deref().unwrap_or("ErrorResponse").into(),
        );
    }

    // Server-Timing says whether CloudFront resolved and reached the origin.
    if let Some(st) = &sig.server_timing {
        if let Some(connect) = st.upstream_connect_ms {
            push(
                Fact::UpstreamConnected,
                names::SERVER_TIMING,
                format!("cdn-upstream-connect;dur={connect}"),
            );
        } else if let Some(dns_ms) = st.upstream_dns_ms {
            let v = format!("cdn-upstream-dns;dur={dns_ms}, no cdn-upstream-connect");
            let fact = if dns_ms >= 1000 {
                Fact::SlowDnsNoConnect
            } else {
                Fact::ResolvedNoConnect
            };
            push(fact, names::SERVER_TIMING, v);
        }
        // Connected but no first byte, on an error CloudFront made itself: the handshake after
        // TCP failed (inferred; AWS does not document what cdn-upstream-connect covers).
        if let (Some(connect), None, Generator::CloudFront) =
            (st.upstream_connect_ms, st.upstream_fbl_ms, sig.generated_by)
        {
            push(
                Fact::ConnectedNoFirstByte,
                names::SERVER_TIMING,
                format!("cdn-upstream-connect;dur={connect}, no cdn-upstream-fbl"),
            );
        }
        if let Some(fbl) = st.upstream_fbl_ms {
            push(
                Fact::UpstreamFirstByte,
                names::SERVER_TIMING,
                format!("cdn-upstream-fbl;dur={fbl}"),
            );
        }
    }

    // A DNS check of the origin, when one ran.
    if let Some(dns) = dns {
        for f in &dns.findings {
            let value = match &f.server {
                Some(server) => format!("{} at {server}", f.id.as_str()),
                None => f.id.as_str().to_string(),
            };
            let fact = match (f.scope, f.id, f.severity) {
                // The check's own resolver or network failing: shown, never weighed.
                (Scope::Check, _, _) => {
                    push(Fact::DnsCheckFailed, names::DNS_CHECK, f.summary.clone());
                    continue;
                }
                (_, DnsFindingId::Ok, _) => Fact::DnsHealthy,
                (_, DnsFindingId::PrivateAddress, _) => Fact::DnsPrivateAddress,
                (_, _, DnsSeverity::Error) => Fact::DnsBroken,
                (_, _, DnsSeverity::Warning) => Fact::DnsFlaky,
                _ => continue,
            };
            push(fact, names::DNS_CHECK, value);
        }
    }

    // Several edge locations asked: where the failure is.
    if let Some(e) = edges {
        use crate::edges::{Basis, EdgesVerdict};
        let seen = e.basis == Basis::WatchMode;
        let fact = match &e.verdict {
            // The cached error is this response's own Age: as sure from watch mode.
            EdgesVerdict::OnePop { cached: true, .. } => Some(Fact::EdgeCachedAtOnePop),
            EdgesVerdict::OnePop { cached: false, .. } if seen => Some(Fact::SeenOnePop),
            EdgesVerdict::OnePop { cached: false, .. } => Some(Fact::EdgeOnePop),
            // One Region's edge locations in turn over minutes is too thin to name a Region.
            EdgesVerdict::OneRegion { .. } if seen => None,
            EdgesVerdict::OneRegion { .. } => Some(Fact::EdgeOneRegion),
            EdgesVerdict::EveryEdge if seen => Some(Fact::SeenEveryPop),
            EdgesVerdict::EveryEdge => Some(Fact::EdgeEvery),
            // Nothing failing now, nothing answering, DNS only: no evidence either way.
            _ => None,
        };
        if let Some(fact) = fact {
            push(fact, names::EDGES, e.summary.clone());
        }
    }

    // Positively not through CloudFront, and nothing above says why it failed: that is the
    // verdict then. Otherwise "through CloudFront?" is only a fact beside the verdict.
    if sig.through == Through::No
        && sig.api_error.is_none()
        && !out.iter().any(|o| rules::explains(o.fact, status))
    {
        let value = sig.through_evidence();
        out.push(Observed::new(
            Fact::ElsewhereUnexplained,
            names::MARKERS,
            value,
        ));
    }
    out
}
