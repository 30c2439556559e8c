"""Partner staff login, refresh rotation, /me and logout, through the gateway."""
from __future__ import annotations

from datetime import timedelta

import jwt
from sqlalchemy import select, update
from stvos_auth.admin import create_client
from stvos_partner.adapters import orm
from stvos_partner.adapters.orm import signing_keys, utcnow
from stvos_partner.admin import create_partner_staff
from stvos_shared.keywrap import KeyWrap
from stvos_shared.tokens import TokenSigner

from services.partner.tests.support import PASSWORD, announce_client, bearer, own_partner_service


def _tenant_admin(partner, email="boss@studio.test", client_id=7, name="Partner Studio"):
    announce_client(partner, client_id, name)
    return create_partner_staff(partner, client_id, email, PASSWORD)["staff"]


def test_login_returns_the_staff_member_and_an_eight_hour_partner_token(partner, gateway):
    staff = _tenant_admin(partner)
    response = gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD})
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["staff"] == {"id": staff["id"], "email": "boss@studio.test", "name": None, "role": "admin",
                             "clientId": 7}
    claims = jwt.decode(data["accessToken"], options={"verify_signature": False})
    assert (claims["iss"], claims["aud"], claims["typ"]) == ("stvos-partner", "stvos-partner", "access")
    assert claims["exp"] - claims["iat"] == 8 * 3600
    assert (claims["sub"], claims["cid"], claims["role"]) == (str(staff["id"]), 7, "admin")
    assert jwt.get_unverified_header(data["accessToken"])["alg"] == "RS256"


def test_login_accepts_the_email_in_any_case(partner, gateway):
    _tenant_admin(partner)
    response = gateway.post("/partner-auth/login", json={"email": " Boss@Studio.TEST ", "password": PASSWORD})
    assert response.status_code == 200


def test_unknown_email_and_wrong_password_answer_alike(partner, gateway):
    _tenant_admin(partner)
    answers = [
        gateway.post("/partner-auth/login", json={"email": "nobody@studio.test", "password": PASSWORD}),
        gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": "wrong password"}),
    ]
    assert {response.status_code for response in answers} == {401}
    assert len({response.get_data() for response in answers}) == 1
    assert answers[0].get_json()["error"]["code"] == "INVALID_CREDENTIALS"


def test_five_failures_make_that_address_wait_while_another_address_signs_in(partner, gateway):
    _tenant_admin(partner)
    for _ in range(5):
        gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": "not the password"},
                     environ_overrides={"REMOTE_ADDR": "10.0.0.1"})
    waiting = gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD},
                           environ_overrides={"REMOTE_ADDR": "10.0.0.1"})
    assert (waiting.status_code, waiting.get_json()["error"]["code"]) == (429, "RATE_LIMITED")
    assert 1 <= int(waiting.headers["Retry-After"]) <= 15 * 60
    elsewhere = gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD},
                             environ_overrides={"REMOTE_ADDR": "10.0.0.2"})
    assert elsewhere.status_code == 200


def test_a_successful_login_resets_the_failure_count(partner, gateway):
    _tenant_admin(partner)
    for _ in range(4):
        gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": "not the password"})
    assert gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD}).status_code \
        == 200
    gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": "not the password"})
    assert gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD}).status_code \
        == 200


def test_me_shows_the_staff_member_and_the_tenant_name(partner, gateway, login):
    _tenant_admin(partner)
    token = login("boss@studio.test")["accessToken"]
    response = gateway.get("/partner-auth/me", headers=bearer(token))
    assert response.status_code == 200
    staff = response.get_json()["data"]["staff"]
    assert staff["client"] == {"id": 7, "name": "Partner Studio"}
    assert (staff["email"], staff["role"], staff["clientId"]) == ("boss@studio.test", "admin", 7)


def test_me_without_a_token_is_401(gateway):
    response = gateway.get("/partner-auth/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "TOKEN_INVALID"


def test_refresh_rotates_the_refresh_token(partner, gateway, login):
    _tenant_admin(partner)
    first = login("boss@studio.test")["refreshToken"]
    response = gateway.post("/partner-auth/refresh", json={"refreshToken": first})
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["refreshToken"] != first
    assert gateway.get("/partner-auth/me", headers=bearer(data["accessToken"])).status_code == 200
    assert gateway.post("/partner-auth/refresh", json={"refreshToken": data["refreshToken"]}).status_code == 200


def test_reusing_a_spent_refresh_token_ends_the_whole_session(partner, gateway, login):
    _tenant_admin(partner)
    first = login("boss@studio.test")["refreshToken"]
    rotated = gateway.post("/partner-auth/refresh", json={"refreshToken": first}).get_json()["data"]
    tokens = orm.refresh.tokens
    with partner.db.unit_of_work() as session:  # the replay comes after the grace period
        session.execute(update(tokens).where(tokens.c.used_at.is_not(None))
                        .values(used_at=utcnow() - timedelta(minutes=1)))
    replay = gateway.post("/partner-auth/refresh", json={"refreshToken": first})
    assert replay.status_code == 401
    assert gateway.post("/partner-auth/refresh", json={"refreshToken": rotated["refreshToken"]}).status_code == 401
    assert gateway.get("/partner-auth/me", headers=bearer(rotated["accessToken"])).status_code == 401


def test_a_retry_within_the_grace_period_gets_the_same_successor_and_keeps_the_session(partner, gateway, login):
    _tenant_admin(partner)
    first = login("boss@studio.test")["refreshToken"]
    rotated = gateway.post("/partner-auth/refresh", json={"refreshToken": first}).get_json()["data"]
    retry = gateway.post("/partner-auth/refresh", json={"refreshToken": first})
    assert retry.status_code == 200
    assert jwt.decode(retry.get_json()["data"]["refreshToken"], options={"verify_signature": False})["jti"] == \
        jwt.decode(rotated["refreshToken"], options={"verify_signature": False})["jti"]
    assert gateway.post("/partner-auth/refresh", json={"refreshToken": rotated["refreshToken"]}).status_code == 200


def test_access_and_refresh_tokens_are_not_interchangeable(partner, gateway, login):
    _tenant_admin(partner)
    tokens = login("boss@studio.test")
    assert gateway.get("/partner-auth/me", headers=bearer(tokens["refreshToken"])).status_code == 401
    assert gateway.post("/partner-auth/refresh", json={"refreshToken": tokens["accessToken"]}).status_code == 401


def test_logout_ends_the_session_for_access_and_refresh_tokens(partner, gateway, login):
    _tenant_admin(partner)
    tokens = login("boss@studio.test")
    response = gateway.post("/partner-auth/logout", headers=bearer(tokens["accessToken"]))
    assert response.status_code == 200
    assert response.get_json()["data"] == {"message": "Logged out successfully"}
    assert gateway.get("/partner-auth/me", headers=bearer(tokens["accessToken"])).status_code == 401
    assert gateway.post("/partner-auth/refresh", json={"refreshToken": tokens["refreshToken"]}).status_code == 401


def test_logout_leaves_other_sessions_of_the_same_staff_member_open(partner, gateway, login):
    _tenant_admin(partner)
    laptop, phone = login("boss@studio.test"), login("boss@studio.test")
    gateway.post("/partner-auth/logout", headers=bearer(laptop["accessToken"]))
    assert gateway.get("/partner-auth/me", headers=bearer(phone["accessToken"])).status_code == 200


def test_a_user_token_from_the_identity_service_is_rejected(platform, partner, gateway):
    tenant = create_client(platform.containers["auth"], name="Studio Seven")
    platform.flush()
    staff = create_partner_staff(partner, tenant["clientId"], "boss@studio.test", PASSWORD)["staff"]
    registered = gateway.post("/auth/register", json={"email": "jane@example.com", "password": "long-enough-pw"},
                              headers={"X-API-Key": tenant["apiKey"]})
    assert registered.status_code == 201, registered.get_json()
    user_token = registered.get_json()["data"]["accessToken"]
    claims = jwt.decode(user_token, options={"verify_signature": False})
    assert (claims["sub"], claims["cid"]) == (str(staff["id"]), staff["clientId"])  # same ids as the staff member
    assert gateway.get("/auth/me", headers={**bearer(user_token), "X-API-Key": tenant["apiKey"]}).status_code == 200
    for path in ("/partner-auth/me", "/partner/trainers"):
        response = gateway.get(path, headers=bearer(user_token))
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "TOKEN_INVALID"


def test_a_token_signed_with_the_partner_key_but_another_issuer_is_rejected(partner, gateway, login):
    staff = _tenant_admin(partner)
    login("boss@studio.test")  # makes the partner key
    with partner.db.unit_of_work(write=False) as session:
        key = session.execute(select(signing_keys)).one()
    pem = KeyWrap(partner.settings.signing_key_kek).open(key.kid, key.private_key_sealed)
    forged = TokenSigner(pem, key.kid, "stvos-auth", "stvos-api")
    token = forged.issue(str(staff["id"]), "access", 3600, {"cid": 7, "role": "admin", "fam": "x"})
    assert gateway.get("/partner-auth/me", headers=bearer(token)).status_code == 401


def test_too_many_logins_from_one_address_get_429_with_retry_after(tmp_path):
    with own_partner_service(f"sqlite:///{tmp_path / 'partner.db'}", login_address_limit=5) as (container, app):
        create_partner_staff(container, 7, "boss@studio.test", PASSWORD)
        client, address = app.test_client(), {"X-Real-IP": "10.0.0.1"}
        for number in range(5):
            client.post("/partner-auth/login", json={"email": f"nobody{number}@studio.test", "password": "whatever1"},
                        headers=address)
        response = client.post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD},
                               headers=address)
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "RATE_LIMITED"
    assert int(response.headers["Retry-After"]) >= 1


def test_a_malformed_login_body_is_422_and_non_json_is_400(gateway):
    assert gateway.post("/partner-auth/login", json={"email": "a@b.co"}).status_code == 422
    assert gateway.post("/partner-auth/login", json={"email": "not-an-email", "password": "x"}).status_code == 422
    assert gateway.post("/partner-auth/login", json={"email": "a@b.co", "password": "x", "role": "admin"}
                        ).status_code == 422
    response = gateway.post("/partner-auth/login", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400



def test_staff_tokens_are_never_cached(partner, gateway, login):
    _tenant_admin(partner)
    first = gateway.post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD})
    second = gateway.post("/partner-auth/refresh", json={"refreshToken": first.get_json()["data"]["refreshToken"]})
    for response in (first, second):
        assert (response.headers["Cache-Control"], response.headers["Pragma"]) == ("no-store", "no-cache")
