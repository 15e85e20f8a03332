// Test builds only (scripts/build-extension.sh --test, Firefox): WebDriver BiDi refuses to
// navigate to moz-extension:// pages, so the test opens
// http://127.0.0.1:PORT/__cf503/popup?for=<failing page URL> in a tab and the extension turns
// that tab into its popup for the failing page's tab. Never in a packaged build.
import './background.js';

const api = globalThis.browser ?? globalThis.chrome;
api.tabs.onUpdated.addListener(async (tabId, change) => {
  const url = change.url ? new URL(change.url) : null;
  if (!url || url.hostname !== '127.0.0.1' || url.pathname !== '/__cf503/popup') return;
  // Firefox match patterns cannot carry a port: compare URLs instead.
  const target = (await api.tabs.query({})).find((t) => t.url === url.searchParams.get('for'));
  if (target) api.tabs.update(tabId, { url: api.runtime.getURL(`popup.html?tab=${target.id}`) });
});
