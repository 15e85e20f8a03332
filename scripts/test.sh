#!/usr/bin/env bash
# `just test`: every check and test. The DNS harness runs for the duration of the tests and is
# stopped whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
# Every clippy pass (native, every feature, and the wasm crate as the browser gets it: never with
# --workspace, std would unify in): the same list as `just lint`.
just lint
# The API docs build without a warning (broken links, missing docs).
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -q -p cf503-core -p cf503-cli
# The fuzz targets still compile against the core's API (they run with nightly: `just fuzz`).
cargo check -q --manifest-path fuzz/Cargo.toml
scripts/install-web-tools.sh
scripts/build-web.sh
scripts/build-extension.sh --test
scripts/lint-extension.sh
# The core's own tests compiled to wasm, in Node and in headless Chromium.
scripts/test-wasm.sh
# The distribution-config fixtures are what botocore's own serializer writes today: regenerate
# them and compare (a change in gen.py or in botocore's model shows up here).
config_fixtures=$(mktemp -d)
python3 tests/fixtures/config/gen.py "$config_fixtures"
for f in "$config_fixtures"/*; do
    cmp -s "$f" "tests/fixtures/config/$(basename "$f")" || { echo "test: tests/fixtures/config/$(basename "$f") differs from what gen.py writes now: run python3 tests/fixtures/config/gen.py and review" >&2; exit 1; }
done
rm -rf "$config_fixtures"
# The core with every feature (serde): no servers needed.
cargo test -p cf503-core --all-features
trap 'tests/dns/harness.sh stop >/dev/null 2>&1 || true' EXIT
tests/dns/harness.sh start
cargo test --workspace
# The web page and the extension in Debian Chromium (and the extension in Firefox ESR).
(cd tests/e2e && node --test --test-concurrency=1)
tests/dns/harness.sh stop
just no-std
