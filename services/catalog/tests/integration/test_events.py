"""Events in and out: every change is published with its contract; what arrives twice or late changes nothing."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from stvos_shared import contracts

from services.catalog.tests.support import data, next_week, outbox_events, partner_record, seats, subscribers

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


def profile(gateway, tenant, trainer_id: int) -> dict:
    listed = data(gateway.get("/trainers?active=true", headers=tenant.user()))["trainers"]
    listed += data(gateway.get("/trainers?active=false", headers=tenant.user()))["trainers"]
    return next(t for t in listed if t["id"] == trainer_id)


def test_every_published_payload_matches_its_contract(studio, gateway, catalog):
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer("Coach Mike", specialisations=["HIIT"])
    service = data(gateway.post("/trainer-portal/services", json={"name": "1-on-1", "duration": 60, "price": 75,
                                                                  "cancellationCutoffHours": 24}, headers=trainer))
    gateway.put(f"/trainer-portal/services/{service['service']['id']}", json={"price": 80}, headers=trainer)
    gateway.delete(f"/trainer-portal/services/{service['service']['id']}", headers=trainer)
    created = data(gateway.post("/trainer-portal/group-classes", headers=trainer, json={
        "name": "HIIT", "scheduledDate": next_week(), "scheduledTime": "18:30", "duration": 45, "capacity": 10,
        "price": 15}))["groupClass"]
    gateway.put(f"/trainer-portal/group-classes/{created['id']}", json={"capacity": 12}, headers=trainer)
    gateway.delete(f"/trainer-portal/group-classes/{created['id']}", headers=trainer)
    programme = data(gateway.post("/trainer-portal/programmes", json={"name": "12 weeks", "weeks": 12, "price": 299},
                                  headers=trainer))["programme"]
    gateway.put(f"/trainer-portal/programmes/{programme['id']}", json={"active": False}, headers=trainer)
    tenant.deactivate_trainer(trainer_id)
    published = outbox_events(catalog, "catalog.")
    assert [event["type"] for event in published] == [
        "catalog.trainer.created", "catalog.service.created", "catalog.service.updated",
        "catalog.service.deactivated", "catalog.group_class.created", "catalog.group_class.updated",
        "catalog.group_class.cancelled", "catalog.programme.created", "catalog.programme.deactivated",
        "catalog.trainer.deactivated"]
    for event in published:
        assert contracts.validate(event["type"], event["version"], event["data"]) == {}, event
        assert event["clientId"] == tenant.client_id


def test_the_published_class_carries_what_booking_needs(studio, gateway, catalog):
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer("Coach Kai", timezone="Asia/Tokyo")
    created = data(gateway.post("/trainer-portal/group-classes", headers=trainer, json={
        "name": "HIIT", "scheduledDate": next_week(), "scheduledTime": "07:00", "duration": 45, "capacity": 10,
        "price": 15, "currency": "JPY", "cancellationCutoffHours": 6}))["groupClass"]
    event = outbox_events(catalog, "catalog.group_class.created")[0]["data"]
    assert event == {"classId": created["id"], "trainerId": trainer_id, "name": "HIIT", "description": None,
                     "startsAt": event["startsAt"], "endsAt": event["endsAt"], "timezone": "Asia/Tokyo",
                     "scheduledDate": next_week(), "scheduledTime": "07:00", "duration": 45, "capacity": 10,
                     "price": "15.00", "currency": "JPY", "cancellationCutoffHours": 6, "active": True}
    starts = datetime.fromisoformat(event["startsAt"])
    assert starts.utcoffset() == timedelta(0) and starts.hour == 22  # 07:00 in Tokyo is 22:00 UTC the day before
    assert datetime.fromisoformat(event["endsAt"]) - starts == timedelta(minutes=45)


def test_a_partner_change_reaches_the_profile_and_is_published(studio, gateway, catalog):
    tenant = studio()
    trainer_id = tenant.trainer("Coach Mike")
    tenant.update_trainer(trainer_id, name="Coach Michael", specialisations=["Boxing"])
    assert profile(gateway, tenant, trainer_id)["name"] == "Coach Michael"
    assert data(gateway.get("/trainers?search=boxing", headers=tenant.user()))["pagination"]["total"] == 1
    assert [e["type"] for e in outbox_events(catalog, "catalog.trainer")] == ["catalog.trainer.created",
                                                                              "catalog.trainer.updated"]


def test_a_duplicated_or_late_partner_record_never_overwrites_a_newer_one(studio, gateway, catalog):
    tenant = studio()
    trainer_id = 900_001
    apply = catalog.consumer.handle
    apply(partner_record(tenant.client_id, trainer_id, T0, created=True, name="First"))
    newer = partner_record(tenant.client_id, trainer_id, T0 + timedelta(minutes=2), name="Newest", bio="New bio")
    apply(newer)
    apply(partner_record(tenant.client_id, trainer_id, T0 + timedelta(minutes=1), name="Late"))
    apply(newer)  # the same event again: the inbox drops it
    shown = profile(gateway, tenant, trainer_id)
    assert (shown["name"], shown["bio"]) == ("Newest", "New bio")
    assert [e["data"]["name"] for e in outbox_events(catalog, "catalog.trainer")] == ["First", "Newest"]


def test_an_admins_later_change_keeps_what_the_trainer_wrote_since(studio, gateway, catalog, platform):
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer("Coach Mike", bio="Admin's bio")
    internal = platform.apps["catalog"].test_client()
    headers = {**trainer, "X-Client-Id": str(tenant.client_id)}
    changed = internal.put("/internal/trainer-profile", json={"bio": "My own words"}, headers=headers)
    assert changed.status_code == 200, changed.get_json()
    tenant.update_trainer(trainer_id, name="Coach Michael")  # the admin's record still carries the old bio
    tenant.deactivate_trainer(trainer_id)
    shown = profile(gateway, tenant, trainer_id)
    assert (shown["name"], shown["bio"], shown["active"]) == ("Coach Michael", "My own words", False)


@pytest.mark.parametrize("order", [(1, 2, 3), (3, 1, 2), (2, 3, 1, 3, 2)])
def test_spots_left_keep_the_newest_count_whatever_the_order(studio, gateway, catalog, order):
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer()
    created = data(gateway.post("/trainer-portal/group-classes", headers=trainer, json={
        "name": "HIIT", "scheduledDate": next_week(), "scheduledTime": "18:30", "duration": 45, "capacity": 10,
        "price": 15}))["groupClass"]
    counts = {1: 1, 2: 2, 3: 1}  # joined, joined, one cancelled
    for version in order:
        catalog.consumer.handle(seats(tenant.client_id, created["id"], trainer_id, counts[version], version))
    shown = data(gateway.get(f"/trainer-portal/group-classes/{created['id']}", headers=trainer))["groupClass"]
    assert (shown["participants"], shown["spotsLeft"]) == (1, 9)


@pytest.mark.parametrize("order", [(1, 2), (2, 1), (2, 1, 2)])
def test_subscriber_counts_keep_the_newest_whatever_the_order(studio, gateway, catalog, order):
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer()
    programme = data(gateway.post("/trainer-portal/programmes", json={"name": "12 weeks", "weeks": 12, "price": 299},
                                  headers=trainer))["programme"]
    for version in order:
        catalog.consumer.handle(subscribers(tenant.client_id, programme["id"], trainer_id, version * 5, version))
    listed = data(gateway.get("/trainer-portal/programmes", headers=trainer))["programmes"]
    assert [p["subscriberCount"] for p in listed] == [10]


@pytest.mark.parametrize("late", [False, True])
def test_a_completed_subscription_counts_out_and_a_duplicate_or_late_event_does_not_count_it_back(
        studio, gateway, catalog, late):
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer()
    programme = data(gateway.post("/trainer-portal/programmes", json={"name": "12 weeks", "weeks": 12, "price": 299},
                                  headers=trainer))["programme"]
    subscribed = subscribers(tenant.client_id, programme["id"], trainer_id, 1, 1)
    completed = subscribers(tenant.client_id, programme["id"], trainer_id, 0, 2, "completed", "completed")
    for event in ([completed, subscribed, completed] if late else [subscribed, completed, completed]):
        catalog.consumer.handle(event)
    resumed = subscribers(tenant.client_id, programme["id"], trainer_id, 1, 1, "resumed")  # older, another id
    catalog.consumer.handle(resumed)
    listed = data(gateway.get("/trainer-portal/programmes", headers=trainer))["programmes"]
    assert [p["subscriberCount"] for p in listed] == [0]


def test_seat_counts_of_another_tenants_class_change_nothing(studio, gateway, catalog):
    tenant, other = studio(), studio()
    trainer_id, trainer = tenant.signed_in_trainer()
    created = data(gateway.post("/trainer-portal/group-classes", headers=trainer, json={
        "name": "HIIT", "scheduledDate": next_week(), "scheduledTime": "18:30", "duration": 45, "capacity": 10,
        "price": 15}))["groupClass"]
    catalog.consumer.handle(seats(other.client_id, created["id"], trainer_id, participants=9, version=1))
    shown = data(gateway.get(f"/trainer-portal/group-classes/{created['id']}", headers=trainer))["groupClass"]
    assert shown["spotsLeft"] == 10


def test_the_list_total_follows_trainers_added_deactivated_and_reactivated(studio, gateway, catalog):
    tenant = studio()
    apply = catalog.consumer.handle

    def totals() -> tuple[int, int]:
        return tuple(data(gateway.get(f"/trainers?active={flag}", headers=tenant.user()))["pagination"]["total"]
                     for flag in ("true", "false"))

    for n in range(3):
        apply(partner_record(tenant.client_id, 910_000 + n, T0, created=True))
    assert totals() == (3, 0)
    apply(partner_record(tenant.client_id, 910_000, T0 + timedelta(minutes=1), active=False))
    apply(partner_record(tenant.client_id, 910_000, T0 + timedelta(minutes=1), active=False))  # twice
    apply(partner_record(tenant.client_id, 910_001, T0 - timedelta(minutes=1), active=False))  # older: ignored
    assert totals() == (2, 1)
    apply(partner_record(tenant.client_id, 910_000, T0 + timedelta(minutes=2), active=True))
    assert totals() == (3, 0)


def test_subscriber_count_and_portal_follow_the_completion_job_across_the_platform(studio, gateway, platform,
                                                                                     monkeypatch):
    """A user subscribes to a one-week programme through booking; when booking's job completes it, catalog's
    subscriberCount and the portal's active programme subscribers drop to zero (events through the outbox)."""
    from stvos_shared.jobs import drain

    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer()
    programme = data(gateway.post("/trainer-portal/programmes", json={"name": "1 week", "weeks": 1, "price": 49},
                                  headers=trainer))["programme"]
    subscribed = gateway.post(f"/trainers/{trainer_id}/programmes/subscribe", headers=tenant.user(), json={
        "programmeId": programme["id"], "startDate": next_week(0), "paymentAmount": 49})
    assert subscribed.status_code == 201, subscribed.get_json()

    def figures() -> tuple[int, int]:
        listed = data(gateway.get("/trainer-portal/programmes", headers=trainer))["programmes"]
        statistics = data(gateway.get("/trainer-portal/profile", headers=trainer))["statistics"]
        return listed[0]["subscriberCount"], statistics["activeProgrammeSubscribers"]

    assert figures() == (1, 1)
    booking = platform.containers["booking"]
    assert drain(booking.completions, "booking") == 0
    week_later = booking.clock.now() + timedelta(days=7)
    monkeypatch.setattr(booking.clock, "now", lambda: week_later)
    assert drain(booking.completions, "booking") == 1
    assert figures() == (0, 0)
