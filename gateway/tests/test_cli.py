"""The operator CLI: JSON on stdout, errors on stderr with a non-zero exit, acting on the embedded databases."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from stvos_gateway.platform import EmbeddedPlatform
from werkzeug.test import Client

ROOT = Path(__file__).resolve().parents[2]


def stvos(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "stvos_gateway.cli", "--var-dir", str(var_dir), "admin", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli-var")


@pytest.fixture(scope="module")
def client(var_dir) -> dict:
    result = stvos(var_dir, "create-client", "North Studio", "--branding", '{"primaryColor": "#123456"}')
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_create_client_prints_only_its_id_and_key(client):
    assert set(client) == {"clientId", "apiKey"}
    assert client["apiKey"].startswith("stv_")


def test_create_partner_staff_prints_the_staff_and_they_can_log_in(var_dir, client):
    result = stvos(var_dir, "create-partner-staff", "--client-id", str(client["clientId"]), "--email",
                   "Boss@North.example", "--password", "boss-password", "--role", "admin")
    assert result.returncode == 0, result.stderr
    staff = json.loads(result.stdout)["staff"]
    assert (staff["email"], staff["role"], staff["clientId"]) == ("boss@north.example", "admin", client["clientId"])
    platform = EmbeddedPlatform(str(var_dir))
    try:
        login = Client(platform.gateway).post("/partner-auth/login", json={"email": "boss@north.example",
                                                                           "password": "boss-password"})
        assert login.status_code == 200
        token = login.get_json()["data"]["accessToken"]
        me = Client(platform.gateway).get("/partner-auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.get_json()["data"]["staff"]["client"] == {"id": client["clientId"], "name": "North Studio"}
        key_check = Client(platform.gateway).get("/auth/me", headers={"X-API-Key": client["apiKey"]})
        assert key_check.get_json()["error"]["code"] != "API_KEY_INVALID"
    finally:
        platform.stop()


def test_set_master_trainer_key_rotates_the_key(var_dir):
    first, second = (stvos(var_dir, "set-master-trainer-key") for _ in range(2))
    keys = [json.loads(result.stdout)["masterTrainerKey"] for result in (first, second)]
    assert keys[0] != keys[1]


def test_an_unknown_client_is_an_error_on_stderr_with_a_non_zero_exit(var_dir):
    result = stvos(var_dir, "create-partner-staff", "--client-id", "999", "--email", "x@y.example",
                   "--password", "long-enough-pw")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "CLIENT_NOT_FOUND" in result.stderr


def test_bad_input_is_an_error_not_a_traceback(var_dir, client):
    result = stvos(var_dir, "create-partner-staff", "--client-id", str(client["clientId"]), "--email", "not-an-email",
                   "--password", "short")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
