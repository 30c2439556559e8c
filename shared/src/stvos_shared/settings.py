"""Reading settings from the environment, once, into typed values."""
from __future__ import annotations

import os
from dataclasses import dataclass

from .keywrap import parse_keks


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw in (None, "") else raw.strip().lower() in ("1", "true", "yes", "on")


def env_keks(name: str) -> tuple[str, ...]:
    """A list of key-encryption keys (comma-separated, the first one sealing); missing or malformed: KekError."""
    return parse_keks(os.environ.get(name, ""), name)


def sqlite_url(var_dir: str, service: str) -> str:
    """The embedded default: one SQLite file per service under var/."""
    return f"sqlite:///{os.path.abspath(os.path.join(var_dir, f'{service}.db'))}"


@dataclass(frozen=True)
class JobSettings:
    """JOB_INTERVAL_SECONDS: the wait between two drains of a service's scheduled jobs (at least 1)."""

    interval_seconds: int = 60

    @classmethod
    def from_env(cls) -> JobSettings:
        return cls(interval_seconds=max(1, env_int("JOB_INTERVAL_SECONDS", cls.interval_seconds)))


@dataclass(frozen=True)
class MetricsSettings:
    """METRICS_PORT (0: no metrics server) and PROMETHEUS_MULTIPROC_DIR (where gunicorn's workers write theirs)."""

    port: int = 0
    multiprocess_dir: str = ""

    @classmethod
    def from_env(cls) -> MetricsSettings:
        return cls(port=env_int("METRICS_PORT", 0), multiprocess_dir=env_str("PROMETHEUS_MULTIPROC_DIR", ""))
