"""Settings of the partner service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared import passwords
from stvos_shared.settings import env_int, env_str, sqlite_url


@dataclass(frozen=True)
class Settings:
    database_url: str
    auth_url: str = "inproc://auth"
    broker_url: str = ""
    log_level: str = "INFO"
    # Partner staff tokens: 8-hour access tokens, refresh families that live 30 days at most.
    access_token_ttl: int = 8 * 3600
    refresh_token_ttl: int = 30 * 24 * 3600
    refresh_reuse_grace: int = 5
    # Brute force: lock an account after consecutive failures; rate-limit per address and per account.
    lockout_threshold: int = 10
    lockout_seconds: int = 15 * 60
    login_ip_limit: int = 50
    login_account_limit: int = 20
    login_window_seconds: int = 300
    # argon2id cost (OWASP's minimum: 19 MiB, 2 passes, 1 lane); raising them rehashes on next login.
    password_memory_kib: int = passwords.MIN_MEMORY_KIB
    password_time_cost: int = passwords.MIN_TIME_COST
    password_parallelism: int = passwords.MIN_PARALLELISM

    def __post_init__(self) -> None:
        passwords.check_cost(self.password_memory_kib, self.password_time_cost, self.password_parallelism)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "partner")),
            auth_url=env_str("AUTH_URL", "http://127.0.0.1:8101"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            access_token_ttl=env_int("PARTNER_ACCESS_TOKEN_TTL", cls.access_token_ttl),
            refresh_token_ttl=env_int("PARTNER_REFRESH_TOKEN_TTL", cls.refresh_token_ttl),
            refresh_reuse_grace=env_int("PARTNER_REFRESH_REUSE_GRACE", cls.refresh_reuse_grace),
            lockout_threshold=env_int("PARTNER_LOCKOUT_THRESHOLD", cls.lockout_threshold),
            lockout_seconds=env_int("PARTNER_LOCKOUT_SECONDS", cls.lockout_seconds),
            login_ip_limit=env_int("PARTNER_LOGIN_IP_LIMIT", cls.login_ip_limit),
            login_account_limit=env_int("PARTNER_LOGIN_ACCOUNT_LIMIT", cls.login_account_limit),
            login_window_seconds=env_int("PARTNER_LOGIN_WINDOW_SECONDS", cls.login_window_seconds),
            password_memory_kib=env_int("PARTNER_PASSWORD_MEMORY_KIB", cls.password_memory_kib),
            password_time_cost=env_int("PARTNER_PASSWORD_TIME_COST", cls.password_time_cost),
            password_parallelism=env_int("PARTNER_PASSWORD_PARALLELISM", cls.password_parallelism),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`."""
        return cls(database_url=sqlite_url(var_dir, "partner"))
