"""Password hashing: argon2id, never below OWASP's minimum; an unknown account costs what a known one does."""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP Password Storage Cheat Sheet: argon2id with at least 19 MiB of memory, 2 iterations, 1 lane.
MIN_MEMORY_KIB = 19 * 1024
MIN_TIME_COST = 2
MIN_PARALLELISM = 1
# Every service accepts new passwords of this length (long passphrases welcome; no composition rules).
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128


def check_cost(memory_kib: int, time_cost: int, parallelism: int) -> None:
    """Raise ValueError for argon2 parameters weaker than the OWASP minimum (settings call it at start-up)."""
    if memory_kib < MIN_MEMORY_KIB or time_cost < MIN_TIME_COST or parallelism < MIN_PARALLELISM:
        raise ValueError(f"argon2 parameters below the OWASP minimum ({MIN_MEMORY_KIB // 1024} MiB, "
                         f"t={MIN_TIME_COST}, p={MIN_PARALLELISM}): m={memory_kib} KiB, t={time_cost}, p={parallelism}")


class Passwords:
    """Hashes and verifies passwords with argon2id at the configured cost (at least OWASP's minimum)."""

    def __init__(self, memory_kib: int = MIN_MEMORY_KIB, time_cost: int = MIN_TIME_COST,
                 parallelism: int = MIN_PARALLELISM) -> None:
        check_cost(memory_kib, time_cost, parallelism)
        self._hasher = PasswordHasher(memory_cost=memory_kib, time_cost=time_cost, parallelism=parallelism,
                                      hash_len=32, salt_len=16, type=Type.ID)
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when `password` matches; False for a wrong password or a damaged hash (never raises)."""
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with other parameters than the current ones (rehash after a good login)."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def verify_dummy(self, password: str) -> bool:
        """Spend one verification's time when there is no account (no user enumeration by timing); False."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        self.verify(self._dummy, password)
        return False
