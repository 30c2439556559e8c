"""Bad input is a 422 naming the field, and changes nothing."""
from __future__ import annotations

import pytest

from services.catalog.tests.support import data, error, next_week

SERVICE = {"name": "1-on-1", "duration": 60, "price": 75}
CLASS = {"name": "HIIT", "scheduledDate": next_week(), "scheduledTime": "18:30", "duration": 45, "capacity": 10,
         "price": 15}
PROGRAMME = {"name": "12 weeks", "weeks": 12, "price": 299}
RECORDED = {"name": "Blast", "duration": 30, "intensity": "high"}

CASES = [
    ("services", SERVICE, {"price": -1}, "price"),
    ("services", SERVICE, {"price": 75.001}, "price"),
    ("services", SERVICE, {"price": 100_000_000}, "price"),
    ("services", SERVICE, {"price": "lots"}, "price"),
    ("services", SERVICE, {"currency": "XYZ"}, "currency"),
    ("services", SERVICE, {"currency": "gbp"}, "currency"),
    ("services", SERVICE, {"duration": 0}, "duration"),
    ("services", SERVICE, {"duration": 30.5}, "duration"),
    ("services", SERVICE, {"name": "   "}, "name"),
    ("services", SERVICE, {"name": "x" * 121}, "name"),
    ("services", SERVICE, {"description": "x" * 2001}, "description"),
    ("services", SERVICE, {"cancellationCutoffHours": -1}, "cancellationCutoffHours"),
    ("services", SERVICE, {"clientId": 2}, "clientId"),
    ("services", SERVICE, {"trainerId": 2}, "trainerId"),
    ("group-classes", CLASS, {"capacity": 0}, "capacity"),
    ("group-classes", CLASS, {"scheduledTime": "25:00"}, "scheduledTime"),
    ("group-classes", CLASS, {"scheduledTime": "7pm"}, "scheduledTime"),
    ("group-classes", CLASS, {"scheduledDate": "2026-02-30"}, "scheduledDate"),
    ("group-classes", CLASS, {"participants": 3}, "participants"),
    ("programmes", PROGRAMME, {"weeks": 0}, "weeks"),
    ("programmes", PROGRAMME, {"price": 1.999}, "price"),
    ("recorded-classes", RECORDED, {"intensity": "extreme"}, "intensity"),
    ("recorded-classes", RECORDED, {"videoUrl": "javascript:alert(1)"}, "videoUrl"),
    ("invite-codes", {}, {"code": "a"}, "code"),
    ("invite-codes", {}, {"code": "BAD CODE!"}, "code"),
    ("invite-codes", {}, {"maxUses": 0}, "maxUses"),
    ("invite-codes", {}, {"expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt"),
]


@pytest.fixture
def trainer(studio):
    return studio().signed_in_trainer()[1]


def test_every_invalid_field_is_422_naming_it_and_nothing_is_created(trainer, gateway):
    for path, valid, bad, field in CASES:
        response = gateway.post(f"/trainer-portal/{path}", json={**valid, **bad}, headers=trainer)
        assert response.status_code == 422, (path, bad, response.get_json())
        failure = error(response)
        assert failure["code"] == "VALIDATION_FAILED"
        assert list(failure["details"]["fields"]) == [field], (path, bad)
    for path in {case[0] for case in CASES}:
        assert data(gateway.get(f"/trainer-portal/{path}", headers=trainer))["pagination"]["total"] == 0, path


def test_a_missing_required_field_is_422_naming_it(trainer, gateway):
    for path, valid in [("services", SERVICE), ("group-classes", CLASS), ("programmes", PROGRAMME),
                        ("recorded-classes", RECORDED)]:
        for missing in valid:
            body = {name: value for name, value in valid.items() if name != missing}
            response = gateway.post(f"/trainer-portal/{path}", json=body, headers=trainer)
            assert response.status_code == 422, (path, missing)
            assert list(error(response)["details"]["fields"]) == [missing]


def test_every_invalid_change_is_422_and_changes_nothing(trainer, gateway):
    created = {}
    for path, valid, bad, field in (case for case in CASES if case[0] != "invite-codes"):
        if path not in created:
            created[path] = next(iter(data(gateway.post(f"/trainer-portal/{path}", json=valid,
                                                        headers=trainer)).values()))
        item = created[path]
        response = gateway.put(f"/trainer-portal/{path}/{item['id']}", json=bad, headers=trainer)
        assert response.status_code == 422, (path, bad)
        assert list(error(response)["details"]["fields"]) == [field]
        assert next(iter(data(gateway.get(f"/trainer-portal/{path}/{item['id']}", headers=trainer)).values())) == item


def test_a_body_that_is_not_an_object_is_400(trainer, gateway):
    response = gateway.post("/trainer-portal/services", data="[1]", content_type="application/json", headers=trainer)
    assert response.status_code == 400
    assert error(response)["code"] == "MALFORMED_REQUEST"
