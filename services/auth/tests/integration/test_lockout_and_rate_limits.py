"""Brute force is expensive, and nobody can lock anyone else out: per address, per (account, address), and a
per-account back-off that never refuses an address which has not been failing."""
from __future__ import annotations

import threading
import time

from stvos_auth import admin
from stvos_auth.app import create_app
from stvos_auth.bootstrap import build
from stvos_auth.config import Settings

from tests.fixtures.settings import tuned

from .conftest import PASSWORD

WRONG = "not the password"


def setup_user(gateway, email="jane@example.com"):
    created = admin.create_client(gateway.platform.containers["auth"], name="Studio")
    headers = {"X-API-Key": created["apiKey"]}
    response = gateway.post("/auth/register", headers=headers, json={"email": email, "password": PASSWORD},
                            environ_overrides={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 201
    return headers


def login(gateway, headers, password, email="jane@example.com", ip="10.0.0.1"):
    return gateway.post("/auth/login", headers=headers, json={"email": email, "password": password},
                        environ_overrides={"REMOTE_ADDR": ip})


def test_an_address_that_keeps_failing_waits_while_every_other_address_signs_in(tuned_gateway):
    gateway = tuned_gateway(login_pair_failures=3, login_pair_window=60)
    headers = setup_user(gateway)
    assert [login(gateway, headers, WRONG).status_code for _ in range(3)] == [401, 401, 401]
    waiting = login(gateway, headers, PASSWORD)
    assert (waiting.status_code, waiting.get_json()["error"]["code"]) == (429, "RATE_LIMITED")
    assert 1 <= int(waiting.headers["Retry-After"]) <= 60
    assert login(gateway, headers, PASSWORD, ip="10.0.0.2").status_code == 200


def test_failures_from_many_addresses_never_lock_the_owner_out(tuned_gateway):
    gateway = tuned_gateway(login_pair_failures=3, login_account_failures=10)
    headers = setup_user(gateway)
    attackers = [f"10.6.0.{n}" for n in range(1, 9)]
    statuses = [login(gateway, headers, WRONG, ip=ip).status_code for ip in attackers for _ in range(3)]
    assert statuses.count(401) >= 10 and set(statuses) <= {401, 429}  # far past the account's threshold
    assert login(gateway, headers, PASSWORD, ip="10.0.0.200").status_code == 200


def test_past_the_account_threshold_failing_addresses_back_off_longer_with_every_failure(tuned_gateway):
    gateway = tuned_gateway(login_pair_failures=10, login_account_failures=3, login_backoff_base_seconds=1)
    headers = setup_user(gateway)
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert login(gateway, headers, WRONG, ip=ip).status_code == 401
    first = login(gateway, headers, WRONG, ip="10.0.0.1")
    assert (first.status_code, first.headers["Retry-After"]) == (429, "1")
    time.sleep(1.1)
    assert login(gateway, headers, WRONG, ip="10.0.0.1").status_code == 401
    second = login(gateway, headers, PASSWORD, ip="10.0.0.2")
    assert (second.status_code, second.headers["Retry-After"]) == (429, "2")
    assert login(gateway, headers, PASSWORD, ip="10.0.0.77").status_code == 200  # never failed here


def test_the_right_password_clears_the_failures_of_its_address(tuned_gateway):
    gateway = tuned_gateway(login_pair_failures=3)
    headers = setup_user(gateway)
    for password in (WRONG, WRONG, PASSWORD, WRONG, WRONG):
        login(gateway, headers, password)
    assert login(gateway, headers, PASSWORD).status_code == 200


def test_unknown_accounts_are_throttled_exactly_like_real_ones(tuned_gateway):
    gateway = tuned_gateway(login_pair_failures=2)
    headers = setup_user(gateway)
    real = [login(gateway, headers, WRONG).get_json() for _ in range(3)]
    ghost = [login(gateway, headers, WRONG, email="ghost@example.com").get_json() for _ in range(3)]
    assert [r["error"]["code"] for r in real] == [g["error"]["code"] for g in ghost] == [
        "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "RATE_LIMITED"]


def test_concurrent_guesses_from_one_address_are_counted_exactly(tuned_gateway):
    gateway = tuned_gateway(login_pair_failures=5)
    headers = setup_user(gateway)
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(login(gateway, headers, WRONG).status_code))
               for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * 11


def test_too_many_credential_requests_from_one_address_get_429_with_retry_after(tuned_gateway):
    gateway = tuned_gateway(login_address_limit=3, login_address_window=60)
    headers = setup_user(gateway)
    for number in range(3):
        assert login(gateway, headers, PASSWORD, email=f"user{number}@example.com").status_code == 401
    limited = login(gateway, headers, PASSWORD, email="user9@example.com")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert login(gateway, headers, PASSWORD, ip="10.0.0.2").status_code == 200


def test_registrations_count_against_the_address(tuned_gateway):
    gateway = tuned_gateway(login_address_limit=2, login_address_window=60)
    headers = setup_user(gateway)
    statuses = [gateway.post("/auth/register", headers=headers, environ_overrides={"REMOTE_ADDR": "10.1.1.1"},
                             json={"email": f"new{n}@example.com", "password": PASSWORD}).status_code
                for n in range(3)]
    assert statuses == [201, 201, 429]


def test_the_limits_hold_across_processes_of_the_service(tmp_path):
    settings = tuned(Settings.embedded(str(tmp_path)), login_address_limit=4)
    containers = [build(settings) for _ in range(2)]
    containers[0].db.create_all()
    headers = {"X-Client-Id": str(admin.create_client(containers[0], name="Studio")["clientId"]),
               "X-Real-IP": "10.0.0.1"}
    processes = [create_app(container=container).test_client() for container in containers]
    statuses = [processes[number % 2].post("/auth/login", headers=headers, json={
        "email": f"user{number}@example.com", "password": WRONG}).status_code for number in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    for container in containers:
        container.db.dispose()


def test_default_knobs_keep_guessing_slow_and_never_lock_an_account():
    knobs = Settings.embedded("var").credentials
    assert (knobs.login_pair_failures, knobs.login_pair_window, knobs.login_account_failures,
            knobs.login_backoff_max_seconds) == (5, 900, 50, 900)
