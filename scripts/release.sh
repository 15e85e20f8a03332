#!/usr/bin/env bash
# `just release`: the release artifacts of this version, in target/release-artifacts/:
#
#   cf503-<version>-<target>.tar.gz   the binary, completions (bash, zsh, fish, elvish,
#                                     PowerShell), man pages, README and licences
#   cf503-completions-man.tar.gz, cf503-extension-chromium.zip, cf503-extension-firefox.zip
#                                     (scripts/release-extras.sh)
#   SHA256SUMS
#
# The binary is built for this machine's target (or CF503_TARGET when its standard library and
# linker are installed). The published release is built by cargo-dist's workflow
# (.github/workflows/release.yml, from dist-workspace.toml) on a tag: Linux x86-64 and arm64,
# macOS x86-64 and arm64, Windows x86-64, each on its own runner (cross-linking macOS or
# Windows binaries needs their SDKs), with the same extras.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
target=${CF503_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
out=target/release-artifacts
rm -rf "$out"
mkdir -p "$out"
step() { printf 'release [%3ds] %s\n' "$SECONDS" "$*"; }

# Completions, man pages and the extension first: the archive carries the same completions and
# man pages (from the clap definitions, the same for every target).
step "completions, man pages and the browser extension (Chromium, Firefox)"
scripts/release-extras.sh "$out"

step "cf503 $version for $target (cargo build --release --locked)"
cargo build -q --release --locked -p cf503 --target "$target"
exe=""
case "$target" in *windows*) exe=".exe" ;; esac
name="cf503-$version-$target"
stage="$out/$name"
mkdir -p "$stage"
cp "target/$target/release/cf503$exe" README.md LICENSE-MIT LICENSE-APACHE "$stage/"
tar -C "$stage" -xzf "$out/cf503-completions-man.tar.gz"
case "$target" in
*windows*) (cd "$out" && python3 -m zipfile -c "$name.zip" "$name") ;;
*) tar -C "$out" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name" ;;
esac
rm -rf "$stage"

(cd "$out" && sha256sum -- * > SHA256SUMS)
step "done: $out"
ls -l "$out"
