#!/usr/bin/env bash
# The release artifacts that are not a binary, for `just release` and for the release workflow
# (dist's extra-artifacts, dist-workspace.toml), written into OUTDIR (default: the repository's
# root, where dist collects them):
#
#   cf503-completions-man.tar.gz                 completions (bash, zsh, fish, elvish,
#                                                PowerShell) and man pages, from the clap
#                                                definitions
#   cf503-extension-chromium.zip, cf503-extension-firefox.zip
#                                                the browser extension, from the committed
#                                                www/pkg (rebuilt first only if its sources
#                                                changed: scripts/web-inputs.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.}
mkdir -p "$out"
cargo build -q --release --locked -p cf503
stage=$(mktemp -d)
mkdir -p "$stage/completions" "$stage/man/man1"
bin=target/release/cf503
"$bin" completions bash > "$stage/completions/cf503.bash"
"$bin" completions zsh > "$stage/completions/_cf503"
"$bin" completions fish > "$stage/completions/cf503.fish"
"$bin" completions elvish > "$stage/completions/cf503.elv"
"$bin" completions powershell > "$stage/completions/_cf503.ps1"
"$bin" manpage --out-dir "$stage/man/man1"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out/cf503-completions-man.tar.gz" completions man
rm -rf "$stage"
scripts/web-inputs.sh --check || { scripts/install-web-tools.sh build && scripts/build-web.sh; }
scripts/build-extension.sh >/dev/null
cp target/extension/cf503-chromium.zip "$out/cf503-extension-chromium.zip"
cp target/extension/cf503-firefox.zip "$out/cf503-extension-firefox.zip"
