#!/usr/bin/env bash
# `just bench`: prints cf503's figures. Benchmarks, not tests: nothing here passes or fails on
# speed; it reports.
#   1. criterion: parse+diagnose per second for typical responses; HAR parsing of a small file;
#      MB/s on the shapes of hostile input the README's "Limits" are about.
#   2. `cf503 explain --json` on a generated 100 MB HAR against
#      `jq '[.log.entries[] | select(.response.status >= 500)]'` on the same file.
#   2b also runs the DuckDB CLI (a lean query) and polars (lazy scan) on the same logs, whole
#      processes, with the 5xx totals checked equal, and `wc -l` as the line-count limit; at
#      1 GB of gzip, the fastest decoders alone (zlib-rs, ISA-L's igzip, rapidgzip on every core):
#      the ceiling of any reader of that file.
#   2c. `cf503 logs` on the audit's hostile log shapes: wall time and peak memory.
#   3. `cf503 dns` against dig by hand, 4 name servers with a fixed RTT (scripts/bench-dns.sh).
#   4. The web page: wasm size, time to verdict in Chromium, DoH wall time (scripts/bench-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in jq:jq time:/usr/bin/time isal:igzip; do
    if ! command -v "${tool#*:}" >/dev/null; then
        echo "bench: installing ${tool%%:*} (Debian package)"
        apt-get install -y -q "${tool%%:*}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${tool%%:*}" >/dev/null; }
    fi
done

# The tools users would pick instead, for the logs comparison (PyPI).
python3 -c 'import duckdb_cli' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check duckdb-cli==1.5.6
python3 -c 'import polars' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check polars==2.1.0
# The fastest gzip decoders a user could put in front of any reader: ISA-L's igzip (Debian
# `isal`, above) and rapidgzip, which decodes one gzip stream on several cores.
command -v rapidgzip >/dev/null || python3 -m pip install -q --disable-pip-version-check rapidgzip==0.16.1
hash -r
# The DuckDB CLI itself, not pip's `duckdb` launcher (a Python script that starts it, behind a
# pyenv shim: 0.1-0.2 s of Python start-up in every timing, which is not DuckDB's).
duckdb_bin=$(python3 -c 'import duckdb_cli, os; print(os.path.join(os.path.dirname(duckdb_cli.__file__), "duckdb"))')
[ -x "$duckdb_bin" ] || { echo "bench: the DuckDB CLI binary is missing ($duckdb_bin)" >&2; exit 1; }
duckdb() { "$duckdb_bin" "$@"; }

echo "== 1. diagnosis speed (criterion)"
cargo bench -q -p cf503-core --bench diagnose 2>&1 | tee target/bench-criterion.txt | grep -E '^(diagnose|har|hostile)/|time:|thrpt:'

echo
echo "== 2. HAR throughput: cf503 explain --json vs jq, 100 MB HAR"
cargo build -q --release -p cf503
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

har4=bench-data/har-4xx-100mb.har
[ -f "$har4" ] || ./target/release/examples/gen_har "$har4" 100 4xx
cat "$har4" >/dev/null
cf4=$(best 5 ./target/release/cf503 explain --json "$har4")
jq4=$(best 3 jq '[.log.entries[] | select(.response.status >= 500)]' "$har4")
printf 'many small 4xx:  cf503 %.3f s, jq %.3f s: %.1fx (goal: at least 10x)\n' "$cf4" "$jq4" "$(echo "$jq4 / $cf4" | bc -l)"

echo
echo "== 2b. cf503 logs: 100 MB of generated standard logs, side by side with DuckDB, zcat and the decoder alone"
cargo build -q --release -p cf503-core --example gen_log
cargo build -q --release -p cf503 --example gunzip_only
log=bench-data/log-100mb.log
many=bench-data/logs-gz
[ -f "$log" ] || ./target/release/examples/gen_log "$log" 100
[ -f "$log.gz" ] || gzip -k -6 "$log"
if [ ! -d "$many" ]; then ./target/release/examples/gen_log "$many" 100 16 && gzip -6 "$many"/*; fi
# The same 16 files uncompressed (the web page's several-files row).
if [ ! -d bench-data/logs-plain ]; then
    mkdir -p bench-data/logs-plain.tmp
    for f in "$many"/*.gz; do zcat "$f" >"bench-data/logs-plain.tmp/$(basename "$f" .gz)"; done
    mv bench-data/logs-plain.tmp bench-data/logs-plain
fi
lmb=$(echo "$(stat -c %s "$log") / 1000000" | bc -l)
gmb=$(echo "$(stat -c %s "$log.gz") / 1000000" | bc -l)
# DuckDB's own query time, best of 3 (the Python start-up and import left out).
duckdb_seconds() {
    for _ in 1 2 3; do python3 tests/logs/sql_check.py duckdb-seconds "$1"; done | sort -n | head -1
}
rate() { printf '%-44s %.3f s  %5.0f MB/s of log\n' "$1" "$2" "$(echo "$lmb / $2" | bc -l)"; }
printf 'input: %.0f MB of log (one file, and 16 files as CloudFront writes them); gzip -6: %.1f MB\n' "$lmb" "$gmb"
lp=$(best 5 ./target/release/cf503 logs --json "$log")
rate "cf503 logs, uncompressed (goal >= 1000):" "$lp"
lg16=$(best 5 ./target/release/cf503 logs --json "$many")
dec16=$(best 5 ./target/release/examples/gunzip_only "$many"/*.gz)
zc16=$(best 3 sh -c "zcat $many/*.gz >/dev/null")
./target/release/cf503 logs --sql duckdb "$many/*.gz" > bench-data/by-cause.sql
dd16=$(duckdb_seconds bench-data/by-cause.sql)
rate "cf503 logs, 16 gzip files:" "$lg16"
rate "  the same decoder alone, same threads:" "$dec16"
rate "  zcat alone:" "$zc16"
rate "  DuckDB, the SQL cf503 generates (query only):" "$dd16"
printf '  cf503 vs DuckDB: %.1fx (goal >= 3x); vs zcat: %.0f %%; vs the decoder alone: %.0f %%\n' \
    "$(echo "$dd16 / $lg16" | bc -l)" "$(echo "100 * $zc16 / $lg16" | bc -l)" "$(echo "100 * $dec16 / $lg16" | bc -l)"
lg1=$(best 5 ./target/release/cf503 logs --json "$log.gz")
dec1=$(best 5 ./target/release/examples/gunzip_only "$log.gz")
zc1=$(best 3 sh -c "zcat '$log.gz' >/dev/null")
./target/release/cf503 logs --sql duckdb "$log.gz" > bench-data/by-cause-1.sql
dd1=$(duckdb_seconds bench-data/by-cause-1.sql)
rate "cf503 logs, one gzip file:" "$lg1"
rate "  the same decoder alone:" "$dec1"
rate "  zcat alone:" "$zc1"
rate "  DuckDB (query only):" "$dd1"
printf '  cf503 vs DuckDB: %.1fx; vs zcat: %.0f %%; vs the decoder alone: %.0f %% (goal >= 90 %%)\n' \
    "$(echo "$dd1 / $lg1" | bc -l)" "$(echo "100 * $zc1 / $lg1" | bc -l)" "$(echo "100 * $dec1 / $lg1" | bc -l)"
# What users would type instead, whole processes (start-up included, as they would run them):
# the DuckDB CLI with a lean query (all text, the 5xx by detailed result type and minute) and
# polars lazily; the 5xx totals must agree with cf503's.
lean_sql() { # $1 = file or glob
    echo "SELECT column28, column00 || ' ' || substr(column01, 1, 5) AS minute, count(*) AS errors
      FROM read_csv('$1', delim='\t', skip=2, header=false, all_varchar=true, quote='', ignore_errors=true)
      WHERE TRY_CAST(column08 AS INT) >= 500 GROUP BY ALL"
}
cf_errors() { # $1 = file or folder: the 5xx cf503 counts
    ./target/release/cf503 logs --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["errors"])'
}
lean_total() { # $1 = file or glob: the 5xx DuckDB counts
    duckdb -noheader -list -c "SELECT count(*) FROM read_csv('$1', delim='\t', skip=2, header=false, all_varchar=true, quote='', ignore_errors=true) WHERE TRY_CAST(column08 AS INT) >= 500"
}
gzip_row() { # $1 = MB of text, $2 = what the input is, $3 = one gzip file: says the input and
    # checks the 5xx totals agree, then times cf503, the decoder alone and the DuckDB CLI on it
    # (into gz_cf, gz_dec, gz_duck)
    printf 'input: %.0f MB %s (%.0f MB); the same 5xx: cf503 %s, DuckDB CLI %s\n' "$1" "$2" \
        "$(echo "$(stat -c %s "$3") / 1000000" | bc -l)" "$(cf_errors "$3")" "$(lean_total "$3")"
    gz_cf=$(best 3 ./target/release/cf503 logs --json "$3")
    gz_dec=$(best 3 ./target/release/examples/gunzip_only "$3")
    gz_duck=$(best 3 duckdb -c "$(lean_sql "$3")")
}
cf_total=$(cf_errors "$log")
printf 'the same 5xx in every tool: cf503 %s, DuckDB CLI %s, polars %s\n' "$cf_total" "$(lean_total "$log")" "$(python3 scripts/lib/polars_baseline.py "$log")"
dcli=$(best 3 duckdb -c "$(lean_sql "$log")")
dcli16=$(best 3 duckdb -c "$(lean_sql "$many/*.gz")")
dcli1=$(best 3 duckdb -c "$(lean_sql "$log.gz")")
pol=$(best 3 python3 scripts/lib/polars_baseline.py "$log")
wcl=$(best 5 wc -l "$log")
rate "DuckDB CLI, lean query, uncompressed:" "$dcli"
rate "polars lazy scan, uncompressed:" "$pol"
rate "wc -l alone (the line-count limit):" "$wcl"
rate "DuckDB CLI, lean query, 16 gzip files:" "$dcli16"
rate "DuckDB CLI, lean query, one gzip file:" "$dcli1"
printf '  cf503 vs the DuckDB CLI: %.1fx uncompressed, %.1fx 16 gzip files, %.1fx one gzip file; vs polars: %.1fx\n' \
    "$(echo "$dcli / $lp" | bc -l)" "$(echo "$dcli16 / $lg16" | bc -l)" "$(echo "$dcli1 / $lg1" | bc -l)" "$(echo "$pol / $lp" | bc -l)"

echo
echo "== 2b'. the realistic shape: a busy site's 35-field logs, about 2 % 5xx, long agents and queries"
real=bench-data/realistic-100mb.log
[ -f "$real" ] || ./target/release/examples/gen_log "$real" 100 1 realistic
[ -f "$real.gz" ] || gzip -k -6 "$real"
lmb=$(echo "$(stat -c %s "$real") / 1000000" | bc -l)
real_total=$(cf_errors "$real")
printf 'input: %.0f MB; the same 5xx in every tool: cf503 %s, DuckDB CLI %s, polars %s\n' "$lmb" "$real_total" "$(lean_total "$real")" "$(python3 scripts/lib/polars_baseline.py "$real")"
rp=$(best 5 ./target/release/cf503 logs --json "$real")
rg=$(best 5 ./target/release/cf503 logs --json "$real.gz")
rdec=$(best 5 ./target/release/examples/gunzip_only "$real.gz")
rdcli=$(best 3 duckdb -c "$(lean_sql "$real")")
rdclig=$(best 3 duckdb -c "$(lean_sql "$real.gz")")
rpol=$(best 3 python3 scripts/lib/polars_baseline.py "$real")
rwcl=$(best 5 wc -l "$real")
rate "cf503 logs, uncompressed (goal >= 2000):" "$rp"
rate "DuckDB CLI, lean query, uncompressed:" "$rdcli"
rate "polars lazy scan, uncompressed:" "$rpol"
rate "wc -l alone (the line-count limit):" "$rwcl"
rate "cf503 logs, gzip:" "$rg"
rate "  the same decoder alone:" "$rdec"
rate "DuckDB CLI, lean query, gzip:" "$rdclig"
printf '  cf503 vs the DuckDB CLI: %.1fx uncompressed, %.1fx gzip (goal >= 3x); vs polars: %.1fx; vs wc -l: %.0f %%; gzip vs the decoder alone: %.0f %% (goal >= 90 %%)\n' \
    "$(echo "$rdcli / $rp" | bc -l)" "$(echo "$rdclig / $rg" | bc -l)" "$(echo "$rpol / $rp" | bc -l)" "$(echo "100 * $rwcl / $rp" | bc -l)" "$(echo "100 * $rdec / $rg" | bc -l)"
/usr/bin/time -f 'peak memory, 100 MB gzip:          %M KB' ./target/release/cf503 logs --json "$log.gz" >/dev/null
/usr/bin/time -f 'peak memory, 1 GB through a pipe:  %M KB (goal <= 65536, and flat)' \
    sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do cat '$log'; done | ./target/release/cf503 logs --json - >/dev/null"


echo
echo "== 2b''. at 1 GB, and 160 files (a busy day's delivery): cf503 beside the DuckDB CLI and the decoder"
big=bench-data/log-1gb.log
if [ ! -f "$big" ]; then
    # Ten copies of the 100 MB error-heavy log, one header kept (the rest are its lines).
    { head -2 "$log"; for _ in 1 2 3 4 5 6 7 8 9 10; do tail -n +3 "$log"; done; } >"$big"
fi
bigreal=bench-data/realistic-1gb.log.gz
if [ ! -f "$bigreal" ]; then
    { head -2 "$real"; for _ in 1 2 3 4 5 6 7 8 9 10; do tail -n +3 "$real"; done; } | gzip -6 >"$bigreal"
fi
files160=bench-data/realistic-160
if [ ! -d "$files160" ]; then ./target/release/examples/gen_log "$files160" 100 160 realistic && gzip -6 "$files160"/*; fi
cat "$big" >/dev/null
bmb=$(echo "$(stat -c %s "$big") / 1000000" | bc -l)
lmb=$bmb
printf 'input: %.0f MB error-heavy plain; the same 5xx: cf503 %s, DuckDB CLI %s\n' "$bmb" \
    "$(cf_errors "$big")" "$(lean_total "$big")"
bp=$(best 3 ./target/release/cf503 logs --json "$big")
bd=$(best 3 duckdb -c "$(lean_sql "$big")")
rate "cf503 logs, 1 GB uncompressed:" "$bp"
rate "DuckDB CLI, lean query, 1 GB uncompressed:" "$bd"
printf '  cf503 vs the DuckDB CLI at 1 GB: %.1fx (goal >= 3x)\n' "$(echo "$bd / $bp" | bc -l)"
# The other two cells of the 1 GB row (issue 23: both shapes, plain and gzip): the error-heavy
# log as one gzip file, the realistic one uncompressed. Both made once from the files above.
biggz=$big.gz
[ -f "$biggz" ] || gzip -6 -c "$big" >"$biggz"
gzip_row "$bmb" "error-heavy as one gzip file" "$biggz"
bz=$gz_cf bzd=$gz_dec bzq=$gz_duck
rate "cf503 logs, 1 GB error-heavy gzip:" "$bz"
rate "  the same decoder alone (zlib-rs):" "$bzd"
rate "DuckDB CLI, lean query, 1 GB error-heavy gzip:" "$bzq"
printf '  cf503 vs the DuckDB CLI: %.1fx (goal >= 3x; the decoder alone: %.1fx); vs the decoder alone: %.0f %% (goal >= 90 %%)\n' \
    "$(echo "$bzq / $bz" | bc -l)" "$(echo "$bzq / $bzd" | bc -l)" "$(echo "100 * $bzd / $bz" | bc -l)"
bigrealplain=bench-data/realistic-1gb.log
[ -f "$bigrealplain" ] || zcat "$bigreal" >"$bigrealplain"
cat "$bigrealplain" >/dev/null
lmb=$(echo "$(stat -c %s "$bigrealplain") / 1000000" | bc -l)
printf 'input: %.0f MB of the realistic shape uncompressed; the same 5xx: cf503 %s, DuckDB CLI %s\n' "$lmb" \
    "$(cf_errors "$bigrealplain")" "$(lean_total "$bigrealplain")"
brp=$(best 3 ./target/release/cf503 logs --json "$bigrealplain")
brd=$(best 3 duckdb -c "$(lean_sql "$bigrealplain")")
brw=$(best 3 wc -l "$bigrealplain")
rate "cf503 logs, 1 GB realistic uncompressed:" "$brp"
rate "  wc -l alone:" "$brw"
rate "DuckDB CLI, lean query, 1 GB realistic:" "$brd"
printf '  cf503 vs the DuckDB CLI: %.1fx (goal >= 3x); %.0f MB/s (goal >= 2000)\n' \
    "$(echo "$brd / $brp" | bc -l)" "$(echo "$lmb / $brp" | bc -l)"
lmb=$(echo "$(zcat "$bigreal" | wc -c) / 1000000" | bc -l)
gzip_row "$lmb" "of the realistic shape as one gzip file" "$bigreal"
bg=$gz_cf bgd=$gz_dec bgq=$gz_duck
bgi=$(best 3 sh -c "igzip -d -c '$bigreal' >/dev/null")
bgr=$(best 3 sh -c "rapidgzip -P $(nproc) -d -c '$bigreal' >/dev/null")
rate "cf503 logs, 1 GB gzip:" "$bg"
rate "  the same decoder alone (zlib-rs):" "$bgd"
rate "  igzip alone (ISA-L):" "$bgi"
rate "  rapidgzip alone, one stream on $(nproc) cores:" "$bgr"
rate "DuckDB CLI, lean query, 1 GB gzip:" "$bgq"
printf '  cf503 vs the DuckDB CLI: %.1fx (goal >= 3x); vs the decoder alone: %.0f %% (goal >= 90 %%)\n' "$(echo "$bgq / $bg" | bc -l)" "$(echo "100 * $bgd / $bg" | bc -l)"
# No reader can be faster than the fastest decoder of its input: the ceiling for this row.
fastest=$(printf '%s\n' "$bgd" "$bgi" "$bgr" | sort -g | head -1)
printf '  the fastest decoder alone vs the DuckDB CLI: %.1fx (the ceiling of any reader of this file here)\n' "$(echo "$bgq / $fastest" | bc -l)"
lmb=$(echo "$(zcat "$files160"/*.gz | wc -c) / 1000000" | bc -l)
f1=$(best 3 ./target/release/cf503 logs --json "$files160")
fd=$(best 3 ./target/release/examples/gunzip_only "$files160"/*.gz)
fq=$(best 3 duckdb -c "$(lean_sql "$files160/*.gz")")
rate "cf503 logs, 160 gzip files (realistic):" "$f1"
rate "  the same decoder alone, same threads:" "$fd"
rate "DuckDB CLI, lean query, 160 gzip files:" "$fq"
printf '  cf503 vs the DuckDB CLI: %.1fx; vs the decoder alone: %.0f %%\n' "$(echo "$fq / $f1" | bc -l)" "$(echo "100 * $fd / $f1" | bc -l)"
/usr/bin/time -f 'peak memory, 160 gzip files:      %M KB (goal <= 65536)' ./target/release/cf503 logs --json "$files160" >/dev/null
/usr/bin/time -f 'peak memory, 1 GB plain file:     %M KB (goal <= 65536)' ./target/release/cf503 logs --json "$big" >/dev/null

echo
echo "== 2c. cf503 logs on hostile variety (audit 2026-12b L7-L10, L14): wall time and peak memory"
python3 scripts/lib/gen_hostile_logs.py bench-data/hostile
printf "%-16s %10s %10s %12s %12s\n" input "gzip MB" "text MB" "wall" "peak MiB"
for f in pops-long paths-long minutes-1m pops-5m fields-1m; do
    file=bench-data/hostile/$f.gz
    for mode in text json; do
        flag=""; [ "$mode" = json ] && flag=--json
        # The fields-1m file is no log (exit 2): its time is the point.
        /usr/bin/time -o target/bench-time.txt -f '%e %M' ./target/release/cf503 logs $flag "$file" >/dev/null 2>&1 || true
        read -r secs kb < <(tail -1 target/bench-time.txt)
        printf '%-16s %10.1f %10.0f %12s %12.1f  (%s)\n' "$f" "$(echo "$(stat -c %s "$file") / 1000000" | bc -l)" \
            "$(zcat "$file" | wc -c | awk '{print $1 / 1e6}')" "$secs s" "$(echo "$kb / 1024" | bc -l)" "$mode"
    done
done

echo
echo "== 2d. the distribution config: a 1,000-distribution list-distributions, the request's distribution found by Host"
dists=bench-data/list-distributions-1000.json
[ -f "$dists" ] || python3 scripts/lib/gen_dist_list.py 1000 "$dists"
dmb=$(echo "$(stat -c %s "$dists") / 1000000" | bc -l)
resp=tests/fixtures/responses/lambda_edge_execution--serverless-next.http
cfc=$(best 5 ./target/release/cf503 explain --json "$resp" --config "$dists" --url https://site-999.example.com/api/orders)
jqc=$(best 3 jq -r '.DistributionList.Items[] | select((.Aliases.Items // []) | index("site-999.example.com")) | .Id' "$dists")
printf 'input: %.1f MB; the same distribution in both: cf503 %s, jq %s\n' "$dmb" \
    "$(./target/release/cf503 explain --json "$resp" --config "$dists" --url https://site-999.example.com/api/orders | python3 -c 'import json,sys; print(json.load(sys.stdin)["view"]["distribution"]["facts"][1]["value"].split()[0])')" \
    "$(jq -r '.DistributionList.Items[] | select((.Aliases.Items // []) | index("site-999.example.com")) | .Id' "$dists")"
printf 'cf503 explain --config (read, route, behaviour, explain, risks, the whole report): %.3f s; jq finding the id alone: %.3f s (%.1fx)\n' \
    "$cfc" "$jqc" "$(echo "$jqc / $cfc" | bc -l)"
/usr/bin/time -f 'peak memory, cf503 with that config: %M KB' ./target/release/cf503 explain --json "$resp" --config "$dists" --url https://site-999.example.com/api/orders >/dev/null

echo "== 3. DNS check wall time vs the manual dig procedure"
scripts/bench-dns.sh 50

echo
echo "== 3b. cf503 edges vs the manual dig and curl --resolve procedure"
scripts/bench-edges.sh 50

echo
echo "== 4. the web page: wasm size, time to verdict, DNS checks over a DoH resolver 50 ms away"
scripts/bench-web.sh 50
