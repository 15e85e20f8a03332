#!/usr/bin/env bash
# Installs what cf503's build and tests need on a fresh machine of this project's kind
# (Debian 12, Rust via rustup). Idempotent: a no-op when everything is there. Fails loudly.
set -euo pipefail
. "$(dirname "$0")/lib/install.sh"

need_component() {
    if ! rustup component list --installed 2>/dev/null | grep -q "^$1"; then
        echo "setup: rustup component add $1"
        rustup component add "$1"
    fi
}
need_component rustfmt
need_component clippy

need_wasm_target setup

# The DNS test harness (tests/dns/harness.sh): real servers from Debian's packages.
need_commands setup knotd:knot keymgr:knot nsd:nsd unbound:unbound dnsdist:dnsdist \
    dig:bind9-dnsutils curl:curl python3:python3
