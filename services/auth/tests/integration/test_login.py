"""POST /auth/login: success, failures that all look alike, rehashing."""
from __future__ import annotations

import time

from argon2 import PasswordHasher
from sqlalchemy import select, update
from stvos_auth import admin
from stvos_auth.adapters.orm import User

from .conftest import PASSWORD


def login(gateway, tenant, email, password=PASSWORD, **kwargs):
    return gateway.post("/auth/login", headers=tenant.headers, json={"email": email, "password": password}, **kwargs)


def stored_hash(auth, email: str) -> str:
    with auth.db.unit_of_work(write=False) as session:
        return session.execute(select(User.password_hash).where(User.email == email)).scalar_one()


def test_login_returns_user_tokens_and_client(gateway, register, tenant):
    user = register(tenant, "jane@example.com", name="Jane Doe")["user"]
    response = login(gateway, tenant, "jane@example.com")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert list(data) == ["user", "accessToken", "refreshToken", "client"]
    assert data["user"] == user
    assert data["client"] == {"id": tenant.client_id, "name": "Studio One", "branding": {"primaryColor": "#112233"}}


def test_login_ignores_case_and_surrounding_whitespace_of_the_email(gateway, register, tenant):
    register(tenant, "jane@example.com")
    assert login(gateway, tenant, "  JANE@Example.com ").status_code == 200


def test_wrong_password_gets_401_invalid_credentials(gateway, register, tenant):
    register(tenant, "jane@example.com")
    response = login(gateway, tenant, "jane@example.com", "wrong password")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "INVALID_CREDENTIALS"


def test_unknown_email_and_wrong_password_get_the_same_answer(gateway, register, tenant):
    register(tenant, "jane@example.com")
    unknown = login(gateway, tenant, "nobody@example.com", "wrong password")
    wrong = login(gateway, tenant, "jane@example.com", "wrong password")
    assert (unknown.status_code, unknown.get_json()) == (wrong.status_code, wrong.get_json())


def fastest(action, times: int = 3) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return min(samples)


def test_an_unknown_email_costs_a_full_password_verification_like_a_wrong_password(tuned_gateway):
    gateway = tuned_gateway(login_pair_failures=100)
    auth = gateway.platform.containers["auth"]
    tenant_headers = {"X-API-Key": admin.create_client(auth, name="Studio")["apiKey"]}
    gateway.post("/auth/register", headers=tenant_headers, json={"email": "jane@example.com", "password": PASSWORD})
    hasher = auth.settings.credentials.hasher()
    stored = hasher.hash(PASSWORD)
    argon2 = fastest(lambda: hasher.verify(stored, PASSWORD))

    def attempt(email: str):
        return lambda: gateway.post("/auth/login", headers=tenant_headers,
                                    json={"email": email, "password": "wrong password"})

    attempt("warm-up@example.com")()
    assert fastest(attempt("nobody@example.com")) > 0.7 * argon2
    assert fastest(attempt("jane@example.com")) > 0.7 * argon2


def test_user_of_another_tenant_cannot_log_in_with_this_api_key(gateway, register, new_tenant):
    mine, theirs = new_tenant("Mine"), new_tenant("Theirs")
    register(theirs, "jane@example.com")
    response = login(gateway, mine, "jane@example.com")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "INVALID_CREDENTIALS"


def test_missing_password_gets_422(gateway, tenant):
    response = gateway.post("/auth/login", headers=tenant.headers, json={"email": "jane@example.com"})
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["details"]["fields"]


def test_malformed_email_gets_422(gateway, tenant):
    response = login(gateway, tenant, "jane-at-example")
    assert response.status_code == 422


def test_unknown_field_in_login_gets_422(gateway, tenant):
    response = gateway.post("/auth/login", headers=tenant.headers,
                            json={"email": "jane@example.com", "password": PASSWORD, "remember": True})
    assert response.status_code == 422


def test_login_without_api_key_gets_401(gateway):
    response = gateway.post("/auth/login", json={"email": "jane@example.com", "password": PASSWORD})
    assert response.get_json()["error"]["code"] == "API_KEY_INVALID"


def test_hash_made_with_weaker_parameters_is_upgraded_at_login(gateway, register, tenant, auth):
    register(tenant, "jane@example.com")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with auth.db.unit_of_work() as session:
        session.execute(update(User).where(User.email == "jane@example.com").values(password_hash=weak))
    assert login(gateway, tenant, "jane@example.com").status_code == 200
    upgraded = stored_hash(auth, "jane@example.com")
    assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert login(gateway, tenant, "jane@example.com").status_code == 200


def test_passwords_are_stored_as_argon2id_at_owasp_minimum_or_above(register, tenant, auth):
    register(tenant, "jane@example.com")
    assert stored_hash(auth, "jane@example.com").startswith("$argon2id$v=19$m=19456,t=2,p=1$")
