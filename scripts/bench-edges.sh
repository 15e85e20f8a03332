#!/usr/bin/env bash
# `just bench`, edges part: `cf503 edges` against the manual procedure it replaces (dig +subnet
# per place, dig -x per edge, curl --resolve twice per edge, one after another), on the DNS
# harness and five loopback edges that answer DELAY ms late. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
delay=${1:-50}
port=18081
started=no
if ! tests/dns/harness.sh status >/dev/null 2>&1; then
    tests/dns/harness.sh start >/dev/null
    started=yes
fi
python3 scripts/lib/loopback_edges.py "$port" "$delay" >/dev/null 2>&1 &
edges_pid=$!
cleanup() {
    kill "$edges_pid" 2>/dev/null || true
    [ "$started" = yes ] && tests/dns/harness.sh stop >/dev/null || true
}
trap cleanup EXIT
sleep 0.5
cargo build -q --release -p cf503
name=d111edges.cloudfront.net
url=http://$name:$port/app
subnets=(198.51.100.0/24 203.0.113.0/24 192.0.2.0/24)

manual() {
    for s in "${subnets[@]}"; do
        for a in $(dig +short @127.0.0.7 "$name" A +subnet="$s"); do
            dig +short @127.0.0.7 -x "$a" >/dev/null
            for _ in 1 2; do curl -s -o /dev/null -D - --resolve "$name:$port:$a" "$url" >/dev/null; done
        done
    done
}
ours() {
    ./target/release/cf503 edges "$url" --resolver 127.0.0.7:53 \
        --subnet "${subnets[0]}" --subnet "${subnets[1]}" --subnet "${subnets[2]}" --json
}
ms() { # best wall ms of N runs
    local n=$1; shift
    local best=999999
    for _ in $(seq "$n"); do
        local t0 t1 d
        t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
        d=$(( (t1 - t0) / 1000000 )); [ "$d" -lt "$best" ] && best=$d
    done
    echo "$best"
}
verdict=$(ours | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["verdict"]["kind"], v["verdict"].get("pop",""), len(v["edges"]), "edges")')
m=$(ms 3 manual)
c=$(ms 5 ours)
printf 'edges answering %s ms late, 3 places: %s\n' "$delay" "$verdict"
printf 'manual (dig +subnet, dig -x, curl --resolve x2, in turn): %d ms; cf503 edges: %d ms (%.1fx)\n' \
    "$m" "$c" "$(echo "$m / $c" | bc -l)"
