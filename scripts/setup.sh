#!/usr/bin/env bash
# Installs what cf503's build and tests need on a fresh machine of this project's kind
# (Debian 12, Rust via rustup). Idempotent: a no-op when everything is there. Fails loudly.
set -euo pipefail

need_component() {
    if ! rustup component list --installed 2>/dev/null | grep -q "^$1"; then
        echo "setup: rustup component add $1"
        rustup component add "$1"
    fi
}
need_component rustfmt
need_component clippy

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "setup: rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi
