"""An API under gunicorn as production runs it (stvos_shared.gunicorn_conf): every worker's metrics on one port,
and on SIGTERM in the middle of a stream of writes, every request either answered whole or never started.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import text
from stvos_auth import admin, bootstrap
from stvos_auth.config import Settings
from stvos_shared.keywrap import new_kek

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
REGISTER = {"service": "auth", "route": "/auth/register", "method": "POST", "status": "201"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample(text_format: str, name: str, labels: dict[str, str]) -> float:
    """One sample of a Prometheus text exposition, by name and exact labels (0 when absent)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text_format):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return 0.0


@pytest.fixture
def api(tmp_path) -> Iterator[dict]:
    database = f"sqlite:///{tmp_path / 'auth.db'}"
    kek = new_kek()
    container = bootstrap.build(Settings(database_url=database, signing_key_kek=(kek,)))
    container.db.create_all()
    tenant = admin.create_client(container, name="Gunicorn Studio")
    port, metrics = free_port(), free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:stvos_shared.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "stvos_auth.wsgi:app"],
        env={**os.environ, "DATABASE_URL": database, "SIGNING_KEY_KEK": kek, "METRICS_PORT": str(metrics),
             "LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/readyz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.1)
    yield {"url": url, "metrics": f"http://127.0.0.1:{metrics}/metrics", "process": process, "db": container.db,
           "headers": {"X-Client-Id": str(tenant["clientId"])}}
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    container.db.dispose()


def register(api: dict, email: str) -> int | str:
    try:
        return requests.post(f"{api['url']}/auth/register", headers=api["headers"], timeout=30,
                             json={"email": email, "password": "long enough password"}).status_code
    except requests.ConnectionError as error:
        return type(error).__name__


def users(api: dict) -> list[str]:
    with api["db"].engine.connect() as connection:
        return list(connection.execute(text("SELECT email FROM users")).scalars())


def test_the_metrics_of_every_worker_are_served_summed_on_the_metrics_port(api):
    assert {register(api, f"counted{n}@example.com") for n in range(10)} == {201}
    exposition = requests.get(api["metrics"], timeout=5).text
    assert sample(exposition, "stvos_http_requests_total", REGISTER) == 10
    assert sample(exposition, "stvos_http_request_duration_seconds_count", REGISTER) == 10
    assert requests.get(f"{api['url']}/metrics", timeout=5).status_code == 404, "the API's own port has no metrics"


def test_sigterm_during_a_stream_of_writes_answers_what_it_took_and_refuses_the_rest(api):
    outcomes: dict[str, int | str] = {}
    halt = threading.Event()

    def stream(worker: int) -> None:
        for n in range(10_000):
            if halt.is_set():
                return
            email = f"w{worker}-{n}@example.com"
            outcomes[email] = register(api, email)

    threads = [threading.Thread(target=stream, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    while sum(1 for status in list(outcomes.values()) if status == 201) < 20:
        time.sleep(0.05)
    api["process"].send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    readiness = _readiness_after_the_signal(api)
    time.sleep(1.0)  # the stream goes on against a stopping server
    halt.set()
    for thread in threads:
        thread.join(timeout=60)
    assert api["process"].wait(timeout=30) == 0, api["process"].stderr.read()
    answered = {email for email, status in outcomes.items() if status == 201}
    refused = {email: status for email, status in outcomes.items() if status != 201}
    print(f"\ngunicorn stop: {len(answered)} answered, {len(refused)} refused, exited "
          f"{time.monotonic() - signalled:.1f} s after SIGTERM")
    assert readiness != 200
    assert set(refused.values()) <= {"ConnectionError"}, "a request got an error answer, not a refusal"
    assert sorted(users(api)) == sorted(answered), "a write was lost, or made without its answer"


def _readiness_after_the_signal(api: dict) -> int | str:
    time.sleep(0.2)
    try:
        return requests.get(f"{api['url']}/readyz", timeout=2).status_code
    except requests.RequestException as error:
        return type(error).__name__
