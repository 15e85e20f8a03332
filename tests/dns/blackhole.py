#!/usr/bin/env python3
"""A name server that never answers: reads UDP queries on ADDR:53 and drops them.

For the harness's time-out scenarios (an address with nothing bound would answer with ICMP
port-unreachable at once, which is a different failure). Stops on SIGTERM."""
import signal
import socket
import sys

addr = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.4"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 53
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind((addr, port))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind((addr, port))
tcp.listen(16)  # accepted by the kernel, never read: TCP fallbacks hang too
print(f"blackhole listening on {addr}:{port}", flush=True)
while True:
    udp.recvfrom(65535)
