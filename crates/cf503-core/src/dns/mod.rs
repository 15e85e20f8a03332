//! DNS checks of an origin domain, sans-IO.
//!
//! [`Check`] plans the queries (`dig apex NS +short`, then `dig origin @ns` for every name
//! server, and more) and interprets the answers; a transport moves the bytes: UDP/TCP to each
//! server natively, DNS-over-HTTPS in a browser (which cannot reach a chosen server, so the
//! check plans around it). [`DnsReport`] says what was found, with stable finding ids.

pub mod check;
pub mod report;
pub mod wire;

pub use check::{Check, Config, Failure, Target, Transmit, doh_get_url, doh_wants_post, judge_doh};
pub use report::{DnsFinding, DnsFindingId, DnsReport, ServerReport, Severity};
pub use wire::{Flags, Question, RType, Verdict};
