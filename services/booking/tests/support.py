"""Helpers of the booking tests: times, a trainer's bookings, replicated classes, racing threads, use cases."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from stvos_booking.adapters.orm import ClassParticipation, GroupClass, Programme, SessionBooking
from stvos_booking.adapters.unit_of_work import UnitOfWork
from stvos_booking.domain.commands import JoinClass, SubscribeProgramme
from stvos_booking.service.classes import Classes
from stvos_booking.service.clock import Clock
from stvos_booking.service.programmes import Programmes
from stvos_booking.service.sessions import Sessions
from stvos_shared.db import Database
from stvos_shared.errors import ApiError
from stvos_shared.principal import Principal
from stvos_shared.video import LiveKit

DAY = datetime(2026, 3, 5, tzinfo=UTC)
NOW = datetime(2026, 3, 1, tzinfo=UTC)
TENANT, OTHER_TENANT, TRAINER, OTHER_TRAINER = 1, 2, 5, 6


class FixedClock(Clock):
    """A clock standing still at `at` (tests move it by assigning `at`)."""

    def __init__(self, at: datetime = NOW) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def at(hour: int, minute: int = 0) -> datetime:
    """A moment on the test day, in UTC."""
    return DAY + timedelta(hours=hour, minutes=minute)


def user(user_id: int = 1, client_id: int = TENANT) -> Principal:
    return Principal(user_id, "user", client_id)


def trainer(trainer_id: int = TRAINER, client_id: int = TENANT) -> Principal:
    return Principal(900 + trainer_id, "trainer", client_id, trainer_id)


def use_cases(db: Database, now: datetime = NOW) -> SimpleNamespace:
    """The booking use cases on `db`, with a clock standing at `now`."""
    uow, clock = UnitOfWork(db), FixedClock(now)
    return SimpleNamespace(uow=uow, clock=clock, classes=Classes(uow, clock), programmes=Programmes(uow, clock),
                           sessions=Sessions(uow, clock, LiveKit()))


def book(db: Database, starts_at: datetime, ends_at: datetime, *, client_id: int = TENANT, trainer_id: int = TRAINER,
         user_id: int = 1, buffer: timedelta = timedelta()) -> SessionBooking:
    """Take [starts_at, ends_at) (+ buffer) of the trainer through the guarded insert, as one unit of work."""
    return UnitOfWork(db).run(lambda repos: repos.bookings.take(
        client_id=client_id, trainer_id=trainer_id, user_id=user_id, starts_at=starts_at, ends_at=ends_at,
        blocked_until=ends_at + buffer, timezone="UTC", local_date=starts_at.date(), status="confirmed",
        price=Decimal("75.00"), currency="GBP", service_id=1, service_name="1-on-1", cancellation_cutoff_hours=24,
        late_cancellation=False))


def live_bookings(db: Database, trainer_id: int = TRAINER) -> int:
    with db.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).select_from(SessionBooking).where(
            SessionBooking.trainer_id == trainer_id, SessionBooking.status != "cancelled"))


def add_class(db: Database, class_id: int = 10, *, capacity: int = 5, client_id: int = TENANT,
              active: bool = True) -> None:
    """A group class as the catalog events replicate it (18:00-19:00 on the test day, 15.00 GBP)."""
    with db.unit_of_work() as session:
        session.add(GroupClass(id=class_id, client_id=client_id, trainer_id=TRAINER, name="Group HIIT",
                               starts_at=at(18), ends_at=at(19), timezone="UTC", capacity=capacity, participants=0,
                               seat_version=0, price=Decimal("15.00"), currency="GBP", active=active))


def add_programme(db: Database, programme_id: int = 3, weeks: int = 12) -> None:
    with db.unit_of_work() as session:
        session.add(Programme(id=programme_id, client_id=TENANT, trainer_id=TRAINER, name="12-Week Transformation",
                              weeks=weeks, price=Decimal("299.00"), currency="GBP", active=True, subscribers=0,
                              subscribers_version=0, source_updated_at=NOW))


def join(db: Database, user_id: int, class_id: int = 10, client_id: int = TENANT) -> Any:
    command = JoinClass(user(user_id, client_id), class_id, Decimal("15.00"))
    return use_cases(db).classes.join(command).body["participation"]


def leave(db: Database, user_id: int, class_id: int = 10) -> Any:
    return use_cases(db).classes.leave(user(user_id), class_id).body["participation"]


def subscribe(db: Database, user_id: int = 7, programme_id: int = 3) -> Any:
    command = SubscribeProgramme(user(user_id), TRAINER, programme_id, NOW.date(), Decimal("299.00"))
    return use_cases(db).programmes.subscribe(command).body["subscription"]


def seats(db: Database, class_id: int = 10) -> tuple[int, int]:
    """(participants counted on the class, joined participation rows)."""
    with db.unit_of_work(write=False) as session:
        counted = session.scalar(select(GroupClass.participants).where(GroupClass.id == class_id))
        joined = session.scalar(select(func.count()).select_from(ClassParticipation).where(
            ClassParticipation.class_id == class_id, ClassParticipation.status == "joined"))
    return counted, joined


def outcome(attempt: Callable[[], Any]) -> str:
    """"ok", the stable code of the ApiError it raised, or "UNEXPECTED ..." for anything else."""
    try:
        attempt()
    except ApiError as error:
        return error.code
    except Exception as error:
        return f"UNEXPECTED {error!r}"
    return "ok"


def race(racers: int, attempt: Callable[[int], Any]) -> Counter:
    """Start `attempt(n)` for n in range(racers) on as many threads at once; count the outcomes."""
    start, outcomes, lock = threading.Barrier(racers), Counter(), threading.Lock()

    def run(number: int) -> None:
        start.wait()
        result = outcome(lambda: attempt(number))
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(number,)) for number in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
