//! CloudFront access logs in the browser (feature `logs`, module `cf503_logs`): the core's
//! streaming reader and summary behind a small class a Web Worker feeds with the chunks of
//! each dropped file (already gunzipped by the browser's `DecompressionStream`). The report is
//! the CLI's `cf503.logs_report` JSON, so the page shows what `cf503 logs --json` prints.
//!
//! A file is counted into its own part, merged in when it ends: a gzip file the browser's
//! decoder rejects (a second member, audit W5) is read again from the start through the core's
//! own gzip reader without counting anything twice.

use cf503_core::logs::gzip::Members;
use cf503_core::logs::{Delimiter, Filter, Reader, Summary};
use wasm_bindgen::prelude::*;

/// One reading of several files.
#[wasm_bindgen]
#[derive(Debug)]
pub struct LogReader {
    start: Reader,
    reader: Reader,
    source: String,
    /// The file being read.
    part: Summary,
    /// The core's gzip reader, when the file is read through it.
    gzip: Option<Members>,
    summary: Summary,
    filter: Filter,
    files: usize,
    /// Files that held no `#Fields:` line, JSON record or given field order.
    unknown: Vec<String>,
}

#[wasm_bindgen]
impl LogReader {
    /// `fields`: the comma-separated field order of header-less records (real-time logs, v2
    /// plain), or a saved `get-realtime-log-config` answer, or empty; `delimiter`: one character, `tab`, or empty for tabs; `status`: `5xx` or
    /// one status; `since`/`until`: UTC times as the CLI takes them, or empty.
    #[wasm_bindgen(constructor)]
    pub fn new(
        fields: &str,
        delimiter: &str,
        status: &str,
        since: &str,
        until: &str,
    ) -> Result<LogReader, JsError> {
        // A comma-separated list, or a pasted `aws cloudfront get-realtime-log-config` answer.
        let names = cf503_core::logs::fields_from_text(fields)
            .map_err(|e| JsError::new(&format!("field order: {e}")))?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let delimiter =
            Delimiter::parse(delimiter).map_err(|e| JsError::new(&format!("delimiter {e}")))?;
        let filter = Filter::parse(status, since, until).map_err(|e| JsError::new(&e))?;
        let start = if names.is_empty() {
            Reader::new()
        } else {
            Reader::with_fields(&names)
        }
        .delimited_by(delimiter);
        Ok(LogReader {
            reader: start.fork(),
            start,
            source: String::new(),
            part: Summary::default(),
            gzip: None,
            summary: Summary::default(),
            filter,
            files: 0,
            unknown: Vec::new(),
        })
    }

    /// A new file begins (its name numbers its skipped lines).
    pub fn begin(&mut self, name: &str) {
        self.reader = self.start.fork();
        self.part = Summary::default();
        self.gzip = None;
        name.clone_into(&mut self.source);
        self.files += 1;
    }

    /// The current file's counts are dropped and it is begun again (read another way).
    pub fn restart(&mut self) {
        self.files -= 1;
        let name = core::mem::take(&mut self.source);
        self.begin(&name);
    }

    /// The next bytes of the current file.
    pub fn feed(&mut self, chunk: &[u8]) {
        let (part, filter) = (&mut self.part, &self.filter);
        self.reader.feed(chunk, |r| part.add(r, filter));
    }

    /// The next compressed bytes of the current file, decoded by the core's gzip reader (every
    /// member). After damaged data nothing more is read; [`LogReader::end_gzip`] says so.
    pub fn feed_gzip(&mut self, chunk: &[u8]) {
        let (reader, part, filter) = (&mut self.reader, &mut self.part, &self.filter);
        let gzip = self.gzip.get_or_insert_with(Members::new);
        let _ = gzip.feed(chunk, |bytes| reader.feed(bytes, |r| part.add(r, filter)));
    }

    /// The current file, read with [`LogReader::feed_gzip`], ended: a warning when its stream
    /// was cut short or damaged (what arrived was counted), else empty.
    pub fn end_gzip(&mut self) -> String {
        let warning = match self.gzip.as_ref().map(Members::finish) {
            Some(Err(e)) => cf503_core::report::gzip_cut_warning(&self.source, &e.to_string()),
            _ => String::new(),
        };
        self.end();
        warning
    }

    /// The current file ended.
    pub fn end(&mut self) {
        let (part, filter) = (&mut self.part, &self.filter);
        self.reader.finish(|r| part.add(r, filter));
        part.add_skipped(&self.source, &self.reader.skipped, 1);
        self.summary.merge(core::mem::take(&mut self.part));
        if !self.reader.saw_fields {
            self.unknown.push(self.source.clone());
        }
    }

    /// Whether a file's first bytes are gzip (then the worker decodes it on the way).
    pub fn is_gzip(prefix: &[u8]) -> bool {
        cf503_core::logs::is_gzip(prefix)
    }

    /// Records counted so far (for the progress line).
    pub fn records(&self) -> f64 {
        // Counts stay far below 2^53.
        #[allow(clippy::cast_precision_loss)]
        let n = (self.summary.records
            + self.summary.outside_window
            + self.part.records
            + self.part.outside_window) as f64;
        n
    }

    /// The `cf503.logs_report` of everything read, or an error when nothing read was a log
    /// (as `cf503 logs` says it).
    pub fn report(&self) -> Result<JsValue, JsError> {
        if !self.unknown.is_empty() && self.summary.records + self.summary.outside_window == 0 {
            let names: Vec<&str> = self.unknown.iter().map(String::as_str).collect();
            return Err(JsError::new(&cf503_core::logs::no_known_format(&names)));
        }
        crate::to_js(&cf503_core::report::logs_json_value(
            &self.summary,
            self.files,
        ))
    }
}
