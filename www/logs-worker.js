// Reads dropped CloudFront log files off the page's thread: gzip (by its magic bytes) decoded by
// the browser's DecompressionStream, the bytes fed to the core's streaming reader (cf503_logs),
// progress posted as it goes. Nothing leaves the browser. Message in: {files, fields, delimiter,
// status, since, until}; out: {progress: {done, total, records}} …, then {report} or {error}.
import init, { LogReader } from './pkg/cf503_logs.js';

const ready = init();
const PROGRESS_EVERY_MS = 100;

// The engine tells gzip from plain by the first bytes.
const isGzip = async (file) => LogReader.is_gzip(new Uint8Array(await file.slice(0, 2).arrayBuffer()));

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const reader = new LogReader(data.fields ?? '', data.delimiter ?? '', data.status ?? '', data.since ?? '', data.until ?? '');
    const total = data.files.reduce((n, f) => n + f.size, 0);
    let done = 0;
    let posted = 0;
    for (const file of data.files) {
      reader.begin(file.name);
      // Progress counts the bytes as stored (compressed or not), before decoding.
      let stream = file.stream().pipeThrough(new TransformStream({
        transform(chunk, out) { done += chunk.byteLength; out.enqueue(chunk); },
      }));
      const gzip = await isGzip(file);
      if (gzip) stream = stream.pipeThrough(new DecompressionStream('gzip'));
      const chunks = stream.getReader();
      try {
        for (;;) {
          const { value, done: end } = await chunks.read();
          if (end) break;
          reader.feed(value);
          const now = performance.now();
          if (now - posted > PROGRESS_EVERY_MS) {
            posted = now;
            self.postMessage({ progress: { done, total, records: reader.records() } });
          }
        }
      } catch (e) {
        // A gzip stream cut short: what arrived counts, as in the CLI.
        if (!gzip) throw e;
        self.postMessage({ warning: `${file.name}: the gzip stream ends early or is damaged; the records before were counted` });
      }
      reader.end();
    }
    // The engine says when nothing read was a log (an error, thrown here).
    const report = reader.report();
    self.postMessage({ progress: { done: total, total, records: reader.records() } });
    self.postMessage({ report });
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
