// Options: resolvers, DNS checks on/off, watch mode on/off, kept in storage.local `settings`.
// Turning watch mode on asks for its optional permissions (on the user's click); turning it off
// gives them back and forgets what was kept.
import init from './pkg/cf503_wasm.js';
import { api, loadSettings, saveSettings, WATCH_PERMISSIONS } from './settings.js';
import { parseResolverText, resolversOrDefault } from './resolvers.js';
import { t, localise } from './i18n.js';

localise();

const $ = (id) => document.getElementById(id);
// The engine checks resolver URLs exactly as the DNS checks will (resolvers.js).
const [settings] = await Promise.all([loadSettings(), init()]);

async function show() {
  $('dns-checks').checked = settings.dnsChecks;
  try {
    $('resolvers-input').value = resolversOrDefault(settings.resolvers).join('\n');
  } catch (e) {
    $('resolvers-input').value = settings.resolvers.join('\n');
    fail(String(e.message ?? e));
  }
  $('watch').checked = settings.watch;
  const granted = await api.permissions.contains(WATCH_PERMISSIONS);
  $('watch-status').textContent = settings.watch
    ? t(granted ? 'watchOn' : 'watchWithdrawn')
    : t('watchOff');
}

async function save(message = t('saved')) {
  await saveSettings(settings);
  $('error').hidden = true;
  $('saved').textContent = message;
  await show();
}

function fail(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

$('dns-checks').addEventListener('change', () => {
  settings.dnsChecks = $('dns-checks').checked;
  save();
});

$('resolvers-input').addEventListener('change', () => {
  try {
    settings.resolvers = parseResolverText($('resolvers-input').value);
  } catch (e) {
    return fail(String(e.message ?? e));
  }
  save();
});

$('watch').addEventListener('change', async () => {
  if ($('watch').checked) {
    // Must run in the click's user gesture: no await before it.
    const granted = await api.permissions.request(WATCH_PERMISSIONS).catch((e) => fail(String(e.message ?? e)));
    if (!granted) {
      $('watch').checked = false;
      return fail(t('watchNeedsPermission'));
    }
    settings.watch = true;
    await save(t('watchTurnedOn'));
  } else {
    settings.watch = false;
    await api.permissions.remove(WATCH_PERMISSIONS).catch(() => {});
    await api.storage.session.clear();
    await save(t('watchTurnedOff'));
  }
});

await show();
