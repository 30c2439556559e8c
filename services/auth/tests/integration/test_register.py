"""POST /auth/register through the gateway."""
from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import func, select
from stvos_auth.adapters.orm import ApiKey, Client, User, refresh

from .conftest import PASSWORD


def count_users(auth) -> int:
    with auth.db.unit_of_work(write=False) as session:
        return session.execute(select(func.count()).select_from(User)).scalar_one()


def test_registration_creates_a_user_and_signs_it_in(gateway, tenant):
    response = gateway.post("/auth/register", headers=tenant.headers,
                            json={"email": "jane@example.com", "password": PASSWORD, "name": "Jane Doe"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["success"] is True
    assert body["data"]["user"] == {"id": body["data"]["user"]["id"], "email": "jane@example.com",
                                    "name": "Jane Doe", "role": "user"}
    assert body["data"]["accessToken"].startswith("eyJ")
    assert body["data"]["refreshToken"].startswith("eyJ")


def test_only_email_and_password_are_required(register, tenant):
    data = register(tenant, "minimal@example.com")
    assert data["user"]["name"] is None
    assert data["user"]["role"] == "user"


def test_profile_settings_coach_and_session_are_returned_by_me(gateway, register, tenant, add_trainer):
    coach = add_trainer(tenant.client_id, 5, "coach@example.com")
    data = register(tenant, "jane@example.com", name="Jane", sessionId="onboarding-1", coachId=coach,
                    profile={"age": 28, "fitnessLevel": "intermediate"}, settings={"notifications": True})
    me = gateway.get("/auth/me", headers=tenant.bearer(data["accessToken"])).get_json()["data"]
    assert me["user"]["profile"] == {"age": 28, "fitnessLevel": "intermediate"}
    assert me["user"]["settings"] == {"notifications": True}
    assert me["user"]["coachId"] == 5
    assert me["user"]["sessionId"] == "onboarding-1"
    assert me["client"] == {"id": tenant.client_id, "name": "Studio One"}


def test_timestamps_of_a_new_account_read_back_as_aware_utc(register, tenant, auth):
    register(tenant, "jane@example.com")
    columns = [Client.created_at, ApiKey.created_at, User.created_at, refresh.families.c.created_at,
               refresh.families.c.expires_at, refresh.tokens.c.issued_at]
    with auth.db.unit_of_work(write=False) as session:
        moments = [session.execute(select(column)).scalars().first() for column in columns]
    assert all(moment.utcoffset() == timedelta(0) and moment.tzinfo is UTC for moment in moments), moments


def test_email_is_normalised_before_it_is_stored(register, tenant):
    assert register(tenant, "  Jane.Doe@Example.COM ")["user"]["email"] == "jane.doe@example.com"


def test_second_registration_with_same_email_gets_409(gateway, register, tenant):
    register(tenant, "jane@example.com")
    response = gateway.post("/auth/register", headers=tenant.headers,
                            json={"email": " JANE@example.com", "password": PASSWORD})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "EMAIL_TAKEN"


def test_one_email_may_register_in_two_tenants(register, new_tenant):
    first, second = new_tenant("One"), new_tenant("Two")
    assert register(first, "jane@example.com")["user"]["id"] != register(second, "jane@example.com")["user"]["id"]


def test_registration_writes_user_registered_event(register, tenant, add_trainer, events):
    add_trainer(tenant.client_id, 7, "coach@example.com")
    user = register(tenant, "jane@example.com", name="Jane", coachId=7, sessionId="s-1")["user"]
    [event] = events("auth.user.registered")
    assert event == {"clientId": tenant.client_id, "userId": user["id"], "email": "jane@example.com", "name": "Jane",
                     "role": "user", "coachId": 7, "sessionId": "s-1", "voucher": None,
                     "invite": None}


def _error(gateway, tenant, body):
    response = gateway.post("/auth/register", headers=tenant.headers, json=body)
    return response.status_code, response.get_json()["error"]


def test_missing_email_gets_422_naming_the_field(gateway, tenant):
    status, error = _error(gateway, tenant, {"password": PASSWORD})
    assert (status, error["code"]) == (422, "VALIDATION_FAILED")
    assert "email" in error["details"]["fields"]


def test_missing_password_gets_422(gateway, tenant):
    status, error = _error(gateway, tenant, {"email": "jane@example.com"})
    assert status == 422 and "password" in error["details"]["fields"]


def test_malformed_email_gets_422(gateway, tenant):
    status, error = _error(gateway, tenant, {"email": "not-an-email", "password": PASSWORD})
    assert status == 422 and "email" in error["details"]["fields"]


def test_password_shorter_than_8_characters_gets_422(gateway, tenant):
    status, error = _error(gateway, tenant, {"email": "jane@example.com", "password": "seven77"})
    assert status == 422 and "password" in error["details"]["fields"]


def test_password_longer_than_128_characters_gets_422(gateway, tenant):
    status, error = _error(gateway, tenant, {"email": "jane@example.com", "password": "x" * 129})
    assert status == 422 and "password" in error["details"]["fields"]


def test_unknown_field_gets_422_and_cannot_set_the_role(gateway, tenant, auth):
    status, error = _error(gateway, tenant, {"email": "jane@example.com", "password": PASSWORD, "role": "trainer"})
    assert status == 422 and error["details"]["fields"]["role"] == ["Unknown field."]
    assert count_users(auth) == 0


def test_body_that_is_not_json_gets_400(gateway, tenant):
    response = gateway.post("/auth/register", headers={**tenant.headers, "Content-Type": "application/json"},
                            data="{not json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "MALFORMED_REQUEST"


def test_unknown_coach_gets_422_on_coach_id(gateway, tenant, auth):
    status, error = _error(gateway, tenant, {"email": "jane@example.com", "password": PASSWORD, "coachId": 99})
    assert (status, list(error["details"]["fields"])) == (422, ["coachId"])
    assert count_users(auth) == 0


def test_coach_id_beyond_32_bits_gets_422_on_coach_id(gateway, tenant, auth):
    status, error = _error(gateway, tenant, {"email": "jane@example.com", "password": PASSWORD,
                                             "coachId": 2**31})
    assert (status, error["code"], list(error["details"]["fields"])) == (422, "VALIDATION_FAILED", ["coachId"])
    assert count_users(auth) == 0


def test_coach_of_another_tenant_gets_422(gateway, new_tenant, add_trainer):
    mine, theirs = new_tenant("Mine"), new_tenant("Theirs")
    add_trainer(theirs.client_id, 12, "coach@theirs.com")
    status, error = _error(gateway, mine, {"email": "jane@example.com", "password": PASSWORD, "coachId": 12})
    assert (status, list(error["details"]["fields"])) == (422, ["coachId"])


def test_deactivated_coach_gets_422(gateway, tenant, add_trainer):
    add_trainer(tenant.client_id, 8, "coach@example.com")
    add_trainer(tenant.client_id, 8, "coach@example.com", event="deactivated")
    status, _ = _error(gateway, tenant, {"email": "jane@example.com", "password": PASSWORD, "coachId": 8})
    assert status == 422


def test_registration_without_api_key_gets_401(gateway):
    response = gateway.post("/auth/register", json={"email": "jane@example.com", "password": PASSWORD})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "API_KEY_INVALID"


def test_registration_with_a_made_up_api_key_gets_401(gateway):
    response = gateway.post("/auth/register", headers={"X-API-Key": "stv_made-up"},
                            json={"email": "jane@example.com", "password": PASSWORD})
    assert response.status_code == 401
