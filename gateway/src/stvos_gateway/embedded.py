"""The embedded gateway: the route table enforced in front of the five apps, in one process."""
from __future__ import annotations

import io
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from stvos_shared.metrics import RATE_LIMIT_REFUSALS

from .limits import Limiters, RateLimiter, client_address, trusted_networks
from .refusals import RETRY_AFTER_SECONDS, refusal
from .routes import TRACEPARENT, UNSAFE_PATH, RouteTable

# The identity service's internal key check; nginx's auth_request calls the same endpoint.
KEY_CHECK_PATH = "/internal/gateway/check-key"
TENANT_RATE_HEADER = "X-Tenant-Rate"  # in the key check's answer: the requests per second auth gives the tenant
_UNSAFE_PATH = re.compile(UNSAFE_PATH)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_TRACEPARENT = re.compile(TRACEPARENT)
KeyCheck = Callable[[str, str, bool], "KeyAnswer"]


def _reply(start_response, status: int, headers: Iterable = ()) -> list[bytes]:
    refused = refusal(status)
    start_response(refused.status_line, [("Content-Type", "application/json"),
                                         ("Content-Length", str(len(refused.body))), *headers])
    return [refused.body]


def _read_body(environ: dict[str, Any], cap: int) -> bytes:
    """The whole body, whatever its framing, but never more than `cap` + 1 bytes of it.

    A chunked body announces no length, so the cap is enforced on the bytes actually read; a declared
    length is read exactly (the server's stream does not end where the body does).
    """
    stream = environ["wsgi.input"]
    limit = cap + 1 if environ.get("wsgi.input_terminated") else int(environ.get("CONTENT_LENGTH") or 0)
    chunks, size = [], 0
    while size < limit:
        chunk = stream.read(min(64 * 1024, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _identify(environ: dict[str, Any]) -> None:
    """The caller's request id and traceparent when well formed, else the gateway's own (as nginx does)."""
    generated = uuid.uuid4().hex
    if not _REQUEST_ID.match(environ.get("HTTP_X_REQUEST_ID", "")):
        environ["HTTP_X_REQUEST_ID"] = generated  # one id for every service the request touches
    if not _TRACEPARENT.match(environ.get("HTTP_TRACEPARENT", "")):
        environ["HTTP_TRACEPARENT"] = f"00-{generated}-{generated[16:]}-01"
        environ.pop("HTTP_TRACESTATE", None)


class KeyAnswer(NamedTuple):
    """auth's answer for a key: valid or not, the tenant it names and the rate auth gives that tenant."""

    allowed: bool
    client_id: str | None = None
    rate: str | None = None


class KeyCache:
    """Answers of the key check per (api key, master key, mode): short TTL, denials shorter. A check that must
    ask auth counts against its client address's `misses` bucket first (None: over it)."""

    def __init__(self, check: KeyCheck, ok_seconds: float, denied_seconds: float, misses: RateLimiter) -> None:
        self._check, self._ok, self._denied, self._misses = check, ok_seconds, denied_seconds, misses
        self._answers: dict[tuple[str, str, bool], tuple[float, KeyAnswer]] = {}
        self._lock = threading.Lock()

    def check(self, api_key: str, master_key: str, allow_master: bool, address: str = "") -> KeyAnswer | None:
        cache_key = (api_key, master_key, allow_master)
        now = time.monotonic()
        hit = self._answers.get(cache_key)
        if hit and hit[0] > now:
            return hit[1]
        if not self._misses.allow(address):
            return None
        answer = self._check(api_key, master_key, allow_master)
        with self._lock:
            if len(self._answers) > 10_000:
                self._answers.clear()
            self._answers[cache_key] = (now + (self._ok if answer.allowed else self._denied), answer)
        return answer


class EmbeddedGateway:
    """A WSGI app that routes by the table, checks keys, sets X-Client-Id and never exposes /internal."""

    def __init__(self, table: RouteTable, apps: dict[str, Any], key_check: KeyCheck,
                 extra: dict[str, Callable] | None = None) -> None:
        self.table, self.apps = table, apps
        limits = table.limits
        self.keys = KeyCache(key_check, limits.key_cache_ok_seconds, limits.key_cache_denied_seconds,
                             RateLimiter(limits.key_misses.rate, limits.key_misses.burst))
        self.limiters = Limiters(limits)
        self.trusted = trusted_networks(limits.trusted_proxies)
        self.extra = extra or {}

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        # Headers only the gateway may set: whatever the caller sent is dropped.
        environ.pop("HTTP_X_CLIENT_ID", None)
        environ["HTTP_X_REAL_IP"] = environ["HTTP_X_FORWARDED_FOR"] = client_address(
            environ.get("REMOTE_ADDR", ""), environ.get("HTTP_X_FORWARDED_FOR", ""), self.trusted)
        _identify(environ)
        if path in self.extra:
            return self.extra[path](environ, start_response)
        route = self.table.match(path)
        if route is None or route.access == "closed" or _UNSAFE_PATH.match(environ.get("REQUEST_URI", path)):
            return _reply(start_response, 404)
        refused = self._admit(environ, route.access) or self._buffer_body(environ)
        if refused == 429:
            return _reply(start_response, 429, [("Retry-After", str(RETRY_AFTER_SECONDS))])
        if refused:
            return _reply(start_response, refused)
        return self.apps[route.service](environ, start_response)

    def _admit(self, environ: dict[str, Any], access: str) -> int | None:
        """The declared length, the key and the rate limits, in nginx's order: a refusal's status, or None."""
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            return 400
        if int(length) > self.table.limits.max_body_bytes:
            return 413
        answer = KeyAnswer(True)
        if access in ("api_key", "api_key_or_master"):
            master_key = environ.get("HTTP_X_MASTER_TRAINER_KEY", "") if access == "api_key_or_master" else ""
            answer = self.keys.check(environ.get("HTTP_X_API_KEY", ""), master_key, access == "api_key_or_master",
                                     environ["HTTP_X_REAL_IP"])
            if answer is None:
                RATE_LIMIT_REFUSALS.labels("gateway", "key_check").inc()
                return 429
            if not answer.allowed:
                return 401
            if answer.client_id:
                environ["HTTP_X_CLIENT_ID"] = answer.client_id
        refused = self.limiters.refused_by(environ["HTTP_X_REAL_IP"], environ.get("HTTP_AUTHORIZATION", ""),
                                           answer.client_id, answer.rate)
        if refused:
            RATE_LIMIT_REFUSALS.labels("gateway", refused).inc()
            return 429
        return None

    def _buffer_body(self, environ: dict[str, Any]) -> int | None:
        """Read the body before any service sees it (as nginx does); a refusal's status if it cannot be."""
        try:
            body = _read_body(environ, self.table.limits.max_body_bytes)
        except TimeoutError:
            return 408
        except OSError:  # a broken chunked encoding
            return 400
        if len(body) > self.table.limits.max_body_bytes:
            return 413
        for key in ("wsgi.input_terminated", "HTTP_TRANSFER_ENCODING"):
            environ.pop(key, None)
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        return None
