"""The gateway's key check, API keys at rest, the JWKS and signing key rotation."""
from __future__ import annotations

import jwt
import pytest
from sqlalchemy import select, update
from stvos_auth import admin
from stvos_auth.adapters.orm import ApiKey, ServiceSetting
from stvos_shared.db import utcnow
from stvos_shared.errors import NotFound, ValidationFailed

from tests.fixtures.queries import queries, recorded_statements

CHECK = "/internal/gateway/check-key"


def auth_client(platform):
    return platform.apps["auth"].test_client()


def test_valid_api_key_gets_204_with_its_client_id(platform, tenant):
    response = auth_client(platform).get(CHECK, headers=tenant.headers)
    assert response.status_code == 204
    assert response.headers["X-Client-Id"] == str(tenant.client_id)


def test_unknown_or_missing_api_key_gets_401(platform, tenant):
    client = auth_client(platform)
    assert client.get(CHECK, headers={"X-API-Key": tenant.api_key + "x"}).status_code == 401
    response = client.get(CHECK)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "API_KEY_INVALID"


def test_master_key_passes_only_where_the_route_allows_it_and_without_client_id(platform, auth):
    master = {"X-Master-Trainer-Key": admin.set_master_trainer_key(auth)["masterTrainerKey"]}
    client = auth_client(platform)
    allowed = client.get(CHECK + "?master=1", headers=master)
    assert allowed.status_code == 204 and "X-Client-Id" not in allowed.headers
    assert client.get(CHECK, headers=master).status_code == 401


def test_no_master_key_configured_means_no_master_access(platform):
    guess = "stvm_" + "A" * 43  # shaped like a real master key; none has been set
    response = auth_client(platform).get(CHECK + "?master=1", headers={"X-Master-Trainer-Key": guess})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "API_KEY_INVALID"


def test_revoked_api_key_is_refused(platform, auth, tenant):
    assert admin.revoke_api_key(auth, tenant.client_id, tenant.api_key) == {"revoked": True}
    assert auth_client(platform).get(CHECK, headers=tenant.headers).status_code == 401
    assert admin.revoke_api_key(auth, tenant.client_id, tenant.api_key) == {"revoked": True}  # idempotent


def test_a_key_is_revoked_only_by_naming_its_own_client(platform, auth, new_tenant):
    mine, theirs = new_tenant("Mine"), new_tenant("Theirs")
    for client_id, api_key in ((theirs.client_id, mine.api_key), (mine.client_id, "stv_unknown")):
        with pytest.raises(NotFound) as raised:
            admin.revoke_api_key(auth, client_id, api_key)
        assert raised.value.code == "API_KEY_NOT_FOUND"
    assert auth_client(platform).get(CHECK, headers=mine.headers).status_code == 204


def test_an_additional_key_works_for_the_same_client(platform, auth, tenant):
    extra = admin.issue_api_key(auth, tenant.client_id)["apiKey"]
    response = auth_client(platform).get(CHECK, headers={"X-API-Key": extra})
    assert response.headers["X-Client-Id"] == str(tenant.client_id)


def test_keys_are_stored_only_as_hashes(auth, tenant):
    master = admin.set_master_trainer_key(auth)["masterTrainerKey"]
    with auth.db.unit_of_work(write=False) as session:
        stored = [*session.execute(select(ApiKey.key_hash)).scalars(),
                  *session.execute(select(ServiceSetting.value)).scalars()]
    assert tenant.api_key.startswith("stv_") and len(tenant.api_key) > 40
    assert all(tenant.api_key not in value and master not in value for value in stored)
    assert all(len(value) == 64 for value in stored)


def test_internal_endpoints_are_not_reachable_through_the_gateway(gateway, tenant):
    assert gateway.get(CHECK, headers=tenant.headers).status_code == 404
    assert gateway.get("/.well-known/jwks.json").status_code == 404


def test_jwks_publishes_the_signing_key(platform, register, tenant):
    token = register(tenant, "jane@example.com")["accessToken"]
    jwks = auth_client(platform).get("/.well-known/jwks.json").get_json()
    kid = jwt.get_unverified_header(token)["kid"]
    [key] = jwks["keys"]
    assert (key["kid"], key["kty"], key["alg"], key["use"]) == (kid, "RSA", "RS256", "sig")
    assert "d" not in key  # public half only


def test_rotated_signing_key_signs_new_tokens_while_old_tokens_still_verify(gateway, platform, auth, register, tenant):
    old = register(tenant, "jane@example.com")["accessToken"]
    admin.rotate_signing_key(auth)
    new = register(tenant, "john@example.com")["accessToken"]
    assert jwt.get_unverified_header(old)["kid"] != jwt.get_unverified_header(new)["kid"]
    assert len(auth_client(platform).get("/.well-known/jwks.json").get_json()["keys"]) == 2
    assert gateway.get("/auth/me", headers=tenant.bearer(old)).status_code == 200
    assert gateway.get("/auth/me", headers=tenant.bearer(new)).status_code == 200


def test_create_client_announces_the_client(auth, events):
    created = admin.create_client(auth, name="  Gym  ", branding={"logoUrl": None})
    assert events("auth.client.created") == [{"clientId": created["clientId"], "name": "Gym",
                                              "branding": {"logoUrl": None}}]
    assert admin.client_exists(auth, created["clientId"]) is True
    assert admin.client_exists(auth, created["clientId"] + 1) is False


def test_create_client_without_a_name_is_refused(auth):
    with pytest.raises(ValidationFailed):
        admin.create_client(auth, name="   ")


def test_repeated_token_verifications_do_not_query_the_database(auth, register, tenant):
    token = register(tenant, "jane@example.com")["accessToken"]
    auth.verifier.verify(token, "access")
    with recorded_statements(auth.db.engine) as statements:
        for _ in range(20):
            assert auth.verifier.verify(token, "access")["cid"] == tenant.client_id
    assert statements == []


def test_a_valid_key_costs_one_query_and_is_not_cached_so_a_revocation_elsewhere_counts_at_once(auth, tenant):
    with recorded_statements(auth.db.engine) as statements:
        for _ in range(3):
            assert auth.keys.client_for(tenant.api_key).client_id == tenant.client_id
    assert len(queries(statements)) == 3
    with auth.db.unit_of_work() as session:  # as another process (the operator's command) revokes it
        session.execute(update(ApiKey).values(revoked_at=utcnow()))
    assert auth.keys.client_for(tenant.api_key) is None


def test_the_key_check_names_the_rate_an_operator_gave_the_tenant(platform, auth, tenant):
    client = auth_client(platform)
    assert "X-Tenant-Rate" not in client.get(CHECK, headers=tenant.headers).headers
    assert admin.set_rate_limit(auth, tenant.client_id, 5000) == {"clientId": tenant.client_id, "rateLimit": 5000}
    assert client.get(CHECK, headers=tenant.headers).headers["X-Tenant-Rate"] == "5000"
    admin.set_rate_limit(auth, tenant.client_id, None)
    assert "X-Tenant-Rate" not in client.get(CHECK, headers=tenant.headers).headers


def test_a_rate_needs_an_existing_client_and_a_positive_number(auth, tenant):
    with pytest.raises(NotFound) as raised:
        admin.set_rate_limit(auth, tenant.client_id + 1000, 500)
    assert raised.value.code == "CLIENT_NOT_FOUND"
    with pytest.raises(ValidationFailed):
        admin.set_rate_limit(auth, tenant.client_id, 0)


def test_me_reads_the_account_and_its_client_in_one_query(auth, gateway, register, tenant):
    token = register(tenant, "jane@example.com")["accessToken"]
    headers = {"X-API-Key": tenant.api_key, "Authorization": f"Bearer {token}"}
    gateway.get("/auth/me", headers=headers)
    with recorded_statements(auth.db.engine) as statements:
        assert gateway.client.get("/auth/me", headers=headers).status_code == 200  # no event flushing
    assert len(queries(statements)) == 1
