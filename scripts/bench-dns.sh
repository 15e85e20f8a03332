#!/usr/bin/env bash
# `just bench`, DNS part: `cf503 dns` against the manual procedure (dig apex NS +short, then
# dig origin @ns for each server, one after another) on a zone with 4 name servers whose every
# answer dnsdist delays by RTT ms. Prints both wall times and the ratio. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
rtt=${1:-50}
run=target/dns-harness
command -v dnsdist >/dev/null || { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dnsdist >/dev/null; }

started=no
if ! tests/dns/harness.sh status >/dev/null 2>&1; then
    tests/dns/harness.sh start >/dev/null
    started=yes
fi
cleanup() {
    [ -f "$run/dnsdist-bench.pid" ] && kill "$(cat "$run/dnsdist-bench.pid")" 2>/dev/null || true
    rm -f "$run/dnsdist-bench.pid"
    [ "$started" = yes ] && tests/dns/harness.sh stop >/dev/null || true
}
trap cleanup EXIT

cat >"$run/dnsdist-bench.conf" <<CONF
setSecurityPollSuffix('')
setLocal('127.0.0.11:53')
addLocal('127.0.0.12:53')
addLocal('127.0.0.13:53')
addLocal('127.0.0.14:53')
newServer({address='127.0.0.2:53', checkName='quad.example.test.'}):setUp()
-- Every answer, UDP, arrives RTT ms late: a name server far away.
addAction(AllRule(), DelayAction($rtt))
CONF
dnsdist --supervised --disable-syslog -C "$run/dnsdist-bench.conf" >"$run/dnsdist-bench.out" 2>&1 &
echo $! >"$run/dnsdist-bench.pid"
for _ in $(seq 50); do
    dig +time=1 +tries=1 +norec @127.0.0.11 quad.example.test SOA 2>/dev/null | grep -q NOERROR && break
    sleep 0.1
done

cargo build -q --release -p cf503
cf503=./target/release/cf503
origin=www.quad.example.test

manual() {
    for ns in $(dig +short -p 5353 @127.0.0.1 quad.example.test NS); do
        addr=$(dig +short -p 5353 @127.0.0.1 "$ns" A)
        dig +norec +time=2 +tries=1 "@$addr" "$origin" A >/dev/null
    done
}

ms() { # wall ms of a command, best of N
    local n=$1; shift
    local best=999999
    for _ in $(seq "$n"); do
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null
        t1=$(date +%s%N)
        local d=$(( (t1 - t0) / 1000000 ))
        [ "$d" -lt "$best" ] && best=$d
    done
    echo "$best"
}

# Warm the resolver's cache for both (the comparison is about the servers' round trips).
"$cf503" dns "$origin" --resolver 127.0.0.1:5353 >/dev/null
manual
depth=$("$cf503" dns "$origin" --resolver 127.0.0.1:5353 --json | sed -n 's/.*"depth": \([0-9]*\).*/\1/p')
found=$("$cf503" dns "$origin" --resolver 127.0.0.1:5353 --json | grep -c '"aa": true')
tool=$(ms 5 "$cf503" dns "$origin" --resolver 127.0.0.1:5353)
by_hand=$(ms 3 manual)
printf 'zone: quad.example.test, 4 name servers, every answer delayed %d ms (dnsdist)\n' "$rtt"
printf 'cf503 dns:        %5d ms  (query graph depth %s; %s authoritative answers checked; best of 5)\n' "$tool" "$depth" "$found"
printf 'manual dig loop:  %5d ms  (NS +short, then one dig per server, one after another; best of 3)\n' "$by_hand"
printf 'goal:             cf503 <= (depth + 1) x RTT = %d ms, and >= 3x faster than by hand\n' $(( (depth + 1) * rtt ))
printf 'speed-up:         %s x\n' "$(echo "scale=1; $by_hand / $tool" | bc -l)"
