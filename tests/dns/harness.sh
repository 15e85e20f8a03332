#!/usr/bin/env bash
# The DNS test harness: real servers from Debian's packages, on loopback only.
#
#   127.0.0.2, .5, .7 :53  knotd   authoritative: test., example.test. (DNSSEC-signed at load),
#                                  and the scenario sub-zones (see zones/knot); cloudfront.net.
#                                  answers d111edges per EDNS Client Subnet (mod-geoip, subnet
#                                  mode: 198.51.100.0/24 → .11 .12, 203.0.113.0/24 → .21 .22,
#                                  else .31) and 0.0.127.in-addr.arpa. names those edges
#                                  (`cf503 edges`, issue 20: ask 127.0.0.7 directly, unbound
#                                  does not pass client subnets on)
#   127.0.0.3 :53          nsd     the misbehaving one: another serial for drift.example.test,
#                                  the child side of split.example.test, REFUSED for the rest
#   127.0.0.4 :53          blackhole.py  never answers
#   127.0.0.1 :5353        unbound validating resolver: stub for test. at 127.0.0.7, trust
#                                  anchor = example.test's key, `local-zone: "." refuse` so it can
#                                  never ask the internet
#   127.0.0.1 :8053        dnsdist DNS-over-HTTPS over plain HTTP (/dns-query, with CORS),
#                                  forwarding to unbound: what browsers and `--doh` talk to
#   127.0.0.1 :8054        doh-post-only.py  DoH that refuses GET (405) and forwards POSTs to
#                                  unbound; /silent never answers
#   127.0.0.1 :8056        dnsdist DoH in front of knot (127.0.0.7): passes EDNS Client Subnet
#                                  through, for the page's edges view (issue 20)
#
# Usage: harness.sh start | stop | status.  Needs root (port 53) and the packages that
# scripts/setup.sh installs. State and logs live in target/dns-harness.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
run=$root/target/dns-harness
resolver=127.0.0.1@5353

die() { echo "dns harness: $*" >&2; exit 1; }

stop() {
    for pidfile in "$run"/*.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

up() { # name ip port [+rec]: wait until a server answers SOA
    for _ in $(seq 100); do
        if dig +time=1 +tries=1 "${4:-+norec}" -p "$3" @"$2" "$1" SOA 2>/dev/null | grep -q 'status: NOERROR'; then return 0; fi
        sleep 0.1
    done
    die "$1 did not come up on $2:$3 (logs in $run)"
}

start() {
    [ "$(id -u)" = 0 ] || die "needs root to listen on port 53 of 127.0.0.x"
    for cmd in knotd keymgr nsd unbound dnsdist dig curl python3; do
        command -v "$cmd" >/dev/null || die "$cmd is missing: run scripts/setup.sh"
    done
    stop
    rm -rf "$run"
    mkdir -p "$run/knot/db" "$run/zones" "$run/nsd"
    cp "$here"/zones/knot/*.zone "$run/zones/"
    cp "$here"/zones/nsd/*.zone "$run/nsd/"

    cat >"$run/edges-geo.conf" <<CONF
d111edges.cloudfront.net:
  - net: 198.51.100.0/24
    A: [ 127.0.0.11, 127.0.0.12 ]
  - net: 203.0.113.0/24
    A: [ 127.0.0.21, 127.0.0.22 ]
CONF
    cat >"$run/knot.conf" <<CONF
server:
    rundir: "$run/knot"
    listen: [ 127.0.0.2@53, 127.0.0.5@53, 127.0.0.7@53 ]
    edns-client-subnet: on
log:
  - target: "$run/knot.log"
    any: info
database:
    storage: "$run/knot/db"
mod-geoip:
  - id: edges
    config-file: "$run/edges-geo.conf"
    ttl: 20
    mode: subnet
policy:
  - id: harness
    algorithm: ecdsap256sha256
    single-type-signing: on
template:
  - id: default
    storage: "$run/zones"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: test.
  - domain: example.test.
    dnssec-signing: on
    dnssec-policy: harness
  - domain: other.test.
  - domain: cloudfront.net.
    module: mod-geoip/edges
  - domain: 0.0.127.in-addr.arpa.
  - domain: lame.example.test.
  - domain: slow.example.test.
  - domain: drift.example.test.
  - domain: bogus.example.test.
  - domain: quad.example.test.
  - domain: sfail.example.test.
    file: "$run/zones/missing-on-purpose.zone"
CONF
    knotd -c "$run/knot.conf" >"$run/knotd.out" 2>&1 &
    echo $! >"$run/knotd.pid"

    cat >"$run/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.3
    port: 53
    username: ""
    chroot: ""
    zonesdir: "$run/nsd"
    pidfile: ""
    database: ""
    zonelistfile: "$run/nsd/zone.list"
    xfrdfile: "$run/nsd/xfrd.state"
    xfrdir: "$run/nsd"
    logfile: "$run/nsd.log"
    verbosity: 1
    server-count: 1
remote-control:
    control-enable: no
zone:
    name: drift.example.test
    zonefile: drift.example.test.zone
zone:
    name: split.example.test
    zonefile: split.example.test.zone
CONF
    nsd -d -c "$run/nsd.conf" >"$run/nsd.out" 2>&1 &
    echo $! >"$run/nsd.pid"

    python3 "$here/blackhole.py" 127.0.0.4 53 >"$run/blackhole.out" 2>&1 &
    echo $! >"$run/blackhole.pid"

    up example.test 127.0.0.2 53
    up drift.example.test 127.0.0.3 53

    # Trust example.test's key as signed by knot (it appears once signing is done).
    for _ in $(seq 100); do
        dig +short +norec @127.0.0.2 example.test DNSKEY >"$run/dnskey.txt" 2>/dev/null || true
        [ -s "$run/dnskey.txt" ] && break
        sleep 0.1
    done
    [ -s "$run/dnskey.txt" ] || die "knot did not sign example.test (see $run/knot.log)"
    sed 's/^/example.test. 60 IN DNSKEY /' "$run/dnskey.txt" >"$run/trust-anchor.txt"

    cat >"$run/unbound.conf" <<CONF
server:
    interface: 127.0.0.1@5353
    port: 5353
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    outgoing-interface: 127.0.0.1
    username: ""
    chroot: ""
    directory: "$run"
    pidfile: "$run/unbound.pid.internal"
    use-syslog: no
    logfile: "$run/unbound.log"
    verbosity: 1
    log-servfail: yes
    val-log-level: 2
    ede: yes
    # Debian's backported discard-timeout drops slow recursions without any reply; get a
    # SERVFAIL within ~2 s instead.
    discard-timeout: 0
    infra-cache-max-rtt: 1000
    # Never the internet: the root is refused, only the harness's test. zone is reachable.
    local-zone: "." refuse
    local-zone: "test." transparent
    # A stand-in for CloudFront's own zone (served by knot), so a viewer host's CNAME to a
    # distribution resolves. local-data would not do: unbound does not apply it to CNAME targets.
    local-zone: "cloudfront.net." transparent
    module-config: "validator iterator"
    trust-anchor-file: "$run/trust-anchor.txt"
    cache-max-ttl: 5
    cache-max-negative-ttl: 5
    num-threads: 1
stub-zone:
    name: "test."
    stub-addr: 127.0.0.7
stub-zone:
    name: "cloudfront.net."
    stub-addr: 127.0.0.7
remote-control:
    control-enable: no
CONF
    unbound -d -c "$run/unbound.conf" >"$run/unbound.out" 2>&1 &
    echo $! >"$run/unbound.pid"
    up www.example.test 127.0.0.1 5353 +rec

    # The back ends are forced up (`:setUp()`, no health checks): a check that timed out while
    # unbound was slow under a loaded machine marked it down, and dnsdist then answered every DoH
    # query 403 with no CORS header ("Failed to fetch" in the page: an intermittent test failure).
    # What the tests check is unbound's answers, not dnsdist's view of it.
    cat >"$run/dnsdist.conf" <<CONF
setSecurityPollSuffix('')
setLocal('127.0.0.1:5301')
addDOHLocal('127.0.0.1:8053', nil, nil, '/dns-query', { customResponseHeaders = { ["access-control-allow-origin"] = "*" } })
newServer({ address = '127.0.0.1:5353', checkName = 'www.example.test.' }):setUp()
CONF
    dnsdist --supervised --disable-syslog -C "$run/dnsdist.conf" >"$run/dnsdist.out" 2>&1 &
    echo $! >"$run/dnsdist.pid"
    for _ in $(seq 100); do
        curl -s -o /dev/null -w '%{http_code}' -H 'accept: application/dns-message' \
            'http://127.0.0.1:8053/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlBHRlc3QAAAEAAQ' 2>/dev/null | grep -q 200 && break
        sleep 0.1
    done
    curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:8053/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlBHRlc3QAAAEAAQ' | grep -q 200 \
        || die "dnsdist DoH did not come up on 127.0.0.1:8053 (see $run/dnsdist.out)"
    # A second DoH front, straight to knot: the client's subnet reaches the geoip module.
    cat >"$run/dnsdist-edges.conf" <<CONF
setSecurityPollSuffix('')
setLocal('127.0.0.1:5304')
addDOHLocal('127.0.0.1:8056', nil, nil, '/dns-query', { customResponseHeaders = { ["access-control-allow-origin"] = "*" } })
newServer({ address = '127.0.0.7:53', checkName = 'd111edges.cloudfront.net.' }):setUp()
CONF
    dnsdist --supervised --disable-syslog -C "$run/dnsdist-edges.conf" >"$run/dnsdist-edges.out" 2>&1 &
    echo $! >"$run/dnsdist-edges.pid"
    python3 "$here/doh-post-only.py" 127.0.0.1 8054 5353 >"$run/doh-post-only.out" 2>&1 &
    echo $! >"$run/doh-post-only.pid"
    for _ in $(seq 100); do
        curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8054/dns-query 2>/dev/null | grep -q 405 && break
        sleep 0.1
    done
    curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8054/dns-query | grep -q 405 \
        || die "the POST-only DoH did not come up on 127.0.0.1:8054 (see $run/doh-post-only.out)"
    for _ in $(seq 100); do
        dig +https-get=/dns-query -p 8056 +http-plain @127.0.0.1 d111edges.cloudfront.net A +subnet=198.51.100.7/24 2>/dev/null | grep -q 127.0.0.11 && break
        sleep 0.1
    done
    dig +https-get=/dns-query -p 8056 +http-plain @127.0.0.1 d111edges.cloudfront.net A +subnet=198.51.100.7/24 2>/dev/null | grep -q 127.0.0.11 \
        || die "the edges DoH (dnsdist to knot, client subnets through) did not come up on 127.0.0.1:8056 (see $run/dnsdist-edges.out)"
    echo "dns harness: up (resolver $resolver; logs in $run)"
}

status() {
    dig +time=1 +tries=1 -p 5353 @127.0.0.1 www.example.test A | grep -q 'status: NOERROR' \
        && echo "dns harness: up" || { echo "dns harness: down"; exit 1; }
}

case "${1:-}" in
    start) start ;;
    stop) stop; echo "dns harness: stopped" ;;
    status) status ;;
    *) die "usage: $0 start|stop|status" ;;
esac
