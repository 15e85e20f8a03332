// The page's logs section: hands the chosen files to Web Workers (logs-worker.js; several files
// to one per core) so the page stays responsive, shows their progress, lays out the report with
// logs-view.js. Decisions, and the merge of the workers' parts, are the core's; this moves
// files and messages.
import { renderLogs } from './logs-view.js';

const $ = (id) => document.getElementById(id);
// Readers at most: one per core, as a file's gzip decoding takes a thread of its own too.
const MAX_WORKERS = 4;
// The workers, kept between readings (their engines already loaded: starting one was a tenth
// of reading 100 MB).
let pool = [];
// Whether the workers are reading: a new read then abandons them (and starts others).
let busy = false;
let lastReport = null;
let dropped = null;

function show(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

/** The files in `n` groups of about equal bytes: the largest first, each to the lightest group. */
function split(files, n) {
  const groups = Array.from({ length: n }, () => ({ files: [], bytes: 0 }));
  const order = new Map(files.map((f, i) => [f, i]));
  for (const f of [...files].sort((a, b) => b.size - a.size)) {
    const g = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    g.files.push(f);
    g.bytes += f.size;
  }
  // Each group in the order the files were given (the order a report names files in).
  return groups.map((g) => g.files.sort((a, b) => order.get(a) - order.get(b)));
}

function stopAll() {
  for (const w of pool) w.terminate();
  pool = [];
  busy = false;
}

function read(files) {
  if (!files.length) {
    show('logs-error', 'Choose one or more log files first.');
    return;
  }
  // A read in progress is abandoned; idle workers read again.
  if (busy) stopAll();
  // A new reading replaces the last report: a failed one leaves nothing to download.
  lastReport = null;
  // Several files are read at once, one worker per core, each counting its share; the engine
  // merges their parts into the one report a single reader gives.
  const n = Math.max(1, Math.min(files.length, navigator.hardwareConcurrency || 1, MAX_WORKERS));
  while (pool.length < n) pool.push(new Worker(new URL('./logs-worker.js', import.meta.url), { type: 'module' }));
  const workers = pool.slice(0, n);
  busy = true;
  show('logs-error', '');
  show('logs-warning', '');
  $('logs-report').replaceChildren();
  $('logs-actions').hidden = true;
  $('logs-progress-line').hidden = false;
  $('logs-progress').value = 0;
  $('logs-progress-text').textContent = 'reading…';
  const started = performance.now();
  const settings = {
    fields: $('logs-fields').value,
    delimiter: $('logs-delimiter').value,
    status: $('logs-status').value,
    since: $('logs-since').value,
    until: $('logs-until').value,
  };
  const total = files.reduce((t, f) => t + f.size, 0);
  const done = new Array(n).fill(0);
  const records = new Array(n).fill(0);
  const warnings = [];
  const parts = new Array(n).fill(null);
  const failed = (message, fatal) => {
    if (!busy) return;
    show('logs-error', message);
    $('logs-progress-line').hidden = true;
    // The other workers' reading is of no use now; one whose engine trapped, or whose state is
    // unknown, is never used again: the next read starts new ones.
    if (fatal || n > 1) stopAll();
    busy = false;
  };
  const finished = (report) => {
    busy = false;
    lastReport = report;
    $('logs-progress-text').textContent += ` — ${((performance.now() - started) / 1000).toFixed(2)} s`;
    renderLogs($('logs-report'), report);
    $('logs-actions').hidden = false;
    document.documentElement.dataset.logsDone = String(Date.now());
  };
  workers.forEach((worker, i) => {
    worker.onmessage = ({ data }) => {
      if (!busy) return;
      if (data.progress) {
        done[i] = data.progress.done;
        records[i] = data.progress.records;
        const d = done.reduce((a, b) => a + b, 0);
        const r = records.reduce((a, b) => a + b, 0);
        $('logs-progress').value = total ? d / total : 1;
        $('logs-progress-text').textContent = `${(d / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB, ${r} records`;
      } else if (data.warning) {
        warnings.push(data.warning);
        show('logs-warning', warnings.join(' '));
      } else if (data.error) {
        failed(data.error, data.fatal);
      } else if (data.part !== undefined) {
        parts[i] = data.part;
        // Every part in: the first worker merges them (a reader of its own) and reports.
        if (parts.every((p) => p !== null)) workers[0].postMessage({ ...settings, merge: parts });
      } else if (data.report) {
        finished(data.report);
      }
    };
    worker.onerror = (e) => failed(`The log reader failed: ${e.message ?? e}`, true);
  });
  split(files, n).forEach((group, i) => {
    workers[i].postMessage({ ...settings, files: group, reply: n > 1 ? 'part' : 'report' });
  });
}

$('logs-form').addEventListener('submit', (e) => {
  e.preventDefault();
  read(dropped ?? [...$('logs-input').files]);
});
$('logs-input').addEventListener('change', () => { dropped = null; });
const zone = $('logs-drop');
zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('over');
  dropped = [...e.dataTransfer.files];
  read(dropped);
});
$('logs-download').addEventListener('click', () => {
  if (!lastReport) return;
  const url = URL.createObjectURL(new Blob([JSON.stringify(lastReport, null, 2)], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: 'cf503-logs-report.json' });
  a.click();
  URL.revokeObjectURL(url);
});
