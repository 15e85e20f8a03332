//! Remarks that are true whatever the cause: a cached error, Retry-After, what `X-Cache: Error`
//! does not mean, a page contradicting X-Cache, DNS failures being 502 today.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::facts::Observed;
use super::rules::{self, Fact};
use super::{Evidence, Note, NoteId};
use crate::causes::CauseId;
use crate::signals::{Generator, OriginPhrase, ResultType, Signals};

pub(crate) fn notes(
    obs: &crate::Observation,
    sig: &Signals<'_>,
    observed: &[Observed],
    evidence: &[(CauseId, Evidence)],
) -> Vec<Note> {
    let status = sig.status;
    let mut notes = Vec::new();
    if let (Some(age), true) = (sig.age, status.is_some_and(|s| s >= 400)) {
        notes.push(Note {
            id: NoteId::CachedError,
            text: format!("This error was served from CloudFront's cache (Age: {age} s): the failure happened {age} s before this response, and the origin may already be fine. CloudFront caches origin 5xx for 10 s by default (error caching minimum TTL); fetch again after that before acting."),
        });
    }
    if let Some(ra) = sig.retry_after {
        notes.push(Note {
            id: NoteId::RetryAfter,
            text: format!("The response asks clients to retry after {ra} (Retry-After)."),
        });
    }
    if sig.edge_result == Some(ResultType::Error) && sig.generated_by == Generator::Origin {
        notes.push(Note { id: NoteId::XCacheError, text: "`X-Cache: Error from cloudfront` only says the status is an error; it does not mean CloudFront generated it. Here the origin did.".to_string() });
    }
    // The page sentence and a result type naming different causes.
    let page = observed.iter().find_map(|o| match o.fact {
        Fact::Page(p) => Some(p),
        _ => None,
    });
    if let (Some(x), Some(p)) = (sig.edge_result, page)
        && let (Some(a), Some(b)) = (
            rules::implied_cause(Fact::Result(x), status),
            rules::implied_cause(Fact::Page(p), status),
        )
        && a != b
    {
        notes.push(Note {
            id: NoteId::Contradiction,
            text: format!("The page text (\"{}\") and X-Cache ({}) point at different causes ({} vs {}); X-Cache is the more specific signal.", p.text(), x.as_str(), b.as_str(), a.as_str()),
        });
    }
    if status == Some(502)
        && evidence
            .iter()
            .any(|(c, e)| *c == CauseId::OriginDns && e.supports && e.weight >= rules::STRONG)
    {
        notes.push(Note { id: NoteId::DnsIs502, text: "CloudFront reports origin DNS failures as 502 today (they were 503 before 2019): the AWS 503 page no longer lists them.".to_string() });
    }
    if let Some((family, word)) = sig.result_family {
        notes.push(Note {
            id: NoteId::UndocumentedResultType,
            text: format!("`{word}` is not a result type CloudFront documents; its name says {}, and it is weighed as such, weakly.", family.label()),
        });
    }
    // An origin's own proxy timing out on the service behind it, relayed by CloudFront: the
    // time-out to raise is that proxy's (or the service's speed), not CloudFront's.
    if sig.generated_by == Generator::Origin
        && let Some(p) = sig.origin_phrase.filter(|p| {
            matches!(
                p,
                OriginPhrase::EnvoyUpstreamTimeout
                    | OriginPhrase::NginxGatewayTimeout
                    | OriginPhrase::HaproxyGatewayTimeout
                    | OriginPhrase::ApacheGatewayTimeout
                    | OriginPhrase::ApiGatewayTimeout
            )
        })
    {
        notes.push(Note {
            id: NoteId::RelayedProxyTimeout,
            text: format!("The 504 is the origin's own proxy timing out on the service behind it ({}); CloudFront passed it on. Raising CloudFront's origin response time-out will not help: look at that proxy's time-out and the service's speed.", p.text()),
        });
    }
    // The DNS check could not run: said once, with why, and never taken for the origin's DNS.
    if let Some(why) = observed
        .iter()
        .find_map(|o| (o.fact == Fact::DnsCheckFailed).then_some(&o.value))
    {
        notes.push(Note {
            id: NoteId::DnsCheckFailed,
            text: format!("The DNS check could not run: {why} That is this side's resolver or network, not evidence about CloudFront or the origin; the verdict stands on the response alone."),
        });
    }
    // A healthy check beside CloudFront's own word that it could not resolve the origin.
    let logged_dns_error = evidence
        .iter()
        .any(|(c, e)| *c == CauseId::OriginDns && e.supports && e.weight >= rules::DECISIVE);
    if logged_dns_error && observed.iter().any(|o| o.fact == Fact::DnsHealthy) {
        notes.push(Note {
            id: NoteId::DnsResolvesNow,
            text: "The origin's name resolves now, from here: origin DNS failures are often brief or regional, so CloudFront's own record of the failure still stands. Compare the time of the error with the DNS provider's status.".to_string(),
        });
    }
    if sig.status_from_page
        && let Some(s) = status
    {
        notes.push(Note {
            id: NoteId::StatusFromPage,
            text: format!("No status line was given: the page itself says {s}."),
        });
    }
    if obs.headers_dropped() > 0 {
        notes.push(Note {
            id: NoteId::HeadersCapped,
            text: format!(
                "{} header lines past the first {} were counted, not read.",
                obs.headers_dropped(),
                crate::observation::MAX_HEADERS
            ),
        });
    }
    if status.is_some_and(|s| s < 400) {
        notes.push(Note {
            id: NoteId::NotAnError,
            text: format!(
                "The status is {}, not an error: this response is not a failure.",
                status.unwrap_or_default()
            ),
        });
    }
    notes
}
