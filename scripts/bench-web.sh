#!/usr/bin/env bash
# `just bench`, web part: wasm size, time to verdict in Chromium, DNS check wall time over a DoH
# resolver whose every answer dnsdist delays by RTT ms.
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
newServer({ address = '127.0.0.1:5353', checkName = 'www.example.test.' })
addAction(AllRule(), DelayAction($rtt))
CONF
cat >"$run/dnsdist-doh-bench.conf" <<CONF
setSecurityPollSuffix('')
setLocal('127.0.0.1:5302')
addDOHLocal('127.0.0.1:8054', nil, nil, '/dns-query', { customResponseHeaders = { ["access-control-allow-origin"] = "*" } })
newServer({ address = '127.0.0.1:5303', checkName = 'www.example.test.', checkTimeout = 2000 })
-- Answers must not come from dnsdist's cache (there is none by default) so every one pays RTT.
CONF
dnsdist --supervised --disable-syslog -C "$run/dnsdist-doh-bench-delay.conf" >"$run/dnsdist-doh-bench-delay.out" 2>&1 &
echo $! >"$run/dnsdist-doh-bench-delay.pid"
dnsdist --supervised --disable-syslog -C "$run/dnsdist-doh-bench.conf" >"$run/dnsdist-doh-bench.out" 2>&1 &
echo $! >"$run/dnsdist-doh-bench.pid"
for _ in $(seq 50); do
    curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:8054/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlBHRlc3QAAAEAAQ' 2>/dev/null | grep -q 200 && break
    sleep 0.1
done
one=$(curl -s -o /dev/null -w '%{time_total}' 'http://127.0.0.1:8054/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlBHRlc3QAAAEAAQ')
echo "one DoH answer through the delayed resolver: ${one} s"
(cd tests/e2e && node bench-web.mjs "http://127.0.0.1:8054/dns-query" "$rtt")
