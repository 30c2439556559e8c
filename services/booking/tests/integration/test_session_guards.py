"""No double booking: a trainer's live bookings never overlap, on SQLite and on PostgreSQL alike."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from stvos_booking.domain.commands import UpdateBooking
from stvos_shared.errors import ApiError

from services.booking.tests.support import (
    OTHER_TENANT,
    OTHER_TRAINER,
    at,
    book,
    live_bookings,
    outcome,
    race,
    trainer,
    use_cases,
    user,
)

RACERS = 10


def cancel(db, booking_id: int, user_id: int = 1) -> dict:
    return use_cases(db).sessions.cancel(user(user_id), booking_id).body["booking"]


def set_status(db, booking_id: int, status: str) -> dict:
    return use_cases(db).sessions.update(UpdateBooking(trainer(), booking_id, status=status))["booking"]


def test_ten_racers_for_overlapping_times_of_one_trainer_leave_exactly_one_booking(db):
    def take(number: int) -> None:  # 10:00-11:00, 10:05-11:05, ... 10:45-11:45: every pair overlaps
        book(db, at(10, 5 * number), at(11, 5 * number), user_id=number + 1)

    assert race(RACERS, take) == Counter({"ok": 1, "SLOT_TAKEN": RACERS - 1})
    assert live_bookings(db) == 1


def test_a_range_inside_a_booked_one_gets_slot_taken(db):
    book(db, at(10), at(12))
    with pytest.raises(ApiError) as refused:
        book(db, at(10, 30), at(11), user_id=2)
    assert (refused.value.status, refused.value.code) == (409, "SLOT_TAKEN")


def test_back_to_back_sessions_of_one_trainer_are_both_booked(db):
    first, second = book(db, at(10), at(11)), book(db, at(11), at(12), user_id=2)
    assert (first.ends_at, second.starts_at) == (at(11), at(11))
    assert live_bookings(db) == 2


def test_another_trainer_and_another_tenant_may_take_the_same_time(db):
    book(db, at(10), at(11))
    book(db, at(10), at(11), trainer_id=OTHER_TRAINER)
    book(db, at(10), at(11), client_id=OTHER_TENANT)
    assert outcome(lambda: book(db, at(10), at(11), user_id=2)) == "SLOT_TAKEN"


def test_a_cancelled_booking_frees_its_time(db):
    booking = book(db, at(10), at(11))
    assert cancel(db, booking.id)["status"] == "cancelled"
    assert book(db, at(10), at(11), user_id=2).status == "confirmed"


def test_cancelling_a_cancelled_booking_is_a_conflict_and_changes_nothing(db):
    booking = book(db, at(10), at(11))
    cancel(db, booking.id)
    assert outcome(lambda: cancel(db, booking.id)) == "ALREADY_CANCELLED"


def test_racing_cancellations_of_one_booking_cancel_it_once(db):
    booking = book(db, at(10), at(11))
    assert race(4, lambda _: cancel(db, booking.id)) == Counter({"ok": 1, "ALREADY_CANCELLED": 3})


def test_another_users_booking_cannot_be_cancelled_and_looks_missing(db):
    booking = book(db, at(10), at(11), user_id=1)
    assert outcome(lambda: cancel(db, booking.id, user_id=2)) == "BOOKING_NOT_FOUND"
    assert outcome(lambda: cancel(db, booking.id + 100)) == "BOOKING_NOT_FOUND"


def test_a_completed_session_cannot_be_cancelled(db):
    booking = book(db, at(10), at(11))
    set_status(db, booking.id, "completed")
    assert outcome(lambda: cancel(db, booking.id)) == "BOOKING_NOT_CANCELLABLE"


def test_a_buffer_is_taken_time_too(db):
    book(db, at(10), at(11), buffer=timedelta(minutes=15))
    assert outcome(lambda: book(db, at(11, 10), at(12), user_id=2)) == "SLOT_TAKEN"
    assert book(db, at(11, 15), at(12), user_id=2).status == "confirmed"


def test_reviving_a_cancelled_booking_whose_time_was_taken_gets_slot_taken(db):
    booking = book(db, at(10), at(11))
    cancel(db, booking.id)
    book(db, at(10, 30), at(11, 30), user_id=2)
    assert outcome(lambda: set_status(db, booking.id, "confirmed")) == "SLOT_TAKEN"
    assert live_bookings(db) == 1


def test_reviving_a_cancelled_booking_whose_time_is_free_books_it_again(db):
    booking = book(db, at(10), at(11))
    cancel(db, booking.id)
    assert set_status(db, booking.id, "confirmed")["status"] == "confirmed"


@pytest.mark.parametrize(("starts_at", "ends_at"), [(at(11), at(10)), (at(10), at(10)),
                                                    (datetime(2026, 3, 5, 10), datetime(2026, 3, 5, 11))])
def test_a_range_that_does_not_end_after_it_starts_or_has_no_zone_is_invalid(db, starts_at, ends_at):
    assert outcome(lambda: book(db, starts_at, ends_at)) == "VALIDATION_FAILED"


def test_times_are_stored_and_read_back_in_utc(db):
    from zoneinfo import ZoneInfo

    london_summer = datetime(2026, 7, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    booking = book(db, london_summer, london_summer + timedelta(hours=1))
    assert cancel(db, booking.id)["starts_at"] == "2026-07-01T09:00:00+00:00"
