"""Settings of the catalog service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.settings import env_str, sqlite_url


@dataclass(frozen=True)
class Settings:
    database_url: str
    auth_url: str = "inproc://auth"
    broker_url: str = ""
    log_level: str = "INFO"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "catalog")),
            auth_url=env_str("AUTH_URL", "http://127.0.0.1:8101"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`."""
        return cls(database_url=sqlite_url(var_dir, "catalog"))
