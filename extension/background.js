// Watch mode, and nothing else: when the user has turned it on (options page, which asks for
// the optional webRequest and host permissions), the original response of every failing
// main-frame navigation is checked by the engine and, if it is a failing CloudFront response,
// kept — headers redacted — as the last one of its tab in storage.session, with a badge on the
// tab. Every CloudFront navigation, failing or not, also adds its edge location's answer to the
// site's record (`seen`: edge location, status, X-Cache, Age, request id, time; no URL), so the
// popup can say whether this edge location is the only one failing. Without those permissions
// this script registers nothing and sees nothing.
//
// A service worker in Chromium and an event page in Firefox: it may stop at any time, so it
// keeps no state of its own (storage.session survives restarts) and registers its listeners
// synchronously at start (MV3 wakes it only for listeners registered then). The wasm glue is
// imported statically: import() is not allowed in a service worker. It is cf503_dns, the larger
// module: the site's record of edge locations (remember_sighting) is there, not in the one each
// click of the popup loads.
import init, { keepable_capture, remember_sighting } from './pkg/cf503_dns.js';
import { api, loadSettings } from './settings.js';

let engine = null;
const loadEngine = () => (engine ??= init());
const FILTER = { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] };
const tabKey = (tabId) => `tab:${tabId}`;
let listening = false;

function listen() {
  if (listening || !api.webRequest) return;
  api.webRequest.onHeadersReceived.addListener(onHeaders, FILTER, ['responseHeaders']);
  listening = true;
}

function onHeaders(details) {
  if (details.tabId < 0) return;
  // Every answer, failing or not, says which edge location served the site.
  const sighted = sight(details);
  // Kept from before, for another URL or a success now: forget it, clear the badge.
  if (details.statusCode < 400) {
    forget(details.tabId);
    return;
  }
  sighted.then(() => record(details)).catch((e) => console.warn('cf503: not recorded:', e));
}

const headerPairs = (details) => (details.responseHeaders ?? []).map((h) => [h.name, h.value ?? '']);

// The site's record of edge locations: the engine decides what is kept of the answer, drops
// stale sites and bounds the rest (edges::remember_for_site). One update at a time: navigations
// in quick succession would otherwise each read the same record and the last write would drop
// the others' answers.
let sightings = Promise.resolve();
/** Queues this answer's update; the returned promise settles when it is stored (never rejects:
 * one failed update must not stop the next). */
function sight(details) {
  sightings = sightings
    .then(() => sightOne(details))
    .catch((e) => console.warn('cf503: edge location not recorded:', e));
  return sightings;
}

async function sightOne(details) {
  const settings = await loadSettings();
  if (!settings.watch) return;
  await loadEngine();
  const { seen } = await api.storage.session.get('seen');
  const next = remember_sighting(details.url, details.statusCode, headerPairs(details), seen, Date.now());
  if (next) await api.storage.session.set({ seen: next });
}

async function record(details) {
  const settings = await loadSettings();
  if (!settings.watch) return;
  await loadEngine();
  const headers = headerPairs(details);
  // The engine decides what may be kept, and redacts URL and headers: a signed URL's signature
  // never reaches storage.
  const kept = keepable_capture(details.url, details.statusCode, headers);
  if (!kept) {
    await forget(details.tabId);
    return;
  }
  await api.storage.session.set({ [tabKey(details.tabId)]: { ...kept, time: Date.now() } });
  await api.action.setBadgeBackgroundColor({ tabId: details.tabId, color: '#b24a00' });
  await api.action.setBadgeText({ tabId: details.tabId, text: String(kept.status) });
}

async function forget(tabId) {
  await api.storage.session.remove(tabKey(tabId));
  await api.action.setBadgeText({ tabId, text: '' }).catch(() => {});
}

listen();
// Granted later from the options page: start listening without waiting for a restart.
api.permissions.onAdded.addListener(listen);
api.tabs.onRemoved.addListener((tabId) => api.storage.session.remove(tabKey(tabId)));
