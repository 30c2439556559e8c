"""What the HTTP servers of both gateways do with bodies and requests they cannot take, over real sockets.

The embedded gateway is served as `stvos run` serves it (stvos_gateway.http_server); nginx is rendered from
the same table. Both cap a body on the bytes read, however it is framed; both let a slow caller go soon
after answering and a silent one after the table's read timeout; both answer in the JSON envelope what the
HTTP server itself refuses.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import replace
from types import SimpleNamespace

import pytest
from stvos_gateway import nginx
from stvos_gateway.http_server import make_gateway_server
from stvos_gateway.refusals import refusal
from stvos_gateway.routes import LINGER_SECONDS, load_table
from stvos_runner.platform import EmbeddedPlatform

from tests.e2e.nginx_harness import CountingApp, NginxGateway, Upstreams

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(nginx.find_nginx() is None,
                       reason="nginx is not installed (Debian: apt-get install nginx-light)"),
]
READ_TIMEOUT = 2
CAP = 1024 * 1024
LOGIN = {"email": "nobody@example.com", "password": "not-the-password"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    table = load_table().unlimited()
    table = replace(table, limits=replace(table.limits, read_timeout_seconds=READ_TIMEOUT))
    platform = EmbeddedPlatform(str(tmp_path_factory.mktemp("var")), table=table)
    upstreams = Upstreams(platform.apps)
    proxy = NginxGateway(tmp_path_factory.mktemp("nginx"), table, upstreams.ports)
    platform.gateway.apps = {name: CountingApp(app) for name, app in platform.apps.items()}
    server = make_gateway_server("127.0.0.1", 0, platform.gateway, table.limits.read_timeout_seconds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    embedded = SimpleNamespace(port=server.server_port,
                               reached=lambda: {n: len(a.seen) for n, a in platform.gateway.apps.items()})
    yield {"embedded": embedded, "nginx": SimpleNamespace(port=proxy.port, reached=upstreams.reached)}
    server.shutdown()
    proxy.stop()
    upstreams.close()
    platform.stop()


@pytest.fixture(params=["embedded", "nginx"])
def gateway(request, live):
    return live[request.param]


class Answer:
    """A raw HTTP answer: status, headers, body, and when the server closed the connection."""

    def __init__(self, raw: bytes, answered: float | None, closed: float | None) -> None:
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else None
        self.headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        self.answered, self.closed = answered, closed

    def json(self) -> dict:
        return json.loads(self.body)


def exchange(port: int, head: bytes, body: bytes = b"", trickle: bytes = b"", wait: float = 30.0) -> Answer:
    """Send `head` and `body`, then `trickle` one byte every 0.2 s while waiting for the server to close."""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(head + body)
    connection.setblocking(False)
    started, raw, answered, closed = time.monotonic(), b"", None, None
    sent = 0
    while time.monotonic() - started < wait:
        try:
            if sent < len(trickle):
                connection.send(trickle[sent:sent + 1])
                sent += 1
            data = connection.recv(65536)
            if not data:
                closed = time.monotonic() - started
                break
            answered = answered if answered is not None else time.monotonic() - started
            raw += data
        except BlockingIOError:
            pass
        except OSError:  # the server reset a connection it had finished with
            closed = time.monotonic() - started
            break
        time.sleep(0.2 if trickle else 0.02)
    connection.close()
    return Answer(raw, answered, closed)


def chunked(data: bytes, size: int = 64 * 1024) -> bytes:
    pieces = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces)


def post_head(path: str, framing: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{framing}\r\n"
            .encode())


def test_a_chunked_body_over_the_cap_is_413_and_reaches_no_service(gateway):
    before = gateway.reached()
    answer = exchange(gateway.port, post_head("/partner-auth/login", "Transfer-Encoding: chunked\r\n"),
                      chunked(b"x" * (CAP + 10)) + b"0\r\n\r\n")
    assert answer.status == 413
    assert answer.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert gateway.reached() == before


def test_a_chunked_body_within_the_cap_is_answered_as_the_same_body_with_a_length(gateway):
    body = json.dumps(LOGIN).encode()
    as_chunks = exchange(gateway.port, post_head("/partner-auth/login", "Transfer-Encoding: chunked\r\n"
                                                 "Connection: close\r\n"), chunked(body, 7) + b"0\r\n\r\n")
    with_length = exchange(gateway.port, post_head("/partner-auth/login", f"Content-Length: {len(body)}\r\n"
                                                   "Connection: close\r\n"), body)
    assert as_chunks.status == with_length.status == 401
    assert as_chunks.json()["error"]["code"] == with_length.json()["error"]["code"]


def test_a_slow_upload_over_the_cap_is_let_go_soon_after_the_answer(gateway):
    answer = exchange(gateway.port, post_head("/partner-auth/login", "Transfer-Encoding: chunked\r\n"),
                      chunked(b"x" * (CAP + 10)), trickle=b"1\r\nx\r\n" * 200)
    assert answer.status == 413
    assert answer.closed is not None, "the connection was still open after 30 s"
    assert answer.closed - answer.answered < LINGER_SECONDS + 2


def test_a_caller_that_stops_sending_its_body_is_dropped_after_the_read_timeout(gateway):
    answer = exchange(gateway.port, post_head("/partner-auth/login", "Transfer-Encoding: chunked\r\n"), b"5\r\n{\"a\":")
    assert answer.closed is not None and answer.closed < READ_TIMEOUT + 2
    if answer.status is not None:  # nginx closes without a word; the embedded gateway says why
        assert (answer.status, answer.json()["error"]["code"]) == (408, "REQUEST_TIMEOUT")


@pytest.mark.parametrize(("request_head", "status"), [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /auth/login HTTP/1.1 extra\r\nHost: localhost\r\n\r\n", 400),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
    (b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    (b"GET /healthz HTTP/2.0\r\nHost: localhost\r\n\r\n", 505),
], ids=["malformed-request-line", "request-line-with-extra-words", "uri-too-long", "header-too-large",
        "http-version"])
def test_what_the_http_server_itself_refuses_is_answered_in_the_json_envelope(gateway, request_head, status):
    answer = exchange(gateway.port, request_head)
    assert answer.status == status
    assert answer.headers["content-type"] == "application/json"
    assert answer.body == refusal(status).body
