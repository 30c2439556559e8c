"""`make run` on a fresh var dir: the gateway answers and the demo tenant works."""
from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("run") / "var"  # made by `make run` itself
    port = free_port()
    env = {**os.environ, "STVOS_PORT": str(port), "STVOS_VAR_DIR": str(var_dir)}
    started = time.monotonic()
    process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url, waited = f"http://127.0.0.1:{port}", None
    try:
        while time.monotonic() - started < 30 and process.poll() is None:
            try:
                if requests.get(f"{url}/healthz", timeout=0.5).status_code == 200:
                    waited = time.monotonic() - started
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        yield {"url": url, "waited": waited, "var": var_dir, "process": process}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_healthz_answers_once_started(served):
    """How soon is a figure for `make bench` to report; a loaded CI machine must not fail the suite on it."""
    output = "" if served["waited"] else served["process"].stdout.read1().decode()
    assert served["waited"] is not None, f"gateway never answered within 30 s: {output}"
    print(f"\nmake run answered /healthz {served['waited']:.1f} s after starting")


def test_demo_json_holds_working_credentials(served):
    demo = json.loads((served["var"] / "demo.json").read_text())
    assert demo["gatewayUrl"] == served["url"]
    assert {"apiKey", "masterTrainerKey", "user", "trainer", "partnerAdmin", "voucherCode"} <= set(demo)
    key = {"X-API-Key": demo["apiKey"]}
    user = requests.post(f"{served['url']}/auth/login", json=demo["user"], headers=key, timeout=10)
    assert user.status_code == 200, user.text
    trainer = requests.post(f"{served['url']}/trainer-auth/login", headers=key, timeout=10,
                            json={k: demo["trainer"][k] for k in ("email", "password")})
    assert trainer.json()["data"]["trainer"]["id"] == demo["trainer"]["id"]
    admin = requests.post(f"{served['url']}/partner-auth/login", json=demo["partnerAdmin"], timeout=10)
    assert admin.status_code == 200, admin.text
    voucher = requests.post(f"{served['url']}/auth/voucher/validate", json={"code": demo["voucherCode"]},
                            headers=key, timeout=10)
    assert voucher.json()["data"]["valid"] is True


def test_unknown_key_is_401_over_real_http(served):
    response = requests.get(f"{served['url']}/trainers", headers={"X-API-Key": "stv_nope"}, timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "API_KEY_INVALID"


def test_databases_and_credentials_are_readable_by_their_owner_only(served):
    assert stat.S_IMODE(served["var"].stat().st_mode) == 0o700
    files = sorted(served["var"].iterdir())
    assert {"demo.json", "auth.db", "partner.db"} <= {path.name for path in files}
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in files} == {path.name: 0o600 for path in files}


def test_a_request_the_server_cannot_parse_is_answered_in_json(served):
    port = int(served["url"].rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GARBAGE\r\n\r\n")
        raw = b""
        while chunk := connection.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert json.loads(body)["error"]["code"] == "MALFORMED_REQUEST"
