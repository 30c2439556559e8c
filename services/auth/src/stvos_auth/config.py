"""Settings of the auth service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared import passwords
from stvos_shared.settings import env_int, env_str, sqlite_url


@dataclass(frozen=True)
class Settings:
    database_url: str
    partner_url: str = "inproc://partner"
    broker_url: str = ""
    log_level: str = "INFO"
    # Password hashing (argon2id); never below the OWASP minimum.
    argon2_memory_kib: int = passwords.MIN_MEMORY_KIB
    argon2_time_cost: int = passwords.MIN_TIME_COST
    argon2_parallelism: int = passwords.MIN_PARALLELISM
    # Tokens.
    access_ttl_seconds: int = 15 * 60
    refresh_ttl_seconds: int = 30 * 24 * 3600
    refresh_reuse_grace_seconds: int = 10
    # Lockout: this many consecutive failures lock the account for lockout_seconds.
    lockout_threshold: int = 10
    lockout_seconds: int = 15 * 60
    # Rate limits: N requests per window (seconds), per client address and per account.
    rate_ip_limit: int = 60
    rate_ip_window: int = 60
    rate_account_limit: int = 20
    rate_account_window: int = 600
    # How long this process trusts its answer for an API key (the gateway caches too).
    key_cache_ok_seconds: int = 10
    key_cache_denied_seconds: int = 2

    def __post_init__(self) -> None:
        passwords.check_cost(self.argon2_memory_kib, self.argon2_time_cost, self.argon2_parallelism)
        if self.lockout_threshold < 1 or min(self.rate_ip_limit, self.rate_account_limit) < 1:
            raise ValueError("lockout threshold and rate limits must be at least 1")

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "auth")),
            partner_url=env_str("PARTNER_URL", "http://127.0.0.1:8105"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            argon2_memory_kib=env_int("ARGON2_MEMORY_KIB", passwords.MIN_MEMORY_KIB),
            argon2_time_cost=env_int("ARGON2_TIME_COST", passwords.MIN_TIME_COST),
            argon2_parallelism=env_int("ARGON2_PARALLELISM", passwords.MIN_PARALLELISM),
            access_ttl_seconds=env_int("ACCESS_TTL_SECONDS", 15 * 60),
            refresh_ttl_seconds=env_int("REFRESH_TTL_SECONDS", 30 * 24 * 3600),
            refresh_reuse_grace_seconds=env_int("REFRESH_REUSE_GRACE_SECONDS", 10),
            lockout_threshold=env_int("LOCKOUT_THRESHOLD", 10),
            lockout_seconds=env_int("LOCKOUT_SECONDS", 15 * 60),
            rate_ip_limit=env_int("RATE_IP_LIMIT", 60),
            rate_ip_window=env_int("RATE_IP_WINDOW", 60),
            rate_account_limit=env_int("RATE_ACCOUNT_LIMIT", 20),
            rate_account_window=env_int("RATE_ACCOUNT_WINDOW", 600),
            key_cache_ok_seconds=env_int("KEY_CACHE_OK_SECONDS", 10),
            key_cache_denied_seconds=env_int("KEY_CACHE_DENIED_SECONDS", 2),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`."""
        return cls(database_url=sqlite_url(var_dir, "auth"))
