"""Lockout after consecutive failures, and 429 per client address and per account."""
from __future__ import annotations

import time
from dataclasses import replace

from stvos_auth import admin
from stvos_auth.app import create_app
from stvos_auth.bootstrap import build
from stvos_auth.config import Settings

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


def test_account_locks_after_consecutive_failures_and_answers_like_a_wrong_password(tuned_gateway):
    gateway = tuned_gateway(lockout_threshold=3, lockout_seconds=60)
    headers = setup_user(gateway)
    wrong = [login(gateway, headers, WRONG) for _ in range(3)]
    locked = login(gateway, headers, PASSWORD)
    assert locked.status_code == 401
    assert locked.get_json() == wrong[0].get_json()
    assert login(gateway, headers, PASSWORD, email="nobody@example.com").get_json() == locked.get_json()


def test_lock_ends_after_the_lockout_period(tuned_gateway):
    gateway = tuned_gateway(lockout_threshold=2, lockout_seconds=1)
    headers = setup_user(gateway)
    for _ in range(2):
        login(gateway, headers, WRONG)
    assert login(gateway, headers, PASSWORD).status_code == 401
    time.sleep(1.1)
    assert login(gateway, headers, PASSWORD).status_code == 200


def test_a_successful_login_resets_the_failure_count(tuned_gateway):
    gateway = tuned_gateway(lockout_threshold=3, lockout_seconds=60)
    headers = setup_user(gateway)
    for password in (WRONG, WRONG, PASSWORD, WRONG, WRONG):
        login(gateway, headers, password)
    assert login(gateway, headers, PASSWORD).status_code == 200


def test_default_lockout_is_ten_failures_for_fifteen_minutes(tuned_gateway):
    settings = tuned_gateway().platform.containers["auth"].settings
    assert (settings.lockout_threshold, settings.lockout_seconds) == (10, 900)


def test_too_many_logins_from_one_address_get_429_with_retry_after(tuned_gateway):
    gateway = tuned_gateway(rate_ip_limit=3, rate_ip_window=60)
    headers = setup_user(gateway)
    for number in range(3):
        assert login(gateway, headers, PASSWORD, email=f"user{number}@example.com").status_code == 401
    limited = login(gateway, headers, PASSWORD, email="user9@example.com")
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "RATE_LIMITED"
    assert int(limited.headers["Retry-After"]) >= 1
    assert login(gateway, headers, PASSWORD, ip="10.0.0.2").status_code == 200


def test_too_many_logins_for_one_account_get_429_from_any_address(tuned_gateway):
    gateway = tuned_gateway(rate_account_limit=2, rate_account_window=600)
    headers = setup_user(gateway)
    assert login(gateway, headers, WRONG, ip="10.0.0.1").status_code == 401
    assert login(gateway, headers, WRONG, ip="10.0.0.2").status_code == 401
    limited = login(gateway, headers, PASSWORD, ip="10.0.0.3")
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert login(gateway, headers, PASSWORD, email="other@example.com", ip="10.0.0.4").status_code == 401


def test_unknown_accounts_are_rate_limited_like_real_ones(tuned_gateway):
    gateway = tuned_gateway(rate_account_limit=1, rate_account_window=600)
    headers = setup_user(gateway)
    login(gateway, headers, WRONG, email="ghost@example.com")
    assert login(gateway, headers, WRONG, email="ghost@example.com", ip="10.0.0.7").status_code == 429


def test_registrations_count_against_the_address(tuned_gateway):
    gateway = tuned_gateway(rate_ip_limit=2, rate_ip_window=60)
    headers = setup_user(gateway)
    statuses = [gateway.post("/auth/register", headers=headers, environ_overrides={"REMOTE_ADDR": "10.1.1.1"},
                             json={"email": f"new{n}@example.com", "password": PASSWORD}).status_code
                for n in range(3)]
    assert statuses == [201, 201, 429]


def test_the_limits_hold_across_processes_of_the_service(tmp_path):
    settings = replace(Settings.embedded(str(tmp_path)), rate_ip_limit=4)
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
