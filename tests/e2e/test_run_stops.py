"""`stvos run` (what `make run` starts) stops on the first SIGTERM, whenever it comes, and loses nothing."""
from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow
STVOS = str(Path(sys.executable).parent / "stvos")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(var_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "STVOS_PORT": str(port), "STVOS_VAR_DIR": str(var_dir)}
    process = subprocess.Popen([STVOS, "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return process, f"http://127.0.0.1:{port}"


def answering(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return requests.get(f"{url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            time.sleep(0.05)
    return False


def stopped(process: subprocess.Popen, timeout: float, codes: tuple[int, ...] = (0,)) -> float:
    """SIGTERM once; the seconds until the process exited with one of `codes`."""
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"still running {timeout:.0f} s after one SIGTERM") from None
    assert code in codes, process.stderr.read()[-2000:]
    return time.monotonic() - began


def test_the_first_sigterm_stops_it_whenever_it_comes(tmp_path):
    var_dir = tmp_path / "var"
    process, url = start(var_dir)
    assert answering(url), process.stderr.read()[-2000:]  # the first start seeds the demo tenant
    took = [stopped(process, 30)]
    # At once and during start-up (while Python still imports, the default action ends it: nothing has begun),
    # then after a random pause once it answers, when it must stop cleanly.
    early = (0, -signal.SIGTERM)
    for moment, codes in ((0.0, early), (1.5, early), (4.0, early), (None, (0,)), (None, (0,))):
        process, url = start(var_dir)
        if moment is None:
            assert answering(url)
            moment = random.uniform(0, 1)
        time.sleep(moment)
        took.append(stopped(process, 60, codes))
    print(f"\nstvos run stopped in {', '.join(f'{seconds:.1f}' for seconds in took)} s")


def test_a_sigterm_during_a_stream_of_requests_answers_them_and_delivers_every_event(tmp_path):
    var_dir = tmp_path / "var"
    process, url = start(var_dir)
    assert answering(url), process.stderr.read()[-2000:]
    key = {"X-API-Key": json.loads((var_dir / "demo.json").read_text())["apiKey"]}
    outcomes: dict[str, int | str] = {}
    halt = threading.Event()

    def stream(worker: int) -> None:
        for n in range(10_000):
            if halt.is_set():
                return
            email = f"stream{worker}-{n}@example.com"
            try:
                answer = requests.post(f"{url}/auth/register", headers=key, timeout=30, json={
                    "email": email, "password": "long enough password"})
                refused = answer.status_code == 503 and answer.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
                outcomes[email] = "refused" if refused else answer.status_code
            except requests.ConnectionError as error:
                outcomes[email] = type(error).__name__

    threads = [threading.Thread(target=stream, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    while sum(1 for status in list(outcomes.values()) if status == 201) < 15:
        time.sleep(0.05)
    took = stopped(process, 60)
    halt.set()
    for thread in threads:
        thread.join(timeout=60)
    answered = {email for email, status in outcomes.items() if status == 201}
    # Refused, never started: no connection (after the listener closed), or the server's 503 to a request whose
    # connection was accepted just before the stop and whose request came after it (GatewayServer.wait_answered).
    assert set(outcomes.values()) <= {201, "refused", "ConnectionError"}
    registered = rows(var_dir / "auth.db", "SELECT email FROM users WHERE email LIKE 'stream%'")
    assert sorted(registered) == sorted(answered), "a write was lost, or made without its answer"
    events = rows(var_dir / "auth.db", "SELECT event_id FROM outbox WHERE type = 'auth.user.registered' "
                                       "AND payload LIKE '%stream%'")
    assert len(events) == len(answered)
    assert rows(var_dir / "auth.db", "SELECT event_id FROM outbox WHERE sent_at IS NULL") == []
    handled = set(rows(var_dir / "partner.db", "SELECT event_id FROM inbox"))
    assert set(events) <= handled, "an event published before the stop never reached its consumer"
    print(f"\nstvos run: {len(answered)} answered, stopped {took:.1f} s after SIGTERM, every event delivered")


def rows(database: Path, query: str) -> list:
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute(query)]
