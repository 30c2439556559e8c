"""/trainer-portal/group-classes: scheduled on the trainer's wall clock, never shrunk below the joined users,
cancelled rather than deleted."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.catalog.tests.support import data, error, next_week, seats

CLASS = {"name": "Group HIIT", "description": "Sweat together", "scheduledDate": next_week(), "scheduledTime": "18:30",
         "duration": 45, "capacity": 10, "price": 15, "currency": "GBP", "cancellationCutoffHours": 12}


def next_weekday(weekday: int, after_days: int = 1) -> date:
    """The first `weekday` (0 = Monday) at least `after_days` from today."""
    day = date.today() + timedelta(days=after_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def coach(studio):
    tenant = studio()
    trainer_id, headers = tenant.signed_in_trainer("Coach Kai", timezone="America/New_York")
    return tenant, trainer_id, headers


def schedule(gateway, trainer, **changes):
    response = gateway.post("/trainer-portal/group-classes", json={**CLASS, **changes}, headers=trainer)
    assert response.status_code == 201, response.get_json()
    return data(response)["groupClass"]


def test_a_class_is_scheduled_in_the_trainers_timezone(coach, gateway):
    _, _, trainer = coach
    created = schedule(gateway, trainer)
    new_york_offset = created["startsAt"][-6:]
    assert new_york_offset in ("-05:00", "-04:00")
    assert created == {
        "id": created["id"], "name": "Group HIIT", "description": "Sweat together", "scheduledDate": next_week(),
        "scheduledTime": "18:30", "startsAt": f"{next_week()}T18:30:00{new_york_offset}",
        "endsAt": f"{next_week()}T19:15:00{new_york_offset}", "timezone": "America/New_York", "duration": 45,
        "capacity": 10, "spotsLeft": 10, "price": 15.0, "currency": "GBP", "participants": 0,
        "cancellationCutoffHours": 12, "active": True}


def test_a_time_the_clocks_skip_is_422_and_a_repeated_hour_is_its_first_pass(coach, gateway):
    _, _, trainer = coach
    spring = next((d for d in (date.today() + timedelta(days=n) for n in range(1, 400))
                   if d.month == 3 and d.weekday() == 6 and 8 <= d.day <= 14), None)  # US: 2nd Sunday of March
    skipped = gateway.post("/trainer-portal/group-classes", headers=trainer,
                           json={**CLASS, "scheduledDate": spring.isoformat(), "scheduledTime": "02:30"})
    assert skipped.status_code == 422
    assert "scheduledTime" in error(skipped)["details"]["fields"]
    autumn = next(d for d in (date.today() + timedelta(days=n) for n in range(1, 400))
                  if d.month == 11 and d.weekday() == 6 and d.day <= 7)  # US: 1st Sunday of November
    repeated = schedule(gateway, trainer, scheduledDate=autumn.isoformat(), scheduledTime="01:30")
    assert repeated["startsAt"] == f"{autumn.isoformat()}T01:30:00-04:00"


def test_a_class_in_the_past_is_422_naming_the_date(coach, gateway):
    _, _, trainer = coach
    response = gateway.post("/trainer-portal/group-classes", headers=trainer,
                            json={**CLASS, "scheduledDate": (date.today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    assert "scheduledDate" in error(response)["details"]["fields"]


def test_moving_a_class_keeps_its_wall_clock_and_moves_its_instants(coach, gateway):
    _, _, trainer = coach
    created = schedule(gateway, trainer)
    later = (date.fromisoformat(next_week()) + timedelta(days=1)).isoformat()
    moved = data(gateway.put(f"/trainer-portal/group-classes/{created['id']}", headers=trainer,
                             json={"scheduledDate": later, "duration": 60}))["groupClass"]
    assert (moved["scheduledDate"], moved["scheduledTime"]) == (later, "18:30")
    assert moved["startsAt"].startswith(f"{later}T18:30:00") and moved["endsAt"].startswith(f"{later}T19:30:00")


def test_a_class_with_participants_cannot_shrink_below_them(coach, gateway, catalog):
    tenant, trainer_id, trainer = coach
    created = schedule(gateway, trainer)
    catalog.consumer.handle(seats(tenant.client_id, created["id"], trainer_id, participants=6, version=1))
    refused = gateway.put(f"/trainer-portal/group-classes/{created['id']}", json={"capacity": 5}, headers=trainer)
    assert refused.status_code == 409
    assert error(refused)["code"] == "CAPACITY_BELOW_PARTICIPANTS"
    shrunk = data(gateway.put(f"/trainer-portal/group-classes/{created['id']}", json={"capacity": 6},
                              headers=trainer))["groupClass"]
    assert (shrunk["capacity"], shrunk["participants"], shrunk["spotsLeft"]) == (6, 6, 0)


def test_cancelling_a_class_is_idempotent_and_freezes_it(coach, gateway):
    _, _, trainer = coach
    created = schedule(gateway, trainer)
    cancelled = data(gateway.delete(f"/trainer-portal/group-classes/{created['id']}", headers=trainer))["groupClass"]
    assert cancelled == {**created, "active": False}
    assert data(gateway.delete(f"/trainer-portal/group-classes/{created['id']}", headers=trainer))["groupClass"] \
        == cancelled
    refused = gateway.put(f"/trainer-portal/group-classes/{created['id']}", json={"name": "Back"}, headers=trainer)
    assert refused.status_code == 409
    assert error(refused)["code"] == "CLASS_CANCELLED"


def test_a_class_that_has_started_cannot_be_changed(coach, gateway, catalog):
    _, _, trainer = coach
    created = schedule(gateway, trainer)
    catalog.group_classes.clock = lambda: date_time_after(days=30)
    refused = gateway.put(f"/trainer-portal/group-classes/{created['id']}", json={"name": "Late"}, headers=trainer)
    assert refused.status_code == 409
    assert error(refused)["code"] == "CLASS_STARTED"


def test_the_list_is_ordered_by_start(coach, gateway):
    _, _, trainer = coach
    later = schedule(gateway, trainer, scheduledDate=next_week(9))
    sooner = schedule(gateway, trainer, scheduledDate=next_week(2))
    listed = data(gateway.get("/trainer-portal/group-classes", headers=trainer))
    assert [c["id"] for c in listed["groupClasses"]] == [sooner["id"], later["id"]]


def date_time_after(days: int):
    from datetime import UTC, datetime

    return datetime.now(UTC) + timedelta(days=days)
