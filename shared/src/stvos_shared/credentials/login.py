"""The login guard: brute force made expensive without handing anyone a switch that locks an account.

Every attempt is charged before the password is checked and settled after (a success clears the charge), so
concurrent guesses count exactly. Three limits, each answered 429 with Retry-After and the same for accounts
that exist and accounts that do not:
- per address: `login_address_limit` credential requests per window, whatever the account (rate_limits table);
- per (account, address): after `login_pair_failures` failures, that address waits until `login_pair_window`
  after its last failure; other addresses are not affected;
- per account: after `login_account_failures` failures from anywhere, an address that has itself failed on
  this account waits `base * 2^(failures - threshold)` seconds (at most `max`) after the account's last
  failure. An address that has not been failing is never refused: the right password from it always works.
Accounts and addresses are stored as SHA-256 digests.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, select, update
from sqlalchemy.orm import Session

from ..db import Database, UtcDateTime, upsert, utcnow
from ..errors import RateLimited
from ..metrics import LOGIN_FAILURES, LOGIN_LOCKOUTS, service_label
from ..passwords import Passwords
from ..ratelimit import RateLimiter, Rule
from .settings import CredentialSettings

WHOLE_ACCOUNT = "*"


def login_failures_table(metadata: MetaData) -> Table:
    """Failures per (account, address), and per account under the address "*"; add it to the service's metadata."""
    return Table(
        "login_failures", metadata,
        Column("account", String(64), primary_key=True),
        Column("address", String(64), primary_key=True),
        Column("failures", Integer, nullable=False),
        Column("last_failed_at", UtcDateTime, nullable=False, index=True),
    )


@dataclass(frozen=True)
class _Count:
    failures: int
    last: datetime | None

    def within(self, window: timedelta, now: datetime) -> int:
        """The failures that still count `now` (none once `window` has passed since the last one)."""
        return self.failures if self.last is not None and now - self.last < window else 0


class LoginGuard:
    """Charges, refuses and settles login attempts for one service."""

    def __init__(self, db: Database, table: Table, passwords: Passwords, limiter: RateLimiter,
                 settings: CredentialSettings, clock: Callable[[], datetime] = utcnow) -> None:
        self._db, self._table, self._passwords, self._limiter = db, table, passwords, limiter
        self._s, self._clock = settings, clock
        self._address_rule = Rule("credentials-address", settings.login_address_limit, settings.login_address_window)

    def throttle_address(self, address: str) -> None:
        """Count one credential request against the caller's address (429 beyond the limit)."""
        self._limiter.enforce(self._address_rule, address)

    def verify(self, account: str, address: str, password_hash: str | None, password: str) -> bool:
        """Whether `password` opens `account` (`password_hash` None: no such account, still one verification).

        Raises RateLimited while this address must wait for this account; the attempt is then not made.
        """
        self.throttle_address(address)
        keys = (_digest(account), _digest(address))
        self._charge(*keys)
        if password_hash is None:
            self._passwords.verify_dummy(password)
            LOGIN_FAILURES.labels(service_label()).inc()
            return False
        correct = self._passwords.verify(password_hash, password)
        if correct:
            self._settle(*keys)
        else:
            LOGIN_FAILURES.labels(service_label()).inc()
        return correct

    def _charge(self, account: str, address: str) -> None:
        now = self._clock()
        with self._db.unit_of_work() as session:
            pair, whole = self._locked_counts(session, account, address, now)
            wait = self._wait(pair, whole, now)
            if wait is None:
                self._count(session, account, address, pair, now, self._pair_window)
                self._count(session, account, WHOLE_ACCOUNT, whole, now, self._account_window)
        if wait is not None:
            LOGIN_LOCKOUTS.labels(service_label()).inc()
            raise RateLimited(wait, "Too many failed attempts; try again later.")

    def _wait(self, pair: _Count, whole: _Count, now: datetime) -> int | None:
        """Seconds this address must wait before trying this account again, or None."""
        s = self._s
        failing = pair.within(self._pair_window, now)
        if failing >= s.login_pair_failures:
            return _seconds(pair.last + self._pair_window - now)
        over = whole.within(self._account_window, now) - s.login_account_failures
        if failing and over >= 0:
            delay = min(s.login_backoff_base_seconds * 2 ** min(over, 30), s.login_backoff_max_seconds)
            until = whole.last + timedelta(seconds=delay)
            if until > now:
                return _seconds(until - now)
        return None

    def _locked_counts(self, session: Session, account: str, address: str, now: datetime) -> tuple[_Count, _Count]:
        table = self._table
        rows = [{"account": account, "address": key, "failures": 0, "last_failed_at": now}
                for key in (address, WHOLE_ACCOUNT)]
        session.execute(upsert(session, table).values(rows).on_conflict_do_nothing())
        found = session.execute(select(table.c.address, table.c.failures, table.c.last_failed_at).where(
            table.c.account == account, table.c.address.in_((address, WHOLE_ACCOUNT))).with_for_update()).all()
        counts = {row.address: _Count(row.failures, row.last_failed_at if row.failures else None) for row in found}
        return counts[address], counts[WHOLE_ACCOUNT]

    def _count(self, session: Session, account: str, address: str, count: _Count, now: datetime,
               window: timedelta) -> None:
        table = self._table
        session.execute(update(table).where(table.c.account == account, table.c.address == address)
                        .values(failures=count.within(window, now) + 1, last_failed_at=now))

    def _settle(self, account: str, address: str) -> None:
        """The right password: this address's charges on the account, and the account's back-off, are cleared."""
        table = self._table
        with self._db.unit_of_work() as session:
            session.execute(delete(table).where(table.c.account == account,
                                                table.c.address.in_((address, WHOLE_ACCOUNT))))

    def prune(self) -> int:
        """Forget failures older than every window (housekeeping)."""
        oldest = self._clock() - max(self._pair_window, self._account_window)
        with self._db.unit_of_work() as session:
            return session.execute(delete(self._table).where(self._table.c.last_failed_at < oldest)).rowcount

    @property
    def _pair_window(self) -> timedelta:
        return timedelta(seconds=self._s.login_pair_window)

    @property
    def _account_window(self) -> timedelta:
        return timedelta(seconds=self._s.login_account_window)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))



