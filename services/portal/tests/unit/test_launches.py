"""The launch use case with fakes of its ports: owner first, then LiveKit, then one recorded room and one event."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from livekit import api
from stvos_portal.adapters.booking import Booking
from stvos_portal.adapters.catalog import GroupClass
from stvos_portal.domain.commands import LaunchSession
from stvos_portal.domain.errors import BookingNotFound, ClassNotFound, NotLaunchable, VideoUnavailable
from stvos_portal.domain.events import SessionLaunched
from stvos_portal.service.launches import Launches, Meetings
from stvos_shared.principal import Principal
from stvos_shared.video import LiveKit

from .fakes import FakeBookings, FakeClasses, FakeRooms, FakeUnitOfWork

NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)
TRAINER = Principal(user_id=900, role="trainer", client_id=3, trainer_id=5)
LIVEKIT = LiveKit("wss://video.example.com", "key", "a-secret-of-thirty-two-characters!")


def booking(booking_id: int = 17, trainer_id: int = 5, status: str = "confirmed") -> Booking:
    return Booking(booking_id, trainer_id, 7, status, NOW + timedelta(hours=1), NOW + timedelta(hours=2),
                   "Europe/London")


def group_class(class_id: int = 9, trainer_id: int = 5, capacity: int = 12) -> GroupClass:
    return GroupClass(class_id, trainer_id, "HIIT", NOW, NOW + timedelta(hours=1), "Europe/London", capacity, True)


@pytest.fixture
def world():
    uow, rooms = FakeUnitOfWork(), FakeRooms()
    bookings, classes = FakeBookings({17: booking(), 18: booking(18, trainer_id=6)}), FakeClasses({9: group_class()})
    launches = Launches(uow, bookings, classes, rooms, Meetings(LIVEKIT, "https://meet.example.com/r"), lambda: NOW)
    return launches, uow, rooms


def test_a_launch_asks_livekit_for_the_room_then_records_it_and_announces_it(world):
    launches, uow, rooms = world

    answer = launches.launch(TRAINER, LaunchSession("booking", 17))

    assert rooms.ensured == [("c3-booking-17", 2, timedelta(minutes=10))]
    assert answer["room"] == "c3-booking-17" and answer["meeting_link"] == "https://meet.example.com/r/c3-booking-17"
    assert uow.repos.outbox.events == [(SessionLaunched("session", 17, None, 5, "c3-booking-17",
                                                        "wss://video.example.com",
                                                        "https://meet.example.com/r/c3-booking-17"), 3)]
    claims = api.TokenVerifier(LIVEKIT.api_key, LIVEKIT.api_secret).verify(answer["token"])
    assert claims.identity == "trainer-5" and claims.video.room_admin


def test_a_second_launch_announces_nothing_new(world):
    launches, uow, _ = world
    launches.launch(TRAINER, LaunchSession("class", 9))
    launches.launch(TRAINER, LaunchSession("class", 9))

    assert [event.class_id for event, _ in uow.repos.outbox.events] == [9]


def test_a_class_room_holds_its_capacity_plus_the_trainer(world):
    launches, _, rooms = world
    launches.launch(TRAINER, LaunchSession("class", 9))

    assert rooms.ensured[0][:2] == ("c3-class-9", 13)


def test_another_trainers_booking_is_not_found_even_if_the_owner_returned_it(world):
    launches, uow, rooms = world

    with pytest.raises(BookingNotFound):
        launches.launch(TRAINER, LaunchSession("booking", 18))
    with pytest.raises(ClassNotFound):
        launches.launch(TRAINER, LaunchSession("class", 10))
    assert rooms.ensured == [] and uow.opened == 0


def test_a_refused_launch_never_reaches_livekit(world):
    launches, uow, rooms = world
    launches.bookings.found[17] = booking(status="cancelled")

    with pytest.raises(NotLaunchable):
        launches.launch(TRAINER, LaunchSession("booking", 17))
    assert rooms.ensured == [] and uow.opened == 0


def test_livekit_down_records_nothing(world):
    launches, uow, rooms = world
    rooms.down = True

    with pytest.raises(VideoUnavailable):
        launches.launch(TRAINER, LaunchSession("booking", 17))
    assert uow.opened == 0
