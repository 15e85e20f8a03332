// The page's edges view (issue 20, the DNS half): which edge locations and Regions viewers in
// each place reach. The questions, the reverse names and the report are the core's (cf503_dns's
// edges_dns); this only wires the form and draws the report's lines as text.
import { el, prose } from './report-view.js';

const $ = (id) => document.getElementById(id);
let engine = null;
const load = () => (engine ??= import('./pkg/cf503_dns.js').then(async (m) => { await m.default(); return m; }));

// The defaults are filled when the options are first opened or the form first used.
async function fillDefaults() {
  if ($('edges-resolver').value || $('edges-subnets').value) return;
  const d = (await load()).edges_defaults();
  $('edges-resolver').value = d.resolver;
  $('edges-subnets').value = d.subnets.join('\n');
}
$('edges-options').addEventListener('toggle', () => { fillDefaults().catch(() => {}); });

function draw(report) {
  const out = $('edges-report');
  out.replaceChildren();
  out.append(el('p', { class: 'edges-summary' }, report.summary));
  if (report.same_everywhere) {
    out.append(el('p', { class: 'hint' }, 'Every place got the same edges: the resolver drops client subnets, or the distribution is on Anycast static IPs (DNS does not choose the edge there).'));
  }
  const table = el('table', { class: 'edges-places' });
  const head = el('tr');
  for (const h of ['Viewers in', 'Client subnet', 'Edge', 'Edge location', 'Region']) head.append(el('th', { scope: 'col' }, h));
  table.append(el('caption', {}, `${report.name}, per place`), head);
  const byAddress = new Map(report.edges.map((e) => [e.address, e]));
  for (const s of report.subnets) {
    const rows = s.error ? [null] : s.addresses;
    for (const a of rows) {
      const e = a ? byAddress.get(a) : null;
      const tr = el('tr', { 'data-subnet': s.subnet });
      for (const v of [s.label, s.subnet, a ?? `no answer (${s.error})`, e?.pop ?? '', e?.region ?? '']) tr.append(el('td', {}, v));
      table.append(tr);
    }
  }
  out.append(table);
  for (const step of report.steps) {
    const p = el('p', { class: 'edges-step' });
    p.append(...prose(step));
    out.append(p);
  }
}

$('edges-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('edges-error').hidden = true;
  const out = $('edges-report');
  out.dataset.state = 'running';
  try {
    await fillDefaults();
    const m = await load();
    const subnets = $('edges-subnets').value.split('\n').filter((l) => l.trim());
    const report = await m.edges_dns($('edges-url').value.trim(), $('edges-resolver').value.trim(), subnets);
    draw(report);
    out.dataset.state = 'done';
  } catch (e) {
    out.replaceChildren();
    out.dataset.state = 'error';
    $('edges-error').textContent = String(e.message ?? e);
    $('edges-error').hidden = false;
  }
});
