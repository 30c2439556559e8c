"""GET /trainers/:id, /services and /classes: exactly the spec's fields, money as 75.00 with its currency."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from services.catalog.tests.support import data, error, next_week, seats


@pytest.fixture
def mike(studio, gateway):
    """A studio whose trainer offers one of everything (and some things no longer on offer)."""
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer("Coach Mike", bio="Strength coach.",
                                                   specialisations=["Strength"], timezone="Europe/London")

    def offer(path: str, body: dict) -> int:
        response = gateway.post(f"/trainer-portal/{path}", json=body, headers=trainer)
        assert response.status_code == 201, response.get_json()
        return next(iter(data(response).values()))["id"]

    ids = {
        "service": offer("services", {"name": "1-on-1 Training", "description": "Personalised training session",
                                      "duration": 60, "price": 75, "currency": "GBP"}),
        "old_service": offer("services", {"name": "Old", "duration": 30, "price": 10, "active": False}),
        "class": offer("group-classes", {"name": "Group HIIT", "scheduledDate": next_week(), "scheduledTime": "18:30",
                                         "duration": 45, "capacity": 10, "price": 15, "currency": "GBP"}),
        "programme": offer("programmes", {"name": "12-Week Transformation", "weeks": 12, "price": 299.5}),
        "recorded": offer("recorded-classes", {"name": "HIIT Blast", "duration": 30, "intensity": "high",
                                               "videoUrl": "https://video.test/hiit"}),
    }
    return tenant, trainer_id, {**ids, "headers": trainer}


def test_the_detail_carries_the_profile_services_upcoming_classes_and_programmes(mike, gateway):
    tenant, trainer_id, ids = mike
    body = data(gateway.get(f"/trainers/{trainer_id}", headers=tenant.user()))
    day = date.fromisoformat(next_week())
    offset = "+01:00" if day.month in range(4, 11) else "+00:00"  # Europe/London in summer or winter time
    assert body == {"trainer": {
        "id": trainer_id, "name": "Coach Mike", "bio": "Strength coach.", "image": None,
        "specialisations": ["Strength"], "timezone": "Europe/London", "active": True,
        "services": [{"id": ids["service"], "name": "1-on-1 Training", "description": "Personalised training session",
                      "duration": 60, "price": 75.0, "currency": "GBP"}],
        "classes": [{"id": ids["class"], "name": "Group HIIT", "description": None, "scheduledDate": next_week(),
                     "scheduledTime": "18:30", "startsAt": body["trainer"]["classes"][0]["startsAt"],
                     "endsAt": body["trainer"]["classes"][0]["endsAt"], "timezone": "Europe/London",
                     "duration": 45, "capacity": 10, "spotsLeft": 10, "price": 15.0, "currency": "GBP"}],
        "programmes": [{"id": ids["programme"], "name": "12-Week Transformation", "description": None, "weeks": 12,
                        "price": 299.5, "currency": "GBP"}],
    }}
    the_class = body["trainer"]["classes"][0]
    assert the_class["startsAt"] == f"{next_week()}T18:30:00{offset}"
    assert the_class["endsAt"] == f"{next_week()}T19:15:00{offset}"


def test_money_is_written_as_a_number_with_two_decimals(mike, gateway):
    tenant, trainer_id, _ = mike
    raw = gateway.get(f"/trainers/{trainer_id}", headers=tenant.user()).get_data(as_text=True)
    assert '"price":75.00' in raw.replace(" ", "") and '"price":299.50' in raw.replace(" ", "")
    assert isinstance(json.loads(raw)["data"]["trainer"]["services"][0]["price"], float)


def test_services_lists_what_the_trainer_offers(mike, gateway):
    tenant, trainer_id, ids = mike
    assert data(gateway.get(f"/trainers/{trainer_id}/services", headers=tenant.user())) == {"services": [
        {"id": ids["service"], "name": "1-on-1 Training", "description": "Personalised training session",
         "duration": 60, "price": 75.0, "currency": "GBP"}]}


def test_classes_lists_recorded_and_upcoming_group_classes_with_the_spots_left(mike, gateway, catalog):
    tenant, trainer_id, ids = mike
    catalog.consumer.handle(seats(tenant.client_id, ids["class"], trainer_id, participants=3, version=1))
    body = data(gateway.get(f"/trainers/{trainer_id}/classes", headers=tenant.user()))
    assert body["recordedClasses"] == [{"id": ids["recorded"], "name": "HIIT Blast", "duration": 30,
                                        "intensity": "high", "videoUrl": "https://video.test/hiit"}]
    assert [(c["id"], c["scheduledDate"], c["spotsLeft"]) for c in body["upcomingGroupClasses"]] == [
        (ids["class"], next_week(), 7)]


def test_cancelled_and_deactivated_offerings_are_not_shown(mike, gateway):
    tenant, trainer_id, ids = mike
    trainer = ids["headers"]
    assert gateway.delete(f"/trainer-portal/group-classes/{ids['class']}", headers=trainer).status_code == 200
    assert gateway.delete(f"/trainer-portal/programmes/{ids['programme']}", headers=trainer).status_code == 200
    shown = data(gateway.get(f"/trainers/{trainer_id}", headers=tenant.user()))["trainer"]
    assert ([s["id"] for s in shown["services"]], shown["classes"], shown["programmes"]) == ([ids["service"]], [], [])


@pytest.mark.parametrize("path", ["", "/services", "/classes"])
def test_another_tenants_trainer_answers_exactly_like_a_missing_one(studio, gateway, path):
    first, second = studio(), studio()
    theirs = first.trainer("Coach Mike")
    user = second.user()
    foreign, missing = gateway.get(f"/trainers/{theirs}{path}", headers=user), \
        gateway.get(f"/trainers/{theirs + 1000}{path}", headers=user)
    assert foreign.status_code == missing.status_code == 404
    assert error(foreign)["code"] == "TRAINER_NOT_FOUND"
    assert foreign.get_json() == missing.get_json()


def test_a_past_class_is_no_longer_upcoming(mike, gateway, catalog):
    tenant, trainer_id, _ = mike
    catalog.directory.clock = lambda: datetime.now(UTC) + timedelta(days=30)
    assert data(gateway.get(f"/trainers/{trainer_id}/classes", headers=tenant.user()))["upcomingGroupClasses"] == []
    assert data(gateway.get(f"/trainers/{trainer_id}", headers=tenant.user()))["trainer"]["classes"] == []
