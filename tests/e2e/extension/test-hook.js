// Test builds only (scripts/build-extension.sh --test, Firefox): WebDriver BiDi refuses to
// navigate to moz-extension:// pages, so the test opens http://127.0.0.1:PORT/__cf503/popup?tab=N
// and the extension turns that tab into its popup for tab N. Never in a packaged build.
import './background.js';

const api = globalThis.browser ?? globalThis.chrome;
api.tabs.onUpdated.addListener((tabId, change) => {
  const url = change.url ? new URL(change.url) : null;
  if (url && url.hostname === '127.0.0.1' && url.pathname === '/__cf503/popup') {
    api.tabs.update(tabId, { url: api.runtime.getURL(`popup.html?tab=${url.searchParams.get('tab')}`) });
  }
});
