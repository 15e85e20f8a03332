// Decodes one gzip log file for logs-worker.js, on a thread of its own, so that decoding the
// next bytes and counting the last ones overlap (on one thread they took turns: decoding was
// half of reading a gzip file). The browser's DecompressionStream does the decoding; the bytes
// go back in blocks of about a megabyte, transferred (not copied), at most IN_FLIGHT blocks ahead
// of the reader, so memory stays bounded whatever the file.
//
// In: {file}, then {ack} once per block counted. Out: {block, stored} … (stored: the bytes of
// the file read so far, as stored), then {end: true}, or
// {failed: message} when the browser's decoder refuses the rest (another gzip member, a cut
// stream): the reader then reads the file again with the engine's own gzip reader.
const BLOCK = 1 << 20;
const IN_FLIGHT = 4;

let credits = IN_FLIGHT;
let wake = null;
const credit = () => new Promise((resolve) => {
  if (credits > 0) resolve();
  else wake = resolve;
});

self.onmessage = async ({ data }) => {
  if (data.ack) {
    credits += 1;
    if (wake) { const w = wake; wake = null; w(); }
    return;
  }
  let stored = 0;
  const send = async (bytes) => {
    await credit();
    credits -= 1;
    self.postMessage({ block: bytes, stored }, [bytes.buffer]);
  };
  try {
    // How many bytes of the file (as stored) were read: the reader's progress.
    const counted = data.file.stream().pipeThrough(new TransformStream({
      transform(chunk, out) { stored += chunk.byteLength; out.enqueue(chunk); },
    }));
    const chunks = counted.pipeThrough(new DecompressionStream('gzip')).getReader();
    let block = new Uint8Array(BLOCK);
    let filled = 0;
    for (;;) {
      const { value, done } = await chunks.read();
      if (done) break;
      let at = 0;
      while (at < value.byteLength) {
        const n = Math.min(BLOCK - filled, value.byteLength - at);
        block.set(value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === BLOCK) {
          await send(block);
          block = new Uint8Array(BLOCK);
          filled = 0;
        }
      }
    }
    if (filled) await send(block.slice(0, filled));
    self.postMessage({ end: true });
  } catch (e) {
    self.postMessage({ failed: String(e?.message ?? e) });
  }
};
