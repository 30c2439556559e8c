"""With a LiveKit URL configured, launching creates the room through livekit-api's room service (a local double
checks each request: path, body, and the Authorization token's grants); without one, no call is made."""
from __future__ import annotations

import time

import pytest
from livekit import api

from services.portal.tests.support.events import TENANT, TRAINER, utc
from services.portal.tests.support.harness import Clock
from services.portal.tests.support.livekit import API_KEY, API_SECRET, CREATE_ROOM, LiveKitDouble
from services.portal.tests.support.servers import closed_port, serve, silent_port

NOW = utc(2026, 3, 4, 12)
SOON, LATER = "2026-03-04T13:00:00+00:00", "2026-03-04T14:00:00+00:00"

pytestmark = pytest.mark.slow


@pytest.fixture
def livekit():
    double = LiveKitDouble()
    with serve(double.app()) as url:
        yield double, url


def launching_portal(make_portal, url: str):
    portal = make_portal(Clock(NOW), livekit_url=url, livekit_api_key=API_KEY, livekit_api_secret=API_SECRET)
    portal.booking.add(TENANT, TRAINER, 17, SOON, LATER)
    portal.catalog.add_class(TENANT, TRAINER, 9, SOON, LATER, capacity=8)
    return portal


def test_a_booking_room_is_created_for_two_and_closes_ten_minutes_after_it_empties(make_portal, livekit):
    double, url = livekit
    portal = launching_portal(make_portal, url)

    launched = portal.data("POST", "/trainer-portal/bookings/17/launch")

    [call] = double.calls
    assert call.path == CREATE_ROOM and call.content_type == "application/protobuf"
    assert call.grants.room_create is True and not call.grants.room_admin and not call.grants.room_join
    assert (call.request.name, call.request.max_participants, call.request.empty_timeout) == (
        f"c{TENANT}-booking-17", 2, 600)
    assert launched["url"] == url
    claims = api.TokenVerifier(API_KEY, API_SECRET).verify(launched["token"])
    assert claims.video.room == f"c{TENANT}-booking-17" and claims.video.room_admin


def test_a_class_room_holds_its_capacity_and_the_trainer(make_portal, livekit):
    double, url = livekit
    portal = launching_portal(make_portal, url)

    portal.data("POST", "/trainer-portal/group-classes/9/launch")

    assert (double.calls[0].request.name, double.calls[0].request.max_participants) == (f"c{TENANT}-class-9", 9)


def test_launching_again_asks_livekit_again_for_the_same_room(make_portal, livekit):
    double, url = livekit
    portal = launching_portal(make_portal, url)

    portal.data("POST", "/trainer-portal/bookings/17/launch")
    portal.data("POST", "/trainer-portal/bookings/17/launch")  # the room may have closed once empty

    assert [call.request.name for call in double.calls] == [f"c{TENANT}-booking-17"] * 2
    assert len(portal.outbox("portal.session.launched")) == 1


def test_when_livekit_refuses_the_launch_is_503_and_nothing_is_kept(make_portal, livekit):
    double, url = livekit
    double.status = 503
    portal = launching_portal(make_portal, url)

    response = portal.call("POST", "/trainer-portal/bookings/17/launch")

    assert response.status_code == 503 and response.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert portal.outbox("portal.session.launched") == []
    double.status = 200
    assert portal.data("POST", "/trainer-portal/bookings/17/launch")["room"] == f"c{TENANT}-booking-17"


@pytest.mark.parametrize("where", ["silent", "closed"])
def test_when_livekit_is_silent_or_down_the_launch_is_503_within_two_seconds(make_portal, where):
    with silent_port() as silent:
        portal = launching_portal(make_portal, silent if where == "silent" else closed_port())
        started = time.monotonic()
        response = portal.call("POST", "/trainer-portal/bookings/17/launch")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert elapsed < 2.0
    assert portal.outbox("portal.session.launched") == []


def test_without_a_livekit_url_no_room_service_call_is_made(make_portal, livekit):
    double, _ = livekit
    portal = make_portal(Clock(NOW))
    portal.booking.add(TENANT, TRAINER, 17, SOON, LATER)

    assert portal.data("POST", "/trainer-portal/bookings/17/launch")["url"] == "ws://localhost:7880"
    assert double.calls == []
