#!/usr/bin/env bash
# `just test`: every check and test, phase by phase, with each phase's wall time printed at the
# end (also when one fails: the table says which). The DNS harness runs for the duration of the
# tests and is stopped whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

phases=()
current=""
summary() {
    local status=$?
    echo
    echo "just test: phase times (wall, this machine)"
    printf '  %s\n' "${phases[@]}"
    printf '  %-44s %5ds\n' "total" "$SECONDS"
    tests/dns/harness.sh stop >/dev/null 2>&1 || true
    [ "$status" -eq 0 ] && echo "just test: every phase passed" || echo "just test: FAILED (exit $status) in phase: $current" >&2
}
trap summary EXIT
# phase NAME COMMAND...: runs one phase and records its time.
phase() {
    local name=$1 start=$SECONDS
    shift
    current=$name
    echo "== $name"
    "$@"
    phases+=("$(printf '%-44s %5ds' "$name" $((SECONDS - start)))")
}

phase "rustfmt" cargo fmt --all -- --check
# Every clippy pass (native, every feature, and the wasm crate as the browser gets it: never with
# --workspace, std would unify in): the same list as `just lint`.
phase "clippy (native, wasm)" just lint
# The API docs build without a warning (broken links, missing docs).
phase "rustdoc" env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -q -p cf503-core -p cf503
# The fuzz targets still compile against the core's API (they run with nightly: `just fuzz`).
phase "fuzz targets compile" cargo check -q --manifest-path fuzz/Cargo.toml
phase "web tools (wasm-bindgen, browsers, npm)" scripts/install-web-tools.sh
phase "web page build" scripts/build-web.sh
# The page `just serve` serves without building is the one the sources build (scripts/web-inputs.sh).
phase "prebuilt www/pkg = fresh build" scripts/web-inputs.sh --verify-committed
phase "just serve (prebuilt page, busy port)" scripts/test-serve.sh
phase "extension build and lint" bash -c 'scripts/build-extension.sh --test && scripts/lint-extension.sh'
# The core's own tests compiled to wasm, in Node and in headless Chromium.
phase "core tests in wasm (Node, Chromium)" scripts/test-wasm.sh
# The distribution-config fixtures are what botocore's own serializer writes today: regenerate
# them and compare (a change in gen.py or in botocore's model shows up here).
config_fixtures() {
    local dir f
    dir=$(mktemp -d)
    python3 tests/fixtures/config/gen.py "$dir"
    for f in "$dir"/*; do
        cmp -s "$f" "tests/fixtures/config/$(basename "$f")" || { echo "test: tests/fixtures/config/$(basename "$f") differs from what gen.py writes now: run python3 tests/fixtures/config/gen.py and review" >&2; return 1; }
    done
    rm -rf "$dir"
}
phase "config fixtures = botocore's" config_fixtures
# The core once, with every feature (a superset of the default's tests): no servers needed.
phase "core tests (native, every feature)" cargo test -p cf503-core --all-features
phase "DNS harness start" tests/dns/harness.sh start
# The rest of the workspace (the CLI: fixtures, golden, DNS, edges, logs); the core ran above.
phase "CLI tests (DNS harness)" cargo test --workspace --exclude cf503-core
# The web page and the extension in Debian Chromium (and the extension in Firefox ESR).
phase "browser tests (Chromium, Firefox ESR)" bash -c 'cd tests/e2e && node --test --test-concurrency=1'
phase "DNS harness stop" tests/dns/harness.sh stop
phase "no_std build" just no-std
