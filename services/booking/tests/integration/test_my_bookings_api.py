"""/my-bookings: what a user booked, cancelling with a cut-off, and the video room once launched."""
from __future__ import annotations

from datetime import timedelta

import pytest
from livekit.api import TokenVerifier
from stvos_shared.video import DEV_API_KEY, DEV_API_SECRET

from services.booking.tests.world import MONDAY, NOW
from tests.fixtures.queries import queries, recorded_statements

TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def service(world):
    service = world.add_service(duration=60)
    world.weekly("monday", "09:00", "17:00")
    world.weekly("tuesday", "09:00", "17:00")
    return service


def slot_at(world, service, day, time: str) -> int:
    return next(s["id"] for s in world.slots(service, day, day) if s["time"] == time)


def cancel(world, booking_id: int, user_id=None):
    return world.gateway.post(f"/my-bookings/sessions/{booking_id}/cancel", headers=world.headers(user_id))


def code(response) -> tuple[int, str]:
    return response.status_code, (response.get_json().get("error") or {}).get("code", "")


def launch(world, booking_id: int | None = None, class_id: int | None = None, room: str = "room-1"):
    world.tell("portal.session.launched", {
        "kind": "session" if booking_id else "class", "bookingId": booking_id, "classId": class_id,
        "trainerId": world.trainer_id, "room": room, "url": "wss://video.example.test",
        "meetingLink": "https://meet.example.test/room-1"})


def test_the_summary_counts_what_is_ahead_and_names_the_next_booking_in_the_trainers_time(world, service):
    empty = world.gateway.get("/my-bookings/summary", headers=world.headers()).get_json()["data"]
    assert empty == {"upcomingSessions": 0, "upcomingGroupClasses": 0, "activeProgrammes": 0, "nextBooking": None}
    world.booked(service, slot_at(world, service, TUESDAY, "15:00"))
    class_id = world.add_class(NOW + timedelta(days=1, hours=3))  # Tuesday 11:00
    world.gateway.post(f"/trainers/classes/{class_id}/join", headers=world.headers(), json={"paymentAmount": 15})
    summary = world.gateway.get("/my-bookings/summary", headers=world.headers()).get_json()["data"]
    assert (summary["upcomingSessions"], summary["upcomingGroupClasses"], summary["activeProgrammes"]) == (1, 1, 0)
    assert {key: summary["nextBooking"][key] for key in ("type", "trainerName", "date", "time")} == {
        "type": "groupClass", "trainerName": "Coach Mike", "date": "2027-03-02", "time": "11:00"}


def test_sessions_filter_by_status_trainer_and_dates_and_paginate(world, service):
    first = world.booked(service, slot_at(world, service, MONDAY, "11:00"))
    world.booked(service, slot_at(world, service, TUESDAY, "11:00"))
    cancel(world, first["id"])
    headers = world.headers()
    assert [s["status"] for s in world.gateway.get("/my-bookings/sessions", headers=headers)
            .get_json()["data"]["sessions"]] == ["cancelled", "confirmed"]
    tuesday = world.gateway.get(f"/my-bookings/sessions?startDate={TUESDAY}&endDate={TUESDAY}&status=confirmed"
                                f"&trainerId={world.trainer_id}&limit=1", headers=headers).get_json()["data"]
    assert [s["scheduledDate"] for s in tuesday["sessions"]] == ["2027-03-02"]
    assert tuesday["pagination"] == {"page": 1, "limit": 1, "total": 1, "totalPages": 1}
    assert world.gateway.get("/my-bookings/sessions?limit=500", headers=headers).get_json()["data"][
        "pagination"]["limit"] == 100
    assert world.gateway.get("/my-bookings/sessions?status=late", headers=headers).status_code == 422
    upcoming = world.gateway.get("/my-bookings/sessions/upcoming", headers=headers).get_json()["data"]
    assert [s["scheduledDate"] for s in upcoming["sessions"]] == ["2027-03-02"]


def test_a_page_of_sessions_is_one_query_and_a_page_past_the_end_still_counts(world, service):
    for day, time in ((TUESDAY, "09:00"), (MONDAY, "11:00"), (TUESDAY, "16:00")):
        world.booked(service, slot_at(world, service, day, time))
    world.booked(service, slot_at(world, service, MONDAY, "13:00"), user_id=world.add_user("Someone else"))
    client, headers = world.app_client(), world.direct_headers(world.user_id)
    for path, times, pagination in (
            ("?limit=2&page=2", ["16:00"], {"page": 2, "limit": 2, "total": 3, "totalPages": 2}),
            ("?limit=2&page=9", [], {"page": 9, "limit": 2, "total": 3, "totalPages": 2}),
            (f"?status=confirmed&trainerId={world.trainer_id}&startDate={TUESDAY}&endDate={TUESDAY}",
             ["09:00", "16:00"], {"page": 1, "limit": 20, "total": 2, "totalPages": 1}),
            ("?status=cancelled", [], {"page": 1, "limit": 20, "total": 0, "totalPages": 0}),
            ("/upcoming?limit=1", ["11:00"], {"page": 1, "limit": 1, "total": 3, "totalPages": 3})):
        with recorded_statements(world.booking.db.engine) as statements:
            data = client.get(f"/my-bookings/sessions{path}", headers=headers).get_json()["data"]
        assert ([s["scheduledTime"] for s in data["sessions"]], data["pagination"]) == (times, pagination), path
        assert len(queries(statements)) == 1, queries(statements)


def test_cancelling_outside_the_cut_off_is_not_late_and_frees_the_slot_at_once(world, service):
    slot = slot_at(world, service, TUESDAY, "15:00")  # 31 h ahead, the cut-off is 24 h
    booking = world.booked(service, slot)
    response = cancel(world, booking["id"])
    assert response.status_code == 200
    assert (response.get_json()["data"]["booking"]["status"],
            response.get_json()["data"]["booking"]["lateCancellation"]) == ("cancelled", False)
    assert world.book(service, slot, world.add_user("Sam")).status_code == 201
    assert code(cancel(world, booking["id"])) == (409, "ALREADY_CANCELLED")


def test_cancelling_inside_the_cut_off_cancels_but_is_late_and_the_services_cut_off_wins(world, service):
    booking = world.booked(service, slot_at(world, service, MONDAY, "15:00"))  # 7 h ahead
    assert cancel(world, booking["id"]).get_json()["data"]["booking"]["lateCancellation"] is True
    lenient = world.add_service(duration=60, cutoff=4)
    other = world.booked(lenient, slot_at(world, lenient, MONDAY, "16:00"))  # 8 h ahead, its cut-off 4 h
    assert cancel(world, other["id"]).get_json()["data"]["booking"]["lateCancellation"] is False
    [late, _] = world.published("booking.session.cancelled")
    assert (late["lateCancellation"], late["cancelledBy"], late["status"]) == (True, "user", "cancelled")


def test_a_started_session_cannot_be_cancelled_by_the_user(world, service):
    booking = world.booked(service, slot_at(world, service, MONDAY, "11:00"))
    world.now = NOW + timedelta(hours=3, minutes=5)
    assert code(cancel(world, booking["id"])) == (409, "BOOKING_NOT_CANCELLABLE")


def test_another_users_booking_is_not_found_everywhere(world, service):
    booking = world.booked(service, slot_at(world, service, MONDAY, "11:00"))
    sam = world.add_user("Sam")
    assert code(cancel(world, booking["id"], sam)) == (404, "BOOKING_NOT_FOUND")
    response = world.gateway.get(f"/my-bookings/sessions/{booking['id']}", headers=world.headers(sam))
    assert code(response) == (404, "BOOKING_NOT_FOUND")
    assert world.gateway.get("/my-bookings/sessions", headers=world.headers(sam)).get_json()["data"]["sessions"] == []


def test_the_meeting_appears_once_launched_with_a_token_for_this_user_and_room_only(world, service):
    booking = world.booked(service, slot_at(world, service, MONDAY, "11:00"))
    path = f"/my-bookings/sessions/{booking['id']}"
    assert world.gateway.get(path, headers=world.headers()).get_json()["data"]["booking"]["meeting"] is None
    launch(world, booking_id=booking["id"])
    meeting = world.gateway.get(path, headers=world.headers()).get_json()["data"]["booking"]["meeting"]
    assert (meeting["url"], meeting["room"]) == ("wss://video.example.test", "room-1")
    claims = TokenVerifier(DEV_API_KEY, DEV_API_SECRET).verify(meeting["token"])
    assert (claims.identity, claims.video.room, claims.video.room_join, claims.video.can_publish,
            claims.video.can_subscribe, claims.video.room_admin) == (f"user-{world.user_id}", "room-1", True, True,
                                                                     True, None)
    assert "token" not in str(world.published("booking.session.updated"))


def test_a_launched_class_shows_its_meeting_to_joined_users(world):
    class_id = world.add_class(NOW + timedelta(days=1))
    world.gateway.post(f"/trainers/classes/{class_id}/join", headers=world.headers(), json={"paymentAmount": 15})
    launch(world, class_id=class_id, room="class-room")
    [place] = world.gateway.get("/my-bookings/group-classes/upcoming",
                                headers=world.headers()).get_json()["data"]["groupClasses"]
    assert TokenVerifier(DEV_API_KEY, DEV_API_SECRET).verify(place["meeting"]["token"]).video.room == "class-room"


def test_my_bookings_with_a_trainer_lists_sessions_classes_and_programmes_with_that_trainer(world, service):
    world.booked(service, slot_at(world, service, MONDAY, "11:00"))
    class_id = world.add_class(NOW + timedelta(days=1))
    world.gateway.post(f"/trainers/classes/{class_id}/join", headers=world.headers(), json={"paymentAmount": 15})
    programme = world.add_programme()
    world.gateway.post(f"/trainers/{world.trainer_id}/programmes/subscribe", headers=world.headers(),
                       json={"programmeId": programme, "startDate": "2027-03-08", "paymentAmount": 299})
    body = world.gateway.get(f"/trainers/{world.trainer_id}/my-bookings", headers=world.headers()).get_json()["data"]
    assert (len(body["sessions"]), len(body["groupClasses"]), len(body["programmes"])) == (1, 1, 1)
    assert body["sessions"][0]["scheduledTime"] == "11:00"
    other = world.add_trainer()
    assert world.gateway.get(f"/trainers/{other}/my-bookings", headers=world.headers()).get_json()["data"] == {
        "sessions": [], "groupClasses": [], "programmes": []}
    response = world.gateway.get("/trainers/987654/my-bookings", headers=world.headers())
    assert code(response) == (404, "TRAINER_NOT_FOUND")


def test_my_bookings_need_a_users_token(world):
    assert world.gateway.get("/my-bookings/summary",
                             headers={"X-API-Key": world.api_keys[world.client_id]}).status_code == 401
    assert world.gateway.get("/my-bookings/summary", headers=world.trainer_headers()).status_code == 403
