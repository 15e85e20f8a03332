// Lays out a cf503.logs_report (the CLI's `cf503 logs --json`): the read line, the causes with
// their next steps, a timeline (stacked SVG bars by cause, with a text alternative), edge
// locations and paths. Every value goes in as text; no markup from a log is ever parsed.
// What is listed is the engine's `view` (the edge locations and timeline rows the text and
// Markdown reports list too), so drawing is bounded whatever the logs held: at most 15 edge
// locations and 180 timeline rows (the download has everything); tables here show at most ROWS
// rows; no array is ever spread into a call (audit W10-W12).
import { prose } from './report-view.js';

const SVG = 'http://www.w3.org/2000/svg';
// Distinguishable colours, in the order causes are listed (most errors first).
const PALETTE = ['#c0392b', '#2471a3', '#d68910', '#7d3c98', '#138d75', '#7b7d7d', '#a04000', '#1e8449'];
const HEIGHT = 120;
// A bar's width: 8 px for a short timeline, down to 2 px for the longest the engine makes.
const barWidth = (n) => Math.max(2, Math.min(8, Math.floor(1600 / Math.max(1, n))));
// Table rows drawn, at most.
const ROWS = 300;

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

/** The stacked chart of the engine's timeline view: one bar a row, a segment per cause, each
 * with its title. */
export function timelineChart(report, colours) {
  const { rows, bucket_words: unit } = report.view.timeline;
  let peak = 1;
  for (const r of rows) peak = Math.max(peak, r.errors);
  const bar = barWidth(rows.length);
  const width = Math.max(1, rows.length) * bar;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img', 'aria-labelledby': 'logs-chart-title', class: 'timeline' });
  const title = svg('title', { id: 'logs-chart-title' });
  const window = report.incident_window;
  title.textContent = `Errors a ${unit} by cause, ${rows[0]?.from ?? ''} to ${rows.at(-1)?.from ?? ''} UTC, peak ${peak}`
    + (window ? `; incident window ${window.from} to ${window.to}` : '');
  chart.append(title);
  const colourOf = new Map(colours);
  rows.forEach((r, i) => {
    let y = HEIGHT;
    for (const [cause, n] of r.by_cause) {
      const h = Math.max(1, Math.round((n / peak) * HEIGHT));
      y -= h;
      const rect = svg('rect', { x: i * bar, y, width: Math.max(1, bar - 1), height: h, fill: colourOf.get(cause) ?? '#000', 'data-cause': cause, 'data-count': n });
      const t = svg('title');
      t.textContent = `${r.from} UTC (a ${unit}): ${n} ${cause}`;
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
    if (c.time_taken_line) item.append(el('p', c.time_taken_line, { class: 'time-taken' }));
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

  // What is listed (edge locations, timeline rows) is the engine's view: the text and
  // Markdown reports list the same.
  const { view } = report;
  const chart = el('section', undefined, { id: 'logs-timeline' });
  chart.append(el('h3', `Timeline (UTC, a bar a ${view.timeline.bucket_words})`));
  if (view.timeline.note) chart.append(el('p', `(${view.timeline.note})`, { class: 'note' }));
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
  // The chart's text alternative: the same rows as a table (collapsed).
  const details = el('details');
  details.append(el('summary', 'The timeline as a table'));
  details.append(table(`Errors a ${view.timeline.bucket_words} by cause`, ['From (UTC)', 'Errors', 'By cause'],
    view.timeline.rows.slice(0, ROWS).map((r) => [r.from, r.errors, r.by_cause.map(([c, n]) => `${c} ${n}`).join(', ')]), view.timeline.rows.length));
  chart.append(details);
  container.append(chart);

  const edges = table('By edge location', ['Errors', 'Edge location', 'City', 'Lambda@Edge logs in'],
    view.edge_locations.map((p) => [p.errors, p.pop, p.location ?? '', p.lambda_edge_region ?? '']));
  edges.id = 'logs-edge-locations';
  container.append(edges);
  if (view.edge_locations_note) container.append(el('p', `(${view.edge_locations_note})`, { class: 'note' }));
  if (report.top_paths.length) {
    container.append(table('Top paths', ['Errors', 'Path'], report.top_paths.map((p) => [p.count, p.path])));
  }
}
