#!/usr/bin/env bash
# What the web build and the browser tests need, installed into the repository (.tools/,
# tests/e2e/node_modules) or from Debian: wasm-bindgen-cli at exactly the version Cargo.lock pins
# (unlocked: its own lockfile names crates this registry mirror lacks), Chromium, chromedriver,
# Firefox ESR, and the npm packages of tests/e2e (playwright-core without a browser download,
# axe-core, ws, addons-linter, web-ext).
#
# Usage: install-web-tools.sh [build|test]. `build` (for `just serve`) stops after what building
# the page needs: the wasm32 target and wasm-bindgen-cli. `test` (the default) adds the browsers.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/install.sh
mode=${1:-test}
case "$mode" in build|test) ;; *) echo "usage: $0 [build|test]" >&2; exit 2 ;; esac
need_wasm_target install-web-tools
version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
[ -n "$version" ] || { echo "install-web-tools: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
if [ "$(.tools/cargo/bin/wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
    echo "install-web-tools: cargo install wasm-bindgen-cli $version (a few minutes, once)"
    cargo install -q wasm-bindgen-cli --version "$version" --root .tools/cargo
fi
[ "$mode" = build ] && exit 0
# chromium-driver: wasm-bindgen-test-runner drives Chromium through it for the core's wasm tests.
# firefox-esr: the extension's Firefox test (WebDriver BiDi, no geckodriver).
need_commands install-web-tools chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr
# Again whenever package-lock.json changed since the last install (npm keeps its own copy).
if ! cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.cf503-package-lock.json; then
    echo "install-web-tools: npm ci in tests/e2e"
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp tests/e2e/package-lock.json tests/e2e/node_modules/.cf503-package-lock.json
fi
