"""The credential knobs, under the same names in every service that signs people in."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .. import passwords
from ..settings import env_int


@dataclass(frozen=True)
class CredentialSettings:
    """Password hashing, token lifetimes, and the login guard's limits (env: the upper-cased field name)."""

    argon2_memory_kib: int = passwords.MIN_MEMORY_KIB
    argon2_time_cost: int = passwords.MIN_TIME_COST
    argon2_parallelism: int = passwords.MIN_PARALLELISM
    access_ttl_seconds: int = 15 * 60
    refresh_ttl_seconds: int = 30 * 24 * 3600  # a family's absolute end: rotation never extends it
    refresh_reuse_grace_seconds: int = 10  # a retry this soon after a rotation gets the same successor
    login_address_limit: int = 60  # credential requests per address (every account) ...
    login_address_window: int = 60  # ... per this many seconds
    login_pair_failures: int = 5  # failures of one account from one address before that address waits ...
    login_pair_window: int = 15 * 60  # ... until this long after its last failure
    login_account_failures: int = 50  # failures of one account from anywhere before failing addresses back off
    login_account_window: int = 3600
    login_backoff_base_seconds: int = 2  # the back-off doubles with every further failure ...
    login_backoff_max_seconds: int = 15 * 60  # ... up to this

    def __post_init__(self) -> None:
        passwords.check_cost(self.argon2_memory_kib, self.argon2_time_cost, self.argon2_parallelism)
        small = [f.name for f in fields(self) if getattr(self, f.name) < 1 and f.name != "refresh_reuse_grace_seconds"]
        if small or self.refresh_reuse_grace_seconds < 0:
            raise ValueError(f"credential settings must be positive: {small or ['refresh_reuse_grace_seconds']}")

    @classmethod
    def from_env(cls, **defaults: Any) -> CredentialSettings:
        """The knobs from ARGON2_MEMORY_KIB, ACCESS_TTL_SECONDS, LOGIN_PAIR_FAILURES, ...; `defaults` are the
        service's own defaults where they differ from these."""
        base = cls(**defaults)
        return cls(**{f.name: env_int(f.name.upper(), getattr(base, f.name)) for f in fields(cls)})

    def hasher(self) -> passwords.Passwords:
        return passwords.Passwords(self.argon2_memory_kib, self.argon2_time_cost, self.argon2_parallelism)
