// The browser extension in real Debian Chromium (playwright-core, no browser download): the
// click path with activeTab only, watch mode with its permissions granted, a service-worker
// restart between the failure and the click, inert XSS payloads, DNS checks through the
// harness's DoH, and nothing sent anywhere when DNS checks are off. Needs the builds from
// `scripts/build-extension.sh --test` and the DNS harness: `just test` provides both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startCloudFront } from './support/cloudfront.mjs';
import { DOM_VIEW, jsonView, cliReport } from './support/view.mjs';
import { root, builds, DOH, VIEWER_HOST, launchWithExtension, inWorker, setStorage, clickIcon, tabIdOf } from './support/extension.mjs';

let site;
const NO_DNS = { resolvers: [DOH], dnsChecks: false, watch: false };

before(async () => {
  for (const b of ['chromium', 'chromium-watch']) {
    assert.ok(existsSync(path.join(builds, b, 'manifest.json')), `target/extension/${b} missing: run scripts/build-extension.sh --test (just test does)`);
  }
  site = await startCloudFront();
});

after(() => site?.server.close());

test('click path, activeTab only: each cause from a CloudFront-like failure', async () => {
  const ext = await launchWithExtension('chromium');
  try {
    // Least privilege: without watch mode there is no webRequest at all.
    assert.equal(await inWorker(ext, () => typeof chrome.webRequest), 'undefined');
    await setStorage(ext, 'local', { settings: NO_DNS });
    for (const fixture of [
      'lambda_edge_execution--serverless-next.http',
      'origin_overloaded--s3-slowdown.http',
      'edge_capacity--cloudfront-503-page-only.http',
      'cloudfront_function_error--execution-error.http',
      'lambda_edge_throttled--throttled-page.http',
    ]) {
      const page = await ext.context.newPage();
      const response = await page.goto(`${site.base}fail/${fixture}`);
      assert.ok(response.status() >= 500, fixture);
      const popup = await clickIcon(ext, page);
      assert.equal(popup.state, 'done', fixture);
      assert.equal(await popup.evaluate("document.getElementById('verdict').dataset.cause"), fixture.split('--')[0], fixture);
      if (fixture.startsWith('lambda_edge_execution')) {
        // The POP's city and the Region and log group of the Lambda@Edge logs.
        const text = await popup.evaluate('document.body.innerText');
        assert.match(text, /IAD89-C1 \(Washington, United States\)/);
        assert.match(text, /us-east-1 \(US East \(N\. Virginia\)\)/);
        assert.match(text, /\/aws\/lambda\/us-east-1\./);
      }
      await popup.close();
      await page.close();
    }
    // A working page is not diagnosed as failing.
    const page = await ext.context.newPage();
    await page.goto(`${site.base}ok`);
    const popup = await clickIcon(ext, page);
    assert.equal(popup.state, 'not-failing');
    assert.match(await popup.evaluate("document.getElementById('not-failing-text').textContent"), /answers 200 now/);
  } finally {
    await ext.close();
  }
});

test('every raw response fixture, replayed over HTTP, gets its cause from a click', async () => {
  const names = (await readdir(path.join(root, 'tests/fixtures/responses'))).filter((n) => n.endsWith('.http'));
  assert.ok(names.length >= 20, `fixtures missing: ${names}`);
  const ext = await launchWithExtension('chromium');
  try {
    await setStorage(ext, 'local', { settings: NO_DNS });
    const page = await ext.context.newPage();
    const wrong = [];
    const differ = [];
    for (const name of names) {
      await page.goto(`${site.base}fail/${name}`);
      const popup = await clickIcon(ext, page);
      const got = await popup.evaluate("document.getElementById('verdict').dataset.cause ?? document.getElementById('error').textContent");
      if (got !== name.split('--')[0]) wrong.push(`${name}: ${got}`);
      // The popup and `cf503 check` read the same live response: the same report, drawn alike.
      const shown = await popup.evaluate(DOM_VIEW);
      const cli = jsonView((await cliReport(['check', `${site.base}fail/${name}`])).view);
      try {
        assert.deepEqual(shown, cli);
      } catch (e) {
        differ.push(`${name}: ${e.message}`);
      }
      await popup.close();
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(differ, []);
  } finally {
    await ext.close();
  }
});

test('the error is gone by the click: the failure is still diagnosed, and the popup says so', async () => {
  const ext = await launchWithExtension('chromium');
  try {
    await setStorage(ext, 'local', { settings: NO_DNS });
    const page = await ext.context.newPage();
    await page.goto(`${site.base}flaky/lambda_edge_throttled--throttled-page.http`);
    const popup = await clickIcon(ext, page);
    assert.equal(await popup.evaluate("document.getElementById('verdict').dataset.cause"), 'lambda_edge_throttled');
    assert.equal(await popup.evaluate("document.querySelectorAll('[data-note=\"refetch_recovered\"]').length"), 1);
  } finally {
    await ext.close();
  }
});

test('the popup fits: at most 600 px tall, the verdict and the first step above the fold, the rest folded', async () => {
  const ext = await launchWithExtension('chromium');
  try {
    await setStorage(ext, 'local', { settings: NO_DNS });
    const page = await ext.context.newPage();
    // A rich report: many facts, evidence lines, steps and other possibilities.
    await page.goto(`${site.base}fail/lambda_edge_execution--serverless-next.http`);
    const popup = await clickIcon(ext, page);
    const layout = await popup.evaluate(`(() => {
      const first = document.querySelector('#verdict .first-step');
      return {
        height: document.documentElement.scrollHeight,
        width: document.documentElement.scrollWidth,
        firstStepBottom: first ? first.getBoundingClientRect().bottom : null,
        folded: [...document.querySelectorAll('#report details.part')].map((d) => [d.querySelector('summary').textContent, d.open]),
        steps: document.querySelectorAll('#report ol.steps > li').length,
      };
    })()`);
    assert.ok(layout.firstStepBottom !== null, 'the first step is under the verdict');
    assert.ok(layout.firstStepBottom <= 600, `the first step ends at ${layout.firstStepBottom} px`);
    assert.ok(layout.height <= 600, `the popup is ${layout.height} px tall: ${JSON.stringify(layout.folded)}`);
    assert.ok(layout.folded.length >= 4 && layout.folded.every(([, open]) => !open), JSON.stringify(layout.folded));
    assert.ok(layout.folded.some(([s]) => /^Next steps \(\d+\)$/.test(s)), JSON.stringify(layout.folded));
    assert.ok(layout.steps > 1, 'every step is still there, folded');
    // The store listing's screenshot of the popup, as the user sees it (STORE.md).
    const shot = await popup.send('Page.captureScreenshot', { format: 'png' });
    const png = Buffer.from(shot.data, 'base64');
    assert.ok(png.readUInt32BE(20) <= 600, 'the popup screenshot is at most 600 px tall');
    await mkdir(path.join(root, 'target/screenshots'), { recursive: true });
    await writeFile(path.join(root, 'target/screenshots/popup-verdict.png'), png);
    await popup.close();

    // A page that works: a plain message and the way to watch mode, not an error.
    await page.goto(`${site.base}ok`);
    const calm = await clickIcon(ext, page);
    const shown = await calm.evaluate(`(() => ({
      state: document.getElementById('verdict').dataset.state,
      error: document.getElementById('error').hidden,
      text: document.getElementById('not-failing-text').textContent,
      visible: !document.getElementById('not-failing').hidden,
      link: document.querySelector('#not-failing a.options-link')?.getAttribute('href'),
    }))()`);
    assert.deepEqual({ ...shown, text: undefined }, { state: 'not-failing', error: true, text: undefined, visible: true, link: 'options.html' });
    assert.match(shown.text, /^This page answers 200 now/);
    await calm.close();
  } finally {
    await ext.close();
  }
});

test('watch mode: the original failure is kept, survives a service-worker restart, gets a badge', async () => {
  const ext = await launchWithExtension('chromium-watch');
  try {
    await setStorage(ext, 'local', { settings: { ...NO_DNS, watch: true } });
    // Listeners must be registered before the navigation (see test-environment notes).
    assert.equal(await inWorker(ext, () => chrome.webRequest.onHeadersReceived.hasListeners()), true);
    const page = await ext.context.newPage();
    // The first answer is the failure; every later one (the popup's re-fetch) is a 200.
    // A signed URL: its signature must not reach storage (audit 2026-12 §6).
    const url = `${site.base}flaky/lambda_edge_execution--serverless-next.http?X-Amz-Signature=s3cr3tsig&v=1`;
    await page.goto(url);
    const tabId = await tabIdOf(ext, url);
    let kept;
    for (let i = 0; i < 100 && !kept; i++) {
      kept = (await inWorker(ext, (k) => chrome.storage.session.get(k), `tab:${tabId}`))[`tab:${tabId}`];
      if (!kept) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(kept, 'the failing response was not kept');
    assert.equal(kept.status, 503);
    assert.ok(!kept.url.includes('s3cr3tsig'), kept.url);
    // The badge follows the stored record (set right after it): wait for it as for the record.
    let badge = '';
    for (let i = 0; i < 100 && badge !== '503'; i++) {
      badge = await inWorker(ext, (id) => chrome.action.getBadgeText({ tabId: id }), tabId);
      if (badge !== '503') await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(badge, '503');

    // Stop the service worker between the failure and the click.
    const { targetInfos } = await ext.pipe.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.id}/`));
    await ext.pipe.send('Target.closeTarget', { targetId: worker.targetId });
    for (let i = 0; i < 100 && ext.serviceWorker(); i++) await new Promise((r) => setTimeout(r, 20));

    const popup = await clickIcon(ext, page);
    assert.equal(await popup.evaluate("document.getElementById('verdict').dataset.cause"), 'lambda_edge_execution');
    assert.equal(await popup.evaluate("document.getElementById('status').textContent"), 'Captured by watch mode');
    assert.equal(await popup.evaluate("document.querySelectorAll('[data-note=\"refetch_recovered\"]').length"), 1);
    await popup.close();

    // A 5xx that is not CloudFront's is not kept; a success clears what was kept.
    const other = await ext.context.newPage();
    const otherUrl = `${site.base}fail/origin_overloaded--nginx-fetched-past-cloudfront.http`;
    await other.goto(otherUrl);
    const otherTab = await tabIdOf(ext, otherUrl);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await inWorker(ext, (k) => chrome.storage.session.get(k), `tab:${otherTab}`), {});
    await page.goto(`${site.base}ok`);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await inWorker(ext, (k) => chrome.storage.session.get(k), `tab:${tabId}`), {});
  } finally {
    await ext.close();
  }
});

test('watch mode: this edge location is the only one failing, among those the browser reached', async () => {
  const ext = await launchWithExtension('chromium-watch');
  try {
    await setStorage(ext, 'local', { settings: { ...NO_DNS, watch: true } });
    const page = await ext.context.newPage();
    // The same site answered from two edge locations a moment ago; now from a third it fails.
    await page.goto(`${site.base}edge/AMS1-P2/200?session=s3cr3t`);
    await page.goto(`${site.base}edge/LHR62-C1/200`);
    const url = `${site.base}edge/FRA56-P1/503`;
    await page.goto(url);
    const tabId = await tabIdOf(ext, url);
    let seen;
    let kept;
    for (let i = 0; i < 100 && !(seen?.length === 3 && kept); i++) {
      const got = await inWorker(ext, (k) => chrome.storage.session.get(['seen', k]), `tab:${tabId}`);
      seen = got.seen?.['127.0.0.1'];
      kept = got[`tab:${tabId}`];
      if (!(seen?.length === 3 && kept)) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(seen?.length, 3, `the site's record: ${JSON.stringify(seen)}`);
    // The record holds edge locations, statuses and times: no URL, no query string.
    const stored = JSON.stringify(seen);
    assert.ok(!stored.includes('s3cr3t') && !stored.includes('/edge/'), stored);
    assert.deepEqual(seen.map((s) => s.pop).sort(), ['AMS1-P2', 'FRA56-P1', 'LHR62-C1']);

    const popup = await clickIcon(ext, page);
    const edges = await popup.evaluate(`(() => {
      const s = document.querySelector('#report section.edges');
      return s && {
        verdict: s.dataset.verdict,
        basis: s.dataset.basis,
        summary: s.querySelector('.summary').textContent,
        failing: [...s.querySelectorAll('li[data-failing="true"]')].map((li) => li.dataset.pop),
        answering: [...s.querySelectorAll('li[data-failing="false"]')].map((li) => li.dataset.pop).sort(),
        command: s.querySelector('.command code')?.textContent,
      };
    })()`);
    assert.ok(edges, 'the popup shows where it fails');
    assert.equal(edges.verdict, 'one_pop');
    assert.equal(edges.basis, 'watch_mode');
    assert.deepEqual(edges.failing, ['FRA56']);
    assert.deepEqual(edges.answering, ['AMS1', 'LHR62']);
    assert.match(edges.summary, /Only edge location FRA56 fails/);
    assert.equal(edges.command, `cf503 edges '${url}'`);
    // The verdict weighs it: the evidence names the comparison.
    const evidence = await popup.evaluate("[...document.querySelectorAll('.evidence li')].map((li) => li.textContent).join(' | ')");
    assert.match(evidence, /edge location/i);
    await popup.close();
  } finally {
    await ext.close();
  }
});

test('hostile header values and page text render as text', async () => {
  const ext = await launchWithExtension('chromium');
  try {
    await setStorage(ext, 'local', { settings: NO_DNS });
    const page = await ext.context.newPage();
    await page.goto(`${site.base}hostile`);
    const popup = await clickIcon(ext, page);
    assert.equal(popup.state, 'done');
    assert.equal(await popup.evaluate("document.querySelectorAll('main img, main script, main svg, main iframe').length"), 0);
    assert.equal(await popup.evaluate('window.__pwned'), undefined);
    // Unfolded, the hostile values read as text.
    await popup.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    assert.match(await popup.evaluate('document.body.innerText'), /<img src=x onerror=/);
  } finally {
    await ext.close();
  }
});

test('DNS checks through DoH: the origin typed once per site, and the site on CloudFront', async () => {
  const ext = await launchWithExtension('chromium');
  try {
    await setStorage(ext, 'local', { settings: { resolvers: [DOH], dnsChecks: true, watch: false } });
    const page = await ext.context.newPage();
    const port = new URL(site.base).port;
    await page.goto(`http://${VIEWER_HOST}:${port}/fail/origin_dns--server-timing-slow-dns.http`);
    // No origin known for this site yet: the verdict, the viewer host's check, no origin check.
    let popup = await clickIcon(ext, page);
    assert.equal(await popup.evaluate("document.querySelectorAll('[data-dns]').length"), 0);
    assert.equal(await popup.evaluate("document.getElementById('viewer-dns').dataset.cloudfront"), 'yes');
    assert.match(await popup.evaluate("document.getElementById('viewer-dns').textContent"), /d111abcdef8\.cloudfront\.net/);
    // The user types the origin and checks it.
    await popup.evaluate(`(async () => {
      document.getElementById('origin-input').value = 'www.bogus.example.test';
      document.getElementById('dns-form').requestSubmit();
      while (document.getElementById('verdict').dataset.state !== 'done') await new Promise((r) => setTimeout(r, 10));
    })()`);
    assert.equal(await popup.evaluate("document.querySelectorAll('[data-dns=\"dnssec_bogus\"]').length"), 1,
      await popup.evaluate("document.body.innerText"));
    assert.equal(await popup.evaluate("document.getElementById('verdict').dataset.cause"), 'origin_dns');
    await popup.close();
    // Remembered for the site: the next click checks it straight away.
    assert.deepEqual(await inWorker(ext, () => chrome.storage.local.get('origins')), { origins: { [VIEWER_HOST]: 'www.bogus.example.test' } });
    popup = await clickIcon(ext, page);
    assert.equal(await popup.evaluate("document.querySelectorAll('[data-dns=\"dnssec_bogus\"]').length"), 1);
    assert.equal(await popup.evaluate("document.getElementById('origin-input').value"), 'www.bogus.example.test');
  } finally {
    await ext.close();
  }
});

test('a config pasted in the popup: the report names the function, it is remembered for the site without secrets', async (t) => {
  const ext = await launchWithExtension('chromium');
  try {
    await setStorage(ext, 'local', { settings: NO_DNS });
    const config = (await readFile(path.join(root, 'tests/fixtures/config/lambda-auth.distribution.json'), 'utf8'))
      .replace('"www.example.com"', `"${VIEWER_HOST}"`);
    const page = await ext.context.newPage();
    const port = new URL(site.base).port;
    const name = 'lambda_edge_execution--serverless-next.http';
    await page.goto(`http://${VIEWER_HOST}:${port}/fail/${name}`);
    let popup = await clickIcon(ext, page);
    assert.equal(await popup.evaluate("document.querySelectorAll('#report .distribution').length"), 0);
    await popup.evaluate(`(async () => {
      document.getElementById('config-box').open = true;
      document.getElementById('config-input').value = ${JSON.stringify(config)};
      document.getElementById('verdict').dataset.state = 'running';
      document.getElementById('config-form').requestSubmit();
      while (document.getElementById('verdict').dataset.state !== 'done') await new Promise((r) => setTimeout(r, 10));
    })()`);
    const url = `http://${VIEWER_HOST}:${port}/fail/${name}`;
    const shown = await popup.evaluate(DOM_VIEW);
    assert.ok(shown.distribution.some(([l, v]) => l === 'Lambda@Edge' && v === 'viewer-request: auth, version 7'), JSON.stringify(shown.distribution));
    // What is stored is the engine's redacted form: the header's name, never its value.
    const { configs } = await inWorker(ext, () => chrome.storage.local.get('configs'));
    const stored = configs[VIEWER_HOST];
    assert.ok(stored.includes('X-Origin-Verify') && !stored.includes('s3cr3t'), stored);
    assert.equal(await popup.evaluate("document.getElementById('config-input').value"), '');
    assert.equal(await popup.evaluate("document.getElementById('origin-input').value"), 'app.example.com');
    await popup.close();
    // The next click uses it from the start, and draws what the CLI draws for the same config.
    popup = await clickIcon(ext, page);
    const again = await popup.evaluate(DOM_VIEW);
    assert.deepEqual(again.distribution, shown.distribution);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cf503-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'dist.json');
    await writeFile(file, stored);
    const text = await readFile(path.join(root, 'tests/fixtures/responses', name), 'utf8');
    const cli = jsonView((await cliReport(['explain', '-', '--config', file, '--url', url], text)).view);
    assert.deepEqual(again.distribution.filter(([l]) => l !== 'Distribution'), cli.distribution.filter(([l]) => l !== 'Distribution'));
    assert.deepEqual(again.risks, cli.risks);
    assert.ok(!(await popup.evaluate('document.body.innerText')).includes('s3cr3t'));
    // Forgotten on request.
    await popup.evaluate(`(async () => {
      document.getElementById('config-forget').click();
      while (document.querySelectorAll('#report .distribution').length) await new Promise((r) => setTimeout(r, 10));
    })()`);
    assert.deepEqual(await inWorker(ext, () => chrome.storage.local.get('configs')), { configs: {} });
  } finally {
    await ext.close();
  }
});

test('with DNS checks off nothing is sent anywhere', async () => {
  // A "resolver" that counts what reaches it.
  let hits = 0;
  const counter = http.createServer((req, res) => { hits++; res.writeHead(503, { 'access-control-allow-origin': '*' }); res.end(); });
  await new Promise((r) => counter.listen(0, '127.0.0.1', r));
  const resolver = `http://127.0.0.1:${counter.address().port}/dns-query`;
  const ext = await launchWithExtension('chromium');
  try {
    await setStorage(ext, 'local', { settings: { resolvers: [resolver], dnsChecks: false, watch: false }, origins: { '127.0.0.1': 'www.example.test' } });
    const page = await ext.context.newPage();
    await page.goto(`${site.base}fail/origin_dns--server-timing-slow-dns.http`);
    const popup = await clickIcon(ext, page);
    assert.equal(popup.state, 'done');
    assert.equal(hits, 0);
    // Control: with them on, the same click does reach the resolver.
    await popup.close();
    await setStorage(ext, 'local', { settings: { resolvers: [resolver], dnsChecks: true, watch: false } });
    await clickIcon(ext, page);
    assert.ok(hits > 0);
  } finally {
    await ext.close();
    counter.close();
  }
});

test('axe-core finds no accessibility violation in the popup and the options page', async () => {
  const axe = await readFile(path.join(root, 'tests/e2e/node_modules/axe-core/axe.min.js'), 'utf8');
  // The watch build may read 127.0.0.1 tabs without a click, so its popup can open as a page.
  const ext = await launchWithExtension('chromium-watch');
  try {
    await setStorage(ext, 'local', { settings: NO_DNS });
    const failing = await ext.context.newPage();
    const url = `${site.base}fail/lambda_edge_execution--serverless-next.http`;
    await failing.goto(url);
    const tabId = await tabIdOf(ext, url);
    for (const view of [`popup.html?tab=${tabId}`, 'options.html']) {
      const page = await ext.context.newPage();
      await page.goto(`chrome-extension://${ext.id}/${view}`);
      if (view.startsWith('popup')) await page.waitForSelector('#verdict[data-state="done"]', { state: 'attached' });
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        // DevTools evaluation is not subject to the extension's CSP; a script tag would be.
        await page.evaluate(axe);
        const result = await page.evaluate(() => window.axe.run(document));
        assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `${view} ${scheme}`);
      }
      await page.close();
    }
  } finally {
    await ext.close();
  }
});
