"""Rate limiting of login attempts: a small interface and its in-process implementation."""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol


class RateLimiter(Protocol):
    def hit(self, key: str) -> int | None:
        """Count one attempt for `key`: None when allowed, else the seconds to wait before the next."""


class InMemoryRateLimiter:
    """At most `limit` attempts per key in any sliding `window` seconds, in this process's memory.

    Enough for one API process per service; with several replicas each counts its own attempts,
    so the effective limit is a multiple of `limit` (the lockout still counts in the database).
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.limit, self.window, self._clock, self._max_keys = limit, window, clock, max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int | None:
        with self._lock:
            now = self._clock()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            if len(self._hits) > self._max_keys:
                self._forget_idle(now)
            return None

    def _forget_idle(self, now: float) -> None:
        idle = [key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]
