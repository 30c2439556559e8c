"""Access tokens, /auth/me, refresh rotation with reuse detection, logout, tenant isolation."""
from __future__ import annotations

import threading
import time

import jwt
import pytest
from sqlalchemy import func, select
from stvos_auth import admin
from stvos_auth.adapters.orm import refresh as refresh_tables
from stvos_shared.tokens import JwksKeys, TokenSigner, TokenVerifier, generate_private_key_pem

from .conftest import PASSWORD


@pytest.fixture
def session(register, tenant):
    return register(tenant, "jane@example.com", name="Jane")


def verified(platform, token: str, typ: str = "access") -> dict:
    """Claims of a token verified as any other service would: keys from the JWKS endpoint."""
    jwks = platform.apps["auth"].test_client().get("/.well-known/jwks.json").get_json()
    return TokenVerifier(JwksKeys.static(jwks), "stvos-auth", "stvos-api").verify(token, typ)


def refresh(gateway, tenant, token):
    return gateway.post("/auth/refresh", headers=tenant.headers, json={"refreshToken": token})


def me(gateway, tenant, token):
    return gateway.get("/auth/me", headers=tenant.bearer(token))


def test_access_token_carries_the_contract_claims_for_15_minutes(platform, session, tenant):
    header = jwt.get_unverified_header(session["accessToken"])
    claims = verified(platform, session["accessToken"])
    assert header["alg"] == "RS256" and header["kid"]
    assert (claims["iss"], claims["aud"], claims["typ"]) == ("stvos-auth", "stvos-api", "access")
    assert (claims["sub"], claims["cid"], claims["role"], claims["tid"]) == (
        str(session["user"]["id"]), tenant.client_id, "user", None)
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_refresh_token_lives_30_days(platform, session):
    claims = verified(platform, session["refreshToken"], "refresh")
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600


def test_me_without_bearer_token_gets_401(gateway, tenant):
    response = gateway.get("/auth/me", headers=tenant.headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "TOKEN_INVALID"


def test_expired_access_token_gets_401_token_expired(gateway, auth, session, tenant):
    claims = {"cid": tenant.client_id, "role": "user", "tid": None}
    token = auth.signing.signer().issue(str(session["user"]["id"]), "access", 900, claims, now=time.time() - 3600)
    response = me(gateway, tenant, token)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "TOKEN_EXPIRED"


def test_token_forged_with_another_key_under_the_same_kid_gets_401(gateway, auth, session, tenant):
    kid = jwt.get_unverified_header(session["accessToken"])["kid"]
    forger = TokenSigner(generate_private_key_pem(), kid, "stvos-auth", "stvos-api")
    token = forger.issue(str(session["user"]["id"]), "access", 900, {"cid": tenant.client_id, "role": "trainer"})
    assert me(gateway, tenant, token).status_code == 401


def test_unsigned_and_hmac_tokens_get_401(gateway, session, tenant):
    payload = jwt.decode(session["accessToken"], options={"verify_signature": False})
    unsigned = jwt.encode(payload, None, algorithm="none")
    hmac = jwt.encode(payload, "secret-guess-that-is-long-enough-for-hs256", algorithm="HS256")
    assert me(gateway, tenant, unsigned).status_code == 401
    assert me(gateway, tenant, hmac).status_code == 401


def test_refresh_token_is_not_an_access_token(gateway, session, tenant):
    assert me(gateway, tenant, session["refreshToken"]).status_code == 401


def test_access_token_is_not_a_refresh_token(gateway, session, tenant):
    assert refresh(gateway, tenant, session["accessToken"]).status_code == 401


def test_refresh_rotates_the_refresh_token(gateway, platform, session, tenant):
    response = refresh(gateway, tenant, session["refreshToken"])
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert list(data) == ["accessToken", "refreshToken"]
    assert data["refreshToken"] != session["refreshToken"]
    assert me(gateway, tenant, data["accessToken"]).status_code == 200
    assert refresh(gateway, tenant, data["refreshToken"]).status_code == 200


def test_rotation_never_extends_the_30_day_session(gateway, platform, session, tenant):
    rotated = refresh(gateway, tenant, session["refreshToken"]).get_json()["data"]["refreshToken"]
    first = verified(platform, session["refreshToken"], "refresh")
    assert verified(platform, rotated, "refresh")["exp"] == first["exp"]


def test_reusing_a_refresh_token_revokes_its_whole_family(gateway, session, tenant):
    second = refresh(gateway, tenant, session["refreshToken"]).get_json()["data"]["refreshToken"]
    third = refresh(gateway, tenant, second).get_json()["data"]["refreshToken"]
    reuse = refresh(gateway, tenant, session["refreshToken"])
    assert reuse.status_code == 401
    assert reuse.get_json()["error"]["code"] == "TOKEN_INVALID"
    assert refresh(gateway, tenant, third).status_code == 401


def test_reuse_after_the_grace_period_revokes_the_family(tuned_gateway):
    gateway = tuned_gateway(refresh_reuse_grace_seconds=0)
    created = admin.create_client(gateway.platform.containers["auth"], name="Studio")
    headers = {"X-API-Key": created["apiKey"]}
    first = gateway.post("/auth/register", headers=headers,
                         json={"email": "jane@example.com", "password": PASSWORD}).get_json()["data"]["refreshToken"]
    second = gateway.post("/auth/refresh", headers=headers, json={"refreshToken": first}).get_json()["data"]
    assert gateway.post("/auth/refresh", headers=headers, json={"refreshToken": first}).status_code == 401
    assert gateway.post("/auth/refresh", headers=headers,
                        json={"refreshToken": second["refreshToken"]}).status_code == 401


def jti(token: str) -> str:
    return jwt.decode(token, options={"verify_signature": False})["jti"]


def test_a_retry_within_the_grace_gets_the_same_successor_not_a_new_one(gateway, session, tenant):
    lost = refresh(gateway, tenant, session["refreshToken"]).get_json()["data"]  # its answer is "lost"
    retry = refresh(gateway, tenant, session["refreshToken"])
    assert retry.status_code == 200
    assert jti(retry.get_json()["data"]["refreshToken"]) == jti(lost["refreshToken"])
    assert refresh(gateway, tenant, retry.get_json()["data"]["refreshToken"]).status_code == 200


def test_once_its_successor_is_used_a_retried_token_ends_the_session(gateway, session, tenant):
    successor = refresh(gateway, tenant, session["refreshToken"]).get_json()["data"]["refreshToken"]
    newest = refresh(gateway, tenant, successor).get_json()["data"]["refreshToken"]
    assert refresh(gateway, tenant, session["refreshToken"]).status_code == 401
    assert refresh(gateway, tenant, newest).status_code == 401


def test_concurrent_refreshes_of_one_token_mint_exactly_one_successor(gateway, auth, session, tenant):
    answers: list = []
    threads = [threading.Thread(target=lambda: answers.append(refresh(gateway, tenant, session["refreshToken"])))
               for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {answer.status_code for answer in answers} == {200}
    assert len({jti(answer.get_json()["data"]["refreshToken"]) for answer in answers}) == 1
    with auth.db.unit_of_work(write=False) as db_session:
        members = db_session.execute(select(func.count()).select_from(refresh_tables.tokens)).scalar_one()
    assert members == 2  # the first token and its one successor


def test_forged_refresh_token_gets_401(gateway, auth, session, tenant):
    kid = jwt.get_unverified_header(session["refreshToken"])["kid"]
    forger = TokenSigner(generate_private_key_pem(), kid, "stvos-auth", "stvos-api")
    forged = forger.issue(str(session["user"]["id"]), "refresh", 3600, {"cid": tenant.client_id})
    assert refresh(gateway, tenant, forged).status_code == 401


def test_missing_refresh_token_gets_422(gateway, tenant):
    assert gateway.post("/auth/refresh", headers=tenant.headers, json={}).status_code == 422


def test_logout_with_the_refresh_token_ends_the_session(gateway, session, tenant):
    response = gateway.post("/auth/logout", headers=tenant.bearer(session["accessToken"]),
                            json={"refreshToken": session["refreshToken"]})
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "data": {"message": "Logged out successfully"}}
    assert refresh(gateway, tenant, session["refreshToken"]).status_code == 401


def test_logout_without_body_answers_as_the_spec_says(gateway, session, tenant):
    response = gateway.post("/auth/logout", headers=tenant.bearer(session["accessToken"]))
    assert response.get_json() == {"success": True, "data": {"message": "Logged out successfully"}}


def test_logout_does_not_revoke_another_users_session(gateway, register, session, tenant):
    other = register(tenant, "other@example.com")
    gateway.post("/auth/logout", headers=tenant.bearer(session["accessToken"]),
                 json={"refreshToken": other["refreshToken"]})
    assert refresh(gateway, tenant, other["refreshToken"]).status_code == 200


def test_logout_without_bearer_token_gets_401(gateway, session, tenant):
    response = gateway.post("/auth/logout", headers=tenant.headers, json={"refreshToken": session["refreshToken"]})
    assert response.status_code == 401
    assert refresh(gateway, tenant, session["refreshToken"]).status_code == 200


def test_access_token_of_tenant_a_with_api_key_of_tenant_b_is_rejected(gateway, register, new_tenant):
    a, b = new_tenant("A"), new_tenant("B")
    token = register(a, "jane@example.com")["accessToken"]
    response = me(gateway, b, token)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "TENANT_MISMATCH"
    assert gateway.post("/auth/logout", headers=b.bearer(token)).status_code == 403


def test_refresh_token_of_tenant_a_with_api_key_of_tenant_b_gets_401(gateway, register, new_tenant):
    a, b = new_tenant("A"), new_tenant("B")
    token = register(a, "jane@example.com")["refreshToken"]
    response = refresh(gateway, b, token)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "TOKEN_INVALID"
    assert refresh(gateway, a, token).status_code == 200


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login", "/auth/refresh"])
def test_answers_that_carry_tokens_are_never_cached(gateway, tenant, path):
    known = {"email": "known@example.com", "password": PASSWORD}
    gateway.post("/auth/register", headers=tenant.headers, json=known)
    body = {"/auth/register": {"email": "new@example.com", "password": PASSWORD}, "/auth/login": known}.get(path)
    if path == "/auth/refresh":
        body = {"refreshToken": gateway.post("/auth/login", headers=tenant.headers, json=known)
                .get_json()["data"]["refreshToken"]}
    response = gateway.post(path, headers=tenant.headers, json=body)
    assert response.status_code in (200, 201)
    assert (response.headers["Cache-Control"], response.headers["Pragma"]) == ("no-store", "no-cache")


def test_a_refresh_token_used_as_an_access_token_is_told_what_is_needed(gateway, session, tenant):
    response = me(gateway, tenant, session["refreshToken"])
    assert (response.status_code, response.get_json()["error"]["message"]) == (401, "This needs an access token.")
