// Reads dropped CloudFront log files off the page's thread: gzip (by its magic bytes) decoded by
// the browser's DecompressionStream, the bytes fed to the core's streaming reader (cf503_logs),
// progress posted as it goes. Nothing leaves the browser. Message in: {files, fields, delimiter,
// status, since, until}; out: {progress: {done, total, records}} …, then {report} or {error}.
//
// The browser's decoder stops at the end of a gzip file's first member (`cat a.gz b.gz` makes
// files of several) and fails on a cut stream: then the file is read again through the core's
// own gzip reader, which reads every member and counts what arrived of a cut one. A WebAssembly
// trap (the engine out of memory, a bug) ends this worker: the page starts a new one for the
// next read, so a broken instance is never used again.
import init, { LogReader } from './pkg/cf503_logs.js';

const ready = init();
const PROGRESS_EVERY_MS = 100;

// The engine tells gzip from plain by the first bytes.
const isGzip = async (file) => LogReader.is_gzip(new Uint8Array(await file.slice(0, 2).arrayBuffer()));

// Feeds a stream's chunks to `feed`, posting progress; `counted` adds the bytes as stored.
async function pump(stream, feed, reader, progress) {
  const chunks = stream.getReader();
  for (;;) {
    const { value, done } = await chunks.read();
    if (done) return;
    feed(value);
    progress(reader);
  }
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const reader = new LogReader(data.fields ?? '', data.delimiter ?? '', data.status ?? '', data.since ?? '', data.until ?? '');
    const total = data.files.reduce((n, f) => n + f.size, 0);
    let done = 0;
    let posted = 0;
    const progress = (r) => {
      const now = performance.now();
      if (now - posted > PROGRESS_EVERY_MS) {
        posted = now;
        self.postMessage({ progress: { done, total, records: r.records() } });
      }
    };
    // Progress counts the bytes as stored (compressed or not), before decoding.
    const counted = (file) => file.stream().pipeThrough(new TransformStream({
      transform(chunk, out) { done += chunk.byteLength; out.enqueue(chunk); },
    }));
    for (const file of data.files) {
      const before = done;
      reader.begin(file.name);
      if (!(await isGzip(file))) {
        await pump(counted(file), (c) => reader.feed(c), reader, progress);
        reader.end();
        continue;
      }
      try {
        await pump(counted(file).pipeThrough(new DecompressionStream('gzip')), (c) => reader.feed(c), reader, progress);
        reader.end();
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) throw e;
        // The browser's decoder refused the rest (another member, or a cut stream): read the
        // file again with the engine's gzip reader; the first reading's counts are dropped.
        reader.restart();
        done = before;
        await pump(counted(file), (c) => reader.feed_gzip(c), reader, progress);
        const warning = reader.end();
        if (warning) self.postMessage({ warning });
      }
    }
    // The engine says when nothing read was a log (an error, thrown here).
    const records = reader.records();
    const report = reader.report();
    self.postMessage({ progress: { done: total, total, records } });
    self.postMessage({ report });
  } catch (e) {
    const trap = e instanceof WebAssembly.RuntimeError;
    self.postMessage({
      error: trap
        ? `The log engine stopped on this input (${e.message}: most likely it ran out of memory). Nothing was reported; reading again starts a new engine.`
        : String(e?.message ?? e),
      fatal: trap,
    });
    if (trap) self.close();
  }
};
