"""Helpers of the booking tests: times, a trainer's bookings, a replicated class, and racing threads."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from stvos_booking.adapters.orm import ClassParticipation, GroupClass, SessionBooking
from stvos_booking.service import guards
from stvos_booking.service.transactions import run_write
from stvos_shared.db import Database
from stvos_shared.errors import ApiError

DAY = datetime(2026, 3, 5, tzinfo=UTC)
TENANT, OTHER_TENANT, TRAINER, OTHER_TRAINER = 1, 2, 5, 6


def at(hour: int, minute: int = 0) -> datetime:
    """A moment on the test day, in UTC."""
    return DAY + timedelta(hours=hour, minutes=minute)


def book(db: Database, starts_at: datetime, ends_at: datetime, *, client_id: int = TENANT, trainer_id: int = TRAINER,
         user_id: int = 1) -> SessionBooking:
    """Book through the guard, as one unit of work."""
    return run_write(db, lambda session: guards.book_session(
        session, client_id=client_id, trainer_id=trainer_id, user_id=user_id, starts_at=starts_at,
        ends_at=ends_at, price=Decimal("75.00"), currency="GBP", service_id=1))


def live_bookings(db: Database, trainer_id: int = TRAINER) -> int:
    with db.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).select_from(SessionBooking).where(
            SessionBooking.trainer_id == trainer_id, SessionBooking.status != "cancelled"))


def add_class(db: Database, class_id: int = 10, *, capacity: int = 5, client_id: int = TENANT,
              active: bool = True) -> None:
    """A group class as the catalog events will replicate it."""
    with db.unit_of_work() as session:
        session.add(GroupClass(id=class_id, client_id=client_id, trainer_id=TRAINER, starts_at=at(18),
                               ends_at=at(19), capacity=capacity, participants=0, price=Decimal("15.00"),
                               currency="GBP", active=active))


def join(db: Database, user_id: int, class_id: int = 10, client_id: int = TENANT) -> ClassParticipation:
    return run_write(db, lambda session: guards.join_class(
        session, client_id=client_id, class_id=class_id, user_id=user_id, payment_amount=Decimal("15.00")))


def leave(db: Database, user_id: int, class_id: int = 10) -> ClassParticipation:
    return run_write(db, lambda session: guards.cancel_participation(
        session, client_id=TENANT, class_id=class_id, user_id=user_id))


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
