#!/usr/bin/env bash
# Builds the wasm engine for the web page into www/pkg: the size-tuned wasm-release profile,
# then wasm-bindgen (--target web) without the name and producers sections.
# Never --workspace: the CLI's std features would unify into the wasm build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p cf503-wasm --target wasm32-unknown-unknown --profile wasm-release
rm -rf www/pkg
.tools/cargo/bin/wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir www/pkg target/wasm32-unknown-unknown/wasm-release/cf503_wasm.wasm
wasm=$(stat -c %s www/pkg/cf503_wasm_bg.wasm)
gz=$(gzip -9c www/pkg/cf503_wasm_bg.wasm | wc -c)
js=$(gzip -9c www/pkg/cf503_wasm.js | wc -c)
echo "build-web: www/pkg/cf503_wasm_bg.wasm ${wasm} bytes (${gz} gzip) + glue ${js} gzip"
