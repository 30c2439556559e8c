"""The guards are the database's own: rows written past the service's code are refused all the same."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from stvos_booking.adapters.orm import ClassParticipation, GroupClass, SessionBooking, utcnow
from stvos_booking.adapters.repositories.bookings import SessionBookings
from stvos_booking.adapters.repositories.classes import GroupClasses
from stvos_booking.adapters.repository import conflict_for

from services.booking.tests.support import TENANT, TRAINER, add_class, at, book, join, live_bookings, race, seats


def raw_booking(db, starts_at: datetime, ends_at: datetime, status: str = "confirmed") -> None:
    """INSERT a booking straight into the table, past every check of the service."""
    with db.unit_of_work() as session:
        session.execute(insert(SessionBooking).values(
            client_id=TENANT, trainer_id=TRAINER, user_id=9, starts_at=starts_at, ends_at=ends_at,
            blocked_until=ends_at if ends_at > starts_at else starts_at, timezone="UTC", local_date=starts_at.date(),
            status=status, price=Decimal("75.00"), currency="GBP", cancellation_cutoff_hours=24,
            late_cancellation=False, created_at=utcnow(), updated_at=utcnow()))


def refused_code(write) -> str | None:
    """The stable code the service would answer for the database's refusal of `write`."""
    with pytest.raises(IntegrityError) as refused:
        write()
    conflict = conflict_for(refused.value)
    return conflict.code if conflict else None


@pytest.mark.postgres
def test_postgres_refuses_a_raw_insert_overlapping_a_live_booking(pg_db):
    book(pg_db, at(10), at(11))
    assert refused_code(lambda: raw_booking(pg_db, at(10, 30), at(11, 30))) == "SLOT_TAKEN"
    raw_booking(pg_db, at(11), at(12))  # back to back is no overlap
    raw_booking(pg_db, at(10, 30), at(11, 30), status="cancelled")  # a cancelled booking holds no time
    assert live_bookings(pg_db) == 2


@pytest.mark.postgres
def test_postgres_alone_decides_a_race_when_the_services_check_sees_nothing(pg_db, monkeypatch):
    monkeypatch.setattr(SessionBookings, "time_taken", lambda *args, **kwargs: False)
    assert race(10, lambda n: book(pg_db, at(10, 5 * n), at(11, 5 * n), user_id=n + 1)) == Counter(
        {"ok": 1, "SLOT_TAKEN": 9})
    assert live_bookings(pg_db) == 1


@pytest.mark.postgres
def test_postgres_alone_keeps_one_joined_place_per_user_when_the_services_check_sees_nothing(pg_db, monkeypatch):
    original = GroupClasses.for_joining

    def blind(self, *args, **kwargs):  # the class as it is, but no sign of the user's place
        row = original(self, *args, **kwargs)
        return SimpleNamespace(**{**row._asdict(), "joined_id": None}) if row is not None else None

    monkeypatch.setattr(GroupClasses, "for_joining", blind)
    add_class(pg_db, capacity=5)
    assert race(6, lambda _: join(pg_db, user_id=7)) == Counter({"ok": 1, "ALREADY_JOINED": 5})
    assert seats(pg_db) == (1, 1)


def test_the_database_refuses_a_raw_update_past_the_capacity(db):
    add_class(db, capacity=2)

    def overfill() -> None:
        with db.unit_of_work() as session:
            session.execute(update(GroupClass).where(GroupClass.id == 10).values(participants=3))

    assert refused_code(overfill) == "CLASS_FULL"
    assert seats(db) == (0, 0)


def test_the_database_refuses_a_second_raw_joined_row_of_one_user(db):
    add_class(db, capacity=5)
    join(db, user_id=7)

    def join_again(status: str) -> None:
        with db.unit_of_work() as session:
            session.execute(insert(ClassParticipation).values(
                client_id=TENANT, class_id=10, user_id=7, status=status, payment_amount=Decimal("15.00"),
                currency="GBP", cancellation_cutoff_hours=24, late_cancellation=False, created_at=utcnow()))

    assert refused_code(lambda: join_again("joined")) == "ALREADY_JOINED"
    join_again("cancelled")  # the index is partial: history rows are many


def test_the_database_refuses_a_booking_that_ends_before_it_starts(db):
    assert refused_code(lambda: raw_booking(db, at(11), at(10))) is None  # a bug's error, not a guard's 409


@pytest.mark.postgres
def test_postgres_refuses_a_raw_insert_inside_a_live_bookings_buffer(pg_db):
    book(pg_db, at(10), at(11), buffer=timedelta(minutes=30))
    assert refused_code(lambda: raw_booking(pg_db, at(11, 15), at(12))) == "SLOT_TAKEN"
    raw_booking(pg_db, at(11, 30), at(12))
