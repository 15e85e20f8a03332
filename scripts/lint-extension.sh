#!/usr/bin/env bash
# Mozilla's addons-linter and web-ext lint on both extension builds: any error fails; warnings
# are printed (the only one expected: BACKGROUND_SERVICE_WORKER_IGNORED on the Chromium build,
# whose manifest keeps Chromium's service worker beside Firefox's event-page fallback).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=tests/e2e/node_modules/.bin
[ -x "$bin/addons-linter" ] && [ -x "$bin/web-ext" ] || { echo "lint-extension: run scripts/install-web-tools.sh first" >&2; exit 1; }
status=0
for build in chromium firefox; do
    dir=target/extension/$build
    [ -f "$dir/manifest.json" ] || { echo "lint-extension: $dir missing: run scripts/build-extension.sh" >&2; exit 1; }
    for tool in addons-linter web-ext; do
        if [ $tool = addons-linter ]; then json=$("$bin/addons-linter" --output json "$dir" || true)
        else json=$("$bin/web-ext" lint --source-dir "$dir" --output json --no-input 2>/dev/null || true); fi
        python3 - "$build" "$tool" "$json" <<'PY' || status=1
import json, sys
build, tool, raw = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    v = json.loads(raw[raw.index("{"):])
except ValueError:
    sys.exit(f"lint-extension: {tool} on {build} gave no JSON report:\n{raw[:2000]}")
s = v["summary"]
print(f"lint-extension: {build} {tool}: {s['errors']} errors, {s['warnings']} warnings, {s['notices']} notices")
for kind in ("errors", "warnings", "notices"):
    for m in v[kind]:
        print(f"  {kind[:-1]} {m['code']}: {m['message']} ({m.get('file', '')})")
sys.exit(1 if s["errors"] else 0)
PY
    done
done
exit $status
