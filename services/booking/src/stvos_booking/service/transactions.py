"""Running a guarded write: one unit of work, retried when it loses a race, never a 500 for the loser.

A unit of work is BEGIN IMMEDIATE on SQLite, so a guard's check and its write cannot interleave with
another writer; on PostgreSQL the constraints decide, and a deadlock or serialization failure between
racing writers runs the whole unit again, a bounded number of times, before it answers 409.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from stvos_shared.db import Database
from stvos_shared.errors import Conflict

from .conflicts import conflict_for, is_retryable
from .errors import WriteContention
from .idempotency import IdempotentRequest, StoredResponse, remember, replay

log = logging.getLogger("stvos.booking.transactions")
T = TypeVar("T")
ATTEMPTS = 4


def run_write(db: Database, work: Callable[[Session], T], *, attempts: int = ATTEMPTS) -> T:
    """Commit `work(session)` as one unit of work; a violated guard becomes its 409, a lost race a retry."""
    for attempt in range(1, attempts + 1):
        try:
            with db.unit_of_work() as session:
                return work(session)
        except DBAPIError as error:
            if not is_retryable(error):
                conflict = conflict_for(error)
                if conflict is None:
                    raise
                log.debug("a constraint refused the write: %s", conflict.code)
                raise conflict from error
            if attempt == attempts:
                raise WriteContention() from error
            log.info("write lost a race (attempt %d of %d): %s", attempt, attempts, type(error.orig).__name__)
            time.sleep(random.uniform(0.005, 0.02) * attempt)  # noqa: S311 - jitter, not a secret
    raise AssertionError("unreachable")


def run_idempotent(db: Database, request: IdempotentRequest | None,
                   work: Callable[[Session], StoredResponse]) -> StoredResponse:
    """`run_write`, answering a request whose Idempotency-Key already succeeded with the stored response.

    The response is remembered in the write's own transaction. A twin that ran at the same time and
    lost (to the key's primary key, or to the guard its twin's write now holds) replays the winner.
    """
    if request is None:
        return run_write(db, work)

    def once(session: Session) -> StoredResponse:
        stored = replay(session, request)
        if stored is not None:
            return stored
        response = work(session)
        remember(session, request, response.status, response.body)
        return response

    try:
        return run_write(db, once)
    except Conflict:
        with db.unit_of_work(write=False) as session:
            stored = replay(session, request)
        if stored is None:
            raise
        return stored
