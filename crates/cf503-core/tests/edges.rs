//! The edges engine (issue 20) in memory: a resolver that answers by the client subnet it is
//! sent (as CloudFront's name servers do), reverse names for the edges, and edges that answer
//! like CloudFront POPs; then the verdicts: one edge location, one Region, every edge, a cached
//! error, nothing failing, nothing answering.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use cf503_core::edges::{DnsQuery, Edges, EdgesVerdict, MAX_EDGES, REQUESTS_PER_EDGE};
use cf503_core::parse::Input;
use hickory_proto::op::{Message, MessageType};
use hickory_proto::rr::rdata::opt::{EdnsCode, EdnsOption};
use hickory_proto::rr::rdata::{A, PTR};
use hickory_proto::rr::{Name, RData, Record};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const URL: &str = "https://d111edges.cloudfront.net/app";

/// Three places: two Frankfurt edge locations, one Tokyo one (two addresses).
fn subnets() -> Vec<(String, String)> {
    [("Europe", "198.51.100.0/24"), ("Asia", "203.0.113.0/24")]
        .iter()
        .map(|(l, s)| ((*l).to_string(), (*s).to_string()))
        .collect()
}

fn edge(last: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 0, last)
}

/// Edge address → reverse name.
fn reverse() -> BTreeMap<Ipv4Addr, &'static str> {
    BTreeMap::from([
        (edge(11), "server-127-0-0-11.fra56.r.cloudfront.net."),
        (edge(12), "server-127-0-0-12.fra60.r.cloudfront.net."),
        (edge(21), "server-127-0-0-21.nrt57.r.cloudfront.net."),
        (edge(22), "server-127-0-0-22.nrt57.r.cloudfront.net."),
    ])
}

/// The resolver: edges by the query's client subnet.
fn answer(query: &DnsQuery) -> Vec<u8> {
    let q = Message::from_vec(&query.bytes).unwrap();
    let mut m = Message::new(q.metadata.id, MessageType::Response, q.metadata.op_code);
    m.metadata.recursion_available = true;
    m.add_query(q.queries[0].clone());
    let qname = q.queries[0].name().clone();
    if query.question.name.ends_with("in-addr.arpa.") {
        let last: u8 = query
            .question
            .name
            .split('.')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        if let Some(n) = reverse().get(&edge(last)) {
            m.add_answer(Record::from_rdata(
                qname,
                60,
                RData::PTR(PTR(Name::from_ascii(n).unwrap())),
            ));
        }
        return m.to_vec().unwrap();
    }
    let subnet = q
        .edns
        .as_ref()
        .and_then(|e| match e.options().get(EdnsCode::Subnet) {
            Some(EdnsOption::Subnet(s)) => Some(s.addr()),
            _ => None,
        });
    let addrs: Vec<u8> = match subnet {
        Some(IpAddr::V4(a)) if a.octets()[0] == 198 => vec![11, 12],
        Some(IpAddr::V4(a)) if a.octets()[0] == 203 => vec![21, 22],
        _ => vec![11],
    };
    for a in addrs {
        m.add_answer(Record::from_rdata(qname.clone(), 60, RData::A(A(edge(a)))));
    }
    m.to_vec().unwrap()
}

/// An edge's answer, as `curl -si` would show it.
fn response(status: u16, pop: &str, x_cache: &str, age: Option<u32>) -> cf503_core::Observation {
    let mut text = format!(
        "HTTP/1.1 {status} X\r\nServer: CloudFront\r\nX-Cache: {x_cache}\r\nX-Amz-Cf-Pop: {pop}\r\nX-Amz-Cf-Id: id-{pop}==\r\nVia: 1.1 abc.cloudfront.net (CloudFront)\r\n"
    );
    if let Some(a) = age {
        text.push_str(&format!("Age: {a}\r\n"));
    }
    text.push_str("\r\n");
    match cf503_core::parse_input(text.as_bytes()).unwrap() {
        Input::Response(o) => o,
        _ => unreachable!(),
    }
}

/// Runs the whole exchange; `edge_answer(last octet, pop)` says what an edge answers.
fn run(
    edge_answer: impl Fn(u8, &str) -> Result<cf503_core::Observation, String>,
) -> cf503_core::edges::EdgesReport {
    let mut e = Edges::new(URL, &subnets(), 7).unwrap();
    for q in e.subnet_queries() {
        let bytes = answer(&q);
        e.on_subnet_answer(&q, Ok(&bytes));
    }
    for q in e.ptr_queries() {
        let bytes = answer(&q);
        e.on_ptr_answer(&q, Ok(&bytes));
    }
    let requests = e.requests();
    assert!(requests.len() <= MAX_EDGES * REQUESTS_PER_EDGE);
    assert!(requests.iter().all(|r| r.method == "GET" && r.url == URL));
    for r in requests {
        let IpAddr::V4(a) = r.address else { panic!() };
        let last = a.octets()[3];
        let pop = match last {
            11 => "FRA56-P1",
            12 => "FRA60-P2",
            _ => "NRT57-P3",
        };
        e.on_response(r.edge, edge_answer(last, pop));
    }
    e.report()
}

const OK: &str = "Miss from cloudfront";

#[test]
fn three_pops_in_two_regions() {
    let r = run(|_, pop| Ok(response(200, pop, OK, None)));
    assert_eq!(r.verdict, EdgesVerdict::NothingFails);
    let pops: Vec<(&str, Option<&str>)> =
        r.pops.iter().map(|p| (p.pop.as_str(), p.region)).collect();
    assert_eq!(
        pops,
        [
            ("FRA56", Some("eu-central-1")),
            ("FRA60", Some("eu-central-1")),
            ("NRT57", Some("ap-northeast-1"))
        ]
    );
    assert_eq!(r.edges.len(), 4);
    assert!(
        r.edges
            .iter()
            .all(|e| e.attempts.len() == REQUESTS_PER_EDGE)
    );
    assert!(!r.same_everywhere);
}

#[test]
fn one_pop_out_of_capacity() {
    let r = run(|last, pop| {
        Ok(if last >= 21 {
            response(503, pop, "CapacityExceeded from cloudfront", None)
        } else {
            response(200, pop, OK, None)
        })
    });
    assert_eq!(
        r.verdict,
        EdgesVerdict::OnePop {
            pop: "NRT57".into(),
            cached: false
        }
    );
    assert_eq!(r.cause, Some("edge_capacity"));
    assert!(
        r.summary.contains("Only edge location NRT57"),
        "{}",
        r.summary
    );
    assert!(
        r.steps[0].to_string().contains("id-NRT57-P3=="),
        "{:?}",
        r.steps
    );
}

#[test]
fn every_pop_of_one_region_throttled() {
    let r = run(|last, pop| {
        Ok(if last < 20 {
            response(503, pop, "LambdaLimitExceeded from cloudfront", None)
        } else {
            response(200, pop, OK, None)
        })
    });
    assert_eq!(
        r.verdict,
        EdgesVerdict::OneRegion {
            region: "eu-central-1"
        }
    );
    assert_eq!(r.cause, Some("lambda_edge_throttled"));
    let steps: String = r.steps.iter().map(ToString::to_string).collect();
    assert!(steps.contains("aws logs describe-log-groups --region eu-central-1 --log-group-name-prefix /aws/lambda/us-east-1."), "{steps}");
}

#[test]
fn every_edge_failing_alike_is_not_the_edge() {
    let r = run(|_, pop| {
        let text = format!(
            "HTTP/1.1 503 Service Temporarily Unavailable\r\nServer: awselb/2.0\r\nX-Cache: Error from cloudfront\r\nX-Amz-Cf-Pop: {pop}\r\nVia: 1.1 abc.cloudfront.net (CloudFront)\r\n\r\n<html><head><title>503 Service Temporarily Unavailable</title></head></html>"
        );
        match cf503_core::parse_input(text.as_bytes()).unwrap() {
            Input::Response(o) => Ok(o),
            _ => unreachable!(),
        }
    });
    assert_eq!(r.verdict, EdgesVerdict::EveryEdge);
    assert_eq!(r.cause, Some("origin_overloaded"));
    assert!(r.summary.contains("not the edge"), "{}", r.summary);
}

#[test]
fn an_error_cached_at_one_pop() {
    let r = run(|last, pop| {
        Ok(if last == 12 {
            response(503, pop, "Error from cloudfront", Some(7))
        } else {
            response(200, pop, OK, None)
        })
    });
    assert_eq!(
        r.verdict,
        EdgesVerdict::OnePop {
            pop: "FRA60".into(),
            cached: true
        }
    );
    assert!(r.summary.contains("from its cache"), "{}", r.summary);
}

#[test]
fn unreachable_edges_are_never_evidence() {
    // This side cannot reach the Tokyo edges: the rest answer fine, so nothing fails.
    let r = run(|last, pop| {
        if last >= 21 {
            Err("connection refused".into())
        } else {
            Ok(response(200, pop, OK, None))
        }
    });
    assert_eq!(r.verdict, EdgesVerdict::NothingFails);
    assert!(
        r.edges
            .iter()
            .filter(|e| e.address.ends_with(".21"))
            .all(|e| e.attempts.iter().all(|a| a.error.is_some()))
    );
    let r = run(|_, _| Err("timed out".into()));
    assert_eq!(r.verdict, EdgesVerdict::NoEdgeAnswered);
    assert_eq!(r.cause, None);
}

#[test]
fn a_resolver_that_fails_or_lies_gives_no_edge() {
    let mut e = Edges::new(URL, &subnets(), 7).unwrap();
    let qs = e.subnet_queries();
    e.on_subnet_answer(&qs[0], Err("no answer in 3 s".into()));
    e.on_subnet_answer(&qs[1], Ok(b"<html>captive portal</html>"));
    assert!(e.ptr_queries().is_empty());
    assert!(e.requests().is_empty());
    let r = e.report();
    assert_eq!(r.verdict, EdgesVerdict::NoEdgeAnswered);
    assert!(r.subnets.iter().all(|s| s.error.is_some()));
}

#[test]
fn bad_input_is_refused_with_words() {
    for (url, subnets) in [
        ("ftp://x.example/", vec![]),
        ("https://127.0.0.1/", vec![]),
        (
            "https://www.example.com/",
            vec![("x".to_string(), "not-a-subnet".to_string())],
        ),
        (
            "https://www.example.com/",
            vec![("x".to_string(), "10.0.0.0/0".to_string())],
        ),
    ] {
        let err = Edges::new(url, &subnets, 1).unwrap_err().to_string();
        assert!(!err.is_empty());
    }
    // Defaults: every default subnet parses, and no more of an address than RFC 7871 advises
    // is sent.
    let e = Edges::new("https://www.example.com/", &[], 1).unwrap();
    assert_eq!(
        e.subnet_queries().len(),
        cf503_core::edges::DEFAULT_SUBNETS.len()
    );
    let s = cf503_core::dns::wire::ClientSubnet::parse("198.51.100.77/32").unwrap();
    assert_eq!(s.to_string(), "198.51.100.0/24");
}

#[test]
fn at_most_sixteen_edges() {
    let subnets: Vec<(String, String)> = (1..=40)
        .map(|i| (format!("s{i}"), format!("10.{i}.0.0/24")))
        .collect();
    let mut e = Edges::new(URL, &subnets, 3).unwrap();
    for q in e.subnet_queries() {
        let query = Message::from_vec(&q.bytes).unwrap();
        let mut m = Message::new(
            query.metadata.id,
            MessageType::Response,
            query.metadata.op_code,
        );
        m.add_query(query.queries[0].clone());
        let i = u8::try_from(q.index).unwrap();
        m.add_answer(Record::from_rdata(
            query.queries[0].name().clone(),
            60,
            RData::A(A(Ipv4Addr::new(10, 9, i, 1))),
        ));
        e.on_subnet_answer(&q, Ok(&m.to_vec().unwrap()));
    }
    assert_eq!(e.ptr_queries().len(), MAX_EDGES);
    assert_eq!(e.requests().len(), MAX_EDGES * REQUESTS_PER_EDGE);
}

/// README lists every verdict kind the JSON can carry: the kinds are read from the published
/// schema (itself checked against the types), so a new verdict cannot be left out.
#[test]
fn readme_lists_every_verdict_kind() {
    let readme = include_str!("../../../README.md");
    let line = readme
        .lines()
        .find_map(|l| l.strip_prefix("Edge verdicts: "))
        .expect("README lists the edge verdicts");
    let mut listed: Vec<&str> = line.split('|').map(str::trim).collect();
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../../docs/schemas/cf503.edges_report.schema.json"
    ))
    .unwrap();
    let mut kinds: Vec<&str> = schema["$defs"]["EdgesVerdict"]["oneOf"]
        .as_array()
        .expect("the verdict is a tagged union")
        .iter()
        .map(|v| v["properties"]["kind"]["const"].as_str().unwrap())
        .collect();
    assert!(kinds.len() >= 8, "{kinds:?}");
    listed.sort_unstable();
    kinds.sort_unstable();
    assert_eq!(listed, kinds);
}

/// Where it fails weighs in a response's verdict through the rule table (`check --edges`):
/// CloudFront's own 503 page with no reason line is edge capacity when only one edge location
/// fails, and not when every edge fails alike.
#[test]
fn edge_verdicts_weigh_in_the_diagnosis() {
    let page = "HTTP/1.1 503 Service Unavailable\r\nServer: CloudFront\r\nX-Cache: Error from cloudfront\r\nX-Amz-Cf-Pop: NRT57-P3\r\nVia: 1.1 x.cloudfront.net (CloudFront)\r\n\r\n<HTML><HEAD><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD><BODY><H1>503 ERROR</H1><H2>The request could not be satisfied.</H2><HR noshade size=\"1px\">Generated by cloudfront (CloudFront)</BODY></HTML>";
    let Input::Response(obs) = cf503_core::parse_input(page.as_bytes()).unwrap() else {
        panic!()
    };
    let alone = cf503_core::diagnose(&obs);
    let one_pop = run(|last, pop| {
        Ok(if last >= 21 {
            response(503, pop, "Error from cloudfront", None)
        } else {
            response(200, pop, OK, None)
        })
    });
    let every = run(|_, pop| Ok(response(503, pop, "Error from cloudfront", None)));
    let with_one = cf503_core::diagnose::diagnose_with(&obs, None, Some(&one_pop));
    let with_every = cf503_core::diagnose::diagnose_with(&obs, None, Some(&every));
    let confidence = |d: &cf503_core::Diagnosis| {
        d.findings
            .iter()
            .find(|f| f.cause == cf503_core::CauseId::EdgeCapacity)
            .map_or(0.0, |f| f.confidence)
    };
    assert_eq!(
        with_one.top().cause,
        cf503_core::CauseId::EdgeCapacity,
        "{:#?}",
        with_one.findings
    );
    assert!(confidence(&with_one) > confidence(&alone));
    assert!(
        confidence(&with_every) < confidence(&alone),
        "{} vs {}",
        confidence(&with_every),
        confidence(&alone)
    );
    // The report carries the edges and shows them.
    let text = cf503_core::report::text(&with_one);
    assert!(text.contains("Only edge location NRT57"), "{text}");
    assert!(cf503_core::report::json(&with_one).contains("cf503.edges_report"));
}
