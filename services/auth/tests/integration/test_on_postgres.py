"""The identity service on its migrated PostgreSQL database: the statements SQLite does not prove."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from stvos_auth import admin
from stvos_auth.app import create_app
from stvos_auth.bootstrap import build
from stvos_auth.config import Settings
from stvos_shared.events import Event

from tests.fixtures.settings import tuned

from .conftest import PASSWORD

pytestmark = pytest.mark.postgres


@pytest.fixture
def service(tmp_path, pg_database_urls) -> Iterator[tuple]:
    settings = tuned(Settings.embedded(str(tmp_path)), database_url=pg_database_urls["auth"], login_pair_failures=2)
    container = build(settings)
    client = create_app(container=container).test_client()
    tenant = admin.create_client(container, name="Studio", branding={"primaryColor": "#000"})
    yield container, client, {"X-Client-Id": str(tenant["clientId"])}, tenant
    container.db.dispose()


def post(client, path, headers, **body):
    return client.post(path, headers=headers, json=body)


def test_register_login_refresh_and_reuse_detection_on_postgres(service):
    _, client, headers, _ = service
    first = post(client, "/auth/register", headers, email="jane@example.com", password=PASSWORD,
                 profile={"age": 30}).get_json()["data"]
    assert post(client, "/auth/login", headers, email="jane@example.com", password=PASSWORD).status_code == 200
    second = post(client, "/auth/refresh", headers, refreshToken=first["refreshToken"]).get_json()["data"]
    assert post(client, "/auth/refresh", headers, refreshToken=second["refreshToken"]).status_code == 200
    assert post(client, "/auth/refresh", headers, refreshToken=first["refreshToken"]).status_code == 401
    me = client.get("/auth/me", headers={**headers, "Authorization": f"Bearer {second['accessToken']}"})
    assert me.get_json()["data"]["user"]["profile"] == {"age": 30}


def test_an_address_that_keeps_failing_waits_on_postgres(service):
    _, client, headers, _ = service
    post(client, "/auth/register", headers, email="jane@example.com", password=PASSWORD)
    for _ in range(2):
        assert post(client, "/auth/login", headers, email="jane@example.com", password="wrong!!!").status_code == 401
    assert post(client, "/auth/login", headers, email="jane@example.com", password=PASSWORD).status_code == 429
    elsewhere = {**headers, "X-Real-IP": "10.0.0.99"}
    assert post(client, "/auth/login", elsewhere, email="jane@example.com", password=PASSWORD).status_code == 200


def test_duplicate_email_and_key_check_on_postgres(service):
    _, client, headers, tenant = service
    post(client, "/auth/register", headers, email="jane@example.com", password=PASSWORD)
    assert post(client, "/auth/register", headers, email="JANE@example.com", password=PASSWORD).status_code == 409
    check = client.get("/internal/gateway/check-key", headers={"X-API-Key": tenant["apiKey"]})
    assert check.headers["X-Client-Id"] == str(tenant["clientId"])


def test_trainer_replica_and_trainer_login_on_postgres(service):
    container, client, headers, tenant = service
    data = {"trainerId": 5, "name": "Coach Mike", "email": "mike@example.com", "bio": None, "image": None,
            "specialisations": ["hiit"], "timezone": "UTC", "active": True}
    container.consumer.handle(Event(type="partner.trainer.created", data=data, client_id=tenant["clientId"]))
    registered = post(client, "/trainer-auth/register", headers, email="mike@example.com", password=PASSWORD)
    assert registered.status_code == 201
    login = post(client, "/trainer-auth/login", headers, email="mike@example.com", password=PASSWORD)
    assert login.get_json()["data"]["trainer"] == {"id": 5, "name": "Coach Mike", "specialisations": ["hiit"]}
