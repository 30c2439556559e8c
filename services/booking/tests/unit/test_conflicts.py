"""How database errors of the guarded writes become answers: a stable 409, a retry, or a bug left alone."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from stvos_booking.adapters.repository import conflict_for, is_retryable
from stvos_booking.domain.commands import fingerprint


@dataclass
class Diag:
    constraint_name: str | None = None


@dataclass
class PostgresError(Exception):
    """What psycopg raises: a SQLSTATE and diagnostics naming the constraint."""

    sqlstate: str
    constraint: str | None = None
    diag: Diag = field(init=False)

    def __post_init__(self) -> None:
        self.diag = Diag(self.constraint)


def integrity(orig: Exception) -> IntegrityError:
    return IntegrityError("INSERT ...", {}, orig)


@pytest.mark.parametrize(("orig", "code"), [
    (PostgresError("23P01", "ex_session_bookings_no_overlap"), "SLOT_TAKEN"),
    (PostgresError("23505", "uq_class_participations_joined"), "ALREADY_JOINED"),
    (PostgresError("23505", "uq_programme_subscriptions_live"), "ALREADY_SUBSCRIBED"),
    (PostgresError("23514", "ck_group_classes_participants_within_capacity"), "CLASS_FULL"),
    (PostgresError("23505", "pk_idempotency_keys"), "IDEMPOTENCY_KEY_IN_USE"),
    (PostgresError("23P01", "ex_availability_windows_no_overlap"), "AVAILABILITY_OVERLAP"),
    (PostgresError("23P01", "ex_availability_overrides_no_overlap"), "AVAILABILITY_OVERLAP"),
    (PostgresError("23P01", "ex_time_slots_no_overlap"), "TIME_SLOT_OVERLAP"),
    (Exception("UNIQUE constraint failed: class_participations.class_id, class_participations.user_id"),
     "ALREADY_JOINED"),
    (Exception("UNIQUE constraint failed: programme_subscriptions.programme_id, programme_subscriptions.user_id"),
     "ALREADY_SUBSCRIBED"),
    (Exception("CHECK constraint failed: ck_group_classes_participants_within_capacity"), "CLASS_FULL"),
])
def test_a_violated_guard_is_a_409_with_its_stable_code(orig, code):
    conflict = conflict_for(integrity(orig))
    assert (conflict.status, conflict.code) == (409, code)


@pytest.mark.parametrize("orig", [
    PostgresError("23502", None),  # not null: a bug, not a lost race
    PostgresError("23514", "ck_session_bookings_ends_after_start"),
    Exception("NOT NULL constraint failed: session_bookings.price"),
])
def test_an_error_no_guard_explains_is_left_to_surface(orig):
    assert conflict_for(integrity(orig)) is None


@pytest.mark.parametrize(("orig", "retry"), [
    (PostgresError("40P01"), True),  # deadlock_detected
    (PostgresError("40001"), True),  # serialization_failure
    (Exception("database is locked"), True),
    (PostgresError("23P01"), False),
    (Exception("no such table: session_bookings"), False),
])
def test_only_a_lost_race_is_retried(orig, retry):
    assert is_retryable(OperationalError("UPDATE ...", {}, orig)) is retry


def test_a_request_fingerprint_ignores_key_order_but_not_values_or_paths():
    body = {"programmeId": 3, "startDate": "2026-03-01", "paymentAmount": 299.0}
    same = fingerprint("post", "/trainers/5/programmes/subscribe", dict(reversed(body.items())))
    assert fingerprint("POST", "/trainers/5/programmes/subscribe", body) == same
    assert fingerprint("POST", "/trainers/5/programmes/subscribe", {**body, "programmeId": 4}) != same
    assert fingerprint("POST", "/trainers/6/programmes/subscribe", body) != same
