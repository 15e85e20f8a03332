// The extension's main flow in Firefox ESR over WebDriver BiDi: a CloudFront-like failure, the
// popup's verdict, then the DNS checks through the harness's DoH. Uses the firefox-test build
// (scripts/build-extension.sh --test): BiDi cannot click a toolbar button nor open
// moz-extension:// pages, so its test hook opens the popup for a tab, and its manifest grants
// the host permission for 127.0.0.1 that the click's activeTab would give.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startCloudFront } from './support/cloudfront.mjs';
import { builds, DOH } from './support/extension.mjs';
import { launchFirefox, ADDON_ID, ADDON_UUID } from './support/firefox.mjs';

let site;

before(async () => {
  assert.ok(existsSync(path.join(builds, 'firefox-test/manifest.json')), 'target/extension/firefox-test missing: run scripts/build-extension.sh --test (just test does)');
  site = await startCloudFront();
});

after(() => site?.server.close());

// Opens (in `context`) the popup for the tab showing `url`, through the test build's hook; the
// hook redirects the tab at once, so the navigation is not awaited and the old document is
// marked stale instead.
async function openPopup(ff, context, url) {
  await ff.evaluate(context, 'window.__stale = true').catch(() => {});
  await ff.send('browsingContext.navigate', { context, url: `${site.base}__cf503/popup?for=${encodeURIComponent(url)}`, wait: 'none' })
    // The hook's redirect may abort this navigation before BiDi reports it: expected.
    .catch((e) => { if (!/NS_BINDING_ABORTED/.test(e.message)) throw e; });
  return waitForVerdict(ff, context);
}

async function waitForVerdict(ff, context, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const url = await ff.url(context);
    if (url.startsWith(`moz-extension://${ADDON_UUID}/popup.html`)) {
      const state = await ff.evaluate(context, "window.__stale ? '' : (document.getElementById('verdict')?.dataset.state ?? '')").catch(() => '');
      if (state === 'done' || state === 'error' || state === 'not-failing') return state;
    }
    if (Date.now() > until) {
      // What the popup shows, to say why.
      const shown = await ff.evaluate(context, "[document.getElementById('status')?.textContent, document.getElementById('error')?.textContent, document.getElementById('verdict')?.dataset.state].join(' | ')").catch((e) => String(e));
      throw new Error(`no verdict in ${timeoutMs} ms (at ${url}): ${shown}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('Firefox: a failing CloudFront page gets its verdict, then the DNS checks', async () => {
  const ff = await launchFirefox();
  try {
    assert.equal(await ff.install(path.join(builds, 'firefox-test')), ADDON_ID);
    const failing = `${site.base}fail/origin_dns--server-timing-slow-dns.http`;
    await ff.newTab(failing);
    const popup = await ff.newTab();
    const reopen = () => openPopup(ff, popup, failing);
    // Default settings name public resolvers, which this machine cannot reach: set the
    // harness's first (the stable `settings` shape), then look again.
    await reopen();
    await ff.evaluate(popup, `browser.storage.local.set({ settings: { resolvers: [${JSON.stringify(DOH)}], dnsChecks: false, watch: false } })`);
    assert.equal(await reopen(), 'done');
    assert.equal(await ff.evaluate(popup, "document.getElementById('verdict').dataset.cause"), 'origin_dns');
    assert.match(await ff.evaluate(popup, 'document.body.innerText'), /AMS58-P1 \(Amsterdam, Netherlands\)/);

    // DNS checks on, the origin remembered for the site: a DNSSEC-bogus origin.
    await ff.evaluate(popup, `browser.storage.local.set({ settings: { resolvers: [${JSON.stringify(DOH)}], dnsChecks: true, watch: false }, origins: { '127.0.0.1': 'www.bogus.example.test' } })`);
    assert.equal(await reopen(), 'done');
    assert.equal(await ff.evaluate(popup, "document.querySelectorAll('[data-dns=\"dnssec_bogus\"]').length"), 1);
    assert.equal(await ff.evaluate(popup, "document.getElementById('verdict').dataset.cause"), 'origin_dns');
  } finally {
    await ff.close();
  }
});

test('Firefox: watch mode keeps the original failure of a page whose error is gone by the click', async () => {
  const ff = await launchFirefox();
  try {
    await ff.install(path.join(builds, 'firefox-test'));
    // Settings first, from an extension page (the popup for a plain page).
    const ok = `${site.base}ok`;
    await ff.newTab(ok);
    const popup = await ff.newTab();
    await openPopup(ff, popup, ok);
    await ff.evaluate(popup, `browser.storage.local.set({ settings: { resolvers: [${JSON.stringify(DOH)}], dnsChecks: false, watch: true } })`);
    // The first answer is the failure; the popup's re-fetch gets a 200.
    const flaky = `${site.base}flaky/lambda_edge_execution--serverless-next.http`;
    await ff.newTab(flaky);
    let kept = null;
    for (let i = 0; i < 100 && !kept; i++) {
      // BiDi serialises objects as key/value lists: JSON is simpler to read back.
      kept = JSON.parse(await ff.evaluate(popup, `browser.storage.session.get().then((all) => JSON.stringify(Object.values(all).find((r) => r.url === ${JSON.stringify(flaky)}) ?? null))`));
      if (!kept) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(kept, 'the failing response was not kept');
    assert.equal(kept.status, 503);
    assert.equal(await openPopup(ff, popup, flaky), 'done');
    assert.equal(await ff.evaluate(popup, "document.getElementById('verdict').dataset.cause"), 'lambda_edge_execution');
    assert.equal(await ff.evaluate(popup, "document.getElementById('status').textContent"), 'Captured by watch mode');
    assert.equal(await ff.evaluate(popup, "document.querySelectorAll('[data-note=\"refetch_recovered\"]').length"), 1);
  } finally {
    await ff.close();
  }
});
