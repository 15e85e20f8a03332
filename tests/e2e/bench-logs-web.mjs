// `just bench`, logs on the web page side by side with DuckDB-wasm in the same Chromium: the
// page's own path (file input, "Read", the report drawn) against DuckDB-wasm running the lean
// query a user would type (read_csv, the 5xx by detailed result type and minute) on the same
// File. Both are given the file the same way (a file input). DuckDB-wasm is instantiated before
// its clock starts (its 34 MB module compiles once per page); cf503's clock includes starting its
// worker and module, as a user's click does. The 5xx totals are checked equal. Prints figures
// (min, median, max of 5 interleaved runs); asserts only that the tools agree.
//
// DuckDB-wasm comes from npm, installed by scripts/bench-web.sh into target/bench-npm (pinned
// there; not a test dependency). Arguments: the inputs to read, each a file or a folder (its
// files read together), by default the 100 MB generated log, plain and gzip, and the same
// 100 MB as 16 files as CloudFront writes them, gzip and plain (the page reads several files
// one worker per core; DuckDB-wasm reads the list in one read_csv).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './support/static.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const www = path.join(root, 'www');
const npm = path.join(root, 'target/bench-npm/node_modules');
const RUNS = 5;
const inputs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['bench-data/log-100mb.log', 'bench-data/log-100mb.log.gz', 'bench-data/logs-gz', 'bench-data/logs-plain']
    .map((f) => path.join(root, f));
/** The files of an input: itself, or a folder's files in name order. */
const filesOf = async (input) => ((await stat(input)).isDirectory()
  ? (await readdir(input)).sort().map((f) => path.join(input, f))
  : [input]);

// The same lean query as `just bench` gives the DuckDB CLI (scripts/bench.sh, lean_sql).
const lean = (name) => `SELECT column28, column00 || ' ' || substr(column01, 1, 5) AS minute, count(*) AS errors
  FROM read_csv('${name}', delim='\t', skip=2, header=false, all_varchar=true, quote='', ignore_errors=true)
  WHERE TRY_CAST(column08 AS INT) >= 500 GROUP BY ALL`;
const total = (name) => `SELECT count(*)::INTEGER AS n
  FROM read_csv('${name}', delim='\t', skip=2, header=false, all_varchar=true, quote='', ignore_errors=true)
  WHERE TRY_CAST(column08 AS INT) >= 500`;
const duckPage = `<!doctype html><meta charset="utf-8"><title>DuckDB-wasm</title>
<script type="importmap">{"imports": {
  "apache-arrow": "/npm/apache-arrow/Arrow.dom.mjs",
  "flatbuffers": "/npm/flatbuffers/mjs/flatbuffers.js",
  "tslib": "/npm/tslib/tslib.es6.mjs"}}</script>
<input type="file" id="f" multiple>
<script type="module">
  import * as duckdb from '/npm/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
  const worker = new Worker('/npm/@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate('/npm/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm');
  const conn = await db.connect();
  let n = 0;
  // One run: the chosen files registered under fresh names, the query on their list, its rows
  // out.
  window.run = async (sql, count) => {
    const files = [...document.getElementById('f').files];
    const run = n++;
    const names = files.map((file, i) => 'f' + run + '_' + i + (file.name.endsWith('.gz') ? '.log.gz' : '.log'));
    const list = '[' + names.map((x) => "'" + x + "'").join(', ') + ']';
    const t0 = performance.now();
    for (const [i, file] of files.entries()) {
      await db.registerFileHandle(names[i], file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    }
    const rows = (await conn.query(sql.replaceAll("'@FILE@'", list))).toArray().length;
    const ms = performance.now() - t0;
    const errors = Number((await conn.query(count.replaceAll("'@FILE@'", list))).toArray()[0].n);
    for (const name of names) await db.dropFile(name);
    return { ms, rows, errors };
  };
  document.documentElement.dataset.ready = '1';
</script>`;

const { server, base } = await serveStatic({ '/': www, '/npm/': npm }, { '/duck.html': duckPage });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--proxy-server=http://127.0.0.1:9'] });
const cf = await browser.newPage();
await cf.goto(base);
await cf.waitForFunction(() => document.getElementById('version').textContent !== '');
const duck = await browser.newPage();
duck.on('pageerror', (e) => console.error(`DuckDB-wasm page: ${e.message}`));
await duck.goto(`${base}duck.html`);
await duck.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout: 120000 });

const cfRun = async (file) => {
  await cf.setInputFiles('#logs-input', file);
  const t0 = await cf.evaluate(() => { delete document.documentElement.dataset.logsDone; return performance.now(); });
  await cf.click('#logs-read-button');
  await cf.waitForFunction(() => document.documentElement.dataset.logsDone, null, { timeout: 300000 });
  const ms = (await cf.evaluate(() => performance.now())) - t0;
  // The errors the report counts, as the page shows them (the summary's first figure).
  const errors = await cf.evaluate(() => Number(document.getElementById('logs-report').dataset.errors ?? NaN));
  return { ms, errors };
};
const duckRun = async (file) => {
  await duck.setInputFiles('#f', file);
  return duck.evaluate(([sql, count]) => window.run(sql, count), [lean('@FILE@'), total('@FILE@')]);
};
const spread = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${(s[0] / 1000).toFixed(2)} / ${(s[s.length >> 1] / 1000).toFixed(2)} / ${(s[s.length - 1] / 1000).toFixed(2)} s`;
};
for (const input of inputs) {
  const file = await filesOf(input);
  let mb = 0;
  for (const f of file) mb += (await stat(f)).size / 1e6;
  const label = file.length > 1 ? `${path.basename(input)} (${file.length} files)` : path.basename(input);
  const a = [];
  const b = [];
  let counts = null;
  await cfRun(file); // warm-up: the file in the page cache, the modules compiled
  await duckRun(file);
  for (let i = 0; i < RUNS; i++) {
    const x = await cfRun(file);
    const y = await duckRun(file);
    a.push(x.ms);
    b.push(y.ms);
    counts = { cf503: x.errors, duckdb: y.errors };
  }
  if (counts.cf503 !== counts.duckdb) {
    throw new Error(`${label}: the tools disagree on the 5xx: cf503 ${counts.cf503}, DuckDB-wasm ${counts.duckdb}`);
  }
  const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
  console.log(`page logs, ${label} (${mb.toFixed(0)} MB as stored, ${counts.cf503} 5xx in both): cf503 ${spread(a)}, DuckDB-wasm ${spread(b)} (min / median / max of ${RUNS}, interleaved); cf503 ${(median(b) / median(a)).toFixed(2)}x DuckDB-wasm's speed (goal > 1)`);
}
await browser.close();
server.close();
