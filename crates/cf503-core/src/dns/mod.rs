//! DNS checks of an origin domain, sans-IO.
//!
//! [`Check`] plans the queries (`dig apex NS +short`, then `dig origin @ns` for every name
//! server, and more) and interprets the answers; a transport moves the bytes: UDP/TCP to each
//! server natively, DNS-over-HTTPS in a browser (which cannot reach a chosen server, so the
//! check plans around it). [`DnsReport`] (module `findings`) judges what was found, with stable
//! finding ids; `report::dns` renders it. [`OriginCheck`] follows a CNAME chain that leads into
//! another zone with the same check of that zone, within the same deadline.

pub mod check;
pub mod doh;
pub mod findings;
pub mod follow;
pub mod wire;

pub use check::{Check, Config, DEFAULT_DEADLINE_MS, Failure, Target, Transmit};
pub use doh::{DohCheck, HttpReply, HttpRequest, Method};
pub use findings::{
    Asked, CnameLink, DnsFinding, DnsFindingId, DnsReport, QueryOutcome, QueryResult, Scope,
    ServerReport, Severity,
};
pub use follow::OriginCheck;
pub use wire::{Flags, Question, RType, Verdict};

/// A sans-IO session a transport drives: [`Check`] over datagrams (UDP, TCP), [`DohCheck`] over
/// HTTP. The transport sends each request, reports its reply or failure, and sleeps until
/// [`Session::poll_timeout`]; the session decides everything else.
pub trait Session {
    /// What the transport sends.
    type Request;
    /// What it reports back when the exchange worked.
    type Reply;
    /// The next request to send, if any.
    fn poll_request(&mut self, now: u64) -> Option<Self::Request>;
    /// The token a request's reply is reported under.
    fn token(request: &Self::Request) -> u32;
    /// What came of the request `token`.
    fn handle_reply(&mut self, token: u32, reply: Result<Self::Reply, Failure>, now: u64);
    /// When [`Session::handle_timeout`] is due (ms on the caller's clock).
    fn poll_timeout(&self) -> Option<u64>;
    /// Lets time pass.
    fn handle_timeout(&mut self, now: u64);
    /// Whether the session is over.
    fn is_done(&self) -> bool;
}

impl Session for Check {
    type Request = Transmit;
    type Reply = alloc::vec::Vec<u8>;

    fn poll_request(&mut self, now: u64) -> Option<Transmit> {
        self.poll_transmit(now)
    }
    fn token(request: &Transmit) -> u32 {
        request.token
    }
    fn handle_reply(&mut self, token: u32, reply: Result<alloc::vec::Vec<u8>, Failure>, now: u64) {
        match reply {
            Ok(bytes) => {
                self.handle_answer(token, &bytes, now);
            }
            Err(f) => self.handle_failure(token, f, now),
        }
    }
    fn poll_timeout(&self) -> Option<u64> {
        Check::poll_timeout(self)
    }
    fn handle_timeout(&mut self, now: u64) {
        Check::handle_timeout(self, now);
    }
    fn is_done(&self) -> bool {
        Check::is_done(self)
    }
}
