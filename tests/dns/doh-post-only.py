#!/usr/bin/env python3
"""A DNS-over-HTTPS endpoint (plain HTTP, like the harness's dnsdist) that takes only POST:
a GET is answered 405 with `Allow: POST`, as some corporate and hand-rolled DoH servers do
although RFC 8484 makes GET mandatory. A POSTed query goes to the harness's resolver over UDP
unchanged and its answer comes back. Also serves CORS (the preflight a browser's POST with
`content-type: application/dns-message` needs).

    /dns-query   the POST-only endpoint
    /silent      accepts the request and never answers (a DoH server that hangs)

Usage: doh-post-only.py ADDR PORT RESOLVER_PORT. Stops on SIGTERM."""
import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

addr, port, resolver_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
CORS = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": "content-type, accept",
}
hang = threading.Event()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in list(CORS.items()) + list(headers):
            self.send_header(k, v)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self):
        self.reply(204)

    def do_GET(self):
        if self.path.startswith("/silent"):
            hang.wait()
            return
        self.reply(405, b"POST only\n", [("allow", "POST"), ("content-type", "text/plain")])

    def do_POST(self):
        if self.path.startswith("/silent"):
            hang.wait()
            return
        length = int(self.headers.get("content-length") or 0)
        query = self.rfile.read(min(length, 65535))
        if self.headers.get("content-type", "").split(";")[0].strip() != "application/dns-message":
            return self.reply(415, b"application/dns-message only\n", [("content-type", "text/plain")])
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(5)
            s.connect(("127.0.0.1", resolver_port))
            s.send(query)
            try:
                answer = s.recv(65535)
            except socket.timeout:
                return self.reply(504, b"resolver timed out\n", [("content-type", "text/plain")])
        self.reply(200, answer, [("content-type", "application/dns-message")])


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = ThreadingHTTPServer((addr, port), Handler)
server.daemon_threads = True
print(f"POST-only DoH on http://{addr}:{port}/dns-query", flush=True)
server.serve_forever()
