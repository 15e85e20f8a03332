//! A session's part, as text, for readers that share no memory: the web page reads several
//! files at once in Web Workers, each with a session of its own, and one of them merges the
//! others' parts into its session before the report ([`LogSession::into_part`],
//! [`LogSession::absorb_part`]).
//!
//! Law: absorbing parts is the session's merge (a commutative monoid, as [`super::Summary`]'s),
//! so files read by any number of workers, in any split, give the report of one session reading
//! them all (tested by property below). A part is JSON of plain lists, not of the summary's
//! internals: each table is rebuilt through its own adding and merging code, so a part cannot
//! break a table's invariants (a capped map's bottom-k rule, a timeline's bucket widths), and
//! one that does not describe a possible summary is refused with [`PartError`], never a panic.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::bounded::{Capped, CauseCounts, PerCause, Tally, Timeline};
use super::latency::Latency;
use super::reader::Skipped;
use super::session::{BlockLines, FileId, LogSession};
use super::{SkippedLine, Summary, time::Minute};
use crate::causes::CauseId;

/// The layout of a part: a part of another layout (a page and a worker of two versions) is
/// refused, not misread.
const PART_FORMAT: u32 = 1;

/// Why a part could not be absorbed. Parts are made by [`LogSession::into_part`]; one that
/// fails here was damaged or made by another version.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartError {
    /// Not a part's JSON (the parser's words).
    Malformed(String),
    /// A part of another layout.
    Format(u32),
    /// A value no session makes (what was wrong).
    Impossible(&'static str),
}

impl core::fmt::Display for PartError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PartError::Malformed(why) => write!(
                f,
                "a reader's part of the logs could not be read ({why}): read the files again"
            ),
            PartError::Format(n) => write!(
                f,
                "a reader's part of the logs is of layout {n}, this engine reads {PART_FORMAT}: \
                 reload the page and read the files again"
            ),
            PartError::Impossible(what) => write!(
                f,
                "a reader's part of the logs holds {what}, which no reading makes: read the \
                 files again"
            ),
        }
    }
}

impl core::error::Error for PartError {}

/// A session's files, counts and skipped lines, ready to be absorbed by another session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPart(Wire);

impl SessionPart {
    /// As text (JSON), to post to another worker.
    pub fn to_json(&self) -> String {
        // Plain lists of numbers and strings: serialising cannot fail.
        serde_json::to_string(&self.0).unwrap_or_default()
    }

    /// Read back from [`SessionPart::to_json`]; checked when absorbed.
    pub fn from_json(text: &str) -> Result<Self, PartError> {
        let wire: Wire =
            serde_json::from_str(text).map_err(|e| PartError::Malformed(alloc::format!("{e}")))?;
        if wire.format != PART_FORMAT {
            return Err(PartError::Format(wire.format));
        }
        Ok(SessionPart(wire))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Wire {
    format: u32,
    files: Vec<FileWire>,
    blocks: Vec<BlockWire>,
    summary: SummaryWire,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct FileWire {
    name: String,
    unread: bool,
    saw_fields: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct BlockWire {
    /// An index into the part's files.
    file: usize,
    seq: u64,
    lines: u64,
    skipped: u64,
    skipped_first: Vec<u64>,
    saw_fields: bool,
}

/// Counts per cause, by the cause's place in [`CauseId::ALL`].
type CausesWire = Vec<u64>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct SummaryWire {
    records: u64,
    outside_window: u64,
    errors: u64,
    origin_errors_known: u64,
    replayed: u64,
    skipped: u64,
    by_cause: CausesWire,
    timeline: TimelineWire,
    by_pop: CappedWire<CausesWire>,
    by_path: CappedWire<u64>,
    by_status: Vec<(u16, u64)>,
    /// By cause index: the histogram's buckets, count and maximum.
    time_taken: Vec<(usize, Vec<u64>, u64, u64)>,
    samples: Vec<(usize, Vec<(i64, String)>)>,
    skipped_at: Vec<(String, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct TimelineWire {
    level: usize,
    buckets: Vec<(i64, CausesWire)>,
    first: Option<i64>,
    last: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct CappedWire<V> {
    kept: Vec<(String, V)>,
    other: V,
    saturated: bool,
}

fn causes_out(c: &CauseCounts) -> CausesWire {
    c.as_slice().to_vec()
}

fn causes_in(c: &[u64]) -> Result<CauseCounts, PartError> {
    CauseCounts::from_slice(c).ok_or(PartError::Impossible("counts of an unknown cause"))
}

fn cause_in(index: usize) -> Result<CauseId, PartError> {
    CauseId::ALL
        .get(index)
        .copied()
        .ok_or(PartError::Impossible("an unknown cause"))
}

impl LogSession {
    /// Everything this session read (a file being read is ended first), as a part for another
    /// session of the same settings to absorb.
    pub fn into_part(mut self) -> SessionPart {
        self.end_open_file();
        let (names, unread, saw_fields, summary, blocks) = self.into_pieces();
        let files = names
            .into_iter()
            .zip(unread)
            .zip(saw_fields)
            .map(|((name, unread), saw_fields)| FileWire {
                name,
                unread,
                saw_fields,
            })
            .collect();
        let blocks = blocks
            .into_iter()
            .map(|b| BlockWire {
                file: b.file.index(),
                seq: b.seq,
                lines: b.lines,
                skipped: b.skipped.lines,
                skipped_first: b.skipped.first,
                saw_fields: b.saw_fields,
            })
            .collect();
        SessionPart(Wire {
            format: PART_FORMAT,
            files,
            blocks,
            summary: summary_out(&summary),
        })
    }

    /// Another session's part: its files are added after this one's, its counts merged.
    pub fn absorb_part(&mut self, part: SessionPart) -> Result<(), PartError> {
        let Wire {
            files,
            blocks,
            summary,
            ..
        } = part.0;
        let summary = summary_in(summary)?;
        if blocks.iter().any(|b| b.file >= files.len()) {
            return Err(PartError::Impossible("a block of no file"));
        }
        if blocks.iter().any(|b| {
            b.skipped_first.len() > super::reader::SKIPPED_KEPT
                || b.skipped > b.lines
                || b.skipped_first.iter().any(|l| *l == 0 || *l > b.lines)
        }) {
            return Err(PartError::Impossible(
                "skipped lines that are not lines of their block",
            ));
        }
        // Line numbers are added up across a file's blocks: no file of more lines than a
        // number of bytes could hold (2^53, far past any file).
        let mut lines = alloc::vec![0u64; files.len()];
        for b in &blocks {
            lines[b.file] = lines[b.file].saturating_add(b.lines);
        }
        if lines.iter().any(|n| *n > 1 << 53) {
            return Err(PartError::Impossible(
                "a file of more lines than bytes can hold",
            ));
        }
        let ids: Vec<FileId> = files
            .into_iter()
            .map(|f| self.add_read_file(f.name, f.unread, f.saw_fields))
            .collect();
        let blocks = blocks
            .into_iter()
            .map(|b| BlockLines {
                file: ids[b.file],
                seq: b.seq,
                lines: b.lines,
                skipped: Skipped {
                    lines: b.skipped,
                    first: b.skipped_first,
                },
                saw_fields: b.saw_fields,
            })
            .collect();
        self.absorb_pieces(summary, blocks);
        Ok(())
    }
}

fn capped_out<V: Tally, W, const CAP: usize, const KEY: usize>(
    c: &Capped<V, CAP, KEY>,
    value: impl Fn(&V) -> W,
) -> CappedWire<W> {
    CappedWire {
        kept: c.iter().map(|(k, v)| (k.into(), value(v))).collect(),
        other: value(c.other()),
        saturated: c.saturated(),
    }
}

fn capped_in<V: Tally, W, const CAP: usize, const KEY: usize>(
    c: CappedWire<W>,
    value: impl Fn(W) -> Result<V, PartError>,
) -> Result<Capped<V, CAP, KEY>, PartError> {
    let kept = c
        .kept
        .into_iter()
        .map(|(k, v)| Ok((k, value(v)?)))
        .collect::<Result<Vec<_>, PartError>>()?;
    Ok(Capped::from_parts(kept, value(c.other)?, c.saturated))
}

fn summary_out(s: &Summary) -> SummaryWire {
    let (level, first, last) = s.timeline.parts();
    SummaryWire {
        records: s.records,
        outside_window: s.outside_window,
        errors: s.errors,
        origin_errors_known: s.origin_errors_known,
        replayed: s.replayed,
        skipped: s.skipped,
        by_cause: causes_out(&s.by_cause),
        timeline: TimelineWire {
            level,
            buckets: s
                .timeline
                .buckets()
                .map(|(m, c)| (m.0, causes_out(c)))
                .collect(),
            first: first.map(|m| m.0),
            last: last.map(|m| m.0),
        },
        by_pop: capped_out(&s.by_pop, causes_out),
        by_path: capped_out(&s.by_path, |n| *n),
        by_status: s.by_status.iter().map(|(k, v)| (*k, *v)).collect(),
        time_taken: s
            .time_taken
            .iter()
            .map(|(c, l)| {
                let (buckets, count, max) = l.parts();
                (c.index(), buckets.to_vec(), count, max)
            })
            .collect(),
        samples: s
            .samples
            .iter()
            .map(|(c, ids)| (c.index(), ids.clone()))
            .collect(),
        skipped_at: s
            .skipped_at
            .iter()
            .map(|l| (l.source.clone(), l.line))
            .collect(),
    }
}

fn summary_in(w: SummaryWire) -> Result<Summary, PartError> {
    let t = w.timeline;
    let buckets = t
        .buckets
        .into_iter()
        .map(|(m, c)| Ok((m, causes_in(&c)?)))
        .collect::<Result<BTreeMap<_, _>, PartError>>()?;
    let timeline = Timeline::from_parts(t.level, buckets, t.first.map(Minute), t.last.map(Minute))
        .ok_or(PartError::Impossible("a timeline of unknown buckets"))?;
    let mut time_taken = PerCause::default();
    for (c, buckets, count, max) in w.time_taken {
        let l = Latency::from_parts(buckets, count, max).ok_or(PartError::Impossible(
            "a histogram of durations that does not add up",
        ))?;
        *time_taken.slot(cause_in(c)?) = l;
    }
    let mut samples = PerCause::default();
    for (c, ids) in w.samples {
        if ids.len() > super::SAMPLES
            || ids.iter().any(|(_, id)| id.len() > super::REQUEST_ID_BYTES)
        {
            return Err(PartError::Impossible(
                "more or longer sample ids than are kept",
            ));
        }
        *samples.slot(cause_in(c)?) = ids;
    }
    if w.skipped_at.len() > super::reader::SKIPPED_KEPT {
        return Err(PartError::Impossible("too many skipped lines kept"));
    }
    let mut s = Summary {
        records: w.records,
        outside_window: w.outside_window,
        errors: w.errors,
        origin_errors_known: w.origin_errors_known,
        replayed: w.replayed,
        skipped: w.skipped,
        by_cause: causes_in(&w.by_cause)?,
        timeline,
        by_pop: capped_in(w.by_pop, |c| causes_in(&c))?,
        by_path: capped_in(w.by_path, Ok)?,
        by_status: w.by_status.into_iter().collect(),
        time_taken,
        ..Summary::default()
    };
    // The sample ids and skipped lines through the merge, which orders and bounds them
    // whatever order the part lists them in.
    s.merge(Summary {
        samples,
        skipped_at: w
            .skipped_at
            .into_iter()
            .map(|(source, line)| SkippedLine { source, line })
            .collect(),
        ..Summary::default()
    });
    Ok(s)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::logs::{Delimiter, LogsError, LogsRead, StatusFilter};
    use alloc::format;
    use alloc::string::ToString;
    use proptest::prelude::*;

    fn session() -> LogSession {
        LogSession::new(&[], Delimiter::Auto, StatusFilter::ServerErrors.into())
    }

    const HEADER: &str = "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end\n";

    /// A record of the standard format: `n` picks the time, edge, path, status and result.
    fn line(n: u32) -> String {
        let statuses = [200, 502, 503, 504, 500, 404];
        let detailed = [
            "Hit",
            "OriginDnsError",
            "LambdaExecutionError",
            "Error",
            "CapacityExceeded",
            "OriginConnectError",
        ];
        let status = statuses[(n % 6) as usize];
        let d = detailed[(n / 6 % 6) as usize];
        let kind = if status >= 500 { "Error" } else { "Hit" };
        format!(
            "2026-11-{:02}\t{:02}:{:02}:{:02}\tPOP{}-C{}\t100\t192.0.2.1\tGET\td1.cloudfront.net\t/p/{}\t{status}\t-\tUA\t-\t-\t{kind}\tid{n}==\tex.test\thttps\t10\t{}.{:03}\t-\tTLSv1.3\tX\t{kind}\tHTTP/2.0\t-\t-\t443\t0.1\t{d}\ttext/html\t10\t-\t-\n",
            1 + n % 28,
            n % 24,
            n / 7 % 60,
            n % 60,
            n % 7,
            n % 3,
            n % 97,
            n % 40,
            n % 1000,
        )
    }

    /// A file: a header (or not: a file of no log), records, a few lines that are no record.
    fn file(seed: &[u32], with_header: bool) -> String {
        let mut text = if with_header {
            HEADER.to_string()
        } else {
            String::new()
        };
        for (i, n) in seed.iter().enumerate() {
            if n % 17 == 0 {
                text.push_str("not a record\n");
            }
            if i % 5 == 4 && !with_header {
                text.push_str("junk\n");
            }
            text.push_str(&line(*n));
        }
        text
    }

    fn read_all(files: &[(String, String)]) -> Result<LogsRead, LogsError> {
        let mut s = session();
        for (name, text) in files {
            s.begin(name);
            s.feed(text.as_bytes());
            s.end();
        }
        s.finish()
    }

    fn read_in_parts(
        files: &[(String, String)],
        worker_of: &[usize],
        workers: usize,
    ) -> Result<LogsRead, LogsError> {
        let mut sessions: Vec<LogSession> = (0..workers).map(|_| session()).collect();
        for ((name, text), w) in files.iter().zip(worker_of) {
            let s = &mut sessions[*w % workers];
            s.begin(name);
            s.feed(text.as_bytes());
            s.end();
        }
        let mut into = session();
        for s in sessions.into_iter().rev() {
            let text = s.into_part().to_json();
            into.absorb_part(SessionPart::from_json(&text).unwrap())
                .unwrap();
        }
        into.finish()
    }

    proptest! {
        /// The law: files split among any number of sessions, their parts absorbed (as text, in
        /// reverse order), give the report of one session reading every file.
        #[test]
        fn parts_merge_to_the_whole(
            files in proptest::collection::vec(
                (proptest::collection::vec(0u32..100_000, 0..40), proptest::bool::weighted(0.9)),
                1..8,
            ),
            worker_of in proptest::collection::vec(0usize..4, 8),
            workers in 1usize..4,
        ) {
            let files: Vec<(String, String)> = files
                .iter()
                .enumerate()
                .map(|(i, (seed, header))| (format!("f{i}.log"), file(seed, *header)))
                .collect();
            let whole = read_all(&files);
            let parts = read_in_parts(&files, &worker_of, workers);
            prop_assert_eq!(whole, parts);
        }
    }

    #[test]
    fn a_part_with_many_keys_round_trips() {
        // Past the caps of the edge and path tables, and many minutes (the timeline coarsens);
        // lines longer than the reader keeps, skipped.
        let mut text = HEADER.to_string();
        for n in 0..30_000u32 {
            text.push_str(&line(n * 6 + 1).replace("/p/", &format!("/q{n}/")));
            if n % 10_000 == 5 {
                text.push_str(&"x".repeat(super::super::reader::MAX_LINE + 10));
                text.push('\n');
            }
        }
        let files = [("big.log".to_string(), text)];
        let whole = read_all(&files).unwrap();
        assert!(whole.summary.by_path.saturated());
        assert_eq!(whole.summary.skipped, 3);
        let mut s = session();
        s.begin("big.log");
        s.feed(files[0].1.as_bytes());
        let part = s.into_part();
        let mut into = session();
        into.absorb_part(SessionPart::from_json(&part.to_json()).unwrap())
            .unwrap();
        assert_eq!(into.finish().unwrap(), whole);
    }

    #[test]
    fn a_damaged_part_is_refused_not_misread() {
        let mut s = session();
        s.begin("a.log");
        s.feed(file(&[1, 2, 3, 7, 13], true).as_bytes());
        let good = s.into_part().to_json();
        let value: serde_json::Value = serde_json::from_str(&good).unwrap();
        let with = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut x = value.clone();
            change(&mut x);
            x.to_string()
        };
        let absorb =
            |text: &str| SessionPart::from_json(text).and_then(|p| session().absorb_part(p));
        assert_eq!(absorb(&good), Ok(()));
        assert!(matches!(absorb("{"), Err(PartError::Malformed(_))));
        assert!(matches!(
            absorb(&good[..good.len() / 2]),
            Err(PartError::Malformed(_))
        ));
        assert_eq!(
            absorb(&with(&|x| x["format"] = 2.into())),
            Err(PartError::Format(2))
        );
        let sixteen = |n: u64| serde_json::json!([n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let impossible = [
            with(&|x| x["summary"]["by_cause"] = serde_json::json!([1, 2])),
            with(&|x| x["summary"]["timeline"]["level"] = 99.into()),
            // Minute 7 does not start a 10-minute bucket.
            with(&|x| {
                x["summary"]["timeline"]["level"] = 1.into();
                x["summary"]["timeline"]["buckets"] = serde_json::json!([[7, sixteen(1)]]);
            }),
            with(&|x| x["summary"]["by_pop"]["other"] = serde_json::json!([1])),
            with(&|x| x["summary"]["time_taken"] = serde_json::json!([[0, [1, 1], 5, 1]])),
            with(&|x| x["summary"]["time_taken"] = serde_json::json!([[99, [1], 1, 0]])),
            with(&|x| {
                x["summary"]["samples"] =
                    serde_json::json!([[0, [[1, "a"], [2, "b"], [3, "c"], [4, "d"]]]]);
            }),
            with(&|x| {
                x["blocks"] = serde_json::json!([{"file": 5, "seq": 0, "lines": 1, "skipped": 0,
                    "skipped_first": [], "saw_fields": true}]);
            }),
            with(&|x| {
                x["blocks"] = serde_json::json!([{"file": 0, "seq": 0, "lines": 3, "skipped": 1,
                    "skipped_first": [4], "saw_fields": true}]);
            }),
            with(&|x| {
                x["blocks"] = serde_json::json!([
                    {"file": 0, "seq": 0, "lines": u64::MAX, "skipped": 0, "skipped_first": [], "saw_fields": true},
                    {"file": 0, "seq": 1, "lines": 9, "skipped": 1, "skipped_first": [2], "saw_fields": true}]);
            }),
            with(&|x| {
                x["summary"]["timeline"] = serde_json::json!({"level": 0,
                    "buckets": [[i64::MIN, sixteen(1)]], "first": i64::MIN, "last": i64::MIN});
            }),
        ];
        for text in &impossible {
            let got = absorb(text);
            assert!(
                matches!(got, Err(PartError::Impossible(_))),
                "{got:?} for {text}"
            );
            assert!(
                got.unwrap_err()
                    .to_string()
                    .contains("read the files again")
            );
        }
        // Counts at the top of the range merge without overflow (saturating).
        let huge = with(&|x| x["summary"]["records"] = u64::MAX.into());
        let mut into = session();
        for _ in 0..2 {
            into.absorb_part(SessionPart::from_json(&huge).unwrap())
                .unwrap();
        }
        assert_eq!(into.finish().unwrap().summary.records, u64::MAX);
    }
}
