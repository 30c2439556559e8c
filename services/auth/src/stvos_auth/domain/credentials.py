"""Credentials: argon2id password hashes, email normalisation, API key and master key digests."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
API_KEY_PREFIX = "stv_"
MASTER_KEY_PREFIX = "stvm_"


def normalise_email(email: str) -> str:
    """One spelling per address: surrounding whitespace removed, case folded."""
    return email.strip().lower()


def digest(secret: str) -> str:
    """SHA-256 (hex) of a high-entropy secret (API keys, the master key): fast and sufficient for them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def new_master_key() -> str:
    return MASTER_KEY_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Verification:
    ok: bool
    needs_rehash: bool = False


class Passwords:
    """argon2id hashing with the configured cost; verification always costs one full hash."""

    def __init__(self, memory_kib: int, time_cost: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism,
                                      hash_len=32, salt_len=16, type=Type.ID)
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> Verification:
        try:
            self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return Verification(False)
        return Verification(True, self._hasher.check_needs_rehash(stored_hash))

    def burn(self, password: str) -> None:
        """Spend what a verification costs, for an account that does not exist (equal timing)."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        self.verify(self._dummy, password)
