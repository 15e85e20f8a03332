// Launching Debian Chromium with an unpacked build of the extension, and clicking its icon the
// way a user does (CDP `Extensions.triggerAction`, which also grants activeTab), for the tests
// and the benchmark.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { connectCdp } from './cdp.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const builds = path.join(root, 'target/extension');
export const DOH = 'http://127.0.0.1:8053/dns-query';
// The viewer host of the DNS tests: a CNAME of a cloudfront.net name in the harness's zone.
export const VIEWER_HOST = 'cdn.example.test';

export async function launchWithExtension(build, { extraArgs = [] } = {}) {
  const dir = path.join(builds, build);
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'cf503-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      `--disable-extensions-except=${dir}`, `--load-extension=${dir}`,
      '--enable-unsafe-extension-debugging', '--remote-debugging-port=0',
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // Nothing leaves the machine: every name but the test's viewer host fails to resolve.
      `--host-resolver-rules=MAP ${VIEWER_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
      ...extraArgs,
    ],
  });
  const sw = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker');
  const id = new URL(sw.url()).host;
  const pipe = await context.browser().newBrowserCDPSession();
  const cdp = await connectCdp(userDataDir);
  return {
    context, id, pipe, cdp,
    serviceWorker: () => context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${id}/`)),
    async close() {
      cdp.close();
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Evaluates `fn(arg)` in the extension's service worker (restarting it if it was stopped). */
export async function inWorker(ext, fn, arg) {
  let sw = ext.serviceWorker();
  if (!sw) {
    // A stopped worker comes back for an extension event; opening an extension page is one.
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.id}/options.html`);
    sw = ext.serviceWorker() ?? await ext.context.waitForEvent('serviceworker');
    await page.close();
  }
  return sw.evaluate(fn, arg);
}

/** The extension's id of the tab showing `url`. */
export async function tabIdOf(ext, url) {
  return inWorker(ext, async (u) => (await chrome.tabs.query({})).find((t) => t.url === u).id, url);
}

export async function setStorage(ext, area, items) {
  await inWorker(ext, ([a, i]) => chrome.storage[a].set(i), [area, items]);
}

/** Clicks the extension's icon on `page`'s tab; returns the popup once its verdict is final. */
export async function clickIcon(ext, page, { timeoutMs = 20000 } = {}) {
  const { targetInfos } = await ext.pipe.send('Target.getTargets', { filter: [{ type: 'tab' }] });
  const tab = targetInfos.find((t) => t.url === page.url());
  if (!tab) throw new Error(`no tab target for ${page.url()}`);
  const clickedAt = Date.now();
  await ext.pipe.send('Extensions.triggerAction', { id: ext.id, targetId: tab.targetId });
  const popup = await ext.cdp.attachPage(`chrome-extension://${ext.id}/popup.html`);
  const until = Date.now() + timeoutMs;
  let state;
  for (;;) {
    state = await popup.evaluate("document.getElementById('verdict')?.dataset.state ?? ''").catch(() => '');
    if (state === 'done' || state === 'error' || state === 'not-failing') break;
    if (Date.now() > until) throw new Error(`popup not done in ${timeoutMs} ms (state ${state})`);
    await new Promise((r) => setTimeout(r, 5));
  }
  // When the popup marked its final verdict, on the same wall clock as the click: no polling
  // latency in the figure.
  const marks = await popup.evaluate(`(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return { origin: performance.timeOrigin, verdict: at('cf503:verdict'), done: at('cf503:done'), dnsStart: at('cf503:dns-start'), dnsDone: at('cf503:dns-done'), engine: at('cf503:engine-ready'), read: at('cf503:tab-read'), script: at('cf503:script'), html: performance.getEntriesByType('navigation')[0]?.responseEnd ?? NaN, interactive: performance.getEntriesByType('navigation')[0]?.domInteractive ?? NaN };
  })()`);
  popup.elapsedMs = marks.origin + marks.done - clickedAt;
  // From the click to the first verdict in the DOM, and the same measured in the popup itself
  // (from its navigation start, which the click's popup creation precedes).
  popup.verdictMs = marks.origin + marks.verdict - clickedAt;
  popup.inPopupVerdictMs = marks.verdict;
  popup.dnsMs = marks.dnsDone - marks.dnsStart;
  popup.marks = marks;
  popup.state = state;
  popup.close = () => ext.cdp.send('Target.closeTarget', { targetId: popup.targetId });
  return popup;
}
