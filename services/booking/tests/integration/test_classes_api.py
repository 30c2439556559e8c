"""Group classes: a seat per paying user, never more than the capacity, given back on cancelling."""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from stvos_shared.contracts import validate

from services.booking.tests.world import NOW, class_payload
from tests.fixtures.queries import queries, recorded_statements

EVENING = NOW + timedelta(days=2, hours=10)  # Wednesday 18:00 London


def join(world, class_id: int, user_id: int | None = None, amount=15.00, **headers):
    return world.gateway.post(f"/trainers/classes/{class_id}/join", headers=world.headers(user_id, **headers),
                              json={"paymentAmount": amount})


def leave(world, class_id: int, user_id: int | None = None):
    return world.gateway.post(f"/my-bookings/group-classes/{class_id}/cancel", headers=world.headers(user_id))


def code(response) -> tuple[int, str]:
    return response.status_code, (response.get_json().get("error") or {}).get("code", "")


def test_joining_a_class_at_its_price_answers_201_with_the_place(world):
    class_id = world.add_class(EVENING, capacity=5)
    response = join(world, class_id, amount=15)
    assert response.status_code == 201
    place = response.get_json()["data"]["participation"]
    assert (place["classId"], place["name"], place["status"], place["paymentAmount"], place["currency"],
            place["scheduledDate"], place["scheduledTime"], place["startsAt"]) == (
        class_id, "Group HIIT", "joined", 15.0, "GBP", "2027-03-03", "18:00", "2027-03-03T18:00:00+00:00")
    [event] = world.published("booking.class_participation.joined")
    assert validate("booking.class_participation.joined", 1, event) == {}
    assert (event["participants"], event["capacity"], event["seatVersion"]) == (1, 5, 1)


@pytest.mark.parametrize("amount", [14.99, 15.01, 0])
def test_a_payment_other_than_the_price_is_payment_mismatch(world, amount):
    class_id = world.add_class(EVENING)
    assert code(join(world, class_id, amount=amount)) == (422, "PAYMENT_MISMATCH")


@pytest.mark.parametrize("amount", ["15.00", 15.001, -1, None, True])
def test_a_payment_that_is_no_amount_of_money_is_a_422(world, amount):
    class_id = world.add_class(EVENING)
    assert code(join(world, class_id, amount=amount)) == (422, "VALIDATION_FAILED")


def test_joining_twice_is_already_joined(world):
    class_id = world.add_class(EVENING)
    join(world, class_id)
    assert code(join(world, class_id)) == (409, "ALREADY_JOINED")


def test_a_past_or_cancelled_class_cannot_be_joined(world):
    past = world.add_class(NOW - timedelta(hours=1))
    cancelled = world.add_class(EVENING)
    world.tell("catalog.group_class.cancelled", class_payload(cancelled, world.trainer_id, EVENING, active=False))
    assert code(join(world, past)) == (409, "CLASS_STARTED")
    assert code(join(world, cancelled)) == (409, "CLASS_CANCELLED")
    assert code(join(world, 987654)) == (404, "CLASS_NOT_FOUND")


def test_another_tenants_class_is_not_found(world):
    other = world.other_tenant()
    foreign = world.add_class(EVENING)
    world.tell("catalog.group_class.updated", class_payload(foreign, world.trainer_id, EVENING), client_id=other)
    response = world.gateway.post(f"/trainers/classes/{foreign}/join", json={"paymentAmount": 15},
                                  headers=world.headers(world.add_user("Other", other), client_id=other, key=other))
    assert code(response) == (404, "CLASS_NOT_FOUND")


def test_more_racers_than_places_leave_exactly_capacity_joined(world):
    capacity, racers = 3, 8
    class_id = world.add_class(EVENING, capacity=capacity)
    users = [world.add_user(f"Racer {n}") for n in range(racers)]
    start = Barrier(racers)

    def attempt(user_id: int) -> str:
        client = world.app_client()
        start.wait()
        response = client.post(f"/trainers/classes/{class_id}/join", headers=world.direct_headers(user_id),
                               json={"paymentAmount": 15})
        return f"{response.status_code} {(response.get_json().get('error') or {}).get('code', '')}".strip()

    with ThreadPoolExecutor(racers) as pool:
        outcomes = Counter(pool.map(attempt, users))
    assert outcomes == Counter({"201": capacity, "409 CLASS_FULL": racers - capacity})
    events = world.published("booking.class_participation.joined")
    assert sorted(event["seatVersion"] for event in events) == [1, 2, 3]


def test_leaving_gives_the_seat_back_at_once_and_twice_is_already_cancelled(world):
    class_id = world.add_class(EVENING, capacity=1)
    join(world, class_id)
    assert code(join(world, class_id, world.add_user("Sam"))) == (409, "CLASS_FULL")
    response = leave(world, class_id)
    assert response.status_code == 200
    assert response.get_json()["data"]["participation"]["status"] == "cancelled"
    assert join(world, class_id, world.add_user("Kim")).status_code == 201
    assert code(leave(world, class_id)) == (409, "ALREADY_CANCELLED")
    assert code(leave(world, class_id, world.add_user("Lee"))) == (404, "PARTICIPATION_NOT_FOUND")


def test_leaving_inside_the_cut_off_is_late_and_the_class_own_cut_off_wins(world):
    world.policy(cancellationCutoffHours=48)
    default = world.add_class(EVENING)  # 58 h ahead: outside the trainer's 48 h
    strict = world.add_class(EVENING, cutoff=72)  # inside its own 72 h
    join(world, default)
    join(world, strict)
    assert leave(world, default).get_json()["data"]["participation"]["lateCancellation"] is False
    assert leave(world, strict).get_json()["data"]["participation"]["lateCancellation"] is True
    [_, late] = world.published("booking.class_participation.cancelled")
    assert (late["lateCancellation"], late["cancelledBy"]) == (True, "user")


def test_the_roster_lists_joined_people_by_name_for_the_classes_trainer_only(world):
    class_id = world.add_class(EVENING)
    sam = world.add_user("Sam Smith")
    join(world, class_id)
    join(world, class_id, sam)
    leave(world, class_id)
    response = world.gateway.get(f"/trainer-portal/group-classes/{class_id}/roster", headers=world.trainer_headers())
    assert response.status_code == 200
    body = response.get_json()["data"]
    assert [entry["user"]["name"] for entry in body["participants"]] == ["Sam Smith"]
    assert (body["groupClass"]["participants"], body["groupClass"]["spotsLeft"]) == (1, 4)
    other = world.add_trainer()
    response = world.gateway.get(f"/trainer-portal/group-classes/{class_id}/roster",
                                 headers=world.trainer_headers(other))
    assert code(response) == (404, "CLASS_NOT_FOUND")
    assert world.gateway.get(f"/trainer-portal/group-classes/{class_id}/roster",
                             headers=world.headers()).status_code == 403


def test_a_class_cancelled_in_the_catalog_cancels_every_place_by_the_trainer(world):
    class_id = world.add_class(EVENING, capacity=4)
    users = [world.user_id, world.add_user("Sam"), world.add_user("Kim")]
    for user_id in users:
        join(world, class_id, user_id)
    world.tell("catalog.group_class.cancelled", class_payload(class_id, world.trainer_id, EVENING, capacity=4,
                                                              active=False))
    events = world.published("booking.class_participation.cancelled")
    assert [(e["userId"], e["cancelledBy"], e["lateCancellation"]) for e in events] == [
        (user_id, "trainer", False) for user_id in users]
    assert [(e["participants"], e["seatVersion"]) for e in events] == [(2, 4), (1, 5), (0, 6)]
    places = world.gateway.get("/my-bookings/group-classes", headers=world.headers()).get_json()["data"]
    assert places["groupClasses"][0]["status"] == "cancelled"


def test_a_lower_capacity_from_the_catalog_never_drops_below_the_seats_sold(world):
    class_id = world.add_class(EVENING, capacity=5)
    for user_id in (world.user_id, world.add_user("Sam"), world.add_user("Kim")):
        join(world, class_id, user_id)
    world.tell("catalog.group_class.updated", class_payload(class_id, world.trainer_id, EVENING, capacity=2))
    roster = world.gateway.get(f"/trainer-portal/group-classes/{class_id}/roster",
                               headers=world.trainer_headers()).get_json()["data"]["groupClass"]
    assert (roster["capacity"], roster["participants"], roster["spotsLeft"]) == (3, 3, 0)
    assert code(join(world, class_id, world.add_user("Lee"))) == (409, "CLASS_FULL")


def test_joining_costs_at_most_six_queries_with_an_idempotency_key(world):
    class_id = world.add_class(EVENING)
    world.slots(None)  # the verifier has met the signing key
    headers = {**world.direct_headers(world.user_id), "Idempotency-Key": "join-1"}
    with recorded_statements(world.booking.db.engine) as statements:
        response = world.app_client().post(f"/trainers/classes/{class_id}/join", headers=headers,
                                           json={"paymentAmount": 15})
    assert response.status_code == 201
    assert len(queries(statements)) <= 6, queries(statements)
    again = world.app_client().post(f"/trainers/classes/{class_id}/join", headers=headers, json={"paymentAmount": 15})
    assert (again.status_code, again.get_json()) == (201, response.get_json())


def test_joining_a_full_class_is_refused_on_one_read_without_trying_the_seat(world):
    class_id = world.add_class(EVENING, capacity=1)
    join(world, class_id)
    world.slots(None)  # the verifier has met the signing key
    headers = world.direct_headers(world.add_user("Sam"))
    with recorded_statements(world.booking.db.engine) as statements:
        response = world.app_client().post(f"/trainers/classes/{class_id}/join", headers=headers,
                                           json={"paymentAmount": 15})
    assert code(response) == (409, "CLASS_FULL")
    assert [s.split(None, 1)[0].upper() for s in queries(statements)] == ["SELECT"], queries(statements)
