// The extension's words are all in _locales/en/messages.json: every key the manifest, the pages
// and the scripts use is there (a missing one would show its key), none there is unused, and
// each placeholder is one the message uses. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../extension');
const read = (f) => readFile(path.join(ext, f), 'utf8');

test('every message key used exists, every message is used, placeholders match', async () => {
  const messages = JSON.parse(await read('_locales/en/messages.json'));
  const used = new Set();
  for (const m of (await read('manifest.json')).matchAll(/__MSG_(\w+)__/g)) used.add(m[1]);
  for (const f of ['popup.html', 'options.html']) {
    for (const m of (await read(f)).matchAll(/data-i18n(?:-title)?="(\w+)"/g)) used.add(m[1]);
  }
  for (const f of ['popup.js', 'options.js', 'background.js']) {
    for (const m of (await read(f)).matchAll(/\bt\('(\w+)'/g)) used.add(m[1]);
    // t(cond ? 'a' : 'b')
    for (const m of (await read(f)).matchAll(/\bt\(\w[^()]*\? '(\w+)' : '(\w+)'\)/g)) { used.add(m[1]); used.add(m[2]); }
  }
  const missing = [...used].filter((k) => !(k in messages));
  assert.deepEqual(missing, [], 'keys used but not in messages.json');
  const unused = Object.keys(messages).filter((k) => !used.has(k));
  assert.deepEqual(unused, [], 'messages nobody uses');
  for (const [key, m] of Object.entries(messages)) {
    assert.ok(m.message && m.description, key);
    const named = [...m.message.matchAll(/\$(\w+)\$/g)].map((x) => x[1].toLowerCase()).sort();
    assert.deepEqual(named, Object.keys(m.placeholders ?? {}).sort(), key);
  }
  assert.equal(JSON.parse(await read('manifest.json')).default_locale, 'en');
});
