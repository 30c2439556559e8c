"""Every documented operation, fed generated and boundary input through the gateway, never answers 5xx.

schemathesis (its CLI: examples, coverage of boundary values, fuzzing and stateful phases) runs against
the embedded platform served over real HTTP; a fixed seed keeps the run reproducible. Logout is left
out: it would end the session whose token the rest of the run uses.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from stvos_auth import admin as auth_admin
from stvos_gateway.routes import load_table
from stvos_partner import admin as partner_admin
from stvos_runner.platform import EmbeddedPlatform
from werkzeug.serving import make_server
from werkzeug.test import Client

pytestmark = pytest.mark.slow
ADMIN = {"email": "fuzz-admin@example.com", "password": "fuzz-admin-password"}
USER = {"email": "fuzz-user@example.com", "password": "fuzz-user-password"}
SCHEMATHESIS = shutil.which("schemathesis", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The platform over HTTP with a tenant, a user and a partner admin; the gateway's rate limit out of the way."""
    table = load_table().unlimited()
    platform = EmbeddedPlatform(str(tmp_path_factory.mktemp("fuzz")), table=table)
    tenant = auth_admin.create_client(platform.containers["auth"], name="Fuzz Studio")
    partner_admin.create_partner_staff(platform.containers["partner"], client_id=tenant["clientId"], **ADMIN)
    platform.flush()
    gateway, key = Client(platform.gateway), {"X-API-Key": tenant["apiKey"]}
    user = gateway.post("/auth/register", json=USER, headers=key).get_json()["data"]["accessToken"]
    staff = gateway.post("/partner-auth/login", json=ADMIN).get_json()["data"]["accessToken"]
    platform.start()
    server = make_server("127.0.0.1", 0, platform.gateway, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "key": tenant["apiKey"], "user": user, "staff": staff,
           "dir": tmp_path_factory.mktemp("fuzz-report")}
    server.shutdown()
    platform.stop()


@pytest.mark.skipif(SCHEMATHESIS is None, reason="schemathesis is not installed (requirements-dev.txt)")
@pytest.mark.parametrize(("paths", "token"), [("^/partner", "staff"),
                                              ("^/(auth|trainer-auth|trainers|invite|my-bookings)", "user")])
def test_no_operation_answers_a_server_error(served, paths, token):
    result = subprocess.run(
        [SCHEMATHESIS, "run", f"{served['url']}/openapi.json", "--checks", "not_a_server_error",
         "--include-path-regex", paths, "--exclude-path-regex", "/logout$", "-H", f"X-API-Key: {served['key']}",
         "-H", f"Authorization: Bearer {served[token]}", "--max-examples", "30", "--seed", "20261121",
         "--workers", "1"],
        cwd=served["dir"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
    me = "/partner-auth/me" if token == "staff" else "/auth/me"
    still = requests.get(served["url"] + me, timeout=10,
                         headers={"X-API-Key": served["key"], "Authorization": f"Bearer {served[token]}"})
    assert still.status_code == 200, "the run's credentials stopped working, so it tested little beyond 401s"
