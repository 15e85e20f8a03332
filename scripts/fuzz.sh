#!/usr/bin/env bash
# `just fuzz TARGET SECONDS`: runs one cargo-fuzz target, seeded with the test fixtures and the
# real-world corpus; `just fuzz-all SECONDS` runs every target and prints execs and crashes per
# target. Needs the nightly toolchain and cargo-fuzz (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
TARGETS=(raw har html input redact dns-answer doh-body logs config part gzip)
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

run_one() {
    local target=$1 seconds=$2 corpus=corpus/$1
    mkdir -p "$corpus"
    case $target in
        dns-answer|doh-body|logs|part|gzip) ;;  # binary inputs: libFuzzer grows its own corpus
        config) cp ../tests/fixtures/config/*.json ../tests/fixtures/config/*.xml "$corpus/" ;;
        *) cp ../tests/fixtures/responses/* ../tests/fixtures/har/* ../tests/fixtures/real/* "$corpus/" 2>/dev/null || true ;;
    esac
    local log
    log=$(mktemp)
    local rc=0
    cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536 \
        -rss_limit_mb=2048 >"$log" 2>&1 || rc=$?
    local execs
    execs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -n1)
    if [ "$rc" -ne 0 ]; then
        tail -n 30 "$log"
        echo "fuzz: $target: CRASH after ${execs:-?} execs (artifacts in fuzz/artifacts/$target)"
        rm -f "$log"
        return 1
    fi
    echo "fuzz: $target: ${execs:-?} execs in ${seconds} s, no crash"
    rm -f "$log"
}

if [ "${1:-}" = "--all" ]; then
    seconds=${2:-60}
    failed=0
    for t in "${TARGETS[@]}"; do run_one "$t" "$seconds" || failed=1; done
    exit $failed
fi
run_one "${1:-input}" "${2:-60}"
