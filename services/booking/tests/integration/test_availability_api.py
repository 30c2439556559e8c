"""GET /trainers/:id/availability: the trainer's free slots, with stable ids, in their own time zone."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.booking.tests.world import MONDAY, NOW
from tests.fixtures.queries import queries, recorded_statements


def test_a_weekly_window_yields_slots_of_the_service_length_at_the_step(world):
    service = world.add_service(duration=60)
    world.weekly("monday", "09:00", "17:00")
    slots = world.slots(service, MONDAY, MONDAY)
    assert [slot["time"] for slot in slots] == [f"{h:02d}:{m:02d}" for h in range(10, 17) for m in (0, 30)][:-1]
    assert slots[0] == {"id": slots[0]["id"], "date": "2027-03-01", "time": "10:00", "endTime": "11:00",
                        "startsAt": "2027-03-01T10:00:00+00:00", "endsAt": "2027-03-01T11:00:00+00:00",
                        "serviceId": service}


def test_the_response_names_the_zone_and_the_weekly_hours(world):
    world.weekly("monday", "09:00", "12:00")
    world.weekly("wednesday", "14:00", "18:00")
    body = world.gateway.get(f"/trainers/{world.trainer_id}/availability?startDate={MONDAY}",
                             headers=world.headers()).get_json()["data"]
    assert body["timezone"] == "Europe/London"
    assert [(w["dayOfWeek"], w["startTime"], w["endTime"]) for w in body["weeklyAvailability"]] == [
        ("monday", "09:00", "12:00"), ("wednesday", "14:00", "18:00")]


def test_a_slot_keeps_its_id_on_every_read_and_ids_never_repeat(world):
    service = world.add_service()
    world.weekly("tuesday", "09:00", "12:00")
    first = world.slots(service, MONDAY, MONDAY + timedelta(days=6))
    again = world.slots(service, MONDAY + timedelta(days=1), MONDAY + timedelta(days=1))
    assert [s["id"] for s in again] == [s["id"] for s in first]
    assert len({s["id"] for s in first}) == len(first) == 5


def test_without_a_service_slots_are_one_step_long_and_name_no_service(world):
    world.weekly("monday", "09:00", "11:00")
    slots = world.slots(None, MONDAY, MONDAY)
    assert [(s["time"], s["endTime"], s["serviceId"]) for s in slots] == [
        ("10:00", "10:30", None), ("10:30", "11:00", None)]  # 09:00 and 09:30 are inside the 2 h notice


def test_minimum_notice_is_a_boundary_a_slot_exactly_on_it_is_offered(world):
    service = world.add_service(duration=30)
    world.weekly("monday", "09:00", "12:00")
    world.policy(minNoticeHours=2)
    assert world.slots(service, MONDAY, MONDAY)[0]["time"] == "10:00"  # now 08:00 + 2 h
    world.now = NOW + timedelta(minutes=1)
    assert world.slots(service, MONDAY, MONDAY)[0]["time"] == "10:30"


def test_the_advance_window_ends_exactly_max_advance_days_ahead(world):
    service = world.add_service(duration=60)
    world.weekly("monday", "08:00", "10:00")
    world.policy(maxAdvanceDays=7, minNoticeHours=0)
    next_monday = MONDAY + timedelta(days=7)
    assert [s["time"] for s in world.slots(service, next_monday, next_monday)] == ["08:00"]  # 08:00 + 7 days exactly
    assert world.slots(service, next_monday + timedelta(days=7), next_monday + timedelta(days=7)) == []


def test_booked_time_and_its_buffer_are_not_offered(world):
    service = world.add_service(duration=60)
    world.weekly("monday", "10:00", "15:00")
    world.policy(bufferMinutes=30, slotStepMinutes=30)
    noon = next(s for s in world.slots(service, MONDAY, MONDAY) if s["time"] == "12:00")
    world.booked(service, noon["id"])
    times = [s["time"] for s in world.slots(service, MONDAY, MONDAY)]
    assert times == ["10:00", "10:30", "13:30", "14:00"]  # 11:00-12:00 would leave no buffer before noon


def test_an_active_class_and_todays_buffer_after_it_are_not_offered(world):
    service = world.add_service(duration=60)
    world.weekly("monday", "10:00", "16:00")
    world.policy(bufferMinutes=30, slotStepMinutes=30)
    world.add_class(datetime(2027, 3, 1, 12, tzinfo=UTC))  # London is UTC in March: 12:00-13:00
    world.add_class(datetime(2027, 3, 1, 14, 30, tzinfo=UTC), active=False)
    times = [s["time"] for s in world.slots(service, MONDAY, MONDAY)]
    assert times == ["10:00", "10:30", "13:30", "14:00", "14:30", "15:00"]


def test_a_day_off_removes_the_day_and_other_hours_replace_the_weekly_ones(world):
    service = world.add_service(duration=60)
    world.weekly("monday", "09:00", "17:00")
    headers = world.trainer_headers()
    assert world.gateway.post("/trainer-portal/availability/overrides", headers=headers,
                              json={"date": str(MONDAY), "available": False}).status_code == 201
    assert world.slots(service, MONDAY, MONDAY) == []
    next_monday = MONDAY + timedelta(days=7)
    assert world.gateway.post("/trainer-portal/availability/overrides", headers=headers, json={
        "date": str(next_monday), "startTime": "18:00", "endTime": "20:00"}).status_code == 201
    assert [s["time"] for s in world.slots(service, next_monday, next_monday)] == ["18:00", "18:30", "19:00"]


def test_an_explicit_time_slot_is_offered_with_its_own_id(world):
    service = world.add_service(duration=45)
    response = world.gateway.post("/trainer-portal/time-slots", headers=world.trainer_headers(), json={
        "date": "2027-03-02", "startTime": "19:00", "endTime": "20:00", "serviceId": service})
    assert response.status_code == 201
    time_slot = response.get_json()["data"]["timeSlot"]
    assert time_slot["startsAt"] == "2027-03-02T19:00:00+00:00"
    slots = world.slots(service, MONDAY, MONDAY + timedelta(days=1))
    assert [(s["id"], s["time"], s["endTime"]) for s in slots] == [(time_slot["id"], "19:00", "19:45")]
    assert world.slots(world.add_service(duration=90), MONDAY, MONDAY + timedelta(days=1)) == []  # too long


@pytest.mark.parametrize("query", [
    "", "startDate=tomorrow", "startDate=2027-02-30", "startDate=2027-03-10&endDate=2027-03-09",
    "startDate=2027-03-01&endDate=2027-05-30", "startDate=2027-03-01&serviceId=0", "startDate=9999-12-31"])
def test_a_missing_malformed_backwards_or_too_long_range_is_a_422(world, query):
    response = world.gateway.get(f"/trainers/{world.trainer_id}/availability?{query}", headers=world.headers())
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "VALIDATION_FAILED"


def test_ninety_days_is_the_longest_range(world):
    response = world.gateway.get(f"/trainers/{world.trainer_id}/availability?startDate=2027-03-01&endDate=2027-05-29",
                                 headers=world.headers())
    assert response.status_code == 200


def test_an_unknown_inactive_or_other_tenants_trainer_and_an_unknown_service_are_not_found(world):
    other = world.other_tenant()
    foreign = world.add_trainer(client_id=other)
    gone = world.add_trainer(active=False)
    for trainer_id, code in ((999_999, "TRAINER_NOT_FOUND"), (foreign, "TRAINER_NOT_FOUND"),
                             (gone, "TRAINER_NOT_FOUND")):
        response = world.gateway.get(f"/trainers/{trainer_id}/availability?startDate={MONDAY}", headers=world.headers())
        assert (response.status_code, response.get_json()["error"]["code"]) == (404, code)
    response = world.gateway.get(f"/trainers/{world.trainer_id}/availability?startDate={MONDAY}&serviceId=999999",
                                 headers=world.headers())
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "SERVICE_NOT_FOUND")


def test_availability_needs_a_token_of_the_api_keys_tenant(world):
    path = f"/trainers/{world.trainer_id}/availability?startDate={MONDAY}"
    assert world.gateway.get(path, headers={"X-API-Key": world.api_keys[world.client_id]}).status_code == 401
    other = world.other_tenant()
    assert world.gateway.get(path, headers=world.headers(key=other)).status_code == 403
    assert world.gateway.get(path, headers=world.trainer_headers()).status_code == 200


def test_availability_costs_two_queries_whatever_the_range(world):
    service = world.add_service()
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday"):
        world.weekly(day, "09:00", "17:00")
    world.gateway.get(f"/trainers/{world.trainer_id}/availability?startDate={MONDAY}", headers=world.headers())
    headers = {"X-Client-Id": str(world.client_id), "Authorization": f"Bearer {world.token(world.user_id)}"}
    for days in (1, 28, 90):
        end = MONDAY + timedelta(days=days - 1)
        with recorded_statements(world.booking.db.engine) as statements:
            response = world.app_client().get(
                f"/trainers/{world.trainer_id}/availability?startDate={MONDAY}&endDate={end}&serviceId={service}",
                headers=headers)
        assert response.status_code == 200
        assert len(queries(statements)) == 2, queries(statements)


@pytest.mark.parametrize(("zone", "day", "offset"), [
    ("Europe/London", "2027-03-28", "+01:00"), ("America/New_York", "2027-11-07", "-05:00"),
    ("Australia/Adelaide", "2027-10-03", "+10:30")])
def test_on_a_clock_change_day_nine_to_five_shows_exactly_its_local_hours(world, zone, day, offset):
    trainer_id = world.add_trainer(timezone=zone)
    service = world.add_service(duration=60, trainer_id=trainer_id)
    headers = world.trainer_headers(trainer_id)
    world.gateway.put("/trainer-portal/booking-policy", headers=headers,
                      json={"maxAdvanceDays": 365, "slotStepMinutes": 60})
    world.gateway.post("/trainer-portal/availability", headers=headers,
                       json={"dayOfWeek": "sunday", "startTime": "09:00", "endTime": "17:00"})
    slots = world.slots(service, date.fromisoformat(day), date.fromisoformat(day), trainer_id=trainer_id)
    assert [(s["time"], s["endTime"]) for s in slots] == [(f"{h:02d}:00", f"{h + 1:02d}:00") for h in range(9, 17)]
    assert {s["startsAt"][-6:] for s in slots} == {offset}
    assert all(s["date"] == day for s in slots)
