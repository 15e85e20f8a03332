#!/usr/bin/env bash
# `just fuzz TARGET SECONDS`: runs one cargo-fuzz target (raw, har, html, input), seeded with the
# test fixtures. Needs the nightly toolchain and cargo-fuzz (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
target=${1:-input}
seconds=${2:-60}
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus=corpus/$target
mkdir -p "$corpus"
cp ../tests/fixtures/responses/* ../tests/fixtures/har/* "$corpus/" 2>/dev/null || true
cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 2>&1 | tail -n 15
