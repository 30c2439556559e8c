"""Launching video: check the booking or class with its owner, open the LiveKit room, answer the trainer's token.

The room is recorded (never a token) so that launching again answers the same room, and
portal.session.launched is published the first time only, in the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from stvos_shared import video
from stvos_shared.db import UnitOfWork
from stvos_shared.principal import Principal

from ..adapters.booking import Bookings
from ..adapters.catalog import GroupClasses
from ..adapters.livekit import VideoRooms
from ..adapters.repository import Repositories
from ..domain.commands import LaunchSession
from ..domain.errors import BookingNotFound, ClassNotFound, NotLaunchable
from ..domain.events import SessionLaunched
from ..domain.model import (
    EMPTY_ROOM_TIMEOUT,
    SESSION_MAX_PARTICIPANTS,
    TrainerScope,
    booking_launch_problem,
    class_launch_problem,
    scope_of,
)

EVENT_KINDS = {"booking": "session", "class": "class"}


@dataclass(frozen=True)
class Meetings:
    """Where people meet: LiveKit (its URL and keys) and the meeting page that takes a room name."""

    livekit: video.LiveKit
    page_base_url: str

    def link(self, room: str) -> str:
        return self.page_base_url.rstrip("/") + "/" + room


class Launches:
    """POST /trainer-portal/bookings/{id}/launch and /trainer-portal/group-classes/{id}/launch."""

    def __init__(self, uow: UnitOfWork[Repositories], bookings: Bookings, classes: GroupClasses, rooms: VideoRooms,
                 meetings: Meetings, clock: Callable[[], datetime]) -> None:
        self.uow, self.bookings, self.classes, self.rooms = uow, bookings, classes, rooms
        self.meetings, self.clock = meetings, clock

    def launch(self, principal: Principal, command: LaunchSession) -> dict[str, Any]:
        """{room, url, token, meeting_link}: the same room every time, a fresh trainer token each time."""
        scope = scope_of(principal)
        max_participants = self._check(scope, command, self.clock())
        name = video.room_name(scope.client_id, command.kind, command.target_id)
        self.rooms.ensure(name, max_participants, EMPTY_ROOM_TIMEOUT)
        with self.uow() as repos:
            room, created = repos.rooms.add_once({
                "client_id": scope.client_id, "kind": command.kind, "target_id": command.target_id,
                "trainer_id": scope.trainer_id, "room": name, "url": self.meetings.livekit.url,
                "meeting_link": self.meetings.link(name), "created_at": self.clock()})
            if created:
                repos.outbox.add(SessionLaunched(
                    EVENT_KINDS[command.kind], command.target_id if command.kind == "booking" else None,
                    command.target_id if command.kind == "class" else None, scope.trainer_id, room.room, room.url,
                    room.meeting_link), scope.client_id)
        token = video.host_token(self.meetings.livekit, room.room, video.trainer_identity(scope.trainer_id))
        return {"room": room.room, "url": room.url, "token": token, "meeting_link": room.meeting_link}

    def _check(self, scope: TrainerScope, command: LaunchSession, now: datetime) -> int:
        """The room's participant limit, once the owner confirms it is the trainer's and may be launched."""
        if command.kind == "booking":
            booking = self.bookings.get(command.target_id)
            if booking.trainer_id != scope.trainer_id:
                raise BookingNotFound()
            problem = booking_launch_problem(booking.status, booking.ends_at, now)
            limit = SESSION_MAX_PARTICIPANTS
        else:
            group_class = self.classes.get(command.target_id)
            if group_class.trainer_id != scope.trainer_id:
                raise ClassNotFound()
            problem = class_launch_problem(group_class.active, group_class.ends_at, now)
            limit = group_class.capacity + 1
        if problem:
            raise NotLaunchable(problem)
        return limit
