#!/usr/bin/env bash
# Builds the wasm engine for the web page into www/pkg: the size-tuned wasm-release profile (the
# log reader: the speed-tuned wasm-speed one),
# then wasm-bindgen (--target web) without the name and producers sections. Two modules from
# the one crate: cf503_wasm (what the first verdict needs) and cf503_dns (the same plus the DNS
# checks over DoH, feature `dns`), which front ends load only when a DNS check runs; and
# cf503_logs (feature `logs`), the access-log reader the page's Web Worker loads.
# Never --workspace: the CLI's std features would unify into the wasm build.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf www/pkg
bindgen() { # $1 = out name, $2 = profile (wasm-release by default)
    .tools/cargo/bin/wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
        --out-dir www/pkg --out-name "$1" "target/wasm32-unknown-unknown/${2:-wasm-release}/cf503_wasm.wasm"
    local wasm gz js
    wasm=$(stat -c %s "www/pkg/$1_bg.wasm")
    gz=$(gzip -9c "www/pkg/$1_bg.wasm" | wc -c)
    js=$(gzip -9c "www/pkg/$1.js" | wc -c)
    echo "build-web: www/pkg/$1_bg.wasm ${wasm} bytes (${gz} gzip) + glue ${js} gzip"
}
# Both builds write the same target file: each is bound before the next starts.
cargo build -q -p cf503-wasm --target wasm32-unknown-unknown --profile wasm-release
bindgen cf503_wasm
cargo build -q -p cf503-wasm --features dns --target wasm32-unknown-unknown --profile wasm-release
bindgen cf503_dns
# The log reader is built for speed, not size (it reads hundreds of megabytes; only the logs
# worker loads it), with wasm SIMD (Chromium 91+, Firefox 89+): 100 MB of error-heavy logs in
# 249 ms instead of 722 ms in V8, realistic ones in 83 ms instead of 245 ms.
RUSTFLAGS="-C target-feature=+simd128" \
    cargo build -q -p cf503-wasm --features logs --target wasm32-unknown-unknown --profile wasm-speed
bindgen cf503_logs wasm-speed
# What `just serve` checks before serving www/pkg without building (scripts/web-inputs.sh).
scripts/web-inputs.sh --write
