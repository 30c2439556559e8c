"""The one way a service calls another: timeouts, retries on idempotent calls; request id, trace and token forwarded.

A base URL of `inproc://NAME` calls the app registered under NAME in the client's `InProcApps` (the
embedded platform owns one and hands it to every service's composition root); anything else goes over
HTTP with `requests`.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

import requests
from flask import has_request_context, request
from opentelemetry.trace import SpanKind
from werkzeug.test import Client

from . import tracing
from .errors import ServiceUnavailable
from .observability import REQUEST_ID_HEADER, current_request_id
from .security import CLIENT_ID_HEADER

log = logging.getLogger("stvos.client")
_IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}


class InProcApps:
    """The WSGI apps of this process by service name: what `inproc://NAME` reaches."""

    def __init__(self) -> None:
        self._apps: dict[str, Any] = {}

    def register(self, name: str, wsgi_app: Any) -> None:
        self._apps[name] = wsgi_app

    def get(self, name: str) -> Any:
        """The app registered as `name`; KeyError (a 503 to the caller) when there is none."""
        return self._apps[name]


@dataclass(frozen=True)
class ServiceResponse:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]

    @property
    def data(self) -> dict[str, Any]:
        return (self.body or {}).get("data") or {}


class ServiceClient:
    """A client of one other service."""

    def __init__(self, base_url: str, *, apps: InProcApps | None = None, connect_timeout: float = 1.0,
                 read_timeout: float = 5.0, retries: int = 2) -> None:
        self.base_url = base_url.rstrip("/")
        self.apps = apps or InProcApps()
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self._local = threading.local()

    def request(self, method: str, path: str, *, json_body: Any = None, headers: dict[str, str] | None = None,
                forward_caller: bool = True) -> ServiceResponse:
        """Call the service (in a client span); a transport failure or a 5xx raises ServiceUnavailable (503)."""
        with tracing.tracer.start_as_current_span(f"{method} {self.base_url}", kind=SpanKind.CLIENT,
                                                  attributes={"http.request.method": method}) as span:
            outgoing = self._outgoing_headers(forward_caller)
            outgoing.update(headers or {})
            try:
                if self.base_url.startswith("inproc://"):
                    response = self._call_inproc(method, path, json_body, outgoing)
                else:
                    response = self._call_http(method, path, json_body, outgoing)
            except (requests.RequestException, KeyError) as error:
                log.warning("call to %s failed: %s", self.base_url, error)
                raise ServiceUnavailable() from error
            span.set_attribute("http.response.status_code", response.status)
        if response.status >= 500:
            raise ServiceUnavailable()
        return response

    def get(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> ServiceResponse:
        return self.request("POST", path, json_body=json_body, **kwargs)

    @staticmethod
    def _outgoing_headers(forward_caller: bool) -> dict[str, str]:
        headers: dict[str, str] = {}
        tracing.inject(headers)  # traceparent: the callee's spans join this request's trace
        request_id = current_request_id()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        if forward_caller and has_request_context():
            for name in ("Authorization", CLIENT_ID_HEADER):
                if name in request.headers:
                    headers[name] = request.headers[name]
        return headers

    def _call_inproc(self, method: str, path: str, body: Any, headers: dict[str, str]) -> ServiceResponse:
        app = self.apps.get(self.base_url.removeprefix("inproc://"))
        result = Client(app).open(path, method=method, json=body, headers=headers)
        return ServiceResponse(result.status_code, _json_or_none(result.get_data()), dict(result.headers))

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def _call_http(self, method: str, path: str, body: Any, headers: dict[str, str]) -> ServiceResponse:
        attempts = 1 + (self.retries if method.upper() in _IDEMPOTENT else 0)
        for attempt in range(attempts):
            try:
                result = self._session().request(method, self.base_url + path, json=body, headers=headers,
                                                 timeout=self.timeout)
                return ServiceResponse(result.status_code, _json_or_none(result.content), dict(result.headers))
            except (requests.ConnectionError, requests.Timeout):
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")


def _json_or_none(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
