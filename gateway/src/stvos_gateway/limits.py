"""The embedded gateway's rate limits and client address, by nginx's rules (limit_req and realip)."""
from __future__ import annotations

import ipaddress
import threading
import time

from .routes import GatewayLimits

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RateLimiter:
    """A token bucket per caller: `rate` per second, up to `burst` at once (nginx's limit_req)."""

    def __init__(self, rate: float, burst: int, max_callers: int = 100_000) -> None:
        self.rate, self.burst, self.max_callers = rate, burst, max_callers
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, caller: str) -> bool:
        """Take a token if there is one."""
        with self._lock:
            now = time.monotonic()
            tokens = self._tokens(caller, now)
            allowed = tokens >= 1.0
            self._buckets[caller] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > self.max_callers:
                self._forget_full(now)
            return allowed

    def has_room(self, caller: str) -> bool:
        """Whether `allow` would, without taking anything."""
        with self._lock:
            return self._tokens(caller, time.monotonic()) >= 1.0

    def _tokens(self, caller: str, now: float) -> float:
        tokens, last = self._buckets.get(caller, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - last) * self.rate)

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: a full bucket is what a new caller gets anyway."""
        full = [caller for caller, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self.rate >= self.burst]
        for caller in full:
            del self._buckets[caller]

    def __len__(self) -> int:
        return len(self._buckets)


class Limiters:
    """Every bucket a request counts against: its client address, its user token, its tenant (at its tier)."""

    def __init__(self, limits: GatewayLimits) -> None:
        self._limits = limits
        self.per_address = RateLimiter(limits.per_address.rate, limits.per_address.burst)
        self.per_token = RateLimiter(limits.per_token.rate, limits.per_token.burst)
        self.per_tenant = {rate: RateLimiter(rate, rate) for rate in limits.tenant_tiers}

    def refused_by(self, address: str, token: str, client_id: str | None, tenant_rate: str | None) -> str | None:
        """The first limit the request is over ("address", "token", "tenant"), or None. As nginx does, a request
        counts in its buckets only when none of them refuses it."""
        buckets = [("address", self.per_address, address)]
        if token:
            buckets.append(("token", self.per_token, token))
        if client_id:
            buckets.append(("tenant", self.per_tenant[self._limits.tenant_limit(tenant_rate).rate], client_id))
        refused = next((rule for rule, limiter, caller in buckets if not limiter.has_room(caller)), None)
        if refused is None:
            for _, limiter, caller in buckets:
                limiter.allow(caller)
        return refused


def trusted_networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


def client_address(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then X-Forwarded-For is read from
    the right, skipping trusted proxies, to the first address none of them is (nginx's realip module with
    `real_ip_recursive on`: all trusted, the leftmost; an entry that is not an address ends the search)."""
    address = peer
    entries = [entry for entry in forwarded_for.replace(" ", ",").split(",") if entry]
    while entries and _is_trusted(address, trusted):
        parsed = _address(entries.pop())
        if parsed is None:
            break
        address = parsed
    return address


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def _address(entry: str) -> str | None:
    """An address as X-Forwarded-For may carry it: `1.2.3.4`, `1.2.3.4:5678`, `::1` or `[::1]:5678`."""
    if entry.startswith("[") and "]" in entry:
        entry = entry[1:entry.index("]")]
    elif entry.count(":") == 1:
        entry = entry.split(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None
