"""The route table (gateway/routes.toml), compiled once into ordered regular expressions."""
from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_TABLE = Path(__file__).resolve().parents[2] / "routes.toml"
ACCESS_LEVELS = {"api_key", "api_key_or_master", "public", "closed"}
# After answering early (413, say), how long a gateway still reads and discards the rest of a body before
# closing: long enough for the caller to read the answer, too short to hold the connection for an upload.
LINGER_SECONDS = 2
# Raw paths both gateways refuse (404): dot segments, encoded dots or slashes, empty segments. Routes
# match a normalised path while a service gets the raw one; refusing these keeps the two the same.
UNSAFE_PATH = r"^[^?]*(/\.\.?(/|\?|$)|%2[eEfF]|//)"
# A W3C traceparent both gateways pass on as it came (version ff and all-zero ids are invalid); any other
# value, or none, and the gateway starts a trace: its request id is the trace id, the id's second half the
# parent span id (nginx has no other random source), and the caller's tracestate is dropped.
TRACEPARENT = r"^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$"


@dataclass(frozen=True)
class Route:
    path: str
    service: str | None
    access: str
    regex: str

    def matches(self, path: str) -> bool:
        return re.match(self.regex, path) is not None


@dataclass(frozen=True)
class Limit:
    """A token bucket: `rate` requests per second, up to `burst` more at once (nginx's limit_req)."""

    rate: int
    burst: int


@dataclass(frozen=True)
class GatewayLimits:
    max_body_bytes: int
    per_address: Limit  # per client address (behind trusted proxies: the address they forwarded)
    per_token: Limit  # per user token (the Authorization header)
    key_misses: Limit  # key checks that reach auth (no cached answer), per client address
    tenant_rate: int  # per tenant (the API key's client) unless auth names one of the tiers for it
    tenant_tiers: tuple[int, ...]  # the rates a tenant may be given; each with one second's burst
    trusted_proxies: tuple[str, ...]  # CIDRs whose X-Forwarded-For is believed
    key_cache_ok_seconds: int
    key_cache_denied_seconds: int
    read_timeout_seconds: int

    def tenant_limit(self, rate: str | None) -> Limit:
        """The bucket of a tenant whose key check named `rate`: that tier, or the default for anything else."""
        tier = int(rate) if rate and rate.isdigit() and int(rate) in self.tenant_tiers else self.tenant_rate
        return Limit(tier, tier)

    def unlimited(self) -> GatewayLimits:
        """The same limits, every rate out of reach (tests and benchmarks that measure something else)."""
        huge = Limit(10**9, 10**9)
        return replace(self, per_address=huge, per_token=huge, key_misses=huge, tenant_rate=10**9,
                       tenant_tiers=(10**9,))


@dataclass(frozen=True)
class RouteTable:
    routes: tuple[Route, ...]
    services: dict[str, int]
    limits: GatewayLimits
    max_body: str

    def match(self, path: str) -> Route | None:
        """The first route matching `path`, or None."""
        return next((route for route in self.routes if route.matches(path)), None)

    def unlimited(self) -> RouteTable:
        """This table with every rate limit out of reach."""
        return replace(self, limits=self.limits.unlimited())


def path_regex(path: str) -> str:
    """`/trainers/{id}/book` -> `^/trainers/[^/]+/book$`; a trailing `*` matches the rest."""
    pattern = re.escape(path).replace(r"\*", ".*")
    pattern = re.sub(r"\\\{[A-Za-z]+\\\}", "[^/]+", pattern)
    return f"^{pattern}$"


def _bytes(size: str) -> int:
    units = {"k": 1024, "m": 1024 * 1024}
    size = size.strip().lower()
    return int(size[:-1]) * units[size[-1]] if size[-1] in units else int(size)


@dataclass(frozen=True)
class TableSettings:
    """Which route table to read: STVOS_ROUTES, else gateway/routes.toml."""

    path: Path = DEFAULT_TABLE

    @classmethod
    def from_env(cls) -> TableSettings:
        return cls(Path(os.environ.get("STVOS_ROUTES") or DEFAULT_TABLE))


def load_table(path: str | os.PathLike | None = None) -> RouteTable:
    """Read and validate the route table at `path` (default gateway/routes.toml)."""
    source = Path(path or DEFAULT_TABLE)
    raw = tomllib.loads(source.read_text())
    services = dict(raw["services"])
    routes = []
    for entry in raw["routes"]:
        access, service = entry["access"], entry.get("service")
        if access not in ACCESS_LEVELS or (access != "closed" and service not in services):
            raise ValueError(f"bad route {entry!r} in {source}")
        routes.append(Route(entry["path"], service, access, path_regex(entry["path"])))
    return RouteTable(tuple(routes), services, _limits(raw["gateway"], source), raw["gateway"]["max_body"])


def _limits(gw: dict, source: Path) -> GatewayLimits:
    tiers = tuple(sorted(int(rate) for rate in gw["tenant_rate_tiers"]))
    proxies = tuple(str(ipaddress.ip_network(cidr)) for cidr in gw["trusted_proxies"])
    if int(gw["tenant_rate"]) not in tiers or min(tiers) < 1:
        raise ValueError(f"{source}: tenant_rate must be one of tenant_rate_tiers, all positive")
    def limit(name: str) -> Limit:
        return Limit(int(gw[f"{name}_rate"]), int(gw[f"{name}_burst"]))

    return GatewayLimits(
        _bytes(gw["max_body"]), limit("address"), limit("token"), limit("key_miss"), int(gw["tenant_rate"]), tiers,
        proxies, int(gw["key_cache_ok_seconds"]), int(gw["key_cache_denied_seconds"]), int(gw["read_timeout_seconds"]))
