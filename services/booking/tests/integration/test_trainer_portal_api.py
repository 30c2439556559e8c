"""/trainer-portal: a trainer's own hours, time slots, policy and bookings; never another trainer's."""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from stvos_shared.contracts import validate

from services.booking.tests.world import MONDAY


def code(response) -> tuple[int, str]:
    return response.status_code, (response.get_json().get("error") or {}).get("code", "")


def post(world, path: str, body: dict, trainer_id: int | None = None):
    return world.gateway.post(f"/trainer-portal/{path}", headers=world.trainer_headers(trainer_id), json=body)


def test_weekly_windows_are_listed_in_the_trainers_zone_and_deleted(world):
    window = world.weekly("friday", "07:30", "24:00")
    assert window == {"id": window["id"], "dayOfWeek": "friday", "startTime": "07:30", "endTime": "24:00"}
    body = world.gateway.get("/trainer-portal/availability", headers=world.trainer_headers()).get_json()["data"]
    assert body == {"timezone": "Europe/London", "availability": [window]}
    other = world.add_trainer()
    assert code(world.gateway.delete(f"/trainer-portal/availability/{window['id']}",
                                     headers=world.trainer_headers(other))) == (404, "AVAILABILITY_NOT_FOUND")
    assert world.gateway.delete(f"/trainer-portal/availability/{window['id']}",
                                headers=world.trainer_headers()).status_code == 200
    assert code(world.gateway.delete(f"/trainer-portal/availability/{window['id']}",
                                     headers=world.trainer_headers())) == (404, "AVAILABILITY_NOT_FOUND")


def test_overlapping_windows_on_one_day_are_a_409_and_touching_ones_are_fine(world):
    world.weekly("monday", "09:00", "12:00")
    assert code(post(world, "availability", {"dayOfWeek": "monday", "startTime": "11:00", "endTime": "13:00"})) == (
        409, "AVAILABILITY_OVERLAP")
    assert post(world, "availability", {"dayOfWeek": "monday", "startTime": "12:00", "endTime": "13:00"}).status_code \
        == 201
    assert post(world, "availability", {"dayOfWeek": "tuesday", "startTime": "11:00", "endTime": "13:00"}).status_code \
        == 201


@pytest.mark.parametrize("body", [
    {"dayOfWeek": "someday", "startTime": "09:00", "endTime": "10:00"},
    {"dayOfWeek": "monday", "startTime": "10:00", "endTime": "09:00"},
    {"dayOfWeek": "monday", "startTime": "24:00", "endTime": "24:00"},
    {"dayOfWeek": "monday", "startTime": "9:00", "endTime": "10:00"},
    {"dayOfWeek": "monday", "startTime": "09:00"},
    {"dayOfWeek": "monday", "startTime": "09:00", "endTime": "10:00", "trainerId": 1}])
def test_a_malformed_window_is_a_422(world, body):
    assert code(post(world, "availability", body)) == (422, "VALIDATION_FAILED")


def test_overrides_are_a_day_off_or_other_hours_and_a_day_off_shares_its_date_with_nothing(world):
    day_off = post(world, "availability/overrides", {"date": "2027-03-01", "available": False})
    assert day_off.get_json()["data"]["override"] == {"id": day_off.get_json()["data"]["override"]["id"],
                                                      "date": "2027-03-01", "available": False, "startTime": None,
                                                      "endTime": None}
    assert code(post(world, "availability/overrides", {"date": "2027-03-01", "startTime": "09:00",
                                                       "endTime": "10:00"})) == (409, "AVAILABILITY_OVERLAP")
    assert post(world, "availability/overrides", {"date": "2027-03-02", "startTime": "09:00",
                                                  "endTime": "10:00"}).status_code == 201
    for body in ({"date": "2027-03-03"}, {"date": "2027-03-03", "available": False, "startTime": "09:00"},
                 {"date": "2027-03-03", "startTime": "09:00"}):
        assert code(post(world, "availability/overrides", body)) == (422, "VALIDATION_FAILED")
    listed = world.gateway.get("/trainer-portal/availability/overrides?from=2027-03-02&to=2027-03-31",
                               headers=world.trainer_headers()).get_json()["data"]["overrides"]
    assert [o["date"] for o in listed] == ["2027-03-02"]
    override_id = day_off.get_json()["data"]["override"]["id"]
    assert world.gateway.delete(f"/trainer-portal/availability/overrides/{override_id}",
                                headers=world.trainer_headers()).status_code == 200


def test_time_slots_are_made_in_local_time_never_overlap_and_a_missing_local_time_is_refused(world):
    created = post(world, "time-slots", {"date": "2027-07-01", "startTime": "10:00", "endTime": "11:00"})
    assert created.get_json()["data"]["timeSlot"]["startsAt"] == "2027-07-01T10:00:00+01:00"
    assert code(post(world, "time-slots", {"date": "2027-07-01", "startTime": "10:30", "endTime": "11:30"})) == (
        409, "TIME_SLOT_OVERLAP")
    assert code(post(world, "time-slots", {"date": "2027-03-28", "startTime": "01:30", "endTime": "03:00"})) == (
        422, "VALIDATION_FAILED")  # 01:30 does not exist in London that day
    listed = world.gateway.get("/trainer-portal/time-slots?from=2027-07-01&to=2027-07-01",
                               headers=world.trainer_headers()).get_json()["data"]["timeSlots"]
    assert [s["startTime"] for s in listed] == ["10:00"]
    slot_id = created.get_json()["data"]["timeSlot"]["id"]
    stranger = world.trainer_headers(world.add_trainer())
    response = world.gateway.delete(f"/trainer-portal/time-slots/{slot_id}", headers=stranger)
    assert code(response) == (404, "TIME_SLOT_NOT_FOUND")


def test_the_booking_policy_has_defaults_and_bounded_fields(world):
    headers = world.trainer_headers()
    assert world.gateway.get("/trainer-portal/booking-policy", headers=headers).get_json()["data"]["policy"] == {
        "bufferMinutes": 0, "minNoticeHours": 2, "maxAdvanceDays": 60, "slotStepMinutes": 30,
        "cancellationCutoffHours": 24}
    response = world.gateway.put("/trainer-portal/booking-policy", headers=headers, json={"bufferMinutes": 15})
    assert response.get_json()["data"]["policy"]["bufferMinutes"] == 15
    for body in ({"bufferMinutes": 241}, {"slotStepMinutes": 4}, {"maxAdvanceDays": 0},
                 {"cancellationCutoffHours": 169}, {"minNoticeHours": "2"}):
        assert code(world.gateway.put("/trainer-portal/booking-policy", headers=headers, json=body)) == (
            422, "VALIDATION_FAILED")
    assert world.gateway.get("/trainer-portal/booking-policy", headers=headers).get_json()["data"]["policy"][
        "bufferMinutes"] == 15


def test_schedule_routes_need_a_trainer_and_one_booking_knows(world):
    assert world.gateway.get("/trainer-portal/availability", headers=world.headers()).status_code == 403
    stranger = 777_777  # a trainer token whose trainer catalog never announced
    assert code(world.gateway.get("/trainer-portal/availability",
                                  headers=world.trainer_headers(stranger))) == (404, "TRAINER_NOT_FOUND")


@pytest.fixture
def booked(world):
    service = world.add_service(duration=60)
    world.weekly("monday", "09:00", "17:00")
    slot = world.slots(service, MONDAY, MONDAY)[0]
    return world.booked(service, slot["id"])


def test_the_trainer_lists_their_bookings_with_each_clients_name(world, booked):
    body = world.gateway.get(f"/trainer-portal/bookings?startDate={MONDAY}&endDate={MONDAY}&status=confirmed",
                             headers=world.trainer_headers()).get_json()["data"]
    [booking] = body["bookings"]
    assert (booking["id"], booking["client"]["name"], booking["scheduledTime"]) == (booked["id"], "Jane Doe", "10:00")
    assert body["pagination"]["total"] == 1
    other = world.gateway.get("/trainer-portal/bookings", headers=world.trainer_headers(world.add_trainer()))
    assert other.get_json()["data"]["bookings"] == []


def put(world, booking_id: int, body: dict, trainer_id: int | None = None):
    return world.gateway.put(f"/trainer-portal/bookings/{booking_id}", headers=world.trainer_headers(trainer_id),
                             json=body)


def test_the_trainer_completes_notes_and_links_a_booking_and_it_is_published(world, booked):
    response = put(world, booked["id"], {"status": "completed", "notes": "Great session",
                                         "meetingLink": "https://meet.example.test/abc"})
    assert response.status_code == 200
    booking = response.get_json()["data"]["booking"]
    assert (booking["status"], booking["notes"], booking["meetingLink"]) == (
        "completed", "Great session", "https://meet.example.test/abc")
    [event] = world.published("booking.session.updated")
    assert validate("booking.session.updated", 1, event) == {} and event["status"] == "completed"


@pytest.mark.parametrize(("path", "status", "answer"), [
    (["completed"], "confirmed", "INVALID_TRANSITION"), (["completed"], "cancelled", "INVALID_TRANSITION"),
    (["no_show"], "completed", None), (["cancelled"], "confirmed", None), (["cancelled"], "completed",
                                                                          "INVALID_TRANSITION")])
def test_only_allowed_status_transitions_are_taken(world, booked, path, status, answer):
    for step in path:
        assert put(world, booked["id"], {"status": step}).status_code == 200
    response = put(world, booked["id"], {"status": status})
    assert (response.status_code, (response.get_json().get("error") or {}).get("code")) == (
        (409, answer) if answer else (200, None))


def test_a_trainer_may_cancel_any_time_and_it_is_never_late(world, booked):
    world.now += timedelta(hours=1, minutes=59)  # ten minutes before the session
    booking = put(world, booked["id"], {"status": "cancelled"}).get_json()["data"]["booking"]
    assert (booking["status"], booking["cancelledBy"], booking["lateCancellation"]) == ("cancelled", "trainer", False)
    [event] = world.published("booking.session.cancelled")
    assert event["cancelledBy"] == "trainer"


def test_another_trainers_booking_is_not_found_and_unknown_fields_are_refused(world, booked):
    assert code(put(world, booked["id"], {"status": "completed"}, world.add_trainer())) == (404, "BOOKING_NOT_FOUND")
    assert code(put(world, booked["id"], {"price": 1})) == (422, "VALIDATION_FAILED")
    assert code(put(world, booked["id"], {"meetingLink": "not a link"})) == (422, "VALIDATION_FAILED")


def test_the_internal_booking_is_the_calling_trainers_own(world, booked):
    app = world.app_client()
    headers = {"X-Client-Id": str(world.client_id),
               "Authorization": world.trainer_headers()["Authorization"]}
    response = app.get(f"/internal/bookings/{booked['id']}", headers=headers)
    assert response.get_json()["data"] == {"booking": {
        "id": booked["id"], "trainerId": world.trainer_id, "userId": world.user_id, "status": "confirmed",
        "startsAt": "2027-03-01T10:00:00+00:00", "endsAt": "2027-03-01T11:00:00+00:00", "timezone": "Europe/London"}}
    stranger = {**headers, "Authorization": world.trainer_headers(world.add_trainer())["Authorization"]}
    assert app.get(f"/internal/bookings/{booked['id']}", headers=stranger).status_code == 404
    assert world.gateway.get(f"/internal/bookings/{booked['id']}", headers=world.trainer_headers()).status_code == 404


def test_racing_overlapping_windows_leave_one(world):
    racers, start = 4, Barrier(4)
    headers = {"X-Client-Id": str(world.client_id), "Authorization": world.trainer_headers()["Authorization"]}

    def attempt(number: int) -> int:
        client = world.app_client()
        start.wait()
        return client.post("/trainer-portal/availability", headers=headers, json={
            "dayOfWeek": "monday", "startTime": f"{9 + number:02d}:00", "endTime": "18:00"}).status_code

    with ThreadPoolExecutor(racers) as pool:
        assert Counter(pool.map(attempt, range(racers))) == Counter({201: 1, 409: racers - 1})
