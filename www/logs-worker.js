// Reads dropped CloudFront log files off the page's thread: gzip (by its magic bytes) decoded by
// the browser's DecompressionStream, the bytes fed to the core's streaming reader (cf503_logs),
// progress posted as it goes. Nothing leaves the browser. Message in: {files, fields, delimiter,
// status, since, until, reply}; out: {progress: {done, total, records}} …, {warning} …, then
// {report} (reply 'report') or {part} (reply 'part': the reading as text, for another worker),
// or {error}. In: {merge: [part, …], fields, …}: the parts of several workers' readings
// absorbed by a new reader; out: {report} or {error}. The page reads several files at once this
// way, one worker per core (logs.js); the merge is the engine's, so the report is the one a
// single reader gives.
//
// A gzip file is decoded by the browser's DecompressionStream on a thread of its own
// (gunzip-worker.js) while this one counts. The browser's decoder stops at the end of a gzip
// file's first member (`cat a.gz b.gz` makes
// files of several) and fails on a cut stream: then the file is read again through the core's
// own gzip reader, which reads every member and counts what arrived of a cut one. A WebAssembly
// trap (the engine out of memory, a bug) ends this worker: the page starts a new one for the
// next read, so a broken instance is never used again.
import init, { LogReader } from './pkg/cf503_logs.js';

const ready = init();
const PROGRESS_EVERY_MS = 100;
// Bytes of a plain file read at a time, and slices asked for ahead of the one counted: memory
// holds AHEAD + 1 slices at most.
const SLICE = 4 << 20;
const AHEAD = 3;
const SNIFFED_AT_ONCE = 64;

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

// The gzip decoder's thread (gunzip-worker.js), started for the first gzip file: decoding there
// while the engine counts here. Each block is fed, then acknowledged (the decoder stays a few
// blocks ahead at most). Rejects with the browser decoder's refusal, or the engine's trap.
let gunzip = null;
function decodeElsewhere(file, feed) {
  gunzip ??= new Worker(new URL('./gunzip-worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    gunzip.onmessage = ({ data: m }) => {
      if (m.block) {
        try {
          feed(m.block, m.stored);
        } catch (e) {
          reject(e);
          return;
        }
        gunzip.postMessage({ ack: true });
      } else if (m.end) {
        resolve();
      } else {
        reject(new Error(m.failed));
      }
    };
    gunzip.onerror = (e) => { e.preventDefault(); reject(new Error(`the gzip decoder failed: ${e.message}`)); };
    gunzip.postMessage({ file });
  });
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const reader = new LogReader(data.fields ?? '', data.delimiter ?? '', data.status ?? '', data.since ?? '', data.until ?? '');
    if (data.merge) {
      for (const part of data.merge) reader.absorb(part);
      self.postMessage({ report: reader.report() });
      return;
    }
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
    // Which files are gzip: one small read each, SNIFFED_AT_ONCE at a time (a day's delivery
    // is thousands of files).
    const gzip = [];
    for (let i = 0; i < data.files.length; i += SNIFFED_AT_ONCE) {
      gzip.push(...await Promise.all(data.files.slice(i, i + SNIFFED_AT_ONCE).map(isGzip)));
    }
    // Plain text in large slices, read ahead while the last is counted, from one plain file
    // into the next: through file.stream()'s 64 KB chunks, reading took three times as long as
    // counting, and a read-ahead that started afresh at each file left the reader idle at every
    // file's start (16 files of 6 MB took twice as long as one of 100 MB). At most AHEAD
    // slices wait.
    const slices = [];
    data.files.forEach((file, i) => {
      for (let at = 0; !gzip[i] && at < file.size; at += SLICE) slices.push([i, at]);
    });
    const ahead = [];
    let asked = 0;
    const ask = () => {
      while (ahead.length < AHEAD && asked < slices.length) {
        const [i, at] = slices[asked++];
        ahead.push([i, data.files[i].slice(at, at + SLICE).arrayBuffer()]);
      }
    };
    ask();
    for (const [i, file] of data.files.entries()) {
      const before = done;
      reader.begin(file.name);
      if (!gzip[i]) {
        while (ahead.length && ahead[0][0] === i) {
          const chunk = new Uint8Array(await ahead.shift()[1]);
          ask();
          reader.feed(chunk);
          done += chunk.byteLength;
          progress(reader);
        }
        reader.end();
        continue;
      }
      try {
        await decodeElsewhere(file, (block, stored) => {
          reader.feed(block);
          done = before + stored;
          progress(reader);
        });
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
    const records = reader.records();
    if (data.reply === 'part') {
      // Whether any file was a log is the merge's to say, over every worker's files.
      const part = reader.part();
      self.postMessage({ progress: { done: total, total, records } });
      self.postMessage({ part });
      return;
    }
    // The engine says when nothing read was a log (an error, thrown here).
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
