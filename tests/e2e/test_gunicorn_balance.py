"""Connections opened together are spread over gunicorn's workers (stvos_shared.gunicorn_worker): a worker whose
threads all have a request in hand takes no new connection, so its sibling does. gunicorn's own gthread worker
took every connection it could: one worker could serve a whole pool of kept-alive connections while the other
sat idle (a bench ceiling then ran at a third of its rate).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
HOLD_SECONDS = 0.5


def app(environ, start_response):
    """Holds a thread for a while, then names the worker that served it."""
    time.sleep(HOLD_SECONDS)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:stvos_shared.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2", "--chdir", str(ROOT),
         "tests.e2e.test_gunicorn_balance:app"],
        env={**os.environ, "METRICS_PORT": "0"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while len(_workers(process.pid)) < 2 or not _listening(port):
        assert time.monotonic() < deadline and process.poll() is None, "gunicorn did not start its two workers"
        time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=30)


def _workers(master: int) -> list[str]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return children.read_text().split() if children.exists() else []


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _ask(connection: socket.socket) -> str:
    """One keep-alive request on an open connection; the pid that answered."""
    connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer or len(answer.partition(b"\r\n\r\n")[2]) < _length(answer):
        chunk = connection.recv(4096)
        assert chunk, "the server closed a kept-alive connection"
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    return body.decode()


def _length(answer: bytes) -> int:
    for line in answer.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 1 << 30


def test_connections_opened_together_are_spread_over_the_workers(server):
    connections = [socket.create_connection(("127.0.0.1", server), timeout=10) for _ in range(4)]
    try:
        with ThreadPoolExecutor(4) as pool:
            first = list(pool.map(_ask, connections))
            again = list(pool.map(_ask, connections))
    finally:
        for connection in connections:
            connection.close()
    assert sorted(Counter(first).values()) == [2, 2], f"4 connections, 2 workers of 2 threads: {Counter(first)}"
    assert again == first, "a kept-alive connection stays with the worker that took it"
