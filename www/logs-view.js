// Lays out a cf503.logs_report (the CLI's `cf503 logs --json`): the read line, the causes with
// their next steps, a timeline (stacked SVG bars by cause, with a text alternative), edge
// locations and paths. Every value goes in as text; no markup from a log is ever parsed.
// What is listed is the engine's `view` (the edge locations and timeline rows the text and
// Markdown reports list too), so drawing is bounded whatever the logs held: at most 15 edge
// locations and 180 timeline rows (the download has everything); tables here show at most ROWS
// rows; no array is ever spread into a call (audit W10-W12).
import { prose } from './report-view.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 120;
// Time slots drawn at most; a sparser timeline (rows days apart) is drawn row by row instead.
const MAX_SLOTS = 2000;
// Axis labels, at most.
const TICKS = 6;
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

/** Minutes since the epoch of an engine time (`2026-11-26 05:00`, UTC). */
const minutes = (t) => Date.parse(`${t.replace(' ', 'T')}:00Z`) / 60000;

/** The stacked chart of the engine's timeline view, as wide as its container: a segment per
 * cause in the cause's own colour, each with its title (hover), bars placed by their time, the
 * incident window shaded, and a UTC time axis under it. */
export function timelineChart(report) {
  const { rows, bucket_words: unit } = report.view.timeline;
  const colourOf = new Map(report.by_cause.map((c) => [c.cause, c.colour]));
  const step = report.timeline_bucket_minutes ?? 1;
  let peak = 1;
  for (const r of rows) peak = Math.max(peak, r.errors);
  // Where each row goes: by its time when the span is drawable, else one after the other.
  const start = rows.length ? minutes(rows[0].from) : 0;
  const span = rows.length ? Math.round((minutes(rows.at(-1).from) - start) / step) + 1 : 1;
  const byTime = Number.isFinite(span) && span <= MAX_SLOTS;
  const slots = byTime ? span : Math.max(1, rows.length);
  const slotOf = (r, i) => (byTime ? Math.round((minutes(r.from) - start) / step) : i);
  const W = slots * 10;
  const figure = el('div', undefined, { class: 'timeline-figure' });
  figure.append(el('p', `peak ${peak} errors a ${unit}`, { class: 'timeline-peak' }));
  const chart = svg('svg', { viewBox: `0 0 ${W} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-labelledby': 'logs-chart-title', class: 'timeline', tabindex: 0 });
  const title = svg('title', { id: 'logs-chart-title' });
  const window = report.incident_window;
  title.textContent = `Errors a ${unit} by cause, ${rows[0]?.from ?? ''} to ${rows.at(-1)?.from ?? ''} UTC, peak ${peak}`
    + (window ? `; incident window ${window.from} to ${window.to}` : '');
  chart.append(title);
  if (window && byTime) {
    const from = Math.round((minutes(window.from) - start) / step);
    const to = Math.round((minutes(window.to) - start) / step) + 1;
    const shade = svg('rect', { x: from * 10, y: 0, width: Math.max(1, to - from) * 10, height: HEIGHT, class: 'incident' });
    const t = svg('title');
    t.textContent = `Incident window: ${window.from} to ${window.to} UTC`;
    shade.append(t);
    chart.append(shade);
  }
  rows.forEach((r, i) => {
    let y = HEIGHT;
    const x = slotOf(r, i) * 10;
    for (const [cause, n] of r.by_cause) {
      const h = Math.max(1, Math.round((n / peak) * HEIGHT));
      y -= h;
      const rect = svg('rect', { x: x + 1, y, width: 8, height: h, fill: colourOf.get(cause) ?? '#777777', 'data-cause': cause, 'data-count': n });
      const t = svg('title');
      t.textContent = `${r.from} UTC (a ${unit}): ${n} ${cause}, ${r.errors} in all`;
      rect.append(t);
      chart.append(rect);
    }
  });
  figure.append(chart);
  // The UTC axis: evenly spaced labels, the first with its date.
  const axis = el('div', undefined, { class: 'timeline-axis', 'aria-hidden': 'true' });
  const ticks = Math.min(TICKS, rows.length);
  for (let k = 0; k < ticks; k++) {
    const i = ticks === 1 ? 0 : Math.round((k * (rows.length - 1)) / (ticks - 1));
    const r = rows[i];
    const label = el('span', k === 0 ? `${r.from} UTC` : r.from.slice(11), { class: 'tick' });
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    label.style.left = `${((slotOf(r, i) + 0.5) / slots) * 100}%`;
    axis.append(label);
  }
  figure.append(axis);
  return figure;
}

export function renderLogs(container, report) {
  container.replaceChildren();
  // The count, for a script to read (the benchmark checks it against other tools').
  container.dataset.errors = String(report.errors ?? 0);
  // The engine's sentences: what was read, then when the errors were (or that none matched).
  const [read, ...rest] = report.summary_lines;
  container.append(el('p', read, { id: 'logs-read' }));
  for (const line of rest) container.append(el('p', line, { class: 'logs-summary' }));
  if (!report.errors) return;

  // What is listed (edge locations, timeline rows) is the engine's view: the text and
  // Markdown reports list the same. The chart first, the lists after.
  const { view } = report;
  const chart = el('section', undefined, { id: 'logs-timeline' });
  chart.append(el('h3', `Timeline (UTC, a bar a ${view.timeline.bucket_words})`));
  if (view.timeline.note) chart.append(el('p', `(${view.timeline.note})`, { class: 'note' }));
  chart.append(timelineChart(report));
  // The legend: each cause's colour (the same in every report), title and id.
  const legend = el('ul', undefined, { class: 'legend' });
  for (const c of report.by_cause) {
    const li = el('li', undefined, { 'data-cause': c.cause });
    const sw = el('span', '', { class: 'swatch' });
    sw.style.background = c.colour;
    li.append(sw, el('span', `${c.title} `), el('code', c.cause));
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

  const causes = el('section', undefined, { id: 'logs-causes' });
  causes.append(el('h3', 'By cause'));
  for (const c of report.by_cause) {
    const item = el('div', undefined, { class: 'logs-cause', 'data-cause': c.cause });
    const head = el('h4');
    const swatch = el('span', '', { class: 'swatch' });
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    swatch.style.background = c.colour;
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

  const edges = table('By edge location', ['Errors', 'Edge location', 'City', 'Lambda@Edge logs in'],
    view.edge_locations.map((p) => [p.errors, p.pop, p.location ?? '', p.lambda_edge_region ?? '']));
  edges.id = 'logs-edge-locations';
  container.append(edges);
  if (view.edge_locations_note) container.append(el('p', `(${view.edge_locations_note})`, { class: 'note' }));
  if (report.top_paths.length) {
    container.append(table('Top paths', ['Errors', 'Path'], report.top_paths.map((p) => [p.count, p.path])));
  }
}
