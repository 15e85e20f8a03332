//! The origin's DNS check as CloudFront needs it, whole: the check of the origin's name, then,
//! when its CNAME chain leads into another zone and name servers can be asked directly, the same
//! check of that zone, within what is left of the same deadline. A decision of the engine, not
//! of a transport: the CLI only moves the bytes of one session.

use super::wire::WireError;
use super::{Check, Config, DnsReport, Failure, Session, Target, Transmit, Verdict};

/// The CNAME target's check needs at least this long to say anything (ms); with less left, the
/// origin's report stands alone.
const MIN_FOLLOW_MS: u64 = 1_000;

/// Tokens of the second check carry this bit, so a late answer for the first never reaches it.
const FOLLOW_BIT: u32 = 1 << 31;

/// A check of the origin, followed into its CNAME target's zone when that is another one.
#[derive(Debug)]
pub struct OriginCheck {
    first: Check,
    then: Option<Check>,
    /// Whether the follow-up was decided (made or not) once the first check ended.
    decided: bool,
    config: Config,
    seed: u64,
    start: Option<u64>,
}

impl OriginCheck {
    /// A check of `origin` (see [`Check::new`]).
    pub fn new(origin: &str, config: Config, seed: u64) -> Result<Self, WireError> {
        Ok(OriginCheck {
            first: Check::new(origin, config, seed)?,
            then: None,
            decided: false,
            config,
            seed,
            start: None,
        })
    }

    /// The time-out of one attempt at a target (the transport bounds its threads by it).
    pub fn attempt_timeout_ms(&self, target: Target) -> u64 {
        self.first.attempt_timeout_ms(target)
    }

    /// The report: the origin's, with the CNAME target's joined in when it was checked.
    pub fn report(&self) -> DnsReport {
        let mut report = DnsReport::from_check(&self.first);
        if let Some(then) = &self.then {
            report.join_cname_target(DnsReport::from_check(then));
        }
        report
    }

    /// Once the first check has ended: whether its CNAME target lies in another zone that can
    /// be asked, and if so the check of it, with the time that is left.
    fn decide(&mut self, now: u64) {
        if self.decided || !self.first.is_done() {
            return;
        }
        self.decided = true;
        if !self.config.can_target_servers {
            return;
        }
        let Some(target) = DnsReport::from_check(&self.first).cname_target_outside_zone() else {
            return;
        };
        let spent = now.saturating_sub(self.start.unwrap_or(now));
        let left = self.config.deadline_ms.saturating_sub(spent);
        if left < MIN_FOLLOW_MS {
            return;
        }
        let config = Config {
            deadline_ms: left,
            ..self.config
        };
        // The target came from an answer already checked as a name; a failure here leaves the
        // origin's report alone.
        self.then = Check::new(&target, config, self.seed.rotate_left(17) ^ 0x9e37_79b9).ok();
    }
}

impl Session for OriginCheck {
    type Request = Transmit;
    type Reply = alloc::vec::Vec<u8>;

    fn poll_request(&mut self, now: u64) -> Option<Transmit> {
        self.start.get_or_insert(now);
        self.decide(now);
        match &mut self.then {
            Some(then) => then.poll_transmit(now).map(|mut t| {
                t.token |= FOLLOW_BIT;
                t
            }),
            None => self.first.poll_transmit(now),
        }
    }

    fn token(request: &Transmit) -> u32 {
        request.token
    }

    fn handle_reply(&mut self, token: u32, reply: Result<alloc::vec::Vec<u8>, Failure>, now: u64) {
        let check = if token & FOLLOW_BIT == 0 {
            &mut self.first
        } else if let Some(then) = &mut self.then {
            then
        } else {
            return;
        };
        let token = token & !FOLLOW_BIT;
        match reply {
            Ok(bytes) => {
                // A rejected answer (stray, spoofed) changes nothing; the attempt times out.
                let _: Verdict = check.handle_answer(token, &bytes, now);
            }
            Err(f) => check.handle_failure(token, f, now),
        }
        self.decide(now);
    }

    fn poll_timeout(&self) -> Option<u64> {
        match &self.then {
            Some(then) => then.poll_timeout(),
            None => self.first.poll_timeout(),
        }
    }

    fn handle_timeout(&mut self, now: u64) {
        match &mut self.then {
            Some(then) => then.handle_timeout(now),
            None => self.first.handle_timeout(now),
        }
        self.decide(now);
    }

    fn is_done(&self) -> bool {
        self.first.is_done() && self.decided && self.then.as_ref().is_none_or(Check::is_done)
    }
}
