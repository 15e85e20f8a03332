# cf503: the front door. `just --list` shows the recipes.
set shell := ["bash", "-euo", "pipefail", "-c"]

example := "tests/fixtures/responses/lambda_edge_execution--serverless-next.http"

# Diagnose a bundled example (or FILE): what cf503 is for
demo file=example:
    cargo run -q --release -p cf503-cli -- explain {{file}}

# Install what building and testing need on a fresh machine (idempotent)
setup:
    scripts/setup.sh

# Every test: formatting, lints, unit/property/fixture/CLI tests, the no_std build
test: setup
    cargo fmt --all -- --check
    cargo clippy --all-targets -- -D warnings
    cargo clippy -p cf503-core --all-targets --all-features -- -D warnings
    cargo test --workspace
    cargo test -p cf503-core --all-features
    just no-std

# cf503-core must build without std for wasm32, and no dependency may turn std on
no-std:
    cargo build -p cf503-core --no-default-features --features serde --target wasm32-unknown-unknown
    scripts/check-no-std.sh

# Figures: diagnoses per second, HAR throughput against jq on a generated 100 MB HAR
bench: setup
    scripts/bench.sh

# Run a fuzz target (raw, har, html, input) for SECONDS (needs the nightly toolchain)
fuzz target="input" seconds="60":
    scripts/fuzz.sh {{target}} {{seconds}}

fmt:
    cargo fmt --all

lint:
    cargo clippy --all-targets -- -D warnings
