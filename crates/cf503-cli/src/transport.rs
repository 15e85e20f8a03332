//! Native DNS transport: moves the bytes the core's [`Check`] hands out, over UDP with a TCP
//! fallback on truncation. Decisions (time-outs, retries, what an answer means) stay in the core.
//!
//! Concurrency without an async runtime: one short-lived thread per query attempt, blocking on a
//! connected socket; results come back over a channel to the loop that owns the check. The core
//! keeps at most [`MAX_IN_FLIGHT`](cf503_core::dns::check::MAX_IN_FLIGHT) attempts in flight and a
//! thread outlives its attempt by at most half a second, so a check holds a few dozen threads at
//! most, whatever the zone names.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use cf503_core::dns::{
    Check, Failure, Target, Transmit, Verdict, doh_get_url, doh_wants_post, judge_doh, wire,
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
    /// DNS-over-HTTPS (RFC 8484) to a resolver URL, exactly as the browser does: GET with
    /// `?dns=`, POST for a resolver that refuses GET. It cannot reach a chosen server, so the check must be configured for that.
    Doh {
        /// The resolvers' URLs, e.g. `https://dns.example/dns-query`; the check asks every one
        /// for the origin and compares them.
        urls: Vec<String>,
    },
}

type Outcome = (u32, Result<Vec<u8>, Failure>);

/// How long a thread may wait for an answer, by target (a little over the core's time-outs).
#[derive(Clone, Copy, Debug)]
pub struct AttemptCaps {
    /// For a recursive resolver.
    pub resolver: Duration,
    /// For an authoritative server.
    pub server: Duration,
}

/// Runs the check to the end.
pub fn run(check: &mut Check, endpoints: Endpoints, caps: AttemptCaps) {
    let (tx, rx) = mpsc::channel::<Outcome>();
    let start = Instant::now();
    let now = || start.elapsed().as_millis() as u64;
    // Per DoH resolver: has it refused a GET? Then every later query to it goes by POST.
    let post_only: Arc<Vec<AtomicBool>> = Arc::new(match &endpoints {
        Endpoints::Doh { urls } => urls.iter().map(|_| AtomicBool::new(false)).collect(),
        Endpoints::Udp { .. } => Vec::new(),
    });
    loop {
        while let Some(t) = check.poll_transmit(now()) {
            let tx = tx.clone();
            let endpoints = endpoints.clone();
            let post_only = Arc::clone(&post_only);
            let attempt_cap = match t.target {
                Target::Resolver(_) => caps.resolver,
                Target::Server(_) => caps.server,
            };
            std::thread::spawn(move || {
                let result = match (&endpoints, t.target) {
                    (Endpoints::Udp { resolver, .. }, Target::Resolver(_)) => {
                        exchange(*resolver, &t, attempt_cap)
                    }
                    (Endpoints::Udp { server_port, .. }, Target::Server(ip)) => {
                        exchange(SocketAddr::new(ip, *server_port), &t, attempt_cap)
                    }
                    (Endpoints::Doh { urls }, Target::Resolver(i)) => {
                        match urls.get(usize::from(i)).zip(post_only.get(usize::from(i))) {
                            Some((url, post)) => doh(url, &t, attempt_cap, post),
                            None => Err(Failure::Network(format!(
                                "no resolver number {}",
                                u16::from(i) + 1
                            ))),
                        }
                    }
                    (Endpoints::Doh { .. }, Target::Server(_)) => {
                        Err(Failure::Network("DoH cannot reach a chosen server".into()))
                    }
                };
                // The loop may be gone (check finished): nothing to do then.
                let _ = tx.send((t.token, result));
            });
        }
        if check.is_done() {
            return;
        }
        let wait = check
            .poll_timeout()
            .map_or(Duration::from_millis(100), |d| {
                Duration::from_millis(d.saturating_sub(now()))
            });
        match rx.recv_timeout(wait) {
            Ok((token, Ok(bytes))) => {
                check.handle_answer(token, &bytes, now());
            }
            Ok((token, Err(failure))) => check.handle_failure(token, failure, now()),
            Err(_) => {}
        }
        check.handle_timeout(now());
    }
}

/// One attempt: UDP, answers from elsewhere dropped by the connected socket, stray or spoofed
/// datagrams dropped by the core's check; TCP when the answer is truncated. Gives up after
/// `cap` (the core decides the real time-out; this only bounds the thread).
fn exchange(addr: SocketAddr, t: &Transmit, cap: Duration) -> Result<Vec<u8>, Failure> {
    let deadline = Instant::now() + cap;
    let bind: SocketAddr = match addr.ip() {
        IpAddr::V4(_) => "0.0.0.0:0".parse().expect("literal"),
        IpAddr::V6(_) => "[::]:0".parse().expect("literal"),
    };
    let net = |e: std::io::Error| Failure::Network(format!("{addr}: {e}"));
    let sock = UdpSocket::bind(bind).map_err(net)?;
    sock.connect(addr).map_err(net)?;
    sock.send(&t.bytes).map_err(net)?;
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
        match wire::check_response(t.id, &t.question, &buf[..n]) {
            Verdict::Accept(_) => return Ok(buf[..n].to_vec()),
            Verdict::Truncated(_) => return tcp(addr, t, deadline),
            Verdict::Reject(_) => continue,
        }
    }
}

fn tcp(addr: SocketAddr, t: &Transmit, deadline: Instant) -> Result<Vec<u8>, Failure> {
    let net = |e: std::io::Error| Failure::Network(format!("{addr} (TCP): {e}"));
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1));
    let mut s = TcpStream::connect_timeout(&addr, left).map_err(net)?;
    s.set_read_timeout(Some(left)).map_err(net)?;
    s.set_write_timeout(Some(left)).map_err(net)?;
    let len =
        u16::try_from(t.bytes.len()).map_err(|_| Failure::NotDns("query too large".into()))?;
    let mut msg = len.to_be_bytes().to_vec();
    msg.extend_from_slice(&t.bytes);
    s.write_all(&msg).map_err(net)?;
    let mut len = [0u8; 2];
    s.read_exact(&mut len).map_err(net)?;
    let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
    s.read_exact(&mut buf).map_err(net)?;
    match wire::check_response(t.id, &t.question, &buf) {
        Verdict::Accept(_) | Verdict::Truncated(_) => Ok(buf),
        Verdict::Reject(e) => Err(Failure::NotDns(e.to_string())),
    }
}

/// One DoH query: GET, or POST once the resolver has refused a GET (then remembered in
/// `post_only`, shared by the query threads).
fn doh(url: &str, t: &Transmit, cap: Duration, post_only: &AtomicBool) -> Result<Vec<u8>, Failure> {
    if !post_only.load(Ordering::Relaxed) {
        match doh_exchange(url, t, cap, false) {
            Err(f) if doh_wants_post(&f) => post_only.store(true, Ordering::Relaxed),
            other => return other,
        }
    }
    doh_exchange(url, t, cap, true)
}

/// One DoH exchange (RFC 8484 GET or POST). An HTTP error, another content type or bytes that
/// do not answer the query are failures with their reason: the check goes on without this
/// answer.
fn doh_exchange(url: &str, t: &Transmit, cap: Duration, post: bool) -> Result<Vec<u8>, Failure> {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(cap))
        .user_agent(concat!("cf503/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    let sent = if post {
        agent
            .post(url)
            .header("accept", "application/dns-message")
            .header("content-type", "application/dns-message")
            .send(&t.bytes[..])
    } else {
        agent
            .get(&doh_get_url(url, t))
            .header("accept", "application/dns-message")
            .call()
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
    judge_doh(url, t, status, &content_type, &body)?;
    Ok(body)
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
            s.write_all(&(a.len() as u16).to_be_bytes()).unwrap();
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
