//! Log times as integers: records carry `date` + `time` (standard logs) or an epoch timestamp
//! (real-time logs, `timestamp(ms)` in v2), and the summary counts by UTC minute. Integers, not
//! strings, so counting a record allocates nothing and `--since`/`--until` compare numbers.

use core::fmt;

/// A UTC minute: minutes since 1970-01-01 00:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minute(pub i64);

impl Minute {
    /// The minute a second (since the epoch) falls in.
    pub fn of_second(second: i64) -> Self {
        Minute(second.div_euclid(60))
    }

    /// Parses `YYYY-MM-DD HH:MM` (as the report writes it; `T` for the space and `:SS` or `Z`
    /// after are accepted too), UTC.
    pub fn parse(s: &str) -> Option<Self> {
        parse_instant(s).map(Self::of_second)
    }

    /// Its first second.
    pub fn first_second(self) -> i64 {
        self.0 * 60
    }
}

impl fmt::Display for Minute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0.div_euclid(1440));
        let rem = self.0.rem_euclid(1440);
        write!(f, "{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 60, rem % 60)
    }
}

/// `YYYY-MM-DD` `HH:MM[:SS]` → seconds since the epoch (UTC), or `None` for anything else.
pub fn seconds_of(date: &str, time: &str) -> Option<i64> {
    Some(day_of(date)? * 86_400 + second_of_day(time)?)
}

/// `YYYY-MM-DD` → days since the epoch, or `None` for anything else.
pub fn day_of(date: &str) -> Option<i64> {
    let d = date.as_bytes();
    if d.len() != 10 || d[4] != b'-' || d[7] != b'-' {
        return None;
    }
    let year = digits(&d[0..4])?;
    let month = digits(&d[5..7])?;
    let day = digits(&d[8..10])?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// `HH:MM[:SS]` → seconds since midnight, or `None` for anything else.
pub fn second_of_day(time: &str) -> Option<i64> {
    let t = time.as_bytes();
    if t.len() < 5 || t[2] != b':' {
        return None;
    }
    let hour = digits(&t[0..2])?;
    let minute = digits(&t[3..5])?;
    let second = if t.len() >= 8 && t[5] == b':' {
        digits(&t[6..8])?
    } else {
        0
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(hour * 3600 + minute * 60 + second)
}

/// The last date read and its day: a log's records share a date for hours, so most records
/// are settled by comparing ten bytes instead of reading the date again.
#[derive(Clone, Copy, Debug, Default)]
pub struct DayCache(Option<([u8; 10], i64)>);

impl DayCache {
    /// [`seconds_of`], the date's day remembered.
    pub fn seconds_of(&mut self, date: &str, time: &str) -> Option<i64> {
        let day = match self.0 {
            Some((bytes, day)) if date.as_bytes() == bytes => day,
            _ => {
                let day = day_of(date)?;
                let mut bytes = [0u8; 10];
                // day_of took only ten bytes.
                bytes.copy_from_slice(date.as_bytes());
                self.0 = Some((bytes, day));
                day
            }
        };
        Some(day * 86_400 + second_of_day(time)?)
    }
}

/// An epoch timestamp in seconds (`1767225600.123`) → whole seconds.
pub fn seconds_of_epoch(ts: &str) -> Option<i64> {
    let whole = ts.split('.').next()?;
    if whole.is_empty() || whole.len() > 12 {
        return None;
    }
    digits(whole.as_bytes())
}

/// An epoch timestamp in milliseconds (`timestamp(ms)`, `1731620046814`) → whole seconds.
pub fn seconds_of_epoch_ms(ts: &str) -> Option<i64> {
    if ts.is_empty() || ts.len() > 15 {
        return None;
    }
    digits(ts.as_bytes()).map(|ms| ms.div_euclid(1000))
}

/// A time given by a person (`--since`): `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, with `T`
/// instead of the space and an optional `Z`; UTC. Seconds since the epoch.
pub fn parse_instant(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    if s.len() == 10 {
        return seconds_of(s, "00:00");
    }
    let (date, time) = s.split_at_checked(10)?;
    let time = time.strip_prefix([' ', 'T'])?;
    if !(time.len() == 5 || time.len() == 8) {
        return None;
    }
    seconds_of(date, time)
}

fn digits(b: &[u8]) -> Option<i64> {
    let mut n: i64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(c - b'0');
    }
    Some(n)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn dates_round_trip_through_minutes() {
        let s = seconds_of("2026-01-01", "00:00:00").unwrap();
        assert_eq!(s, 1_767_225_600);
        assert_eq!(Minute::of_second(s).to_string(), "2026-01-01 00:00");
        assert_eq!(
            Minute::of_second(seconds_of("2019-12-13", "22:36:27").unwrap()).to_string(),
            "2019-12-13 22:36"
        );
        // Leap day, end of century rules.
        for (d, t) in [("2024-02-29", "23:59"), ("2000-03-01", "00:01")] {
            let m = Minute::of_second(seconds_of(d, t).unwrap());
            assert_eq!(m.to_string(), alloc::format!("{d} {t}"));
            assert_eq!(Minute::parse(&m.to_string()), Some(m));
        }
    }

    #[test]
    fn epoch_forms_and_bad_values() {
        assert_eq!(seconds_of_epoch("1767225600.123"), Some(1_767_225_600));
        assert_eq!(seconds_of_epoch_ms("1731620046814"), Some(1_731_620_046));
        for bad in ["", "x", "-5", "99999999999999999999"] {
            assert_eq!(seconds_of_epoch(bad), None, "{bad}");
            assert_eq!(seconds_of_epoch_ms(bad), None, "{bad}");
        }
        for (d, t) in [
            ("2026-13-01", "00:00"),
            ("2026-01-01", "24:00"),
            ("2026/01/01", "00:00"),
            ("2026-01-01", "0:00"),
            ("2026-01-01", "ab:cd"),
        ] {
            assert_eq!(seconds_of(d, t), None, "{d} {t}");
        }
    }

    /// The cache answers as reading the date afresh does, whatever came before: a date read
    /// again, a new one, a bad one (which must not be answered from the cache) and back.
    #[test]
    fn the_day_cache_answers_as_a_fresh_read() {
        let mut cache = DayCache::default();
        for (d, t) in [
            ("2026-11-26", "05:44:06"),
            ("2026-11-26", "05:44:07"),
            ("2026-11-27", "00:00:00"),
            ("2026-11-2x", "00:00:00"),
            ("2026-11-27", "24:00:00"),
            ("2026-11-27", "23:59:59"),
            ("2026-11-26", "05:44:06"),
            ("2026-11-260", "05:44:06"),
        ] {
            assert_eq!(cache.seconds_of(d, t), seconds_of(d, t), "{d} {t}");
        }
    }

    #[test]
    fn instants_people_type() {
        let base = 1_764_133_200; // 2025-11-26 05:00:00
        assert_eq!(parse_instant("2025-11-26 05:00"), Some(base));
        assert_eq!(parse_instant("2025-11-26T05:00:30Z"), Some(base + 30));
        assert_eq!(parse_instant("2025-11-26"), Some(base - 5 * 3600));
        for bad in [
            "yesterday",
            "2025-11-26 5:00",
            "2025-11-26X05:00",
            "2025-11-26 05",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }
}
