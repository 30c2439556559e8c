"""The booking service's unit of work: repositories bound to one transaction, and guarded writes.

`uow()` is a plain transaction. `uow.run(work)` is how every guarded write runs: one unit of work
(BEGIN IMMEDIATE on SQLite, so a check and its write cannot interleave with another writer; on
PostgreSQL the constraints decide), a violated guard answered as its 409, and a deadlock or
serialization failure run again, a bounded number of times, before 409 WRITE_CONFLICT.
With an Idempotency-Key the response is stored in the write's own transaction; a request that fails
(its own earlier success holds the slot, the key, the seat...) replays what that key stored.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from stvos_shared.db import Database
from stvos_shared.errors import ApiError

from ..domain.commands import IdempotentRequest, StoredResponse
from ..domain.errors import IdempotencyKeyReused, WriteContention
from .repository import Repositories, conflict_for, is_retryable

log = logging.getLogger("stvos.booking.transactions")
T = TypeVar("T")
ATTEMPTS = 4


class UnitOfWork:
    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[Repositories]:
        """A transaction: committed when the block ends, rolled back on any exception."""
        with self.db.unit_of_work(write) as session:
            yield Repositories(session)

    def run(self, work: Callable[[Repositories], T], *, attempts: int = ATTEMPTS) -> T:
        """Commit `work(repos)` as one unit of work; a violated guard becomes its 409, a lost race a retry."""
        for attempt in range(1, attempts + 1):
            try:
                with self() as repos:
                    return work(repos)
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

    def run_idempotent(self, request: IdempotentRequest | None,
                       work: Callable[[Repositories], StoredResponse]) -> StoredResponse:
        """`run`, remembering the response under the request's Idempotency-Key (none: just `run`).

        The key is not looked up first: a retry runs again, and its own first success makes it fail (the
        slot is taken, the seat held, the key's row exists), whereupon the stored response is replayed.
        A key stored with another request answers 409 IDEMPOTENCY_KEY_REUSED.
        """
        if request is None:
            return self.run(work)

        def once(repos: Repositories) -> StoredResponse:
            response = work(repos)
            repos.idempotency.remember(request, response.status, response.body)
            return response

        try:
            return self.run(once)
        except ApiError:
            with self(write=False) as repos:
                stored = repos.idempotency.find(request)
                if stored is None:
                    raise
                if stored.request_hash != request.request_hash:
                    raise IdempotencyKeyReused() from None
                return StoredResponse(stored.response_status, stored.response_body, replayed=True)
