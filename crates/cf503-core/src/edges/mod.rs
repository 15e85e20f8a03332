//! One edge location, one Region, or all of them? (issue 20)
//!
//! One response cannot tell an edge location out of capacity, or a Lambda@Edge function
//! throttled in one Region, from a failing origin: *where* it fails does. CloudFront sends a
//! viewer to an edge by its resolver's location and honours EDNS Client Subnet (source
//! `EDGE-ECS`), so asking the distribution's name with client subnets spread over continents
//! gives the edges viewers there reach; a request pinned to each edge address (the URL's Host
//! and SNI, as `curl --resolve` sends it) says how each answers; reverse DNS of an edge address
//! and `X-Amz-Cf-Pop` name its edge location, and the POP table its Region.
//!
//! Sans-IO like [`crate::dns::Check`]: [`Edges`] plans the DNS questions (phase 1: the name
//! per client subnet; phase 2: the edges' reverse names) and the pinned requests (phase 3), the
//! transport moves bytes and hands back what came (or why nothing did), and [`Edges::report`]
//! judges. Bounds: at most [`MAX_EDGES`] edge addresses, [`REQUESTS_PER_EDGE`] GET requests each.

mod judge;
mod seen;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

pub use judge::{Attempt, Basis, EdgeRow, EdgesReport, EdgesVerdict, PopLine};
pub use seen::{
    MAX_SIGHTINGS, MAX_SITES, SEEN_WINDOW_MS, SeenRecords, Sighting, judge_seen, remember,
    remember_for_site, sighting, site_of,
};

use crate::dns::wire::{
    self, ClientSubnet, Flags, Question, RType, RrData, Verdict as WireVerdict,
};
use crate::observation::Observation;

/// The DNS-over-HTTPS resolver the web page asks by default: Google Public DNS, which passes
/// client subnets on to authoritative servers (source `EDGE-ECS`; Cloudflare's does not). Its
/// RFC 8484 endpoint honouring a client's own subnet option is an inference: when it does not,
/// every place gets the same edges and the report says so.
pub const DEFAULT_DOH_RESOLVER: &str = "https://dns.google/dns-query";

/// One DNS-over-HTTPS question's time-out.
pub const DOH_TIMEOUT_MS: u64 = 3_000;

/// A question as a DNS-over-HTTPS GET (RFC 8484, `?dns=`: no CORS preflight in a browser) to
/// `resolver`; its token is the query's index.
pub fn doh_request(query: &DnsQuery, resolver: &str) -> crate::dns::HttpRequest {
    crate::dns::HttpRequest {
        token: u32::try_from(query.index).unwrap_or(u32::MAX),
        method: crate::dns::Method::Get,
        url: crate::dns::doh::doh_get_url_for(resolver, &query.bytes),
        body: Vec::new(),
        timeout_ms: DOH_TIMEOUT_MS,
    }
}

/// A DNS-over-HTTPS reply as the answer's bytes, or why it is none (the resolver's side, said
/// as such: an HTTP error, a web page, a time-out).
pub fn doh_answer(
    reply: Result<crate::dns::HttpReply, crate::dns::Failure>,
) -> Result<Vec<u8>, String> {
    match reply {
        Ok(r)
            if r.status == 200
                && r.content_type
                    .to_ascii_lowercase()
                    .starts_with("application/dns-message") =>
        {
            Ok(r.body)
        }
        Ok(r) => Err(format!(
            "the resolver answered HTTP {} ({}), not a DNS message",
            r.status,
            if r.content_type.is_empty() {
                "no content type"
            } else {
                r.content_type.as_str()
            }
        )),
        Err(f) => Err(format!("the resolver: {f}")),
    }
}

/// A `--subnet` value: `LABEL=ADDR/PREFIX`, or `ADDR/PREFIX` (its own label).
pub fn subnet_arg(s: &str) -> (String, String) {
    match s.split_once('=') {
        Some((label, cidr)) => (label.trim().to_string(), cidr.trim().to_string()),
        None => (s.trim().to_string(), s.trim().to_string()),
    }
}

/// The version of the `cf503.edges_report` JSON.
pub const EDGES_SCHEMA_VERSION: u32 = 1;

/// At most this many edge addresses are asked (the first of each subnet's answer first).
pub const MAX_EDGES: usize = 16;
/// Requests per edge: the second says whether an error persists (and whether it was cached).
pub const REQUESTS_PER_EDGE: usize = 2;

/// Client subnets spread over the continents CloudFront serves, sent as EDNS Client Subnet when
/// the user names none: address blocks of large access networks in each place (source
/// `EDGE-ECS`; which edge each reaches is CloudFront's choice, shown in the report).
pub const DEFAULT_SUBNETS: &[(&str, &str)] = &[
    ("North America (US East)", "73.0.0.0/24"),
    ("North America (US West)", "24.4.0.0/24"),
    ("Europe (Germany)", "80.128.0.0/24"),
    ("Europe (United Kingdom)", "81.128.0.0/24"),
    ("Asia (Japan)", "153.128.0.0/24"),
    ("Asia (India)", "49.32.0.0/24"),
    ("Oceania (Australia)", "1.128.0.0/24"),
    ("South America (Brazil)", "177.0.0.0/24"),
];

/// Why an edges check cannot start.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EdgesError {
    /// Not an http(s) URL with a host.
    BadUrl(String),
    /// A client subnet that is not `ADDR/PREFIX`.
    BadSubnet(String),
    /// The URL's host is an address: there is no name to ask.
    AddressHost(String),
}

impl fmt::Display for EdgesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EdgesError::BadUrl(u) => write!(
                f,
                "{u:?}: give the failing page's http:// or https:// URL, e.g. https://www.example.com/"
            ),
            EdgesError::BadSubnet(s) => write!(
                f,
                "--subnet {s:?}: give an address block such as 198.51.100.0/24"
            ),
            EdgesError::AddressHost(h) => write!(
                f,
                "{h} is an address: edges are found by the distribution's name; give the URL with its host name"
            ),
        }
    }
}

impl core::error::Error for EdgesError {}

/// A DNS question to send: to the resolver (phase 1, one per subnet) or for an edge's reverse
/// name (phase 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsQuery {
    /// Which subnet (phase 1) or edge (phase 2) it is for.
    pub index: usize,
    /// The question.
    pub question: Question,
    /// The message ID.
    pub id: u16,
    /// The message.
    pub bytes: Vec<u8>,
}

/// A request to pin to one edge address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedRequest {
    /// Which edge.
    pub edge: usize,
    /// Its address: connect there, with the URL's Host and SNI.
    pub address: IpAddr,
    /// `GET`.
    pub method: &'static str,
    /// The URL.
    pub url: String,
}

/// What one subnet's question found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubnetAnswer {
    /// Where (`Europe (Germany)`, or the subnet itself when the user gave it).
    pub label: String,
    /// The subnet sent.
    pub subnet: ClientSubnet,
    /// The edge addresses answered, or why none came (the resolver's side: never evidence).
    pub outcome: Result<Vec<IpAddr>, String>,
    /// The last CNAME target the name led to, when it is an alias (a viewer host that aliases
    /// a `*.cloudfront.net` name).
    pub cname: Option<String>,
}

/// One edge address and what it answered.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Edge {
    address: IpAddr,
    subnets: Vec<usize>,
    ptr: Option<String>,
    attempts: Vec<(Option<Observation>, Option<String>)>,
}

/// The edges check of one URL.
#[derive(Clone, Debug, PartialEq)]
pub struct Edges {
    url: String,
    host: String,
    name: String,
    subnets: Vec<SubnetAnswer>,
    edges: Vec<Edge>,
    seed: u64,
}

/// The host of an http(s) URL.
fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    Some(host).filter(|h| !h.is_empty())
}

impl Edges {
    /// A check of `url`: its host is asked per client subnet (`subnets`: `(label, ADDR/PREFIX)`;
    /// empty: [`DEFAULT_SUBNETS`]).
    pub fn new(url: &str, subnets: &[(String, String)], seed: u64) -> Result<Self, EdgesError> {
        let url = url.trim();
        let host = url_host(url).ok_or_else(|| EdgesError::BadUrl(url.to_string()))?;
        if host.parse::<IpAddr>().is_ok() || host.starts_with('[') {
            return Err(EdgesError::AddressHost(host.to_string()));
        }
        let name = wire::normalise_name(host).map_err(|_| EdgesError::BadUrl(url.to_string()))?;
        let given: Vec<(String, String)> = if subnets.is_empty() {
            DEFAULT_SUBNETS
                .iter()
                .map(|(l, s)| ((*l).to_string(), (*s).to_string()))
                .collect()
        } else {
            subnets.to_vec()
        };
        let subnets = given
            .into_iter()
            .map(|(label, s)| {
                let subnet = ClientSubnet::parse(&s).ok_or(EdgesError::BadSubnet(s))?;
                Ok(SubnetAnswer {
                    label,
                    subnet,
                    outcome: Err("not asked yet".into()),
                    cname: None,
                })
            })
            .collect::<Result<Vec<_>, EdgesError>>()?;
        Ok(Edges {
            url: url.to_string(),
            host: host.to_ascii_lowercase(),
            name,
            subnets,
            edges: Vec::new(),
            seed: seed | 1,
        })
    }

    fn id(&self, phase: u64, index: usize) -> u16 {
        // Distinct and unguessable enough off-path: mixed from the seed, never 0.
        let x = self
            .seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(phase << 32 | index as u64)
            .wrapping_mul(0xBF58_476D_1CE4_E5B9);
        #[allow(clippy::cast_possible_truncation)] // the high bits, on purpose
        let id = (x >> 48) as u16;
        id.max(1)
    }

    /// One question of a phase, with recursion desired (and a client subnet in phase 1).
    fn query(
        &self,
        phase: u64,
        index: usize,
        question: Question,
        subnet: Option<ClientSubnet>,
    ) -> Option<DnsQuery> {
        let id = self.id(phase, index);
        let flags = Flags {
            rd: true,
            ..Flags::default()
        };
        let bytes = wire::encode_query_for_subnet(id, &question, flags, subnet).ok()?;
        Some(DnsQuery {
            index,
            question,
            id,
            bytes,
        })
    }

    /// Phase 1: the URL's name, once per client subnet.
    pub fn subnet_queries(&self) -> Vec<DnsQuery> {
        self.subnets
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let question = Question {
                    name: self.name.clone(),
                    rtype: RType::A,
                };
                self.query(1, i, question, Some(s.subnet))
            })
            .collect()
    }

    /// What came for subnet `index`'s question: the answer's bytes, or why nothing came (time-
    /// out, refused: this side's failure, reported as such). Bytes that are not this query's
    /// answer are ignored.
    pub fn on_subnet_answer(&mut self, query: &DnsQuery, got: Result<&[u8], String>) {
        if query.index >= self.subnets.len() {
            return;
        }
        let outcome = match got {
            Err(why) => Err(why),
            Ok(bytes) => match wire::check_response(query.id, &query.question, bytes) {
                WireVerdict::Accept(r) => {
                    if r.rcode != 0 {
                        Err(format!("the resolver answered {}", r.rcode_name()))
                    } else {
                        let (links, addresses) = wire::answer_chain(&r, &query.question.name);
                        self.subnets[query.index].cname =
                            links.last().map(|(_, t)| (*t).to_string());
                        Ok(addresses
                            .iter()
                            .filter_map(|rr| match rr.data {
                                RrData::A(a) => Some(IpAddr::V4(a)),
                                RrData::Aaaa(a) => Some(IpAddr::V6(a)),
                                _ => None,
                            })
                            .collect())
                    }
                }
                other => Err(format!("not an answer to this query ({other:?})")),
            },
        };
        self.subnets[query.index].outcome = outcome;
        self.collect_edges();
    }

    /// The distinct edge addresses, in the order the subnets found them, at most [`MAX_EDGES`]:
    /// first the first address of every subnet, then the seconds, and so on, so each place is
    /// represented before any gets a second edge.
    fn collect_edges(&mut self) {
        let lists: Vec<Vec<IpAddr>> = self
            .subnets
            .iter()
            .map(|s| s.outcome.clone().unwrap_or_default())
            .collect();
        let mut edges: Vec<Edge> = Vec::new();
        let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
        for round in 0..longest {
            for (i, list) in lists.iter().enumerate() {
                let Some(addr) = list.get(round) else {
                    continue;
                };
                match edges.iter().position(|e| e.address == *addr) {
                    Some(k) if !edges[k].subnets.contains(&i) => edges[k].subnets.push(i),
                    Some(_) => {}
                    None if edges.len() < MAX_EDGES => edges.push(Edge {
                        address: *addr,
                        subnets: alloc::vec![i],
                        ptr: None,
                        attempts: Vec::new(),
                    }),
                    None => {}
                }
            }
        }
        // Addresses seen by more subnets than the round that added them.
        for (i, list) in lists.iter().enumerate() {
            for addr in list {
                if let Some(e) = edges.iter_mut().find(|e| e.address == *addr)
                    && !e.subnets.contains(&i)
                {
                    e.subnets.push(i);
                }
            }
        }
        self.edges = edges;
    }

    /// Phase 2: each edge address's reverse name (it names the edge location:
    /// `server-…​.fra56.r.cloudfront.net`).
    pub fn ptr_queries(&self) -> Vec<DnsQuery> {
        self.edges
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let question = Question {
                    name: wire::reverse_name(e.address),
                    rtype: RType::Ptr,
                };
                self.query(2, i, question, None)
            })
            .collect()
    }

    /// What came for an edge's reverse name.
    pub fn on_ptr_answer(&mut self, query: &DnsQuery, got: Result<&[u8], &str>) {
        let Ok(bytes) = got else { return };
        if let WireVerdict::Accept(r) = wire::check_response(query.id, &query.question, bytes)
            && let Some(e) = self.edges.get_mut(query.index)
        {
            e.ptr = r.answers.iter().find_map(|rr| match &rr.data {
                RrData::Ptr(n) if rr.name.eq_ignore_ascii_case(&query.question.name) => {
                    Some(n.clone())
                }
                _ => None,
            });
        }
    }

    /// Phase 3: [`REQUESTS_PER_EDGE`] GET requests to every edge, pinned to its address.
    pub fn requests(&self) -> Vec<PinnedRequest> {
        let mut out = Vec::new();
        for _ in 0..REQUESTS_PER_EDGE {
            for (i, e) in self.edges.iter().enumerate() {
                out.push(PinnedRequest {
                    edge: i,
                    address: e.address,
                    method: "GET",
                    url: self.url.clone(),
                });
            }
        }
        out
    }

    /// What one pinned request got: the response as an observation, or why none came (this
    /// side's network or the edge refusing the connection: shown, never weighed as a 5xx).
    pub fn on_response(&mut self, edge: usize, got: Result<Observation, String>) {
        if let Some(e) = self.edges.get_mut(edge)
            && e.attempts.len() < REQUESTS_PER_EDGE
        {
            e.attempts.push(match got {
                Ok(o) => (Some(o), None),
                Err(why) => (None, Some(why)),
            });
        }
    }

    /// The URL's host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The judgement: per edge, per POP and Region, and the verdict.
    pub fn report(&self) -> EdgesReport {
        judge::judge(&self.url, &self.name, &self.subnets, &self.edges, true)
    }

    /// What DNS alone says (the web page: a browser cannot pin requests): which edges, edge
    /// locations and Regions viewers in each place reach; no verdict.
    pub fn dns_report(&self) -> EdgesReport {
        judge::judge(&self.url, &self.name, &self.subnets, &self.edges, false)
    }
}
