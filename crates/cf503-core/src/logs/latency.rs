//! How long failing requests took (`time-taken`), per cause, in a histogram that merges exactly:
//! log-scale buckets with eight steps per doubling, so a percentile read from it is within
//! 12.5 % of the true one whatever the input, and memory is at most a few hundred counters.
//!
//! Law: [`Latency::merge`] is a commutative monoid (counts add, the maximum is the larger,
//! the empty histogram is the identity): parts read on any thread merge to the same figures in
//! any order.

use alloc::vec::Vec;

/// Steps per doubling: a bucket's upper bound is at most `1 + 1/STEPS` times its lower bound.
const STEPS_LOG2: u32 = 3;
const STEPS: u64 = 1 << STEPS_LOG2;

/// The largest relative error of a percentile, in percent (`100 / STEPS`).
pub const PRECISION_PERCENT: f32 = 12.5;

/// Durations in milliseconds, bucketed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Latency {
    /// Counts by bucket, up to the highest bucket seen (at most 64 × [`STEPS`]).
    buckets: Vec<u64>,
    count: u64,
    max_ms: u64,
}

/// The bucket of `ms`: exact below [`STEPS`] ms, then [`STEPS`] buckets per doubling.
fn bucket_of(ms: u64) -> u16 {
    if ms < STEPS {
        // At most 7: fits.
        return u16::try_from(ms).unwrap_or(0);
    }
    let exp = 63 - ms.leading_zeros(); // ≥ STEPS_LOG2
    let mantissa = (ms >> (exp - STEPS_LOG2)) & (STEPS - 1);
    // exp ≤ 63, so the index is below 64 * 8.
    u16::try_from(u64::from(exp - STEPS_LOG2 + 1) * STEPS + mantissa).unwrap_or(u16::MAX)
}

/// The largest duration in a bucket, ms.
fn upper_bound(bucket: u16) -> u64 {
    let b = u64::from(bucket);
    if b < STEPS {
        return b;
    }
    let exp = b / STEPS - 1 + u64::from(STEPS_LOG2);
    let mantissa = b % STEPS;
    let lower = (STEPS + mantissa) << (exp - u64::from(STEPS_LOG2));
    lower + (1u64 << (exp - u64::from(STEPS_LOG2))) - 1
}

/// `time-taken` as logged (seconds, up to three decimals: `0.102`, `30.001`) in milliseconds;
/// `None` for anything else.
pub fn parse_seconds(v: &str) -> Option<u64> {
    // The point found as a byte (a `char` search costs more than the whole parse).
    let (int, frac) = match memchr::memchr(b'.', v.as_bytes()) {
        Some(at) => (&v[..at], &v[at + 1..]),
        None => (v, ""),
    };
    if int.is_empty() || int.len() > 9 || frac.len() > 3 {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut ms: u64 = int.parse().ok()?;
    ms *= 1000;
    let mut scale = 100;
    for d in frac.bytes() {
        ms += u64::from(d - b'0') * scale;
        scale /= 10;
    }
    Some(ms)
}

impl super::bounded::Blank for Latency {
    fn is_blank(&self) -> bool {
        self.count == 0
    }
}

impl Latency {
    /// One duration, ms.
    pub fn add(&mut self, ms: u64) {
        let b = usize::from(bucket_of(ms));
        if b >= self.buckets.len() {
            self.buckets.resize(b + 1, 0);
        }
        self.buckets[b] += 1;
        self.count += 1;
        self.max_ms = self.max_ms.max(ms);
    }

    /// Another part's durations (counts saturate: parts come from other workers too).
    pub fn merge(&mut self, other: &Latency) {
        if other.buckets.len() > self.buckets.len() {
            self.buckets.resize(other.buckets.len(), 0);
        }
        for (into, n) in self.buckets.iter_mut().zip(&other.buckets) {
            *into = into.saturating_add(*n);
        }
        self.count = self.count.saturating_add(other.count);
        self.max_ms = self.max_ms.max(other.max_ms);
    }

    /// The buckets' counts, the count and the maximum (what [`Latency::from_parts`] takes).
    pub(crate) fn parts(&self) -> (&[u64], u64, u64) {
        (&self.buckets, self.count, self.max_ms)
    }

    /// A histogram sent between workers; `None` unless it adds up: no bucket past the
    /// largest a duration can fall in, the count the sum of the buckets, the maximum in the
    /// last bucket counted (or 0 with no count).
    pub(crate) fn from_parts(buckets: Vec<u64>, count: u64, max_ms: u64) -> Option<Self> {
        if buckets.len() > usize::from(bucket_of(u64::MAX)) + 1 {
            return None;
        }
        let sum = buckets.iter().try_fold(0u64, |a, n| a.checked_add(*n))?;
        let last = buckets.iter().rposition(|n| *n > 0);
        let fits = match last {
            None => max_ms == 0,
            Some(b) => usize::from(bucket_of(max_ms)) == b,
        };
        (sum == count && fits).then_some(Latency {
            buckets,
            count,
            max_ms,
        })
    }

    /// How many durations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The longest, ms (exact).
    pub fn max_ms(&self) -> u64 {
        self.max_ms
    }

    /// The `per_mille`-th per-mille (500: the median), ms: the upper bound of the bucket that
    /// holds it, never above the maximum. `None` when empty.
    pub fn quantile_ms(&self, per_mille: u64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = (u128::from(self.count) * u128::from(per_mille.min(1000))).div_ceil(1000);
        let rank = u64::try_from(rank).unwrap_or(u64::MAX).max(1);
        let mut seen = 0;
        for (b, n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                let b = u16::try_from(b).unwrap_or(u16::MAX);
                return Some(upper_bound(b).min(self.max_ms));
            }
        }
        Some(self.max_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn buckets_bound_every_value_within_an_eighth() {
        for ms in (0..5000).chain([30_000, 60_000, 3_600_000, u64::MAX / 2]) {
            let b = bucket_of(ms);
            let hi = upper_bound(b);
            assert!(hi >= ms, "{ms} in {b} up to {hi}");
            // The bucket's lower end is the previous bucket's upper bound plus one.
            let lo = if b == 0 { 0 } else { upper_bound(b - 1) + 1 };
            assert!(lo <= ms, "{ms} in {b} from {lo}");
            assert!(hi - lo <= lo / STEPS + 1, "{ms}: {lo}..={hi}");
        }
    }

    #[test]
    fn time_taken_as_logged() {
        assert_eq!(parse_seconds("0.102"), Some(102));
        assert_eq!(parse_seconds("30.001"), Some(30_001));
        assert_eq!(parse_seconds("2"), Some(2000));
        assert_eq!(parse_seconds("1.5"), Some(1500));
        for bad in ["", "-", ".5", "1.2345", "1e3", "-1", "9999999999", "0x10"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn percentiles_and_merging() {
        let mut a = Latency::default();
        let mut b = Latency::default();
        for ms in 1..=1000 {
            if ms % 2 == 0 { a.add(ms) } else { b.add(ms) }
        }
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.count(), 1000);
        let median = ab.quantile_ms(500).unwrap();
        assert!((500..=563).contains(&median), "{median}");
        assert_eq!(ab.quantile_ms(1000), Some(1000));
        assert_eq!(Latency::default().quantile_ms(500), None);
    }
}
