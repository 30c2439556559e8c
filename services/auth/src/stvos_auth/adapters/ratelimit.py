"""Rate limiting behind a small interface; the in-process limiter serves one process (embedded mode).

A shared store (Redis) can implement `RateLimiter` for a fleet of processes.
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Rule:
    """At most `limit` hits per `window` seconds (a token bucket: bursts up to `limit`)."""

    name: str
    limit: int
    window: float

    @property
    def rate(self) -> float:
        return self.limit / self.window


class RateLimiter(Protocol):
    def hit(self, rule: Rule, key: str) -> int | None:
        """Count one hit; None when allowed, else the seconds to wait before the next is allowed."""


class InProcessRateLimiter:
    """Token buckets in a dict, bounded in size; thread safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        # (rule, key) -> (tokens, last hit, when the bucket is full again and can be forgotten)
        self._buckets: dict[tuple[str, str], tuple[float, float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, rule: Rule, key: str) -> int | None:
        now = self._clock()
        with self._lock:
            tokens, last, _ = self._buckets.get((rule.name, key), (float(rule.limit), now, now))
            tokens = min(float(rule.limit), tokens + (now - last) * rule.rate)
            allowed = tokens >= 1.0
            tokens = tokens - 1.0 if allowed else tokens
            self._store((rule.name, key), tokens, now, now + (rule.limit - tokens) / rule.rate)
        return None if allowed else max(1, math.ceil((1.0 - tokens) / rule.rate))

    def _store(self, bucket: tuple[str, str], tokens: float, now: float, full_at: float) -> None:
        if len(self._buckets) >= self._max_keys and bucket not in self._buckets:
            # Forget buckets that have refilled (they would start full anyway); if that is not enough,
            # the half closest to full: memory stays bounded and the most throttled callers stay throttled.
            self._buckets = {k: v for k, v in self._buckets.items() if v[2] > now}
            if len(self._buckets) >= self._max_keys:
                keep = sorted(self._buckets.items(), key=lambda item: item[1][2])[len(self._buckets) // 2:]
                self._buckets = dict(keep)
        self._buckets[bucket] = (tokens, now, full_at)
