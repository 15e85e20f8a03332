// One report, drawn the same everywhere (issue 12): what a page or the popup shows, read back
// from its DOM, against the `view` of the CLI's JSON for the same input. The front ends decide
// nothing, so headline, facts and next steps must be identical, character for character.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const binary = path.join(root, 'target/debug/cf503');

/** Evaluated in the page: headline, facts and steps as drawn (copy buttons left out). */
export const DOM_VIEW = `(() => {
  const text = (node) => {
    const copy = node.cloneNode(true);
    copy.querySelectorAll('button').forEach((b) => b.remove());
    return copy.textContent;
  };
  return {
    headline: document.querySelector('#verdict .headline')?.textContent ?? null,
    cause: document.getElementById('verdict')?.dataset.cause ?? null,
    facts: [...document.querySelectorAll('#report .facts dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
    steps: [...document.querySelectorAll('#report ol.steps > li')].map(text),
    links: [...document.querySelectorAll('#report ol.steps a')].map((a) => a.getAttribute('href')),
    others: [...document.querySelectorAll('#report ul.others > li')].map((li) => [li.dataset.cause, li.querySelector('.question')?.textContent ?? null]),
    distribution: [...document.querySelectorAll('#report .distribution-facts dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
    risks: [...document.querySelectorAll('#report ul.risks > li')].map((li) => li.dataset.risk),
  };
})()`;

/** The same, from a `cf503.report`'s `view`. */
export function jsonView(view) {
  return {
    headline: view.headline,
    cause: view.verdict.cause,
    facts: view.facts.map((f) => [f.label, f.value]),
    steps: view.steps.map((parts) => parts.map((p) => p.text).join('')),
    links: view.steps.flatMap((parts) => parts.filter((p) => p.kind === 'link').map((p) => p.text)),
    others: view.others.map((o) => [o.cause, ` — to tell it apart: ${o.question}`]),
    distribution: (view.distribution?.facts ?? []).filter((f) => f.label !== 'Config').map((f) => [f.label, f.value]),
    risks: (view.distribution?.risks ?? []).map((r) => r.id),
  };
}

/** `cf503 ARGS --json`, parsed (the debug build `cargo test --workspace` made). Asynchronous:
 * the site it may fetch can be served by this very process. */
export async function cliReport(args, input) {
  return (await cliRun(args, input)).report;
}

/** `cf503 ARGS --json`: the report, parsed, and what it wrote on standard error (warnings). */
export function cliRun(args, input) {
  if (!existsSync(binary)) throw new Error(`${binary} missing: run cargo build -p cf503 (just test does)`);
  return new Promise((resolve, reject) => {
    const child = execFile(binary, [...args, '--json'], { encoding: 'utf8', timeout: 30000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`cf503 ${args.join(' ')}: ${stderr || error.message}`));
      else resolve({ report: JSON.parse(stdout), stderr });
    });
    child.stdin.end(input ?? '');
  });
}
