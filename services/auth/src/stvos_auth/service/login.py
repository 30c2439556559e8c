"""Password login shared by users and trainers: throttling, lockout, one answer for every failure."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from stvos_shared.db import Database, utcnow
from stvos_shared.errors import InvalidCredentials
from stvos_shared.passwords import Passwords
from stvos_shared.ratelimit import RateLimiter, Rule

from ..adapters import repository
from ..config import Settings


class LoginGuard:
    """Rate limits per client address and per account, argon2 verification and the lockout."""

    def __init__(self, db: Database, passwords: Passwords, limiter: RateLimiter, settings: Settings,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._db, self._passwords, self._limiter, self._clock = db, passwords, limiter, clock
        self._ip_rule = Rule("credentials-ip", settings.rate_ip_limit, settings.rate_ip_window)
        self._account_rule = Rule("login-account", settings.rate_account_limit, settings.rate_account_window)
        self._threshold = settings.lockout_threshold
        self._lockout = timedelta(seconds=settings.lockout_seconds)

    def throttle_ip(self, ip: str) -> None:
        """Every credential endpoint counts against the caller's address."""
        self._limiter.enforce(self._ip_rule, ip)

    def throttle_login(self, ip: str, client_id: int | None, email: str) -> None:
        """A login counts against the address and the account, whether the account exists or not."""
        self._limiter.enforce(self._ip_rule, ip)
        self._limiter.enforce(self._account_rule, f"{client_id if client_id is not None else '*'}:{email}")

    def authenticate(self, user: Any | None, password: str) -> None:
        """One argon2 verification whatever the case; INVALID_CREDENTIALS for unknown, wrong or locked."""
        if user is None:
            self._passwords.verify_dummy(password)
            raise InvalidCredentials()
        correct = self._passwords.verify(user.password_hash, password)
        locked_until = user.locked_until
        if locked_until is not None and locked_until > self._clock():
            raise InvalidCredentials()
        if not correct:
            with self._db.unit_of_work() as session:
                repository.record_failed_login(session, user.id, self._threshold, self._clock() + self._lockout)
            raise InvalidCredentials()
