//! CloudFront access logs in the browser (feature `logs`, module `cf503_logs`): the core's
//! streaming reader and summary behind a small class a Web Worker feeds with the chunks of
//! each dropped file (already gunzipped by the browser's `DecompressionStream`). The report is
//! the CLI's `cf503.logs_report` JSON, so the page shows what `cf503 logs --json` prints.

use cf503_core::logs::{Delimiter, Filter, Reader, Summary};
use wasm_bindgen::prelude::*;

/// One reading of several files.
#[wasm_bindgen]
#[derive(Debug)]
pub struct LogReader {
    start: Reader,
    reader: Reader,
    source: String,
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
            summary: Summary::default(),
            filter,
            files: 0,
            unknown: Vec::new(),
        })
    }

    /// A new file begins (its name numbers its skipped lines).
    pub fn begin(&mut self, name: &str) {
        self.reader = self.start.fork();
        name.clone_into(&mut self.source);
        self.files += 1;
    }

    /// The next bytes of the current file.
    pub fn feed(&mut self, chunk: &[u8]) {
        let (summary, filter) = (&mut self.summary, &self.filter);
        self.reader.feed(chunk, |r| summary.add(r, filter));
    }

    /// The current file ended.
    pub fn end(&mut self) {
        let (summary, filter) = (&mut self.summary, &self.filter);
        self.reader.finish(|r| summary.add(r, filter));
        self.summary
            .add_skipped(&self.source, &self.reader.skipped, 1);
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
        let n = (self.summary.records + self.summary.outside_window) as f64;
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
