// Firefox ESR driven over raw WebDriver BiDi (npm `ws`; no geckodriver): a throw-away profile
// that keeps every connection on loopback, the extension installed as a temporary add-on.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { rpcOverWebSocket } from './ws-rpc.mjs';

export const ADDON_ID = 'cf503@cf503.dev';
export const ADDON_UUID = '7c3f5a2e-5031-4c0d-9e2b-cf503cf503aa';

const PREFS = {
  // The test build's host permission for 127.0.0.1 is granted at install, as a user would.
  'extensions.originControls.grantByDefault': true,
  'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
  // Nothing leaves the machine.
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.no_proxies_on': '127.0.0.1,localhost',
  'network.proxy.allow_hijacking_localhost': false,
  'network.trr.mode': 5,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'extensions.update.enabled': false,
};

export async function launchFirefox() {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'cf503-firefox-'));
  await writeFile(path.join(profile, 'user.js'),
    Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));
  const proc = spawn('firefox-esr', ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`Firefox did not start WebDriver BiDi in 30 s:\n${log}`)), 30000);
    const onData = (d) => {
      log += d;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Firefox exited (${code}):\n${log}`)); });
  });
  const ws = new WebSocket(`${url}/session`);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const send = rpcOverWebSocket(ws, (msg) => msg.type === 'error' && `${msg.error}: ${msg.message}`);
  await send('session.new', { capabilities: {} });
  return {
    send,
    async install(dir) {
      return (await send('webExtension.install', { extensionData: { type: 'path', path: dir } })).extension;
    },
    async newTab(url) {
      const { context } = await send('browsingContext.create', { type: 'tab' });
      if (url) await send('browsingContext.navigate', { context, url, wait: 'complete' });
      return context;
    },
    async evaluate(context, expression) {
      const r = await send('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' });
      if (r.type === 'exception') throw new Error(`${expression}: ${r.exceptionDetails.text}`);
      return r.result.value;
    },
    async url(context) {
      const { contexts } = await send('browsingContext.getTree', { root: context, maxDepth: 0 });
      return contexts[0].url;
    },
    async close() {
      await send('session.end').catch(() => {});
      ws.close();
      proc.kill('SIGTERM');
      await new Promise((r) => { if (proc.exitCode !== null) r(); else proc.once('exit', r); });
      await rm(profile, { recursive: true, force: true });
    },
  };
}
