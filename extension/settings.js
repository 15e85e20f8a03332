// Settings, shared by the popup, the options page and the background script. Kept in
// storage.local under `settings` with a stable shape, so tests and managed deployments can set
// it: {resolvers: [url, …], dnsChecks: bool, watch: bool}.
export const api = globalThis.browser ?? globalThis.chrome;

export const DEFAULT_SETTINGS = Object.freeze({
  resolvers: ['https://cloudflare-dns.com/dns-query', 'https://dns.google/dns-query', 'https://dns.quad9.net/dns-query'],
  dnsChecks: true,
  watch: false,
});

/** The settings, each missing or malformed field replaced by its default. */
export async function loadSettings() {
  const { settings } = await api.storage.local.get('settings');
  const s = settings && typeof settings === 'object' ? settings : {};
  const resolvers = Array.isArray(s.resolvers) ? s.resolvers.filter((u) => typeof u === 'string' && isDohUrl(u)) : [];
  return {
    resolvers: resolvers.length ? resolvers : [...DEFAULT_SETTINGS.resolvers],
    dnsChecks: typeof s.dnsChecks === 'boolean' ? s.dnsChecks : DEFAULT_SETTINGS.dnsChecks,
    watch: typeof s.watch === 'boolean' ? s.watch : DEFAULT_SETTINGS.watch,
  };
}

export async function saveSettings(settings) {
  await api.storage.local.set({ settings });
}

export function isDohUrl(u) {
  try {
    return /^https?:$/.test(new URL(u).protocol);
  } catch {
    return false;
  }
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
