// A static file server on loopback for the benchmarks: each URL prefix maps to a folder (the
// longest prefix first), `/` to index.html, nothing outside a folder; extra routes answer with
// their own text. Returns the server and its base URL.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

export async function serveStatic(folders, pages = {}) {
  const prefixes = Object.keys(folders).sort((a, b) => b.length - a.length);
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname in pages) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(pages[u.pathname]);
      return;
    }
    const prefix = prefixes.find((p) => u.pathname.startsWith(p));
    if (prefix === undefined) { res.writeHead(404); res.end(); return; }
    const dir = folders[prefix];
    const rel = u.pathname.slice(prefix.length);
    const file = path.join(dir, path.normalize(`/${rel === '' ? 'index.html' : rel}`));
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}
