#!/usr/bin/env bash
# The prebuilt web page (www/pkg, committed) and the sources it is built from.
#
# `just serve` serves www/pkg without building when it was built from the sources as they are
# (www/pkg/INPUTS records a hash of them, the Rust compiler and, through Cargo.lock,
# wasm-bindgen), so a fresh clone has the page up in seconds instead of compiling
# wasm-bindgen-cli and three wasm modules. `just test` rebuilds it from scratch and checks that
# the result is byte for byte what is committed: the prebuilt page is never a stale or foreign
# one.
#
#   web-inputs.sh --hash                the hash of the current inputs
#   web-inputs.sh --write               record it in www/pkg/INPUTS (build-web.sh does)
#   web-inputs.sh --check               exit 0 when www/pkg was built from the current inputs
#   web-inputs.sh --verify-committed    after a fresh build: www/pkg equals what git has committed
set -euo pipefail
cd "$(dirname "$0")/.."
INPUTS=(Cargo.toml Cargo.lock scripts/build-web.sh
    crates/cf503-core/Cargo.toml crates/cf503-core/build.rs crates/cf503-core/src crates/cf503-core/data
    crates/cf503-wasm/Cargo.toml crates/cf503-wasm/src)

inputs_hash() {
    {
        rustc -V
        find "${INPUTS[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    } | sha256sum | cut -d' ' -f1
}

case "${1:-}" in
--hash) inputs_hash ;;
--write) echo "$(inputs_hash)  $(rustc -V)" > www/pkg/INPUTS ;;
--check)
    [ -f www/pkg/INPUTS ] && [ -f www/pkg/cf503_wasm_bg.wasm ] && [ -f www/pkg/cf503_dns_bg.wasm ] \
        && [ -f www/pkg/cf503_logs_bg.wasm ] \
        && [ "$(cut -d' ' -f1 www/pkg/INPUTS)" = "$(inputs_hash)" ] ;;
--verify-committed)
    git rev-parse --git-dir >/dev/null 2>&1 || { echo "web-inputs: not a git checkout: cannot compare www/pkg with what is committed" >&2; exit 1; }
    changed=$(git status --porcelain --untracked-files=all -- www/pkg)
    if [ -n "$changed" ]; then
        echo "web-inputs: the fresh build of the web page differs from the committed www/pkg:" >&2
        echo "$changed" >&2
        echo "web-inputs: commit www/pkg with the sources it was built from (scripts/build-web.sh wrote it; a difference with clean sources means the build is not reproducible)" >&2
        exit 1
    fi
    echo "web-inputs: www/pkg is byte for byte what the sources build ($(cut -c1-12 www/pkg/INPUTS))" ;;
*) echo "usage: $0 --hash|--write|--check|--verify-committed" >&2; exit 2 ;;
esac
