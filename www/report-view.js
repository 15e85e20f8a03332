// The report view: renders cf503's JSON reports into the DOM. Shared by the web page and the
// browser extension's popup. Every value goes in through textContent or attributes set from
// our own ids, never as HTML: header values and page texts are hostile input.

const el = (tag, attrs = {}, text) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
};

const pct = (c) => `${Math.round(c * 100)}%`;

/** Renders a `cf503.report` into `verdict` (the top finding) and `container` (the rest). */
export function renderReport(verdict, container, report) {
  verdict.replaceChildren();
  container.replaceChildren();
  const top = report.findings[0];
  verdict.dataset.cause = top.cause;
  verdict.dataset.through = report.observed.through_cloudfront;
  verdict.append(
    el('p', { class: 'headline' }, report.headline),
    el('h2', {}, top.title),
    el('p', { class: 'confidence' }, `${top.cause} · confidence ${pct(top.confidence)}`),
    el('p', { class: 'meaning' }, top.meaning),
  );

  // The facts and their order are the core's (report.facts); this only lays them out.
  const facts = el('dl', { class: 'facts' });
  const fact = (k, v) => { if (v !== null && v !== undefined && v !== '') facts.append(el('dt', {}, k), el('dd', {}, v)); };
  fact('URL', report.url);
  for (const f of report.facts) fact(f.label, f.value);
  container.append(facts);

  if (top.evidence.length) {
    container.append(el('h3', {}, 'Evidence'));
    const ul = el('ul', { class: 'evidence' });
    for (const e of top.evidence) {
      const li = el('li', { class: e.supports ? 'for' : 'against' });
      li.append(el('span', { class: 'stance' }, e.supports ? 'for' : 'against'), ' ', el('code', {}, e.signal), ' = ', el('code', {}, e.value), ` — ${e.note}`);
      ul.append(li);
    }
    container.append(ul);
  }
  if (top.steps.length) {
    container.append(el('h3', {}, 'Next steps'));
    const ol = el('ol', { class: 'steps' });
    for (const s of top.steps) ol.append(el('li', {}, s));
    container.append(ol);
  }
  if (report.findings.length > 1) {
    container.append(el('h3', {}, 'Other possibilities'));
    const ul = el('ul', { class: 'others' });
    for (const f of report.findings.slice(1)) ul.append(el('li', { 'data-cause': f.cause }, `${f.title} (${f.cause}, ${pct(f.confidence)})`));
    container.append(ul);
  }
  if (report.notes.length) {
    container.append(el('h3', {}, 'Notes'));
    const ul = el('ul', { class: 'notes' });
    for (const n of report.notes) ul.append(el('li', { 'data-note': n.id }, n.text));
    container.append(ul);
  }
  if (report.collect.length) {
    container.append(el('h3', {}, 'For a surer verdict, add'));
    const ul = el('ul', { class: 'collect' });
    for (const c of report.collect) ul.append(el('li', {}, c));
    container.append(ul);
  }
  const dns = el('section', { id: 'dns', class: 'dns' });
  container.append(dns);
  if (report.dns) renderDns(dns, report.dns);
}

/** Renders a `cf503.dns_report` (complete or partial) into `section`. */
export function renderDns(section, dns) {
  section.replaceChildren();
  section.append(el('h3', {}, `DNS check of ${dns.origin}`));
  if (dns.apex) section.append(el('p', {}, `Zone apex ${dns.apex}${dns.parent ? `, parent ${dns.parent}` : ''}`));
  for (const c of dns.cname_chain) section.append(el('p', {}, `CNAME ${c}`));
  const ul = el('ul', { class: 'dns-findings' });
  for (const f of dns.findings) {
    const li = el('li', { 'data-dns': f.id, class: f.severity });
    li.append(el('span', { class: 'severity' }, f.severity), ' ', el('code', {}, f.id), ` ${f.summary}`);
    if (f.server) li.append(' ', el('code', {}, f.server));
    ul.append(li);
  }
  section.append(ul);
  if (dns.servers.length) {
    // The zone's name servers and their addresses, as the resolvers reveal them (DoH) or as
    // asked one by one (native).
    section.append(el('h4', {}, `Name servers of ${dns.apex ?? dns.origin}`));
    const ns = el('ul', { class: 'name-servers' });
    for (const s of dns.servers) {
      const where = [s.in_zone && 'in the zone', s.in_parent && 'in the parent\'s delegation'].filter(Boolean).join(', ');
      ns.append(el('li', { 'data-ns': s.name }, `${s.name} ${s.addresses.length ? s.addresses.join(', ') : '(no address)'}${where ? ` (${where})` : ''}`));
    }
    section.append(ns);
  }
  if (dns.resolver.length) {
    const table = el('table', { class: 'resolvers' });
    const head = el('tr');
    for (const h of ['Resolver', 'Query', 'Outcome', 'Answers', 'ms']) head.append(el('th', { scope: 'col' }, h));
    table.append(el('caption', {}, 'Through DNS-over-HTTPS resolvers'), head);
    for (const q of dns.resolver) {
      const tr = el('tr');
      for (const v of [q.resolver + 1, q.query + (q.cd ? ' +cd' : ''), q.outcome, [...q.answers, ...q.ede].join('; '), q.rtt_ms ?? '']) tr.append(el('td', {}, v));
      table.append(tr);
    }
    section.append(table);
  }
  if (!dns.direct) section.append(el('p', { class: 'hint' }, 'A browser cannot ask a chosen name server; this is what the resolvers say. For the per-server view run: cf503 dns ' + dns.origin.replace(/\.$/, '')));
}
