"""/trainer-portal/{services,recorded-classes,programmes}: a trainer creates, lists, changes and deactivates
their own offerings; nobody else's."""
from __future__ import annotations

import pytest

from services.catalog.tests.support import data, error

# (path, body, the response's key, the list's key, the change, what the change shows)
KINDS = [
    ("services", {"name": "1-on-1 Training", "description": "Personalised", "duration": 60, "price": 75,
                  "currency": "GBP", "cancellationCutoffHours": 24},
     "service", "services", {"price": 80.5}, {"price": 80.5}),
    ("recorded-classes", {"name": "HIIT Blast", "duration": 30, "intensity": "high", "videoUrl": "https://v.test/1"},
     "recordedClass", "recordedClasses", {"intensity": "medium"}, {"intensity": "medium"}),
    ("programmes", {"name": "12-Week Transformation", "description": "Build strength", "weeks": 12, "price": 299},
     "programme", "programmes", {"weeks": 8}, {"weeks": 8}),
]
EXPECTED = {
    "services": {"name": "1-on-1 Training", "description": "Personalised", "duration": 60, "price": 75.0,
                 "currency": "GBP", "cancellationCutoffHours": 24, "active": True},
    "recorded-classes": {"name": "HIIT Blast", "duration": 30, "intensity": "high", "videoUrl": "https://v.test/1",
                         "active": True},
    "programmes": {"name": "12-Week Transformation", "description": "Build strength", "weeks": 12, "price": 299.0,
                   "currency": "GBP", "active": True, "subscriberCount": 0},
}


@pytest.fixture
def coach(studio):
    tenant = studio()
    trainer_id, headers = tenant.signed_in_trainer("Coach Mike")
    return tenant, trainer_id, headers


@pytest.mark.parametrize(("path", "body", "one", "many", "change", "changed"), KINDS)
def test_a_trainer_creates_lists_changes_and_deactivates_an_offering(coach, gateway, path, body, one, many, change,
                                                                     changed):
    _, _, trainer = coach
    created = gateway.post(f"/trainer-portal/{path}", json=body, headers=trainer)
    assert created.status_code == 201, created.get_json()
    item = data(created)[one]
    assert item == {"id": item["id"], **EXPECTED[path]}
    assert data(gateway.get(f"/trainer-portal/{path}/{item['id']}", headers=trainer)) == {one: item}
    listed = data(gateway.get(f"/trainer-portal/{path}", headers=trainer))
    assert listed == {many: [item], "pagination": {"page": 1, "limit": 20, "total": 1, "totalPages": 1}}
    updated = data(gateway.put(f"/trainer-portal/{path}/{item['id']}", json=change, headers=trainer))[one]
    assert updated == {**item, **changed}
    gone = data(gateway.delete(f"/trainer-portal/{path}/{item['id']}", headers=trainer))[one]
    assert gone == {**updated, "active": False}
    assert data(gateway.delete(f"/trainer-portal/{path}/{item['id']}", headers=trainer))[one] == gone
    assert data(gateway.get(f"/trainer-portal/{path}?active=true", headers=trainer))[many] == []
    assert data(gateway.get(f"/trainer-portal/{path}?active=false", headers=trainer))[many] == [gone]


@pytest.mark.parametrize("path", ["services", "recorded-classes", "programmes"])
def test_an_empty_change_changes_nothing(coach, gateway, path):
    _, _, trainer = coach
    body = next(kind[1] for kind in KINDS if kind[0] == path)
    item = next(iter(data(gateway.post(f"/trainer-portal/{path}", json=body, headers=trainer)).values()))
    assert next(iter(data(gateway.put(f"/trainer-portal/{path}/{item['id']}", json={}, headers=trainer)).values())) \
        == item


def test_lists_are_paginated_by_name(coach, gateway):
    _, _, trainer = coach
    for name in ["Zumba", "Boxing", "Abs", "Core"]:
        gateway.post("/trainer-portal/services", json={"name": name, "duration": 30, "price": 10}, headers=trainer)
    page = data(gateway.get("/trainer-portal/services?limit=3&page=2", headers=trainer))
    assert [s["name"] for s in page["services"]] == ["Zumba"]
    assert page["pagination"] == {"page": 2, "limit": 3, "total": 4, "totalPages": 2}


@pytest.mark.parametrize("path", ["services", "recorded-classes", "group-classes", "programmes", "invite-codes"])
def test_a_user_token_is_403(studio, gateway, path):
    tenant = studio()
    response = gateway.get(f"/trainer-portal/{path}", headers=tenant.user())
    assert response.status_code == 403
    assert error(response)["code"] == "TRAINER_ROLE_REQUIRED"


@pytest.mark.parametrize("path", ["services", "recorded-classes", "group-classes", "programmes", "invite-codes"])
def test_without_a_token_the_portal_is_401(studio, gateway, path):
    assert gateway.get(f"/trainer-portal/{path}", headers=studio().key).status_code == 401


@pytest.mark.parametrize(("path", "body", "one", "many", "change", "changed"), KINDS)
def test_another_trainers_offering_is_404_and_untouched(studio, gateway, path, body, one, many, change, changed):
    tenant, other_tenant = studio(), studio()
    _, owner = tenant.signed_in_trainer("Owner")
    _, colleague = tenant.signed_in_trainer("Colleague")
    _, stranger = other_tenant.signed_in_trainer("Stranger")
    item = data(gateway.post(f"/trainer-portal/{path}", json=body, headers=owner))[one]
    for intruder in (colleague, stranger):
        for method in ("get", "put", "delete"):
            response = getattr(gateway, method)(f"/trainer-portal/{path}/{item['id']}", json=change, headers=intruder)
            assert response.status_code == 404, (method, response.get_json())
        assert data(gateway.get(f"/trainer-portal/{path}", headers=intruder))[many] == []
    assert data(gateway.get(f"/trainer-portal/{path}/{item['id']}", headers=owner))[one] == item


def test_a_trainer_the_catalog_does_not_know_yet_cannot_offer(studio, gateway, catalog):
    tenant = studio()
    trainer_id = tenant.trainer("Coach Mike")
    headers = tenant.trainer_headers(trainer_id)
    with catalog.db.unit_of_work() as session:  # as if partner.trainer.created had not arrived yet
        session.execute(catalog.db.metadata.tables["trainers"].delete())
    response = gateway.post("/trainer-portal/services", json={"name": "X", "duration": 30, "price": 1},
                            headers=headers)
    assert response.status_code == 404
    assert error(response)["code"] == "TRAINER_NOT_FOUND"
