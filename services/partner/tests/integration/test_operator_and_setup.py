"""The operator command create_partner_staff, the consumer's replicas, and what happens (or not) at start-up."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from stvos_partner.adapters.orm import Client, Staff, signing_keys
from stvos_partner.admin import create_partner_staff
from stvos_partner.app import create_app
from stvos_partner.bootstrap import build
from stvos_partner.config import Settings
from stvos_shared.errors import ApiError
from stvos_shared.events import Event
from stvos_shared.keywrap import new_kek

from services.partner.tests.support import PASSWORD, announce_client
from tests.fixtures.settings import tuned


@pytest.fixture
def container(tmp_path):
    built = build(Settings(database_url=f"sqlite:///{tmp_path / 'partner.db'}", signing_key_kek=(new_kek(),)))
    built.db.create_all()
    yield built
    built.db.dispose()


def test_create_partner_staff_returns_the_staff_member(container):
    result = create_partner_staff(container, 3, "Owner@Studio.test", PASSWORD)
    assert result == {"staff": {"id": result["staff"]["id"], "email": "owner@studio.test", "name": None,
                                "role": "admin", "clientId": 3}}


@pytest.mark.parametrize(("email", "password", "role", "status", "code"), [
    ("not-an-email", PASSWORD, "admin", 422, "VALIDATION_FAILED"),
    ("a@studio.test", "short", "admin", 422, "VALIDATION_FAILED"),
    ("a@studio.test", PASSWORD, "owner", 422, "VALIDATION_FAILED"),
])
def test_create_partner_staff_refuses_bad_input_with_a_clear_code(container, email, password, role, status, code):
    with pytest.raises(ApiError) as raised:
        create_partner_staff(container, 3, email, password, role=role)
    assert (raised.value.status, raised.value.code) == (status, code)


@pytest.mark.parametrize("client_id", [0, -1, 2**31])
def test_create_partner_staff_refuses_a_client_id_outside_32_bits(container, client_id):
    with pytest.raises(ApiError) as raised:
        create_partner_staff(container, client_id, "a@studio.test", PASSWORD)
    assert (raised.value.status, raised.value.code) == (422, "VALIDATION_FAILED")
    assert raised.value.details == {"fields": {"clientId": [f"Must be between 1 and {2**31 - 1}."]}}


def test_create_partner_staff_refuses_a_taken_email(container):
    create_partner_staff(container, 3, "owner@studio.test", PASSWORD)
    with pytest.raises(ApiError) as raised:
        create_partner_staff(container, 4, "OWNER@studio.test", PASSWORD)
    assert (raised.value.status, raised.value.code) == (409, "EMAIL_TAKEN")


def test_the_partner_is_named_as_given_else_after_the_client_else_by_id(container):
    announce_client(container, 1, "Named Client")
    create_partner_staff(container, 1, "a@one.test", PASSWORD)
    create_partner_staff(container, 2, "a@two.test", PASSWORD, partner_name="Corporate Wellness Ltd")
    create_partner_staff(container, 3, "a@three.test", PASSWORD)
    for client_id in (1, 2, 3):
        container.vouchers.create(client_id, "CODE", None, None)
    names = [container.redemptions.validate(client_id, "CODE")["partner"]["name"] for client_id in (1, 2, 3)]
    assert names == ["Named Client", "Corporate Wellness Ltd", "Partner 3"]


def test_a_repeated_client_event_is_applied_once_and_a_renamed_client_is_updated(container):
    event = Event(type="auth.client.created", client_id=5, data={"clientId": 5, "name": "Five", "branding": {}})
    container.consumer.handle(event)
    container.consumer.handle(event)
    container.consumer.handle(Event(type="auth.client.created", client_id=5,
                                    data={"clientId": 5, "name": "Five Renamed", "branding": {"c": 1}}))
    with container.db.unit_of_work(write=False) as session:
        clients = session.scalars(select(Client)).all()
    assert [(c.id, c.name, c.branding) for c in clients] == [(5, "Five Renamed", {"c": 1})]


def test_no_signing_key_exists_until_the_first_login(container):
    create_partner_staff(container, 1, "a@one.test", PASSWORD)
    client = create_app(container=container).test_client()
    client.get("/openapi.json")
    with container.db.unit_of_work(write=False) as session:
        assert session.scalar(select(func.count()).select_from(signing_keys)) == 0
    assert client.post("/partner-auth/login", json={"email": "a@one.test", "password": PASSWORD}).status_code == 200
    assert client.post("/partner-auth/login", json={"email": "a@one.test", "password": PASSWORD}).status_code == 200
    with container.db.unit_of_work(write=False) as session:
        assert session.scalar(select(func.count()).select_from(signing_keys)) == 1


def test_tokens_survive_a_restart_of_the_service(container, tmp_path):
    create_partner_staff(container, 1, "a@one.test", PASSWORD)
    before = create_app(container=container).test_client()
    token = before.post("/partner-auth/login", json={"email": "a@one.test", "password": PASSWORD}
                        ).get_json()["data"]["accessToken"]
    after = create_app(container=build(container.settings)).test_client()
    assert after.get("/partner-auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_stronger_password_cost_rehashes_on_the_next_login(container):
    create_partner_staff(container, 1, "a@one.test", PASSWORD)
    stronger = build(tuned(container.settings, argon2_time_cost=3))
    client = create_app(container=stronger).test_client()
    assert client.post("/partner-auth/login", json={"email": "a@one.test", "password": PASSWORD}).status_code == 200
    with container.db.unit_of_work(write=False) as session:
        stored = session.scalar(select(Staff.password_hash))
    assert stored.startswith("$argon2id$") and ",t=3," in stored


def test_failures_from_many_addresses_never_keep_the_owner_out(container):
    create_partner_staff(container, 1, "a@one.test", PASSWORD)
    limited = build(tuned(container.settings, login_account_failures=3, login_pair_failures=2))
    client = create_app(container=limited).test_client()
    for number in range(6):
        client.post("/partner-auth/login", json={"email": "a@one.test", "password": "wrong password"},
                    headers={"X-Real-IP": f"10.0.0.{number}"})
    failing = client.post("/partner-auth/login", json={"email": "A@one.test", "password": PASSWORD},
                          headers={"X-Real-IP": "10.0.0.1"})
    owner = client.post("/partner-auth/login", json={"email": "A@one.test", "password": PASSWORD},
                        headers={"X-Real-IP": "10.0.0.99"})
    assert (failing.status_code, "Retry-After" in failing.headers, owner.status_code) == (429, True, 200)


def test_the_address_limit_uses_the_gateways_real_ip(container):
    limited = build(tuned(container.settings, login_address_limit=2))
    client = create_app(container=limited).test_client()
    for _ in range(2):
        client.post("/partner-auth/login", json={"email": "x@one.test", "password": "whatever1"},
                    headers={"X-Real-IP": "10.0.0.1"})
    blocked = client.post("/partner-auth/login", json={"email": "y@one.test", "password": "whatever1"},
                          headers={"X-Real-IP": "10.0.0.1"})
    other = client.post("/partner-auth/login", json={"email": "y@one.test", "password": "whatever1"},
                        headers={"X-Real-IP": "10.0.0.2"})
    assert (blocked.status_code, other.status_code) == (429, 401)


def test_the_login_limits_hold_across_processes_of_the_service(container):
    settings = tuned(container.settings, login_address_limit=4)
    processes = [create_app(container=build(settings)).test_client() for _ in range(2)]
    statuses = [processes[number % 2].post("/partner-auth/login", json={"email": "x@one.test", "password": "whatever1"},
                                           headers={"X-Real-IP": "10.0.0.1"}).status_code for number in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
