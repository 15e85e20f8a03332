#!/usr/bin/env bash
# The core's tests compiled to wasm32, as the browser builds the core (no `std`, with `serde`),
# run by wasm-bindgen-test-runner in Node and then in headless Chromium (via chromedriver).
# A wasm test binary whose tests were all plain `#[test]` would report "no tests to run!" and
# pass: this script fails instead, except for properties.rs, vocabulary.rs and audit_2026_12b.rs, which are
# native-only on purpose (proptest; comrak and inputs of millions of lines).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$PWD/.tools/cargo/bin/wasm-bindgen-test-runner"
[ -x "$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER" ] || { echo "test-wasm: run scripts/install-web-tools.sh first" >&2; exit 1; }
args=(-p cf503-core --target wasm32-unknown-unknown --no-default-features --features serde --lib --tests)

check() { # $1 = label, stdin = cargo test output
    awk -v where="$1" '
        /Running / { bin = $2; sub(/.*\//, "", bin) }
        /^running [0-9]+ tests?$/ { n[bin] = $2 }
        /^no tests to run!$/ { n[bin] = 0 }
        /^test result: ok\./ { total += $4 }
        END {
            bad = 0
            for (b in n) if (n[b] == 0 && b !~ /^(properties|audit_2026_12b|vocabulary|schemas)/) { print "test-wasm: " b " ran no test in " where > "/dev/stderr"; bad = 1 }
            if (total == 0) { print "test-wasm: no test ran in " where > "/dev/stderr"; bad = 1 }
            print "test-wasm: " total " core tests passed in " where
            exit bad
        }'
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT
cargo test "${args[@]}" 2>&1 | tee "$out"
check Node <"$out"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)" cargo test "${args[@]}" 2>&1 | tee "$out"
check Chromium <"$out"
