//! Judgements: what a finished [`Check`] found, as typed query results and findings with stable
//! ids. Everything here matches on enums; words appear only in the findings' sentences and in
//! rendering (`report::dns_text`, `report::dns_json`).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::IpAddr;

use super::check::{Check, Failure, Outcome, Purpose, QueryState, Target};
use super::wire::{self, Ede, RType, Response, Rr, RrData};

/// Stable ids of DNS findings (never renamed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum DnsFindingId {
    Ok,
    Nxdomain,
    Nodata,
    Servfail,
    Refused,
    Timeout,
    LameDelegation,
    /// A resolver failed (HTTP error, not DNS, unreachable); the check went on with the others.
    ResolverError,
    InconsistentAnswers,
    SoaSerialMismatch,
    NsSetMismatch,
    DnssecBogus,
    DanglingCname,
    NoAddress,
    PrivateAddress,
    /// The zone names more servers, or a server more addresses, than the check asks: the rest
    /// were left out (a bound against zones that would turn the check into a flood).
    FanOutCapped,
}

impl DnsFindingId {
    /// The stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            DnsFindingId::Ok => "ok",
            DnsFindingId::Nxdomain => "nxdomain",
            DnsFindingId::Nodata => "nodata",
            DnsFindingId::Servfail => "servfail",
            DnsFindingId::Refused => "refused",
            DnsFindingId::Timeout => "timeout",
            DnsFindingId::LameDelegation => "lame_delegation",
            DnsFindingId::InconsistentAnswers => "inconsistent_answers",
            DnsFindingId::SoaSerialMismatch => "soa_serial_mismatch",
            DnsFindingId::NsSetMismatch => "ns_set_mismatch",
            DnsFindingId::DnssecBogus => "dnssec_bogus",
            DnsFindingId::DanglingCname => "dangling_cname",
            DnsFindingId::NoAddress => "no_address",
            DnsFindingId::PrivateAddress => "private_address",
            DnsFindingId::ResolverError => "resolver_error",
            DnsFindingId::FanOutCapped => "fan_out_capped",
        }
    }
}

/// Whom a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// The origin's name, its zone or its name servers: what CloudFront's own resolvers meet.
    Origin,
    /// The check itself: a resolver it asked failed (time-out, refusal, HTTP error, not DNS)
    /// or its network reached no name server. The user's side, never evidence about the origin.
    Check,
}

impl Scope {
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Origin => "origin",
            Scope::Check => "check",
        }
    }
}

/// How bad a finding is for CloudFront: the DNS check's findings and the distribution config's
/// risk findings ([`crate::config::risks`]) share the three levels, so reports draw them alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Some requests, some of the time, will fail (some resolvers; some connections).
    Warning,
    /// Requests fail (CloudFront cannot resolve or use the origin).
    Error,
}

impl Severity {
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One DNS finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsFinding {
    /// Stable id.
    pub id: DnsFindingId,
    /// Severity.
    pub severity: Severity,
    /// Whether it is about the origin's DNS, or about the check itself (a resolver the check
    /// chose failing, the checker's network blocking DNS): only the first is evidence about
    /// what CloudFront sees.
    pub scope: Scope,
    /// The server concerned (`name (address)`), if one is.
    pub server: Option<String>,
    /// One sentence.
    pub summary: String,
    /// The answers that show it.
    pub evidence: Vec<String>,
}

/// What one query came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum QueryOutcome {
    /// NOERROR with records.
    Answer,
    /// NOERROR without records, and not a referral.
    Nodata,
    /// The name does not exist.
    Nxdomain,
    /// NOERROR, no answer, NS records in the authority section, no authority: "ask them".
    Referral,
    /// REFUSED.
    Refused,
    /// SERVFAIL.
    Servfail,
    /// Another response code.
    OtherRcode(u16),
    /// No answer in time.
    Timeout,
    /// The address could not be reached (refused connection, no route).
    Unreachable,
    /// A DoH resolver answered with this HTTP status.
    Http(u16),
    /// What came back was not a DNS answer to the query.
    NotDns,
}

impl QueryOutcome {
    /// What the check's outcome of one query amounts to.
    pub fn of(o: &Outcome) -> Self {
        match o {
            Outcome::Failed(Failure::Timeout) => QueryOutcome::Timeout,
            Outcome::Failed(Failure::Network(_)) => QueryOutcome::Unreachable,
            Outcome::Failed(Failure::Http(s)) => QueryOutcome::Http(*s),
            Outcome::Failed(Failure::NotDns(_)) => QueryOutcome::NotDns,
            Outcome::Answer(r) => match r.rcode {
                0 if r.answers.is_empty()
                    && !r.aa
                    && r.authority
                        .iter()
                        .any(|rr| matches!(rr.data, RrData::Ns(_))) =>
                {
                    QueryOutcome::Referral
                }
                0 if r.answers.is_empty() => QueryOutcome::Nodata,
                0 => QueryOutcome::Answer,
                2 => QueryOutcome::Servfail,
                3 => QueryOutcome::Nxdomain,
                5 => QueryOutcome::Refused,
                n => QueryOutcome::OtherRcode(n),
            },
        }
    }

    /// No answer at all: silence or an unreachable address.
    pub fn is_silence(self) -> bool {
        matches!(self, QueryOutcome::Timeout | QueryOutcome::Unreachable)
    }
}

impl core::fmt::Display for QueryOutcome {
    /// The stable word of reports (`answer`, `nxdomain`, `http 405`, `not dns`, …).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            QueryOutcome::Answer => f.write_str("answer"),
            QueryOutcome::Nodata => f.write_str("nodata"),
            QueryOutcome::Nxdomain => f.write_str("nxdomain"),
            QueryOutcome::Referral => f.write_str("referral"),
            QueryOutcome::Refused => f.write_str("refused"),
            QueryOutcome::Servfail => f.write_str("servfail"),
            QueryOutcome::OtherRcode(n) => f.write_str(&wire::rcode_name(*n).to_ascii_lowercase()),
            QueryOutcome::Timeout => f.write_str("timeout"),
            QueryOutcome::Unreachable => f.write_str("unreachable"),
            QueryOutcome::Http(s) => write!(f, "http {s}"),
            QueryOutcome::NotDns => f.write_str("not dns"),
        }
    }
}

/// Who a query asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    /// One address of an authoritative server, directly (`dig NAME TYPE @address +norec`).
    Server {
        /// The address asked.
        address: IpAddr,
        /// Its answer had the authoritative-answer bit.
        aa: bool,
    },
    /// A recursive resolver.
    Resolver {
        /// Which one (index into the transport's list, from 0).
        index: u8,
        /// DNSSEC checking disabled (CD bit).
        cd: bool,
    },
}

/// One question and what came of it, whoever was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryResult {
    /// Who was asked.
    pub asked: Asked,
    /// What was asked.
    pub query: RType,
    /// What came of it.
    pub outcome: QueryOutcome,
    /// Response code, when there was a response.
    pub rcode: Option<u16>,
    /// Answer records worth showing (RRSIGs and unknown types left out).
    pub records: Vec<Rr>,
    /// The question name's addresses among them (through its CNAME chain).
    pub addresses: Vec<IpAddr>,
    /// SOA serial, for SOA questions.
    pub serial: Option<u32>,
    /// Extended DNS Errors.
    pub ede: Vec<Ede>,
    /// Round-trip time, ms.
    pub rtt_ms: Option<u64>,
}

impl QueryResult {
    fn new(q: &QueryState, asked: Asked) -> Option<Self> {
        let o = q.outcome.as_ref()?;
        let r = response(q);
        Some(QueryResult {
            asked,
            query: q.question.rtype,
            outcome: QueryOutcome::of(o),
            rcode: r.map(|r| r.rcode),
            records: r.map(presented).unwrap_or_default(),
            addresses: r.map(addresses_in).unwrap_or_default(),
            serial: r.and_then(|r| {
                r.answers.iter().find_map(|rr| match rr.data {
                    RrData::Soa { serial, .. } => Some(serial),
                    _ => None,
                })
            }),
            ede: r.map(|r| r.ede.clone()).unwrap_or_default(),
            rtt_ms: q.rtt_ms,
        })
    }

    /// The authoritative-answer bit of a server's answer (`false` for a resolver's).
    pub fn aa(&self) -> bool {
        matches!(self.asked, Asked::Server { aa: true, .. })
    }
}

/// One link of a CNAME chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CnameLink {
    /// The alias.
    pub owner: String,
    /// What it points to.
    pub target: String,
}

impl core::fmt::Display for CnameLink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} → {}", self.owner, self.target)
    }
}

/// One name server of the zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerReport {
    /// Its name.
    pub name: String,
    /// Its addresses.
    pub addresses: Vec<IpAddr>,
    /// Listed in the zone's own NS set.
    pub in_zone: bool,
    /// Listed in the parent's delegation.
    pub in_parent: bool,
    /// Direct questions and their results.
    pub results: Vec<QueryResult>,
}

/// The result of a DNS check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsReport {
    /// The origin name checked.
    pub origin: String,
    /// Its zone apex, found by SOA.
    pub apex: Option<String>,
    /// The parent zone.
    pub parent: Option<String>,
    /// CNAME chain from the origin, as the resolver answered it.
    pub cname_chain: Vec<CnameLink>,
    /// The origin's addresses through the resolver.
    pub addresses: Vec<IpAddr>,
    /// Whether name servers were asked directly.
    pub direct: bool,
    /// The zone's name servers (and the parent's, when they differ).
    pub servers: Vec<ServerReport>,
    /// Questions through the resolvers.
    pub resolver: Vec<QueryResult>,
    /// Findings, most severe first; never empty.
    pub findings: Vec<DnsFinding>,
    /// Number of queries sent (attempts included).
    pub queries: usize,
    /// Depth of the query graph.
    pub depth: u8,
    /// Wall time, ms.
    pub elapsed_ms: Option<u64>,
    /// The check of the CNAME chain's last name, when it lies in another zone: that zone's
    /// servers asked one by one, as for the origin ([`DnsReport::join_cname_target`]).
    pub cname_target: Option<alloc::boxed::Box<DnsReport>>,
}

/// An Extended DNS Error as reports show it: `code (name): text`.
pub fn ede_text(e: &Ede) -> String {
    if e.text.is_empty() {
        format!("{} ({})", e.code, e.name())
    } else {
        format!("{} ({}): {}", e.code, e.name(), e.text)
    }
}

/// Answer records worth showing (RRSIGs and other types left out).
fn presented(r: &Response) -> Vec<Rr> {
    r.answers
        .iter()
        .filter(|rr| !matches!(rr.data, RrData::Other(_)))
        .cloned()
        .collect()
}

fn response(q: &QueryState) -> Option<&Response> {
    match &q.outcome {
        Some(Outcome::Answer(r)) => Some(r),
        _ => None,
    }
}

/// The addresses of the question's name (through its CNAME chain): records owned by other
/// names are ignored.
fn addresses_in(r: &Response) -> Vec<IpAddr> {
    let Some((qname, _)) = &r.question else {
        return Vec::new();
    };
    wire::answer_chain(r, qname)
        .1
        .iter()
        .filter_map(|rr| match rr.data {
            RrData::A(a) => Some(IpAddr::V4(a)),
            RrData::Aaaa(a) => Some(IpAddr::V6(a)),
            _ => None,
        })
        .collect()
}

/// Private, loopback, link-local, shared (CGNAT), unspecified or unique-local: unreachable from
/// CloudFront's edge.
pub fn is_private(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(a) => {
            let s = a.segments();
            a.is_loopback()
                || a.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || a.to_ipv4_mapped()
                    .is_some_and(|v4| is_private(&IpAddr::V4(v4)))
        }
    }
}

impl DnsReport {
    /// The `*.cloudfront.net` name this name is an alias of, if any: how a viewer host shows that
    /// it is served by CloudFront (distributions are reached through a CNAME or an alias record
    /// to `dXXXX.cloudfront.net`; an alias record leaves no trace in DNS, so `None` does not rule
    /// CloudFront out).
    pub fn cloudfront_alias(&self) -> Option<&str> {
        self.cname_chain.iter().find_map(|link| {
            let bare = link.target.trim_end_matches('.');
            (bare.len() > ".cloudfront.net".len()
                && bare.to_ascii_lowercase().ends_with(".cloudfront.net"))
            .then_some(link.target.as_str())
        })
    }

    /// What the check could not see, when its transport could not ask chosen servers (DoH).
    pub fn scope_note(&self) -> Option<String> {
        (!self.direct).then(|| {
            format!(
                "Only the resolvers' view: this transport cannot ask a chosen name server. For the per-server view run: cf503 dns {}",
                self.origin.trim_end_matches('.')
            )
        })
    }

    /// One sentence on whether the name is served by CloudFront, as far as DNS can tell.
    pub fn alias_summary(&self) -> String {
        let name = self.origin.trim_end_matches('.');
        match self.cloudfront_alias() {
            Some(alias) => {
                format!("{name} is an alias of {alias}: this site is served by CloudFront.")
            }
            None => format!(
                "{name} is not a CNAME of a cloudfront.net name (an alias record would not show here)."
            ),
        }
    }

    /// Builds the report of a finished (or deadline-cut) check.
    pub fn from_check(c: &Check) -> Self {
        let origin = c.origin.clone();
        // The resolver whose view is the reference: the first that answered the origin's A.
        let resolver_of = |q: &QueryState| match q.target {
            Target::Resolver(r) => r,
            Target::Server(_) => u8::MAX,
        };
        let primary = c
            .queries
            .iter()
            .filter(|q| {
                q.purpose == (Purpose::OriginViaResolver { cd: false })
                    && q.question.rtype == RType::A
            })
            .find(|q| response(q).is_some())
            .map_or(0, resolver_of);
        let via = |cd: bool, rtype: RType| {
            c.queries.iter().find(|q| {
                q.purpose == Purpose::OriginViaResolver { cd }
                    && q.question.rtype == rtype
                    && resolver_of(q) == primary
            })
        };
        // The resolver's view of the origin.
        let mut resolver = Vec::new();
        let mut cname_chain = Vec::new();
        let mut addresses = Vec::new();
        for q in c
            .queries
            .iter()
            .filter(|q| matches!(q.purpose, Purpose::OriginViaResolver { .. }))
        {
            if let (Some(r), false, true) = (response(q), q.flags.cd, resolver_of(q) == primary) {
                let qname = r.question.as_ref().map_or("", |(n, _)| n.as_str());
                for (owner, target) in wire::answer_chain(r, qname).0 {
                    let link = CnameLink {
                        owner: owner.to_string(),
                        target: target.to_string(),
                    };
                    if !cname_chain.contains(&link) {
                        cname_chain.push(link);
                    }
                }
                for a in addresses_in(r) {
                    if !addresses.contains(&a) {
                        addresses.push(a);
                    }
                }
            }
            let asked = Asked::Resolver {
                index: resolver_of(q),
                cd: q.flags.cd,
            };
            resolver.extend(QueryResult::new(q, asked));
        }

        // Name servers: names from the zone's NS set and the parent's, addresses, results.
        let mut servers: BTreeMap<String, ServerReport> = BTreeMap::new();
        let zone_ns: BTreeSet<String> = c.ns_set(c.apex.as_ref(), false);
        let mut parent_ns: BTreeSet<String> = BTreeSet::new();
        for q in &c.queries {
            if let (Purpose::Delegation { .. }, Some(r)) = (&q.purpose, response(q)) {
                // A referral lists the delegation in the authority section; a parent that is
                // also authoritative for the child answers it directly.
                for rr in r.authority.iter().chain(r.answers.iter()) {
                    if let (RrData::Ns(ns), Some(apex)) = (&rr.data, &c.apex)
                        && &rr.name == apex
                    {
                        parent_ns.insert(ns.clone());
                    }
                }
            }
        }
        if let Some((_, delegated)) = &c.delegation {
            // The apex was found by following a referral: its parent's delegation is known.
            parent_ns = delegated.iter().cloned().collect();
        }
        let entry = |servers: &mut BTreeMap<String, ServerReport>, ns: &str| {
            servers
                .entry(ns.to_string())
                .or_insert_with(|| ServerReport {
                    name: ns.to_string(),
                    addresses: Vec::new(),
                    in_zone: false,
                    in_parent: false,
                    results: Vec::new(),
                });
        };
        for ns in zone_ns.iter().chain(parent_ns.iter()) {
            entry(&mut servers, ns);
        }
        for ns in &zone_ns {
            if let Some(s) = servers.get_mut(ns) {
                s.in_zone = true;
            }
        }
        for ns in &parent_ns {
            if let Some(s) = servers.get_mut(ns) {
                s.in_parent = true;
            }
        }
        for q in &c.queries {
            match &q.purpose {
                Purpose::NsAddress { ns } => {
                    if let (Some(s), Some(r)) = (servers.get_mut(ns), response(q)) {
                        for a in addresses_in(r) {
                            if !s.addresses.contains(&a) {
                                s.addresses.push(a);
                            }
                        }
                    }
                }
                Purpose::AtServer { ns, addr } | Purpose::SoaAtServer { ns, addr } => {
                    if !zone_ns.contains(ns) && !parent_ns.contains(ns) {
                        // A server of a zone above the one found by referral.
                        continue;
                    }
                    let asked = Asked::Server {
                        address: *addr,
                        aa: response(q).is_some_and(|r| r.aa),
                    };
                    let Some(result) = QueryResult::new(q, asked) else {
                        continue;
                    };
                    entry(&mut servers, ns);
                    if let Some(s) = servers.get_mut(ns) {
                        s.results.push(result);
                    }
                }
                _ => {}
            }
        }
        let servers: Vec<ServerReport> = servers
            .into_values()
            .filter(|s| s.in_zone || s.in_parent)
            .collect();

        let mut findings = Vec::new();
        resolver_findings(c, &via, &addresses, &cname_chain, &mut findings);
        compare_resolvers(c, primary, &mut findings);
        if c.config.can_target_servers {
            server_findings(c, &servers, &zone_ns, &parent_ns, &mut findings);
        }
        let soa_answered = c
            .queries
            .iter()
            // A refusal or SERVFAIL is the resolver's answer, not the zone's: only NOERROR or
            // NXDOMAIN says that no zone serves the name.
            .any(|q| {
                q.purpose == Purpose::ApexSoa
                    && response(q).is_some_and(|r| matches!(r.rcode, 0 | 3))
            });
        if c.apex.is_none() && soa_answered {
            findings.push(DnsFinding {
                id: DnsFindingId::Nxdomain,
                severity: Severity::Error,
                scope: Scope::Origin,
                server: None,
                summary: format!("No zone apex found for {origin}: none of its names has an SOA record, so no DNS zone serves it."),
                evidence: Vec::new(),
            });
            findings.dedup_by_key(|f| f.id);
        }
        for (cap, left_out) in &c.capped {
            use super::check::{Cap, MAX_ADDRESSES_PER_SERVER, MAX_NAME_SERVERS};
            findings.push(DnsFinding {
                id: DnsFindingId::FanOutCapped,
                severity: Severity::Warning,
                scope: Scope::Origin,
                server: None,
                summary: match cap {
                    Cap::NameServers => format!("The zone names more than {MAX_NAME_SERVERS} name servers; {left_out} more were not asked (a bound of the check). A zone rarely needs more than 4–8."),
                    Cap::AddressesPerServer => format!("A name server has more than {MAX_ADDRESSES_PER_SERVER} addresses; {left_out} more were not asked (a bound of the check)."),
                },
                evidence: Vec::new(),
            });
        }
        if findings.iter().all(|f| f.severity == Severity::Info) {
            findings.insert(
                0,
                DnsFinding {
                    id: DnsFindingId::Ok,
                    severity: Severity::Info,
                    scope: Scope::Origin,
                    server: None,
                    summary: format!(
                        "{origin} resolves ({}){}.",
                        addresses
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", "),
                        if c.config.can_target_servers {
                            " and every name server answers it consistently"
                        } else {
                            ""
                        }
                    ),
                    evidence: Vec::new(),
                },
            );
        }
        findings.sort_by_key(|f| core::cmp::Reverse(f.severity));

        DnsReport {
            origin,
            apex: c.apex.clone(),
            parent: c.parent.clone(),
            cname_chain,
            addresses,
            direct: c.config.can_target_servers,
            servers,
            resolver,
            findings,
            queries: c.queries.iter().map(|q| usize::from(q.attempts)).sum(),
            depth: c.depth(),
            elapsed_ms: c.elapsed_ms(),
            cname_target: None,
        }
    }

    /// The last name of the CNAME chain when it lies outside the origin's zone: CloudFront
    /// resolves it through that other zone's servers, which deserve the same check. A transport
    /// that can ask servers runs a check of it and joins it with [`DnsReport::join_cname_target`].
    pub fn cname_target_outside_zone(&self) -> Option<String> {
        let target = self.cname_chain.last()?.target.clone();
        let apex = self.apex.as_deref()?;
        let inside = target == apex || target.ends_with(&format!(".{apex}"));
        (!inside && target != self.origin).then_some(target)
    }

    /// Joins the check of the CNAME target: its warnings and errors become findings of this
    /// report (named after the target), and the report keeps it whole for display.
    pub fn join_cname_target(&mut self, target: DnsReport) {
        let mut added = false;
        for f in target
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
        {
            added = true;
            self.findings.push(DnsFinding {
                id: f.id,
                severity: f.severity,
                scope: Scope::Origin,
                server: f.server.clone(),
                summary: format!("CNAME target {}: {}", target.origin, f.summary),
                evidence: f.evidence.clone(),
            });
        }
        if added {
            self.findings.retain(|f| f.id != DnsFindingId::Ok);
            self.findings
                .sort_by_key(|f| core::cmp::Reverse(f.severity));
        }
        self.queries += target.queries;
        self.cname_target = Some(alloc::boxed::Box::new(target));
    }

    /// The most severe finding.
    pub fn worst(&self) -> Severity {
        self.findings
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Info)
    }
}

fn resolver_findings<'a>(
    c: &'a Check,
    via: &dyn Fn(bool, RType) -> Option<&'a QueryState>,
    addresses: &[IpAddr],
    chain: &[CnameLink],
    out: &mut Vec<DnsFinding>,
) {
    use DnsFindingId as Id;
    let origin = &c.origin;
    let a = via(false, RType::A);
    let aaaa = via(false, RType::Aaaa);
    let a_cd = via(true, RType::A);
    let Some(a) = a else { return };
    let ev = |q: &QueryState| -> Vec<String> {
        let mut v = alloc::vec![format!(
            "resolver: {} {} → {}",
            q.question.name,
            q.question.rtype.as_str(),
            q.outcome.as_ref().map_or_else(
                || "no outcome".to_string(),
                |o| QueryOutcome::of(o).to_string()
            )
        )];
        if let Some(r) = response(q) {
            v.extend(
                r.ede
                    .iter()
                    .map(|e| format!("extended error {}", ede_text(e))),
            );
        }
        v
    };
    match &a.outcome {
        // Silence is a time-out; anything else (an HTML page, an HTTP error, a refused
        // connection) is the resolver failing, not the origin's DNS (audit 2026-12 D8).
        Some(Outcome::Failed(f @ Failure::Timeout)) => out.push(DnsFinding {
            id: Id::Timeout,
            severity: Severity::Error,
            scope: Scope::Check,
            server: Some("resolver".into()),
            summary: format!("The resolver gave no answer for {origin} ({f})."),
            evidence: ev(a),
        }),
        Some(Outcome::Failed(f)) => out.push(DnsFinding {
            id: Id::ResolverError,
            severity: Severity::Error,
            scope: Scope::Check,
            server: Some("resolver".into()),
            summary: format!(
                "The resolver failed ({f}), so {origin} could not be checked; use another resolver."
            ),
            evidence: ev(a),
        }),
        Some(Outcome::Answer(r)) => {
            match r.rcode {
                3 if !chain.is_empty() => {
                    let last = chain.last().map_or("?", |l| l.target.as_str());
                    out.push(DnsFinding {
                    id: Id::DanglingCname,
                    severity: Severity::Error,
                    scope: Scope::Origin,
                    server: None,
                    summary: format!("{origin} is an alias (CNAME) of {last}, which does not exist (NXDOMAIN)."),
                    evidence: chain.iter().map(|l| format!("CNAME {l}")).chain(ev(a)).collect(),
                });
                }
                3 => out.push(DnsFinding {
                    id: Id::Nxdomain,
                    severity: Severity::Error,
                    scope: Scope::Origin,
                    server: None,
                    summary: format!("{origin} does not exist (NXDOMAIN)."),
                    evidence: ev(a),
                }),
                2 => {
                    let validated_without_checks =
                        a_cd.and_then(response).is_some_and(|r| r.rcode == 0);
                    let dnssec_ede = r.ede.iter().any(Ede::is_dnssec_failure);
                    if validated_without_checks || dnssec_ede {
                        let mut evidence = ev(a);
                        if let Some(q) = a_cd {
                            evidence.push(format!(
                                "with DNSSEC checking disabled (+cd): {}",
                                q.outcome
                                    .as_ref()
                                    .map_or_else(String::new, |o| QueryOutcome::of(o).to_string())
                            ));
                        }
                        out.push(DnsFinding {
                        id: Id::DnssecBogus,
                        severity: Severity::Error,
                        scope: Scope::Origin,
                        server: r.ede.iter().find_map(|e| e.server).map(|s| s.to_string()),
                        summary: format!("DNSSEC validation of {origin} fails: validating resolvers (CloudFront's among them) answer SERVFAIL, while it resolves with checking disabled."),
                        evidence,
                    });
                    } else {
                        let failing = r.ede.iter().find_map(|e| e.server);
                        out.push(DnsFinding {
                        id: Id::Servfail,
                        severity: Severity::Error,
                        scope: Scope::Origin,
                        server: failing.map(|s| s.to_string()),
                        summary: format!("The resolver answers SERVFAIL for {origin}: its authoritative servers failed or could not be reached{}.", if c.config.can_target_servers { " (the name-server findings say which)" } else { "" }),
                        evidence: ev(a),
                    });
                    }
                }
                5 => out.push(DnsFinding {
                    id: Id::Refused,
                    severity: Severity::Error,
                    scope: Scope::Check,
                    server: Some("resolver".into()),
                    summary: format!(
                        "The resolver refused to answer for {origin}; use another resolver."
                    ),
                    evidence: ev(a),
                }),
                0 => {
                    let v6 = aaaa
                        .and_then(response)
                        .is_some_and(|r| !addresses_in(r).is_empty());
                    let v4 = !addresses_in(r).is_empty();
                    if !v4 && !v6 {
                        out.push(DnsFinding {
                            id: Id::Nodata,
                            severity: Severity::Error,
                            scope: Scope::Origin,
                            server: None,
                            summary: format!(
                                "{origin} exists but has no A or AAAA record (NODATA)."
                            ),
                            evidence: ev(a),
                        });
                        out.push(DnsFinding {
                        id: Id::NoAddress,
                        severity: Severity::Error,
                        scope: Scope::Origin,
                        server: None,
                        summary: format!("{origin} has no address at all: CloudFront has nothing to connect to."),
                        evidence: Vec::new(),
                    });
                    } else if !v4 {
                        out.push(DnsFinding {
                        id: Id::NoAddress,
                        severity: Severity::Warning,
                        scope: Scope::Origin,
                        server: None,
                        summary: format!("{origin} has only IPv6 addresses: CloudFront connects to origins over IPv4 unless the origin's IP address type is set to ipv6 or dualstack."),
                        evidence: aaaa.map(ev).unwrap_or_default(),
                    });
                    }
                    let private: Vec<String> = addresses
                        .iter()
                        .filter(|a| is_private(a))
                        .map(ToString::to_string)
                        .collect();
                    if !private.is_empty() {
                        out.push(DnsFinding {
                        id: Id::PrivateAddress,
                        severity: Severity::Error,
                        scope: Scope::Origin,
                        server: None,
                        summary: format!("{origin} resolves to addresses CloudFront cannot reach over the internet ({}): private, loopback or link-local. Use a public address, or a VPC origin for private resources.", private.join(", ")),
                        evidence: ev(a),
                    });
                    }
                }
                n => out.push(DnsFinding {
                    id: Id::Servfail,
                    severity: Severity::Error,
                    scope: Scope::Check,
                    server: Some("resolver".into()),
                    summary: format!(
                        "The resolver answered {} for {origin}.",
                        super::wire::rcode_name(n)
                    ),
                    evidence: ev(a),
                }),
            }
        }
        None => {}
    }
}

/// With several resolvers: each one's failures, and disagreement between those that answered.
fn compare_resolvers(c: &Check, primary: u8, out: &mut Vec<DnsFinding>) {
    use DnsFindingId as Id;
    if c.config.resolvers <= 1 {
        return;
    }
    let mut failed: BTreeMap<u8, String> = BTreeMap::new();
    for (r, f) in &c.resolver_failures {
        failed.entry(*r).or_insert_with(|| f.to_string());
    }
    let mut views: BTreeMap<(u16, Vec<String>), Vec<u8>> = BTreeMap::new();
    for q in c.queries.iter().filter(|q| {
        q.purpose == (Purpose::OriginViaResolver { cd: false }) && q.question.rtype == RType::A
    }) {
        let Target::Resolver(r) = q.target else {
            continue;
        };
        match &q.outcome {
            Some(Outcome::Failed(f)) => {
                failed.entry(r).or_insert_with(|| f.to_string());
            }
            Some(Outcome::Answer(resp)) => {
                let mut addrs: Vec<String> =
                    addresses_in(resp).iter().map(ToString::to_string).collect();
                addrs.sort();
                views.entry((resp.rcode, addrs)).or_default().push(r);
            }
            None => {}
        }
    }
    let label = |r: u8| format!("resolver {}", u16::from(r) + 1);
    for (r, why) in &failed {
        if *r == primary && views.is_empty() {
            continue; // already the resolver finding itself
        }
        out.push(DnsFinding {
            id: Id::ResolverError,
            severity: Severity::Warning,
            scope: Scope::Check,
            server: Some(label(*r)),
            summary: format!(
                "{} failed ({why}); the check went on with the others.",
                label(*r)
            ),
            evidence: Vec::new(),
        });
    }
    if views.len() > 1 {
        out.push(DnsFinding {
            id: Id::InconsistentAnswers,
            severity: Severity::Warning,
            scope: Scope::Origin,
            server: None,
            summary: format!("Resolvers disagree about {}: a stale cache, a DNSSEC difference, or name servers that answer differently.", c.origin),
            evidence: views
                .iter()
                .map(|((rcode, addrs), who)| {
                    format!(
                        "{} {} ← {}",
                        super::wire::rcode_name(*rcode),
                        addrs.join(" "),
                        who.iter().map(|r| label(*r)).collect::<Vec<_>>().join(", ")
                    )
                })
                .collect(),
        });
    }
}

fn server_label(ns: &str, addr: &IpAddr) -> String {
    format!("{ns} ({addr})")
}

fn server_findings(
    c: &Check,
    servers: &[ServerReport],
    zone_ns: &BTreeSet<String>,
    parent_ns: &BTreeSet<String>,
    out: &mut Vec<DnsFinding>,
) {
    use DnsFindingId as Id;
    let origin = &c.origin;
    let mut answer_sets: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut serials: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut responsive = 0;
    let mut total = 0;
    for s in servers.iter().filter(|s| s.in_zone || s.in_parent) {
        for addr in &s.addresses {
            let results: Vec<&QueryResult> = s
                .results
                .iter()
                .filter(|r| matches!(r.asked, Asked::Server { address, .. } if address == *addr))
                .collect();
            if results.is_empty() {
                continue;
            }
            total += 1;
            let label = server_label(&s.name, addr);
            let ev: Vec<String> = results
                .iter()
                .map(|r| {
                    format!(
                        "dig {} {} @{} +norec → {}{}{}",
                        if r.query == RType::Soa {
                            c.apex.as_deref().unwrap_or("?")
                        } else {
                            origin
                        },
                        r.query.as_str(),
                        addr,
                        r.outcome,
                        if r.aa() { " aa" } else { "" },
                        r.rtt_ms.map(|t| format!(" ({t} ms)")).unwrap_or_default()
                    )
                })
                .collect();
            let any = |outcome: QueryOutcome| results.iter().any(|r| r.outcome == outcome);
            if results.iter().all(|r| r.outcome.is_silence()) {
                out.push(DnsFinding {
                    id: Id::Timeout,
                    severity: Severity::Warning,
                    scope: Scope::Origin,
                    server: Some(label),
                    summary: format!("Name server {} at {addr} does not answer: resolvers that pick it wait, retry, and may give up.", s.name),
                    evidence: ev,
                });
                continue;
            }
            responsive += 1;
            if any(QueryOutcome::Refused) {
                out.push(DnsFinding {
                    id: Id::Refused,
                    severity: Severity::Warning,
                    scope: Scope::Origin,
                    server: Some(label.clone()),
                    summary: format!(
                        "Name server {} at {addr} refuses questions about the zone.",
                        s.name
                    ),
                    evidence: ev.clone(),
                });
            }
            if any(QueryOutcome::Servfail) {
                out.push(DnsFinding {
                    id: Id::Servfail,
                    severity: Severity::Warning,
                    scope: Scope::Origin,
                    server: Some(label.clone()),
                    summary: format!("Name server {} at {addr} answers SERVFAIL (often: it could not load the zone).", s.name),
                    evidence: ev.clone(),
                });
            }
            // Lame: listed for the zone, but answers without authority (no AA bit on a NOERROR
            // or NXDOMAIN, or REFUSED). SERVFAIL is reported on its own.
            let not_auth = results
                .iter()
                .any(|r| matches!(r.rcode, Some(0 | 3 | 5)) && !r.aa());
            if not_auth {
                out.push(DnsFinding {
                    id: Id::LameDelegation,
                    severity: Severity::Warning,
                    scope: Scope::Origin,
                    server: Some(label.clone()),
                    summary: format!("Lame delegation: {} at {addr} is listed as a name server of {} but does not answer authoritatively for it.", s.name, c.apex.as_deref().unwrap_or("the zone")),
                    evidence: ev.clone(),
                });
                continue;
            }
            let mut addr_answers: Vec<String> = results
                .iter()
                .filter(|r| r.query != RType::Soa)
                .flat_map(|r| {
                    if r.outcome == QueryOutcome::Nxdomain {
                        alloc::vec!["NXDOMAIN".to_string()]
                    } else {
                        r.records.iter().map(|rr| rr.data.to_string()).collect()
                    }
                })
                .collect();
            addr_answers.sort();
            addr_answers.dedup();
            answer_sets
                .entry(addr_answers)
                .or_default()
                .push(label.clone());
            if let Some(serial) = results.iter().find_map(|r| r.serial) {
                serials.entry(serial).or_default().push(label);
            }
        }
    }
    if answer_sets.len() > 1 {
        out.push(DnsFinding {
            id: Id::InconsistentAnswers,
            severity: Severity::Warning,
            scope: Scope::Origin,
            server: None,
            summary: format!("The name servers give different answers for {origin}: which one CloudFront gets depends on the server its resolver asks."),
            evidence: answer_sets.iter().map(|(a, who)| format!("{} ← {}", if a.is_empty() { "(no address)".to_string() } else { a.join(" ") }, who.join(", "))).collect(),
        });
    }
    if serials.len() > 1 {
        out.push(DnsFinding {
            id: Id::SoaSerialMismatch,
            severity: Severity::Warning,
            scope: Scope::Origin,
            server: None,
            summary: format!("The name servers serve different versions of {} (SOA serials differ): zone transfers are not reaching every server.", c.apex.as_deref().unwrap_or("the zone")),
            evidence: serials.iter().map(|(s, who)| format!("serial {s} ← {}", who.join(", "))).collect(),
        });
    }
    if !parent_ns.is_empty() && !zone_ns.is_empty() && parent_ns != zone_ns {
        let only_parent: Vec<&String> = parent_ns.difference(zone_ns).collect();
        let only_zone: Vec<&String> = zone_ns.difference(parent_ns).collect();
        let mut evidence = Vec::new();
        if !only_parent.is_empty() {
            evidence.push(format!(
                "only in the delegation from {}: {}",
                c.parent.as_deref().unwrap_or("the parent"),
                only_parent
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !only_zone.is_empty() {
            evidence.push(format!(
                "only in the zone's own NS set: {}",
                only_zone
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push(DnsFinding {
            id: Id::NsSetMismatch,
            severity: Severity::Warning,
            scope: Scope::Origin,
            server: None,
            summary: format!(
                "The parent zone delegates {} to other name servers than the zone lists itself.",
                c.apex.as_deref().unwrap_or("the zone")
            ),
            evidence,
        });
    }
    if total > 0 && responsive == 0 {
        // Not one name server answered a direct question (the resolver's own time-out is a
        // `Check` finding already, so the scope picks the name servers' alone). When a resolver also gets SERVFAIL
        // for the origin, the servers are down for everyone, CloudFront included. When the
        // resolver resolves the name, they answer the world: the checker's own network drops
        // direct DNS (port 53 blocked on many corporate networks), which says nothing about
        // the origin.
        let resolver_servfail = c.queries.iter().any(|q| {
            q.purpose == (Purpose::OriginViaResolver { cd: false })
                && matches!(&q.outcome, Some(Outcome::Answer(r)) if r.rcode == 2)
        });
        for f in out
            .iter_mut()
            .filter(|f| f.id == Id::Timeout && f.scope == Scope::Origin)
        {
            if resolver_servfail {
                f.severity = Severity::Error;
            } else {
                f.scope = Scope::Check;
                f.summary = format!(
                    "{} (No name server answered a direct question while the resolver could ask them: this network likely blocks DNS to the internet, so the check could not ask them.)",
                    f.summary
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn report(
        origin: &str,
        apex: &str,
        chain: &[(&str, &str)],
        findings: Vec<DnsFinding>,
    ) -> DnsReport {
        DnsReport {
            origin: origin.into(),
            apex: Some(apex.into()),
            parent: None,
            cname_chain: chain
                .iter()
                .map(|(owner, target)| CnameLink {
                    owner: String::from(*owner),
                    target: String::from(*target),
                })
                .collect(),
            addresses: Vec::new(),
            direct: true,
            servers: Vec::new(),
            resolver: Vec::new(),
            findings,
            queries: 10,
            depth: 3,
            elapsed_ms: None,
            cname_target: None,
        }
    }

    fn finding(id: DnsFindingId, severity: Severity) -> DnsFinding {
        DnsFinding {
            id,
            severity,
            scope: Scope::Origin,
            server: Some("ns1.other.test. (192.0.2.1)".into()),
            summary: "it fails".into(),
            evidence: Vec::new(),
        }
    }

    /// Audit follow-up (issue 10): a CNAME into another zone gets that zone checked too.
    #[test]
    fn a_cname_target_in_another_zone_is_checked_and_joined() {
        let mut r = report(
            "www.example.test.",
            "example.test.",
            &[("www.example.test.", "lb.other.test.")],
            vec![finding(DnsFindingId::Ok, Severity::Info)],
        );
        assert_eq!(
            r.cname_target_outside_zone().as_deref(),
            Some("lb.other.test.")
        );
        let inside = report(
            "a.example.test.",
            "example.test.",
            &[("a.example.test.", "b.example.test.")],
            Vec::new(),
        );
        assert_eq!(inside.cname_target_outside_zone(), None);

        let target = report(
            "lb.other.test.",
            "other.test.",
            &[],
            vec![finding(DnsFindingId::LameDelegation, Severity::Warning)],
        );
        r.join_cname_target(target);
        assert_eq!(r.findings.len(), 1, "the origin is no longer simply ok");
        assert_eq!(r.findings[0].id, DnsFindingId::LameDelegation);
        assert!(
            r.findings[0]
                .summary
                .starts_with("CNAME target lb.other.test.:")
        );
        assert_eq!(r.queries, 20);
        assert!(r.cname_target.is_some());
    }
}
