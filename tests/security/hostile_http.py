"""A hostile HTTP server of the tests' own on 127.0.0.1: it records every request and answers as told."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        server: HostileServer = self.server  # type: ignore[assignment]
        server.paths.append(self.path)
        mode = server.mode
        if mode == "error_body":
            body = {"status": "error", "errorType": "bad_data", "error": '<script>alert("x")</script> secret=hunter2'}
            self._send(400, json.dumps(body).encode(), "application/json")
        elif mode == "redirect":
            self.send_response(302)
            self.send_header("Location", server.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                while not server.stopping.is_set():
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(server.trickle_s)
            except OSError:
                pass
        elif mode == "many_series":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                self.wfile.write(b'{"status":"success","data":{"resultType":"matrix","result":[')
                for i in range(server.series):
                    item = {
                        "metric": {"__name__": "DCGM_FI_DEV_POWER_USAGE", "Hostname": f"h{i}", "gpu": "0"},
                        "values": [[1700000000, "100"]],
                    }
                    self.wfile.write((b"," if i else b"") + json.dumps(item).encode())
                self.wfile.write(b"]}}")
            except OSError:
                pass
        elif mode == "not_json":
            self._send(200, b"<html>admin console</html>", "text/html")
        else:
            body = {"status": "success", "data": {"resultType": "matrix", "result": []}}
            self._send(200, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.paths: list[str] = []
        self.location = ""
        self.trickle_s = 0.3
        self.series = 0
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def hostile(mode: str = "record", **attrs: object) -> Iterator[HostileServer]:
    """A :class:`HostileServer` serving in a thread for the block."""
    server = HostileServer(mode)
    for key, value in attrs.items():
        setattr(server, key, value)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@contextmanager
def accept_and_close() -> Iterator[int]:
    """A port that accepts a connection and closes it at once (open, but no HTTP behind it)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    stop = threading.Event()

    def run() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        sock.close()
