#!/usr/bin/env bash
# `just bench`, web part: wasm size, time to verdict in Chromium (page and extension), DNS check
# wall time over a DoH resolver whose every answer dnsdist delays by RTT ms; logs on the page beside
# DuckDB-wasm (tests/e2e/bench-logs-web.mjs). That resolver speaks
# DoH over TLS with HTTP/2, like public resolvers (over plain HTTP/1.1 Chromium would queue the
# queries behind its 6 connections per host); its certificate is made here, self-signed, and
# only the benchmark's Chromium ignores certificate errors.
set -euo pipefail
cd "$(dirname "$0")/.."
rtt=${1:-50}
run=target/dns-harness
scripts/install-web-tools.sh
scripts/build-web.sh
started=no
if ! tests/dns/harness.sh status >/dev/null 2>&1; then tests/dns/harness.sh start >/dev/null; started=yes; fi
cleanup() {
    for p in "$run"/dnsdist-doh-bench*.pid; do
        [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
        rm -f "$p"
    done
    [ "$started" = yes ] && tests/dns/harness.sh stop >/dev/null || true
}
trap cleanup EXIT
# dnsdist delays only UDP answers, so two of them: a UDP hop that delays every answer by RTT,
# behind a DoH frontend.
cat >"$run/dnsdist-doh-bench-delay.conf" <<CONF
setSecurityPollSuffix('')
setLocal('127.0.0.1:5303')
newServer({ address = '127.0.0.1:5353', checkName = 'www.example.test.' }):setUp()
addAction(AllRule(), DelayAction($rtt))
CONF
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$run/doh-bench.key" -out "$run/doh-bench.crt" 2>/dev/null
cat >"$run/dnsdist-doh-bench.conf" <<CONF
setSecurityPollSuffix('')
setLocal('127.0.0.1:5302')
addDOHLocal('127.0.0.1:8055', '$run/doh-bench.crt', '$run/doh-bench.key', '/dns-query', { customResponseHeaders = { ["access-control-allow-origin"] = "*" } })
newServer({ address = '127.0.0.1:5303', checkName = 'www.example.test.', checkTimeout = 2000 }):setUp()
-- Answers must not come from dnsdist's cache (there is none by default) so every one pays RTT.
CONF
dnsdist --supervised --disable-syslog -C "$run/dnsdist-doh-bench-delay.conf" >"$run/dnsdist-doh-bench-delay.out" 2>&1 &
echo $! >"$run/dnsdist-doh-bench-delay.pid"
dnsdist --supervised --disable-syslog -C "$run/dnsdist-doh-bench.conf" >"$run/dnsdist-doh-bench.out" 2>&1 &
echo $! >"$run/dnsdist-doh-bench.pid"
for _ in $(seq 50); do
    curl -sk -o /dev/null -w '%{http_code}' 'https://127.0.0.1:8055/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlBHRlc3QAAAEAAQ' 2>/dev/null | grep -q 200 && break
    sleep 0.1
done
one=$(curl -sk -o /dev/null -w '%{time_total}' 'https://127.0.0.1:8055/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlBHRlc3QAAAEAAQ')
echo "one DoH answer through the delayed resolver: ${one} s"
(cd tests/e2e && node bench-web.mjs "https://127.0.0.1:8055/dns-query" "$rtt")
# Logs on the page beside DuckDB-wasm in the same Chromium (npm, pinned, kept out of the
# tests' dependencies: target/bench-npm).
duckdb_wasm=1.32.0
if [ "$(node -p "require('./target/bench-npm/node_modules/@duckdb/duckdb-wasm/package.json').version" 2>/dev/null)" != "$duckdb_wasm" ]; then
    mkdir -p target/bench-npm
    (cd target/bench-npm && npm install --no-audit --no-fund --silent "@duckdb/duckdb-wasm@$duckdb_wasm" >/dev/null)
fi
(cd tests/e2e && node bench-logs-web.mjs)
scripts/build-extension.sh --test >/dev/null
(cd tests/e2e && node bench-extension.mjs "https://127.0.0.1:8055/dns-query" "$rtt")
