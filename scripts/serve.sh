#!/usr/bin/env bash
# `just serve [PORT]`: the web page on http://127.0.0.1:PORT (8080 by default; the next free
# port when it is taken). The committed www/pkg is served as it is when it was built from the
# sources as they are (scripts/web-inputs.sh); otherwise it is rebuilt first, with each step
# said as it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-8080}
case "$want" in ''|*[!0-9]*) echo "serve: the port must be a number, not '$want'" >&2; exit 2 ;; esac
step() { printf 'serve [%3ds] %s\n' "$SECONDS" "$*"; }
if scripts/web-inputs.sh --check; then
    step "www/pkg was built from these sources (checked by just test): nothing to build"
else
    step "the engine's sources differ from what www/pkg was built from: rebuilding it"
    step "wasm32 target and wasm-bindgen-cli (compiled once, a few minutes on 2 cores)"
    scripts/install-web-tools.sh build
    step "three wasm modules (first verdict, DNS checks, log reader)"
    scripts/build-web.sh
fi
port=$(python3 - "$want" <<'PY'
import socket, sys
want = int(sys.argv[1])
for port in range(want, want + 50):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
PY
)
[ -n "$port" ] || { echo "serve: ports $want to $((want + 49)) are all taken: give another, e.g. just serve 9000" >&2; exit 1; }
[ "$port" = "$want" ] || step "port $want is taken: using $port instead"
step "serving www/ on http://127.0.0.1:$port/ (Ctrl-C stops)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
