// The popup: reads the failing tab (activeTab, granted by the click), hands what it read to the
// engine and shows the web page's report view. Every decision comes from cf503-core: which of
// the page's answers to believe, the cause, the DNS findings.
import init, { diagnose_capture, check_dns, check_alias, redact_url } from './pkg/cf503_wasm.js';
import { renderReport, renderDns } from './report-view.js';
import { api, loadSettings, rememberedOrigin, rememberOrigin } from './settings.js';

const $ = (id) => document.getElementById(id);
const engine = init();
const PAGE_TEXT_LIMIT = 64 * 1024; // the core keeps no more (capture::PAGE_TEXT_LIMIT)
const REFETCH_TIMEOUT_MS = 5000;
const DOH_ATTEMPT_MS = 4000;

let capture = null;
let last = null;
let settings = null;
let viewerHost = '';

// Runs in the tab (scripting.executeScript): serialised, so it may use nothing from outside.
// The navigation's status, the visible text, and the same URL fetched again now, same-origin
// and uncached, for the response headers (all but Set-Cookie) and whether the error persists.
async function readTab(textLimit, timeoutMs) {
  const nav = performance.getEntriesByType('navigation')[0];
  const out = {
    url: location.href,
    navigation_status: nav && nav.responseStatus ? nav.responseStatus : null,
    page_text: (document.body ? document.body.innerText : '').slice(0, textLimit),
  };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const r = await fetch(location.href, { cache: 'no-store', credentials: 'same-origin', signal: abort.signal });
    out.refetch = { status: r.status, headers: [...r.headers] };
    if (r.body) r.body.cancel().catch(() => {});
  } catch (e) {
    out.refetch_error = abort.signal.aborted ? `no answer in ${timeoutMs / 1000} s` : String((e && e.message) || e);
  } finally {
    clearTimeout(timer);
  }
  return out;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

async function targetTab() {
  // ?tab=ID: the popup opened as a page for a given tab (keyboard users, tests).
  const id = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(id) && id > 0) return api.tabs.get(id);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function main() {
  const verdict = $('verdict');
  let tab;
  [settings, tab] = await Promise.all([loadSettings(), targetTab()]);
  let url;
  try {
    url = new URL(tab?.url ?? '');
  } catch {
    url = null;
  }
  if (!tab || !url || !/^https?:$/.test(url.protocol)) {
    throw new Error('This tab is not a web page. Open the page that shows the CloudFront error and click cf503 again.');
  }
  viewerHost = url.hostname;
  // Reading the tab (a script in it, a re-fetch) is the slowest step: start it first.
  const reading = readCapture(tab);
  const origin = await rememberedOrigin(viewerHost);
  $('origin-input').value = origin;
  await engine;
  // The DNS checks need nothing from the tab: they start now, beside reading it.
  const dns = settings.dnsChecks ? startDns(origin) : null;
  capture = await reading;
  // The stored capture applies when it is this page's: its URL is redacted, compare like with like.
  const stored = capture.stored;
  delete capture.stored;
  if (stored && stored.url === redact_url(tab.url)) capture.passive = { status: stored.status, headers: stored.headers };
  $('status').textContent = capture.passive ? 'Captured by watch mode' : 'Read at the click';
  last = diagnose_capture(capture);
  $('result').hidden = false;
  renderReport(verdict, $('report'), last.report);
  if (!settings.dnsChecks) {
    $('dns-off').hidden = false;
    $('dns-run').disabled = true;
  }
  if (dns) await finishDns(dns);
  // The benchmark (tests/e2e/bench-extension.mjs) times the click to this mark.
  performance.mark('cf503:done');
  verdict.dataset.state = 'done';
}

async function readCapture(tab) {
  const stored = await api.storage.session.get(`tab:${tab.id}`).catch(() => ({}));
  const passive = stored[`tab:${tab.id}`];
  const c = { url: tab.url };
  // Compared with the tab's URL once the engine is up (the stored URL is redacted).
  if (passive) c.stored = passive;
  try {
    const [injection] = await api.scripting.executeScript({ target: { tabId: tab.id }, func: readTab, args: [PAGE_TEXT_LIMIT, REFETCH_TIMEOUT_MS] });
    Object.assign(c, injection?.result ?? {});
  } catch (e) {
    // A page the extension may not read (browser pages, the web store, no click): say what is
    // missing; a watch-mode capture may still be enough.
    c.refetch_error = `the page could not be read (${e.message ?? e})`;
  }
  return c;
}

// DNS checks over DoH: the origin's (when known) and the viewer host's, whose CNAME chain
// says whether the site is on CloudFront. Only when DNS checks are on. Answers fill in the DNS
// section as they arrive; the verdict is redone with them at the end.
function startDns(origin) {
  const dnsSection = () => $('dns') ?? $('report').appendChild(Object.assign(document.createElement('section'), { id: 'dns', className: 'dns' }));
  // An address has no CNAME chain to look at (URL hosts: dotted IPv4 or bracketed IPv6).
  const isAddress = /^[\d.]+$/.test(viewerHost) || viewerHost.startsWith('[');
  const viewer = isAddress ? Promise.resolve() : check_alias(viewerHost, settings.resolvers, DOH_ATTEMPT_MS)
    .then((v) => showViewer(v.json()))
    .catch((e) => showViewer(null, e));
  const check = origin
    ? check_dns(origin, settings.resolvers, DOH_ATTEMPT_MS, (partial) => renderDns(dnsSection(), partial))
    : Promise.resolve(null);
  return { viewer, check };
}

async function finishDns({ viewer, check }) {
  try {
    const dns = await check;
    if (dns) {
      last = diagnose_capture(capture, dns);
      renderReport($('verdict'), $('report'), last.report);
    }
  } catch (e) {
    showError(`DNS checks: ${e.message ?? e}`);
  }
  await viewer;
}

function showViewer(report, error) {
  const p = $('viewer-dns');
  p.hidden = false;
  if (!report) p.textContent = `Could not look up ${viewerHost}: ${error?.message ?? error}`;
  else if (report.cloudfront_alias) p.textContent = `${viewerHost} is an alias of ${report.cloudfront_alias}: this site is served by CloudFront.`;
  else p.textContent = `${viewerHost} is not a CNAME of a cloudfront.net name (an alias record would not show here).`;
  p.dataset.cloudfront = report?.cloudfront_alias ? 'yes' : 'unknown';
}

$('dns-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!capture || !settings?.dnsChecks) return;
  $('verdict').dataset.state = 'running';
  $('error').hidden = true;
  const origin = $('origin-input').value.trim();
  await rememberOrigin(viewerHost, origin);
  await finishDns(startDns(origin));
  $('verdict').dataset.state = 'done';
});

$('copy-md').addEventListener('click', () => {
  if (last) navigator.clipboard.writeText(last.markdown).catch((e) => showError(`Copy failed: ${e}`));
});

main().catch((e) => {
  $('status').textContent = '';
  $('verdict').dataset.state = 'error';
  showError(String(e.message ?? e));
});
