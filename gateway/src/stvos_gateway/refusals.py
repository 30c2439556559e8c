"""The gateway's own refusals: one table, used by the embedded gateway, its HTTP server and nginx alike."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from http import HTTPStatus

from stvos_shared.errors import ServiceUnavailable, error_body


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str

    @property
    def phrase(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"

    @property
    def status_line(self) -> str:
        """`413 Request Entity Too Large`: the WSGI status."""
        return f"{self.status} {self.phrase}"

    @property
    def body(self) -> bytes:
        """The error envelope, byte for byte what both gateways send."""
        return json.dumps(error_body(self.code, self.message)).encode()


REFUSALS: dict[int, Refusal] = {refusal.status: refusal for refusal in (
    Refusal(400, "MALFORMED_REQUEST", "The request could not be read."),
    Refusal(401, "API_KEY_INVALID", "A valid X-API-Key is required."),
    Refusal(404, "NOT_FOUND", "No such endpoint."),
    Refusal(405, "METHOD_NOT_ALLOWED", "This method is not allowed on this path."),
    Refusal(408, "REQUEST_TIMEOUT", "The request took too long to arrive."),
    Refusal(413, "PAYLOAD_TOO_LARGE", "The request body is too large."),
    Refusal(414, "URI_TOO_LONG", "The request URI is too long."),
    Refusal(429, "RATE_LIMITED", "Too many requests; try again later."),
    Refusal(431, "REQUEST_HEADERS_TOO_LARGE", "The request headers are too large."),
    Refusal(501, "NOT_IMPLEMENTED", "The request uses a feature the gateway does not support."),
    Refusal(503, ServiceUnavailable.code, ServiceUnavailable.message),
    Refusal(505, "HTTP_VERSION_NOT_SUPPORTED", "This HTTP version is not supported."),
)}
RETRY_AFTER_SECONDS = 1


def refusal(status: int) -> Refusal:
    """The refusal for `status`; one the table lacks keeps its status and borrows its class's words (400, 503)."""
    if status in REFUSALS:
        return REFUSALS[status]
    return replace(REFUSALS[400 if status < 500 else 503], status=status)
