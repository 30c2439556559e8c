"""Connections opened together are spread over gunicorn's workers (stvos_shared.gunicorn_worker): a worker whose
threads all have a request in hand takes no new connection, so its sibling does. gunicorn's own gthread worker
took every connection it could: one worker could serve a whole pool of kept-alive connections while the other
sat idle (a bench ceiling then ran at a third of its rate). And when every worker is that busy, a new connection
is still taken while the load goes on.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
HOLD_SECONDS = 0.5


def app(environ, start_response):
    """Holds a thread for a while (HOLD_SECONDS, or the seconds the path names), then names the worker."""
    time.sleep(float(environ["PATH_INFO"].strip("/") or HOLD_SECONDS))
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture(params=[2])
def server(request):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:stvos_shared.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", str(request.param), "--chdir", str(ROOT),
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


def _ask(connection: socket.socket, path: str = "/") -> str:
    """One keep-alive request on an open connection; the pid that answered."""
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
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


@pytest.mark.parametrize("server", [1], indirect=True)
def test_a_new_connection_is_taken_while_every_worker_is_busy_with_the_ones_it_holds(server):
    """Two kept-alive connections per worker of one thread, asking back to back for 3 s: a thread is never free
    until they stop. A connection opened meanwhile is answered before they stop."""
    streams = [socket.create_connection(("127.0.0.1", server), timeout=30) for _ in range(4)]
    load_ends = time.monotonic() + 3
    ended: list[float] = []

    def stream(connection: socket.socket) -> None:
        while time.monotonic() < load_ends:
            _ask(connection, "/0.05")
        ended.append(time.monotonic())

    runners = [threading.Thread(target=stream, args=(connection,)) for connection in streams]
    for runner in runners:
        runner.start()
    try:
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", server), timeout=30) as late:
            _ask(late, "/0.01")
            answered = time.monotonic()
    finally:
        for runner in runners:
            runner.join(timeout=30)
        for connection in streams:
            connection.close()
    assert answered < min(ended), "the new connection waited for the load to end"
