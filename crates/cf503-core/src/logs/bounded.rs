//! Counts that stay within a fixed size whatever the variety of the input, and merge as a
//! commutative monoid: for parts `a`, `b`, `c` of one input, `a + b == b + a` and
//! `(a + b) + c == a + (b + c)`, and both equal the counts of the whole input read at once.
//!
//! A log is unbounded in volume (handled by streaming) and in *variety*: 20,000 edge locations of
//! 60 KB each, millions of distinct paths, two years of one error a minute. Every key the summary
//! keeps is bounded in length ([`bounded_key`]) and in number ([`Capped`]); the timeline is
//! bounded in buckets ([`Timeline`]). Below the bounds everything is exact; past them the rule
//! that decides what is kept depends only on the keys, never on the order they arrived in, so
//! the same logs give the same report on any number of threads.

use alloc::borrow::Cow;
use alloc::collections::{BTreeMap, BinaryHeap};
use alloc::string::String;
use alloc::vec::Vec;

use hashbrown::HashTable;

use super::time::Minute;
use crate::causes::CauseId;

/// Counts per cause: a slot per cause, indexed by it, where a map of them walked a tree per
/// counted error in each of the summary's tables (the causes, an edge location's, a minute's;
/// 1.6 % of the instructions of reading error-heavy logs).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct CauseCounts([u64; CauseId::ALL.len()]);

impl CauseCounts {
    /// Counts `n` more of `cause` (saturating).
    #[inline]
    pub fn add(&mut self, cause: CauseId, n: u64) {
        let x = &mut self.0[cause.index()];
        *x = x.saturating_add(n);
    }

    /// How many of `cause`, when any.
    pub fn get(&self, cause: CauseId) -> Option<u64> {
        Some(self.0[cause.index()]).filter(|n| *n > 0)
    }

    /// The causes counted, with their counts, in the causes' order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (CauseId, u64)> + '_ {
        CauseId::ALL
            .iter()
            .zip(self.0)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (*c, n))
    }

    /// All counts added up (saturating).
    pub fn total(&self) -> u64 {
        self.0.iter().fold(0, |a, n| a.saturating_add(*n))
    }

    /// Every cause's count, in [`CauseId::ALL`]'s order (zeros too).
    pub(crate) fn as_slice(&self) -> &[u64] {
        &self.0
    }

    /// From [`CauseCounts::as_slice`]; `None` unless there is a count for every cause.
    pub(crate) fn from_slice(counts: &[u64]) -> Option<Self> {
        Some(CauseCounts(counts.try_into().ok()?))
    }
}

impl core::fmt::Debug for CauseCounts {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A value kept per cause, in a slot indexed by the cause (as [`CauseCounts`] keeps counts): the
/// summary's durations and sample ids, looked up for every counted error. As maps of cause to
/// value they walked a tree each; the slots took 3 % off reading 1 GB of error-heavy logs.
/// (`CauseCounts` built on this type ran the same instructions but 2-3 % slower, measured: it
/// keeps its own array.) A blank value ([`Blank`], the `Default`) is no value:
/// [`PerCause::get`] and [`PerCause::iter`] skip it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerCause<T>([T; CauseId::ALL.len()]);

/// Whether a value holds nothing yet (what a [`PerCause`] slot starts as).
pub trait Blank {
    /// Nothing added yet.
    fn is_blank(&self) -> bool;
}

impl<T> Blank for Vec<T> {
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

impl<T: Default> Default for PerCause<T> {
    fn default() -> Self {
        PerCause(core::array::from_fn(|_| T::default()))
    }
}

impl<T: Blank> PerCause<T> {
    /// `cause`'s value, unless blank.
    pub fn get(&self, cause: CauseId) -> Option<&T> {
        Some(&self.0[cause.index()]).filter(|v| !v.is_blank())
    }

    /// `cause`'s slot, to add to.
    #[inline]
    pub fn slot(&mut self, cause: CauseId) -> &mut T {
        &mut self.0[cause.index()]
    }

    /// The causes with a value, in [`CauseId::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = (CauseId, &T)> + '_ {
        CauseId::ALL
            .iter()
            .zip(&self.0)
            .filter(|(_, v)| !v.is_blank())
            .map(|(c, v)| (*c, v))
    }

    /// The causes with a value, taken out, in [`CauseId::ALL`]'s order.
    pub fn into_values(self) -> impl Iterator<Item = (CauseId, T)> {
        CauseId::ALL
            .into_iter()
            .zip(self.0)
            .filter(|(_, v)| !v.is_blank())
    }
}

/// A value counted per key: adding two is commutative and associative, `Default` is zero.
pub trait Tally: Default {
    /// Adds `other` in.
    fn absorb(&mut self, other: Self);
}

impl Tally for u64 {
    fn absorb(&mut self, other: Self) {
        *self = self.saturating_add(other);
    }
}

impl Tally for CauseCounts {
    fn absorb(&mut self, other: Self) {
        for (x, n) in self.0.iter_mut().zip(other.0) {
            *x = x.saturating_add(n);
        }
    }
}

/// The marker put after a key cut to its bound.
pub const CUT: char = '…';

/// `key` cut to at most `max` bytes (at a character boundary, ending in [`CUT`]): the same
/// key gives the same bounded key wherever it is read, so cut keys still merge.
pub fn bounded_key(key: &str, max: usize) -> Cow<'_, str> {
    if key.len() <= max {
        return Cow::Borrowed(key);
    }
    let mut end = max.saturating_sub(CUT.len_utf8());
    while !key.is_char_boundary(end) {
        end -= 1;
    }
    let mut cut = String::with_capacity(end + CUT.len_utf8());
    cut.push_str(&key[..end]);
    cut.push(CUT);
    Cow::Owned(cut)
}

/// A 64-bit hash of a key that is the same on every platform and run: eight bytes at a time
/// (an FxHash-style multiply-rotate: it runs once per counted record, so it must be cheap),
/// then the SplitMix64 finaliser so that the high bits are well mixed ([`Capped`] keeps the
/// smallest).
pub fn key_hash(key: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let bytes = key.as_bytes();
    let mut h = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Counts per key for at most `CAP` distinct keys of at most `KEY` bytes each.
///
/// While there are at most `CAP` distinct keys, every count is exact. Past that, the keys kept
/// are the `CAP` whose `(hash, key)` are smallest (a bottom-k sample of the keys: which keys
/// these are depends on the keys alone, not on arrival order or how the input was split), each
/// with its exact count, and the counts of all other keys are added into [`Capped::other`].
/// A key left out once is never kept later (the threshold only falls), which is what makes the
/// kept counts exact. The kept hashes also estimate how many distinct keys there were
/// ([`Capped::distinct`]).
///
/// Every counted error record looks its edge location and its path up here, so the lookup is
/// one probe of a hash table whose slots hold the key's hash beside it (a B-tree of hashes, each
/// to a list of keys, was a fifth of reading error-heavy logs: a cache miss per level and per
/// pointer); a max-heap of the kept hashes finds the one to evict past the cap.
#[derive(Clone, Debug)]
pub struct Capped<V, const CAP: usize, const KEY: usize> {
    /// The kept keys; two keys may share a hash (both kept, told apart by the key).
    kept: HashTable<Kept<V>>,
    /// The hash of every kept key (once per key), largest on top.
    hashes: BinaryHeap<u64>,
    other: V,
    saturated: bool,
}

/// A kept key, its [`key_hash`] and its count.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Kept<V> {
    hash: u64,
    /// The key's first [`HEAD`] bytes (zero after its end), beside it in the table: a lookup
    /// compares these and the length, and reads the key itself only when it is longer. Reading
    /// the key through its pointer was half the lookup's time (a cache miss on every record).
    head: [u8; HEAD],
    key: String,
    value: V,
}

/// Bytes of a key kept in the table itself: an edge location, a short path.
const HEAD: usize = 24;

/// Keys with one and the same hash kept, at most (see [`Capped::add_with`]).
const MAX_SAME_HASH: usize = 4;

fn head_of(key: &str) -> [u8; HEAD] {
    let mut head = [0u8; HEAD];
    let n = key.len().min(HEAD);
    head[..n].copy_from_slice(&key.as_bytes()[..n]);
    head
}

impl<V> Kept<V> {
    /// Whether this is `key`, whose hash is `hash` and head `head`.
    #[inline]
    fn is(&self, hash: u64, head: &[u8; HEAD], key: &str) -> bool {
        self.hash == hash
            && self.key.len() == key.len()
            && self.head == *head
            && (key.len() <= HEAD || self.key == key)
    }
}

impl<V: PartialEq, const CAP: usize, const KEY: usize> PartialEq for Capped<V, CAP, KEY> {
    fn eq(&self, other: &Self) -> bool {
        // The heap is derived from the table: equal tables have equal heaps (as multisets).
        self.kept.len() == other.kept.len()
            && self.kept.iter().all(|k| {
                other
                    .kept
                    .find(k.hash, |o| o.hash == k.hash && o.key == k.key)
                    .is_some_and(|o| o.value == k.value)
            })
            && self.other == other.other
            && self.saturated == other.saturated
    }
}

impl<V: Eq, const CAP: usize, const KEY: usize> Eq for Capped<V, CAP, KEY> {}

impl<V: Tally, const CAP: usize, const KEY: usize> Default for Capped<V, CAP, KEY> {
    fn default() -> Self {
        Capped {
            kept: HashTable::new(),
            hashes: BinaryHeap::new(),
            other: V::default(),
            saturated: false,
        }
    }
}

impl<V: Tally, const CAP: usize, const KEY: usize> Capped<V, CAP, KEY> {
    /// Counts into `key`'s value with `f` (or into [`Capped::other`] when the key is not kept).
    pub fn add_with(&mut self, key: &str, f: impl FnOnce(&mut V)) {
        let key = bounded_key(key, KEY);
        let hash = key_hash(&key);
        let head = head_of(&key);
        if let Some(k) = self.kept.find_mut(hash, |k| k.is(hash, &head, &key)) {
            f(&mut k.value);
            return;
        }
        // Past the cap, a key whose hash is above every kept key's is not kept (it would be the
        // largest): settled by one comparison, as most new keys are once many were seen. No
        // kept key shares its hash, so the rules below would say the same.
        if self.kept.len() >= CAP && self.hashes.peek().is_some_and(|&largest| hash > largest) {
            self.saturated = true;
            f(&mut self.other);
            return;
        }
        // Keys that share all 64 bits of their hash are only ever made on purpose (the hash is
        // not keyed): at most MAX_SAME_HASH of them are kept, the smallest, so that a flood of
        // them cannot make every lookup walk them all. Which are kept still depends on the keys
        // alone (a smaller one takes the place of the largest).
        let mut same = self.kept.iter_hash(hash).filter(|k| k.hash == hash);
        if let Some(first) = same.next()
            && same.clone().count() + 1 >= MAX_SAME_HASH
        {
            self.saturated = true;
            let largest = same.fold(first, |a, b| if b.key > a.key { b } else { a });
            if *key >= *largest.key {
                f(&mut self.other);
                return;
            }
            let at = largest.key.as_ptr() as usize;
            if let Ok(entry) = self
                .kept
                .find_entry(hash, |k| k.hash == hash && k.key.as_ptr() as usize == at)
            {
                let (k, _) = entry.remove();
                self.other.absorb(k.value);
            }
            // Its place is taken by a key of the same hash: the heap of hashes is as it was.
            self.insert(hash, head, key.into_owned(), f);
            return;
        }
        if self.kept.len() >= CAP {
            self.saturated = true;
            let kept = self.largest().is_some_and(|(h, k)| (hash, &*key) < (h, k));
            if !kept {
                // Past the cap and after every kept key (or CAP is 0): counted with the others.
                f(&mut self.other);
                return;
            }
            self.evict_largest();
        }
        self.insert(hash, head, key.into_owned(), f);
        self.hashes.push(hash);
    }

    /// Keeps `key` (not kept yet), its value counted from zero with `f`.
    fn insert(&mut self, hash: u64, head: [u8; HEAD], key: String, f: impl FnOnce(&mut V)) {
        let mut value = V::default();
        f(&mut value);
        let kept = Kept {
            hash,
            head,
            key,
            value,
        };
        self.kept.insert_unique(hash, kept, |k| k.hash);
    }

    /// The kept key with the largest `(hash, key)`.
    fn largest(&self) -> Option<(u64, &str)> {
        let h = *self.hashes.peek()?;
        self.kept
            .iter_hash(h)
            .filter(|k| k.hash == h)
            .map(|k| k.key.as_str())
            .max()
            .map(|k| (h, k))
    }

    fn evict_largest(&mut self) {
        // The key is told by where its bytes are (no copy of it): keys are distinct strings.
        let Some((h, at)) = self.largest().map(|(h, k)| (h, k.as_ptr() as usize)) else {
            return;
        };
        if let Ok(entry) = self
            .kept
            .find_entry(h, |k| k.hash == h && k.key.as_ptr() as usize == at)
        {
            let (k, _) = entry.remove();
            self.other.absorb(k.value);
            self.hashes.pop();
        }
    }

    /// A table from its kept keys and values, the others' count and whether keys were left
    /// out (a table sent between workers): each key is added as a merge would, so the table
    /// holds to the bounds and the bottom-k rule whatever it was given.
    pub(crate) fn from_parts(kept: Vec<(String, V)>, other: V, saturated: bool) -> Self {
        let mut c = Self {
            other,
            saturated,
            ..Self::default()
        };
        for (key, value) in kept {
            c.add_with(&key, |x| x.absorb(value));
        }
        c
    }

    /// Adds another part in.
    pub fn merge(&mut self, other: Self) {
        self.other.absorb(other.other);
        self.saturated |= other.saturated;
        for k in other.kept {
            self.add_with(&k.key, |x| x.absorb(k.value));
        }
    }

    /// The kept keys and their counts, in `(hash, key)` order (the same on every run).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        let mut kept: Vec<&Kept<V>> = self.kept.iter().collect();
        kept.sort_unstable_by(|a, b| (a.hash, &a.key).cmp(&(b.hash, &b.key)));
        kept.into_iter().map(|k| (k.key.as_str(), &k.value))
    }

    /// How many keys are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether nothing was counted under a key.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty() && !self.saturated
    }

    /// The counts of the keys not kept.
    pub fn other(&self) -> &V {
        &self.other
    }

    /// Whether some keys were left out (there were more than `CAP` distinct keys).
    pub fn saturated(&self) -> bool {
        self.saturated
    }

    /// How far off [`Capped::distinct`] can be past the bound, in percent: two relative
    /// standard errors of the estimator (`2 / sqrt(CAP - 2)`, rounded up), so about 95 % of
    /// estimates fall within it. 0 when the count is exact.
    pub fn distinct_error_percent(&self) -> u32 {
        if !self.saturated {
            return 0;
        }
        // The smallest p with (p / 200)^2 >= 1 / (CAP - 2): integer arithmetic.
        let k = (CAP as u64).saturating_sub(2).max(1);
        (1u32..=200)
            .find(|p| u64::from(*p) * u64::from(*p) * k >= 40_000)
            .unwrap_or(200)
    }

    /// How many distinct keys were seen: exact when nothing was left out, else an estimate
    /// from the `CAP`-th smallest hash (the k-minimum-values estimator: relative standard error
    /// about `1/sqrt(CAP - 2)`, 1.6 % at 4,096).
    pub fn distinct(&self) -> u64 {
        if !self.saturated {
            return self.kept.len() as u64;
        }
        let Some((largest, _)) = self.largest() else {
            return 0;
        };
        let k = self.kept.len() as u128;
        let estimate = (k.saturating_sub(1) << 64) / (u128::from(largest) + 1);
        u64::try_from(estimate)
            .unwrap_or(u64::MAX)
            .max(self.kept.len() as u64)
    }
}

/// Bucket widths of the timeline, in minutes: each divides the next, so coarsening one width
/// to another adds whole buckets. A minute, 10 minutes, an hour, a day, a week, then tenfold.
const WIDTHS: [i64; 18] = [
    1,
    10,
    60,
    1_440,
    10_080,
    100_800,
    1_008_000,
    10_080_000,
    100_800_000,
    1_008_000_000,
    10_080_000_000,
    100_800_000_000,
    1_008_000_000_000,
    10_080_000_000_000,
    100_800_000_000_000,
    1_008_000_000_000_000,
    10_080_000_000_000_000,
    // Wider than the whole range of minutes an i64 of seconds can name: one or two buckets.
    100_800_000_000_000_000,
];

/// Errors per time bucket and cause, in at most `CAP` buckets: per minute when the errors fall
/// in at most `CAP` distinct minutes, else in the narrowest of the widths (a minute, 10 minutes, an hour, a day, a week, then tenfold) that gives at most
/// `CAP` buckets. That width depends only on the set of error minutes, so parts merge to the
/// same timeline in any order, and the counts are always exact at that width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline<const CAP: usize> {
    level: usize,
    buckets: BTreeMap<i64, CauseCounts>,
    first: Option<Minute>,
    last: Option<Minute>,
}

impl<const CAP: usize> Default for Timeline<CAP> {
    fn default() -> Self {
        Timeline {
            level: 0,
            buckets: BTreeMap::new(),
            first: None,
            last: None,
        }
    }
}

fn bucket_start(minute: i64, width: i64) -> i64 {
    minute.div_euclid(width) * width
}

impl<const CAP: usize> Timeline<CAP> {
    /// Counts `n` errors of `cause` in `minute`.
    pub fn add(&mut self, minute: Minute, cause: CauseId, n: u64) {
        self.first = Some(self.first.map_or(minute, |f| f.min(minute)));
        self.last = Some(self.last.map_or(minute, |l| l.max(minute)));
        let start = bucket_start(minute.0, self.width());
        self.buckets.entry(start).or_default().add(cause, n);
        self.fit();
    }

    /// Adds another part in.
    pub fn merge(&mut self, other: Self) {
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, other.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        while self.level < other.level {
            self.coarsen();
        }
        let width = self.width();
        for (start, counts) in other.buckets {
            self.buckets
                .entry(bucket_start(start, width))
                .or_default()
                .absorb(counts);
        }
        self.fit();
    }

    /// The bucket level and the exact first and last minutes (with [`Timeline::buckets`],
    /// what [`Timeline::from_parts`] takes).
    pub(crate) fn parts(&self) -> (usize, Option<Minute>, Option<Minute>) {
        (self.level, self.first, self.last)
    }

    /// A timeline sent between workers; `None` unless it is one a timeline could be: a known
    /// level, every bucket starting at its width, a first and a last minute exactly when there
    /// are buckets, and each inside the buckets' span.
    pub(crate) fn from_parts(
        level: usize,
        buckets: BTreeMap<i64, CauseCounts>,
        first: Option<Minute>,
        last: Option<Minute>,
    ) -> Option<Self> {
        let width = *WIDTHS.get(level)?;
        if buckets.keys().any(|s| bucket_start(*s, width) != *s) {
            return None;
        }
        // Only minutes a second can fall in (what the reader makes), so that the report's
        // arithmetic on them stays in range.
        let (lo, hi) = (Minute::of_second(i64::MIN), Minute::of_second(i64::MAX));
        if [first, last]
            .into_iter()
            .flatten()
            .any(|m| m < lo || m > hi)
        {
            return None;
        }
        match (
            first,
            last,
            buckets.first_key_value(),
            buckets.last_key_value(),
        ) {
            (None, None, None, None) => {}
            (Some(f), Some(l), Some((lo, _)), Some((hi, _)))
                if f <= l && bucket_start(f.0, width) == *lo && bucket_start(l.0, width) == *hi => {
            }
            _ => return None,
        }
        let mut t = Timeline {
            level,
            buckets,
            first,
            last,
        };
        t.fit();
        Some(t)
    }

    fn fit(&mut self) {
        while self.buckets.len() > CAP && self.level + 1 < WIDTHS.len() {
            self.coarsen();
        }
    }

    fn coarsen(&mut self) {
        self.level += 1;
        let width = self.width();
        let old = core::mem::take(&mut self.buckets);
        for (start, counts) in old {
            self.buckets
                .entry(bucket_start(start, width))
                .or_default()
                .absorb(counts);
        }
    }

    /// The width of a bucket, in minutes.
    pub fn width(&self) -> i64 {
        WIDTHS[self.level]
    }

    /// The buckets with errors: each bucket's first minute and its counts, in time order.
    pub fn buckets(&self) -> impl DoubleEndedIterator<Item = (Minute, &CauseCounts)> {
        self.buckets.iter().map(|(m, c)| (Minute(*m), c))
    }

    /// How many buckets have errors.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Whether no error was counted.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// The first minute with an error (exact, whatever the bucket width).
    pub fn first(&self) -> Option<Minute> {
        self.first
    }

    /// The last minute with an error (exact).
    pub fn last(&self) -> Option<Minute> {
        self.last
    }

    /// These counts in at most `rows` buckets.
    pub fn at_most(&self, rows: usize) -> Self {
        let mut t = self.clone();
        while t.buckets.len() > rows.max(1) && t.level + 1 < WIDTHS.len() {
            t.coarsen();
        }
        t
    }

    /// Only the buckets from `from` to `to` (their first minutes, both included).
    pub fn between(&self, from: Minute, to: Minute) -> Self {
        Timeline {
            level: self.level,
            buckets: self
                .buckets
                .range(from.0..=to.0)
                .map(|(m, c)| (*m, c.clone()))
                .collect(),
            first: self.first,
            last: self.last,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_estimate_says_how_far_off_it_can_be() {
        let mut c: Capped<u64, 4096, 64> = Capped::default();
        assert_eq!(c.distinct_error_percent(), 0);
        for i in 0..20_000u32 {
            c.add_with(&alloc::format!("/p/{i}"), |n| *n += 1);
        }
        assert!(c.saturated());
        // 2 / sqrt(4094) = 3.1 %: said as 4 %; the estimate of 20,000 falls within it.
        assert_eq!(c.distinct_error_percent(), 4);
        let d = c.distinct();
        assert!((19_200..=20_800).contains(&d), "{d}");
        let mut small: Capped<u64, 1024, 64> = Capped::default();
        for i in 0..5000u32 {
            small.add_with(&alloc::format!("{i}"), |n| *n += 1);
        }
        assert_eq!(small.distinct_error_percent(), 7);
    }

    /// A `PerCause` reads as the map of cause to value it replaced: the causes with a value, in
    /// the causes' order, a slot touched but left blank is no value.
    #[test]
    fn per_cause_reads_as_a_map_of_causes() {
        let mut per: PerCause<Vec<u32>> = PerCause::default();
        let mut map: BTreeMap<CauseId, Vec<u32>> = BTreeMap::new();
        for (i, c) in CauseId::ALL
            .iter()
            .rev()
            .enumerate()
            .filter(|(i, _)| i % 3 != 1)
        {
            let v = u32::try_from(i).unwrap_or_default();
            per.slot(*c).push(v);
            map.entry(*c).or_default().push(v);
        }
        let _ = per.slot(CauseId::ALL[14]); // touched, nothing added
        let listed: Vec<_> = per.iter().map(|(c, v)| (c, v.clone())).collect();
        let expected: Vec<_> = map.iter().map(|(c, v)| (*c, v.clone())).collect();
        assert_eq!(listed, expected);
        for c in CauseId::ALL {
            assert_eq!(per.get(c), map.get(&c), "{c:?}");
        }
        let taken: Vec<_> = per.into_values().collect();
        assert_eq!(taken, map.into_iter().collect::<Vec<_>>());
    }

    type Small = Capped<u64, 4, 8>;

    fn counted(keys: &[&str]) -> Small {
        let mut c = Small::default();
        for k in keys {
            c.add_with(k, |n| *n += 1);
        }
        c
    }

    #[test]
    fn exact_below_the_cap_and_keys_cut_to_their_bound() {
        let c = counted(&["a", "b", "a", "a-very-long-key", "a-very-long-key-too"]);
        let kept: BTreeMap<&str, u64> = c.iter().map(|(k, v)| (k, *v)).collect();
        // Both long keys cut to the same 8 bytes: counted together.
        assert_eq!(kept.get("a-ver…"), Some(&2), "{kept:?}");
        assert_eq!((kept["a"], kept["b"]), (2, 1));
        assert!(!c.saturated() && c.distinct() == 3 && *c.other() == 0);
    }

    #[test]
    fn past_the_cap_the_same_keys_whatever_the_order() {
        let keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        let forward = counted(&keys.iter().map(String::as_str).collect::<Vec<_>>());
        let backward = counted(&keys.iter().rev().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(forward, backward);
        assert_eq!(forward.len(), 4);
        assert_eq!(*forward.other(), 36);
        assert!(forward.saturated());
        // Split and merged both ways.
        let (a, b) = keys.split_at(17);
        let a = counted(&a.iter().map(String::as_str).collect::<Vec<_>>());
        let b = counted(&b.iter().map(String::as_str).collect::<Vec<_>>());
        let mut ab = a.clone();
        ab.merge(b.clone());
        let mut ba = b;
        ba.merge(a);
        assert_eq!(ab, forward);
        assert_eq!(ba, forward);
    }

    /// Sixteen-byte ASCII keys that all have the same [`key_hash`]: the hash is not keyed, so
    /// anyone can make them (the second word is solved for, the first tried until it is ASCII).
    fn colliding_keys(n: usize) -> Vec<String> {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        // K's inverse modulo 2^64 (Newton's iteration: each step doubles the correct bits).
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(K.wrapping_mul(inv)));
        }
        let target: u64 = 0x0123_4567_89ab_cdef;
        let mut keys = Vec::new();
        for i in 0u64.. {
            if keys.len() == n {
                break;
            }
            // Eight ASCII digits: a different first word each time.
            let mut first = [0u8; 8];
            first.copy_from_slice(alloc::format!("{i:08}").as_bytes());
            let w1 = u64::from_le_bytes(first);
            let h1 = (16u64.rotate_left(5) ^ w1).wrapping_mul(K);
            let w2 = target.wrapping_mul(inv) ^ h1.rotate_left(5);
            let bytes: Vec<u8> = w1
                .to_le_bytes()
                .into_iter()
                .chain(w2.to_le_bytes())
                .collect();
            if bytes.iter().all(u8::is_ascii) {
                keys.push(String::from_utf8(bytes).unwrap());
            }
        }
        keys
    }

    #[test]
    fn a_flood_of_keys_with_one_hash_keeps_a_few_the_same_whatever_the_order() {
        let keys = colliding_keys(200);
        let h = key_hash(&keys[0]);
        assert!(
            keys.iter().all(|k| key_hash(k) == h),
            "the keys must collide"
        );
        let count = |order: &mut dyn Iterator<Item = &String>| {
            let mut c = Capped::<u64, 4096, 64>::default();
            for k in order {
                c.add_with(k, |n| *n += 1);
                c.add_with("/other", |n| *n += 1);
            }
            c
        };
        let forward = count(&mut keys.iter());
        let backward = count(&mut keys.iter().rev());
        assert_eq!(forward, backward);
        // At most MAX_SAME_HASH of them, the smallest; the rest counted as others; all counted.
        let mut smallest = keys.clone();
        smallest.sort();
        let kept: BTreeMap<&str, u64> = forward.iter().map(|(k, v)| (k, *v)).collect();
        let expected: BTreeMap<&str, u64> = smallest[..MAX_SAME_HASH]
            .iter()
            .map(|k| (k.as_str(), 1))
            .chain([("/other", 200)])
            .collect();
        assert_eq!(kept, expected);
        assert_eq!(*forward.other(), 200 - MAX_SAME_HASH as u64);
        assert!(forward.saturated());
        // Split and merged, the same.
        let (a, b) = keys.split_at(77);
        let mut ab = count(&mut a.iter());
        ab.merge(count(&mut b.iter()));
        assert_eq!(ab, forward);
    }

    #[test]
    fn the_distinct_estimate_is_close() {
        let mut c = Capped::<u64, 1024, 16>::default();
        for i in 0..100_000u32 {
            c.add_with(&format!("/p{i}"), |n| *n += 1);
        }
        let d = c.distinct();
        assert!((90_000..110_000).contains(&d), "{d}");
        assert_eq!(c.len(), 1024);
        let kept: u64 = c.iter().map(|(_, v)| *v).sum();
        assert_eq!(kept + c.other(), 100_000);
    }

    #[test]
    fn timeline_coarsens_to_the_narrowest_width_that_fits() {
        let mut t = Timeline::<10>::default();
        for m in 0..10 {
            t.add(Minute(m), CauseId::OriginDns, 1);
        }
        assert_eq!((t.width(), t.len()), (1, 10));
        t.add(Minute(10), CauseId::OriginDns, 1);
        assert_eq!((t.width(), t.len()), (10, 2));
        // Two years of one error a minute: a few hundred buckets at the most.
        let mut long = Timeline::<4096>::default();
        for m in 0..1_000_000 {
            long.add(Minute(m), CauseId::OriginOverloaded, 1);
        }
        assert_eq!(long.width(), 1_440);
        assert!(long.len() <= 4096);
        let total: u64 = long.buckets().map(|(_, c)| c.total()).sum();
        assert_eq!(total, 1_000_000);
        assert_eq!(
            (long.first(), long.last()),
            (Some(Minute(0)), Some(Minute(999_999)))
        );
        // The far ends of time still fit.
        let mut wide = Timeline::<4>::default();
        for m in [i64::MIN / 60, -1, 0, 7, i64::MAX / 60] {
            wide.add(Minute(m), CauseId::Unknown, 1);
        }
        assert!(wide.len() <= 4);
    }

    #[test]
    fn timeline_merges_in_any_order() {
        let minutes: Vec<i64> = (0..300).map(|i| (i * 7919) % 5000).collect();
        let whole = {
            let mut t = Timeline::<16>::default();
            for m in &minutes {
                t.add(Minute(*m), CauseId::EdgeCapacity, 1);
            }
            t
        };
        for cut in [1, 50, 150, 299] {
            let (a, b) = minutes.split_at(cut);
            let part = |ms: &[i64]| {
                let mut t = Timeline::<16>::default();
                for m in ms {
                    t.add(Minute(*m), CauseId::EdgeCapacity, 1);
                }
                t
            };
            let mut ab = part(a);
            ab.merge(part(b));
            let mut ba = part(b);
            ba.merge(part(a));
            assert_eq!(ab, whole, "cut {cut}");
            assert_eq!(ba, whole, "cut {cut}");
        }
    }
}
