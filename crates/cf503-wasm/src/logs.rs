//! Logs in the browser (feature `logs`): the core's [`LogSession`], fed by a Web Worker.
use cf503_core::logs::LogSession;
use wasm_bindgen::prelude::*;

/// One reading of several files.
#[wasm_bindgen]
#[derive(Debug)]
pub struct LogReader(LogSession);
#[wasm_bindgen]
impl LogReader {
    /// The page's boxes as typed (see [`LogSession::from_text`]).
    #[wasm_bindgen(constructor)]
    pub fn new(
        fields: &str,
        delimiter: &str,
        status: &str,
        since: &str,
        until: &str,
    ) -> Result<LogReader, JsError> {
        let session = LogSession::from_text(fields, delimiter, status, since, until);
        session
            .map(LogReader)
            .map_err(|e| JsError::new(&e.to_string()))
    }
    /// A new file begins (its name numbers its skipped lines).
    pub fn begin(&mut self, name: &str) {
        self.0.begin(name);
    }
    /// The current file is dropped and begun again (the browser's gzip decoder gave up on it).
    pub fn restart(&mut self) {
        self.0.restart();
    }
    /// The next bytes of the current file.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.0.feed(chunk);
    }
    /// The next bytes of the current file, gzip-compressed (every member is read).
    pub fn feed_gzip(&mut self, chunk: &[u8]) {
        self.0.feed_gzip(chunk);
    }
    /// The current file ended: a warning when its gzip stream was cut short, else empty.
    pub fn end(&mut self) -> String {
        self.0.end().map(|w| w.to_string()).unwrap_or_default()
    }
    /// Whether a file's first bytes are gzip (then the worker decodes it on the way).
    pub fn is_gzip(prefix: &[u8]) -> bool {
        cf503_core::logs::is_gzip(prefix)
    }
    /// Records counted so far (for the progress line; counts stay far below 2^53).
    #[allow(clippy::cast_precision_loss)]
    pub fn records(&self) -> f64 {
        self.0.records() as f64
    }
    /// Everything read, as text for another worker's reader to [`LogReader::absorb`] (this
    /// reader is used up): the page reads several files at once, one worker each.
    pub fn part(self) -> String {
        self.0.into_part().to_json()
    }
    /// Another worker's [`LogReader::part`]: its files and counts join this reading's.
    pub fn absorb(&mut self, part: &str) -> Result<(), JsError> {
        cf503_core::logs::SessionPart::from_json(part)
            .and_then(|p| self.0.absorb_part(p))
            .map_err(|e| JsError::new(&e.to_string()))
    }
    /// The `cf503.logs_report` of everything read (the reader is used up), or why there is none.
    pub fn report(self) -> Result<JsValue, JsError> {
        let read = self.0.finish().map_err(|e| JsError::new(&e.to_string()))?;
        crate::to_js(&read.json())
    }
}
