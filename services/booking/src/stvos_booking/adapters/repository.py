"""Repositories(session): one attribute per aggregate, bound to one transaction.

The only place that builds queries (here and in repositories/) and that reads database errors: a violated
guard becomes the domain error it stands for (PostgreSQL names the constraint, SQLSTATE 23P01 for an
exclusion; SQLite names the columns of a violated unique index and the name of a CHECK).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, NoResultFound
from sqlalchemy.orm import Session
from stvos_shared.domain import DomainEvent
from stvos_shared.errors import Conflict

from ..domain.errors import (
    AlreadyJoined,
    AlreadySubscribed,
    AvailabilityOverlap,
    ClassFull,
    IdempotencyKeyInUse,
    SlotTaken,
    TimeSlotOverlap,
)
from . import orm
from .replicas import WITHIN_CAPACITY
from .repositories.bookings import SessionBookings
from .repositories.classes import GroupClasses
from .repositories.idempotency import IdempotencyRecords
from .repositories.programmes import Programmes
from .repositories.replicas import Replicas
from .repositories.schedule import Schedules

EXCLUSION_VIOLATION = "23P01"
# serialization_failure, deadlock_detected, lock_not_available: the transaction lost a race, not an argument.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})

_CONFLICTS: tuple[tuple[tuple[str, ...], type[Conflict]], ...] = (
    ((orm.NO_OVERLAP,), SlotTaken),
    ((orm.WINDOWS_APART, orm.OVERRIDES_APART), AvailabilityOverlap),
    ((orm.TIME_SLOTS_APART,), TimeSlotOverlap),
    ((orm.ONE_JOINED, "class_participations.class_id, class_participations.user_id"), AlreadyJoined),
    ((orm.ONE_LIVE_SUBSCRIPTION, "programme_subscriptions.programme_id, programme_subscriptions.user_id"),
     AlreadySubscribed),
    ((f"ck_group_classes_{WITHIN_CAPACITY}",), ClassFull),
    (("pk_idempotency_keys", "idempotency_keys.client_id, idempotency_keys.user_id, idempotency_keys.key"),
     IdempotencyKeyInUse),
)
# What the database refuses for what rows hold (a CHECK, a missing row): neither a lost race nor its own failure.
REFUSED_FOR_DATA = (IntegrityError, DataError, NoResultFound)


def sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE of a PostgreSQL error (None on SQLite)."""
    return getattr(error.orig, "sqlstate", None)


def _constraint_name(error: DBAPIError) -> str:
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def conflict_for(error: DBAPIError) -> Conflict | None:
    """The 409 a violated guard stands for, or None when the error is no guard's (a bug: let it surface)."""
    described = f"{_constraint_name(error)} {error.orig}"
    for markers, conflict in _CONFLICTS:
        if any(marker in described for marker in markers):
            return conflict()
    if sqlstate(error) == EXCLUSION_VIOLATION:
        return SlotTaken()
    return None


def is_retryable(error: DBAPIError) -> bool:
    """A deadlock or serialization failure (PostgreSQL) or a lock wait that timed out (SQLite)."""
    if sqlstate(error) in RETRYABLE_SQLSTATES:
        return True
    return error.orig is not None and "database is locked" in str(error.orig)


class Events:
    """The outbox, bound to the transaction: an event is written with the change it tells of."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, event: DomainEvent, client_id: int) -> Any:
        return orm.outbox.add(self._session, event, client_id)


class Repositories:
    """Every repository of the booking service, sharing one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.bookings = SessionBookings(session)
        self.classes = GroupClasses(session)
        self.programmes = Programmes(session)
        self.schedules = Schedules(session)
        self.replicas = Replicas(session)
        self.idempotency = IdempotencyRecords(session)
        self.outbox = Events(session)
