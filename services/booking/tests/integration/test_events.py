"""What booking learns from events: replicas keep the newest, duplicates and late arrivals change nothing."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stvos_shared.contracts import validate

from services.booking.tests.world import MONDAY, NOW, class_payload, service_payload, trainer_payload

EARLIER, LATER = datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC)


def test_an_older_trainer_event_arriving_late_does_not_overwrite_a_newer_one(world):
    trainer_id = world.add_trainer()
    world.tell("catalog.trainer.updated", trainer_payload(trainer_id, "America/New_York"), occurred_at=LATER)
    world.tell("catalog.trainer.updated", trainer_payload(trainer_id, "Asia/Tokyo"), occurred_at=EARLIER)
    body = world.gateway.get(f"/trainers/{trainer_id}/availability?startDate={MONDAY}", headers=world.headers())
    assert body.get_json()["data"]["timezone"] == "America/New_York"


def test_a_deactivated_trainer_takes_no_bookings_and_an_unknown_zone_is_read_as_utc(world):
    trainer_id = world.add_trainer(timezone="Mars/Olympus_Mons")
    body = world.gateway.get(f"/trainers/{trainer_id}/availability?startDate={MONDAY}", headers=world.headers())
    assert body.get_json()["data"]["timezone"] == "UTC"
    world.tell("catalog.trainer.deactivated", trainer_payload(trainer_id, active=False))
    response = world.gateway.get(f"/trainers/{trainer_id}/availability?startDate={MONDAY}", headers=world.headers())
    assert response.status_code == 404


def test_a_duplicated_event_is_applied_once(world):
    class_id = world.add_class(NOW + timedelta(days=1), capacity=3)
    for user_id in (world.user_id, world.add_user("Sam")):
        world.gateway.post(f"/trainers/classes/{class_id}/join", headers=world.headers(user_id),
                           json={"paymentAmount": 15})
    cancelled = class_payload(class_id, world.trainer_id, NOW + timedelta(days=1), capacity=3, active=False)
    world.tell("catalog.group_class.cancelled", cancelled, event_id="cancel-once")
    world.tell("catalog.group_class.cancelled", cancelled, event_id="cancel-once")
    assert len(world.published("booking.class_participation.cancelled")) == 2


def test_a_class_update_older_than_its_cancellation_does_not_bring_it_back(world):
    starts_at = NOW + timedelta(days=1)
    class_id = world.add_class(starts_at)
    world.tell("catalog.group_class.cancelled", class_payload(class_id, world.trainer_id, starts_at, active=False),
               occurred_at=datetime.now(UTC) + timedelta(minutes=1))
    world.tell("catalog.group_class.updated", class_payload(class_id, world.trainer_id, starts_at, capacity=9))
    response = world.gateway.post(f"/trainers/classes/{class_id}/join", headers=world.headers(),
                                  json={"paymentAmount": 15})
    assert response.get_json()["error"]["code"] == "CLASS_CANCELLED"


def test_a_service_known_a_moment_later_is_a_404_until_then_never_a_500(world):
    world.weekly("monday", "09:00", "17:00")
    response = world.gateway.get(f"/trainers/{world.trainer_id}/availability?startDate={MONDAY}&serviceId=4242",
                                 headers=world.headers())
    assert response.status_code == 404
    world.tell("catalog.service.created", service_payload(4242, world.trainer_id))
    assert world.slots(4242, MONDAY, MONDAY) != []
    world.tell("catalog.service.deactivated", service_payload(4242, world.trainer_id, active=False))
    response = world.gateway.get(f"/trainers/{world.trainer_id}/availability?startDate={MONDAY}&serviceId=4242",
                                 headers=world.headers())
    assert response.get_json()["error"]["code"] == "SERVICE_NOT_FOUND"


def test_a_programme_update_keeps_bookings_own_subscriber_count(world):
    programme = world.add_programme()
    world.gateway.post(f"/trainers/{world.trainer_id}/programmes/subscribe", headers=world.headers(),
                       json={"programmeId": programme, "startDate": "2027-03-08", "paymentAmount": 299})
    world.tell("catalog.programme.updated", {
        "programmeId": programme, "trainerId": world.trainer_id, "name": "Renamed", "description": None, "weeks": 8,
        "price": "199.00", "currency": "GBP", "active": True})
    other = world.gateway.post(f"/trainers/{world.trainer_id}/programmes/subscribe",
                               headers=world.headers(world.add_user("Sam")),
                               json={"programmeId": programme, "startDate": "2027-03-08", "paymentAmount": 199})
    assert other.get_json()["data"]["subscription"]["endDate"] == "2027-05-03"
    [_, second] = world.published("booking.programme_subscription.subscribed")
    assert (second["subscribers"], second["programmeName"]) == (2, "Renamed")


def test_a_launch_for_another_trainers_booking_changes_nothing(world):
    service = world.add_service()
    world.weekly("monday", "09:00", "17:00")
    booking = world.booked(service, world.slots(service, MONDAY, MONDAY)[0]["id"])
    world.tell("portal.session.launched", {"kind": "session", "bookingId": booking["id"], "classId": None,
                                           "trainerId": world.add_trainer(), "room": "stolen", "url": "wss://x",
                                           "meetingLink": None})
    details = world.gateway.get(f"/my-bookings/sessions/{booking['id']}", headers=world.headers()).get_json()
    assert details["data"]["booking"]["meeting"] is None


def test_every_event_booking_wrote_matches_its_contract(world):
    service = world.add_service()
    world.weekly("monday", "09:00", "17:00")
    booking = world.booked(service, world.slots(service, MONDAY, MONDAY)[0]["id"])
    world.gateway.put(f"/trainer-portal/bookings/{booking['id']}", headers=world.trainer_headers(),
                      json={"notes": "Bring water"})
    world.gateway.post(f"/my-bookings/sessions/{booking['id']}/cancel", headers=world.headers())
    class_id = world.add_class(NOW + timedelta(days=1))
    world.gateway.post(f"/trainers/classes/{class_id}/join", headers=world.headers(), json={"paymentAmount": 15})
    world.gateway.post(f"/my-bookings/group-classes/{class_id}/cancel", headers=world.headers())
    programme = world.add_programme()
    subscription = world.gateway.post(f"/trainers/{world.trainer_id}/programmes/subscribe", headers=world.headers(),
                                      json={"programmeId": programme, "startDate": "2027-03-08",
                                            "paymentAmount": 299}).get_json()["data"]["subscription"]
    for action in ("pause", "resume", "cancel"):
        world.gateway.post(f"/my-bookings/programmes/{subscription['id']}/{action}", headers=world.headers())
    kinds = ["booking.session.booked", "booking.session.updated", "booking.session.cancelled",
             "booking.class_participation.joined", "booking.class_participation.cancelled",
             "booking.programme_subscription.subscribed", "booking.programme_subscription.paused",
             "booking.programme_subscription.resumed", "booking.programme_subscription.cancelled"]
    for kind in kinds:
        payloads = world.published(kind)
        assert len(payloads) == 1, kind
        assert validate(kind, 1, payloads[0]) == {}, kind
