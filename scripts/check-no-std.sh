#!/usr/bin/env bash
# cf503-core promises no_std + alloc: for the wasm build (default features off) no crate in its
# normal dependency tree may have its `std` feature on. `-e normal,features` leaves out
# dev-dependencies, which may use std.
set -euo pipefail
tree=$(cargo tree -p cf503-core --no-default-features --features serde \
    --target wasm32-unknown-unknown -e normal,features)
if grep -q '"std"' <<<"$tree"; then
    echo "check-no-std: a dependency turns std on in the no_std build of cf503-core:" >&2
    grep -B3 '"std"' <<<"$tree" >&2
    exit 1
fi
crates=$(grep -c ' v[0-9]' <<<"$tree" || true)
echo "check-no-std: ok, no std feature in the wasm32 dependency tree of cf503-core ($crates lines)"
