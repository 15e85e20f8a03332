// The popup: reads the failing tab (activeTab, granted by the click), hands what it read to the
// engine and shows the web page's report view. Every decision comes from cf503-core: which of
// the page's answers to believe, the cause, the DNS findings.
import init, { diagnose_capture } from './pkg/cf503_wasm.js';
import { renderReport, renderDns } from './report-view.js';
import { api, loadSettings, rememberedOrigin, rememberOrigin, rememberedConfig, rememberConfig } from './settings.js';
import { resolversOrDefault } from './resolvers.js';
import { t, localise } from './i18n.js';

localise();

performance.mark('cf503:script');
const $ = (id) => document.getElementById(id);
// popup-start.js began reading the tab and fetching the engine before this module loaded; the
// engine compiles while the tab is read. The DNS machinery (cf503_dns) is a module of its own,
// fetched only when DNS checks are on, beside the first verdict, or when a config is remembered
// for the site (the config reader lives there too).
const start = globalThis.cf503Start;
const engine = init({ module_or_path: start.engine }).then(() => performance.mark('cf503:engine-ready'));
let dnsEngine = null;
const loadDnsEngine = () => (dnsEngine ??= import('./pkg/cf503_dns.js').then(async (m) => { await m.default(); return m; }));

// The popup is at most 600 px tall: the verdict and the first step show, the rest is folded.
const COMPACT = { compact: true };
let capture = null;
let last = null;
let settings = null;
let viewerHost = '';
// The stored config for this site (the engine's redacted form), when the user gave one.
let config;

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

async function main() {
  const verdict = $('verdict');
  let tab;
  [settings, tab] = await Promise.all([loadSettings(), start.tab]);
  let url;
  try {
    url = new URL(tab?.url ?? '');
  } catch {
    url = null;
  }
  if (!tab || !url || !/^https?:$/.test(url.protocol)) {
    throw new Error(t('notWebPage'));
  }
  viewerHost = url.hostname;
  if (settings.dnsChecks) loadDnsEngine().catch(() => {}); // errors surface when it is awaited
  config = await rememberedConfig(viewerHost);
  if (config) loadDnsEngine().catch(() => {}); // the config reader; errors surface when awaited
  await engine;
  let origin = await rememberedOrigin(viewerHost);
  $('origin-input').value = origin;
  // The DNS checks need nothing from the tab: they start now, beside reading it (unless the
  // origin is to come from the remembered config, which routes the tab's URL).
  let dns = settings.dnsChecks && (origin || !config) ? startDns(origin) : null;
  capture = await start.capture;
  last = await diagnoseCapture();
  showConfigResult();
  // No origin typed, but the config names the one this request went to: check that one.
  if (!origin && last.config_origin) {
    origin = last.config_origin;
    $('origin-input').value = origin;
  }
  if (settings.dnsChecks && !dns) dns = startDns(origin);
  // Which answer the engine believed: watch mode's capture, or what was read at the click.
  $('status').textContent = t(last.read === 'watch_mode' ? 'statusWatchMode' : 'statusClick');
  $('result').hidden = false;
  renderReport(verdict, $('report'), last.report, COMPACT);
  // The figures of `just bench`: from the popup's start to the first verdict in the DOM.
  performance.mark('cf503:verdict');
  if (!settings.dnsChecks) {
    $('dns-off').hidden = false;
    $('dns-run').disabled = true;
  }
  if (dns) await finishDns(dns);
  // The benchmark (tests/e2e/bench-extension.mjs) times the click to this mark.
  performance.mark('cf503:done');
  verdict.dataset.state = 'done';
}

// DNS checks over DoH: the origin's (when known) and the viewer host's, whose CNAME chain
// says whether the site is on CloudFront. Only when DNS checks are on. Answers fill in the DNS
// section as they arrive; the verdict is redone with them at the end.
function startDns(origin) {
  performance.mark('cf503:dns-start');
  const dnsSection = () => $('dns') ?? $('report').appendChild(Object.assign(document.createElement('section'), { id: 'dns', className: 'dns' }));
  const started = loadDnsEngine().then((m) => ({ m, resolvers: resolversOrDefault(settings.resolvers) }));
  // An address has no CNAME chain to look at (URL hosts: dotted IPv4 or bracketed IPv6).
  const isAddress = /^[\d.]+$/.test(viewerHost) || viewerHost.startsWith('[');
  const viewer = isAddress ? Promise.resolve() : started
    .then(({ m, resolvers }) => m.check_alias(viewerHost, resolvers))
    .then((v) => showViewer(v.json()))
    .catch((e) => showViewer(null, e));
  const check = origin
    ? started.then(({ m, resolvers }) => m.check_dns(origin, resolvers, (partial) => renderDns(dnsSection(), partial)))
    : Promise.resolve(null);
  return { viewer, check };
}

/** The verdict on the capture: with the remembered config or watch mode's record of the site's
 * edge locations (both judged by cf503_dns), or by the first-verdict module alone. */
async function diagnoseCapture() {
  if (!config && !capture?.seen?.length) return diagnose_capture(capture);
  try {
    return (await loadDnsEngine()).diagnose_capture(capture, config);
  } catch (e) {
    // The larger module could not load or run: the verdict stands without the config and the
    // record, and says why.
    const result = diagnose_capture(capture);
    if (config) result.config_error = `the config reader failed (${e.message ?? e})`;
    return result;
  }
}

function showConfigResult() {
  const status = $('config-status');
  if (last?.config_error) {
    status.textContent = t('configNotUsed', last.config_error);
    status.dataset.state = 'error';
  } else {
    status.textContent = config ? t('configRemembered') : '';
    status.dataset.state = 'ok';
  }
  status.hidden = !status.textContent;
}

async function finishDns({ viewer, check }) {
  try {
    const dns = await check;
    if (dns) {
      last = (await loadDnsEngine()).diagnose_capture_with_dns(capture, dns, config);
      renderReport($('verdict'), $('report'), last.report, COMPACT);
      performance.mark('cf503:dns-done');
    }
  } catch (e) {
    showError(t('dnsFailed', e.message ?? e));
  }
  await viewer;
}

// The sentence is the core's (`alias_summary` of the viewer host's DNS report).
function showViewer(report, error) {
  const p = $('viewer-dns');
  p.hidden = false;
  p.textContent = report ? report.alias_summary : t('lookupFailed', viewerHost, error?.message ?? error);
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

// A pasted config: read by the engine, kept in its redacted form only, and the verdict redone.
$('config-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!capture) return;
  const status = $('config-status');
  try {
    const info = (await loadDnsEngine()).read_config($('config-input').value);
    config = info.stored;
  } catch (e) {
    status.textContent = t('configNotRead', e.message ?? e);
    status.dataset.state = 'error';
    status.hidden = false;
    return;
  }
  // The pasted text may hold secrets: only the engine's redacted form is kept or shown again.
  $('config-input').value = '';
  await rememberConfig(viewerHost, config);
  last = await diagnoseCapture();
  renderReport($('verdict'), $('report'), last.report, COMPACT);
  showConfigResult();
  if (!$('origin-input').value.trim() && last.config_origin) {
    $('origin-input').value = last.config_origin;
    if (settings?.dnsChecks) await finishDns(startDns(last.config_origin));
  }
  $('verdict').dataset.state = 'done';
});

$('config-forget').addEventListener('click', async () => {
  config = undefined;
  await rememberConfig(viewerHost, undefined);
  if (!capture) return;
  last = await diagnoseCapture();
  renderReport($('verdict'), $('report'), last.report, COMPACT);
  showConfigResult();
});

$('copy-md').addEventListener('click', () => {
  if (!last) return;
  const button = $('copy-md');
  navigator.clipboard.writeText(last.markdown).then(() => {
    button.textContent = t('popupCopied');
    setTimeout(() => { button.textContent = t('popupCopyMarkdown'); }, 2000);
  }, (e) => showError(t('copyFailed', e.message ?? e)));
});

// Opens the options page (watch mode, DNS checks) from a link in the popup.
for (const link of document.querySelectorAll('a.options-link')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    api.runtime.openOptionsPage();
  });
}

main().catch((e) => {
  $('status').textContent = '';
  $('verdict').dataset.state = 'error';
  // A page that does not fail is not an error of cf503's: say so plainly, and where watch mode
  // (which keeps the failure as it happens) is turned on.
  if (e?.name === 'NotFailing') {
    $('not-failing-text').textContent = sentence(e.message);
    $('not-failing').hidden = false;
    $('verdict').dataset.state = 'not-failing';
    return;
  }
  showError(sentence(String(e.message ?? e)));
});

/** The engine's messages start in lower case (they also follow "cf503: " on a terminal). */
function sentence(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
