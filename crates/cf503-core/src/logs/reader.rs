//! The streaming log reader: bytes in, records out, nothing allocated per record.
//!
//! Fields come from each file's `#Fields:` line (standard logs, every generation, and v2's W3C
//! form), from each record's keys (v2 JSON lines), or from the caller (real-time logs and v2
//! plain, which have no header). A record borrows its values from the line; deriving what the
//! summary needs (the cause, the decoded path) is left to whoever counts it, so a record that
//! does not pass the status filter costs a split and a number.

use alloc::string::String;
use alloc::vec::Vec;

use super::fields::{self, Slot};
use super::time;

/// How values are separated on a line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Delimiter {
    /// Tabs (W3C, real-time logs); a line without a tab is split on runs of spaces (logs
    /// copied through tools that turned tabs into spaces).
    #[default]
    Auto,
    /// Exactly this byte (standard logging v2 `plain`, whose `fieldDelimiter` the owner chose).
    Byte(u8),
}

impl Delimiter {
    /// What a person types: empty for tabs (and spaces when a line has none), one ASCII
    /// character, or `tab` / `space` by name.
    pub fn parse(v: &str) -> Result<Self, DelimiterError> {
        match v {
            "" => Ok(Delimiter::Auto),
            "tab" | "\\t" | "\t" => Ok(Delimiter::Byte(b'\t')),
            "space" | " " => Ok(Delimiter::Byte(b' ')),
            one if one.len() == 1 && one.is_ascii() && one != "\n" && one != "\r" => {
                Ok(Delimiter::Byte(one.as_bytes()[0]))
            }
            _ => Err(DelimiterError(v.into())),
        }
    }
}

/// A delimiter that is not one character, `tab` or `space` (the value given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelimiterError(pub String);

impl core::fmt::Display for DelimiterError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "delimiter {:?}: give one character (the delivery's fieldDelimiter), or tab or space",
            self.0
        )
    }
}

impl core::error::Error for DelimiterError {}

/// What a record the status filter leaves out is read for: its status and its time.
const STATUS_AND_TIME: [Slot; 5] = [
    Slot::Status,
    Slot::Date,
    Slot::Time,
    Slot::Timestamp,
    Slot::TimestampMs,
];

/// Where each [`Slot`] is on a line: from a field list, through the field table.
#[derive(Clone, Copy, Debug, Default)]
struct Columns {
    at: [Option<usize>; Slot::COUNT],
    /// The slots this field list fills, with their column: a line fills only those.
    present: [(usize, usize); Slot::COUNT],
    present_count: usize,
    count: usize,
    /// How many values from the start of a line hold its status and time: all a record that
    /// the status filter leaves out needs.
    prefix: usize,
}

impl Columns {
    fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut c = Columns::default();
        for (i, n) in names.into_iter().enumerate() {
            c.count = i + 1;
            if let Some(slot) = fields::slot_of(n.trim())
                && c.at[slot as usize].is_none()
            {
                // The first of two fields read into one slot wins (`cs(Host)`, `x-host-header`).
                c.at[slot as usize] = Some(i);
                c.present[c.present_count] = (slot as usize, i);
                c.present_count += 1;
            }
        }
        c.prefix = STATUS_AND_TIME
            .iter()
            .filter_map(|s| c.at[*s as usize])
            .max()
            .map_or(0, |i| i + 1);
        c
    }
}

/// One log record, borrowed from the line it was read from. Values are as logged (`-` and
/// empty are `None`); the path is still URL-encoded ([`Record::decoded_path`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record<'a> {
    /// When it was logged, in seconds since the epoch (UTC), when the record says.
    pub second: Option<i64>,
    /// `sc-status` (`000`, a viewer that left, is 0).
    pub status: Option<u16>,
    /// Every slot's value, as logged.
    values: [Option<&'a str>; Slot::COUNT],
    /// Whether the record has an `origin-fbl` field (empty or not).
    origin_field_logged: bool,
}

impl<'a> Record<'a> {
    /// A record of these values (tests, and readers of other shapes).
    pub fn of(second: Option<i64>, status: Option<u16>, values: &[(Slot, &'a str)]) -> Self {
        let mut r = Record {
            second,
            status,
            values: [None; Slot::COUNT],
            origin_field_logged: false,
        };
        for &(slot, v) in values {
            r.origin_field_logged |= slot == Slot::OriginFirstByte;
            r.values[slot as usize] = Some(v).filter(|v| !v.is_empty() && *v != "-");
        }
        r
    }

    /// A slot's value as logged.
    pub fn get(&self, slot: Slot) -> Option<&'a str> {
        self.values[slot as usize]
    }

    /// `x-edge-location`.
    pub fn pop(&self) -> Option<&'a str> {
        self.get(Slot::Pop)
    }

    /// `x-edge-result-type`, `x-edge-response-result-type`, `x-edge-detailed-result-type`.
    pub fn result_types(&self) -> [Option<&'a str>; 3] {
        [Slot::Result, Slot::ResponseResult, Slot::Detailed].map(|s| self.get(s))
    }

    /// `x-edge-request-id`.
    pub fn request_id(&self) -> Option<&'a str> {
        self.get(Slot::RequestId)
    }

    /// Whether CloudFront reached the origin for it, when the fields say (v2's `origin-fbl`,
    /// the origin's first-byte latency: empty when no origin was asked).
    pub fn origin_contacted(&self) -> Option<bool> {
        self.origin_field_logged
            .then(|| self.get(Slot::OriginFirstByte).is_some())
    }
}

/// Why lines were skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// How many lines.
    pub lines: u64,
    /// The first few line numbers (1-based, counted from where this reader started), to look at.
    pub first: Vec<u64>,
}

/// Line numbers kept in [`Skipped::first`].
pub const SKIPPED_KEPT: usize = 10;
/// A line longer than this is skipped (CloudFront does not log requests with URLs over 8 KB or
/// headers over 20 KB): memory stays bounded on a file that is not a log.
pub const MAX_LINE: usize = 64 * 1024;

/// The streaming reader: feed it chunks, it calls back with each record.
#[derive(Clone, Debug, Default)]
pub struct Reader {
    columns: Option<Columns>,
    /// Given by the caller (real-time logs): a `#Fields:` line does not replace it.
    fixed: bool,
    delimiter: Delimiter,
    partial: Vec<u8>,
    /// The line being cut is longer than [`MAX_LINE`]: its bytes are dropped as they come.
    partial_over_long: bool,
    line: u64,
    /// Where each value of the current line starts and ends (kept to reuse its memory).
    spans: Vec<(usize, usize)>,
    /// Skipped lines.
    pub skipped: Skipped,
    /// Whether a `#Fields:` line, a JSON record or a caller's field list was seen.
    pub saw_fields: bool,
    /// Records whose status this does not admit are read for their status and time only.
    prefilter: Option<super::StatusFilter>,
    days: time::DayCache,
}

impl Reader {
    /// A reader of W3C logs: the field list comes from each file's `#Fields:` line.
    pub fn new() -> Self {
        Self::default()
    }

    /// A reader of records without a header (real-time logs, v2 plain), in this field order.
    pub fn with_fields(names: &[&str]) -> Self {
        Self {
            columns: Some(Columns::from_names(names.iter().copied())),
            fixed: true,
            saw_fields: true,
            ..Self::default()
        }
    }

    /// Records whose status `status` does not admit come out with their status and time only
    /// (what a summary counts of them), read without splitting the rest of the line: on a
    /// busy site's logs, where 98 % of the lines are not errors, most lines are then only
    /// validated and counted.
    #[must_use]
    pub fn counting_only_unless(mut self, status: super::StatusFilter) -> Self {
        self.prefilter = Some(status);
        self
    }

    /// Values separated by `delimiter` instead of tabs.
    #[must_use]
    pub fn delimited_by(mut self, delimiter: Delimiter) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Lines read so far (complete ones).
    pub fn lines(&self) -> u64 {
        self.line
    }

    /// A reader for the input that follows what this one has seen, in the same state (field
    /// list, delimiter) but with its own line count and nothing pending: a block of whole lines
    /// can then be read on another thread. Line numbers it reports count from the block.
    pub fn fork(&self) -> Self {
        Self {
            columns: self.columns,
            fixed: self.fixed,
            delimiter: self.delimiter,
            saw_fields: self.saw_fields,
            prefilter: self.prefilter,
            ..Self::default()
        }
    }

    /// Takes in the `#Fields:` lines of a block of whole lines without reading its records:
    /// what a splitter calls before handing the block to a [`Reader::fork`], so the next block's
    /// fork knows the field list. A line counts only when the reader itself would take it as a
    /// field list (at most [`MAX_LINE`] bytes, UTF-8, no NUL, `#Fields:` after blanks only).
    ///
    /// Linear in the block whatever its shape: each match's line is found with searches that
    /// resume where the last one stopped, and the rest of a line is never searched again (a line
    /// of `#Fields:` repeated a million times was once a quadratic walk, audit L14).
    pub fn note_headers(&mut self, block: &[u8]) {
        // Found by its `#`, which log lines hardly ever hold (a substring search weighed each
        // `:` of the times as a candidate: 4 % of reading a plain file).
        // Where the line that holds the next match starts: the byte after the last newline
        // before it, found by searching only bytes not searched before.
        let mut searched_to = 0;
        let mut line_start = 0;
        let mut from = 0;
        while let Some(found) = memchr::memchr(b'#', &block[from..]) {
            let at = from + found;
            if !block[at..].starts_with(b"#Fields:") {
                from = at + 1;
                continue;
            }
            if let Some(nl) = memchr::memrchr(b'\n', &block[searched_to..at]) {
                line_start = searched_to + nl + 1;
            }
            let end = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |e| at + e);
            let line = &block[line_start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let only_blanks_before = block[line_start..at].iter().all(u8::is_ascii_whitespace);
            if only_blanks_before
                && line.len() <= MAX_LINE
                && memchr::memchr(0, line).is_none()
                && let Ok(text) = core::str::from_utf8(line)
            {
                self.saw_fields = true;
                if !self.fixed {
                    let fields = &text[at - line_start + b"#Fields:".len()..];
                    self.columns = Some(Columns::from_names(fields.split_whitespace()));
                }
            }
            // The rest of this line holds no other field list.
            searched_to = (end + 1).min(block.len());
            line_start = searched_to;
            from = searched_to;
        }
    }

    /// Reads a chunk; complete lines become records.
    pub fn feed(&mut self, chunk: &[u8], mut out: impl FnMut(&Record<'_>)) {
        let mut rest = chunk;
        if !self.partial.is_empty() || self.partial_over_long {
            let Some(nl) = memchr::memchr(b'\n', rest) else {
                self.keep_partial(rest);
                return;
            };
            if self.partial_over_long {
                self.partial_over_long = false;
                self.skip_line();
            } else {
                let mut joined = core::mem::take(&mut self.partial);
                joined.extend_from_slice(&rest[..nl]);
                self.line(&joined, &mut out);
                joined.clear();
                self.partial = joined; // keeps its memory for the next cut line
            }
            rest = &rest[nl + 1..];
        }
        // The whole lines of the chunk, validated at once: UTF-8 as a whole (so every piece cut
        // at a newline is too) and free of NUL. A chunk that fails is read line by line, each
        // checked on its own (one bad line is skipped, the rest read). simdutf8 validates 32
        // bytes a step where std's does 16 (half the time on a block in cache: the check was
        // 9 % of reading an error-heavy plain file).
        let whole = memchr::memrchr(b'\n', rest).map_or(0, |nl| nl + 1);
        let (lines, tail) = rest.split_at(whole);
        match simdutf8::basic::from_utf8(lines) {
            Ok(text) if memchr::memchr(0, lines).is_none() => {
                let mut start = 0;
                for nl in memchr::memchr_iter(b'\n', lines) {
                    self.line_text(&text[start..nl], &mut out);
                    start = nl + 1;
                }
            }
            _ => {
                let mut start = 0;
                for nl in memchr::memchr_iter(b'\n', lines) {
                    self.line(&lines[start..nl], &mut out);
                    start = nl + 1;
                }
            }
        }
        self.keep_partial(tail);
    }

    fn keep_partial(&mut self, rest: &[u8]) {
        if self.partial_over_long {
            return;
        }
        if self.partial.len() + rest.len() > MAX_LINE {
            // Skipped once, when it ends; not kept meanwhile.
            self.partial.clear();
            self.partial_over_long = true;
        } else {
            self.partial.extend_from_slice(rest);
        }
    }

    /// The end of the input: a last line without a newline is read too.
    pub fn finish(&mut self, mut out: impl FnMut(&Record<'_>)) {
        if self.partial_over_long {
            self.partial_over_long = false;
            self.skip_line();
        } else if !self.partial.is_empty() {
            let last = core::mem::take(&mut self.partial);
            self.line(&last, &mut out);
        }
    }

    /// A line that is not read (too long to keep) is counted and skipped.
    pub(crate) fn skip_line(&mut self) {
        self.line += 1;
        self.skip();
    }

    fn skip(&mut self) {
        self.skipped.lines += 1;
        if self.skipped.first.len() < SKIPPED_KEPT {
            self.skipped.first.push(self.line);
        }
    }

    fn line(&mut self, bytes: &[u8], out: &mut impl FnMut(&Record<'_>)) {
        self.line += 1;
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.len() > MAX_LINE || memchr::memchr(0, bytes).is_some() {
            self.skip();
            return;
        }
        let Ok(text) = core::str::from_utf8(bytes) else {
            self.skip();
            return;
        };
        self.read_line(text, out);
    }

    /// A line of a chunk already checked (UTF-8, no NUL); the newline is not in it.
    fn line_text(&mut self, text: &str, out: &mut impl FnMut(&Record<'_>)) {
        self.line += 1;
        let text = text.strip_suffix('\r').unwrap_or(text);
        if text.len() > MAX_LINE {
            self.skip();
            return;
        }
        self.read_line(text, out);
    }

    /// A line that is UTF-8 without NUL, at most [`MAX_LINE`] bytes, without its line ending.
    fn read_line(&mut self, text: &str, out: &mut impl FnMut(&Record<'_>)) {
        match text.as_bytes().iter().find(|b| !b.is_ascii_whitespace()) {
            None => return,
            Some(b'#') => {
                if let Some(fields) = text.trim_start().strip_prefix("#Fields:") {
                    if !self.fixed {
                        self.columns = Some(Columns::from_names(fields.split_whitespace()));
                    }
                    self.saw_fields = true;
                }
                return; // #Version and other directives
            }
            Some(b'{') => {
                self.json_line(text, out);
                return;
            }
            Some(_) => {}
        }
        let Some(c) = &self.columns else {
            self.skip();
            return;
        };
        let read = read_record(
            c,
            text,
            self.prefilter,
            self.delimiter,
            &mut self.spans,
            &mut self.days,
            out,
        );
        if read.is_none() {
            self.skip();
        }
    }

    /// Standard logging v2 as JSON lines (CloudWatch Logs, Firehose): one object a record, its
    /// keys the field names, any subset and order.
    fn json_line(&mut self, text: &str, out: &mut impl FnMut(&Record<'_>)) {
        let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(text)
        else {
            self.skip();
            return;
        };
        self.saw_fields = true;
        // Each slot from the first field of the table that the object has (in table order,
        // whatever the keys' order: `cs(Host)` before `x-host-header`, as in a field list).
        let mut values = [None; Slot::COUNT];
        let mut origin_field_logged = false;
        for f in fields::FIELDS {
            let Some(slot) = f.slot else { continue };
            let Some(v) = m.get(f.name).or_else(|| f.realtime.and_then(|n| m.get(n))) else {
                continue;
            };
            origin_field_logged |= slot == Slot::OriginFirstByte;
            let value = &mut values[slot as usize];
            if value.is_none() {
                *value = v.as_str().filter(|v| !v.is_empty() && *v != "-");
            }
        }
        let status = m.get(fields::name_of(Slot::Status)).and_then(|v| match v {
            serde_json::Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        });
        out(&Record {
            second: second_of(&values, &mut self.days),
            status,
            values,
            origin_field_logged,
        });
    }
}

/// Reads a delimited line under field list `c` into a record for `out`; `None` when the line is
/// to be skipped (too few values, a status that is not a number). The record is built where
/// `out` sees it: a record returned or moved into place was a copy of its 350 bytes per line (5 %
/// of the instructions of reading realistic logs).
fn read_record(
    c: &Columns,
    text: &str,
    prefilter: Option<super::StatusFilter>,
    delimiter: Delimiter,
    spans: &mut Vec<(usize, usize)>,
    days: &mut time::DayCache,
    out: &mut impl FnMut(&Record<'_>),
) -> Option<()> {
    let mut split_done = false;
    if let (Some(admits), Some(_), Some(d)) = (
        prefilter,
        c.at[Slot::Status as usize],
        delimiter_byte(text, delimiter),
    ) {
        // Only the values up to the status and time are found first; a line the filter
        // leaves out has the rest of its delimiters counted (a vectorised pass), so a short
        // line is skipped as the full reading would; an error has the rest split.
        spans.clear();
        split_at_byte(text.as_bytes(), d, 0, c.prefix, spans);
        if spans.len() < c.prefix {
            return None;
        }
        let prefix_end = spans.last().map_or(text.len(), |&(_, end)| end);
        let value = |slot: Slot| {
            c.at[slot as usize]
                .map(|i| &text[spans[i].0..spans[i].1])
                .filter(|v| !v.is_empty() && *v != "-")
        };
        let status = value(Slot::Status).and_then(|v| v.parse::<u16>().ok())?;
        if !admits.admits(Some(status)) {
            let fields = spans.len() + count_byte(&text.as_bytes()[prefix_end..], d);
            if fields < c.count {
                return None;
            }
            let mut record = Record {
                second: None,
                status: Some(status),
                values: [None; Slot::COUNT],
                origin_field_logged: false,
            };
            for slot in STATUS_AND_TIME {
                record.values[slot as usize] = value(slot);
            }
            record.second = second_of(&record.values, days);
            out(&record);
            return Some(());
        }
        // An error: the rest of the line is split where the prefix stopped (a line too
        // short is skipped below, by its count of values).
        if prefix_end < text.len() {
            split_at_byte(text.as_bytes(), d, prefix_end + 1, usize::MAX, spans);
        }
        split_done = true;
    }
    if !split_done {
        split(text, delimiter, spans);
    }
    if spans.len() < c.count {
        return None;
    }
    let mut record = Record {
        second: None,
        status: None,
        values: [None; Slot::COUNT],
        origin_field_logged: c.at[Slot::OriginFirstByte as usize].is_some(),
    };
    for &(slot, i) in &c.present[..c.present_count] {
        let v = &text[spans[i].0..spans[i].1];
        if !v.is_empty() && v != "-" {
            record.values[slot] = Some(v);
        }
    }
    record.status = record.values[Slot::Status as usize].and_then(|s| s.parse::<u16>().ok());
    if c.at[Slot::Status as usize].is_some() && record.status.is_none() {
        return None;
    }
    record.second = second_of(&record.values, days);
    out(&record);
    Some(())
}

/// When a record was logged: `date` and `time`, else `timestamp` or `timestamp(ms)`.
fn second_of(values: &[Option<&str>; Slot::COUNT], days: &mut time::DayCache) -> Option<i64> {
    let get = |s: Slot| values[s as usize];
    match (get(Slot::Date), get(Slot::Time)) {
        (Some(d), Some(t)) => days.seconds_of(d, t),
        _ => get(Slot::Timestamp)
            .and_then(time::seconds_of_epoch)
            .or_else(|| get(Slot::TimestampMs).and_then(time::seconds_of_epoch_ms)),
    }
}

/// The byte values are separated by on this line, if one (`None`: runs of spaces).
fn delimiter_byte(text: &str, delimiter: Delimiter) -> Option<u8> {
    match delimiter {
        Delimiter::Byte(d) => Some(d),
        Delimiter::Auto if memchr::memchr(b'\t', text.as_bytes()).is_some() => Some(b'\t'),
        Delimiter::Auto => None,
    }
}

/// Where the values of `text` start and end.
fn split(text: &str, delimiter: Delimiter, spans: &mut Vec<(usize, usize)>) {
    spans.clear();
    match delimiter_byte(text, delimiter) {
        Some(d) => split_at_byte(text.as_bytes(), d, 0, usize::MAX, spans),
        None => {
            let b = text.as_bytes();
            let mut start = None;
            for (i, &c) in b.iter().enumerate() {
                match (c == b' ', start) {
                    (true, Some(s)) => {
                        spans.push((s, i));
                        start = None;
                    }
                    (false, None) => start = Some(i),
                    _ => {}
                }
            }
            if let Some(s) = start {
                spans.push((s, b.len()));
            }
        }
    }
}

/// How many times `d` is in `b`: sixteen bytes a step, each compare's matches (a lane of all
/// ones, minus one) subtracted from sixteen byte counters, which are summed before any can pass
/// 255. The rest of a record the status filter leaves out is only counted, so this is where such
/// a record's bytes are read: per sixteen bytes a load, a compare and a subtraction. (Sums of
/// 128-byte chunks, left to the compiler, read the last part of each line a byte at a time: as
/// many instructions again as the chunks.)
fn count_byte(b: &[u8], d: u8) -> usize {
    let delimiter = wide::u8x16::splat(d);
    let matches = |block: &[u8]| {
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(block);
        wide::u8x16::new(bytes).cmp_eq(delimiter)
    };
    // Four blocks a step (fewer loop instructions per byte), at most 63 steps between sums
    // (4 * 63 < 256).
    let mut steps = b.chunks_exact(64);
    let mut n = 0;
    loop {
        let mut lanes = wide::u8x16::splat(0);
        let mut taken = 0;
        for step in steps.by_ref().take(63) {
            // A match is 0xff, so subtracting it adds one.
            lanes = lanes
                - matches(&step[..16])
                - matches(&step[16..32])
                - matches(&step[32..48])
                - matches(&step[48..]);
            taken += 1;
        }
        let rest = if taken < 63 { steps.remainder() } else { &[] };
        let mut blocks = rest.chunks_exact(16);
        for block in &mut blocks {
            lanes -= matches(block);
        }
        n += lanes
            .to_array()
            .iter()
            .map(|&c| usize::from(c))
            .sum::<usize>();
        if taken < 63 {
            return n + blocks.remainder().iter().filter(|&&x| x == d).count();
        }
    }
}

/// The values of `b` separated by `d`, from the value that starts at `from`, appended to `spans`
/// until it holds `limit` (all of them with `usize::MAX`).
fn split_at_byte(b: &[u8], d: u8, from: usize, limit: usize, spans: &mut Vec<(usize, usize)>) {
    // Sixteen bytes at a time: one compare gives a mask of where `d` is, whose set bits are
    // walked (SSE2 on x86-64, wasm SIMD in the logs module). Values are short (a tab every dozen
    // bytes), where a search that starts over at each match spends more starting than it saves
    // (memchr's was 31 % of a run); eight bytes at a time (SWAR) took a third more instructions.
    let delimiter = wide::u8x16::splat(d);
    let mut start = from;
    let mut i = from;
    while let Some(block) = b.get(i..i + 16) {
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(block);
        let mask = wide::u8x16::new(bytes).cmp_eq(delimiter).move_mask();
        let mut found = u32::from_ne_bytes(mask.to_ne_bytes());
        while found != 0 {
            let at = i + found.trailing_zeros() as usize;
            spans.push((start, at));
            if spans.len() == limit {
                return;
            }
            start = at + 1;
            found &= found - 1;
        }
        i += 16;
    }
    for (at, &c) in b.iter().enumerate().skip(i) {
        if c == d {
            spans.push((start, at));
            if spans.len() == limit {
                return;
            }
            start = at + 1;
        }
    }
    spans.push((start, b.len()));
}

impl Record<'_> {
    /// `cs-uri-stem` URL-decoded once: CloudFront encodes values once, so a `%2520` in the log
    /// was `%20` in the request, and shows as such.
    pub fn decoded_path(&self) -> Option<alloc::borrow::Cow<'_, str>> {
        self.get(Slot::Path).map(|p| {
            if memchr::memchr(b'%', p.as_bytes()).is_some() {
                alloc::borrow::Cow::Owned(crate::redact::percent_decode(p))
            } else {
                alloc::borrow::Cow::Borrowed(p)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn records(reader: &mut Reader, input: &[u8]) -> Vec<(Option<u16>, Option<String>)> {
        let mut v = Vec::new();
        reader.feed(input, |r| {
            v.push((r.status, r.pop().map(ToString::to_string)));
        });
        reader.finish(|r| v.push((r.status, r.pop().map(ToString::to_string))));
        v
    }

    #[test]
    fn delimiters_tabs_spaces_and_a_chosen_byte() {
        let mut r = Reader::new();
        let got = records(
            &mut r,
            b"#Fields: sc-status x-edge-location\n503\tFRA56-P1\n502   SEA19-C1\n",
        );
        assert_eq!(
            got,
            [
                (Some(503), Some("FRA56-P1".into())),
                (Some(502), Some("SEA19-C1".into()))
            ]
        );
        let mut r = Reader::with_fields(&["sc-status", "x-edge-location", "cs-uri-stem"])
            .delimited_by(Delimiter::Byte(b'|'));
        let got = records(&mut r, b"503|IAD89-C1|/a b\n503||/\nbad line\n");
        // An empty value is as good as `-`; a line with too few values is skipped.
        assert_eq!(
            got,
            [(Some(503), Some("IAD89-C1".into())), (Some(503), None)]
        );
        assert_eq!(r.skipped.first, [3]);
    }

    #[test]
    fn a_bad_line_in_a_chunk_is_skipped_alone() {
        // Checked a chunk at a time: one line with a NUL, one not UTF-8, the rest read.
        let head = "#Fields: date time sc-status x-edge-location\n";
        let mut chunk = head.as_bytes().to_vec();
        chunk.extend_from_slice(b"2026-11-26\t05:00:00\t503\tFRA56-P1\n");
        chunk.extend_from_slice(b"2026-11-26\t05:00:00\t503\tNUL\0\n");
        chunk.extend_from_slice(b"2026-11-26\t05:00:00\t503\t\xff\xfe\n");
        chunk.extend_from_slice(b"2026-11-26\t05:00:00\t502\tSEA19-C1\n");
        let mut r = Reader::new();
        let got = records(&mut r, &chunk);
        assert_eq!(
            got,
            [
                (Some(503), Some("FRA56-P1".into())),
                (Some(502), Some("SEA19-C1".into()))
            ]
        );
        assert_eq!(r.skipped.first, [3, 4]);
    }

    #[test]
    fn short_lines_are_skipped_whether_errors_or_not() {
        // Read through the status filter: a line the filter leaves out has its values
        // counted; an error is split. A line short of values is skipped either way.
        let status = crate::logs::StatusFilter::parse("5xx").unwrap();
        let mut r = Reader::new().counting_only_unless(status);
        let got = records(
            &mut r,
            b"#Fields: date time sc-status x-edge-location cs-uri-stem\n\
              2026-11-26\t05:00:00\t200\tFRA56-P1\t/a\n\
              2026-11-26\t05:00:00\t200\tFRA56-P1\n\
              2026-11-26\t05:00:00\t503\tFRA56-P1\n\
              2026-11-26\t05:00:00\t503\tFRA56-P1\t/b\n\
              2026-11-26\t05:00\n",
        );
        // A line the filter leaves out comes out with its status and time only.
        assert_eq!(
            got,
            [(Some(200), None), (Some(503), Some("FRA56-P1".into()))]
        );
        assert_eq!(r.skipped.first, [3, 4, 6]);
    }

    #[test]
    fn counting_a_byte_in_chunks_counts_every_one() {
        // Around each size the counting changes pace at: a 16-byte block, a 64-byte step, the
        // 63 steps after which the byte counters are summed (all delimiters: each counter at its
        // most, 255, just before), and a longest line.
        for len in [
            0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 255, 256, 300, 1000, 4031, 4032, 4033,
            4047, 4048, 4049, 4096, 8064, 8065, 10_000, 65_536,
        ] {
            let line: Vec<u8> = (0..len)
                .map(|i| if i % 3 == 0 { b'\t' } else { b'a' })
                .collect();
            assert_eq!(
                count_byte(&line, b'\t'),
                line.iter().filter(|&&b| b == b'\t').count()
            );
            let all = alloc::vec![b'\t'; len];
            assert_eq!(count_byte(&all, b'\t'), len);
        }
    }

    #[test]
    fn splitting_sixteen_bytes_at_a_time_finds_every_delimiter_and_no_other() {
        // Lines of every length up to several 16-byte blocks, delimiters anywhere (first, last,
        // runs of them, none) among bytes one off the delimiter (tab ^ 1 was where the old
        // eight-byte trick flagged false matches): each split as `str::split` splits, whole and
        // in two parts (the prefix to `limit` values, then the rest from where it stopped).
        let mut spans = Vec::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..80 {
            for _ in 0..20 {
                let line: String = (0..len)
                    .map(|_| match next() % 4 {
                        0 => '\t',
                        1 => '\u{8}',
                        2 => '\n',
                        _ => 'x',
                    })
                    .collect();
                let want: Vec<&str> = line.split('\t').collect();
                split(&line, Delimiter::Byte(b'\t'), &mut spans);
                let got: Vec<&str> = spans.iter().map(|&(a, b)| &line[a..b]).collect();
                assert_eq!(got, want, "{line:?}");
                let limit = 1 + usize::from(u16::try_from(next() >> 48).unwrap_or(0)) % want.len();
                spans.clear();
                split_at_byte(line.as_bytes(), b'\t', 0, limit, &mut spans);
                assert_eq!(spans.len(), limit, "{line:?} {limit}");
                let end = spans[limit - 1].1;
                if end < line.len() {
                    split_at_byte(line.as_bytes(), b'\t', end + 1, usize::MAX, &mut spans);
                }
                let got: Vec<&str> = spans.iter().map(|&(a, b)| &line[a..b]).collect();
                assert_eq!(got, want, "{line:?} in two parts at {limit}");
            }
        }
        split("a|b||c", Delimiter::Byte(b'|'), &mut spans);
        assert_eq!(spans, [(0, 1), (2, 3), (4, 4), (5, 6)]);
    }

    #[test]
    fn forks_read_blocks_in_the_state_the_splitter_noted() {
        let a = b"#Fields: sc-status x-edge-location\n503\tFRA56-P1\n";
        let b = b"504\tSEA19-C1\n  #Fields: x-edge-location sc-status\nLAX1\t502\n";
        let mut splitter = Reader::new();
        splitter.note_headers(a);
        let mut second = splitter.fork();
        splitter.note_headers(b);
        let mut third = splitter.fork();
        assert_eq!(
            records(&mut second, b),
            [
                (Some(504), Some("SEA19-C1".into())),
                (Some(502), Some("LAX1".into()))
            ]
        );
        // After both blocks, the second field list holds.
        assert_eq!(
            records(&mut third, b"IAD89\t503\n"),
            [(Some(503), Some("IAD89".into()))]
        );
        assert!(third.saw_fields);
    }

    #[test]
    fn origin_contact_and_epoch_milliseconds() {
        let mut r = Reader::new();
        let mut seen = Vec::new();
        r.feed(
            b"#Fields: timestamp(ms) sc-status origin-fbl\n1731620046814\t503\t-\n1731620046814\t503\t0.251\n",
            |rec| seen.push((rec.second, rec.origin_contacted())),
        );
        assert_eq!(
            seen,
            [
                (Some(1_731_620_046), Some(false)),
                (Some(1_731_620_046), Some(true))
            ]
        );
    }
}
