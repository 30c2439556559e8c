"""The embedded gateway over HTTP: werkzeug's threaded server, with the gateway's words and nginx's patience.

werkzeug answers a request it cannot parse (a malformed request line, 414, 431, 505) with an HTML page
of its own, waits for a silent caller forever and, after answering, reads whatever the caller still
sends for as long as it keeps sending. This handler answers those errors from the refusal table, gives
up on a caller silent for `read_timeout` seconds (nginx's client_header_timeout and
client_body_timeout) and, once the answer is out, discards the rest of a body for at most
LINGER_SECONDS (nginx's lingering_time) before closing.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .refusals import refusal
from .routes import LINGER_SECONDS


class _LingeringReader:
    """The connection's input; once the answer has started, reads end at the linger deadline."""

    def __init__(self, raw: Any, handler: GatewayRequestHandler) -> None:
        self._raw, self._handler = raw, handler

    def read(self, size: int | None = -1) -> bytes:
        deadline = self._handler.linger_deadline
        if deadline is None:
            return self._raw.read(size)
        if time.monotonic() >= deadline:
            return b""  # werkzeug's discarding loop stops at an empty read, and the connection closes
        # One read of what has arrived: the discarding loop waits for more itself, briefly.
        return self._raw.read1(64 * 1024 if size is None or size < 0 else min(size, 64 * 1024))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class GatewayRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler with JSON errors, a read timeout and a bounded linger."""

    timeout: float | None = 10.0  # seconds a caller may stay silent (socketserver applies it to the socket)
    linger_deadline: float | None = None

    def setup(self) -> None:
        super().setup()
        self.linger_deadline = None
        self.rfile = _LingeringReader(self.rfile, self)

    def run_wsgi(self) -> None:
        """One request, counted in hand until its answer is written; refused once the server stops."""
        if not self.server.in_hand.admit():
            self.close_connection = True
            self.send_error(503)
            return
        try:
            super().run_wsgi()
        finally:
            self.server.in_hand.done()

    def send_response(self, code: int, message: str | None = None) -> None:
        """The answer starts: from now on the rest of the request is only discarded, briefly."""
        if self.linger_deadline is None:
            self.linger_deadline = time.monotonic() + LINGER_SECONDS
        super().send_response(code, message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The server's own errors in the JSON envelope, with a status line even for an unparsable request."""
        refused = refusal(code)
        self.log_error("code %d, message %s", code, message)
        if self.request_version == "HTTP/0.9":  # the default until a request line parsed: no headers at all
            self.request_version = self.protocol_version
        self.send_response(refused.status, refused.phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(refused.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(refused.body)


class _InHand:
    """The requests being served; once closed, no more are admitted, and one may wait until none is left."""

    def __init__(self) -> None:
        self._count, self._closed, self._changed = 0, False, threading.Condition()

    def admit(self) -> bool:
        with self._changed:
            if self._closed:
                return False
            self._count += 1
            return True

    def done(self) -> None:
        with self._changed:
            self._count -= 1
            self._changed.notify_all()

    def close_and_wait(self, timeout: float) -> bool:
        with self._changed:
            self._closed = True
            return self._changed.wait_for(lambda: self._count == 0, timeout)


class GatewayServer(ThreadedWSGIServer):
    """werkzeug's threaded server that knows its requests in hand. Its request threads are daemons, which
    server_close does not join (and a kept-alive idle connection would hold a join for its whole read timeout),
    so a stop waits for the requests instead: none commits after the last relay pass of `stvos run`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_hand = _InHand()

    def wait_answered(self, timeout: float) -> bool:
        """After shutdown(): admit no more requests (a kept-alive connection's next one is answered 503) and wait
        until those in hand are answered; False if some still run at `timeout`."""
        return self.in_hand.close_and_wait(timeout)


def make_gateway_server(host: str, port: int, app: Any, read_timeout: float) -> GatewayServer:
    """A threaded server for `app` whose connections wait at most `read_timeout` seconds for the caller."""
    handler = type("GatewayRequestHandler", (GatewayRequestHandler,), {"timeout": float(read_timeout)})
    return GatewayServer(host, port, app, handler)
