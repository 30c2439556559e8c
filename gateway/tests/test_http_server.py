"""The embedded gateway's HTTP server stops after the requests in hand are answered, and admits no more."""
from __future__ import annotations

import http.client
import json
import socket
import threading
import time

from stvos_gateway.http_server import make_gateway_server


class SlowApp:
    """Answers after `pause` seconds; records each request as it commits."""

    def __init__(self, pause: float) -> None:
        self.pause, self.started, self.committed = pause, threading.Event(), []

    def __call__(self, environ, start_response):
        self.started.set()
        time.sleep(self.pause)
        self.committed.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]


def serving(app):
    server = make_gateway_server("127.0.0.1", 0, app, read_timeout=30)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def test_a_stop_waits_for_the_request_in_hand_and_answers_it():
    app = SlowApp(pause=0.5)
    server, thread = serving(app)
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    answers = []
    caller = threading.Thread(target=lambda: (connection.request("POST", "/register"),
                                              answers.append(connection.getresponse().status)))
    caller.start()
    assert app.started.wait(5)
    server.shutdown()
    thread.join(5)
    assert server.wait_answered(10) is True
    assert app.committed == ["/register"]  # committed before the stop went on
    caller.join(5)
    assert answers == [200]


def test_a_request_sent_on_a_connection_taken_before_the_stop_is_refused_503():
    app = SlowApp(pause=0)
    server, thread = serving(app)
    caller = socket.create_connection(("127.0.0.1", server.server_port), timeout=10)
    time.sleep(0.3)  # accepted: its thread waits for the request line
    server.shutdown()
    thread.join(5)
    assert server.wait_answered(1) is True
    caller.sendall(b"GET /late HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = b""
    while chunk := caller.recv(4096):
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 503") and b"Connection: close" in head
    assert json.loads(body)["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert app.committed == []


def test_waiting_gives_up_at_its_timeout_while_a_request_still_runs():
    app = SlowApp(pause=2)
    server, thread = serving(app)
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    caller = threading.Thread(target=lambda: (connection.request("GET", "/slow"), connection.getresponse()))
    caller.start()
    assert app.started.wait(5)
    server.shutdown()
    thread.join(5)
    assert server.wait_answered(0.2) is False
    caller.join(5)
