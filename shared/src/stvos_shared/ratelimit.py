"""Rate limits that hold across processes and replicas: the counters live in the service's own database.

The window slides, approximated by two fixed windows: the current one, plus the previous one weighted
by how much of it the sliding window still covers. A hit is one short transaction: read both counters,
then a conditional upsert (INSERT ... ON CONFLICT DO UPDATE ... WHERE hits < allowance) that counts the
hit only if it fits. The database serialises the upserts on a counter row, so concurrent hits from any
number of processes never let more than `limit` through; refused hits are not counted. Keys are stored
as SHA-256 digests (no addresses or emails at rest); expired windows are deleted now and then.
"""
from __future__ import annotations

import hashlib
import logging
import math
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from .db import Database
from .errors import RateLimited
from .metrics import RATE_LIMIT_REFUSALS, service_label

log = logging.getLogger("stvos.ratelimit")
_EPSILON = 1e-9  # float noise must not turn an exact fit into a refusal (or a wait into one second more)


@dataclass(frozen=True)
class Rule:
    """At most `limit` hits per `window` seconds for each key (an address, an account)."""

    name: str
    limit: int
    window: int

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window < 1:
            raise ValueError(f"rate limit {self.name!r} needs a limit and a window of at least 1")


class RateLimiter(ABC):
    """Counts hits per rule and key."""

    @abstractmethod
    def hit(self, rule: Rule, key: str) -> int | None:
        """Count one hit: None when it is allowed, else the seconds to wait before one more is."""

    def enforce(self, rule: Rule, key: str) -> None:
        """Count one hit, or raise RateLimited (429 with Retry-After)."""
        retry_after = self.hit(rule, key)
        if retry_after is not None:
            RATE_LIMIT_REFUSALS.labels(service_label(), rule.name).inc()
            raise RateLimited(retry_after)


def rate_limit_table(metadata: MetaData) -> Table:
    """The counters table, one row per (rule and key, fixed window); add it to the service's metadata."""
    return Table(
        "rate_limits", metadata,
        Column("bucket", String(64), primary_key=True),  # SHA-256 of rule name and key
        Column("window_start", BigInteger, primary_key=True, autoincrement=False),  # epoch seconds
        Column("hits", Integer, nullable=False),
        Column("expires_at", BigInteger, nullable=False, index=True),  # when the row stops mattering
    )


def allowance(rule: Rule, previous: int, elapsed: float) -> int:
    """How many hits the current fixed window may hold, `elapsed` seconds into it."""
    overlap = previous * (1 - elapsed / rule.window)
    return math.floor(rule.limit - overlap + _EPSILON)


def retry_after(rule: Rule, previous: int, current: int, elapsed: float) -> int:
    """Seconds until one more hit fits, given the counts of the previous and the current window."""
    window, limit = rule.window, rule.limit
    room = limit - current - 1  # what the previous window's weighted count must shrink to
    if room >= 0 and previous > 0:
        fits_at = window * (1 - room / previous)
        if fits_at < window:
            return max(1, math.ceil(fits_at - elapsed - _EPSILON))
    # Not in this window: in the next one, this window's count is the one that fades.
    fits_at_next = window * (1 - (limit - 1) / current) if current > 0 else 0.0
    return max(1, math.ceil(window - elapsed + max(0.0, fits_at_next) - _EPSILON))


class DatabaseRateLimiter(RateLimiter):
    """Counters in `table` (made by rate_limit_table) of `db`, shared by every process using that database."""

    def __init__(self, db: Database, table: Table, clock: Callable[[], float] = time.time,
                 prune_every: float = 60.0) -> None:
        dialects = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
        if db.engine.dialect.name not in dialects:
            raise ValueError(f"no atomic upsert for {db.engine.dialect.name}; use SQLite or PostgreSQL")
        self._db, self._table, self._clock, self._prune_every = db, table, clock, prune_every
        self._insert = dialects[db.engine.dialect.name]
        self._next_prune = float("-inf")

    def hit(self, rule: Rule, key: str) -> int | None:
        now = self._clock()
        start = int(now // rule.window) * rule.window
        elapsed, bucket = now - start, _bucket(rule, key)
        with self._transaction() as connection:
            previous, current = self._counts(connection, bucket, start, rule.window)
            room = allowance(rule, previous, elapsed)
            counted = current < room and self._count(connection, bucket, start, rule, room)
        self._prune_now_and_then(now)
        return None if counted else retry_after(rule, previous, max(current, room), elapsed)

    def prune(self, now: float | None = None) -> int:
        """Delete the windows that no longer count; returns how many went."""
        moment = self._clock() if now is None else now
        with self._transaction() as connection:
            return connection.execute(delete(self._table).where(self._table.c.expires_at <= moment)).rowcount

    def _counts(self, connection: Connection, bucket: str, start: int, window: int) -> tuple[int, int]:
        table = self._table
        rows = connection.execute(select(table.c.window_start, table.c.hits).where(
            table.c.bucket == bucket, table.c.window_start.in_((start - window, start)))).all()
        counts = {row.window_start: row.hits for row in rows}
        return counts.get(start - window, 0), counts.get(start, 0)

    def _count(self, connection: Connection, bucket: str, start: int, rule: Rule, room: int) -> bool:
        """The atomic part: count the hit only if the counter is still below `room` (a racer may have won)."""
        table = self._table
        statement = self._insert(table).values(
            bucket=bucket, window_start=start, hits=1, expires_at=start + 2 * rule.window)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.bucket, table.c.window_start],
            set_={"hits": table.c.hits + 1}, where=table.c.hits < room).returning(table.c.hits)
        return connection.execute(statement).first() is not None  # no row: the WHERE refused it

    def _prune_now_and_then(self, now: float) -> None:
        if now < self._next_prune:
            return
        self._next_prune = now + self._prune_every
        try:
            self.prune(now)
        except SQLAlchemyError:  # housekeeping: a failure here must not fail the request that counted
            log.warning("pruning rate limit counters failed", exc_info=True)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        # A bare connection, not db.unit_of_work(): a counter is not a change the relay must hear of.
        # sqlite_immediate takes SQLite's write lock at BEGIN (see db.py), so read and upsert cannot interleave.
        with self._db.engine.connect() as connection:
            connection.execution_options(sqlite_immediate=True)
            with connection.begin():
                yield connection


def _bucket(rule: Rule, key: str) -> str:
    return hashlib.sha256(f"{rule.name}\n{key}".encode()).hexdigest()
