#!/usr/bin/env bash
# `just bench`: prints cf503's figures. Benchmarks, not tests: nothing here passes or fails on
# speed; it reports.
#   1. criterion: parse+diagnose per second for typical responses; HAR parsing of a small file;
#      MB/s on the shapes of hostile input the README's "Limits" are about.
#   2. `cf503 explain --json` on a generated 100 MB HAR against
#      `jq '[.log.entries[] | select(.response.status >= 500)]'` on the same file.
#   3. `cf503 dns` against dig by hand, 4 name servers with a fixed RTT (scripts/bench-dns.sh).
#   4. The web page: wasm size, time to verdict in Chromium, DoH wall time (scripts/bench-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v jq >/dev/null; then
    echo "bench: installing jq (Debian package)"
    apt-get install -y -q jq >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q jq >/dev/null; }
fi

echo "== 1. diagnosis speed (criterion)"
cargo bench -q -p cf503-core --bench diagnose 2>&1 | tee target/bench-criterion.txt | grep -E '^(diagnose|har|hostile)/|time:|thrpt:'

echo
echo "== 2. HAR throughput: cf503 explain --json vs jq, 100 MB HAR"
cargo build -q --release -p cf503-cli
cargo build -q --release -p cf503-core --example gen_har
mkdir -p bench-data
har=bench-data/har-100mb.har
[ -f "$har" ] || ./target/release/examples/gen_har "$har" 100
size=$(stat -c %s "$har")
cat "$har" >/dev/null # warm the page cache for both tools

best() { # best wall time in seconds of N runs of a command
    local n=$1; shift
    local best=""
    for _ in $(seq "$n"); do
        local t0 t1 dt
        t0=$(date +%s.%N)
        "$@" >/dev/null
        t1=$(date +%s.%N)
        dt=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
    done
    echo "$best"
}
command -v bc >/dev/null || apt-get install -y -q bc >/dev/null

cf=$(best 5 ./target/release/cf503 explain --json "$har")
jqt=$(best 3 jq '[.log.entries[] | select(.response.status >= 500)]' "$har")
failing=$(./target/release/cf503 explain --json "$har" | jq '.failing_entries')
jq_failing=$(jq '[.log.entries[] | select(.response.status >= 500)] | length' "$har")
mb=$(echo "$size / 1048576" | bc -l)
printf 'file:            %s (%.1f MB), failing entries: cf503 %s, jq %s\n' "$har" "$mb" "$failing" "$jq_failing"
printf 'cf503 explain:   %.3f s  (%.0f MB/s, best of 5, includes diagnosing and the JSON report)\n' "$cf" "$(echo "$mb / $cf" | bc -l)"
printf 'jq select:       %.3f s  (%.0f MB/s, best of 3)\n' "$jqt" "$(echo "$mb / $jqt" | bc -l)"
printf 'speed-up:        %.1fx (goal: at least 10x)\n' "$(echo "$jqt / $cf" | bc -l)"

echo
echo "== 2b. cf503 logs: a generated 100 MB standard log, plain and gzip, against zcat alone"
cargo build -q --release -p cf503-core --example gen_log
log=bench-data/log-100mb.log
[ -f "$log" ] || ./target/release/examples/gen_log "$log" 100
[ -f "$log.gz" ] || gzip -k -6 "$log"
lmb=$(echo "$(stat -c %s "$log") / 1048576" | bc -l)
lp=$(best 3 ./target/release/cf503 logs --json "$log")
lg=$(best 3 ./target/release/cf503 logs --json "$log.gz")
zc=$(best 3 sh -c "zcat '$log.gz' >/dev/null")
printf 'cf503 logs, plain: %.3f s  (%.0f MB/s of log)\n' "$lp" "$(echo "$lmb / $lp" | bc -l)"
printf 'cf503 logs, gzip:  %.3f s  (%.0f MB/s of log)\n' "$lg" "$(echo "$lmb / $lg" | bc -l)"
printf 'zcat alone:        %.3f s  (%.0f MB/s of log)\n' "$zc" "$(echo "$lmb / $zc" | bc -l)"
./target/release/cf503 logs --sql duckdb "$log.gz" > bench-data/by-cause.sql
dd=$(best 3 python3 tests/logs/sql_check.py duckdb bench-data/by-cause.sql)
printf 'DuckDB, same query: %.3f s  (%.0f MB/s of log; the SQL cf503 generates, gzip input)\n' "$dd" "$(echo "$lmb / $dd" | bc -l)"
/usr/bin/time -f 'peak memory, gzip: %M KB' ./target/release/cf503 logs --json "$log.gz" >/dev/null

echo
echo "== 3. DNS check wall time vs the manual dig procedure"
scripts/bench-dns.sh 50

echo
echo "== 4. the web page: wasm size, time to verdict, DNS checks over a DoH resolver 50 ms away"
scripts/bench-web.sh 50
