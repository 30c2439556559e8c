"""The gateway's key check: API keys and the master trainer key, compared as SHA-256 digests.

The gateways cache valid answers for a second and denials for two; here a valid key costs one SHA-256 and
one indexed query (a cache of its own, KEY_CACHE_OK_SECONDS, would add its time to how long a revoked key
keeps working), a denial is remembered for a few seconds, the master key's digest for MASTER_CACHE_SECONDS.
Raw keys are never stored or logged.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from stvos_shared.db import UnitOfWork

from ..adapters.repository import Repositories
from ..domain.credentials import digest, same_digest

MASTER_KEY_SETTING = "master_trainer_key_sha256"
MASTER_CACHE_SECONDS = 10
_NONE = ""


class Tenant(NamedTuple):
    """Whom a valid API key names: the client, and the rate it was given (None: the gateways' default)."""

    client_id: int
    rate_limit: int | None


class KeyCheck:
    """API key -> client id, and whether a master trainer key is the current one."""

    def __init__(self, uow: UnitOfWork[Repositories], ok_seconds: float, denied_seconds: float,
                 max_entries: int = 50_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._uow, self._ok, self._denied = uow, ok_seconds, denied_seconds
        self._max, self._clock = max_entries, clock
        self._clients: dict[str, tuple[float, Tenant | None]] = {}
        self._master: tuple[float, str] = (float("-inf"), _NONE)
        self._lock = threading.Lock()

    def client_for(self, api_key: str) -> Tenant | None:
        """The tenant of a valid, unrevoked API key, else None."""
        if not api_key:
            return None
        key_hash = digest(api_key)
        now = self._clock()
        hit = self._clients.get(key_hash)
        if hit is not None and hit[0] > now:
            return hit[1]
        tenant = self._lookup(key_hash)
        with self._lock:
            if len(self._clients) >= self._max:
                self._clients.clear()
            self._clients[key_hash] = (now + (self._ok if tenant else self._denied), tenant)
        return tenant

    def master_key_valid(self, master_key: str) -> bool:
        if not master_key:
            return False
        expires, stored = self._master
        if expires <= self._clock():
            stored = self._load_master_hash()
            self._master = (self._clock() + MASTER_CACHE_SECONDS, stored)
        return bool(stored) and same_digest(stored, digest(master_key))

    def forget(self) -> None:
        """Drop cached answers (after a key is revoked or the master key rotated in this process)."""
        with self._lock:
            self._clients.clear()
            self._master = (float("-inf"), _NONE)

    def _lookup(self, key_hash: str) -> Tenant | None:
        with self._uow(write=False) as repos:
            row = repos.api_keys.client_for(key_hash)
        return Tenant(row.client_id, row.rate_limit) if row else None

    def _load_master_hash(self) -> str:
        with self._uow(write=False) as repos:
            return repos.settings.get(MASTER_KEY_SETTING) or _NONE
