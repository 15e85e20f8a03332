// The report view: renders cf503's JSON reports into the DOM. Shared by the web page and the
// browser extension's popup. Every value goes in through textContent or attributes set from
// our own ids, never as HTML: header values and page texts are hostile input.

export const el = (tag, attrs = {}, text) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
};

const pct = (c) => `${Math.round(c * 100)}%`;

// Prose parts (`view.steps`, `view.collect`): the core split them and chose which are links
// (AWS documentation and consoles only); this only draws them.
export function prose(parts) {
  const out = [];
  for (const p of parts) {
    if (p.kind === 'code') out.push(el('code', {}, p.text));
    else if (p.kind === 'command') {
      const copy = el('button', { type: 'button', class: 'copy', 'aria-label': `Copy the command: ${p.text}` }, 'Copy');
      copy.addEventListener('click', () => {
        navigator.clipboard.writeText(p.text).then(() => { copy.textContent = 'Copied'; }, () => { copy.textContent = 'Copy failed'; });
      });
      const block = el('span', { class: 'command' });
      block.append(el('code', {}, p.text), copy);
      out.push(block);
    } else if (p.kind === 'link' && p.text.startsWith('https://')) {
      out.push(el('a', { href: p.text, target: '_blank', rel: 'noopener noreferrer' }, p.text));
    } else out.push(document.createTextNode(p.text));
  }
  return out;
}

const list = (tag, cls, items, fill) => {
  const node = el(tag, { class: cls });
  for (const it of items) node.append(fill(it));
  return node;
};

/** Renders a `cf503.report` into `verdict` (the top finding) and `container` (the rest), from
 * its `view`: what to show and in what order is the core's; this only lays it out.
 * `compact` (the popup): the first step goes under the verdict, and each other part is a
 * closed <details> with its count, so the verdict and what to do first fit above the fold. */
export function renderReport(verdict, container, report, { compact = false } = {}) {
  const view = report.view;
  verdict.replaceChildren();
  container.replaceChildren();
  verdict.dataset.cause = view.verdict.cause;
  verdict.dataset.through = report.observed.through_cloudfront;
  verdict.append(
    el('p', { class: 'headline' }, view.headline),
    el('h2', {}, view.verdict.title),
    el('p', { class: 'confidence' }, `${view.verdict.cause} · confidence ${pct(view.verdict.confidence)}`),
    el('p', { class: 'meaning' }, view.verdict.meaning),
  );
  if (compact && view.steps.length) {
    const first = el('p', { class: 'first-step' });
    first.append(el('strong', {}, 'First step: '), ...prose(view.steps[0]));
    verdict.append(first);
  }
  // A part of the report: under its heading on the page, folded under it in the popup.
  const part = (title, count, ...nodes) => {
    if (!compact) {
      container.append(el('h3', {}, title), ...nodes);
      return;
    }
    const details = el('details', { class: 'part' });
    details.append(el('summary', {}, count === undefined ? title : `${title} (${count})`), ...nodes);
    container.append(details);
  };

  const facts = el('dl', { class: 'facts' });
  for (const f of view.facts) {
    const dd = el('dd', { 'data-kind': f.kind });
    if (f.kind === 'text') dd.textContent = f.value; else dd.append(el('code', {}, f.value));
    facts.append(el('dt', {}, f.label), dd);
  }
  if (compact) part('What the response says', view.facts.length, facts); else container.append(facts);
  if (view.edges) container.append(edgesSection(view.edges));
  if (view.distribution) {
    if (compact) part('Your distribution', undefined, distributionSection(view.distribution));
    else container.append(distributionSection(view.distribution));
  }

  if (view.evidence.length) {
    part('Evidence', view.evidence.length, list('ul', 'evidence', view.evidence, (e) => {
      const li = el('li', { class: e.supports ? 'for' : 'against' });
      li.append(el('span', { class: 'stance' }, e.supports ? 'for' : 'against'), ' ', el('code', {}, e.signal), ' = ', el('code', {}, e.value), ` — ${e.note}`);
      return li;
    }));
  }
  if (view.steps.length) {
    part('Next steps', view.steps.length, list('ol', 'steps', view.steps, (s) => {
      const li = el('li');
      li.append(...prose(s));
      return li;
    }));
  }
  if (view.others.length) {
    part('Other possibilities', view.others.length, list('ul', 'others', view.others,
      (f) => {
        const li = el('li', { 'data-cause': f.cause }, `${f.title} (${f.cause}, ${pct(f.confidence)})`);
        li.append(el('span', { class: 'question' }, ` — to tell it apart: ${f.question}`));
        return li;
      }));
  }
  if (view.notes.length) {
    part('Notes', view.notes.length, list('ul', 'notes', view.notes, (n) => el('li', { 'data-note': n.id }, n.text)));
  }
  if (view.collect.length) {
    part('For a surer verdict, add', view.collect.length, list('ul', 'collect', view.collect, (c) => {
      const li = el('li');
      li.append(...prose(c));
      return li;
    }));
  }
  const dns = el('section', { id: 'dns', class: 'dns' });
  container.append(dns);
  if (report.dns) renderDns(dns, report.dns);
}

/** The distribution's config as it bears on the request: the route's facts and the config's
 * risk findings, as the core listed them. */
function distributionSection(dist) {
  const section = el('section', { class: 'distribution' });
  section.append(el('h3', {}, 'Your distribution'), el('p', { class: 'hint' }, `From ${dist.source}`));
  const dl = el('dl', { class: 'distribution-facts' });
  for (const f of dist.facts.filter((f) => f.label !== 'Config')) {
    const dd = el('dd', { 'data-kind': f.kind });
    if (f.kind === 'text') dd.textContent = f.value; else dd.append(el('code', {}, f.value));
    dl.append(el('dt', {}, f.label), dd);
  }
  section.append(dl);
  if (dist.risks.length) {
    section.append(el('h4', {}, 'Risks in the config'), list('ul', 'risks', dist.risks, (r) => {
      const li = el('li', { 'data-risk': r.id, class: r.severity });
      li.append(el('span', { class: 'severity' }, r.severity), ' ', el('code', {}, r.id), ` (${r.subject}): ${r.text}`);
      return li;
    }));
  }
  return section;
}

/** Where it fails, when several edge locations were compared: the core's sentence, each edge
 * location and whether it failed, and its steps. */
function edgesSection(edges) {
  const section = el('section', { class: 'edges', 'data-verdict': edges.verdict.kind, 'data-basis': edges.basis });
  section.append(el('h3', {}, 'Where it fails'), el('p', { class: 'summary' }, edges.summary));
  section.append(list('ul', 'edge-pops', edges.pops, (p) => el('li', { 'data-pop': p.pop, 'data-failing': String(p.failing > 0) },
    `${p.pop}${p.location ? ` (${p.location})` : ''}${p.region ? `, ${p.region}` : ''}: ${p.failing > 0 ? 'failing' : 'answering'}`)));
  if (edges.steps.length) {
    section.append(list('ol', 'edge-steps', edges.steps, (s) => {
      const li = el('li');
      li.append(...prose(s));
      return li;
    }));
  }
  return section;
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
  if (dns.scope_note) section.append(el('p', { class: 'hint' }, dns.scope_note));
}
