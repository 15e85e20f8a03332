// The popup's first steps, as a classic script in <head>: it runs before the page is parsed and
// before the module graph (engine glue, report view) is fetched, so the two slowest steps of a
// first verdict, reading the tab and fetching the engine, start at once. popup.js picks up the
// promises from `globalThis.cf503Start`. It decides nothing: it reads.
'use strict';
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const PAGE_TEXT_LIMIT = 64 * 1024; // the core keeps no more (capture::PAGE_TEXT_LIMIT)
  const REFETCH_TIMEOUT_MS = 5000;

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

  async function targetTab() {
    // ?tab=ID: the popup opened as a page for a given tab (keyboard users, tests).
    const id = Number(new URLSearchParams(location.search).get('tab'));
    if (Number.isInteger(id) && id > 0) return api.tabs.get(id);
    const [tab] = await api.tabs.query({ active: true, currentWindow: true });
    return tab;
  }

  const isWebPage = (tab) => /^https?:\/\//i.test(tab?.url ?? '');

  async function readCapture(tab) {
    const key = `tab:${tab.id}`;
    const c = { url: tab.url, now_ms: Date.now() };
    // The tab is read while the stored records are looked up: the lookup is no longer a step
    // before the tab's re-fetch, the slowest part of a first verdict.
    const [stored, injected] = await Promise.all([
      api.storage.session.get([key, 'seen']).catch(() => ({})),
      api.scripting.executeScript({ target: { tabId: tab.id }, func: readTab, args: [PAGE_TEXT_LIMIT, REFETCH_TIMEOUT_MS] })
        .then(([injection]) => injection?.result ?? {})
        // A page the extension may not read (browser pages, the web store, no click): say what
        // is missing; a watch-mode capture may still be enough.
        .catch((e) => ({ refetch_error: `the page could not be read (${e.message ?? e})` })),
    ]);
    // The engine uses it only if it is this page's (it compares the redacted URLs).
    if (stored[key]) c.stored = stored[key];
    // Watch mode's record of the edge locations that answered for this site (keyed by host
    // name, as the engine's edges::site_of gives it: the browser's own normalised host).
    const site = stored.seen?.[new URL(tab.url).hostname];
    if (Array.isArray(site)) c.seen = site;
    Object.assign(c, injected);
    performance.mark('cf503:tab-read');
    return c;
  }

  const tab = targetTab();
  globalThis.cf503Start = {
    tab,
    capture: tab.then((t) => (isWebPage(t) ? readCapture(t) : null)),
    engine: fetch('pkg/cf503_wasm_bg.wasm'),
  };
  // popup.js awaits both and shows their errors; these only keep them from being reported twice.
  globalThis.cf503Start.capture.catch(() => {});
  globalThis.cf503Start.engine.catch(() => {});
})();
