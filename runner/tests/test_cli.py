"""The operator CLI: JSON on stdout, errors on stderr with a non-zero exit, acting on the embedded databases."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from stvos_runner.platform import EmbeddedPlatform
from werkzeug.test import Client

ROOT = Path(__file__).resolve().parents[2]


def stvos(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "stvos_runner.cli", "--var-dir", str(var_dir), "admin", *args],
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


def key_check(var_dir: Path, api_key: str) -> tuple[int, str | None]:
    """The auth service's key check, asked through a fresh platform on the CLI's databases."""
    platform = EmbeddedPlatform(str(var_dir))
    try:
        response = Client(platform.apps["auth"]).get("/internal/gateway/check-key", headers={"X-API-Key": api_key})
        return response.status_code, response.headers.get("X-Client-Id")
    finally:
        platform.stop()


def test_issue_api_key_prints_a_new_key_that_passes_the_key_check(var_dir, client):
    result = stvos(var_dir, "issue-api-key", "--client-id", str(client["clientId"]))
    assert result.returncode == 0, result.stderr
    issued = json.loads(result.stdout)
    assert issued["clientId"] == client["clientId"] and issued["apiKey"] not in (client["apiKey"], "")
    assert key_check(var_dir, issued["apiKey"]) == (204, str(client["clientId"]))


def test_issue_api_key_for_an_unknown_client_is_an_error(var_dir):
    result = stvos(var_dir, "issue-api-key", "--client-id", "999")
    assert (result.returncode != 0, result.stdout) == (True, "")
    assert "CLIENT_NOT_FOUND" in result.stderr


def test_a_revoked_key_stops_passing_the_key_check_and_other_keys_keep_working(var_dir, client):
    extra = json.loads(stvos(var_dir, "issue-api-key", "--client-id", str(client["clientId"])).stdout)["apiKey"]
    result = stvos(var_dir, "revoke-api-key", "--client-id", str(client["clientId"]), "--api-key", extra)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"revoked": True}
    assert key_check(var_dir, extra)[0] == 401
    assert key_check(var_dir, client["apiKey"]) == (204, str(client["clientId"]))


def test_revoking_a_key_of_another_client_is_an_error_and_the_key_keeps_working(var_dir, client):
    other = json.loads(stvos(var_dir, "create-client", "South Studio").stdout)
    result = stvos(var_dir, "revoke-api-key", "--client-id", str(other["clientId"]), "--api-key", client["apiKey"])
    assert (result.returncode != 0, result.stdout) == (True, "")
    assert "API_KEY_NOT_FOUND" in result.stderr and client["apiKey"] not in result.stderr
    assert key_check(var_dir, client["apiKey"]) == (204, str(client["clientId"]))


def register_and_log_in(var_dir: Path, client: dict, email: str) -> str:
    platform = EmbeddedPlatform(str(var_dir))
    try:
        body = {"email": email, "password": "long-enough-pw"}
        response = Client(platform.gateway).post("/auth/register", json=body, headers={"X-API-Key": client["apiKey"]})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["data"]["accessToken"]
    finally:
        platform.stop()


def me_status(var_dir: Path, path: str, headers: dict[str, str]) -> int:
    platform = EmbeddedPlatform(str(var_dir))
    try:
        return Client(platform.gateway).get(path, headers=headers).status_code
    finally:
        platform.stop()


def test_rotate_auth_signing_key_changes_the_kid_of_new_tokens_while_old_tokens_still_verify(var_dir, client):
    old = register_and_log_in(var_dir, client, "before@north.example")
    result = stvos(var_dir, "rotate-signing-key", "--service", "auth")
    assert result.returncode == 0, result.stderr
    kid = json.loads(result.stdout)["kid"]
    new = register_and_log_in(var_dir, client, "after@north.example")
    assert jwt.get_unverified_header(new)["kid"] == kid != jwt.get_unverified_header(old)["kid"]
    for token in (old, new):
        assert me_status(var_dir, "/auth/me", {"X-API-Key": client["apiKey"], "Authorization": f"Bearer {token}"}) \
            == 200


def partner_login(var_dir: Path, email: str) -> str:
    platform = EmbeddedPlatform(str(var_dir))
    try:
        response = Client(platform.gateway).post("/partner-auth/login", json={"email": email,
                                                                              "password": "boss-password"})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]["accessToken"]
    finally:
        platform.stop()


def test_rotate_partner_signing_key_changes_the_kid_of_new_tokens_while_old_tokens_still_verify(var_dir, client):
    created = stvos(var_dir, "create-partner-staff", "--client-id", str(client["clientId"]), "--email",
                    "rotate@north.example", "--password", "boss-password", "--role", "staff")
    assert created.returncode == 0, created.stderr
    old = partner_login(var_dir, "rotate@north.example")
    result = stvos(var_dir, "rotate-signing-key", "--service", "partner")
    assert result.returncode == 0, result.stderr
    kid = json.loads(result.stdout)["kid"]
    new = partner_login(var_dir, "rotate@north.example")
    assert jwt.get_unverified_header(new)["kid"] == kid != jwt.get_unverified_header(old)["kid"]
    for token in (old, new):
        assert me_status(var_dir, "/partner-auth/me", {"Authorization": f"Bearer {token}"}) == 200


def test_rotate_signing_key_of_a_service_without_keys_is_a_usage_error(var_dir):
    result = stvos(var_dir, "rotate-signing-key", "--service", "booking")
    assert (result.returncode != 0, result.stdout) == (True, "")


@pytest.mark.parametrize("client_id", ["0", "2147483648", "x"])
def test_a_client_id_outside_32_bits_is_a_usage_error(var_dir, client_id):
    result = stvos(var_dir, "issue-api-key", "--client-id", client_id)
    assert (result.returncode, result.stdout) == (2, "")
    assert "--client-id" in result.stderr and "Traceback" not in result.stderr


def test_the_kek_rotates_new_first_then_rewrap_then_the_old_one_goes_and_tokens_stay_valid(tmp_path):
    from stvos_shared.keywrap import KEK_FILE, new_kek

    var_dir = tmp_path / "var"
    tenant = json.loads(stvos(var_dir, "create-client", "Kek Studio").stdout)
    token = register_and_log_in(var_dir, tenant, "kek@north.example")
    kek_file = var_dir / KEK_FILE
    old, new = kek_file.read_text().strip(), new_kek()
    kek_file.write_text(f"{new},{old}\n")
    result = stvos(var_dir, "rewrap-signing-keys", "--service", "auth")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"service": "auth", "rewrapped": 1}
    kek_file.write_text(f"{new}\n")  # the old KEK is gone: the rewrapped key still opens
    assert me_status(var_dir, "/auth/me", {"X-API-Key": tenant["apiKey"], "Authorization": f"Bearer {token}"}) == 200
    kek_file.write_text(f"{old}\n")  # and the old KEK alone no longer opens it
    result = stvos(var_dir, "rewrap-signing-keys", "--service", "auth")
    assert result.returncode != 0 and "does not open with the configured key-encryption keys" in result.stderr


def test_set_rate_limit_gives_a_tenant_a_tier_that_the_key_check_names_and_default_takes_it_back(var_dir, client):
    client_id = str(client["clientId"])
    result = stvos(var_dir, "set-rate-limit", "--client-id", client_id, "--rate", "5000")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"clientId": client["clientId"], "rateLimit": 5000, "effective": 5000}
    platform = EmbeddedPlatform(str(var_dir))
    try:
        answer = Client(platform.apps["auth"]).get("/internal/gateway/check-key",
                                                   headers={"X-API-Key": client["apiKey"]})
        assert answer.headers["X-Tenant-Rate"] == "5000"
        assert platform.gateway.keys.check(client["apiKey"], "", False).rate == "5000"
    finally:
        platform.stop()
    back = json.loads(stvos(var_dir, "set-rate-limit", "--client-id", client_id, "--rate", "default").stdout)
    assert (back["rateLimit"], back["effective"]) == (None, 2000)


@pytest.mark.parametrize("rate", ["3000", "0", "fast"])
def test_a_rate_that_is_not_a_tier_is_refused(var_dir, client, rate):
    result = stvos(var_dir, "set-rate-limit", "--client-id", str(client["clientId"]), "--rate", rate)
    assert (result.returncode != 0, result.stdout) == (True, "")
    assert "VALIDATION_FAILED" in result.stderr and "2000" in result.stderr


def test_complete_subscriptions_completes_the_due_ones_and_delivers_their_events(tmp_path):
    from datetime import date, timedelta

    from sqlalchemy import text
    from stvos_shared.events import Event

    platform = EmbeddedPlatform(str(tmp_path))
    try:
        booking = platform.containers["booking"]
        booking.consumer.handle(Event(type="catalog.programme.created", client_id=1, data={
            "programmeId": 7, "trainerId": 3, "name": "4 weeks", "description": None, "weeks": 4,
            "price": "99.00", "currency": "GBP", "active": True}))
        with booking.uow() as repos:
            for user_id, start in ((11, date(2020, 1, 6)), (12, date.today())):
                repos.programmes.add_subscription(
                    client_id=1, programme_id=7, trainer_id=3, user_id=user_id, status="active", start_date=start,
                    end_date=start + timedelta(weeks=4),
                    payment_amount="99.00", currency="GBP")
                repos.programmes.count_subscriber(7, +1)
    finally:
        platform.stop()
    result = stvos(tmp_path, "complete-subscriptions")
    assert (result.returncode, json.loads(result.stdout)) == (0, {"completed": 1}), result.stderr
    assert json.loads(stvos(tmp_path, "complete-subscriptions").stdout) == {"completed": 0}
    platform = EmbeddedPlatform(str(tmp_path))
    try:
        with platform.containers["portal"].db.unit_of_work(write=False) as session:
            assert session.execute(text("SELECT user_id, status FROM subscriptions")).all() == [(11, "completed")]
    finally:
        platform.stop()
