// The web page: wires the form to the wasm engine and the shared report view. Thin on purpose:
// every decision comes from cf503-core.
import init, { inspect, diagnose_input, diagnose_shared, version } from './pkg/cf503_wasm.js';
import { renderReport, renderDns } from './report-view.js';
import { parseResolverText, resolversOrDefault } from './resolvers.js';

const $ = (id) => document.getElementById(id);
// The engine for the verdict loads at once; the DNS machinery and the config reader (cf503_dns,
// a larger module) only when a DNS check is about to run or a config is given.
const ready = init();
let dnsEngine = null;
const loadDnsEngine = () => (dnsEngine ??= import('./pkg/cf503_dns.js').then(async (m) => { await m.default(); return m; }));
// The one input the verdict is made from: a file (dropped or chosen) when there is one, else
// the text box; the page says which, and a file can be cleared.
let harText = null;
let last = null;
// The full report of this visit, kept while a shared link is looked at (the way back).
let full = null;

// Resolvers: ?doh=URL (repeatable) wins (tests, shared links for corporate resolvers), then the
// list the user saved here, then the defaults.
const params = new URLSearchParams(location.search);
const saved = (() => { try { return JSON.parse(localStorage.getItem('cf503.resolvers') ?? 'null'); } catch { return null; } })();
const fromLink = params.getAll('doh');
let own = [];
// A link must not silently choose where the origin name goes: say so, and ask first.
let resolversConfirmed = fromLink.length === 0;
if (fromLink.length) {
  $('doh-link-list').textContent = fromLink.join(', ');
  $('doh-link-notice').hidden = false;
  $('settings').open = true;
}
ready.then(() => {
  try {
    own = resolversOrDefault(saved);
  } catch (e) {
    showError(`Saved resolvers: ${e.message ?? e}`);
  }
  $('resolvers-input').value = (fromLink.length ? fromLink : own).join('\n');
});
const settle = (useLink) => {
  if (!useLink) $('resolvers-input').value = own.join('\n');
  resolversConfirmed = true;
  $('doh-link-notice').hidden = true;
};
$('doh-link-accept').addEventListener('click', () => settle(true));
$('doh-link-reject').addEventListener('click', () => settle(false));

const resolvers = () => parseResolverText($('resolvers-input').value);

$('resolvers-input').addEventListener('change', () => {
  try {
    const list = resolvers();
    if (!params.getAll('doh').length) localStorage.setItem('cf503.resolvers', JSON.stringify(list));
  } catch (e) {
    showError(String(e.message ?? e));
  }
});

ready.then(() => { $('version').textContent = version(); });

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

// The distribution's config: read as soon as it is given, so a wrong document is said at once;
// what it says about the request comes with the verdict.
function configStatus(message, isError) {
  const status = $('config-status');
  status.textContent = message;
  status.dataset.state = isError ? 'error' : 'ok';
  status.hidden = !message;
}

async function readConfigBox() {
  const text = $('config-input').value;
  if (!text.trim()) { configStatus('', false); return; }
  try {
    const info = (await loadDnsEngine()).read_config(text);
    const names = info.distributions.map((d) => d.id ?? d.label ?? d.domain_name ?? 'a distribution').join(', ');
    configStatus(`Read: ${info.form}: ${names}`, false);
  } catch (e) {
    configStatus(`Config not read: ${e.message ?? e}`, true);
  }
}

$('config-input').addEventListener('change', readConfigBox);
$('config-file').addEventListener('change', async () => {
  const file = $('config-file').files[0];
  if (!file) return;
  $('config-input').value = await file.text();
  await readConfigBox();
});

async function useFile(file) {
  $('entry-row').hidden = true;
  harText = null;
  if (!file) { showSource(null); return; }
  harText = await file.text();
  showSource(file);
  await ready;
  try {
    const info = inspect(harText);
    const select = $('entry-select');
    select.replaceChildren();
    if (info.kind === 'har') {
      for (const e of info.failing) {
        const opt = document.createElement('option');
        opt.value = String(e.index);
        opt.textContent = `#${e.index} ${e.status} ${e.url ?? ''}`;
        select.append(opt);
      }
      $('entry-row').hidden = info.failing.length < 2;
    }
  } catch (e) {
    showError(String(e.message ?? e));
  }
}

/** Says which input the verdict will be made from; with a file, the text box is set aside. */
function showSource(file) {
  $('input-source').textContent = file
    ? `Diagnosing: ${file.name} (${file.size.toLocaleString('en')} bytes), not the text above`
    : 'Diagnosing: the text above';
  $('input-clear').hidden = !file;
  $('response-input').disabled = Boolean(file);
}

$('har-input').addEventListener('change', () => useFile($('har-input').files[0]));
$('input-clear').addEventListener('click', () => {
  $('har-input').value = '';
  useFile(null);
  $('response-input').focus();
});
// A real drop zone: a file dropped anywhere on it is the input, as if chosen.
const zone = $('drop-zone');
zone.addEventListener('dragover', (event) => {
  if (![...(event.dataTransfer?.types ?? [])].includes('Files')) return;
  event.preventDefault();
  zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (event) => {
  const file = event.dataTransfer?.files?.[0];
  zone.classList.remove('over');
  if (!file) return;
  event.preventDefault();
  // The dropped file is the input: the chooser no longer names another.
  $('har-input').value = '';
  useFile(file);
});

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  await ready;
  $('error').hidden = true;
  const verdict = $('verdict');
  verdict.dataset.state = 'running';
  const input = harText ?? $('response-input').value;
  const entry = harText && !$('entry-row').hidden ? Number($('entry-select').value) : undefined;
  const config = $('config-input').value.trim() || undefined;
  const url = $('request-url').value.trim() || undefined;
  let result;
  try {
    // A config is read by the larger module; without one the first verdict needs only this one.
    result = config ? (await loadDnsEngine()).diagnose_input(input, entry, config, url) : diagnose_input(input, entry);
  } catch (e) {
    verdict.dataset.state = 'error';
    $('result').hidden = true;
    showError(String(e.message ?? e));
    return;
  }
  if (result.config_error) configStatus(`Config not used: ${result.config_error}`, true);
  else if (config) await readConfigBox();
  // The config names the origin the request went to: the DNS check needs no typing.
  if (!$('origin-input').value.trim() && result.config_origin) $('origin-input').value = result.config_origin;
  const origin = $('origin-input').value.trim();
  last = result;
  full = result;
  $('shared-banner').hidden = true;
  $('result').hidden = false;
  renderReport(verdict, $('report'), result.report);
  updatePermalink(result);
  if (origin && $('dns-checks').checked && !resolversConfirmed) {
    showError('DNS checks not run: this link chose the resolvers; accept them or use yours (above) before the origin name is sent anywhere.');
  } else if (origin && $('dns-checks').checked) {
    try {
      const list = resolvers();
      const { check_dns, diagnose_input_with_dns } = await loadDnsEngine();
      const dns = await check_dns(origin, list, (partial) => renderDns($('dns'), partial));
      last = diagnose_input_with_dns(input, entry, dns, config, url);
      full = last;
      renderReport(verdict, $('report'), last.report);
      updatePermalink(last);
    } catch (e) {
      showError(`DNS checks: ${e.message ?? e}`);
    }
  }
  verdict.dataset.state = 'done';
});

$('copy-md').addEventListener('click', () => {
  if (!last) return;
  navigator.clipboard.writeText(last.markdown).then(
    () => { $('copy-status').textContent = 'Copied: a redacted Markdown report.'; },
    (e) => { $('copy-status').textContent = `Copy failed: ${e.message ?? e}`; },
  );
  setTimeout(() => { $('copy-status').textContent = ''; }, 4000);
});

$('download-json').addEventListener('click', () => {
  if (!last) return;
  const blob = new Blob([JSON.stringify(last.report, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'cf503-report.json';
  a.click();
  URL.revokeObjectURL(a.href);
});

// The link carries only derived, non-secret facts (the core's share fragment): no URL, no
// headers, no page text. Opening it diagnoses the canonical response those facts stand for.
function updatePermalink(result) {
  $('permalink').href = `#${result.share}`;
}

async function showShared() {
  if (!location.hash.startsWith('#v=')) {
    // Back from a shared view: the full report again, as it was.
    if (full && last !== full) showFull();
    return;
  }
  await ready;
  const verdict = $('verdict');
  try {
    last = diagnose_shared(location.hash);
  } catch (e) {
    verdict.dataset.state = 'error';
    showError(String(e.message ?? e));
    return;
  }
  $('error').hidden = true;
  $('result').hidden = false;
  // What the link's reader sees, said as such; the way back when this visit has a full report.
  $('shared-banner').hidden = false;
  $('shared-back').hidden = !full;
  renderReport(verdict, $('report'), last.report);
  updatePermalink(last);
  verdict.dataset.state = 'done';
}

function showFull() {
  last = full;
  $('shared-banner').hidden = true;
  renderReport($('verdict'), $('report'), full.report);
  updatePermalink(full);
}

$('shared-back').addEventListener('click', () => {
  history.pushState(null, '', location.pathname + location.search);
  showFull();
});

showShared();
window.addEventListener('hashchange', showShared);
