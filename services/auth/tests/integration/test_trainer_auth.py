"""/trainer-auth with the tenant API key: check-email, register, login."""
from __future__ import annotations

import jwt
import pytest
from sqlalchemy import select
from stvos_auth.adapters.orm import User
from stvos_auth.adapters.repository import Users

from .conftest import PASSWORD

EMAIL = "mike@example.com"


@pytest.fixture
def trainer(tenant, add_trainer) -> int:
    return add_trainer(tenant.client_id, 5, EMAIL, name="Coach Mike")


def call(gateway, tenant, action, **body):
    return gateway.post(f"/trainer-auth/{action}", headers=tenant.headers, json=body)


def test_check_email_of_a_new_trainer_record_can_register(gateway, tenant, trainer):
    response = call(gateway, tenant, "check-email", email=EMAIL)
    assert response.status_code == 200
    assert response.get_json()["data"] == {"exists": False, "canRegister": True,
                                           "trainer": {"id": 5, "name": "Coach Mike"}}


def test_check_email_of_an_unknown_email_cannot_register(gateway, tenant):
    data = call(gateway, tenant, "check-email", email="nobody@example.com").get_json()["data"]
    assert data == {"exists": False, "canRegister": False, "trainer": None}


def test_check_email_after_registration_says_the_account_exists(gateway, tenant, trainer):
    call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    data = call(gateway, tenant, "check-email", email=" MIKE@example.com ").get_json()["data"]
    assert (data["exists"], data["canRegister"]) == (True, False)


def test_check_email_of_a_deactivated_trainer_cannot_register(gateway, tenant, trainer, add_trainer):
    add_trainer(tenant.client_id, 5, EMAIL, event="deactivated")
    data = call(gateway, tenant, "check-email", email=EMAIL).get_json()["data"]
    assert (data["exists"], data["canRegister"]) == (False, False)


def test_trainer_with_a_record_registers_and_gets_a_trainer_token(gateway, platform, tenant, trainer, events):
    response = call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["user"] == {"id": data["user"]["id"], "email": EMAIL, "name": "Coach Mike", "role": "trainer"}
    claims = jwt.decode(data["accessToken"], options={"verify_signature": False})
    assert (claims["role"], claims["tid"], claims["cid"]) == ("trainer", 5, tenant.client_id)
    assert events("auth.trainer_account.registered") == [
        {"clientId": tenant.client_id, "userId": data["user"]["id"], "trainerId": 5, "email": EMAIL,
         "claimedFrom": "unknown"}]  # the test client has no address


def test_second_trainer_registration_gets_409(gateway, tenant, trainer):
    call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    response = call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "EMAIL_TAKEN"


def test_two_accounts_for_one_trainer_record_are_refused_by_the_database(gateway, auth, tenant, trainer,
                                                                          add_trainer, monkeypatch):
    """The unique index decides when two registrations race past the check (here: the check sees nothing)."""
    assert call(gateway, tenant, "register", email=EMAIL, password=PASSWORD).status_code == 201
    add_trainer(tenant.client_id, 5, "mike.new@example.com", event="updated")
    monkeypatch.setattr(Users, "trainer_account", lambda *args: None)
    response = call(gateway, tenant, "register", email="mike.new@example.com", password=PASSWORD)
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "EMAIL_TAKEN")
    with auth.db.unit_of_work(write=False) as session:
        accounts = session.execute(select(User.email).where(User.trainer_id == 5)).scalars().all()
    assert accounts == [EMAIL]


def test_registration_without_a_trainer_record_gets_404(gateway, tenant):
    response = call(gateway, tenant, "register", email="nobody@example.com", password=PASSWORD)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "TRAINER_NOT_FOUND"


def test_record_of_another_tenant_does_not_let_a_trainer_register_here(gateway, new_tenant, add_trainer):
    mine, theirs = new_tenant("Mine"), new_tenant("Theirs")
    add_trainer(theirs.client_id, 9, EMAIL)
    assert call(gateway, mine, "register", email=EMAIL, password=PASSWORD).status_code == 404


def test_deactivated_trainer_cannot_register(gateway, tenant, trainer, add_trainer):
    add_trainer(tenant.client_id, 5, EMAIL, event="deactivated")
    response = call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    assert (response.status_code, response.get_json()["error"]["code"]) == (403, "TRAINER_INACTIVE")


def test_trainer_registration_with_a_short_password_gets_422(gateway, tenant, trainer):
    assert call(gateway, tenant, "register", email=EMAIL, password="short").status_code == 422


def test_trainer_login_returns_the_trainer_record(gateway, tenant, trainer):
    call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    response = call(gateway, tenant, "login", email=EMAIL, password=PASSWORD)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert list(data) == ["user", "trainer", "accessToken", "refreshToken"]
    assert data["trainer"] == {"id": 5, "name": "Coach Mike", "specialisations": ["strength", "hiit"]}


def test_trainer_login_shows_the_records_latest_name(gateway, tenant, trainer, add_trainer):
    call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    add_trainer(tenant.client_id, 5, EMAIL, name="Coach Michael", specialisations=("yoga",), event="updated")
    data = call(gateway, tenant, "login", email=EMAIL, password=PASSWORD).get_json()["data"]
    assert data["trainer"] == {"id": 5, "name": "Coach Michael", "specialisations": ["yoga"]}


def test_trainer_login_with_wrong_password_gets_401(gateway, tenant, trainer):
    call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    response = call(gateway, tenant, "login", email=EMAIL, password="wrong password")
    assert (response.status_code, response.get_json()["error"]["code"]) == (401, "INVALID_CREDENTIALS")


def test_client_user_cannot_log_in_as_a_trainer(gateway, register, tenant):
    register(tenant, "jane@example.com")
    response = call(gateway, tenant, "login", email="jane@example.com", password=PASSWORD)
    assert (response.status_code, response.get_json()["error"]["code"]) == (401, "INVALID_CREDENTIALS")


def test_deactivated_trainer_cannot_log_in_or_refresh(gateway, tenant, trainer, add_trainer):
    tokens = call(gateway, tenant, "register", email=EMAIL, password=PASSWORD).get_json()["data"]
    add_trainer(tenant.client_id, 5, EMAIL, event="deactivated")
    login = call(gateway, tenant, "login", email=EMAIL, password=PASSWORD)
    assert (login.status_code, login.get_json()["error"]["code"]) == (403, "TRAINER_INACTIVE")
    refresh = gateway.post("/auth/refresh", headers=tenant.headers, json={"refreshToken": tokens["refreshToken"]})
    assert refresh.status_code == 403


def test_client_id_of_another_tenant_with_an_api_key_gets_403(gateway, new_tenant, add_trainer):
    mine, theirs = new_tenant("Mine"), new_tenant("Theirs")
    add_trainer(theirs.client_id, 9, EMAIL)
    response = call(gateway, mine, "check-email", email=EMAIL, clientId=theirs.client_id)
    assert (response.status_code, response.get_json()["error"]["code"]) == (403, "TENANT_MISMATCH")


def test_trainer_endpoints_without_any_key_get_401(gateway):
    response = gateway.post("/trainer-auth/check-email", json={"email": EMAIL})
    assert (response.status_code, response.get_json()["error"]["code"]) == (401, "API_KEY_INVALID")


def test_check_email_with_unknown_field_gets_422(gateway, tenant):
    assert call(gateway, tenant, "check-email", email=EMAIL, password="x").status_code == 422


def test_trainer_tokens_are_never_cached(gateway, tenant, trainer):
    registered = call(gateway, tenant, "register", email=EMAIL, password=PASSWORD)
    logged_in = call(gateway, tenant, "login", email=EMAIL, password=PASSWORD)
    for response in (registered, logged_in):
        assert (response.headers["Cache-Control"], response.headers["Pragma"]) == ("no-store", "no-cache")
