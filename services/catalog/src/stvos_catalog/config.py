"""Settings of the catalog service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.settings import env_int, env_str, sqlite_url


@dataclass(frozen=True)
class Settings:
    database_url: str
    auth_url: str = "inproc://auth"
    broker_url: str = ""
    log_level: str = "INFO"
    # POST /invite/check per client address: slow enough that codes cannot be enumerated.
    invite_check_limit: int = 20
    invite_check_window_seconds: int = 60
    # Pages of the trainer list each worker remembers (service/directory.py), counted in trainers: ~1.4 KB each.
    directory_cache_trainers: int = 20_000

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "catalog")),
            auth_url=env_str("AUTH_URL", "http://127.0.0.1:8101"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            invite_check_limit=env_int("CATALOG_INVITE_CHECK_LIMIT", cls.invite_check_limit),
            invite_check_window_seconds=env_int("CATALOG_INVITE_CHECK_WINDOW_SECONDS",
                                                cls.invite_check_window_seconds),
            directory_cache_trainers=env_int("CATALOG_DIRECTORY_CACHE_TRAINERS", cls.directory_cache_trainers),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`."""
        return cls(database_url=sqlite_url(var_dir, "catalog"))
