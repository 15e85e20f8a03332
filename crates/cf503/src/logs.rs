//! `cf503 logs`: reads files (plain or gzip, folders recursively, standard input) through the
//! core's streaming log reader, on every core; merges the summaries; prints. The reading and
//! counting are the core's; this moves bytes.
//!
//! Work is cut into blocks of whole lines, so one big file keeps both cores busy as well as many
//! small ones: a thread that takes a file reads (and decompresses) it block by block, and hands
//! each block to an idle thread, or reads it itself when the queue is full. Each thread counts
//! into its own summary; the summaries merge in any order (the core's summary is commutative).
//! Memory is bounded by the queue: a few blocks per thread, whatever the input size.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use cf503_core::logs::gzip::{Decoded, GzipError, MemberDecoder, Members};
use cf503_core::logs::{Block, Delimiter, FileId, Filter, LogSession, Plan, Tally};

use cf503_core::report::Format;

use crate::{CliError, LogsArgs, write_out};

/// Blocks waiting per thread, at most: with the core's block size, the bound on memory. Two
/// keep every thread fed (with 1 MiB blocks one measured the same, four 3 % slower with 3 MiB
/// more at peak: each more is memory touched for the first time; with 256 KiB blocks four were
/// 2-3 % slower than two).
const QUEUED_PER_THREAD: usize = 2;
/// Inputs smaller than this in all get no progress bar: they are done before it would draw.
const PROGRESS_FROM_BYTES: u64 = 32 << 20;

pub fn run(args: &LogsArgs) -> Result<(), CliError> {
    if let Some(dialect) = &args.sql {
        return sql(args, dialect);
    }
    let filter = Filter::parse(
        &args.status,
        args.since.as_deref().unwrap_or(""),
        args.until.as_deref().unwrap_or(""),
    )
    .map_err(logs_error)?;
    let delimiter =
        Delimiter::parse(args.delimiter.as_deref().unwrap_or("")).map_err(logs_error)?;
    let mut session = LogSession::new(&fields_of(args)?, delimiter, filter);
    let mut found = Found::default();
    for p in &args.paths {
        collect(p, 0, &mut found)?;
    }
    for (path, why) in &found.left_out {
        warn_left_out(path, why);
    }
    let files: Vec<(FileId, PathBuf)> = found
        .files
        .into_iter()
        .map(|f| (session.add_file(&f.display().to_string()), f))
        .collect();
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let run = Run::new(&files, session.plan(), workers);
    let progress = Progress::start(&files);
    let parts: Vec<Worker> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| s.spawn(|| run.work(progress.as_ref().map(|p| &p.read))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    drop(progress);
    for worker in parts {
        session.absorb(worker.tally);
        for (file, e) in worker.unread {
            // One file that cannot be read does not stop the others: it is named and left out;
            // the report covers the rest.
            eprintln!(
                "cf503: {}",
                cf503_core::redact::for_terminal(&e.to_string())
            );
            session.unreadable(file);
        }
        for warning in worker.warnings {
            eprintln!("cf503: {warning}");
        }
    }
    let read = session.finish().map_err(logs_error)?;
    let mut out = match args.output.format() {
        Format::Json => cf503_core::report::logs_json(&read.summary, read.files),
        Format::Markdown => cf503_core::report::logs_markdown(&read.summary, read.files),
        Format::Text => cf503_core::report::logs_text(&read.summary, read.files),
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    write_out(&out)
}

/// The core's words, as they are: they name the setting and say what to give.
fn logs_error(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

fn fields_of(args: &LogsArgs) -> Result<Vec<String>, CliError> {
    Ok(match (&args.fields, &args.fields_from) {
        (Some(f), _) => cf503_core::logs::field_list(f),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Usage(format!("--fields-from {}: {e}", path.display())))?;
            cf503_core::logs::fields_from_realtime_config(&text)
                .map_err(|e| CliError::Usage(format!("--fields-from {}: {e}", path.display())))?
        }
        (None, None) => Vec::new(),
    })
}

/// Folders below a given one that are entered, at most (a deeper tree is not a log folder).
const MAX_DEPTH: usize = 32;

/// What was found under the paths given: the files to read, and the entries left out with why.
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    left_out: Vec<(PathBuf, &'static str)>,
    /// Folders entered, by their real path: a symbolic link back to one is not entered again.
    visited: std::collections::HashSet<PathBuf>,
}

/// Files under `p` (folders recursively, in name order; `-` is standard input). Symbolic links
/// are followed, but a folder is entered once (a link loop ends there) and no deeper than
/// [`MAX_DEPTH`]; FIFOs, sockets and devices are left out (opening a FIFO blocks for ever, a
/// device never ends), as are links to nothing and entries that cannot be read: each is named on
/// standard error and the rest is read (audit L17-L19). A path given by the user that does not
/// exist is an error.
fn collect(p: &Path, depth: usize, found: &mut Found) -> Result<(), CliError> {
    if p.as_os_str() == "-" {
        found.files.push(p.to_path_buf());
        return Ok(());
    }
    // A path the user gave that cannot be read is an error; one found in a folder is left out.
    let unreadable = |e: std::io::Error, why: &'static str, found: &mut Found| {
        if depth == 0 {
            return Err(CliError::Read {
                name: p.display().to_string(),
                source: e,
            });
        }
        found.left_out.push((p.to_path_buf(), why));
        Ok(())
    };
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => return unreadable(e, "cannot be read (a link to nothing?)", found),
    };
    if meta.is_file() {
        found.files.push(p.to_path_buf());
        return Ok(());
    }
    if !meta.is_dir() {
        found
            .left_out
            .push((p.to_path_buf(), "not a file (a FIFO, socket or device)"));
        return Ok(());
    }
    if depth > MAX_DEPTH {
        found
            .left_out
            .push((p.to_path_buf(), "folder nested too deep"));
        return Ok(());
    }
    let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if !found.visited.insert(real) {
        found
            .left_out
            .push((p.to_path_buf(), "folder already read (a link loop?)"));
        return Ok(());
    }
    let entries = match std::fs::read_dir(p) {
        Ok(e) => e,
        Err(e) => return unreadable(e, "folder cannot be read", found),
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        collect(&e, depth + 1, found)?;
    }
    Ok(())
}

/// Names an entry that was left out, on standard error (redacted, terminal-safe).
fn warn_left_out(path: &Path, why: &str) {
    eprintln!(
        "cf503: {}: left out: {why}",
        cf503_core::redact::for_terminal(&path.display().to_string())
    );
}

/// One thread's share: what it counted, the files it could not read, the warnings.
#[derive(Default)]
struct Worker {
    tally: Tally,
    unread: Vec<(FileId, CliError)>,
    warnings: Vec<cf503_core::logs::CutShort>,
}

struct Queue {
    files: VecDeque<usize>,
    blocks: VecDeque<Block>,
    /// Files being read now: while any is, an idle thread waits for their blocks.
    reading: usize,
    /// Emptied buffers, to fill again.
    spare: Vec<Vec<u8>>,
}

struct Run<'a> {
    files: &'a [(FileId, PathBuf)],
    plan: &'a Plan,
    queue: Mutex<Queue>,
    ready: Condvar,
    limit: usize,
}

impl<'a> Run<'a> {
    fn new(files: &'a [(FileId, PathBuf)], plan: &'a Plan, threads: usize) -> Self {
        Run {
            files,
            plan,
            queue: Mutex::new(Queue {
                files: (0..files.len()).collect(),
                blocks: VecDeque::new(),
                reading: 0,
                spare: Vec::new(),
            }),
            ready: Condvar::new(),
            limit: threads * QUEUED_PER_THREAD,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        // A thread that panicked holding the lock left the queue itself consistent.
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A thread's loop: count queued blocks; when none, take the next file; when none, wait
    /// for the files being read.
    fn work(&self, read: Option<&AtomicU64>) -> Worker {
        let mut me = Worker::default();
        loop {
            let mut q = self.lock();
            if let Some(block) = q.blocks.pop_front() {
                drop(q);
                self.count(block, &mut me);
                continue;
            }
            if let Some(file) = q.files.pop_front() {
                q.reading += 1;
                drop(q);
                let result = self.read_file(file, read, &mut me);
                self.lock().reading -= 1;
                self.ready.notify_all();
                if let Err(e) = result {
                    me.unread.push((self.files[file].0, e));
                }
                continue;
            }
            if q.reading == 0 {
                return me;
            }
            // Woken by a new block or a file's end; the time-out is a safety net only.
            let _ = self
                .ready
                .wait_timeout(q, Duration::from_millis(50))
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    fn count(&self, block: Block, me: &mut Worker) {
        let buffer = self.plan.count(block, &mut me.tally);
        let mut q = self.lock();
        if q.spare.len() < self.limit {
            q.spare.push(buffer);
        }
    }

    /// Reads one file (a gzip file, by its magic bytes, decompressed on the way) into buffers
    /// the core cuts into blocks; each goes to the queue, or is counted here when the queue is
    /// full.
    fn read_file(
        &self,
        file: usize,
        read: Option<&AtomicU64>,
        me: &mut Worker,
    ) -> Result<(), CliError> {
        let (id, path) = &self.files[file];
        let err = |source| CliError::Read {
            name: path.display().to_string(),
            source,
        };
        let raw: Box<dyn Read> = if path.as_os_str() == "-" {
            Box::new(io::stdin())
        } else {
            Box::new(std::fs::File::open(path).map_err(err)?)
        };
        // The first bytes tell gzip from text; they are read again after.
        let mut raw = io::BufReader::with_capacity(256 * 1024, raw);
        let gzip = cf503_core::logs::is_gzip(raw.fill_buf().map_err(err)?);
        let seen = io::Cursor::new(raw.buffer().to_vec());
        let raw = seen.chain(raw.into_inner());
        // Plain text goes straight from the file into the blocks, with no reader of ours between
        // them: std then fills a block without zeroing it first (through a wrapper that only
        // implements read(), each block was zeroed: 4 % of a run), and without a BufReader's
        // second copy (5 %). Its progress is counted by block.
        // gzip is decoded straight into the block (see [`GzipFile`]).
        let mut source = if gzip {
            Source::Gzip(GzipFile::new(io::BufReader::with_capacity(
                256 * 1024,
                Counted { inner: raw, read },
            )))
        } else {
            Source::Plain(Box::new(raw))
        };
        let mut cutter = self.plan.cutter(*id);
        let mut ended = false;
        while !ended {
            let mut buf = self.lock().spare.pop().unwrap_or_default();
            let want = cutter.refill(&mut buf);
            let result = match &mut source {
                Source::Gzip(members) => members.fill(&mut buf, want),
                Source::Plain(input) => {
                    // The whole block's room at once: grown bit by bit, read_to_end copies it
                    // over. read_to_end keeps what it read before an error.
                    buf.reserve(want);
                    let result = input.by_ref().take(want as u64).read_to_end(&mut buf);
                    if let (Some(r), Ok(n)) = (read, &result) {
                        r.fetch_add(*n as u64, Ordering::Relaxed);
                    }
                    result.map(|n| n < want)
                }
            };
            match result {
                Ok(at_end) => ended = at_end,
                // A gzip stream cut short (a download interrupted): what was read counts.
                Err(e) if gzip => {
                    let name = path.display().to_string();
                    me.warnings.push(cf503_core::logs::CutShort {
                        file: name,
                        reason: e.to_string(),
                    });
                    ended = true;
                }
                Err(e) => return Err(err(e)),
            }
            let Some(block) = cutter.cut(&mut buf, ended) else {
                continue;
            };
            let mut q = self.lock();
            if q.blocks.len() < self.limit {
                q.blocks.push_back(block);
                // An idle thread is woken when the queue is full, not for each block: waking
                // one is a context switch, which for every 256 KiB block (3,981 switches
                // against 1,010 for one 1 GB gzip file, decoded on one thread slower than it is
                // counted on the other) made that file 3 % slower. A file's end wakes it too
                // (below), so no block waits past it.
                let full = q.blocks.len() == self.limit;
                drop(q);
                if full {
                    self.ready.notify_one();
                }
            } else {
                drop(q);
                self.count(block, me);
            }
        }
        Ok(())
    }
}

/// Where a file's blocks come from.
enum Source<'a, R: BufRead> {
    /// Text, read into the block by the file itself.
    Plain(Box<dyn Read + 'a>),
    Gzip(GzipFile<R>),
}

/// A gzip file decoded into the blocks' spare room, every member in turn, by the core's walk
/// through members ([`cf503_core::logs::gzip::Members`]: what a member boundary, trailing bytes
/// and a cut are, the same as on the page) over zlib-rs, which checks each member's header,
/// CRC-32 and length itself.
///
/// Decoded bytes are written where the block will hold them, never into zeroed memory first: a
/// reader behind `read_to_end` has each block zeroed before it is filled (`io::Read` offers only
/// initialised buffers), which cost 3 % of reading a gzip file, on the one thread that decodes
/// it, so a twentieth of its wall time.
struct GzipFile<R> {
    input: R,
    members: Members<Zlib>,
}

/// zlib-rs in gzip mode, one member at a time (a new state per member costs 223 ns, so a file of
/// many empty members stays linear).
struct Zlib(flate2::Decompress);

impl MemberDecoder for Zlib {
    fn begin(&mut self) {
        self.0 = flate2::Decompress::new_gzip(15);
    }

    fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<Decoded, GzipError> {
        let read_before = self.0.total_in();
        let status = self
            .0
            .decompress_vec(input, out, flate2::FlushDecompress::None)
            .map_err(|e| zlib_error(e.message()))?;
        Ok(Decoded {
            read: usize::try_from(self.0.total_in() - read_before).unwrap_or(usize::MAX),
            ended: status == flate2::Status::StreamEnd,
        })
    }
}

/// What zlib's message for a gzip stream it gave up on means, in the core's terms, so that the
/// CLI and the page (on miniz_oxide) say the same: zlib's `inflate.c` messages, which zlib-rs
/// keeps word for word.
fn zlib_error(message: Option<&str>) -> GzipError {
    match message {
        Some("unknown compression method" | "unknown header flags set" | "header crc mismatch") => {
            GzipError::BadHeader
        }
        _ => GzipError::Damaged,
    }
}

impl<R: BufRead> GzipFile<R> {
    fn new(input: R) -> Self {
        GzipFile {
            input,
            members: Members::new(Zlib(flate2::Decompress::new_gzip(15))),
        }
    }

    /// Appends at least `want` decoded bytes to `buf` (more when its spare room is larger), or
    /// fewer when the file ends, which it then says (`true`). An error is a file cut short,
    /// damaged, or followed by bytes that are not gzip; what was decoded before stays in `buf`.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
        let goal = buf.len() + want;
        buf.reserve(want);
        let invalid = |e: GzipError| io::Error::new(io::ErrorKind::InvalidData, e.to_string());
        while buf.len() < goal {
            let input = self.input.fill_buf()?;
            let (at_end, wrote_before) = (input.is_empty(), buf.len());
            let taken = self.members.decode(input, buf).map_err(invalid)?;
            self.input.consume(taken);
            // Nothing more to read and nothing more decoded from what was read: the end.
            if at_end && buf.len() == wrote_before {
                self.members.finish().map_err(invalid)?;
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Counts the bytes read from a file, for the progress bar.
struct Counted<'a, R> {
    inner: R,
    read: Option<&'a AtomicU64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(r) = self.read {
            r.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// A progress bar on standard error, when it is a terminal and the input is large: bytes of the
/// files (as stored, compressed or not) read so far.
struct Progress {
    read: AtomicU64,
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn start(files: &[(FileId, PathBuf)]) -> Option<std::sync::Arc<Progress>> {
        use std::io::IsTerminal;
        if !io::stderr().is_terminal() || files.iter().any(|(_, f)| f.as_os_str() == "-") {
            return None;
        }
        let total: u64 = files
            .iter()
            .filter_map(|(_, f)| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        if total < PROGRESS_FROM_BYTES {
            return None;
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let p = std::sync::Arc::new(Progress {
            read: AtomicU64::new(0),
            bar,
        });
        let weak = std::sync::Arc::downgrade(&p);
        std::thread::spawn(move || {
            while let Some(p) = weak.upgrade() {
                p.bar.set_position(p.read.load(Ordering::Relaxed));
                drop(p);
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        Some(p)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// `--sql athena|duckdb`: the classification as SQL, generated from the core's rules.
fn sql(args: &LogsArgs, dialect: &str) -> Result<(), CliError> {
    use cf503_core::sql::{Dialect, athena_ddl, by_cause_query, duckdb_source};
    let out = match dialect {
        "athena" => format!(
            "{}\n-- Errors by cause, minute and edge location on the legacy table (on the v2 table,\n-- cast sc_status to int).\n{};\n",
            athena_ddl(&args.location).map_err(|e| CliError::Usage(format!("--location: {e}")))?,
            by_cause_query(Dialect::Athena, "cloudfront_standard_logs")
        ),
        "duckdb" => {
            let glob = match args.paths.as_slice() {
                [one] => one.display().to_string(),
                [] => "*.gz".to_string(),
                many => {
                    return Err(CliError::Usage(format!(
                        "--sql duckdb takes one PATH or glob (quote it), not {}",
                        many.len()
                    )));
                }
            };
            if glob.contains('\'') {
                return Err(CliError::Usage("--sql duckdb: a PATH with a quote".into()));
            }
            format!(
                "{};\n",
                by_cause_query(Dialect::DuckDb, &duckdb_source(&glob))
            )
        }
        other => {
            return Err(CliError::Usage(format!(
                "--sql {other:?}: give athena or duckdb"
            )));
        }
    };
    write_out(&out)
}

#[cfg(test)]
mod tests {
    use super::GzipFile;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    /// Everything `GzipFile` gives, block by block as `read_file` asks, and how it ended. Bounded:
    /// a reader that kept saying "not yet" with nothing new would fail here, not hang.
    fn decode(file: &[u8], block: usize) -> (Vec<u8>, Result<(), String>) {
        let mut members = GzipFile::new(std::io::BufReader::with_capacity(7, file));
        let mut out = Vec::new();
        for _ in 0..=file.len() * 4 + 16 {
            let mut buf = Vec::new();
            let result = members.fill(&mut buf, block);
            out.extend_from_slice(&buf);
            match result {
                Ok(true) => return (out, Ok(())),
                Ok(false) => assert!(buf.len() >= block, "a short block before the end"),
                Err(e) => return (out, Err(e.to_string())),
            }
        }
        panic!("no end after {} calls", file.len() * 4 + 16);
    }

    /// Everything the page's reader (the core's walk over miniz_oxide) gives, and how it ended.
    fn on_the_page(file: &[u8]) -> (Vec<u8>, Result<(), String>) {
        let mut stream = cf503_core::logs::gzip::Stream::new();
        let mut out = Vec::new();
        let fed = stream.feed(file, |b| out.extend_from_slice(b));
        let end = fed.and_then(|()| stream.finish());
        (out, end.map_err(|e| e.to_string()))
    }

    /// One policy, two inflaters: every cut and every damaged byte of a two-member file (odd
    /// block and input sizes) ends the same way in the CLI (zlib-rs) and on the page
    /// (miniz_oxide): the same words, and the same text when whole or cut (a prefix, as far as
    /// each decoder got; damaged data may decode to other bytes before the damage shows). A cut
    /// is an error unless it falls between the members; damage gzip cannot see (a header's name
    /// or time) leaves the text as it was. Each kind of ending is met.
    #[test]
    fn the_cli_and_the_page_end_every_damaged_file_the_same_way() {
        let text: Vec<u8> = (0..400)
            .flat_map(|i| {
                format!("2026-11-26\t05:{:02}:00\tSEA19-C1\t503\t/p{i}\n", i % 60).into_bytes()
            })
            .collect();
        let first = gzip(&text[..5000]);
        let file = [first.clone(), gzip(&text[5000..])].concat();
        assert_eq!(decode(&file, 1000), (text.clone(), Ok(())));
        let mut endings = std::collections::BTreeSet::new();
        let mut check = |name: String, bytes: &[u8], cut: bool| {
            let (cli, cli_end) = decode(bytes, 333);
            let (page, page_end) = on_the_page(bytes);
            assert_eq!(cli_end, page_end, "{name}");
            if cli_end.is_ok() {
                assert_eq!(cli, page, "{name}");
            }
            if cut {
                assert!(text.starts_with(&cli) && text.starts_with(&page), "{name}");
            }
            endings.insert(cli_end.clone().err().unwrap_or_default());
            (cli, cli_end)
        };
        for cut in 1..file.len() {
            let (_, end) = check(format!("cut at {cut}"), &file[..cut], true);
            assert_eq!(end.is_ok(), cut == first.len(), "cut at {cut}: {end:?}");
        }
        for at in 0..file.len() {
            let mut damaged = file.clone();
            damaged[at] ^= 0x5a;
            let (got, end) = check(format!("damage at {at}"), &damaged, false);
            if end.is_ok() {
                // Undetectable damage only changes what gzip does not check (MTIME, XFL, OS).
                assert_eq!(got, text, "damage at {at} not seen and the text changed");
            }
        }
        let _ = check(
            "trailing bytes".into(),
            &[file.as_slice(), b"junk"].concat(),
            true,
        );
        let endings: Vec<&str> = endings.iter().map(String::as_str).collect();
        for kind in [
            "",
            "damaged compressed data",
            "a malformed member header",
            "the file ends inside a gzip member",
            "bytes after the last member are not gzip",
        ] {
            assert!(endings.contains(&kind), "never {kind:?}: {endings:?}");
        }
    }
}
