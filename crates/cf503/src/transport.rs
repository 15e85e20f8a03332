//! Native DNS transport: moves the bytes the core's [`OriginCheck`] hands out, over UDP with a TCP
//! fallback on truncation. Decisions (time-outs, retries, what an answer means) stay in the core.
//!
//! Concurrency without an async runtime: one short-lived thread per query attempt, blocking on a
//! connected socket; results come back over a channel to the loop that owns the check. The core
//! keeps at most [`MAX_IN_FLIGHT`](cf503_core::dns::check::MAX_IN_FLIGHT) attempts in flight and a
//! thread outlives its attempt by at most half a second, so a check holds a few dozen threads at
//! most, whatever the zone names.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use cf503_core::dns::{
    Failure, HttpReply, HttpRequest, Method, OriginCheck, Session, Target, Transmit, Verdict, wire,
};

/// Where queries go, and how.
#[derive(Clone, Debug)]
pub enum Endpoints {
    /// Plain DNS: UDP (TCP on truncation) to a resolver, and to each server on `server_port`.
    Udp {
        /// The recursive resolver.
        resolver: SocketAddr,
        /// The port authoritative servers listen on (53).
        server_port: u16,
    },
    /// DNS-over-HTTPS (RFC 8484) resolver URLs, exactly as the browser asks them (the core's
    /// [`DohCheck`](cf503_core::dns::DohCheck) decides GET or POST and the time-outs). It cannot
    /// reach a chosen server.
    Doh {
        /// The resolvers' URLs, e.g. `https://dns.example/dns-query`; the check asks every one
        /// for the origin and compares them.
        urls: Vec<String>,
    },
}

/// Drives a session to its end: every request on a thread of its own running `send`, replies
/// back over a channel to this loop, which owns the session. The session decides time-outs,
/// retries and fall-backs; `send` only moves bytes.
pub fn drive<S, F>(session: &mut S, send: F)
where
    S: Session,
    S::Request: Send + 'static,
    S::Reply: Send + 'static,
    F: Fn(S::Request) -> Result<S::Reply, Failure> + Send + Sync + 'static,
{
    let send = Arc::new(send);
    let (tx, rx) = mpsc::channel::<(u32, Result<S::Reply, Failure>)>();
    let start = Instant::now();
    let now = || u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    loop {
        while let Some(request) = session.poll_request(now()) {
            let token = S::token(&request);
            let tx = tx.clone();
            let send = Arc::clone(&send);
            std::thread::spawn(move || {
                // The loop may be gone (session finished): nothing to do then.
                let _ = tx.send((token, send(request)));
            });
        }
        if session.is_done() {
            return;
        }
        let wait = session
            .poll_timeout()
            .map_or(Duration::from_millis(100), |d| {
                Duration::from_millis(d.saturating_sub(now()))
            });
        if let Ok((token, reply)) = rx.recv_timeout(wait) {
            session.handle_reply(token, reply, now());
        }
        session.handle_timeout(now());
    }
}

/// Runs a check over plain DNS: UDP to the resolver or to each server's `server_port`, TCP on
/// truncation. A thread waits at most a little over the check's attempt time-out.
pub fn run_udp(check: &mut OriginCheck, resolver: SocketAddr, server_port: u16) {
    let grace = cf503_core::dns::doh::TRANSPORT_GRACE_MS;
    let resolver_cap = Duration::from_millis(check.attempt_timeout_ms(Target::Resolver(0)) + grace);
    let server_cap = Duration::from_millis(
        check.attempt_timeout_ms(Target::Server(IpAddr::from([0, 0, 0, 0]))) + grace,
    );
    drive(check, move |t: Transmit| match t.target {
        Target::Resolver(_) => exchange(resolver, &t, resolver_cap),
        Target::Server(ip) => exchange(SocketAddr::new(ip, server_port), &t, server_cap),
    });
}

/// One attempt: UDP, answers from elsewhere dropped by the connected socket, stray or spoofed
/// datagrams dropped by the core's check; TCP when the answer is truncated. Gives up after
/// `cap` (the core decides the real time-out; this only bounds the thread).
fn exchange(addr: SocketAddr, t: &Transmit, cap: Duration) -> Result<Vec<u8>, Failure> {
    exchange_query(addr, t.id, &t.question, &t.bytes, cap)
}

/// One query's attempt (UDP, TCP on truncation), for callers that plan their own queries
/// (`cf503 edges`): the same checks as the DNS check's.
pub fn exchange_query(
    addr: SocketAddr,
    id: u16,
    question: &wire::Question,
    bytes: &[u8],
    cap: Duration,
) -> Result<Vec<u8>, Failure> {
    let deadline = Instant::now() + cap;
    let bind: SocketAddr = match addr.ip() {
        IpAddr::V4(_) => "0.0.0.0:0".parse().expect("literal"),
        IpAddr::V6(_) => "[::]:0".parse().expect("literal"),
    };
    let net = |e: std::io::Error| Failure::Network(format!("{addr}: {e}"));
    let sock = UdpSocket::bind(bind).map_err(net)?;
    sock.connect(addr).map_err(net)?;
    sock.send(bytes).map_err(net)?;
    let mut buf = vec![0u8; 65_535];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Failure::Timeout);
        }
        sock.set_read_timeout(Some(left)).map_err(net)?;
        let n = match sock.recv(&mut buf) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(Failure::Timeout);
            }
            Err(e) => return Err(net(e)),
        };
        match wire::check_response(id, question, &buf[..n]) {
            Verdict::Accept(_) => return Ok(buf[..n].to_vec()),
            Verdict::Truncated(_) => return tcp(addr, id, question, bytes, deadline),
            Verdict::Reject(_) => continue,
        }
    }
}

fn tcp(
    addr: SocketAddr,
    id: u16,
    question: &wire::Question,
    bytes: &[u8],
    deadline: Instant,
) -> Result<Vec<u8>, Failure> {
    let net = |e: std::io::Error| Failure::Network(format!("{addr} (TCP): {e}"));
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1));
    let mut s = TcpStream::connect_timeout(&addr, left).map_err(net)?;
    s.set_read_timeout(Some(left)).map_err(net)?;
    s.set_write_timeout(Some(left)).map_err(net)?;
    let len = u16::try_from(bytes.len()).map_err(|_| Failure::NotDns("query too large".into()))?;
    let mut msg = len.to_be_bytes().to_vec();
    msg.extend_from_slice(bytes);
    s.write_all(&msg).map_err(net)?;
    let mut len = [0u8; 2];
    s.read_exact(&mut len).map_err(net)?;
    let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
    s.read_exact(&mut buf).map_err(net)?;
    match wire::check_response(id, question, &buf) {
        Verdict::Accept(_) | Verdict::Truncated(_) => Ok(buf),
        Verdict::Reject(e) => Err(Failure::NotDns(e.to_string())),
    }
}

/// One DoH exchange as the core asked for it. An HTTP status, content type and body are the
/// core's to judge; only a time-out or a network error is decided here.
#[allow(clippy::needless_pass_by_value)] // by value: the shape `drive` hands requests over in
pub fn doh_exchange(request: HttpRequest) -> Result<HttpReply, Failure> {
    let url = request.url.as_str();
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_millis(request.timeout_ms)))
        .user_agent(concat!("cf503/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    let sent = match (request.method, request.content_type()) {
        (Method::Post, Some(content_type)) => agent
            .post(url)
            .header("accept", HttpRequest::ACCEPT)
            .header("content-type", content_type)
            .send(&request.body[..]),
        _ => agent.get(url).header("accept", HttpRequest::ACCEPT).call(),
    };
    let mut resp = sent.map_err(|e| match e {
        ureq::Error::Timeout(_) => Failure::Timeout,
        other => Failure::Network(format!("{url}: {other}")),
    })?;
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut body = Vec::new();
    resp.body_mut()
        .as_reader()
        .take(wire::MAX_MESSAGE as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Failure::Network(format!("{url}: {e}")))?;
    Ok(HttpReply {
        status,
        content_type,
        body,
    })
}

/// The first `nameserver` of /etc/resolv.conf, port 53.
pub fn system_resolver() -> Option<SocketAddr> {
    let conf = std::fs::read_to_string("/etc/resolv.conf").ok()?;
    conf.lines().find_map(|l| {
        let mut w = l.split_whitespace();
        (w.next()? == "nameserver").then_some(())?;
        let ip: IpAddr = w.next()?.split('%').next()?.parse().ok()?;
        Some(SocketAddr::new(ip, 53))
    })
}

/// `ADDR`, `ADDR:PORT`, `[V6]:PORT`.
pub fn parse_resolver(s: &str) -> Option<SocketAddr> {
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(sa);
    }
    s.trim_matches(|c| c == '[' || c == ']')
        .parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, 53))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cf503_core::dns::{Flags, Question, RType};

    fn transmit(id: u16) -> Transmit {
        let question = Question {
            name: "www.example.test.".into(),
            rtype: RType::A,
        };
        let flags = Flags {
            rd: true,
            ..Flags::default()
        };
        Transmit {
            token: 1,
            id,
            bytes: wire::encode_query(id, &question, flags).unwrap(),
            question,
            flags,
            target: Target::Resolver(0),
        }
    }

    fn answer(query: &[u8], id: u16, tc: bool) -> Vec<u8> {
        // Echo the query as a response: flip QR (and TC), keep the question.
        let mut b = query.to_vec();
        b[0..2].copy_from_slice(&id.to_be_bytes());
        b[2] |= 0x80 | if tc { 0x02 } else { 0 };
        b
    }

    /// A fake server on loopback: a wrong-ID reply, then a truncated one; the full answer over
    /// TCP. The transport must skip the first, fall back to TCP on the second.
    #[test]
    fn udp_drops_strays_and_falls_back_to_tcp() {
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = udp.local_addr().unwrap().port();
        let tcp_listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        let server = std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            let (n, peer) = udp.recv_from(&mut buf).unwrap();
            let id = u16::from_be_bytes([buf[0], buf[1]]);
            udp.send_to(&answer(&buf[..n], id.wrapping_add(1), false), peer)
                .unwrap();
            udp.send_to(&answer(&buf[..n], id, true), peer).unwrap();
            let (mut s, _) = tcp_listener.accept().unwrap();
            let mut len = [0u8; 2];
            s.read_exact(&mut len).unwrap();
            let mut q = vec![0u8; usize::from(u16::from_be_bytes(len))];
            s.read_exact(&mut q).unwrap();
            let a = answer(&q, id, false);
            s.write_all(&u16::try_from(a.len()).unwrap().to_be_bytes())
                .unwrap();
            s.write_all(&a).unwrap();
        });
        let t = transmit(0x4242);
        let got = exchange(
            SocketAddr::from(([127, 0, 0, 1], port)),
            &t,
            Duration::from_secs(5),
        )
        .unwrap();
        assert!(matches!(
            wire::check_response(0x4242, &t.question, &got),
            Verdict::Accept(_)
        ));
        server.join().unwrap();
    }

    #[test]
    fn silence_is_a_timeout_and_a_closed_port_a_network_error() {
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let t = transmit(1);
        let r = exchange(silent.local_addr().unwrap(), &t, Duration::from_millis(200));
        assert_eq!(r, Err(Failure::Timeout));
        let port = silent.local_addr().unwrap().port();
        drop(silent);
        let r = exchange(
            SocketAddr::from(([127, 0, 0, 1], port)),
            &t,
            Duration::from_millis(500),
        );
        assert!(matches!(r, Err(Failure::Network(_))), "{r:?}");
    }

    #[test]
    fn resolver_addresses() {
        assert_eq!(
            parse_resolver("127.0.0.1:5353"),
            Some(SocketAddr::from(([127, 0, 0, 1], 5353)))
        );
        assert_eq!(
            parse_resolver("127.0.0.1"),
            Some(SocketAddr::from(([127, 0, 0, 1], 53)))
        );
        assert_eq!(parse_resolver("[::1]:5353").map(|s| s.port()), Some(5353));
        assert_eq!(parse_resolver("::1").map(|s| s.port()), Some(53));
        assert_eq!(parse_resolver("resolver.example"), None);
    }
}
