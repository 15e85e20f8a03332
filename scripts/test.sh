#!/usr/bin/env bash
# `just test`: every check and test. The DNS harness runs for the duration of the tests and is
# stopped whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy -p cf503-core --all-targets --all-features -- -D warnings
# The core with every feature (serde): no servers needed.
cargo test -p cf503-core --all-features
trap 'tests/dns/harness.sh stop >/dev/null 2>&1 || true' EXIT
tests/dns/harness.sh start
cargo test --workspace
tests/dns/harness.sh stop
just no-std
