//! DNS checks of an origin domain, sans-IO.
//!
//! [`Check`] plans the queries (`dig apex NS +short`, then `dig origin @ns` for every name
//! server, and more) and interprets the answers; a transport moves the bytes: UDP/TCP to each
//! server natively, DNS-over-HTTPS in a browser (which cannot reach a chosen server, so the
//! check plans around it). [`DnsReport`] (module `findings`) judges what was found, with stable
//! finding ids; `report::dns` renders it.

pub mod check;
pub mod findings;
pub mod wire;

pub use check::{Check, Config, Failure, Target, Transmit, doh_get_url, doh_wants_post, judge_doh};
pub use findings::{
    Asked, CnameLink, DnsFinding, DnsFindingId, DnsReport, QueryOutcome, QueryResult, ServerReport,
    Severity,
};
pub use wire::{Flags, Question, RType, Verdict};
