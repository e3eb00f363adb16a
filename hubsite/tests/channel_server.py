"""A scripted HTTP server on 127.0.0.1 that speaks a provider's API, for the channel tests.

``ScriptedServer(default)`` answers each POST with the next scripted ``Reply`` (``script``), or
``default`` once the script is used up, and records what it was sent. Threaded, so a real Celery
worker in another process can call it while the test reads ``requests``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    body: dict
    status: int = 200
    delay: float = 0.0  # seconds before answering (a timeout when longer than the client waits)


@dataclass
class Received:
    path: str
    headers: dict
    body: dict


@dataclass
class ScriptedServer:
    default: Reply
    script: list[Reply] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)

    def start(self) -> ScriptedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.requests.append(Received(self.path, dict(self.headers), json.loads(raw or b"{}")))
                reply = server.script.pop(0) if server.script else server.default
                if reply.delay:
                    time.sleep(reply.delay)
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def address(self) -> str:
        """ "127.0.0.1:port", as WECOM_WEBHOOK_HOSTS names it."""
        host, port = self._httpd.server_address[:2]
        return f"{host}:{port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"
