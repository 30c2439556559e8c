"""The embedded gateway: the route table enforced in front of the five apps, in one process."""
from __future__ import annotations

import io
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from .refusals import RETRY_AFTER_SECONDS, refusal
from .routes import TRACEPARENT, UNSAFE_PATH, RouteTable

# The identity service's internal key check; nginx's auth_request calls the same endpoint.
KEY_CHECK_PATH = "/internal/gateway/check-key"
_UNSAFE_PATH = re.compile(UNSAFE_PATH)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_TRACEPARENT = re.compile(TRACEPARENT)
KeyCheck = Callable[[str, str, bool], tuple[bool, str | None]]


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


class KeyCache:
    """Answers of the key check per (api key, master key, mode): short TTL, denials shorter."""

    def __init__(self, check: KeyCheck, ok_seconds: float, denied_seconds: float) -> None:
        self._check, self._ok, self._denied = check, ok_seconds, denied_seconds
        self._answers: dict[tuple[str, str, bool], tuple[float, bool, str | None]] = {}
        self._lock = threading.Lock()

    def check(self, api_key: str, master_key: str, allow_master: bool) -> tuple[bool, str | None]:
        cache_key = (api_key, master_key, allow_master)
        now = time.monotonic()
        hit = self._answers.get(cache_key)
        if hit and hit[0] > now:
            return hit[1], hit[2]
        allowed, client_id = self._check(api_key, master_key, allow_master)
        with self._lock:
            if len(self._answers) > 10_000:
                self._answers.clear()
            self._answers[cache_key] = (now + (self._ok if allowed else self._denied), allowed, client_id)
        return allowed, client_id


class RateLimiter:
    """A token bucket per caller: `rate` per second, up to `burst` at once (nginx's limit_req)."""

    def __init__(self, rate: float, burst: int, max_callers: int = 100_000) -> None:
        self.rate, self.burst, self.max_callers = rate, burst, max_callers
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, caller: str) -> bool:
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.get(caller, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[caller] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > self.max_callers:
                self._forget_full(now)
            return allowed

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: a full bucket is what a new caller gets anyway."""
        full = [caller for caller, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self.rate >= self.burst]
        for caller in full:
            del self._buckets[caller]

    def __len__(self) -> int:
        return len(self._buckets)


class EmbeddedGateway:
    """A WSGI app that routes by the table, checks keys, sets X-Client-Id and never exposes /internal."""

    def __init__(self, table: RouteTable, apps: dict[str, Any], key_check: KeyCheck,
                 extra: dict[str, Callable] | None = None) -> None:
        self.table, self.apps = table, apps
        limits = table.limits
        self.keys = KeyCache(key_check, limits.key_cache_ok_seconds, limits.key_cache_denied_seconds)
        self.per_address = RateLimiter(limits.rate_per_second, limits.burst)
        self.per_key = RateLimiter(limits.rate_per_second, limits.burst)
        self.extra = extra or {}

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        # Headers only the gateway may set: whatever the caller sent is dropped.
        environ.pop("HTTP_X_CLIENT_ID", None)
        environ["HTTP_X_REAL_IP"] = environ["HTTP_X_FORWARDED_FOR"] = environ.get("REMOTE_ADDR", "")
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
        """The declared length, the rate limits and the key, in nginx's order: a refusal's status, or None."""
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            return 400
        if int(length) > self.table.limits.max_body_bytes:
            return 413
        api_key = environ.get("HTTP_X_API_KEY", "")
        master_key = environ.get("HTTP_X_MASTER_TRAINER_KEY", "") if access == "api_key_or_master" else ""
        if not (self.per_address.allow(environ.get("REMOTE_ADDR", "")) and (
                not api_key or self.per_key.allow(api_key))):
            return 429
        if access in ("api_key", "api_key_or_master"):
            allowed, client_id = self.keys.check(api_key, master_key, access == "api_key_or_master")
            if not allowed:
                return 401
            if client_id:
                environ["HTTP_X_CLIENT_ID"] = client_id
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
