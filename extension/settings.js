// Settings, shared by the popup, the options page and the background script. Kept in
// storage.local under `settings` with a stable shape, so tests and managed deployments can set
// it: {resolvers: [url, …], dnsChecks: bool, watch: bool}. The resolvers' defaults and their
// check are the engine's (resolvers.js): `resolvers` stays null here until the user saves some.
export const api = globalThis.browser ?? globalThis.chrome;

const DEFAULTS = Object.freeze({ dnsChecks: true, watch: false });

/** The settings, each missing or malformed flag replaced by its default. */
export async function loadSettings() {
  const { settings } = await api.storage.local.get('settings');
  const s = settings && typeof settings === 'object' ? settings : {};
  return {
    resolvers: Array.isArray(s.resolvers) && s.resolvers.every((u) => typeof u === 'string') ? s.resolvers : null,
    dnsChecks: typeof s.dnsChecks === 'boolean' ? s.dnsChecks : DEFAULTS.dnsChecks,
    watch: typeof s.watch === 'boolean' ? s.watch : DEFAULTS.watch,
  };
}

export async function saveSettings(settings) {
  await api.storage.local.set({ settings });
}

// What watch mode needs beyond the defaults; asked for by the options page, on the user's click.
export const WATCH_PERMISSIONS = { permissions: ['webRequest'], origins: ['http://*/*', 'https://*/*'] };

/** The origin domain the user gave for a viewer host, remembered per host. */
export async function rememberedOrigin(host) {
  const { origins } = await api.storage.local.get('origins');
  return (origins && typeof origins[host] === 'string') ? origins[host] : '';
}

export async function rememberOrigin(host, origin) {
  const { origins } = await api.storage.local.get('origins');
  const next = { ...(origins ?? {}) };
  if (origin) next[host] = origin; else delete next[host];
  await api.storage.local.set({ origins: next });
}

/** The distribution config the user gave for a viewer host, as the engine stored it
 * (`read_config(...).stored`: the API's JSON shape, without any origin custom header value). */
export async function rememberedConfig(host) {
  const { configs } = await api.storage.local.get('configs');
  return (configs && typeof configs[host] === 'string') ? configs[host] : undefined;
}

export async function rememberConfig(host, stored) {
  const { configs } = await api.storage.local.get('configs');
  const next = { ...(configs ?? {}) };
  if (stored) next[host] = stored; else delete next[host];
  await api.storage.local.set({ configs: next });
}
