#!/usr/bin/env bash
# `just serve` as a newcomer runs it (after `just test`'s fresh build): it serves the committed
# page without building, the page and its engine load, and a busy port falls back to the next
# free one with a message saying so. Fails loudly otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
busy=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Hold the asked-for port, as another server would.
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(60)' "$busy" &
holder=$!
# Stopped however this ends (the server and the log are set below).
trap 'kill $holder ${server:-} 2>/dev/null || true; rm -f "${log:-}"' EXIT
# Served only once the port is held: under load the holder's Python took longer to start than
# serve.sh to bind, which then served on the free port and failed this test.
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$busy") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$busy") 2>/dev/null || { echo "test-serve: the port holder never listened on $busy" >&2; exit 1; }
log=$(mktemp)
scripts/serve.sh "$busy" > "$log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q 'serving www/' "$log" && break; sleep 0.1; done
grep -q 'nothing to build' "$log" || { echo "test-serve: just serve rebuilt the page although www/pkg matches the sources:" >&2; cat "$log" >&2; exit 1; }
grep -q "port $busy is taken: using" "$log" || { echo "test-serve: no fallback from the busy port $busy:" >&2; cat "$log" >&2; exit 1; }
port=$(sed -n 's#.*serving www/ on http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$log")
[ -n "$port" ] && [ "$port" != "$busy" ] || { echo "test-serve: no port in: $(cat "$log")" >&2; exit 1; }
for path in / /app.js /pkg/cf503_wasm_bg.wasm /favicon.svg /privacy.html; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --retry 30 --retry-connrefused --retry-delay 1 --retry-max-time 15 "http://127.0.0.1:$port$path" || true)
    [ "$code" = 200 ] || { echo "test-serve: $path answered $code" >&2; exit 1; }
done
echo "test-serve: page up on $port (port $busy was taken), nothing rebuilt"
