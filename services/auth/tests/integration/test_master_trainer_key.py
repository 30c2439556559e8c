"""/trainer-auth with X-Master-Trainer-Key: trainers found by email across tenants."""
from __future__ import annotations

import pytest
from stvos_auth import admin

from .conftest import PASSWORD

EMAIL = "mike@example.com"


@pytest.fixture
def master(auth) -> dict[str, str]:
    return {"X-Master-Trainer-Key": admin.set_master_trainer_key(auth)["masterTrainerKey"]}


def call(gateway, headers, action, **body):
    return gateway.post(f"/trainer-auth/{action}", headers=headers, json=body)


def test_master_key_finds_the_trainer_in_its_tenant(gateway, master, tenant, add_trainer):
    add_trainer(tenant.client_id, 5, EMAIL)
    data = call(gateway, master, "check-email", email=EMAIL).get_json()["data"]
    assert data == {"exists": False, "canRegister": True, "trainer": {"id": 5, "name": "Coach Mike"}}


def test_master_key_registers_and_logs_in_a_trainer_without_api_key(gateway, master, tenant, add_trainer):
    add_trainer(tenant.client_id, 5, EMAIL)
    assert call(gateway, master, "register", email=EMAIL, password=PASSWORD).status_code == 201
    response = call(gateway, master, "login", email=EMAIL, password=PASSWORD)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["trainer"]["id"] == 5
    me = gateway.get("/auth/me", headers=tenant.bearer(data["accessToken"]))
    assert me.get_json()["data"]["user"]["role"] == "trainer"


def test_email_of_trainers_in_two_tenants_needs_client_id(gateway, master, new_tenant, add_trainer):
    one, two = new_tenant("One"), new_tenant("Two")
    add_trainer(one.client_id, 5, EMAIL)
    add_trainer(two.client_id, 6, EMAIL)
    response = call(gateway, master, "check-email", email=EMAIL)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "AMBIGUOUS_TENANT"
    assert error["details"]["clients"] == [{"id": one.client_id, "name": "One"}, {"id": two.client_id, "name": "Two"}]
    chosen = call(gateway, master, "check-email", email=EMAIL, clientId=two.client_id).get_json()["data"]
    assert chosen["trainer"]["id"] == 6


def test_ambiguous_trainer_login_needs_client_id(gateway, master, new_tenant, add_trainer):
    one, two = new_tenant("One"), new_tenant("Two")
    for tenant, trainer_id in ((one, 5), (two, 6)):
        add_trainer(tenant.client_id, trainer_id, EMAIL)
        assert call(gateway, master, "register", email=EMAIL, password=PASSWORD,
                    clientId=tenant.client_id).status_code == 201
    assert call(gateway, master, "login", email=EMAIL, password=PASSWORD).status_code == 409
    response = call(gateway, master, "login", email=EMAIL, password=PASSWORD, clientId=two.client_id)
    assert response.status_code == 200
    assert response.get_json()["data"]["trainer"]["id"] == 6


def test_wrong_master_key_gets_401(gateway, master, tenant, add_trainer):
    add_trainer(tenant.client_id, 5, EMAIL)
    response = call(gateway, {"X-Master-Trainer-Key": "stvm_guess"}, "check-email", email=EMAIL)
    assert (response.status_code, response.get_json()["error"]["code"]) == (401, "API_KEY_INVALID")


def test_master_key_is_not_accepted_on_client_user_routes(gateway, master):
    response = gateway.post("/auth/login", headers=master, json={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 401


def test_rotating_the_master_key_retires_the_old_one_at_once(platform, master, auth):
    rotated = {"X-Master-Trainer-Key": admin.set_master_trainer_key(auth)["masterTrainerKey"]}
    client = platform.apps["auth"].test_client()
    assert client.get("/internal/gateway/check-key?master=1", headers=master).status_code == 401
    assert client.get("/internal/gateway/check-key?master=1", headers=rotated).status_code == 204


def test_the_service_checks_the_master_key_itself_when_no_client_id_arrives(platform, master, tenant, add_trainer):
    add_trainer(tenant.client_id, 5, EMAIL)
    client = platform.apps["auth"].test_client()
    forged = client.post("/trainer-auth/check-email", json={"email": EMAIL}, headers={"X-Master-Trainer-Key": "x"})
    assert forged.status_code == 401
    assert client.post("/trainer-auth/check-email", json={"email": EMAIL}, headers=master).status_code == 200


@pytest.mark.parametrize("action, body", [("check-email", {}), ("register", {"password": PASSWORD}),
                                          ("login", {"password": PASSWORD})])
def test_client_id_beyond_32_bits_gets_422_on_client_id(gateway, master, tenant, add_trainer, action, body):
    add_trainer(tenant.client_id, 5, EMAIL)
    response = call(gateway, master, action, email=EMAIL, clientId=2**31, **body)
    error = response.get_json()["error"]
    assert (response.status_code, error["code"], list(error["details"]["fields"])) == \
        (422, "VALIDATION_FAILED", ["clientId"])
