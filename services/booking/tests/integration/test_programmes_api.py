"""Programme subscriptions: subscribe at the price, pause (the end moves on), resume, cancel; never twice."""
from __future__ import annotations

from datetime import timedelta

import pytest
from stvos_shared.contracts import validate

from services.booking.tests.world import MONDAY


def subscribe(world, programme_id: int, start: str = "2027-03-08", amount=299.00, user_id=None, **headers):
    return world.gateway.post(f"/trainers/{world.trainer_id}/programmes/subscribe",
                              headers=world.headers(user_id, **headers),
                              json={"programmeId": programme_id, "startDate": start, "paymentAmount": amount})


def change(world, subscription_id: int, action: str, user_id=None):
    return world.gateway.post(f"/my-bookings/programmes/{subscription_id}/{action}", headers=world.headers(user_id))


def code(response) -> tuple[int, str]:
    return response.status_code, (response.get_json().get("error") or {}).get("code", "")


def test_subscribing_answers_201_with_the_end_date_weeks_later(world):
    programme = world.add_programme(weeks=12)
    response = subscribe(world, programme)
    assert response.status_code == 201
    subscription = response.get_json()["data"]["subscription"]
    assert (subscription["status"], subscription["startDate"], subscription["endDate"], subscription["paymentAmount"],
            subscription["programme"]["name"]) == ("active", "2027-03-08", "2027-05-31", 299.0,
                                                   "12-Week Transformation")
    [event] = world.published("booking.programme_subscription.subscribed")
    assert validate("booking.programme_subscription.subscribed", 1, event) == {}
    assert (event["subscribers"], event["subscribersVersion"]) == (1, 1)


def test_a_wrong_payment_a_past_start_or_an_unknown_programme_is_refused(world):
    programme = world.add_programme()
    assert code(subscribe(world, programme, amount=199)) == (422, "PAYMENT_MISMATCH")
    assert code(subscribe(world, programme, start="2027-02-01")) == (422, "VALIDATION_FAILED")
    assert code(subscribe(world, 987654)) == (404, "PROGRAMME_NOT_FOUND")
    other_trainers = world.add_programme(trainer_id=world.add_trainer())
    assert code(subscribe(world, other_trainers)) == (404, "PROGRAMME_NOT_FOUND")


def test_subscribing_twice_is_already_subscribed_until_the_first_is_cancelled(world):
    programme = world.add_programme()
    first = subscribe(world, programme).get_json()["data"]["subscription"]
    assert code(subscribe(world, programme)) == (409, "ALREADY_SUBSCRIBED")
    change(world, first["id"], "cancel")
    assert subscribe(world, programme).status_code == 201


def test_pausing_moves_the_end_on_by_the_days_paused(world):
    programme = world.add_programme(weeks=4)
    subscription = subscribe(world, programme, start=str(MONDAY)).get_json()["data"]["subscription"]
    assert subscription["endDate"] == "2027-03-29"
    paused = change(world, subscription["id"], "pause").get_json()["data"]["subscription"]
    assert paused["status"] == "paused"
    world.now += timedelta(days=5)
    assert world.gateway.get(f"/my-bookings/programmes/{subscription['id']}",
                             headers=world.headers()).get_json()["data"]["subscription"]["endDate"] == "2027-04-03"
    resumed = change(world, subscription["id"], "resume").get_json()["data"]["subscription"]
    assert (resumed["status"], resumed["endDate"]) == ("active", "2027-04-03")
    [event] = world.published("booking.programme_subscription.resumed")
    assert (event["endDate"], event["subscribers"]) == ("2027-04-03", 1)


@pytest.mark.parametrize(("steps", "action"), [([], "resume"), (["cancel"], "pause"), (["cancel"], "resume"),
                                               (["pause"], "pause"), (["cancel"], "cancel")])
def test_an_impossible_change_is_invalid_transition(world, steps, action):
    subscription = subscribe(world, world.add_programme()).get_json()["data"]["subscription"]
    for step in steps:
        assert change(world, subscription["id"], step).status_code == 200
    assert code(change(world, subscription["id"], action)) == (409, "INVALID_TRANSITION")


def test_cancelling_counts_the_subscriber_out(world):
    programme = world.add_programme()
    subscription = subscribe(world, programme).get_json()["data"]["subscription"]
    subscribe(world, programme, user_id=world.add_user("Sam"))
    change(world, subscription["id"], "pause")
    assert change(world, subscription["id"], "cancel").get_json()["data"]["subscription"]["status"] == "cancelled"
    [event] = world.published("booking.programme_subscription.cancelled")
    assert (event["subscribers"], event["subscribersVersion"]) == (1, 3)


def test_another_users_subscription_is_not_found(world):
    subscription = subscribe(world, world.add_programme()).get_json()["data"]["subscription"]
    sam = world.add_user("Sam")
    assert code(change(world, subscription["id"], "pause", sam)) == (404, "SUBSCRIPTION_NOT_FOUND")
    response = world.gateway.get(f"/my-bookings/programmes/{subscription['id']}", headers=world.headers(sam))
    assert code(response) == (404, "SUBSCRIPTION_NOT_FOUND")


def test_the_list_filters_by_status_and_paginates(world):
    programmes = [world.add_programme() for _ in range(3)]
    ids = [subscribe(world, p).get_json()["data"]["subscription"]["id"] for p in programmes]
    change(world, ids[0], "cancel")
    body = world.gateway.get("/my-bookings/programmes?status=active&limit=1", headers=world.headers()).get_json()
    assert [s["id"] for s in body["data"]["programmes"]] == [ids[2]]
    assert body["data"]["pagination"] == {"page": 1, "limit": 1, "total": 2, "totalPages": 2}
    assert world.gateway.get("/my-bookings/programmes?status=gone", headers=world.headers()).status_code == 422


def test_a_retried_subscription_with_its_key_subscribes_once(world):
    programme = world.add_programme()
    first = subscribe(world, programme, **{"Idempotency-Key": "sub-1"})
    again = subscribe(world, programme, **{"Idempotency-Key": "sub-1"})
    assert (first.status_code, again.status_code, again.get_json()) == (201, 201, first.get_json())
    assert code(subscribe(world, programme, amount=1, **{"Idempotency-Key": "sub-1"})) == (
        409, "IDEMPOTENCY_KEY_REUSED")
