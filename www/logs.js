// The page's logs section: hands the chosen files to a Web Worker (logs-worker.js) so the page
// stays responsive, shows its progress, lays out the report with logs-view.js. Decisions are
// the core's; this moves files and messages.
import { renderLogs } from './logs-view.js';

const $ = (id) => document.getElementById(id);
let worker = null;
// Whether the worker is reading: a new read then abandons it (and starts another).
let busy = false;
let lastReport = null;
let dropped = null;

function show(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

function read(files) {
  if (!files.length) {
    show('logs-error', 'Choose one or more log files first.');
    return;
  }
  // A read in progress is abandoned; an idle worker reads again (its engine already loaded:
  // starting one was a tenth of reading 100 MB).
  if (busy) {
    worker?.terminate();
    worker = null;
  }
  // A new reading replaces the last report: a failed one leaves nothing to download.
  lastReport = null;
  worker ??= new Worker(new URL('./logs-worker.js', import.meta.url), { type: 'module' });
  busy = true;
  show('logs-error', '');
  show('logs-warning', '');
  $('logs-report').replaceChildren();
  $('logs-actions').hidden = true;
  $('logs-progress-line').hidden = false;
  $('logs-progress').value = 0;
  $('logs-progress-text').textContent = 'reading…';
  const started = performance.now();
  worker.onmessage = ({ data }) => {
    if (data.progress) {
      const { done, total, records } = data.progress;
      $('logs-progress').value = total ? done / total : 1;
      $('logs-progress-text').textContent = `${(done / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB, ${records} records`;
    } else if (data.warning) {
      show('logs-warning', data.warning);
    } else if (data.error) {
      busy = false;
      show('logs-error', data.error);
      $('logs-progress-line').hidden = true;
      // A worker whose engine trapped is never used again (the next read starts a new one).
      if (data.fatal) { worker.terminate(); worker = null; }
    } else if (data.report) {
      busy = false;
      lastReport = data.report;
      $('logs-progress-text').textContent += ` — ${((performance.now() - started) / 1000).toFixed(2)} s`;
      renderLogs($('logs-report'), data.report);
      $('logs-actions').hidden = false;
      document.documentElement.dataset.logsDone = String(Date.now());
    }
  };
  worker.onerror = (e) => {
    show('logs-error', `The log reader failed: ${e.message ?? e}`);
    // Its state is unknown: the next read starts a new one.
    worker?.terminate();
    worker = null;
    busy = false;
  };
  worker.postMessage({
    files,
    fields: $('logs-fields').value,
    delimiter: $('logs-delimiter').value,
    status: $('logs-status').value,
    since: $('logs-since').value,
    until: $('logs-until').value,
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
