"""What a user reads of their own bookings: the summary, sessions, class places and subscriptions."""
from __future__ import annotations

from typing import Any

from stvos_shared.principal import Principal
from stvos_shared.video import LiveKit

from ..adapters.unit_of_work import UnitOfWork
from ..domain.commands import SessionFilter
from ..domain.errors import TrainerNotFound
from . import views
from .clock import Clock
from .sessions import meeting


class MyBookings:
    def __init__(self, uow: UnitOfWork, clock: Clock, video: LiveKit) -> None:
        self.uow, self.clock, self.video = uow, clock, video

    def summary(self, principal: Principal) -> dict[str, Any]:
        """Counts of what is ahead and the next session or class, in the trainer's time: three queries."""
        client_id, user_id, now = principal.client_id, principal.user_id, self.clock.now()
        with self.uow(write=False) as repos:
            counts = repos.bookings.summary(client_id, user_id, now,
                                            repos.classes.upcoming_count(client_id, user_id, now),
                                            repos.programmes.active_count(client_id, user_id))
            session = repos.bookings.next_session(client_id, user_id, now) if counts.sessions else None
            place = repos.classes.next_class(client_id, user_id, now) if counts.classes else None
        return {"upcoming_sessions": counts.sessions, "upcoming_group_classes": counts.classes,
                "active_programmes": counts.programmes, "next_booking": _next(session, place)}

    def sessions(self, principal: Principal, filters: SessionFilter, upcoming: bool = False) -> dict[str, Any]:
        """A page of the user's sessions; upcoming: confirmed ones still ahead."""
        if upcoming:
            filters = SessionFilter(status="confirmed", page=filters.page, limit=filters.limit)
        with self.uow(write=False) as repos:
            rows, pagination = repos.bookings.of_user(principal.client_id, principal.user_id, filters,
                                                      self.clock.now() if upcoming else None)
        return {"sessions": [views.booking(row, trainer_name=row.trainer_name) for row in rows],
                "pagination": pagination}

    def group_classes(self, principal: Principal, page: int, limit: int, upcoming: bool = False) -> dict[str, Any]:
        """A page of the user's class places (with the room once launched); upcoming: joined ones ahead."""
        with self.uow(write=False) as repos:
            rows, pagination = repos.classes.of_user(principal.client_id, principal.user_id, page, limit,
                                                     self.clock.now() if upcoming else None)
        return {"group_classes": [self._place(row, principal.user_id) for row in rows], "pagination": pagination}

    def _place(self, row: Any, user_id: int) -> dict[str, Any]:
        place, group_class = row.ClassParticipation, row.GroupClass
        room = meeting(group_class, user_id, self.video) if place.status == "joined" else None
        return views.participation(place, group_class, trainer_name=row.trainer_name, meeting=room)

    def programmes(self, principal: Principal, status: str | None, page: int, limit: int) -> dict[str, Any]:
        today = self.clock.now().date()
        with self.uow(write=False) as repos:
            rows, pagination = repos.programmes.of_user(principal.client_id, principal.user_id, status, page, limit)
        return {"programmes": [views.subscription(row.ProgrammeSubscription, programme_name=row.programme_name,
                                                  trainer_name=row.trainer_name, today=today) for row in rows],
                "pagination": pagination}

    def with_trainer(self, principal: Principal, trainer_id: int) -> dict[str, Any]:
        """Everything the user booked with one trainer (404 for a trainer booking does not know)."""
        client_id, user_id, today = principal.client_id, principal.user_id, self.clock.now().date()
        with self.uow(write=False) as repos:
            if repos.schedules.terms(client_id, trainer_id) is None:
                raise TrainerNotFound()
            sessions = repos.bookings.of_user_with_trainer(client_id, user_id, trainer_id)
            places = repos.classes.of_user_with_trainer(client_id, user_id, trainer_id)
            subscriptions = repos.programmes.of_user_with_trainer(client_id, user_id, trainer_id)
        return {"sessions": [views.booking(row.SessionBooking, trainer_name=row.trainer_name) for row in sessions],
                "group_classes": [self._place(row, user_id) for row in places],
                "programmes": [views.subscription(row.ProgrammeSubscription, programme_name=row.programme_name,
                                                  trainer_name=row.trainer_name, today=today)
                               for row in subscriptions]}


def _next(session: Any, place: Any) -> dict[str, Any] | None:
    """The sooner of the next session and the next class, as the summary shows it."""
    candidates = []
    if session is not None:
        candidates.append((session.SessionBooking.starts_at, "session", session.trainer_name,
                           session.SessionBooking.timezone))
    if place is not None:
        candidates.append((place.GroupClass.starts_at, "groupClass", place.trainer_name, place.GroupClass.timezone))
    if not candidates:
        return None
    starts_at, kind, trainer_name, timezone = min(candidates, key=lambda item: item[0])
    moment = views.local(starts_at, timezone)
    return {"type": kind, "trainer_name": trainer_name, "date": moment.date().isoformat(),
            "time": moment.strftime("%H:%M"), "starts_at": moment.isoformat(), "timezone": timezone}
