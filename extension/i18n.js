// The extension's own words come from _locales/<language>/messages.json (English is the
// default): elements marked data-i18n get their message as text, data-i18n-placeholder as a
// placeholder. The reports themselves are the engine's, in English.
const api = globalThis.browser ?? globalThis.chrome;

/** A message by key, with substitutions; the key itself if the catalogue lacks it. */
export const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;

/** Fills every marked element under `root`. */
export function localise(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle);
}
