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
# knot's geoip module answers per EDNS Client Subnet (the edges tests, issue 20).
if ! ls /usr/lib/*/knot/modules-*/geoip.so >/dev/null 2>&1; then
    echo "setup: apt-get install knot-module-geoip"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends knot-module-geoip >/dev/null
fi

# botocore: its own CloudFront serializer and parser write the distribution-config fixtures
# (tests/fixtures/config/gen.py), which the tests regenerate and compare.
if ! python3 -c 'import botocore; assert botocore.__version__ == "1.43.11"' 2>/dev/null; then
    echo "setup: pip install botocore"
    python3 -m pip install -q --disable-pip-version-check botocore==1.43.11
fi
# The real SQL engines the logs tests run cf503's generated SQL on (tests/logs/sql_check.py):
# DuckDB, and sqlglot for the Athena/Trino dialects. From PyPI, pinned.
if ! python3 -c 'import duckdb, sqlglot' 2>/dev/null; then
    echo "setup: pip install duckdb sqlglot"
    python3 -m pip install -q --disable-pip-version-check duckdb==1.4.1 sqlglot==30.31.0
fi
