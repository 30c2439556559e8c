"""Launching a booking's or a group class's video room: checked with its owner, one room, the trainer's token."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

import jwt
import pytest
from livekit import api
from sqlalchemy import select
from stvos_portal.adapters import orm
from stvos_shared import contracts
from stvos_shared.video import DEV_API_KEY, DEV_API_SECRET, DEV_URL

from services.portal.tests.support.events import OTHER_TENANT, OTHER_TRAINER, TENANT, TRAINER
from services.portal.tests.support.harness import Clock, Portal

NOW = datetime.fromisoformat("2026-03-04T12:00:00+00:00")
SOON, LATER = "2026-03-04T13:00:00+00:00", "2026-03-04T14:00:00+00:00"
MEETING_BASE = "https://meet.example.com/rooms/"


@pytest.fixture
def portal(make_portal) -> Portal:
    portal = make_portal(Clock(NOW), meeting_base_url=MEETING_BASE)
    portal.booking.add(TENANT, TRAINER, 17, SOON, LATER)
    portal.catalog.add_class(TENANT, TRAINER, 9, SOON, LATER, capacity=8)
    return portal


def verified(token: str) -> api.Claims:
    """The token's claims as LiveKit will read them (signature, issuer and expiry checked)."""
    return api.TokenVerifier(DEV_API_KEY, DEV_API_SECRET).verify(token)


def test_launching_a_booking_answers_its_room_and_a_trainer_token_for_it(portal):
    launched = portal.data("POST", "/trainer-portal/bookings/17/launch")

    assert launched["room"] == f"c{TENANT}-booking-17"
    assert launched["url"] == DEV_URL
    assert launched["meetingLink"] == MEETING_BASE + f"c{TENANT}-booking-17"
    claims = verified(launched["token"])
    assert claims.identity == f"trainer-{TRAINER}"
    assert claims.video.room == launched["room"]
    assert claims.video.room_join and claims.video.room_admin
    assert claims.video.can_publish and claims.video.can_subscribe
    assert not claims.video.room_create and not claims.video.room_list


def test_the_trainers_token_expires_within_two_hours(portal):
    token = portal.data("POST", "/trainer-portal/bookings/17/launch")["token"]

    verified(token)  # valid now
    payload = jwt.decode(token, options={"verify_signature": False})
    assert 2 * 3600 - 60 <= payload["exp"] - time.time() <= 2 * 3600


def test_launching_a_class_answers_its_own_room(portal):
    launched = portal.data("POST", "/trainer-portal/group-classes/9/launch")

    assert launched["room"] == f"c{TENANT}-class-9"
    assert verified(launched["token"]).video.room == f"c{TENANT}-class-9"


def test_launching_twice_answers_the_same_room_and_announces_it_once(portal):
    first = portal.data("POST", "/trainer-portal/bookings/17/launch")
    second = portal.data("POST", "/trainer-portal/bookings/17/launch")

    assert (second["room"], second["url"], second["meetingLink"]) == (first["room"], first["url"],
                                                                      first["meetingLink"])
    published = portal.outbox("portal.session.launched")
    assert published == [{"clientId": TENANT, "kind": "session", "bookingId": 17, "classId": None,
                          "trainerId": TRAINER, "room": first["room"], "url": DEV_URL,
                          "meetingLink": first["meetingLink"]}]


def test_every_announcement_matches_its_contract_and_carries_no_token(portal):
    tokens = [portal.data("POST", path)["token"] for path in (
        "/trainer-portal/bookings/17/launch", "/trainer-portal/group-classes/9/launch")]

    for payload in portal.outbox("portal.session.launched"):
        payload.pop("clientId")
        assert contracts.validate("portal.session.launched", 1, payload) == {}
    assert [p["kind"] for p in portal.outbox("portal.session.launched")] == ["session", "class"]
    assert not any(token in str(portal.outbox("portal.session.launched")) for token in tokens)


def test_no_token_is_written_to_the_database_or_the_logs(portal, caplog):
    caplog.set_level(logging.DEBUG)
    token = portal.data("POST", "/trainer-portal/bookings/17/launch")["token"]

    with portal.container.db.unit_of_work(write=False) as session:
        stored = [str(row) for table in orm.metadata.sorted_tables for row in session.execute(select(table))]
    assert stored and not any(token in row or "eyJ" in row for row in stored)
    assert token not in caplog.text


@pytest.mark.parametrize("status", ["cancelled", "completed", "no_show"])
def test_a_booking_that_is_over_cannot_be_launched(portal, status):
    portal.booking.add(TENANT, TRAINER, 18, SOON, LATER, status=status)

    response = portal.call("POST", "/trainer-portal/bookings/18/launch")

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "SESSION_NOT_LAUNCHABLE"
    assert response.get_json()["error"]["details"] == {"reason": status}
    assert portal.outbox("portal.session.launched") == []


def test_a_booking_or_class_that_ended_over_an_hour_ago_cannot_be_launched(portal):
    portal.booking.add(TENANT, TRAINER, 19, "2026-03-04T09:00:00+00:00", "2026-03-04T10:59:00+00:00")
    portal.catalog.add_class(TENANT, TRAINER, 10, "2026-03-03T09:00:00+00:00", "2026-03-03T10:00:00+00:00")
    portal.booking.add(TENANT, TRAINER, 20, "2026-03-04T10:00:00+00:00", "2026-03-04T11:00:00+00:00")

    for path in ("/trainer-portal/bookings/19/launch", "/trainer-portal/group-classes/10/launch"):
        response = portal.call("POST", path)
        assert response.status_code == 409 and response.get_json()["error"]["details"] == {"reason": "ended"}
    assert portal.call("POST", "/trainer-portal/bookings/20/launch").status_code == 200  # ended an hour ago


def test_a_cancelled_class_cannot_be_launched(portal):
    portal.catalog.add_class(TENANT, TRAINER, 11, SOON, LATER, active=False)

    response = portal.call("POST", "/trainer-portal/group-classes/11/launch")

    assert response.status_code == 409 and response.get_json()["error"]["details"] == {"reason": "cancelled"}


@pytest.mark.parametrize("kind, path", [("booking", "/trainer-portal/bookings/{}/launch"),
                                        ("class", "/trainer-portal/group-classes/{}/launch")])
def test_another_trainers_or_tenants_booking_or_class_answers_like_a_missing_one(portal, kind, path):
    if kind == "booking":
        portal.booking.add(TENANT, OTHER_TRAINER, 30, SOON, LATER)
        portal.booking.add(OTHER_TENANT, TRAINER, 31, SOON, LATER)
    else:
        portal.catalog.add_class(TENANT, OTHER_TRAINER, 30, SOON, LATER)
        portal.catalog.add_class(OTHER_TENANT, TRAINER, 31, SOON, LATER)

    answers = [portal.call("POST", path.format(target)) for target in (30, 31, 999)]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert answers[0].get_json() == answers[1].get_json() == answers[2].get_json()
    assert answers[0].get_json()["error"]["code"] == ("BOOKING_NOT_FOUND" if kind == "booking" else "CLASS_NOT_FOUND")
    assert portal.outbox("portal.session.launched") == []


def test_with_booking_down_launching_is_503_and_changes_nothing(make_portal):
    portal = make_portal(Clock(NOW), booking_url="inproc://stopped")

    response = portal.call("POST", "/trainer-portal/bookings/17/launch")

    assert response.status_code == 503 and response.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert portal.outbox("portal.session.launched") == []


def test_a_room_launched_long_ago_is_still_answered_while_the_booking_may_be_launched(portal):
    first = portal.data("POST", "/trainer-portal/bookings/17/launch")
    portal.clock.now = NOW + timedelta(minutes=90)

    assert portal.data("POST", "/trainer-portal/bookings/17/launch")["room"] == first["room"]
