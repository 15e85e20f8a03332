//! A reading of many log files, sans IO: the front end moves bytes in (from files, gzip
//! decoders, a browser's streams), the session decides everything else: where blocks of whole
//! lines are cut for parallel readers, how lines are numbered across blocks, what an over-long
//! line is, and whether any file was a log at all.
//!
//! Two ways in, one result:
//! - **streaming** (one file after the other, on one thread): [`LogSession::begin`],
//!   [`LogSession::feed`], [`LogSession::end`] (or [`LogSession::end_cut_short`]);
//! - **in blocks** (a file read on one thread, its blocks counted on any): [`LogSession::add_file`],
//!   a [`Cutter`] per file that turns filled buffers into [`Block`]s, [`Plan::count`] into a
//!   [`Tally`] per thread, [`LogSession::absorb`] of the tallies in any order.
//!
//! [`LogSession::finish`] numbers the skipped lines of every block as lines of their file and
//! returns the summary, or the error that nothing read was a log.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::reader::{Delimiter, Reader, Skipped};
use super::{Filter, FilterError, RealtimeConfigError, Summary};

/// Bytes in a block: large enough that handing one to another thread costs little next to
/// reading it, small enough that a block read from the page cache (its source and its copy) and
/// the summary's key tables stay in a core's L2 cache while it is counted: the load of a path's
/// bucket was 24 % of counting an error record with 1 MiB blocks, 18 % with 256 KiB. 256 KiB
/// read plain logs 8-15 % faster than 1 MiB, 512 KiB 6 % slower than 256, 128 KiB the same
/// (2-core Xeon, 2 MiB of L2 a core). A line longer than a block is skipped (it is no log
/// record: the reader skips lines over [`super::reader::MAX_LINE`] anyway).
pub const BLOCK_BYTES: usize = 256 << 10;

/// File names listed in an error, at most (200,000 files of something else make one line, not
/// ten megabytes).
const NAMES_LISTED: usize = 10;

/// Why a reading of logs gives no report. `Display` says what went wrong and what to do; a
/// front end adds nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogsError {
    /// `status`, `since` or `until` could not be read.
    Filter(FilterError),
    /// The delimiter could not be read.
    Delimiter(super::reader::DelimiterError),
    /// The field order could not be read.
    FieldOrder(RealtimeConfigError),
    /// No file to read was given.
    NoFiles,
    /// Every file given failed to read (each was named as it failed).
    NothingRead,
    /// Files were read, and none held a record of a known log format.
    NoKnownFormat {
        /// The files that held no field list, JSON record or record of the given fields.
        files: Vec<String>,
    },
}

impl core::fmt::Display for LogsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LogsError::Filter(e) => e.fmt(f),
            LogsError::Delimiter(e) => e.fmt(f),
            LogsError::FieldOrder(e) => write!(f, "field order: {e}"),
            LogsError::NoFiles => f.write_str(
                "no file to read under the paths given (a folder of logs, files, or - for standard input)",
            ),
            LogsError::NothingRead => f.write_str("no file could be read (each is named above)"),
            LogsError::NoKnownFormat { files } => {
                let mut names = files
                    .iter()
                    .take(NAMES_LISTED)
                    .map(|f| crate::redact::for_terminal(f))
                    .collect::<Vec<_>>()
                    .join(", ");
                if files.len() > NAMES_LISTED {
                    names.push_str(&alloc::format!(" and {} more", files.len() - NAMES_LISTED));
                }
                write!(
                    f,
                    "{names}: no record of a known log format: tried W3C standard logs (a #Fields: \
                     line), v2 JSON lines and, with a field order, header-less records (real-time \
                     logs; v2 plain with its delimiter)"
                )
            }
        }
    }
}

impl core::error::Error for LogsError {}

impl From<FilterError> for LogsError {
    fn from(e: FilterError) -> Self {
        LogsError::Filter(e)
    }
}

impl From<super::reader::DelimiterError> for LogsError {
    fn from(e: super::reader::DelimiterError) -> Self {
        LogsError::Delimiter(e)
    }
}

impl From<RealtimeConfigError> for LogsError {
    fn from(e: RealtimeConfigError) -> Self {
        LogsError::FieldOrder(e)
    }
}

/// A file whose stream ended early (a gzip download cut short): what arrived was counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CutShort {
    /// The file, as the front end named it.
    pub file: String,
    /// What the decoder said.
    pub reason: String,
}

impl core::fmt::Display for CutShort {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&crate::report::gzip_cut_warning(&self.file, &self.reason))
    }
}

/// A file of the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(usize);

impl FileId {
    /// Its place among the session's files.
    pub(super) fn index(self) -> usize {
        self.0
    }
}

/// What every block of every file is read with: the field order, the delimiter and the filter.
/// Shared by the threads that count blocks.
#[derive(Clone, Debug)]
pub struct Plan {
    start: Reader,
    filter: Filter,
}

impl Plan {
    /// Blocks of a file, cut from the buffers its front end fills.
    pub fn cutter(&self, file: FileId) -> Cutter {
        Cutter {
            file,
            state: self.start.fork(),
            carry: Vec::new(),
            seq: 0,
            over_long: false,
            dropped_line: false,
            block_bytes: BLOCK_BYTES,
        }
    }

    /// Counts a block into a thread's tally; gives back its buffer, emptied, to fill again.
    pub fn count(&self, block: Block, tally: &mut Tally) -> Vec<u8> {
        let Block {
            file,
            seq,
            mut reader,
            mut bytes,
            after_dropped_line,
        } = block;
        let (summary, filter) = (&mut tally.summary, &self.filter);
        if after_dropped_line {
            reader.skip_line();
        }
        reader.feed(&bytes, |r| summary.add(r, filter));
        reader.finish(|r| summary.add(r, filter));
        bytes.clear();
        tally.blocks.push(BlockLines {
            file,
            seq,
            lines: reader.lines(),
            skipped: core::mem::take(&mut reader.skipped),
            saw_fields: reader.saw_fields,
        });
        bytes
    }
}

/// Cuts one file's bytes into blocks of whole lines, each with a reader in the state the lines
/// before it left (the field list of the last `#Fields:` line).
#[derive(Debug)]
pub struct Cutter {
    file: FileId,
    /// The reader state the next block starts in.
    state: Reader,
    /// The end of the last buffer after its last newline: the start of the next block.
    carry: Vec<u8>,
    seq: u64,
    /// A line longer than a block is being dropped.
    over_long: bool,
    /// A dropped line ended in the last buffer: the next block counts it as skipped.
    dropped_line: bool,
    block_bytes: usize,
}

/// A block of whole lines of one file, to count on any thread ([`Plan::count`]).
#[derive(Debug)]
pub struct Block {
    file: FileId,
    seq: u64,
    reader: Reader,
    bytes: Vec<u8>,
    /// A line too long to keep came before these bytes: it is counted as one skipped line.
    after_dropped_line: bool,
}

impl Block {
    /// The block's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl Cutter {
    /// Blocks of this many bytes instead of [`BLOCK_BYTES`] (tests; a line as long as a block
    /// is dropped, so keep it above [`super::reader::MAX_LINE`] to read what a stream reads).
    #[must_use]
    pub fn with_block_bytes(mut self, bytes: usize) -> Self {
        self.block_bytes = bytes.max(1);
        self
    }

    /// Empties `buf` and starts it with the bytes carried from the last buffer (the start of a
    /// line); returns how many bytes to append before [`Cutter::cut`].
    pub fn refill(&mut self, buf: &mut Vec<u8>) -> usize {
        buf.clear();
        buf.append(&mut self.carry);
        self.block_bytes.saturating_sub(buf.len())
    }

    /// The buffer, filled (`ended`: the file has no more bytes), as a block of whole lines; the
    /// bytes after its last newline are kept for the next one. `None` when it holds no whole
    /// line yet (the middle of a line longer than a block, which is dropped).
    pub fn cut(&mut self, buf: &mut Vec<u8>, ended: bool) -> Option<Block> {
        if self.over_long {
            // The rest of a line longer than a block: dropped up to its end.
            match memchr::memchr(b'\n', buf) {
                Some(nl) => {
                    buf.drain(..=nl);
                    self.over_long = false;
                    self.dropped_line = true;
                }
                None if ended => {
                    buf.clear();
                    self.over_long = false;
                    self.dropped_line = true;
                }
                None => {
                    buf.clear();
                    return None;
                }
            }
        }
        if !ended {
            match memchr::memrchr(b'\n', buf) {
                Some(nl) => {
                    self.carry.extend_from_slice(&buf[nl + 1..]);
                    buf.truncate(nl + 1);
                }
                // What follows a dropped line, not yet ended: carried whole (it is shorter than
                // a block); the dropped line is counted by a block of its own.
                None if self.dropped_line => core::mem::swap(&mut self.carry, buf),
                None => {
                    // A whole block without a newline: a line longer than a block.
                    buf.clear();
                    self.over_long = true;
                    return None;
                }
            }
        }
        let block = Block {
            file: self.file,
            seq: self.seq,
            reader: self.state.fork(),
            bytes: core::mem::take(buf),
            after_dropped_line: core::mem::take(&mut self.dropped_line),
        };
        self.state.note_headers(&block.bytes);
        self.seq += 1;
        Some(block)
    }
}

/// What one thread counted, of any blocks of any files (a thread counts into one summary:
/// merging a summary per block would cost more than counting it), with what numbering their
/// skipped lines needs.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    summary: Summary,
    blocks: Vec<BlockLines>,
}

/// Where a block's lines start in its file, known once every block is in; whether it saw a
/// field list.
#[derive(Clone, Debug)]
pub(super) struct BlockLines {
    pub(super) file: FileId,
    pub(super) seq: u64,
    pub(super) lines: u64,
    pub(super) skipped: Skipped,
    pub(super) saw_fields: bool,
}

/// The file being read as a stream.
#[derive(Debug)]
struct Streaming {
    file: FileId,
    reader: Reader,
    part: Summary,
    #[cfg(feature = "gzip")]
    gzip: Option<super::gzip::Stream>,
}

/// Logs read: the summary and how many files it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogsRead {
    /// Everything counted.
    pub summary: Summary,
    /// Files read (those that could not be read are not counted).
    pub files: usize,
}

impl LogsRead {
    /// The `cf503.logs_report` JSON of it.
    pub fn json(&self) -> serde_json::Value {
        crate::report::logs_json_value(&self.summary, self.files)
    }
}

/// A reading of many files (see the module's documentation).
#[derive(Debug)]
pub struct LogSession {
    plan: Plan,
    names: Vec<String>,
    unread: Vec<bool>,
    saw_fields: Vec<bool>,
    summary: Summary,
    blocks: Vec<BlockLines>,
    streaming: Option<Streaming>,
}

impl LogSession {
    /// A session reading W3C logs by their `#Fields:` lines (and v2 JSON lines), or, with
    /// `fields`, header-less records in that order; values separated by `delimiter`.
    pub fn new(fields: &[String], delimiter: Delimiter, filter: Filter) -> Self {
        let start = if fields.is_empty() {
            Reader::new()
        } else {
            Reader::with_fields(&fields.iter().map(String::as_str).collect::<Vec<_>>())
        }
        .delimited_by(delimiter)
        .counting_only_unless(filter.status);
        LogSession {
            plan: Plan { start, filter },
            names: Vec::new(),
            unread: Vec::new(),
            saw_fields: Vec::new(),
            summary: Summary::default(),
            blocks: Vec::new(),
            streaming: None,
        }
    }

    /// A session from what a person types (the web page's boxes): a field order (comma
    /// separated, or a saved `get-realtime-log-config` answer, or empty), a delimiter, a status
    /// and a window (see [`Filter::parse`]).
    pub fn from_text(
        fields: &str,
        delimiter: &str,
        status: &str,
        since: &str,
        until: &str,
    ) -> Result<Self, LogsError> {
        let fields = super::fields_from_text(fields)?;
        let delimiter = Delimiter::parse(delimiter)?;
        let filter = Filter::parse(status, since, until)?;
        Ok(Self::new(&fields, delimiter, filter))
    }

    /// What blocks are counted with, for the threads that count them.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// A file to be read in blocks (named as the user knows it).
    pub fn add_file(&mut self, name: &str) -> FileId {
        self.names.push(name.to_string());
        self.unread.push(false);
        self.saw_fields.push(false);
        FileId(self.names.len() - 1)
    }

    /// A file that could not be read (the front end named it): it does not count as read.
    pub fn unreadable(&mut self, file: FileId) {
        self.unread[file.0] = true;
    }

    /// A thread's tally, in any order.
    pub fn absorb(&mut self, tally: Tally) {
        for b in &tally.blocks {
            self.saw_fields[b.file.0] |= b.saw_fields;
        }
        self.summary.merge(tally.summary);
        self.blocks.extend(tally.blocks);
    }

    /// A file to be read as a stream begins.
    pub fn begin(&mut self, name: &str) {
        let file = self.add_file(name);
        self.streaming = Some(Streaming {
            file,
            reader: self.plan.start.fork(),
            part: Summary::default(),
            #[cfg(feature = "gzip")]
            gzip: None,
        });
    }

    /// The file being read is dropped, to be read again from its start another way (the
    /// browser's gzip decoder gave up on it).
    pub fn restart(&mut self) {
        if let Some(s) = self.streaming.take() {
            let name = self.names.pop().unwrap_or_default();
            self.unread.pop();
            self.saw_fields.pop();
            debug_assert_eq!(s.file.0, self.names.len());
            self.begin(&name);
        }
    }

    /// The next bytes of the file being read.
    pub fn feed(&mut self, bytes: &[u8]) {
        if let Some(s) = &mut self.streaming {
            let (part, filter) = (&mut s.part, &self.plan.filter);
            s.reader.feed(bytes, |r| part.add(r, filter));
        }
    }

    /// The next bytes of the file being read, gzip-compressed: every member is read. After
    /// damaged data nothing more is read, and [`LogSession::end`] says so.
    #[cfg(feature = "gzip")]
    pub fn feed_gzip(&mut self, bytes: &[u8]) {
        if let Some(s) = &mut self.streaming {
            let (reader, part, filter) = (&mut s.reader, &mut s.part, &self.plan.filter);
            let gzip = s.gzip.get_or_insert_with(super::gzip::Stream::new);
            let _ = gzip.feed(bytes, |b| reader.feed(b, |r| part.add(r, filter)));
        }
    }

    /// The file being read ended; a gzip stream read by `LogSession::feed_gzip` that was cut
    /// short or damaged gives a warning (what arrived was counted).
    pub fn end(&mut self) -> Option<CutShort> {
        let s = self.streaming.take()?;
        #[cfg(feature = "gzip")]
        let cut = match s.gzip.as_ref().map(super::gzip::Stream::finish) {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        };
        #[cfg(not(feature = "gzip"))]
        let cut: Option<String> = None;
        let warning = cut.map(|reason| CutShort {
            file: self.names[s.file.0].clone(),
            reason,
        });
        self.end_streaming(s);
        warning
    }

    /// The file being read ended early, for `reason` (its decoder's words): what arrived
    /// counts, and the warning says so.
    pub fn end_cut_short(&mut self, reason: &str) -> Option<CutShort> {
        let s = self.streaming.take()?;
        let warning = CutShort {
            file: self.names[s.file.0].clone(),
            reason: reason.to_string(),
        };
        self.end_streaming(s);
        Some(warning)
    }

    fn end_streaming(&mut self, mut s: Streaming) {
        let (part, filter) = (&mut s.part, &self.plan.filter);
        s.reader.finish(|r| part.add(r, filter));
        self.absorb(Tally {
            summary: s.part,
            blocks: alloc::vec![BlockLines {
                file: s.file,
                seq: 0,
                lines: s.reader.lines(),
                skipped: s.reader.skipped,
                saw_fields: s.reader.saw_fields,
            }],
        });
    }

    /// Ends the file being read, if any (as [`LogSession::end`], without its warning: a
    /// session's part is taken after each file's end was told).
    pub(super) fn end_open_file(&mut self) {
        if let Some(s) = self.streaming.take() {
            self.end_streaming(s);
        }
    }

    /// The files (names, unread, saw a field list), the summary and the blocks' lines.
    #[allow(clippy::type_complexity)]
    pub(super) fn into_pieces(
        self,
    ) -> (Vec<String>, Vec<bool>, Vec<bool>, Summary, Vec<BlockLines>) {
        (
            self.names,
            self.unread,
            self.saw_fields,
            self.summary,
            self.blocks,
        )
    }

    /// A file another session read.
    pub(super) fn add_read_file(&mut self, name: String, unread: bool, saw_fields: bool) -> FileId {
        self.names.push(name);
        self.unread.push(unread);
        self.saw_fields.push(saw_fields);
        FileId(self.names.len() - 1)
    }

    /// Another session's counts and blocks (their files added first).
    pub(super) fn absorb_pieces(&mut self, summary: Summary, blocks: Vec<BlockLines>) {
        self.absorb(Tally { summary, blocks });
    }

    /// Records counted so far (for a progress line).
    pub fn records(&self) -> u64 {
        let streaming = self
            .streaming
            .as_ref()
            .map_or(0, |s| s.part.records + s.part.outside_window);
        self.summary.records + self.summary.outside_window + streaming
    }

    /// Everything read: skipped lines numbered in their files, or why there is no report.
    pub fn finish(mut self) -> Result<LogsRead, LogsError> {
        if let Some(s) = self.streaming.take() {
            self.end_streaming(s);
        }
        if self.names.is_empty() {
            return Err(LogsError::NoFiles);
        }
        let read = self.unread.iter().filter(|u| !**u).count();
        if read == 0 {
            return Err(LogsError::NothingRead);
        }
        // Files read that held no field list, JSON record or record of the given fields.
        let not_a_log = |i: usize| !self.unread[i] && !self.saw_fields[i];
        // A block's line numbers count from its own start: add the lines of the blocks before.
        // A file that is no log has no "skipped lines": it is named as left out instead.
        self.blocks.sort_by_key(|b| (b.file, b.seq));
        let mut next_line = alloc::vec![1u64; self.names.len()];
        for b in &self.blocks {
            if !not_a_log(b.file.0) {
                self.summary
                    .add_skipped(&self.names[b.file.0], &b.skipped, next_line[b.file.0]);
            }
            next_line[b.file.0] += b.lines;
        }
        // In name order: the same list however the files were shared among readers.
        let mut unknown: Vec<String> = (0..self.names.len())
            .filter(|&i| not_a_log(i))
            .map(|i| self.names[i].clone())
            .collect();
        unknown.sort_unstable();
        if !unknown.is_empty() && self.summary.records + self.summary.outside_window == 0 {
            return Err(LogsError::NoKnownFormat { files: unknown });
        }
        for name in &unknown {
            self.summary.not_logs.add(name);
        }
        Ok(LogsRead {
            summary: self.summary,
            files: read,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::StatusFilter;
    use alloc::format;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn session() -> LogSession {
        LogSession::new(&[], Delimiter::Auto, StatusFilter::ServerErrors.into())
    }

    const HEADER: &str = "#Fields: date time sc-status x-edge-detailed-result-type\n";
    const ERROR: &str = "2026-11-26\t05:00:01\t502\tOriginDnsError\n";

    /// Reads `text` in blocks of `block` bytes, the way the CLI does.
    fn in_blocks(text: &[u8], block: usize) -> Result<LogsRead, LogsError> {
        let mut s = session();
        let id = s.add_file("f");
        let mut cutter = s.plan().cutter(id).with_block_bytes(block);
        let (mut rest, mut buf) = (text, Vec::new());
        loop {
            let want = cutter.refill(&mut buf);
            let n = want.min(rest.len());
            buf.extend_from_slice(&rest[..n]);
            rest = &rest[n..];
            if let Some(b) = cutter.cut(&mut buf, n < want) {
                let mut tally = Tally::default();
                s.plan().count(b, &mut tally);
                s.absorb(tally);
            }
            if n < want {
                return s.finish();
            }
        }
    }

    fn streamed(text: &[u8]) -> Result<LogsRead, LogsError> {
        let mut s = session();
        s.begin("f");
        s.feed(text);
        s.end();
        s.finish()
    }

    /// A line longer than a block is dropped by the cutter, one between the reader's limit and
    /// a block by the reader: both are one skipped line at their own number, as in a stream.
    #[test]
    fn lines_longer_than_a_block_are_skipped_at_their_number() {
        let block = 100 * 1024;
        for tail in ["", "\n", "x"] {
            let text = format!(
                "{HEADER}{ERROR}{}\n{ERROR}{}\n{ERROR}{}{tail}",
                "a".repeat(150 * 1024),
                "b".repeat(70 * 1024),
                "c".repeat(250 * 1024),
            );
            let got = in_blocks(text.as_bytes(), block).unwrap();
            assert_eq!(got, streamed(text.as_bytes()).unwrap(), "{tail:?}");
            assert_eq!(got.summary.errors, 3);
            let lines: Vec<u64> = got.summary.skipped_at.iter().map(|s| s.line).collect();
            assert_eq!(lines, [3, 5, 7], "{tail:?}");
        }
    }

    #[test]
    fn nothing_read_no_file_and_no_log_are_told_apart() {
        assert_eq!(session().finish(), Err(LogsError::NoFiles));
        let mut s = session();
        let id = s.add_file("gone.log");
        s.unreadable(id);
        assert_eq!(s.finish(), Err(LogsError::NothingRead));
        let err = streamed(b"hello\nworld\n").unwrap_err();
        assert_eq!(
            err,
            LogsError::NoKnownFormat {
                files: alloc::vec!["f".into()]
            }
        );
        // A file of a known format with no record is a report of nothing, not an error.
        assert_eq!(streamed(HEADER.as_bytes()).unwrap().summary.records, 0);
    }

    #[test]
    fn files_that_are_no_log_beside_logs_are_named_not_counted_as_skipped_lines() {
        // A folder of logs with a README and a licence: the logs are read, the two are named as
        // left out, and their lines are no "skipped lines" (a damaged log line still is).
        let mut s = session();
        for (name, text) in [
            ("README.md", "# Logs\nfrom the bucket\n".to_string()),
            (
                "E2.2026-11-26-05.a",
                format!("{HEADER}{ERROR}not a record\n"),
            ),
            ("LICENSE", "MIT\n".to_string()),
        ] {
            s.begin(name);
            s.feed(text.as_bytes());
            s.end();
        }
        let read = s.finish().unwrap();
        assert_eq!((read.files, read.summary.errors), (3, 1));
        assert_eq!(read.summary.skipped, 1, "the log's bad line only");
        assert_eq!(read.summary.skipped_at[0].source, "E2.2026-11-26-05.a");
        assert_eq!(read.summary.not_logs.files, 2);
        assert_eq!(read.summary.not_logs.first, ["LICENSE", "README.md"]);
        let text = crate::report::logs_text(&read.summary, read.files);
        assert!(
            text.contains("2 of the files held no record of a known log format and were left out: LICENSE, README.md"),
            "{text}"
        );
        let json = read.json();
        assert_eq!(json["not_log_files"], 2);
        assert_eq!(json["not_log_files_first"][1], "README.md");
    }

    #[test]
    fn not_logs_merge_in_any_order_to_the_first_names_and_the_whole_count() {
        // Merging is a commutative monoid: the count adds up, the names kept are the first
        // NOT_LOGS_NAMED of all, whatever the grouping.
        let names: Vec<String> = (0..25).map(|i| format!("n{:02}", (i * 7) % 25)).collect();
        let of = |names: &[String]| {
            let mut n = crate::logs::NotLogs::default();
            for name in names {
                n.add(name);
            }
            n
        };
        let whole = of(&names);
        assert_eq!(whole.files, 25);
        assert_eq!(whole.first.len(), crate::logs::NOT_LOGS_NAMED);
        assert_eq!(whole.first[0], "n00");
        for cut in [0, 1, 9, 10, 11, 24, 25] {
            let (a, b) = names.split_at(cut);
            let mut left = of(a);
            left.merge(&of(b));
            let mut right = of(b);
            right.merge(&of(a));
            assert_eq!(left, whole, "cut at {cut}");
            assert_eq!(right, whole, "cut at {cut}, other order");
        }
    }

    #[test]
    fn a_restarted_file_counts_once() {
        let mut s = session();
        s.begin("a.gz");
        s.feed(format!("{HEADER}{ERROR}").as_bytes());
        s.restart();
        s.feed(format!("{HEADER}{ERROR}").as_bytes());
        let warning = s.end_cut_short("unexpected end of file").unwrap();
        assert!(warning.to_string().contains("a.gz"), "{warning}");
        let read = s.finish().unwrap();
        assert_eq!((read.files, read.summary.errors), (1, 1));
    }
}
