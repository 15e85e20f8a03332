// `just bench`, extension part: time from the click on the icon (CDP Extensions.triggerAction)
// to the popup's final verdict, headers only, and with DNS checks through a DoH resolver whose
// every answer is delayed by RTT. Measured from the test's side, so it includes the popup's
// start, the engine's compilation, reading the tab and the re-fetch; it ends when the popup
// marks its final verdict (performance mark `cf503:done`). Prints figures; asserts
// nothing (a benchmark, not a test).
import { startCloudFront } from './support/cloudfront.mjs';
import { VIEWER_HOST, launchWithExtension, setStorage, clickIcon } from './support/extension.mjs';

const delayedDoh = process.argv[2];
const rtt = Number(process.argv[3] ?? 0);
const site = await startCloudFront();
// The benchmark's DoH resolver has a self-signed certificate (scripts/bench-web.sh).
const ext = await launchWithExtension('chromium', { extraArgs: ['--ignore-certificate-errors'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const port = new URL(site.base).port;

let depth = 0;
async function clicks(n, url) {
  const page = await ext.context.newPage();
  await page.goto(url);
  const times = [];
  for (let i = 0; i < n; i++) {
    const popup = await clickIcon(ext, page);
    if (popup.state !== 'done') throw new Error(`popup ended in state ${popup.state}`);
    times.push(popup.elapsedMs);
    if (!depth && n < 10) {
      // The depth of the origin check's query graph, asked of the popup's own engine.
      depth = await popup.evaluate(`import('./pkg/cf503_wasm.js').then((m) => m.check_dns('www.example.test', [${JSON.stringify(delayedDoh)}], 4000, null)).then((r) => r.json().depth)`);
    }
    await popup.close();
  }
  await page.close();
  return times;
}

await setStorage(ext, 'local', { settings: { resolvers: [delayedDoh], dnsChecks: false, watch: false } });
const fixture = `${site.base}fail/lambda_edge_execution--serverless-next.http`;
const plain = await clicks(15, fixture);
console.log(`extension, click to verdict (headers only): median ${median(plain).toFixed(0)} ms, best ${Math.min(...plain).toFixed(0)} ms over ${plain.length} (goal < 150 ms)`);

await setStorage(ext, 'local', {
  settings: { resolvers: [delayedDoh], dnsChecks: true, watch: false },
  origins: { [VIEWER_HOST]: 'www.example.test' },
});
const withDns = await clicks(5, `http://${VIEWER_HOST}:${port}/fail/lambda_edge_execution--serverless-next.http`);
console.log(`extension, click to verdict with DNS checks, every DoH answer delayed ${rtt} ms: median ${median(withDns).toFixed(0)} ms, best ${Math.min(...withDns).toFixed(0)} ms (goal <= (depth ${depth} + 1) x RTT + 150 = ${(depth + 1) * rtt + 150} ms)`);
await ext.close();
site.server.close();
