# cf503: the front door. `just --list` shows the recipes.
set shell := ["bash", "-euo", "pipefail", "-c"]

example := "tests/fixtures/responses/lambda_edge_execution--serverless-next.http"

# Diagnose a bundled example (or FILE): what cf503 is for
demo file=example:
    cargo run -q --release -p cf503 -- explain {{file}}

# Serve the web page on http://127.0.0.1:PORT (the next free port if taken): the committed
# prebuilt engine when the sources match it, else built first (static; DoH only with DNS checks on)
serve port="8080":
    scripts/serve.sh {{port}}

# Install what building and testing need on a fresh machine (idempotent)
setup:
    scripts/setup.sh

# Every test: fmt, clippy, unit/property/fixture/CLI tests, the core in wasm (Node, Chromium), DNS tests on real servers, the web page in Chromium, no_std build
test: setup
    scripts/test.sh

# The core's tests compiled to wasm, run in Node and headless Chromium (wasm-bindgen-test)
test-wasm: setup
    scripts/install-web-tools.sh
    scripts/test-wasm.sh

# Release artifacts in target/release-artifacts: the CLI archive for this machine's target
# (binary, completions, man pages), the two extension zips, SHA256SUMS
release:
    scripts/release.sh

# Build the browser extension: target/extension/cf503-chromium.zip and cf503-firefox.zip
package:
    scripts/install-web-tools.sh build
    scripts/build-web.sh
    scripts/build-extension.sh

# Start (or stop) the DNS harness by hand: resolver 127.0.0.1:5353, see tests/dns/harness.sh
dns-harness action="start":
    tests/dns/harness.sh {{action}}

# cf503-core must build without std for wasm32, and no dependency may turn std on
no-std:
    cargo build -p cf503-core --no-default-features --features serde --target wasm32-unknown-unknown
    scripts/check-no-std.sh

# Figures: diagnoses/s, 100 MB HAR vs jq, cf503 dns vs dig, wasm size and time to verdict
bench: setup
    scripts/bench.sh

# Run a fuzz target (raw, har, html, input, redact, dns-answer, doh-body, logs, config, part, gzip) for SECONDS (nightly)
fuzz target="input" seconds="60":
    scripts/fuzz.sh {{target}} {{seconds}}

# Run every fuzz target for SECONDS each; prints execs and crashes per target
fuzz-all seconds="60":
    scripts/fuzz.sh --all {{seconds}}

# The quick tier for the edit-test loop: fmt, clippy, unit, property, fixture and corpus tests.
# No root, no browsers, no DNS servers (the CLI's DNS tests need the harness: `just test`).
check:
    cargo fmt --all -- --check
    just lint-native
    cargo test -p cf503-core --all-features
    cargo test -p cf503 --test cli --test check --test golden

fmt:
    cargo fmt --all

# The clippy passes of `just test`: native, the core with every feature, and the wasm builds
lint: lint-native
    cargo clippy -p cf503-wasm --target wasm32-unknown-unknown -- -D warnings
    cargo clippy -p cf503-wasm --features dns --target wasm32-unknown-unknown -- -D warnings
    cargo clippy -p cf503-wasm --features logs --target wasm32-unknown-unknown -- -D warnings
    cargo clippy -p cf503-core --target wasm32-unknown-unknown --no-default-features --features serde --lib --tests -- -D warnings

lint-native:
    cargo clippy --all-targets -- -D warnings
    cargo clippy -p cf503-core --all-targets --all-features -- -D warnings
