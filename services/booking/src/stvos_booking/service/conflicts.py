"""What a database error raised by a guarded write means: a 409 with a stable code, or "try again".

PostgreSQL names the violated constraint (psycopg's `diag.constraint_name`, SQLSTATE 23P01 for the
exclusion constraint); SQLite names the columns of a violated unique index and the name of a CHECK.
"""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from stvos_shared.errors import Conflict

from ..adapters import orm
from .errors import AlreadyJoined, AlreadySubscribed, ClassFull, IdempotencyKeyInUse, SlotTaken

EXCLUSION_VIOLATION = "23P01"
# serialization_failure, deadlock_detected, lock_not_available: the transaction lost a race, not an argument.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})

_CONFLICTS: tuple[tuple[tuple[str, ...], type[Conflict]], ...] = (
    ((orm.NO_OVERLAP,), SlotTaken),
    ((orm.ONE_JOINED, "class_participations.class_id, class_participations.user_id"), AlreadyJoined),
    ((orm.ONE_LIVE_SUBSCRIPTION, "programme_subscriptions.programme_id, programme_subscriptions.user_id"),
     AlreadySubscribed),
    ((f"ck_group_classes_{orm.WITHIN_CAPACITY}",), ClassFull),
    (("pk_idempotency_keys", "idempotency_keys.client_id, idempotency_keys.user_id, idempotency_keys.key"),
     IdempotencyKeyInUse),
)


def sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE of a PostgreSQL error (None on SQLite)."""
    return getattr(error.orig, "sqlstate", None)


def _constraint_name(error: DBAPIError) -> str:
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def conflict_for(error: DBAPIError) -> Conflict | None:
    """The 409 a violated guard stands for, or None when the error is no guard's (a bug: let it surface)."""
    if sqlstate(error) == EXCLUSION_VIOLATION:
        return SlotTaken()
    described = f"{_constraint_name(error)} {error.orig}"
    for markers, conflict in _CONFLICTS:
        if any(marker in described for marker in markers):
            return conflict()
    return None


def is_retryable(error: DBAPIError) -> bool:
    """A deadlock or serialization failure (PostgreSQL) or a lock wait that timed out (SQLite)."""
    if sqlstate(error) in RETRYABLE_SQLSTATES:
        return True
    return error.orig is not None and "database is locked" in str(error.orig)
