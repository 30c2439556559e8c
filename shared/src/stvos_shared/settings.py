"""Reading settings from the environment, once, into typed values."""
from __future__ import annotations

import os


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw in (None, "") else raw.strip().lower() in ("1", "true", "yes", "on")


def sqlite_url(var_dir: str, service: str) -> str:
    """The embedded default: one SQLite file per service under var/."""
    return f"sqlite:///{os.path.abspath(os.path.join(var_dir, f'{service}.db'))}"
