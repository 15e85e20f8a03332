#!/usr/bin/env python3
"""Five loopback "edges" for `just bench` (127.0.0.11, .12, .21, .22, .31 on PORT), each
answering like a CloudFront edge location after DELAY ms (an edge far away). Usage:
loopback_edges.py PORT DELAY_MS. Runs until killed."""
import socket
import sys
import threading
import time

port, delay = int(sys.argv[1]), int(sys.argv[2]) / 1000.0
POPS = {11: "FRA56-P1", 12: "FRA60-P2", 21: "NRT57-P3", 22: "NRT57-P3", 31: "IAD89-C1"}


def serve(last):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((f"127.0.0.{last}", port))
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=answer, args=(c, last), daemon=True).start()


def answer(c, last):
    try:
        c.recv(4096)
        time.sleep(delay)
        status, x_cache = (503, "CapacityExceeded from cloudfront") if last in (21, 22) else (200, "Hit from cloudfront")
        c.sendall(
            f"HTTP/1.1 {status} X\r\nServer: CloudFront\r\nX-Cache: {x_cache}\r\nX-Amz-Cf-Pop: {POPS[last]}\r\n"
            f"Via: 1.1 e.cloudfront.net (CloudFront)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
    finally:
        c.close()


for last in POPS:
    threading.Thread(target=serve, args=(last,), daemon=True).start()
print("ready", flush=True)
while True:
    time.sleep(3600)
