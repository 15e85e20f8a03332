// Lays out a cf503.logs_report (the CLI's `cf503 logs --json`): the read line, the causes with
// their next steps, a timeline (stacked SVG bars by cause, with a text alternative), edge
// locations and paths. Every value goes in as text; no markup from a log is ever parsed.
// Drawing is bounded whatever the report holds: the engine keeps at most a few thousand
// timeline buckets and a thousand edge locations, and tables here show at most ROWS rows (the
// download has everything); no array is ever spread into a call (audit W10-W12).
import { prose } from './report-view.js';

const SVG = 'http://www.w3.org/2000/svg';
// Distinguishable colours, in the order causes are listed (most errors first).
const PALETTE = ['#c0392b', '#2471a3', '#d68910', '#7d3c98', '#138d75', '#7b7d7d', '#a04000', '#1e8449'];
const HEIGHT = 120;
// A bar's width: 8 px for a short timeline, down to 2 px for the longest the engine makes.
const barWidth = (n) => Math.max(2, Math.min(8, Math.floor(1600 / Math.max(1, n))));
// Table rows drawn, at most.
const ROWS = 300;

/** A bucket width in words, as the engine writes it. */
function widthWords(minutes) {
  const named = { 1: 'minute', 60: 'hour', 1440: 'day', 10080: 'week' };
  if (named[minutes]) return named[minutes];
  return minutes % 1440 === 0 ? `${minutes / 1440} days` : `${minutes} minutes`;
}
const sum = (counts) => { let n = 0; for (const v of Object.values(counts)) n += v; return n; };

const el = (tag, text, attrs = {}) => {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

function table(caption, head, rows, total = rows.length) {
  const t = el('table');
  t.append(el('caption', caption));
  const tr = el('tr');
  for (const h of head) tr.append(el('th', h, { scope: 'col' }));
  const head_ = el('thead');
  head_.append(tr);
  t.append(head_);
  const body = el('tbody');
  for (const r of rows) {
    const row = el('tr');
    for (const c of r) row.append(el('td', c));
    body.append(row);
  }
  if (total > rows.length) {
    const more = el('tr', undefined, { class: 'more' });
    more.append(el('td', `${total - rows.length} more rows are in the downloaded JSON`, { colspan: String(head.length) }));
    body.append(more);
  }
  t.append(body);
  return t;
}

/** The stacked chart: one bar a bucket, a segment per cause, each with its title. */
export function timelineChart(report, colours) {
  const buckets = report.timeline;
  const unit = widthWords(report.timeline_bucket_minutes ?? 1);
  let peak = 1;
  for (const b of buckets) peak = Math.max(peak, sum(b.counts));
  const bar = barWidth(buckets.length);
  const width = Math.max(1, buckets.length) * bar;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img', 'aria-labelledby': 'logs-chart-title', class: 'timeline' });
  const title = svg('title', { id: 'logs-chart-title' });
  const window = report.incident_window;
  title.textContent = `Errors a ${unit} by cause, ${report.first_error_minute ?? ''} to ${report.last_error_minute ?? ''} UTC, peak ${peak}`
    + (window ? `; incident window ${window.from} to ${window.to}` : '');
  chart.append(title);
  buckets.forEach((b, i) => {
    let y = HEIGHT;
    for (const [cause, colour] of colours) {
      const n = b.counts[cause] ?? 0;
      if (!n) continue;
      const h = Math.max(1, Math.round((n / peak) * HEIGHT));
      y -= h;
      const rect = svg('rect', { x: i * bar, y, width: Math.max(1, bar - 1), height: h, fill: colour, 'data-cause': cause, 'data-count': n });
      const t = svg('title');
      t.textContent = `${b.minute} UTC (a ${unit}): ${n} ${cause}`;
      rect.append(t);
      chart.append(rect);
    }
  });
  return chart;
}

export function renderLogs(container, report) {
  container.replaceChildren();
  // The engine's sentences: what was read, then when the errors were (or that none matched).
  const [read, ...rest] = report.summary_lines;
  container.append(el('p', read, { id: 'logs-read' }));
  for (const line of rest) container.append(el('p', line, { class: 'logs-summary' }));
  if (!report.errors) return;

  const colours = report.by_cause.map((c, i) => [c.cause, PALETTE[i % PALETTE.length]]);
  const causes = el('section', undefined, { id: 'logs-causes' });
  causes.append(el('h3', 'By cause'));
  for (const [i, c] of report.by_cause.entries()) {
    const item = el('div', undefined, { class: 'logs-cause', 'data-cause': c.cause });
    const head = el('h4');
    const swatch = el('span', '', { class: 'swatch' });
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    swatch.style.background = colours[i][1];
    head.append(swatch, el('span', `${c.count} — ${c.title}`));
    item.append(head);
    if (c.sample_request_ids.length) item.append(el('p', `Request ids (earliest): ${c.sample_request_ids.join(', ')}`));
    const steps = el('ul', undefined, { class: 'logs-steps' });
    for (const s of c.next_steps) {
      const li = el('li');
      li.append(...prose(s));
      steps.append(li);
    }
    item.append(steps);
    causes.append(item);
  }
  container.append(causes);

  const chart = el('section', undefined, { id: 'logs-timeline' });
  chart.append(el('h3', `Timeline (UTC, a bar a ${widthWords(report.timeline_bucket_minutes ?? 1)})`));
  const scroll = el('div', undefined, { class: 'chart-scroll' });
  scroll.append(timelineChart(report, colours));
  chart.append(scroll);
  const legend = el('ul', undefined, { class: 'legend' });
  for (const [cause, colour] of colours) {
    const li = el('li');
    const sw = el('span', '', { class: 'swatch' });
    sw.style.background = colour;
    li.append(sw, el('span', cause));
    legend.append(li);
  }
  chart.append(legend);
  // The chart's text alternative: the same counts as a table (collapsed).
  const details = el('details');
  details.append(el('summary', 'The timeline as a table'));
  details.append(table(`Errors a ${widthWords(report.timeline_bucket_minutes ?? 1)} by cause`, ['From (UTC)', ...colours.map(([c]) => c)],
    report.timeline.slice(0, ROWS).map((m) => [m.minute, ...colours.map(([c]) => m.counts[c] ?? 0)]), report.timeline.length));
  chart.append(details);
  container.append(chart);

  container.append(table('By edge location', ['Errors', 'Edge location', 'City', 'Lambda@Edge logs in'],
    report.edge_locations.slice(0, ROWS).map((p) => [sum(p.counts), p.pop, p.location ?? '', p.lambda_edge_region ?? '']), report.edge_locations.length));
  if (report.top_paths.length) {
    container.append(table('Top paths', ['Errors', 'Path'], report.top_paths.map((p) => [p.count, p.path])));
  }
}
