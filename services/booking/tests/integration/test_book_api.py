"""POST /trainers/:id/book: a slot is re-checked when booked, taken once, and a retried request books once."""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from stvos_shared.contracts import validate

from services.booking.tests.world import MONDAY, NOW
from tests.fixtures.queries import queries, recorded_statements

RACERS = 8


@pytest.fixture
def offer(world):
    """A 60-minute service and Monday 09:00-17:00 hours: (service id, the first slot offered)."""
    service = world.add_service(duration=60, price="75.00")
    world.weekly("monday", "09:00", "17:00")
    return service, world.slots(service, MONDAY, MONDAY)[0]


def test_booking_a_slot_answers_201_with_the_booking_in_the_trainers_time(world, offer):
    service, slot = offer
    response = world.gateway.post(f"/trainers/{world.trainer_id}/book", headers=world.headers(),
                                  json={"serviceId": service, "slotId": slot["id"], "notes": "Focus on upper body"})
    assert response.status_code == 201
    booking = response.get_json()["data"]["booking"]
    assert {key: booking[key] for key in ("trainerId", "userId", "status", "scheduledDate", "scheduledTime", "service",
                                          "startsAt", "endsAt", "timezone", "price", "currency", "lateCancellation",
                                          "notes")} == {
        "trainerId": world.trainer_id, "userId": world.user_id, "status": "confirmed", "scheduledDate": "2027-03-01",
        "scheduledTime": "10:00", "service": {"id": service, "name": "1-on-1 Training"},
        "startsAt": "2027-03-01T10:00:00+00:00", "endsAt": "2027-03-01T11:00:00+00:00", "timezone": "Europe/London",
        "price": 75.0, "currency": "GBP", "lateCancellation": False, "notes": "Focus on upper body"}
    assert response.get_data(as_text=True).count('"price":75.00,') == 1  # money keeps its two decimals


def test_the_booked_slot_is_gone_from_availability_and_booking_it_again_is_slot_taken(world, offer):
    service, slot = offer
    world.booked(service, slot["id"])
    assert slot["id"] not in [s["id"] for s in world.slots(service, MONDAY, MONDAY)]
    response = world.book(service, slot["id"], world.add_user("Sam"))
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "SLOT_TAKEN")


def test_an_overlapping_slot_of_another_service_is_taken_too(world, offer):
    service, slot = offer
    world.booked(service, slot["id"])
    short = world.add_service(duration=30)
    half_past = slot["id"] + 30  # generated ids count minutes: 10:30 is 30 after 10:00
    response = world.book(short, half_past, world.add_user("Sam"))
    assert response.get_json()["error"]["code"] == "SLOT_TAKEN"


@pytest.mark.parametrize("case", ["past", "inside_notice", "no_such_slot", "hours_removed", "explicit_unknown"])
def test_a_slot_no_longer_offered_is_slot_unavailable(world, offer, case):
    service, slot = offer
    slot_id = slot["id"]
    if case == "past":
        world.now = NOW + timedelta(days=1)
    elif case == "inside_notice":
        world.now = NOW + timedelta(minutes=30)  # 10:00 is now 1.5 h away, notice is 2 h
    elif case == "no_such_slot":
        slot_id += 7  # 10:07 is no step of the trainer's
    elif case == "hours_removed":
        window = world.gateway.get("/trainer-portal/availability", headers=world.trainer_headers()).get_json()
        window_id = window["data"]["availability"][0]["id"]
        world.gateway.delete(f"/trainer-portal/availability/{window_id}", headers=world.trainer_headers())
    else:
        slot_id = 12345
    response = world.book(service, slot_id)
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "SLOT_UNAVAILABLE")


def test_a_service_of_another_trainer_or_unknown_and_an_unknown_trainer_are_not_found(world, offer):
    _, slot = offer
    other_trainer = world.add_trainer()
    foreign = world.add_service(trainer_id=other_trainer)
    for service, code in ((foreign, "SERVICE_NOT_FOUND"), (987654, "SERVICE_NOT_FOUND")):
        response = world.book(service, slot["id"])
        assert (response.status_code, response.get_json()["error"]["code"]) == (404, code)
    response = world.gateway.post("/trainers/987654/book", headers=world.headers(),
                                  json={"serviceId": offer[0], "slotId": slot["id"]})
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "TRAINER_NOT_FOUND")


@pytest.mark.parametrize("body", [{}, {"serviceId": 1}, {"serviceId": "one", "slotId": 1},
                                  {"serviceId": 1, "slotId": 0}, {"serviceId": 1, "slotId": 1, "status": "completed"},
                                  {"serviceId": 1, "slotId": 1, "notes": "x" * 2001}])
def test_a_malformed_body_is_a_422_naming_the_field(world, offer, body):
    response = world.gateway.post(f"/trainers/{world.trainer_id}/book", headers=world.headers(), json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["fields"]


def test_a_trainer_token_cannot_book(world, offer):
    service, slot = offer
    response = world.gateway.post(f"/trainers/{world.trainer_id}/book", headers=world.trainer_headers(),
                                  json={"serviceId": service, "slotId": slot["id"]})
    assert response.status_code == 403


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer_and_books_once(world, offer):
    service, slot = offer
    first = world.book(service, slot["id"], **{"Idempotency-Key": "book-1"})
    again = world.book(service, slot["id"], **{"Idempotency-Key": "book-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers.get("Idempotency-Replayed") == "true"
    assert len(world.published("booking.session.booked")) == 1


def test_the_same_key_with_another_body_is_idempotency_key_reused(world, offer):
    service, slot = offer
    world.book(service, slot["id"], **{"Idempotency-Key": "book-1"})
    response = world.book(service, slot["id"] + 60, **{"Idempotency-Key": "book-1"})
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert len(world.slots(service, MONDAY, MONDAY)) == 11  # one booking: 10:00 gone, 10:30 overlaps it


def test_racing_bookings_of_one_slot_leave_exactly_one_booking(world, offer):
    service, slot = offer
    users = [world.add_user(f"Racer {n}") for n in range(RACERS)]
    start = Barrier(RACERS)

    def attempt(user_id: int) -> str:
        client = world.app_client()
        start.wait()
        response = client.post(f"/trainers/{world.trainer_id}/book", headers=world.direct_headers(user_id),
                               json={"serviceId": service, "slotId": slot["id"]})
        return str(response.status_code) + " " + (response.get_json().get("error") or {}).get("code", "")

    with ThreadPoolExecutor(RACERS) as pool:
        outcomes = Counter(pool.map(attempt, users))
    assert outcomes == Counter({"201 ": 1, "409 SLOT_TAKEN": RACERS - 1})
    assert len(world.published("booking.session.booked")) == 1


def test_booking_costs_at_most_seven_queries_with_an_idempotency_key(world, offer):
    """One more than without: the user's expired keys are pruned as the new one is stored."""
    service, slot = offer
    world.slots(service, MONDAY, MONDAY)  # the verifier has met the signing key
    headers = {**world.direct_headers(world.user_id), "Idempotency-Key": "counted"}
    with recorded_statements(world.booking.db.engine) as statements:
        response = world.app_client().post(f"/trainers/{world.trainer_id}/book", headers=headers,
                                           json={"serviceId": service, "slotId": slot["id"]})
    assert response.status_code == 201
    assert len(queries(statements)) <= 7, queries(statements)


def test_booked_publishes_what_catalog_and_portal_need(world, offer):
    service, slot = offer
    booking = world.booked(service, slot["id"])
    [event] = world.published("booking.session.booked")
    assert validate("booking.session.booked", 1, event) == {}
    assert (event["bookingId"], event["userId"], event["price"], event["status"]) == (
        booking["id"], world.user_id, "75.00", "confirmed")
