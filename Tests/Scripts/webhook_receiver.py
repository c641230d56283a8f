#!/usr/bin/env python3
"""A webhook receiver for tests and for trying chanxiao by hand.

    python3 webhook_receiver.py OUT.jsonl [PORT]

Listens on 127.0.0.1 (PORT, or a free one, printed first), answers every POST with 204 and
appends one JSON line per request to OUT.jsonl: {"path", "headers", "body"}.
"""
import http.server
import json
import sys
import threading

lock = threading.Lock()
out = open(sys.argv[1], "a", encoding="utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode("utf-8")
        record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        with lock:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2]) if len(sys.argv) > 2 else 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
