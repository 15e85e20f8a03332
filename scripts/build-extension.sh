#!/usr/bin/env bash
# Builds the browser extension from extension/ and the web page's engine and report view
# (www/pkg, www/report-view.js, www/style.css; run scripts/build-web.sh first):
#
#   target/extension/chromium/   + cf503-chromium.zip   service worker (+ event-page fallback)
#   target/extension/firefox/    + cf503-firefox.zip    event page only
#
# With --test it also writes the variants the browser tests load, never packaged:
#   chromium-watch/  watch mode's optional permissions declared as required, for 127.0.0.1
#                    only: what the user grants in the options page, which a headless test
#                    cannot click through (Chromium's permission prompt).
#   firefox-test/    the same for Firefox, plus bidi-hook.js: WebDriver BiDi may not navigate
#                    to moz-extension:// pages, so a tab opening http://127.0.0.1:*/__cf503/popup
#                    ?for=URL is turned into the popup for URL's tab by the extension itself.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f www/pkg/cf503_wasm_bg.wasm ] || { echo "build-extension: www/pkg missing: run scripts/build-web.sh" >&2; exit 1; }
out=target/extension
rm -rf "$out"
mkdir -p "$out"

assemble() { # $1 = build name, $2 = variant for the manifest
    local dir="$out/$1"
    mkdir -p "$dir/pkg" "$dir/icons"
    cp extension/{background.js,settings.js,i18n.js,popup.html,popup-start.js,popup.js,popup.css,options.html,options.js} "$dir/"
    cp -r extension/_locales "$dir/"
    cp extension/icons/*.png "$dir/icons/"
    cp www/report-view.js www/resolvers.js www/style.css "$dir/"
    cp www/pkg/cf503_wasm.js www/pkg/cf503_wasm_bg.wasm www/pkg/cf503_dns.js www/pkg/cf503_dns_bg.wasm "$dir/pkg/"
    python3 - "$dir/manifest.json" "$2" <<'PY'
import json, sys
path, variant = sys.argv[1], sys.argv[2]
m = json.load(open("extension/manifest.json"))
# Both builds carry Firefox's settings and an event-page fallback (`scripts`), which Chromium
# ignores beside `service_worker`: so Mozilla's linters pass the Chromium build too, and it still
# loads in Firefox. The Firefox build has no `service_worker` at all.
m["background"]["scripts"] = ["background.js"]
m["browser_specific_settings"] = {"gecko": {
    "id": "cf503@cf503.dev",
    # 142: the first release that knows data_collection_permissions (required by AMO).
    "strict_min_version": "142.0",
    # With DNS checks on (the default) the diagnosed site's host name and the origin domain the
    # user types go to DNS-over-HTTPS resolvers (extension/SOURCE.md, www/privacy.html).
    "data_collection_permissions": {"required": ["browsingActivity"]},
}}
if variant.startswith("firefox"):
    del m["background"]["service_worker"]
if variant in ("chromium-watch", "firefox-test"):
    m["permissions"] = m["permissions"] + ["webRequest"]
    m["host_permissions"] = ["http://127.0.0.1/*"]
    m["name"] = "cf503 (test build)"
if variant == "firefox-test":
    m["background"]["scripts"] = ["bidi-hook.js"]
json.dump(m, open(path, "w"), indent=2, ensure_ascii=False)
PY
}

assemble chromium chromium
assemble firefox firefox
(cd "$out/chromium" && zip -qrX ../cf503-chromium.zip .)
(cd "$out/firefox" && zip -qrX ../cf503-firefox.zip .)
if [ "${1:-}" = --test ]; then
    assemble chromium-watch chromium-watch
    assemble firefox-test firefox-test
    cp tests/e2e/extension/bidi-hook.js "$out/firefox-test/"
fi
for b in chromium firefox; do
    echo "build-extension: $out/cf503-$b.zip $(stat -c %s "$out/cf503-$b.zip") bytes"
done
