"""What a discovery request costs the catalog database: at most two queries, whatever the trainer offers (the
list one: its count and page in one statement)."""
from __future__ import annotations

import pytest

from services.catalog.tests.support import next_week
from tests.fixtures.queries import queries, recorded_statements


def catalog_queries(gateway, catalog, path: str, headers: dict[str, str]) -> list[str]:
    gateway.platform.flush()
    with recorded_statements(catalog.db.engine) as statements:
        response = gateway.client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    return queries(statements)


@pytest.fixture
def busy_trainer(studio, gateway):
    """A trainer with several of every offering, among colleagues."""
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer("Coach Mike", specialisations=["HIIT"])
    for n in range(3):
        tenant.trainer(f"Colleague {n}")
        for path, body in [
            ("services", {"name": f"S{n}", "duration": 30, "price": 10}),
            ("group-classes", {"name": f"C{n}", "scheduledDate": next_week(), "scheduledTime": f"1{n}:00",
                               "duration": 30, "capacity": 5, "price": 5}),
            ("programmes", {"name": f"P{n}", "weeks": 4, "price": 40}),
            ("recorded-classes", {"name": f"R{n}", "duration": 20, "intensity": "low"})]:
            assert gateway.post(f"/trainer-portal/{path}", json=body, headers=trainer).status_code == 201
    user = tenant.user()
    gateway.get("/trainers", headers=user)  # the verifier has met auth's signing key
    return trainer_id, user


@pytest.mark.parametrize("path", ["/trainers", "/trainers?search=mike", "/trainers?search=hiit&active=true&limit=5"])
def test_the_trainer_list_is_one_query_counting_and_paging(busy_trainer, gateway, catalog, path):
    _, user = busy_trainer
    sent = catalog_queries(gateway, catalog, path, user)
    assert len(sent) == 1, sent


@pytest.mark.parametrize("suffix", ["", "/services", "/classes"])
def test_a_trainer_and_their_offerings_are_two_queries(busy_trainer, gateway, catalog, suffix):
    trainer_id, user = busy_trainer
    sent = catalog_queries(gateway, catalog, f"/trainers/{trainer_id}{suffix}", user)
    assert len(sent) == 2, sent
