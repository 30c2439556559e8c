"""In-memory fakes of the portal's ports and of its unit of work, for use-case tests without I/O."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from stvos_portal.adapters.booking import Booking
from stvos_portal.adapters.catalog import GroupClass
from stvos_portal.domain.errors import BookingNotFound, ClassNotFound, VideoUnavailable


@dataclass
class FakeBookings:
    found: dict[int, Booking] = field(default_factory=dict)

    def get(self, booking_id: int) -> Booking:
        if booking_id not in self.found:
            raise BookingNotFound()
        return self.found[booking_id]


@dataclass
class FakeClasses:
    found: dict[int, GroupClass] = field(default_factory=dict)

    def get(self, class_id: int) -> GroupClass:
        if class_id not in self.found:
            raise ClassNotFound()
        return self.found[class_id]


@dataclass
class FakeRooms:
    """The VideoRooms port: remembers what was asked; `down` makes it fail like an unreachable LiveKit."""

    ensured: list[tuple[str, int, timedelta]] = field(default_factory=list)
    down: bool = False

    def ensure(self, room: str, max_participants: int, empty_timeout: timedelta) -> None:
        if self.down:
            raise VideoUnavailable()
        self.ensured.append((room, max_participants, empty_timeout))


@dataclass
class FakeProfiles:
    profile: dict[str, Any]
    changes: list[dict[str, Any]] = field(default_factory=list)

    def get(self) -> dict[str, Any]:
        return dict(self.profile)

    def update(self, changes: dict[str, Any]) -> dict[str, Any]:
        self.changes.append(changes)
        self.profile.update(changes)
        return dict(self.profile)


class FakeRoomRows:
    def __init__(self) -> None:
        self.rows: dict[tuple[int, str, int], SimpleNamespace] = {}

    def add_once(self, values: dict[str, Any]) -> tuple[SimpleNamespace, bool]:
        key = (values["client_id"], values["kind"], values["target_id"])
        created = key not in self.rows
        self.rows.setdefault(key, SimpleNamespace(**values))
        return self.rows[key], created


class FakeOutbox:
    def __init__(self) -> None:
        self.events: list[tuple[Any, int]] = []

    def add(self, event: Any, client_id: int) -> None:
        self.events.append((event, client_id))


class FakeUnitOfWork:
    """`with uow() as repos`: the same in-memory repositories every time; counts the transactions."""

    def __init__(self) -> None:
        self.repos = SimpleNamespace(rooms=FakeRoomRows(), outbox=FakeOutbox(), insights=None)
        self.opened = 0

    @contextmanager
    def __call__(self, write: bool = True):
        self.opened += 1
        yield self.repos
