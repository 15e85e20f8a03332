//! The DNS check as a sans-IO state machine, in the manner of quinn-proto: no sockets, no clock,
//! no randomness of its own. The caller passes the time in (`now`, milliseconds on any monotonic
//! clock), sends what [`Check::poll_transmit`] hands out, feeds back answers or failures, and
//! sleeps until [`Check::poll_timeout`]. The check decides time-outs, retries and the overall
//! deadline.
//!
//! The query graph (independent queries go out together; depth 3 with servers asked directly,
//! 2 over DoH):
//! 1. SOA and NS for the origin name and each of its parents, through the resolver (the longest
//!    name that has an SOA in the answer is the zone apex; the next is the parent zone), and the
//!    origin's A/AAAA through the resolver, with DNSSEC checking on and off.
//! 2. A/AAAA of every name server.
//! 3. Where the transport can reach a chosen server: the origin's A/AAAA and the apex SOA asked
//!    of every address of every name server (RD=0), and the apex NS asked of the parent's servers
//!    (the delegation).

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::IpAddr;

use super::wire::{self, Flags, Question, RType, Response, RrData, Verdict, WireError};

/// Where a query goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// One of the transport's RECURSIVE resolvers (an index into its list; 0 is the first).
    Resolver(u8),
    /// A specific server (an authoritative name server), port 53.
    Server(IpAddr),
}

/// What the transport can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Whether queries can be sent to a chosen server (native UDP/TCP: yes; DoH: no).
    pub can_target_servers: bool,
    /// Time-out for one attempt through the resolver, ms (resolvers take ~2 s to give up).
    pub resolver_timeout_ms: u64,
    /// Time-out for one attempt at an authoritative server, ms.
    pub server_timeout_ms: u64,
    /// Attempts after the first one.
    pub retries: u8,
    /// The whole check ends this long after it started, ms.
    pub deadline_ms: u64,
    /// How many resolvers the transport has (at least 1). The origin is asked of every one and
    /// their answers compared; the other questions go to the first that works.
    pub resolvers: u8,
    /// Ask only what the resolvers answer for the name itself (A, AAAA, A with CD): one round,
    /// no zone apex, no name servers. Enough to see a CNAME chain — is a viewer host an alias
    /// of `*.cloudfront.net`? — without the cost of the full check.
    pub resolver_view_only: bool,
}

/// How long a whole check may take by default, ms: the front ends' default too.
pub const DEFAULT_DEADLINE_MS: u64 = 15_000;

impl Default for Config {
    fn default() -> Self {
        Self {
            can_target_servers: true,
            resolver_timeout_ms: 4000,
            server_timeout_ms: 1500,
            retries: 1,
            deadline_ms: DEFAULT_DEADLINE_MS,
            resolvers: 1,
            resolver_view_only: false,
        }
    }
}

/// Why a query got no usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// No answer in time (decided by the check).
    Timeout,
    /// The transport could not send or receive (connection refused, unreachable…).
    Network(String),
    /// A DoH server answered with this HTTP status.
    Http(u16),
    /// The transport received something that is not a DNS answer (e.g. an HTML page).
    NotDns(String),
}

impl core::fmt::Display for Failure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Failure::Timeout => write!(f, "time-out"),
            Failure::Network(e) => write!(f, "network error: {e}"),
            Failure::Http(s) => write!(f, "HTTP status {s}"),
            Failure::NotDns(e) => write!(f, "not a DNS answer: {e}"),
        }
    }
}

/// Asking a resolver, with DNSSEC records (the questions that find the zone and its servers).
const RECURSIVE: Flags = Flags {
    rd: true,
    cd: false,
    dnssec_ok: true,
};
/// Asking a resolver for a name server's address: no DNSSEC records needed.
const PLAIN: Flags = Flags {
    rd: true,
    cd: false,
    dnssec_ok: false,
};
/// Asking an authoritative server directly.
const DIRECT: Flags = Flags {
    rd: false,
    cd: false,
    dnssec_ok: false,
};

/// One query to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// The check's handle for this attempt: pass it back with the answer.
    pub token: u32,
    /// DNS message ID.
    pub id: u16,
    /// The question.
    pub question: Question,
    /// Header flags.
    pub flags: Flags,
    /// Where to send it.
    pub target: Target,
    /// The encoded message.
    pub bytes: Vec<u8>,
}

/// Why the check sent a query; also how results are grouped in the report.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Purpose {
    /// SOA of a candidate apex (the origin name or a parent).
    ApexSoa,
    /// The origin's address through the resolver; `cd` = DNSSEC checking disabled.
    OriginViaResolver { cd: bool },
    /// NS set of the apex (`parent: false`) or of the parent zone.
    ZoneNs { parent: bool },
    /// NS set of a name that may turn out to be the apex or its parent, asked in the first
    /// round beside its SOA so the name servers are known one round earlier. Becomes `ZoneNs`
    /// when the apex is decided; otherwise it is not used.
    NsCandidate,
    /// A name server's address (of the zone, of its parent, or both).
    NsAddress { ns: String },
    /// The origin asked of one name server address.
    AtServer { ns: String, addr: IpAddr },
    /// The apex SOA asked of one name server address.
    SoaAtServer { ns: String, addr: IpAddr },
    /// The apex NS asked of one parent server address (the delegation).
    Delegation { ns: String, addr: IpAddr },
}

/// What became of one query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// An answer.
    Answer(Response),
    /// No usable answer.
    Failed(Failure),
}

#[derive(Debug)]
pub(crate) struct QueryState {
    pub purpose: Purpose,
    pub question: Question,
    pub flags: Flags,
    pub target: Target,
    pub id: u16,
    pub attempts: u8,
    pub sent_at: Option<u64>,
    pub first_sent_at: Option<u64>,
    pub deadline: Option<u64>,
    pub outcome: Option<Outcome>,
    pub rtt_ms: Option<u64>,
    /// Depth in the query graph (1 = first round).
    pub depth: u8,
}

/// Name servers whose addresses are asked for, at most (the root zone has 13). A zone owner
/// chooses its NS set and their addresses: the check must not send what they ask it to.
pub const MAX_NAME_SERVERS: usize = 13;
/// Addresses asked directly per name server, at most.
pub const MAX_ADDRESSES_PER_SERVER: usize = 4;
/// Queries in flight at once, at most (transports hold one thread or fetch per query).
pub const MAX_IN_FLIGHT: usize = 24;

/// A bound the check reached (each is reported as a finding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cap {
    /// More name servers than [`MAX_NAME_SERVERS`]: the rest were not asked.
    NameServers,
    /// A name server with more addresses than [`MAX_ADDRESSES_PER_SERVER`].
    AddressesPerServer,
}

/// The check.
#[derive(Debug)]
pub struct Check {
    pub(crate) origin: String,
    pub(crate) config: Config,
    rng: u64,
    start: Option<u64>,
    next_token: u32,
    pub(crate) queries: Vec<QueryState>,
    /// token → query index; tokens of superseded attempts are forgotten.
    tokens: BTreeMap<u32, usize>,
    queue: VecDeque<usize>,
    pub(crate) apex: Option<String>,
    pub(crate) parent: Option<String>,
    apex_decided: bool,
    pub(crate) finished_at: Option<u64>,
    deadline_hit: bool,
    /// Name servers whose addresses were already asked for.
    ns_seen: BTreeSet<String>,
    /// Addresses already queried, per zone.
    addr_seen: BTreeSet<(bool, IpAddr, String)>,
    /// Set when the apex's own servers referred the origin further down: the zone that really
    /// holds it, and the name servers the delegation names (what `dig +trace` would follow).
    pub(crate) delegation: Option<(String, Vec<String>)>,
    /// Failures of resolvers on planning questions that then went to the next resolver.
    pub(crate) resolver_failures: Vec<(u8, Failure)>,
    /// Addresses queried per name server.
    ns_addresses: BTreeMap<String, BTreeSet<IpAddr>>,
    /// The bounds reached, with how many distinct things were left out.
    pub(crate) capped: BTreeMap<Cap, usize>,
    /// What was left out, each once: `advance` walks every answer again on each call, so a
    /// counter would count the same name server or address again and again (audit Dn6).
    left_out: BTreeSet<(Cap, String)>,
}

impl Check {
    /// A check of `origin` (a domain name). `seed` feeds the message IDs: pass something random
    /// (IDs are a defence against spoofed answers).
    pub fn new(origin: &str, config: Config, seed: u64) -> Result<Self, WireError> {
        let origin = wire::normalise_name(origin)?;
        let mut c = Self {
            origin,
            config,
            rng: seed | 1,
            start: None,
            next_token: 1,
            queries: Vec::new(),
            tokens: BTreeMap::new(),
            queue: VecDeque::new(),
            apex: None,
            parent: None,
            apex_decided: false,
            finished_at: None,
            deadline_hit: false,
            ns_seen: BTreeSet::new(),
            addr_seen: BTreeSet::new(),
            delegation: None,
            resolver_failures: Vec::new(),
            ns_addresses: BTreeMap::new(),
            capped: BTreeMap::new(),
            left_out: BTreeSet::new(),
        };
        // Without a zone apex to find, nothing is planned after the first round.
        c.apex_decided = c.config.resolver_view_only;
        c.plan_first_round();
        Ok(c)
    }

    /// The origin name, normalised.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    fn next_id(&mut self) -> u16 {
        // xorshift64*: IDs only need to be unpredictable to an off-path attacker given a random
        // seed, and distinct from each other in flight.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 48) as u16
    }

    fn add(
        &mut self,
        purpose: Purpose,
        name: &str,
        rtype: RType,
        flags: Flags,
        target: Target,
        depth: u8,
    ) {
        let question = Question {
            name: name.to_string(),
            rtype,
        };
        if self
            .queries
            .iter()
            .any(|q| q.question == question && q.flags == flags && q.target == target)
        {
            return;
        }
        self.queries.push(QueryState {
            purpose,
            question,
            flags,
            target,
            id: 0,
            attempts: 0,
            sent_at: None,
            first_sent_at: None,
            deadline: None,
            outcome: None,
            rtt_ms: None,
            depth,
        });
        self.queue.push_back(self.queries.len() - 1);
    }

    fn plan_first_round(&mut self) {
        // The origin and each parent, longest first; not the root. Their NS sets in the same
        // round: one of them is the apex's, and waiting for the SOA walk first costs a round.
        let mut name = self.origin.clone();
        while !self.config.resolver_view_only {
            for (purpose, rtype) in [
                (Purpose::ApexSoa, RType::Soa),
                (Purpose::NsCandidate, RType::Ns),
            ] {
                self.add(
                    purpose,
                    &name.clone(),
                    rtype,
                    RECURSIVE,
                    Target::Resolver(0),
                    1,
                );
            }
            match name.split_once('.') {
                Some((_, rest)) if !rest.is_empty() && rest.contains('.') => {
                    name = rest.to_string();
                }
                _ => break,
            }
        }
        let origin = self.origin.clone();
        let cd = Flags {
            cd: true,
            ..RECURSIVE
        };
        for r in 0..self.config.resolvers.max(1) {
            let target = Target::Resolver(r);
            for rtype in [RType::A, RType::Aaaa] {
                self.add(
                    Purpose::OriginViaResolver { cd: false },
                    &origin,
                    rtype,
                    RECURSIVE,
                    target,
                    1,
                );
            }
            self.add(
                Purpose::OriginViaResolver { cd: true },
                &origin,
                RType::A,
                cd,
                target,
                1,
            );
        }
    }

    /// A planning question whose resolver failed goes to the next resolver, if there is one;
    /// the failure is kept for the report. Returns whether it was re-queued.
    fn fail_over(&mut self, i: usize, failure: &Failure) -> bool {
        let q = &self.queries[i];
        let Target::Resolver(r) = q.target else {
            return false;
        };
        if matches!(q.purpose, Purpose::OriginViaResolver { .. }) || r + 1 >= self.config.resolvers
        {
            return false;
        }
        self.resolver_failures.push((r, failure.clone()));
        let q = &mut self.queries[i];
        q.target = Target::Resolver(r + 1);
        q.attempts = 0;
        q.deadline = None;
        q.outcome = None;
        self.queue.push_back(i);
        true
    }

    /// How long one attempt at `target` may take before the check times it out, ms. A transport
    /// may bound its own wait a little above this (see [`super::doh::TRANSPORT_GRACE_MS`]).
    pub fn attempt_timeout_ms(&self, target: Target) -> u64 {
        match target {
            Target::Resolver(_) => self.config.resolver_timeout_ms,
            Target::Server(_) => self.config.server_timeout_ms,
        }
    }

    /// The next query to send, if any. Call until `None` after every event.
    pub fn poll_transmit(&mut self, now: u64) -> Option<Transmit> {
        self.start.get_or_insert(now);
        if self.finished_at.is_some() {
            return None;
        }
        // Bounded fan-out: the next query waits until one in flight is answered or times out.
        // (An expired attempt keeps its token, so a late answer still counts, but not its slot.)
        let in_flight = self
            .tokens
            .values()
            .filter(|&&i| {
                let q = &self.queries[i];
                q.outcome.is_none() && q.deadline.is_some_and(|d| now < d)
            })
            .count();
        if in_flight >= MAX_IN_FLIGHT {
            return None;
        }
        let i = self.queue.pop_front()?;
        let id = self.next_id();
        let token = self.next_token;
        self.next_token += 1;
        let timeout = self.attempt_timeout_ms(self.queries[i].target);
        let q = &mut self.queries[i];
        q.id = id;
        q.attempts += 1;
        q.sent_at = Some(now);
        q.first_sent_at.get_or_insert(now);
        q.deadline = Some(now + timeout);
        self.tokens.retain(|_, idx| *idx != i);
        self.tokens.insert(token, i);
        let bytes = match wire::encode_query(id, &q.question, q.flags) {
            Ok(b) => b,
            Err(e) => {
                // Names were validated on the way in; an encoding failure is recorded, not sent.
                q.outcome = Some(Outcome::Failed(Failure::NotDns(e.to_string())));
                self.tokens.remove(&token);
                self.advance(now);
                return self.poll_transmit(now);
            }
        };
        Some(Transmit {
            token,
            id,
            question: q.question.clone(),
            flags: q.flags,
            target: q.target,
            bytes,
        })
    }

    /// When the check next needs to be woken even if nothing arrives (ms), if ever.
    pub fn poll_timeout(&self) -> Option<u64> {
        if self.finished_at.is_some() {
            return None;
        }
        let overall = self.start.map(|s| s + self.config.deadline_ms);
        // Attempts waiting in the queue (a retry behind the in-flight bound) have an expired
        // deadline that says nothing: they go out when a slot frees.
        self.queries
            .iter()
            .enumerate()
            .filter(|(i, q)| q.outcome.is_none() && !self.queue.contains(i))
            .filter_map(|(_, q)| q.deadline)
            .chain(overall)
            .min()
    }

    /// Tells the check the time: expired attempts are retried or given up.
    pub fn handle_timeout(&mut self, now: u64) {
        if self.finished_at.is_some() {
            return;
        }
        if self
            .start
            .is_some_and(|s| now >= s + self.config.deadline_ms)
        {
            self.deadline_hit = true;
            for q in self.queries.iter_mut().filter(|q| q.outcome.is_none()) {
                q.outcome = Some(Outcome::Failed(Failure::Timeout));
            }
            self.queue.clear();
            self.tokens.clear();
            self.finished_at = Some(now);
            return;
        }
        let mut changed = false;
        for i in 0..self.queries.len() {
            let q = &self.queries[i];
            if q.outcome.is_some() || q.deadline.is_none_or(|d| now < d) || self.queue.contains(&i)
            {
                continue;
            }
            if q.attempts <= self.config.retries {
                self.queue.push_back(i);
            } else {
                self.tokens.retain(|_, idx| *idx != i);
                if !self.fail_over(i, &Failure::Timeout) {
                    self.queries[i].outcome = Some(Outcome::Failed(Failure::Timeout));
                    changed = true;
                }
            }
        }
        if changed {
            self.advance(now);
        }
    }

    /// Bytes arrived for `token`. Returns how the transport should treat them: on
    /// [`Verdict::Reject`] it keeps waiting (a spoofed or stray datagram), on
    /// [`Verdict::Truncated`] it asks again over TCP and passes that answer with the same token.
    pub fn handle_answer(&mut self, token: u32, bytes: &[u8], now: u64) -> Verdict {
        let Some(&i) = self.tokens.get(&token) else {
            return Verdict::Reject(WireError::Mismatch("token (late or unknown)"));
        };
        let verdict = wire::check_response(self.queries[i].id, &self.queries[i].question, bytes);
        if let Verdict::Accept(r) = &verdict {
            let q = &mut self.queries[i];
            q.rtt_ms = q.sent_at.map(|s| now.saturating_sub(s));
            q.outcome = Some(Outcome::Answer(r.clone()));
            self.tokens.remove(&token);
            self.advance(now);
        }
        verdict
    }

    /// The transport failed for `token` (network error, HTTP error, not DNS, or its own time-out:
    /// a transport gives up a little after the check's attempt time-out, so the check has usually
    /// timed the attempt out already and this is a no-op).
    pub fn handle_failure(&mut self, token: u32, failure: Failure, now: u64) {
        let Some(i) = self.tokens.remove(&token) else {
            return;
        };
        if self.fail_over(i, &failure) {
            return;
        }
        let q = &mut self.queries[i];
        q.rtt_ms = q.sent_at.map(|s| now.saturating_sub(s));
        q.outcome = Some(Outcome::Failed(failure));
        self.advance(now);
    }

    /// Whether every query has an outcome.
    pub fn is_done(&self) -> bool {
        self.finished_at.is_some()
    }

    /// Whether the overall deadline cut the check short.
    pub fn hit_deadline(&self) -> bool {
        self.deadline_hit
    }

    fn answer(&self, p: impl Fn(&QueryState) -> bool) -> impl Iterator<Item = &QueryState> {
        self.queries.iter().filter(move |q| p(q))
    }

    /// Notes that a bound left `what` out (counted once however often it is seen again).
    fn leave_out(&mut self, cap: Cap, what: String) {
        if self.left_out.insert((cap, what)) {
            *self.capped.entry(cap).or_default() += 1;
        }
    }

    /// A name server's addresses, asked once per name whatever named it.
    fn plan_ns_address(&mut self, ns: &str, depth: u8) {
        if !self.ns_seen.contains(ns) && self.ns_seen.len() >= MAX_NAME_SERVERS {
            self.leave_out(Cap::NameServers, ns.to_string());
            return;
        }
        if self.ns_seen.insert(ns.to_string()) {
            for rtype in [RType::A, RType::Aaaa] {
                self.add(
                    Purpose::NsAddress { ns: ns.to_string() },
                    ns,
                    rtype,
                    PLAIN,
                    Target::Resolver(0),
                    depth,
                );
            }
        }
    }

    /// Plans what the answers so far make possible; finishes when nothing is left.
    fn advance(&mut self, now: u64) {
        if !self.apex_decided {
            let soa: Vec<&QueryState> = self.answer(|q| q.purpose == Purpose::ApexSoa).collect();
            if soa.iter().all(|q| q.outcome.is_some()) {
                let mut zones: Vec<String> = soa
                    .iter()
                    .filter_map(|q| match &q.outcome {
                        Some(Outcome::Answer(r))
                            if r.rcode == 0
                                && r.answers.iter().any(|rr| {
                                    rr.name == q.question.name
                                        && matches!(rr.data, RrData::Soa { .. })
                                }) =>
                        {
                            Some(q.question.name.clone())
                        }
                        _ => None,
                    })
                    .collect();
                zones.sort_by_key(|z| core::cmp::Reverse(z.len()));
                self.apex = zones.first().cloned();
                self.parent = zones.get(1).cloned();
                self.apex_decided = true;
                // The candidates' NS queries already asked for the apex and parent: they
                // become the zone's (and parent's) NS queries; the `add`s below then find them.
                let zones = [(self.apex.clone(), false), (self.parent.clone(), true)];
                for q in &mut self.queries {
                    if q.purpose != Purpose::NsCandidate {
                        continue;
                    }
                    for (zone, parent) in &zones {
                        if zone.as_deref() == Some(q.question.name.as_str())
                            && (!parent || self.config.can_target_servers)
                        {
                            q.purpose = Purpose::ZoneNs { parent: *parent };
                        }
                    }
                }
                if let Some(apex) = self.apex.clone() {
                    self.add(
                        Purpose::ZoneNs { parent: false },
                        &apex,
                        RType::Ns,
                        RECURSIVE,
                        Target::Resolver(0),
                        2,
                    );
                }
                if self.config.can_target_servers
                    && let Some(parent) = self.parent.clone()
                {
                    self.add(
                        Purpose::ZoneNs { parent: true },
                        &parent,
                        RType::Ns,
                        RECURSIVE,
                        Target::Resolver(0),
                        2,
                    );
                }
            }
        }
        // A referral from the apex's servers: the origin sits in a zone delegated further down
        // whose own servers the resolver could not reach (so its SOA was not found). Follow it.
        if let Some((zone, servers, depth)) = self.referral_below_apex() {
            self.parent = self.apex.replace(zone.clone());
            self.delegation = Some((zone.clone(), servers.clone()));
            self.add(
                Purpose::ZoneNs { parent: false },
                &zone,
                RType::Ns,
                RECURSIVE,
                Target::Resolver(0),
                depth + 1,
            );
            for ns in &servers {
                self.plan_ns_address(ns, depth + 1);
            }
        }
        // Name servers (of the zone and of its parent) → their addresses.
        let mut new_ns = Vec::new();
        for q in self.queries.iter() {
            if let (Purpose::ZoneNs { .. }, Some(Outcome::Answer(r))) = (&q.purpose, &q.outcome) {
                for rr in &r.answers {
                    if let RrData::Ns(ns) = &rr.data
                        && rr.name == q.question.name
                    {
                        new_ns.push((ns.clone(), q.depth));
                    }
                }
            }
        }
        for (ns, depth) in &new_ns {
            self.plan_ns_address(ns, depth + 1);
        }
        // Addresses → direct questions: the origin and the apex SOA at the zone's servers, the
        // delegation at the parent's.
        if self.config.can_target_servers {
            let mut new_addr = Vec::new();
            for q in self.queries.iter() {
                if let (Purpose::NsAddress { ns }, Some(Outcome::Answer(r))) =
                    (&q.purpose, &q.outcome)
                {
                    for rr in &r.answers {
                        let addr = match rr.data {
                            RrData::A(a) => IpAddr::V4(a),
                            RrData::Aaaa(a) => IpAddr::V6(a),
                            _ => continue,
                        };
                        new_addr.push((ns.clone(), addr, q.depth));
                    }
                }
            }
            let zone_servers = self.current_zone_servers();
            let parent_servers = self.parent_zone_servers();
            let apex_now = self.apex.clone().unwrap_or_default();
            let origin = self.origin.clone();
            for (ns, addr, depth) in new_addr {
                let known = self.ns_addresses.entry(ns.clone()).or_default();
                if !known.contains(&addr) {
                    if known.len() >= MAX_ADDRESSES_PER_SERVER {
                        self.leave_out(Cap::AddressesPerServer, alloc::format!("{ns} {addr}"));
                        continue;
                    }
                    known.insert(addr);
                }
                let target = Target::Server(addr);
                if zone_servers.contains(&ns)
                    && self.addr_seen.insert((false, addr, apex_now.clone()))
                {
                    for rtype in [RType::A, RType::Aaaa] {
                        self.add(
                            Purpose::AtServer {
                                ns: ns.clone(),
                                addr,
                            },
                            &origin,
                            rtype,
                            DIRECT,
                            target,
                            depth + 1,
                        );
                    }
                    self.add(
                        Purpose::SoaAtServer {
                            ns: ns.clone(),
                            addr,
                        },
                        &apex_now,
                        RType::Soa,
                        DIRECT,
                        target,
                        depth + 1,
                    );
                }
                if parent_servers.contains(&ns)
                    && self.addr_seen.insert((true, addr, apex_now.clone()))
                {
                    self.add(
                        Purpose::Delegation { ns, addr },
                        &apex_now,
                        RType::Ns,
                        DIRECT,
                        target,
                        depth + 1,
                    );
                }
            }
        }
        if self.queue.is_empty() && self.queries.iter().all(|q| q.outcome.is_some()) {
            self.finished_at = Some(now);
        }
    }

    /// The NS set the resolver gave for `zone` (as asked for the apex, or for the parent).
    pub(crate) fn ns_set(&self, zone: Option<&String>, parent: bool) -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        for q in &self.queries {
            if let (Purpose::ZoneNs { parent: p }, Some(Outcome::Answer(r))) =
                (&q.purpose, &q.outcome)
                && *p == parent
                && Some(&q.question.name) == zone
            {
                for rr in &r.answers {
                    if let RrData::Ns(ns) = &rr.data {
                        set.insert(ns.clone());
                    }
                }
            }
        }
        set
    }

    /// Name servers of the current apex: its own NS set and, after a referral, the delegation.
    fn current_zone_servers(&self) -> BTreeSet<String> {
        let mut set = self.ns_set(self.apex.as_ref(), false);
        if let Some((_, servers)) = &self.delegation {
            set.extend(servers.iter().cloned());
        }
        set
    }

    /// Name servers of the current parent zone.
    fn parent_zone_servers(&self) -> BTreeSet<String> {
        self.ns_set(self.parent.as_ref(), true)
    }

    /// The deepest referral, from a server of the current apex, to a zone between the apex and
    /// the origin: `(zone, name servers, depth of the query that got it)`.
    fn referral_below_apex(&self) -> Option<(String, Vec<String>, u8)> {
        let apex = self.apex.as_ref()?;
        let mut best: Option<(String, Vec<String>, u8)> = None;
        for q in &self.queries {
            let (Purpose::AtServer { .. }, Some(Outcome::Answer(r))) = (&q.purpose, &q.outcome)
            else {
                continue;
            };
            if r.rcode != 0 || r.aa || !r.answers.is_empty() {
                continue;
            }
            for rr in &r.authority {
                let RrData::Ns(ns) = &rr.data else { continue };
                let zone = &rr.name;
                let below_apex = zone != apex && zone.ends_with(&alloc::format!(".{apex}"));
                let holds_origin =
                    &self.origin == zone || self.origin.ends_with(&alloc::format!(".{zone}"));
                if !(below_apex && holds_origin) {
                    continue;
                }
                match &mut best {
                    Some((z, servers, _)) if z == zone => {
                        if !servers.contains(ns) {
                            servers.push(ns.clone());
                        }
                    }
                    Some((z, _, _)) if z.len() >= zone.len() => {}
                    _ => best = Some((zone.clone(), alloc::vec![ns.clone()], q.depth)),
                }
            }
        }
        best
    }

    /// Milliseconds from the first query to the last outcome.
    pub fn elapsed_ms(&self) -> Option<u64> {
        Some(self.finished_at?.saturating_sub(self.start?))
    }

    /// Depth of the query graph that ran (rounds of dependent queries).
    pub fn depth(&self) -> u8 {
        self.queries.iter().map(|q| q.depth).max().unwrap_or(0)
    }
}
