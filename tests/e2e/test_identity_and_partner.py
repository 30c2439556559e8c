"""Across auth and partner, through the embedded gateway: vouchers, trainer onboarding, tenant isolation."""
from __future__ import annotations

import threading

import pytest
from stvos_auth import admin as auth_admin
from stvos_partner import admin as partner_admin
from werkzeug.test import Client

ADMIN = {"email": "admin@north.example", "password": "admin-password-1"}


@pytest.fixture
def tenant(platform, gateway):
    """A tenant with an API key and a logged-in partner admin."""
    created = auth_admin.create_client(platform.containers["auth"], name="Studio North")
    platform.flush()
    partner_admin.create_partner_staff(platform.containers["partner"], client_id=created["clientId"], **ADMIN)
    login = gateway.post("/partner-auth/login", json=ADMIN)
    assert login.status_code == 200, login.get_json()
    return {**created, "key": {"X-API-Key": created["apiKey"]},
            "admin": {"Authorization": f"Bearer {login.get_json()['data']['accessToken']}"}}


def make_voucher(gateway, tenant, **fields) -> str:
    response = gateway.post("/partner/vouchers", json=fields, headers=tenant["admin"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]["voucher"]["code"]


def register(gateway, tenant, email: str, **extra):
    body = {"email": email, "password": "long-enough-pw", **extra}
    return gateway.post("/auth/register", json=body, headers=tenant["key"])


def test_registration_with_a_voucher_is_counted_by_the_partner(gateway, tenant):
    code = make_voucher(gateway, tenant, code="WELCOME-1", maxRedemptions=5)
    validated = gateway.post("/auth/voucher/validate", json={"code": code}, headers=tenant["key"])
    assert validated.get_json()["data"] == {"valid": True, "partner": {"name": "Studio North",
                                                                      "clientId": tenant["clientId"]}}
    assert register(gateway, tenant, "a@example.com", voucherCode=code).status_code == 201
    overview = gateway.get("/partner/overview", headers=tenant["admin"]).get_json()["data"]
    assert overview["usersRegisteredWithVouchers"] == 1
    vouchers = gateway.get("/partner/vouchers", headers=tenant["admin"]).get_json()["data"]["vouchers"]
    assert vouchers[0]["redemptions"] == 1


def test_an_exhausted_voucher_fails_registration_and_creates_no_user(gateway, tenant):
    code = make_voucher(gateway, tenant, maxRedemptions=1)
    assert register(gateway, tenant, "first@example.com", voucherCode=code).status_code == 201
    refused = register(gateway, tenant, "second@example.com", voucherCode=code)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "VOUCHER_INVALID"
    login = gateway.post("/auth/login", json={"email": "second@example.com", "password": "long-enough-pw"},
                         headers=tenant["key"])
    assert login.status_code == 401


def test_a_refused_registration_does_not_spend_the_voucher(gateway, tenant):
    code = make_voucher(gateway, tenant, maxRedemptions=1)
    assert register(gateway, tenant, "taken@example.com").status_code == 201
    assert register(gateway, tenant, "taken@example.com", voucherCode=code).status_code == 409
    assert register(gateway, tenant, "fresh@example.com", voucherCode=code).status_code == 201


def test_a_voucher_of_another_tenant_is_invalid(platform, gateway, tenant):
    other = auth_admin.create_client(platform.containers["auth"], name="Studio South")
    platform.flush()
    code = make_voucher(gateway, tenant, maxRedemptions=5)
    response = gateway.post("/auth/register", json={"email": "x@example.com", "password": "long-enough-pw",
                                                    "voucherCode": code}, headers={"X-API-Key": other["apiKey"]})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "VOUCHER_INVALID"


def test_two_registrations_racing_for_the_last_redemption_one_wins(platform, tenant, gateway):
    code = make_voucher(gateway, tenant, maxRedemptions=1)
    platform.flush()
    client, statuses = Client(platform.gateway), []
    barrier = threading.Barrier(6)

    def attempt(number: int) -> None:
        barrier.wait()
        response = client.post("/auth/register", headers=tenant["key"], json={
            "email": f"racer{number}@example.com", "password": "long-enough-pw", "voucherCode": code})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [422] * 5


def test_a_trainer_created_by_the_partner_can_register_and_log_in(gateway, tenant):
    created = gateway.post("/partner/trainers", headers=tenant["admin"], json={
        "name": "Coach Mike", "email": "Mike@North.example ", "specialisations": ["strength", "hiit"],
        "timezone": "Europe/London"})
    assert created.status_code == 201, created.get_json()
    trainer_id = created.get_json()["data"]["trainer"]["id"]
    check = gateway.post("/trainer-auth/check-email", json={"email": "mike@north.example"}, headers=tenant["key"])
    assert check.get_json()["data"] == {"exists": False, "canRegister": True,
                                        "trainer": {"id": trainer_id, "name": "Coach Mike"}}
    credentials = {"email": "mike@north.example", "password": "trainer-password"}
    registered = gateway.post("/trainer-auth/register", json=credentials, headers=tenant["key"])
    assert registered.status_code == 201
    assert registered.get_json()["data"]["user"]["role"] == "trainer"
    login = gateway.post("/trainer-auth/login", json=credentials, headers=tenant["key"]).get_json()["data"]
    assert login["trainer"] == {"id": trainer_id, "name": "Coach Mike", "specialisations": ["strength", "hiit"]}
    overview = gateway.get("/partner/overview", headers=tenant["admin"]).get_json()["data"]
    assert overview["registeredTrainerAccounts"] == 1
    again = gateway.post("/trainer-auth/register", json=credentials, headers=tenant["key"])
    assert again.status_code == 409


def test_an_email_without_a_trainer_record_cannot_register_as_trainer(gateway, tenant):
    response = gateway.post("/trainer-auth/register", json={"email": "nobody@north.example",
                                                            "password": "trainer-password"}, headers=tenant["key"])
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "TRAINER_NOT_FOUND")


def test_a_token_of_one_tenant_is_refused_with_the_key_of_another(platform, gateway, tenant):
    other = auth_admin.create_client(platform.containers["auth"], name="Studio South")
    platform.flush()
    assert register(gateway, tenant, "jane@example.com").status_code == 201
    token = gateway.post("/auth/login", json={"email": "jane@example.com", "password": "long-enough-pw"},
                         headers=tenant["key"]).get_json()["data"]["accessToken"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert gateway.get("/auth/me", headers={**tenant["key"], **bearer}).status_code == 200
    response = gateway.get("/auth/me", headers={"X-API-Key": other["apiKey"], **bearer})
    assert (response.status_code, response.get_json()["error"]["code"]) == (403, "TENANT_MISMATCH")


def test_a_user_token_is_useless_against_partner_endpoints(gateway, tenant):
    assert register(gateway, tenant, "jane@example.com").status_code == 201
    token = gateway.post("/auth/login", json={"email": "jane@example.com", "password": "long-enough-pw"},
                         headers=tenant["key"]).get_json()["data"]["accessToken"]
    response = gateway.get("/partner/trainers", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_a_partner_token_is_useless_against_user_endpoints(gateway, tenant):
    response = gateway.get("/auth/me", headers={**tenant["key"], **tenant["admin"]})
    assert response.status_code == 401
