//! The edges' answers judged: per edge its edge location (from `X-Amz-Cf-Pop`, else from its
//! reverse name) and that location's Region (the POP table), grouped; then where it fails
//! (sources `EDGE-ECS`, `DQUOTA`, `DHSC` in docs/sources.md):
//!
//! | failing | verdict |
//! |---|---|
//! | nothing | the failure is not seen now |
//! | every edge asked, alike | not the edge: the origin or the configuration (the responses' own cause) |
//! | every edge location of one Region, with Lambda@Edge result types, others fine | the function fails or is throttled **in that Region** (its quotas are per Region) |
//! | one edge location, others fine, the error served from its cache (`Age`) | an error cached at that edge location |
//! | one edge location, others fine | that edge location's capacity (`edge_capacity`) |
//!
//! An edge that could not be reached (this side's network) is listed and never weighed.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use super::{Edge, SubnetAnswer};
use crate::causes::CauseId;
use crate::prose::{Part, Prose};
use crate::signals::ResultType;

/// One request to one edge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Attempt {
    /// The status, when a response came.
    pub status: Option<u16>,
    /// `X-Cache`.
    pub x_cache: Option<String>,
    /// `Age`: served from the edge's cache.
    pub age: Option<u64>,
    /// `X-Amz-Cf-Pop`.
    pub pop: Option<String>,
    /// `X-Amz-Cf-Id`.
    pub request_id: Option<String>,
    /// The response's own most likely cause, when it failed.
    pub cause: Option<&'static str>,
    /// Why no response came (this side's network, or the edge refused the connection).
    pub error: Option<String>,
}

/// One edge address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EdgeRow {
    /// The address (empty when watch mode saw the edge: a browser knows its edge location, not
    /// its address).
    pub address: String,
    /// The places whose client subnet reached it.
    pub seen_from: Vec<String>,
    /// Its reverse name.
    pub reverse_name: Option<String>,
    /// Its edge location (`FRA56`), from `X-Amz-Cf-Pop` or the reverse name.
    pub pop: Option<String>,
    /// Where that is.
    pub location: Option<String>,
    /// The Region nearest to it (where Lambda@Edge runs for it).
    pub region: Option<&'static str>,
    /// The requests.
    pub attempts: Vec<Attempt>,
    /// Whether any request got a 5xx.
    pub failing: bool,
}

/// Where the failure is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EdgesVerdict {
    /// No edge answered (no address from DNS, or none reachable): nothing to judge.
    NoEdgeAnswered,
    /// Every edge answered without a 5xx.
    NothingFails,
    /// Every edge asked fails alike: not the edge.
    EveryEdge,
    /// Every edge location of one Region fails, the others answer.
    OneRegion {
        /// The Region.
        region: &'static str,
    },
    /// One edge location fails, the others answer.
    OnePop {
        /// The edge location.
        pop: String,
        /// Whether the error came from its cache (`Age`).
        cached: bool,
    },
    /// Several edge locations in several Regions fail, others answer.
    Several,
    /// Only DNS was asked (the browser cannot pin a request to an edge): which edges viewers
    /// in each place reach, no verdict.
    DnsOnly,
    /// Watch mode saw the site through one edge location only: nothing to compare it with.
    OnlyOnePopSeen {
        /// The edge location.
        pop: String,
    },
}

/// How the edges' answers were gathered: it decides how much a verdict weighs and how it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Basis {
    /// Each edge was asked now, by requests pinned to its address (`cf503 edges`).
    Asked,
    /// DNS only: which edges viewers in each place reach (the web page).
    Dns,
    /// Watch mode's record of what one browser was answered by each edge location over the last
    /// minutes ([`super::SEEN_WINDOW_MS`]): not at the same moment, so it weighs less.
    WatchMode,
}

/// One edge location, in brief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PopLine {
    /// `FRA56`.
    pub pop: String,
    /// Where.
    pub location: Option<String>,
    /// Its Region.
    pub region: Option<&'static str>,
    /// Edge addresses asked there.
    pub edges: usize,
    /// How many of them failed.
    pub failing: usize,
}

/// One client subnet's answer, in brief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SubnetLine {
    /// Where.
    pub label: String,
    /// The subnet sent.
    pub subnet: String,
    /// The edge addresses the resolver gave for it.
    pub addresses: Vec<String>,
    /// Why it gave none.
    pub error: Option<String>,
}

/// The whole judgement (`cf503 edges --json`: schema `cf503.edges_report`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EdgesReport {
    /// `cf503.edges_report`.
    pub schema: &'static str,
    /// 1.
    pub schema_version: u32,
    /// The URL asked (redacted).
    pub url: String,
    /// The name asked per subnet (watch mode: the site's host).
    pub name: String,
    /// How the edges' answers were gathered.
    pub basis: Basis,
    /// Each subnet's answer.
    pub subnets: Vec<SubnetLine>,
    /// Every subnet got the same addresses: DNS does not choose the edge here (Anycast static
    /// IPs), or the resolver drops client subnets.
    pub same_everywhere: bool,
    /// Each edge.
    pub edges: Vec<EdgeRow>,
    /// Each edge location.
    pub pops: Vec<PopLine>,
    /// Where it fails.
    pub verdict: EdgesVerdict,
    /// The cause that follows (`edge_capacity`, the Lambda@Edge cause, the responses' cause).
    pub cause: Option<&'static str>,
    /// One or two sentences.
    pub summary: String,
    /// What to do next.
    pub steps: Vec<Prose>,
}

/// The edge location named by a reverse name (`server-1-2-3-4.fra56.r.cloudfront.net.` →
/// `FRA56`).
fn pop_from_reverse(name: &str) -> Option<String> {
    let mut labels = name.trim_end_matches('.').split('.');
    let first = labels.next()?;
    let second = labels.next()?;
    if !first.starts_with("server-") {
        return None;
    }
    crate::pops::PopId::parse(second).map(|p| p.raw.to_ascii_uppercase())
}

/// `FRA56-P1` → `FRA56`.
pub(super) fn pop_site(raw: &str) -> String {
    raw.split('-')
        .next()
        .unwrap_or(raw)
        .trim()
        .to_ascii_uppercase()
}

fn lambda_result(x_cache: Option<&str>) -> Option<ResultType> {
    let first = x_cache?.split_whitespace().next()?;
    ResultType::parse(first).filter(|r| r.as_str().starts_with("Lambda"))
}

pub(super) fn judge(
    url: &str,
    name: &str,
    subnets: &[SubnetAnswer],
    edges: &[Edge],
    edges_asked: bool,
) -> EdgesReport {
    let rows: Vec<EdgeRow> = edges.iter().map(|e| row(e, subnets)).collect();
    let subnet_lines: Vec<SubnetLine> = subnets
        .iter()
        .map(|s| SubnetLine {
            label: s.label.clone(),
            subnet: s.subnet.to_string(),
            addresses: s
                .outcome
                .as_ref()
                .map(|a| a.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            error: s.outcome.as_ref().err().cloned(),
        })
        .collect();
    let basis = if edges_asked {
        Basis::Asked
    } else {
        Basis::Dns
    };
    judge_rows(url, name, subnet_lines, rows, basis)
}

/// The judgement of edge rows however they were gathered: asked now ([`Basis::Asked`]), named
/// by DNS only, or seen by watch mode over the last minutes ([`super::seen`]).
pub(super) fn judge_rows(
    url: &str,
    name: &str,
    subnet_lines: Vec<SubnetLine>,
    mut rows: Vec<EdgeRow>,
    basis: Basis,
) -> EdgesReport {
    let edges_asked = basis != Basis::Dns;
    // By edge location, then address: the table reads place by place.
    rows.sort_by(|a, b| {
        (a.pop.is_none(), &a.pop, &a.address).cmp(&(b.pop.is_none(), &b.pop, &b.address))
    });
    let answered: Vec<&EdgeRow> = rows
        .iter()
        .filter(|r| r.attempts.iter().any(|a| a.status.is_some()))
        .collect();
    // Edge locations, by what the edges say (their header, else their reverse name); an edge
    // whose location is unknown stands for itself.
    let mut pops: BTreeMap<String, PopLine> = BTreeMap::new();
    let listed: Vec<&EdgeRow> = if edges_asked {
        answered.clone()
    } else {
        rows.iter().collect()
    };
    for r in &listed {
        let key = r.pop.clone().unwrap_or_else(|| r.address.clone());
        let line = pops.entry(key.clone()).or_insert_with(|| PopLine {
            pop: key,
            location: r.location.clone(),
            region: r.region,
            edges: 0,
            failing: 0,
        });
        line.edges += 1;
        line.failing += usize::from(r.failing);
    }
    let pops: Vec<PopLine> = pops.into_values().collect();
    let failing_pops: Vec<&PopLine> = pops.iter().filter(|p| p.failing > 0).collect();
    let fine_pops: Vec<&PopLine> = pops.iter().filter(|p| p.failing == 0).collect();
    let failing_attempts: Vec<&Attempt> = answered
        .iter()
        .filter(|r| r.failing)
        .flat_map(|r| &r.attempts)
        .filter(|a| a.status.is_some_and(|s| s >= 500))
        .collect();
    let common_cause = most_common(failing_attempts.iter().filter_map(|a| a.cause));
    let lambda = failing_attempts
        .iter()
        .any(|a| lambda_result(a.x_cache.as_deref()).is_some());
    let regions_failing: Vec<&'static str> = {
        let mut v: Vec<&'static str> = failing_pops.iter().filter_map(|p| p.region).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let verdict = if !edges_asked {
        EdgesVerdict::DnsOnly
    } else if answered.is_empty() {
        EdgesVerdict::NoEdgeAnswered
    } else if let ([only], Basis::WatchMode) = (pops.as_slice(), basis) {
        // One browser saw the site through one edge location only: nothing to compare with.
        EdgesVerdict::OnlyOnePopSeen {
            pop: only.pop.clone(),
        }
    } else if failing_pops.is_empty() {
        EdgesVerdict::NothingFails
    } else if fine_pops.is_empty() {
        EdgesVerdict::EveryEdge
    } else if let [region] = regions_failing.as_slice()
        && lambda
        && failing_pops.iter().all(|p| p.region == Some(*region))
        && !fine_pops.iter().any(|p| p.region == Some(*region))
    {
        EdgesVerdict::OneRegion { region }
    } else if let [pop] = failing_pops.as_slice() {
        let cached = answered
            .iter()
            .filter(|r| r.failing && r.pop.as_deref().unwrap_or(&r.address) == pop.pop)
            .flat_map(|r| &r.attempts)
            .any(|a| a.status.is_some_and(|s| s >= 500) && a.age.is_some_and(|x| x > 0));
        EdgesVerdict::OnePop {
            pop: pop.pop.clone(),
            cached,
        }
    } else {
        EdgesVerdict::Several
    };
    let cause = match &verdict {
        EdgesVerdict::OnePop { cached: false, .. } if !lambda => {
            Some(CauseId::EdgeCapacity.as_str())
        }
        EdgesVerdict::NoEdgeAnswered
        | EdgesVerdict::NothingFails
        | EdgesVerdict::DnsOnly
        | EdgesVerdict::OnlyOnePopSeen { .. } => None,
        _ => common_cause,
    };
    let (summary, steps) = words(&verdict, cause, &pops, &failing_attempts, url, basis);
    let answered_sets: Vec<Vec<String>> = subnet_lines
        .iter()
        .filter(|s| s.error.is_none() && !s.addresses.is_empty())
        .map(|s| {
            let mut a = s.addresses.clone();
            a.sort();
            a
        })
        .collect();
    let same_everywhere = answered_sets.len() > 1 && answered_sets.windows(2).all(|w| w[0] == w[1]);
    EdgesReport {
        schema: "cf503.edges_report",
        schema_version: super::EDGES_SCHEMA_VERSION,
        url: crate::redact::url(url).into_owned(),
        name: name.trim_end_matches('.').to_string(),
        basis,
        subnets: subnet_lines,
        same_everywhere,
        edges: rows,
        pops,
        verdict,
        cause,
        summary,
        steps,
    }
}

fn row(e: &Edge, subnets: &[SubnetAnswer]) -> EdgeRow {
    let attempts: Vec<Attempt> = e
        .attempts
        .iter()
        .map(|(obs, err)| match obs {
            Some(o) => {
                let d = crate::diagnose(o);
                let s = &d.summary;
                let failing = s.status.is_some_and(|x| x >= 500);
                Attempt {
                    status: s.status,
                    x_cache: s.x_cache.clone(),
                    age: s.age,
                    pop: s.pop.clone(),
                    request_id: s.request_id.clone(),
                    cause: failing.then(|| d.top().cause.as_str()),
                    error: None,
                }
            }
            None => Attempt {
                status: None,
                x_cache: None,
                age: None,
                pop: None,
                request_id: None,
                cause: None,
                error: err.clone(),
            },
        })
        .collect();
    let pop = attempts
        .iter()
        .find_map(|a| a.pop.as_deref().map(pop_site))
        .or_else(|| e.ptr.as_deref().and_then(pop_from_reverse));
    let location = pop
        .as_deref()
        .and_then(|p| crate::pops::PopId::parse(p)?.location());
    EdgeRow {
        address: e.address.to_string(),
        seen_from: e
            .subnets
            .iter()
            .filter_map(|i| subnets.get(*i).map(|s| s.label.clone()))
            .collect(),
        reverse_name: e.ptr.clone(),
        location: location.map(|l| format!("{}, {}", l.city, l.country)),
        region: location.map(|l| l.nearest_region.code),
        failing: attempts.iter().any(|a| a.status.is_some_and(|s| s >= 500)),
        attempts,
        pop,
    }
}

fn most_common(causes: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for c in causes {
        match counts.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c)
}

fn list(pops: &[&PopLine]) -> String {
    pops.iter()
        .map(|p| match &p.location {
            Some(l) => format!("{} ({l})", p.pop),
            None => p.pop.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn words(
    verdict: &EdgesVerdict,
    cause: Option<&'static str>,
    pops: &[PopLine],
    failing: &[&Attempt],
    url: &str,
    basis: Basis,
) -> (String, Vec<Prose>) {
    let seen = basis == Basis::WatchMode;
    let minutes = super::SEEN_WINDOW_MS / 60_000;
    // Watch mode's record spans minutes, not one moment: say so, and how to ask them all at once.
    let window = if seen {
        format!(" (watch mode, last {minutes} minutes)")
    } else {
        String::new()
    };
    let failing_pops: Vec<&PopLine> = pops.iter().filter(|p| p.failing > 0).collect();
    let fine_pops: Vec<&PopLine> = pops.iter().filter(|p| p.failing == 0).collect();
    let what = failing
        .first()
        .map(|a| match (&a.status, &a.x_cache) {
            (Some(s), Some(x)) => format!("{s} {x}"),
            (Some(s), None) => s.to_string(),
            _ => String::new(),
        })
        .unwrap_or_default();
    let ids: Vec<String> = failing
        .iter()
        .filter_map(|a| a.request_id.clone())
        .take(3)
        .collect();
    let mut steps = Vec::new();
    let summary = match verdict {
        EdgesVerdict::NoEdgeAnswered => {
            "No edge answered: the resolver gave no edge address, or none could be reached from here (this side's network, not evidence about CloudFront)".to_string()
        }
        EdgesVerdict::NothingFails if seen => format!(
            "Every edge location this browser was sent to answered without a 5xx{window} ({} edge locations)",
            pops.len()
        ),
        EdgesVerdict::NothingFails => format!(
            "Every edge asked answered without a 5xx ({} edge locations): the failure is not seen now from these places",
            pops.len()
        ),
        EdgesVerdict::EveryEdge => {
            steps.push(Prose::text(
                "Follow the cause's own steps: every edge location gets the same answer, so the cause is behind them (the origin, a function or the distribution's configuration), not an edge location.",
            ));
            format!(
                "Every edge {} fails alike ({what}) in {} edge locations{window}: not the edge, but the origin or the configuration{}",
                if seen { "location this browser was sent to" } else { "asked" },
                pops.len(),
                cause.map(|c| format!(" ({c})")).unwrap_or_default()
            )
        }
        EdgesVerdict::OneRegion { region } => {
            let mut p = Prose::text(format!(
                "Lambda@Edge quotas and failures are per Region: read the function's log lines in {region} (log groups "
            ));
            p.push(Part::Code("/aws/lambda/us-east-1.<function>".into()));
            p.push(Part::Text(") and its throttles:".into()));
            p.push(Part::Command(format!(
                "aws logs describe-log-groups --region {region} --log-group-name-prefix /aws/lambda/us-east-1."
            )));
            steps.push(p);
            steps.push(Prose::text(format!(
                "If it is throttled (LambdaLimitExceeded), ask for a higher Lambda concurrency quota in {region}, or move the work off the viewer-request trigger."
            )));
            format!(
                "Every edge location {} in {region} fails ({}: {what}) while the others answer ({}){window}: the Lambda@Edge function fails or is throttled in {region}",
                if seen { "seen" } else { "asked" },
                list(&failing_pops),
                list(&fine_pops)
            )
        }
        EdgesVerdict::OnePop { pop, cached: true } => {
            steps.push(Prose::text(format!(
                "It goes when the cached error expires (the distribution's error caching minimum TTL, 10 s by default); if it stays, invalidate the path so {pop} asks the origin again:"
            )));
            steps.push(Prose(alloc::vec![Part::Command(
                "aws cloudfront create-invalidation --distribution-id <DistributionId> --paths '/*'".into()
            )]));
            format!(
                "Only edge location {pop} fails, and from its cache (Age): an error cached there, while {} answer{window}",
                list(&fine_pops)
            )
        }
        EdgesVerdict::OnePop { pop, cached: false } => {
            let mut p = Prose::text(format!(
                "Viewers sent to {pop} get errors until CloudFront recovers there; if it lasts, open an AWS Support case with the failing request ids"
            ));
            if !ids.is_empty() {
                p.push(Part::Text(": ".into()));
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 {
                        p.push(Part::Text(", ".into()));
                    }
                    p.push(Part::Code(id.clone()));
                }
            }
            p.push(Part::Text(".".into()));
            steps.push(p);
            format!(
                "Only edge location {pop} fails ({what}) while {} answer{window}: {}",
                list(&fine_pops),
                if cause == Some("edge_capacity") {
                    "that edge location, not the origin (edge capacity)".to_string()
                } else {
                    format!("that edge location ({})", cause.unwrap_or("unknown"))
                }
            )
        }
        EdgesVerdict::OnlyOnePopSeen { pop } => format!(
            "This browser was sent to edge location {pop} only{window}: nothing to compare it with"
        ),
        EdgesVerdict::DnsOnly => {
            format!(
                "Viewers in these places are sent to {} edge locations (DNS only)",
                pops.len()
            )
        }
        EdgesVerdict::Several => format!(
            "Some edge locations fail ({}) and others answer ({}), in several Regions{window}",
            list(&failing_pops),
            list(&fine_pops)
        ),
    };
    // A browser cannot send a request to one chosen edge: the CLI can, at one moment.
    let ask_them = match verdict {
        EdgesVerdict::DnsOnly => Some(
            "A browser cannot send a request to one chosen edge; to ask each of them and see where it fails, run:",
        ),
        EdgesVerdict::NoEdgeAnswered | EdgesVerdict::NothingFails => None,
        _ if seen => Some(
            "Watch mode compares answers minutes apart; to ask several edge locations at the same moment, run:",
        ),
        _ => None,
    };
    if let Some(why) = ask_them {
        let mut p = Prose::text(why);
        let url = crate::redact::url(url);
        if url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'\'' | b'"' | b'`' | b'$' | b'\\'))
        {
            p.push(Part::Command(format!("cf503 edges '{url}'")));
        } else {
            p.push(Part::Command("cf503 edges <URL>".into()));
        }
        steps.push(p);
    }
    (summary, steps)
}
