//! `cf503 logs`: reads files (plain or gzip, folders recursively, standard input), in parallel,
//! through the core's streaming log reader; merges the per-file summaries; prints. The reading
//! and counting are the core's; this moves bytes.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cf503_core::logs::{Reader, StatusFilter, Summary};

use crate::{CliError, LogsArgs, write_out};

/// Bytes read at a time: memory stays flat whatever the file size.
const CHUNK: usize = 256 * 1024;

pub fn run(args: &LogsArgs) -> Result<(), CliError> {
    if let Some(dialect) = &args.sql {
        return sql(args, dialect);
    }
    let filter = match args.status.trim() {
        "5xx" | "5XX" => StatusFilter::ServerErrors,
        s => StatusFilter::Exactly(
            s.parse()
                .ok()
                .filter(|n| (100..=599).contains(n))
                .ok_or_else(|| {
                    CliError::Usage(format!("--status {s:?}: give 5xx or a status such as 503"))
                })?,
        ),
    };
    let fields: Option<Vec<String>> = match (&args.fields, &args.fields_from) {
        (Some(f), _) => Some(
            f.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Usage(format!("--fields-from {}: {e}", path.display())))?;
            Some(
                cf503_core::logs::fields_from_realtime_config(&text).map_err(|e| {
                    CliError::Usage(format!("--fields-from {}: {e}", path.display()))
                })?,
            )
        }
        (None, None) => None,
    };
    let mut files = Vec::new();
    for p in &args.paths {
        collect(p, &mut files)?;
    }
    let queue = Mutex::new(files.clone());
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let Some(path) = queue.lock().expect("queue").pop() else {
                        return;
                    };
                    let result = read_one(&path, fields.as_deref(), filter);
                    results.lock().expect("results").push((path, result));
                }
            });
        }
    });
    let mut total = Summary::default();
    let mut unknown_format = Vec::new();
    for (path, result) in results.into_inner().expect("results") {
        let (summary, saw_fields) = result.map_err(|source| CliError::Read {
            name: path.display().to_string(),
            source,
        })?;
        if !saw_fields {
            unknown_format.push(path.display().to_string());
        }
        total.merge(summary);
    }
    if !unknown_format.is_empty() && total.records == 0 {
        return Err(CliError::Usage(format!(
            "{}: no record of a known log format: tried W3C standard logs (a #Fields: line) and, \
             with --fields or --fields-from, header-less real-time records",
            unknown_format.join(", ")
        )));
    }
    let mut out = if args.json {
        cf503_core::report::logs_json(&total, files.len())
    } else {
        cf503_core::report::logs_text(&total, files.len())
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    write_out(&out)
}

/// Files under `p` (folders recursively, in name order; `-` is standard input).
fn collect(p: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    if p.as_os_str() == "-" || p.is_file() {
        out.push(p.to_path_buf());
        return Ok(());
    }
    let read = |e| CliError::Read {
        name: p.display().to_string(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
        .map_err(read)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            collect(&e, out)?;
        } else {
            out.push(e);
        }
    }
    Ok(())
}

/// Reads one file through the core's reader, in chunks; a gzip file (by its magic bytes) is
/// decompressed on the way.
fn read_one(
    path: &Path,
    fields: Option<&[String]>,
    filter: StatusFilter,
) -> io::Result<(Summary, bool)> {
    let raw: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(std::fs::File::open(path)?)
    };
    let mut raw = io::BufReader::with_capacity(CHUNK, raw);
    let gzip = {
        use std::io::BufRead;
        raw.fill_buf()?.starts_with(&[0x1f, 0x8b])
    };
    let mut input: Box<dyn Read> = if gzip {
        Box::new(flate2::bufread::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut reader = match fields {
        Some(f) => Reader::with_fields(&f.iter().map(String::as_str).collect::<Vec<_>>()),
        None => Reader::new(),
    };
    let mut summary = Summary::default();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // A gzip stream cut short (a download interrupted): what was read counts.
            Err(e) if gzip => {
                eprintln!(
                    "cf503: {}: the gzip stream ends early or is damaged ({e}); the records before were counted",
                    cf503_core::redact::for_terminal(&path.display().to_string())
                );
                break;
            }
            Err(e) => return Err(e),
        };
        reader.feed(&buf[..n], |r| summary.add(&r, filter));
    }
    reader.finish(|r| summary.add(&r, filter));
    summary.skipped = reader.skipped.lines;
    Ok((summary, reader.saw_fields))
}

/// `--sql athena|duckdb`: the classification as SQL, generated from the core's rules.
fn sql(args: &LogsArgs, dialect: &str) -> Result<(), CliError> {
    use cf503_core::sql::{Dialect, athena_ddl, by_cause_query, duckdb_source};
    let out = match dialect {
        "athena" => format!(
            "{}\n-- Errors by cause, minute and edge location on the legacy table (on the v2 table,\n-- cast sc_status to int).\n{};\n",
            athena_ddl(&args.location),
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
