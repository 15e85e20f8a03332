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

# The DNS test harness (tests/dns/harness.sh): real servers from Debian's packages.
missing=()
for pair in knotd:knot keymgr:knot nsd:nsd unbound:unbound dnsdist:dnsdist dig:bind9-dnsutils curl:curl python3:python3; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
