//! The DNS check engine driven in memory, with a fake clock and a simulated resolver and name
//! servers (in the manner of quinn-proto's tests): planning, parallelism, time-outs, retries and
//! findings, without a socket. The same engine meets real servers in the CLI's DNS tests.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use cf503_core::dns::{Check, Config, DnsReport, RType, Target, Transmit, Verdict};
use hickory_proto::op::{Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::{A, NS, SOA};
use hickory_proto::rr::{Name, RData, Record, RecordType};

// Also compiled to wasm and run in Node and Chromium, where plain `#[test]` is skipped silently.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const RTT: u64 = 20;

/// hickory's record type for the check's.
fn record_type(t: RType) -> RecordType {
    match t {
        RType::A => RecordType::A,
        RType::Aaaa => RecordType::AAAA,
        RType::Ns => RecordType::NS,
        RType::Soa => RecordType::SOA,
        RType::Cname => RecordType::CNAME,
        RType::Ptr => RecordType::PTR,
        _ => unreachable!("the check asks no other type"),
    }
}

fn name(s: &str) -> Name {
    Name::from_ascii(s).unwrap()
}

#[derive(Clone, Copy, PartialEq)]
enum Behaviour {
    Authoritative,
    Refuse,
    Silent,
    NotAuthoritative,
}

/// A tiny DNS world: zone example.test (child of test), served by name servers with behaviours.
struct World {
    /// www address per server (to make servers disagree).
    www: BTreeMap<Ipv4Addr, Ipv4Addr>,
    servers: BTreeMap<Ipv4Addr, (&'static str, Behaviour, u32)>,
    parent_ns: Vec<&'static str>,
    /// What the second resolver answers for www (None: the same as the first).
    second_resolver_www: Option<Ipv4Addr>,
    /// Whether the first resolver is broken (answers garbage).
    first_resolver_broken: bool,
    /// How every resolver fails, when it does (the checker's side: its own resolver).
    resolver_fault: Option<Fault>,
    /// What the resolver answers for www when no name server does (it reached them, the check
    /// did not: a network that blocks direct DNS).
    resolver_www_anyway: Option<Ipv4Addr>,
    /// www is an alias of this name, in another zone (the resolver follows the chain).
    www_alias: Option<&'static str>,
}

/// A resolver the check chose, failing. (Built by a native-only test: it reads the fixtures.)
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
enum Fault {
    Refuses,
    Silent,
    AnswersHtml,
}

impl World {
    fn healthy() -> Self {
        let mut servers = BTreeMap::new();
        servers.insert(
            Ipv4Addr::new(127, 0, 0, 2),
            ("ns1.example.test.", Behaviour::Authoritative, 7),
        );
        servers.insert(
            Ipv4Addr::new(127, 0, 0, 3),
            ("ns2.example.test.", Behaviour::Authoritative, 7),
        );
        let www = servers
            .keys()
            .map(|k| (*k, Ipv4Addr::new(3, 5, 0, 10)))
            .collect();
        World {
            www,
            servers,
            parent_ns: vec!["ns1.example.test.", "ns2.example.test."],
            second_resolver_www: None,
            first_resolver_broken: false,
            resolver_fault: None,
            resolver_www_anyway: None,
            www_alias: None,
        }
    }

    fn respond(&self, t: &Transmit) -> Option<Vec<u8>> {
        let q = &t.question;
        let mut m = Message::new(t.id, MessageType::Response, OpCode::Query);
        m.metadata.recursion_desired = t.flags.rd;
        let rtype = record_type(q.rtype);
        m.add_query(Query::query(name(&q.name), rtype));
        let soa = |zone: &str, serial: u32| {
            Record::from_rdata(
                name(zone),
                300,
                RData::SOA(SOA::new(
                    name("ns1.example.test."),
                    name("host.example.test."),
                    serial,
                    1,
                    1,
                    1,
                    1,
                )),
            )
        };
        match (t.target, self.resolver_fault) {
            (Target::Resolver(_), Some(Fault::Silent)) => return None,
            (Target::Resolver(_), Some(Fault::AnswersHtml)) => {
                return Some(b"<html><body>Access denied by your network</body></html>".to_vec());
            }
            (Target::Resolver(_), Some(Fault::Refuses)) => {
                m.metadata.response_code = hickory_proto::op::ResponseCode::Refused;
                return Some(m.to_vec().unwrap());
            }
            _ => {}
        }
        match t.target {
            Target::Resolver(0) if self.first_resolver_broken => {
                return Some(b"<html>not DNS</html>".to_vec());
            }
            Target::Resolver(r) => {
                m.metadata.recursion_available = true;
                match (q.name.as_str(), q.rtype) {
                    ("example.test." | "test.", RType::Soa) => {
                        m.add_answer(soa(&q.name, 7));
                    }
                    ("www.example.test.", RType::Soa | RType::Aaaa) => {
                        m.add_authority(soa("example.test.", 7));
                    }
                    ("www.example.test.", RType::A) if self.www_alias.is_some() => {
                        let alias = self.www_alias.unwrap();
                        m.add_answer(Record::from_rdata(
                            name("www.example.test."),
                            300,
                            RData::CNAME(hickory_proto::rr::rdata::CNAME(name(alias))),
                        ));
                        m.add_answer(Record::from_rdata(
                            name(alias),
                            300,
                            RData::A(A(Ipv4Addr::new(3, 5, 0, 99))),
                        ));
                    }
                    ("www.example.test.", RType::A)
                        if r == 1 && self.second_resolver_www.is_some() =>
                    {
                        let a = self.second_resolver_www.unwrap();
                        m.add_answer(Record::from_rdata(
                            name("www.example.test."),
                            300,
                            RData::A(A(a)),
                        ));
                    }
                    ("www.example.test.", RType::A) => {
                        let first = self
                            .servers
                            .iter()
                            .find(|(_, (_, b, _))| *b == Behaviour::Authoritative)
                            .map(|(a, _)| self.www[a]);
                        match first.or(self.resolver_www_anyway) {
                            Some(a) => {
                                m.add_answer(Record::from_rdata(
                                    name("www.example.test."),
                                    300,
                                    RData::A(A(a)),
                                ));
                            }
                            None => {
                                m.metadata.response_code =
                                    hickory_proto::op::ResponseCode::ServFail;
                            }
                        }
                    }
                    ("example.test.", RType::Ns) => {
                        for ns in self
                            .servers
                            .values()
                            .map(|s| s.0)
                            .collect::<std::collections::BTreeSet<_>>()
                        {
                            m.add_answer(Record::from_rdata(
                                name("example.test."),
                                300,
                                RData::NS(NS(name(ns))),
                            ));
                        }
                    }
                    ("test.", RType::Ns) => {
                        m.add_answer(Record::from_rdata(
                            name("test."),
                            300,
                            RData::NS(NS(name("a.nic.test."))),
                        ));
                    }
                    (ns, RType::A) => {
                        let addr = if ns == "a.nic.test." {
                            Some(Ipv4Addr::new(127, 0, 0, 9))
                        } else {
                            self.servers
                                .iter()
                                .find(|(_, (n, _, _))| *n == ns)
                                .map(|(a, _)| *a)
                        };
                        if let Some(a) = addr {
                            m.add_answer(Record::from_rdata(name(ns), 300, RData::A(A(a))));
                        }
                    }
                    _ => {}
                }
            }
            Target::Server(IpAddr::V4(addr)) if addr == Ipv4Addr::new(127, 0, 0, 9) => {
                // The parent: a referral.
                for ns in &self.parent_ns {
                    m.add_authority(Record::from_rdata(
                        name("example.test."),
                        300,
                        RData::NS(NS(name(ns))),
                    ));
                }
            }
            Target::Server(IpAddr::V4(addr)) => {
                let (_, behaviour, serial) = self.servers.get(&addr)?;
                match behaviour {
                    Behaviour::Silent => return None,
                    Behaviour::Refuse => {
                        m.metadata.response_code = hickory_proto::op::ResponseCode::Refused;
                    }
                    Behaviour::Authoritative | Behaviour::NotAuthoritative => {
                        m.metadata.authoritative = *behaviour == Behaviour::Authoritative;
                        match q.rtype {
                            RType::A => {
                                m.add_answer(Record::from_rdata(
                                    name(&q.name),
                                    300,
                                    RData::A(A(self.www[&addr])),
                                ));
                            }
                            RType::Soa => {
                                m.add_answer(soa(&q.name, *serial));
                            }
                            _ => {
                                m.add_authority(soa("example.test.", *serial));
                            }
                        }
                    }
                }
            }
            Target::Server(IpAddr::V6(_)) => return None,
        }
        Some(m.to_vec().unwrap())
    }
}

/// Runs the check against the world: every answer takes one RTT. Returns the report.
fn run(world: &World, config: Config) -> DnsReport {
    // All of the first round at once: 4+ queries, or the 3 of a resolver-only view.
    let min_peak = if config.resolver_view_only { 3 } else { 4 };
    let mut check = Check::new("WWW.Example.Test", config, 0x5eed).unwrap();
    let mut now = 1_000u64;
    let mut inflight: Vec<(u32, u64, Vec<u8>)> = Vec::new();
    let mut peak = 0;
    for _ in 0..10_000 {
        while let Some(t) = check.poll_transmit(now) {
            if let Some(bytes) = world.respond(&t) {
                inflight.push((t.token, now + RTT, bytes));
            }
        }
        peak = peak.max(inflight.len());
        if check.is_done() {
            break;
        }
        let next_answer = inflight.iter().map(|(_, at, _)| *at).min();
        let next = [next_answer, check.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
            .expect("a pending event");
        now = next;
        let (due, later): (Vec<_>, Vec<_>) =
            inflight.into_iter().partition(|(_, at, _)| *at <= now);
        inflight = later;
        for (token, _, bytes) in due {
            // A transport turns bytes that are not the answer into a failure (DoH) or keeps
            // waiting (UDP); here, a failure.
            if let Verdict::Reject(e) = check.handle_answer(token, &bytes, now) {
                assert!(
                    world.first_resolver_broken || world.resolver_fault == Some(Fault::AnswersHtml),
                    "a good answer was rejected: {e}"
                );
                check.handle_failure(token, cf503_core::dns::Failure::NotDns(e.to_string()), now);
            }
        }
        check.handle_timeout(now);
    }
    assert!(check.is_done(), "the check must finish");
    // (Counted by answers in flight: a silent resolver sends none.)
    assert!(
        peak >= min_peak || world.resolver_fault == Some(Fault::Silent),
        "independent queries go out together (peak {peak} in flight)"
    );
    DnsReport::from_check(&check)
}

fn ids(r: &DnsReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn healthy_zone_takes_depth_times_rtt() {
    let r = run(&World::healthy(), Config::default());
    assert_eq!(ids(&r), ["ok"], "{:#?}", r.findings);
    assert_eq!(r.apex.as_deref(), Some("example.test."));
    assert_eq!(r.parent.as_deref(), Some("test."));
    // Round 1: SOA and NS of every candidate apex, and the origin through the resolver; round 2:
    // the name servers' addresses; round 3: every server asked directly.
    assert_eq!(r.depth, 3);
    // Wall time is the depth of the query graph times one round trip, not the query count.
    assert_eq!(r.elapsed_ms, Some(3 * RTT), "{} queries", r.queries);
    assert!(r.queries > 10);
    assert_eq!(r.servers.len(), 2);
    assert!(
        r.servers
            .iter()
            .all(|s| s.in_zone && s.in_parent && s.results.len() == 3)
    );
}

#[test]
fn one_lame_server() {
    let mut w = World::healthy();
    w.servers.get_mut(&Ipv4Addr::new(127, 0, 0, 3)).unwrap().1 = Behaviour::Refuse;
    let r = run(&w, Config::default());
    assert!(ids(&r).contains(&"refused"), "{:?}", ids(&r));
    let f = r
        .findings
        .iter()
        .find(|f| f.id.as_str() == "refused")
        .unwrap();
    assert_eq!(f.server.as_deref(), Some("ns2.example.test. (127.0.0.3)"));

    let mut w = World::healthy();
    w.servers.get_mut(&Ipv4Addr::new(127, 0, 0, 3)).unwrap().1 = Behaviour::NotAuthoritative;
    let r = run(&w, Config::default());
    assert!(ids(&r).contains(&"lame_delegation"), "{:?}", ids(&r));
}

#[test]
fn one_silent_server_times_out_after_retries() {
    let mut w = World::healthy();
    w.servers.get_mut(&Ipv4Addr::new(127, 0, 0, 3)).unwrap().1 = Behaviour::Silent;
    let config = Config::default();
    let r = run(&w, config);
    let f = r
        .findings
        .iter()
        .find(|f| f.id.as_str() == "timeout")
        .expect("timeout finding");
    assert_eq!(f.server.as_deref(), Some("ns2.example.test. (127.0.0.3)"));
    assert_eq!(f.severity.as_str(), "warning");
    // Time-outs are decided by the engine: 2 depths of answers, then 2 attempts at the server.
    assert_eq!(r.elapsed_ms, Some(2 * RTT + 2 * config.server_timeout_ms));
}

#[test]
fn all_servers_silent_is_an_error() {
    let mut w = World::healthy();
    for s in w.servers.values_mut() {
        s.1 = Behaviour::Silent;
    }
    let r = run(&w, Config::default());
    assert!(
        r.findings
            .iter()
            .filter(|f| f.id.as_str() == "timeout")
            .all(|f| f.severity.as_str() == "error")
    );
    assert_eq!(r.findings[0].severity.as_str(), "error");
}

#[test]
fn disagreeing_servers() {
    let mut w = World::healthy();
    w.servers.get_mut(&Ipv4Addr::new(127, 0, 0, 3)).unwrap().2 = 8;
    w.www
        .insert(Ipv4Addr::new(127, 0, 0, 3), Ipv4Addr::new(3, 5, 0, 99));
    w.parent_ns = vec!["ns1.example.test.", "ns9.example.test."];
    let r = run(&w, Config::default());
    let got = ids(&r);
    for want in [
        "inconsistent_answers",
        "soa_serial_mismatch",
        "ns_set_mismatch",
    ] {
        assert!(got.contains(&want), "{want} missing from {got:?}");
    }
}

#[test]
fn without_direct_queries_the_plan_shrinks() {
    let config = Config {
        can_target_servers: false,
        ..Config::default()
    };
    let r = run(&World::healthy(), config);
    assert_eq!(ids(&r), ["ok"]);
    assert!(!r.direct);
    assert_eq!(r.depth, 2);
    assert!(r.servers.iter().all(|s| s.results.is_empty()));
}

#[test]
fn resolver_view_only_is_one_round() {
    let config = Config {
        can_target_servers: false,
        resolver_view_only: true,
        ..Config::default()
    };
    let r = run(&World::healthy(), config);
    assert_eq!(ids(&r), ["ok"]);
    assert_eq!(r.depth, 1);
    assert_eq!(r.queries, 3, "A, AAAA and A with CD, nothing else");
    assert_eq!(r.elapsed_ms, Some(RTT));
    assert_eq!(r.apex, None);
    assert!(r.servers.is_empty());
}

#[test]
fn overall_deadline_ends_the_check() {
    let mut w = World::healthy();
    for s in w.servers.values_mut() {
        s.1 = Behaviour::Silent;
    }
    let config = Config {
        deadline_ms: 500,
        ..Config::default()
    };
    let r = run(&w, config);
    assert_eq!(r.elapsed_ms, Some(500));
}

#[test]
fn stray_and_late_answers_are_ignored() {
    let mut check = Check::new("www.example.test", Config::default(), 1).unwrap();
    let t = check.poll_transmit(0).unwrap();
    let world = World::healthy();
    let mut bytes = world.respond(&t).unwrap();
    bytes[0] ^= 0xff; // another ID
    assert!(matches!(
        check.handle_answer(t.token, &bytes, 5),
        Verdict::Reject(_)
    ));
    assert!(matches!(
        check.handle_answer(9999, &bytes, 5),
        Verdict::Reject(_)
    ));
    bytes[0] ^= 0xff;
    assert!(matches!(
        check.handle_answer(t.token, &bytes, 6),
        Verdict::Accept(_)
    ));
    // The same answer again is late: the token is spent.
    assert!(matches!(
        check.handle_answer(t.token, &bytes, 7),
        Verdict::Reject(_)
    ));
}

#[test]
fn several_resolvers_are_compared_and_a_broken_one_is_skipped() {
    let config = Config {
        can_target_servers: false,
        resolvers: 2,
        ..Config::default()
    };
    let mut w = World::healthy();
    w.second_resolver_www = Some(Ipv4Addr::new(3, 5, 0, 66));
    let r = run(&w, config);
    let f = r
        .findings
        .iter()
        .find(|f| f.id.as_str() == "inconsistent_answers")
        .expect("disagreement found");
    let ev = f.evidence.join(" | ");
    assert!(
        ev.contains("3.5.0.10 ← resolver 1") && ev.contains("3.5.0.66 ← resolver 2"),
        "{ev}"
    );

    let mut w = World::healthy();
    w.first_resolver_broken = true;
    let r = run(&w, config);
    assert_eq!(ids(&r), ["resolver_error"], "{:#?}", r.findings);
    assert_eq!(r.findings[0].server.as_deref(), Some("resolver 1"));
    // Planning went on through resolver 2.
    assert_eq!(r.apex.as_deref(), Some("example.test."));
    assert_eq!(r.addresses, [IpAddr::V4(Ipv4Addr::new(3, 5, 0, 10))]);
}

/// Audit 2026-12 §3: a zone naming 100 name servers with 30 addresses each, every one silent,
/// does not make the check flood them: name servers, addresses per server and queries in flight
/// are bounded, and the bound is reported.
#[test]
fn fan_out_is_bounded_whatever_the_zone_names() {
    use cf503_core::dns::check::{MAX_ADDRESSES_PER_SERVER, MAX_IN_FLIGHT, MAX_NAME_SERVERS};
    let respond = |t: &Transmit| -> Option<Vec<u8>> {
        let Target::Resolver(_) = t.target else {
            return None; // every name server is silent
        };
        let q = &t.question;
        let mut m = Message::new(t.id, MessageType::Response, OpCode::Query);
        m.metadata.recursion_available = true;
        let rtype = record_type(q.rtype);
        m.add_query(Query::query(name(&q.name), rtype));
        let soa = |zone: &str| {
            let soa = SOA::new(
                name("ns0.example.test."),
                name("h.example.test."),
                1,
                1,
                1,
                1,
                1,
            );
            Record::from_rdata(name(zone), 300, RData::SOA(soa))
        };
        match (q.name.as_str(), q.rtype) {
            ("example.test." | "test.", RType::Soa) => m.add_answer(soa(&q.name)),
            ("www.example.test.", RType::A) => {
                let a = A(Ipv4Addr::new(3, 5, 0, 10));
                m.add_answer(Record::from_rdata(name(&q.name), 300, RData::A(a)))
            }
            ("example.test.", RType::Ns) => {
                for i in 0..100 {
                    let ns = NS(name(&format!("ns{i}.example.test.")));
                    m.add_answer(Record::from_rdata(
                        name("example.test."),
                        300,
                        RData::NS(ns),
                    ));
                }
                &mut m
            }
            (ns, RType::A) if ns.starts_with("ns") => {
                let i: u8 = ns[2..ns.find('.').unwrap()].parse().unwrap();
                for j in 0..30 {
                    let a = A(Ipv4Addr::new(127, 2, i, j));
                    m.add_answer(Record::from_rdata(name(ns), 300, RData::A(a)));
                }
                &mut m
            }
            _ => m.add_authority(soa("example.test.")),
        };
        Some(m.to_vec().unwrap())
    };
    let mut check = Check::new("www.example.test", Config::default(), 7).unwrap();
    let mut now = 1_000u64;
    let mut answers: Vec<(u32, u64, Vec<u8>)> = Vec::new();
    let mut sent_to_servers = std::collections::BTreeSet::new();
    let mut transmits = 0usize;
    let mut outstanding: BTreeMap<u32, u64> = BTreeMap::new();
    let mut peak = 0;
    for _ in 0..100_000 {
        while let Some(t) = check.poll_transmit(now) {
            transmits += 1;
            if let Target::Server(ip) = t.target {
                sent_to_servers.insert(ip);
            }
            outstanding.insert(t.token, now);
            if let Some(bytes) = respond(&t) {
                answers.push((t.token, now + RTT, bytes));
            }
        }
        // What the check still waits for: sent, neither answered nor past its time-out.
        outstanding.retain(|_, sent| now < *sent + Config::default().server_timeout_ms);
        peak = peak.max(outstanding.len());
        if check.is_done() {
            break;
        }
        let next = [answers.iter().map(|a| a.1).min(), check.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
            .expect("a pending event");
        now = next;
        let (due, later): (Vec<_>, Vec<_>) = answers.into_iter().partition(|a| a.1 <= now);
        answers = later;
        for (token, _, bytes) in due {
            outstanding.remove(&token);
            check.handle_answer(token, &bytes, now);
        }
        check.handle_timeout(now);
    }
    assert!(check.is_done());
    println!(
        "fan-out: {transmits} queries, {} server addresses, peak {peak} in flight",
        sent_to_servers.len()
    );
    assert!(
        sent_to_servers.len() <= MAX_NAME_SERVERS * MAX_ADDRESSES_PER_SERVER,
        "{} server addresses asked",
        sent_to_servers.len()
    );
    assert!(peak <= MAX_IN_FLIGHT, "{peak} queries in flight");
    assert!(transmits < 1_000, "{transmits} queries sent");
    let report = DnsReport::from_check(&check);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.id.as_str() == "fan_out_capped"),
        "{:?}",
        report
            .findings
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
    );
    // Audit Dn6: what was left out is counted once: 100 names less the 13 asked, and for each
    // of the 13, 30 addresses less the 4 asked (the counts were 15,921 and 34,476).
    let capped: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.id.as_str() == "fan_out_capped")
        .map(|f| f.summary.as_str())
        .collect();
    let left_out_ns = 100 - MAX_NAME_SERVERS;
    let left_out_addresses = MAX_NAME_SERVERS * (30 - MAX_ADDRESSES_PER_SERVER);
    assert!(
        capped
            .iter()
            .any(|s| s.contains(&format!("; {left_out_ns} more were not asked"))),
        "{capped:?}"
    );
    assert!(
        capped
            .iter()
            .any(|s| s.contains(&format!("; {left_out_addresses} more were not asked"))),
        "{capped:?}"
    );
}

/// Audit 2026-12 D12: only the DoH media type itself is a DNS answer, parameters aside.
#[test]
fn doh_answers_need_the_dns_message_media_type() {
    let config = Config {
        can_target_servers: false,
        ..Config::default()
    };
    let mut check = Check::new("www.example.test", config, 3).unwrap();
    let t = check.poll_transmit(0).unwrap();
    let mut m = Message::new(t.id, MessageType::Response, OpCode::Query);
    let rtype = record_type(t.question.rtype);
    m.add_query(Query::query(name(&t.question.name), rtype));
    let body = m.to_vec().unwrap();
    let judge = |ct: &str| {
        cf503_core::dns::doh::judge_doh("https://r.example/dns-query", &t, 200, ct, &body)
    };
    assert!(judge("application/dns-message").is_ok());
    assert!(judge("Application/DNS-Message; charset=binary").is_ok());
    assert!(judge("application/dns-messagefoo").is_err());
    assert!(judge("text/html").is_err());
}

/// base64url without padding (RFC 4648 §5), as `?dns=` carries the query.
fn base64url_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => panic!("not base64url: {c}"),
    };
    let bits: Vec<u8> = s.bytes().map(value).collect();
    bits.chunks(4)
        .flat_map(|c| {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, v)| n | (u32::from(*v) << (18 - 6 * i)));
            n.to_be_bytes()[1..c.len()].to_vec()
        })
        .collect()
}

/// The DoH layer of the engine, driven as the browser and `cf503 dns --doh` drive it: one
/// resolver answers GET with 405 (POST only), one with an HTML page. The first is asked again by
/// POST, and only by POST afterwards; the second becomes a `resolver_error`; the check completes
/// from the others. Every exchange carries the time-out the core chose.
#[test]
fn doh_falls_back_to_post_and_names_a_broken_resolver() {
    use cf503_core::dns::{DohCheck, HttpReply, Method};
    let urls = [
        "https://post-only.test/dns-query",
        "https://html.test/dns-query",
        "https://good.test/dns-query?ct=1",
    ];
    let world = World::healthy();
    let config = Config::default();
    let mut check = DohCheck::new("www.example.test", &urls, config, 7).unwrap();
    let mut now = 0u64;
    let mut refused_gets = 0;
    let mut gets_after_refusal = 0;
    let mut posts_to_post_only = 0;
    for _ in 0..1000 {
        let mut replies = Vec::new();
        while let Some(r) = check.poll_request(now) {
            assert_eq!(
                r.timeout_ms,
                config.resolver_timeout_ms + cf503_core::dns::doh::TRANSPORT_GRACE_MS
            );
            let index = urls
                .iter()
                .position(|u| r.url.starts_with(u))
                .expect("a request to a configured resolver");
            let query = match r.method {
                Method::Get => base64url_decode(r.url.rsplit("dns=").next().unwrap()),
                Method::Post => {
                    assert_eq!(r.content_type(), Some("application/dns-message"));
                    r.body.clone()
                }
            };
            let reply = match (index, r.method) {
                (0, Method::Get) => {
                    // The first round goes out at once, before any refusal is known.
                    if refused_gets > 0 {
                        gets_after_refusal += 1;
                    }
                    HttpReply {
                        status: 405,
                        content_type: "text/plain".into(),
                        body: Vec::new(),
                    }
                }
                (1, _) => HttpReply {
                    status: 200,
                    content_type: "text/html".into(),
                    body: b"<html>blocked</html>".to_vec(),
                },
                (i, method) => {
                    if i == 0 && method == Method::Post {
                        posts_to_post_only += 1;
                    }
                    let m = Message::from_vec(&query).unwrap();
                    let q = &m.queries[0];
                    let rtype = match q.query_type() {
                        RecordType::A => RType::A,
                        RecordType::AAAA => RType::Aaaa,
                        RecordType::NS => RType::Ns,
                        RecordType::SOA => RType::Soa,
                        other => panic!("unexpected {other}"),
                    };
                    let question = cf503_core::dns::Question {
                        name: q.name().to_ascii().to_lowercase(),
                        rtype,
                    };
                    let t = Transmit {
                        token: r.token,
                        id: m.metadata.id,
                        bytes: query.clone(),
                        question,
                        flags: cf503_core::dns::Flags::default(),
                        target: Target::Resolver(0),
                    };
                    let body = world.respond(&t).expect("the healthy resolver answers");
                    HttpReply {
                        status: 200,
                        content_type: "application/dns-message".into(),
                        body,
                    }
                }
            };
            replies.push((r.token, reply));
        }
        if check.is_done() {
            break;
        }
        now += RTT;
        for (token, reply) in replies {
            if reply.status == 405 {
                refused_gets += 1;
            }
            check.handle_reply(token, Ok(reply), now);
        }
        check.handle_timeout(now);
    }
    assert!(check.is_done());
    assert!(refused_gets >= 1);
    assert_eq!(
        gets_after_refusal, 0,
        "once refused, GET is not tried again"
    );
    assert!(
        posts_to_post_only >= 3,
        "the POST-only resolver still answers ({posts_to_post_only})"
    );
    let report = check.report();
    assert!(!report.direct);
    let broken: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.id.as_str() == "resolver_error")
        .collect();
    assert_eq!(broken.len(), 1, "{:?}", ids(&report));
    assert_eq!(broken[0].server.as_deref(), Some("resolver 2"));
    assert!(!report.addresses.is_empty(), "{:?}", ids(&report));
}

#[test]
fn doh_resolver_urls_are_checked_before_anything_is_sent() {
    use cf503_core::dns::DohCheck;
    use cf503_core::dns::doh::{ResolverUrlError, check_resolver_urls};
    let refused = |u: &str| check_resolver_urls(&[u]).unwrap_err();
    assert!(matches!(
        refused("ftp://r.example/"),
        ResolverUrlError::NotHttps(_)
    ));
    assert!(matches!(
        refused("http://r.example/dns-query"),
        ResolverUrlError::NotHttps(_)
    ));
    assert!(matches!(
        refused("https://user:pw@r.example/dns-query"),
        ResolverUrlError::Credentials(_)
    ));
    assert!(matches!(
        refused("https://r.example/#x"),
        ResolverUrlError::Fragment(_)
    ));
    assert!(matches!(
        refused("https:///dns-query"),
        ResolverUrlError::Malformed(_)
    ));
    assert!(matches!(
        refused("https://r.example/a b"),
        ResolverUrlError::Malformed(_)
    ));
    assert_eq!(
        check_resolver_urls::<&str>(&[]),
        Err(ResolverUrlError::Empty)
    );
    assert_eq!(
        check_resolver_urls(&["", "  "]),
        Err(ResolverUrlError::Empty)
    );
    let nine = ["https://r.example/dns-query"; 9];
    assert_eq!(
        check_resolver_urls(&nine),
        Err(ResolverUrlError::TooMany(9))
    );
    assert_eq!(
        check_resolver_urls(&[
            " http://127.0.0.1:8053/dns-query ",
            "https://[::1]/q",
            "http://localhost/q"
        ])
        .unwrap(),
        [
            "http://127.0.0.1:8053/dns-query",
            "https://[::1]/q",
            "http://localhost/q"
        ]
    );
    // The message says what to give instead.
    assert!(
        refused("dns.google")
            .to_string()
            .contains("https://host/dns-query")
    );
    assert!(DohCheck::new("www.example.test", &["nope"], Config::default(), 1).is_err());
    assert!(
        cf503_core::dns::doh::DEFAULT_RESOLVERS
            .iter()
            .all(|u| check_resolver_urls(&[u]).is_ok())
    );
}

/// Issue 17, class 0: a failure on the checker's side (its resolver refusing, silent, or
/// answering a web page; its network reaching no name server while the resolver resolves the
/// name) is reported as "the DNS check could not run" and never changes a verdict; every
/// response fixture keeps its cause.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_failing_resolver_is_never_evidence_about_the_origin() {
    use cf503_core::dns::Scope;
    use cf503_core::parse::Input;
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/responses");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 25);
    let mut worlds: Vec<(&str, World)> = Vec::new();
    for (label, fault) in [
        ("refused", Fault::Refuses),
        ("silent", Fault::Silent),
        ("html", Fault::AnswersHtml),
    ] {
        let mut w = World::healthy();
        w.resolver_fault = Some(fault);
        worlds.push((label, w));
    }
    let mut blocked = World::healthy();
    for s in blocked.servers.values_mut() {
        s.1 = Behaviour::Silent;
    }
    blocked.resolver_www_anyway = Some(Ipv4Addr::new(3, 5, 0, 10));
    worlds.push(("direct DNS blocked", blocked));
    for (label, world) in &worlds {
        let report = run(world, Config::default());
        // Only findings about the check itself, at error level, and none about the origin.
        assert!(
            report.findings.iter().any(|f| f.scope == Scope::Check),
            "{label}: {:?}",
            ids(&report)
        );
        assert!(
            !report
                .findings
                .iter()
                .any(|f| f.scope == Scope::Origin && f.severity.as_str() != "info"),
            "{label}: {:?}",
            report.findings
        );
        for path in &fixtures {
            let bytes = std::fs::read(path).unwrap();
            let Ok(Input::Response(obs)) = cf503_core::parse_input(&bytes) else {
                continue;
            };
            let alone = cf503_core::diagnose(&obs);
            let with = cf503_core::diagnose::diagnose_with_dns(&obs, &report);
            assert_eq!(
                (with.top().cause, with.top().confidence),
                (alone.top().cause, alone.top().confidence),
                "{label}: {}",
                path.display()
            );
            assert!(
                with.notes
                    .iter()
                    .any(|n| n.id == cf503_core::diagnose::NoteId::DnsCheckFailed),
                "{label}: {}",
                path.display()
            );
        }
    }
}

/// A healthy check now beside CloudFront's logged `OriginDnsError`: the log stands (origin DNS
/// failures are brief or regional), with a note.
#[test]
fn a_healthy_check_now_does_not_overturn_a_logged_dns_error() {
    use cf503_core::parse::Input;
    let report = run(&World::healthy(), Config::default());
    assert_eq!(ids(&report)[0], "ok");
    let logged = b"HTTP/1.1 502 Bad Gateway\r\nServer: CloudFront\r\nX-Cache: Error from cloudfront\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\nx-edge-detailed-result-type: OriginDnsError\r\n\r\n";
    let Ok(Input::Response(obs)) = cf503_core::parse_input(logged) else {
        panic!("did not parse");
    };
    let d = cf503_core::diagnose::diagnose_with_dns(&obs, &report);
    assert_eq!(d.top().cause.as_str(), "origin_dns", "{:?}", d.findings);
    assert!(
        d.notes
            .iter()
            .any(|n| n.id == cf503_core::diagnose::NoteId::DnsResolvesNow)
    );
    // Without the log, a bare CloudFront 502 with a healthy check does not lead with DNS.
    let bare = b"HTTP/1.1 502 Bad Gateway\r\nServer: CloudFront\r\nX-Cache: Error from cloudfront\r\nVia: 1.1 a.cloudfront.net (CloudFront)\r\n\r\n";
    let Ok(Input::Response(obs)) = cf503_core::parse_input(bare) else {
        panic!("did not parse");
    };
    let d = cf503_core::diagnose::diagnose_with_dns(&obs, &report);
    assert_ne!(d.top().cause.as_str(), "origin_dns");
}

/// Runs an [`OriginCheck`] against the world through the session interface every transport
/// uses: every answer takes one RTT.
fn run_origin_check(world: &World, config: Config) -> (DnsReport, u64) {
    use cf503_core::dns::{OriginCheck, Session};
    let mut check = OriginCheck::new("www.example.test", config, 0x5eed).unwrap();
    let start = 1_000u64;
    let mut now = start;
    let mut inflight: Vec<(u32, u64, Vec<u8>)> = Vec::new();
    for _ in 0..10_000 {
        while let Some(t) = check.poll_request(now) {
            // The world answers questions, whichever check asks them.
            let mut asked = t.clone();
            asked.token = 0;
            if let Some(bytes) = world.respond(&asked) {
                inflight.push((t.token, now + RTT, bytes));
            }
        }
        if check.is_done() {
            break;
        }
        let next_answer = inflight.iter().map(|(_, at, _)| *at).min();
        now = [next_answer, check.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
            .expect("a pending event");
        let (due, later): (Vec<_>, Vec<_>) =
            inflight.into_iter().partition(|(_, at, _)| *at <= now);
        inflight = later;
        for (token, _, bytes) in due {
            check.handle_reply(token, Ok(bytes), now);
        }
        check.handle_timeout(now);
    }
    assert!(check.is_done(), "the check must finish");
    (check.report(), now - start)
}

/// A CNAME into another zone: the engine itself checks that zone too, within the same
/// deadline, when servers can be asked (the CLI only moves bytes); not through DoH, which
/// cannot ask them.
#[test]
fn a_cname_into_another_zone_is_followed_by_the_engine() {
    let mut world = World::healthy();
    world.www_alias = Some("lb.other.test.");
    let (report, took) = run_origin_check(&world, Config::default());
    assert_eq!(
        report.cname_target_outside_zone().as_deref(),
        Some("lb.other.test.")
    );
    let target = report
        .cname_target
        .as_deref()
        .expect("the target's zone was checked");
    assert_eq!(target.origin, "lb.other.test.");
    assert!(target.queries > 0);
    assert!(took < Config::default().deadline_ms, "{took} ms");
    // The same world through DoH-like means (no direct questions): no second check.
    let (report, _) = run_origin_check(
        &world,
        Config {
            can_target_servers: false,
            ..Config::default()
        },
    );
    assert!(report.cname_target.is_none());
    // Without an alias, the origin's report alone, as a plain check gives it.
    let (alone, _) = run_origin_check(&World::healthy(), Config::default());
    assert!(alone.cname_target.is_none());
    assert_eq!(ids(&alone), ids(&run(&World::healthy(), Config::default())));
}
