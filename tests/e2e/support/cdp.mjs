// A minimal Chrome DevTools Protocol client over the browser's WebSocket endpoint, with
// flattened sessions: Playwright does not surface the extension popup that
// `Extensions.triggerAction` opens as a Page, so the tests attach to it here and read its DOM.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';
import { rpcOverWebSocket } from './ws-rpc.mjs';

export async function connectCdp(userDataDir) {
  let text = '';
  for (let i = 0; i < 100 && !text; i++) {
    text = await readFile(path.join(userDataDir, 'DevToolsActivePort'), 'utf8').catch(() => '');
    if (!text) await new Promise((r) => setTimeout(r, 50));
  }
  const [port, wsPath] = text.trim().split('\n');
  if (!port) throw new Error('Chromium wrote no DevToolsActivePort (is --remote-debugging-port=0 set?)');
  const ws = new WebSocket(`ws://127.0.0.1:${port}${wsPath}`);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const rpc = rpcOverWebSocket(ws, (msg) => msg.error?.message);
  const send = (method, params = {}, sessionId) => rpc(method, params, sessionId ? { sessionId } : {});
  return {
    send,
    close: () => ws.close(),
    /** Waits for a page target whose URL starts with `prefix`, attaches, returns an evaluator. */
    async attachPage(prefix, timeoutMs = 10000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const { targetInfos } = await send('Target.getTargets');
        const t = targetInfos.find((i) => i.type === 'page' && i.url.startsWith(prefix));
        if (t) {
          const { sessionId } = await send('Target.attachToTarget', { targetId: t.targetId, flatten: true });
          return {
            targetId: t.targetId,
            // A CDP command to this page (screenshots, metrics).
            send: (method, params = {}) => send(method, params, sessionId),
            evaluate: async (expression) => {
              const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
              if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text} ${r.exceptionDetails.exception?.description ?? ''}`);
              return r.result.value;
            },
          };
        }
        if (Date.now() > until) throw new Error(`no page target ${prefix}* in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
