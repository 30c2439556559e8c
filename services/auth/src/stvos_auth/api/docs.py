"""OpenAPI documentation of error responses and security, in one place."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stvos_shared.api import Blueprint

# A registry name, so that the Blueprint documents the error body as is (not inside the success envelope).
ERROR_SCHEMA = "stvos_shared.api.ErrorSchema"

COMMON = {
    400: "MALFORMED_REQUEST: the body is not a JSON object.",
    401: "API_KEY_INVALID: the X-API-Key is missing or invalid.",
    422: "VALIDATION_FAILED: missing, malformed or unknown fields (details.fields names them).",
    429: "RATE_LIMITED: too many attempts from this address or for this account; see Retry-After.",
    503: "SERVICE_UNAVAILABLE: a dependency is down; nothing was changed.",
}


def errors(blp: Blueprint, *statuses: int, **described: str) -> Callable[[Any], Any]:
    """Document error responses: common ones by status, specific ones as s401="CODE: sentence"."""
    documented = {status: COMMON[status] for status in statuses}
    for key, text in described.items():
        status = int(key.removeprefix("s"))
        documented[status] = f"{documented[status]} Or {text}" if status in documented else text

    def decorator(view: Any) -> Any:
        for status, text in sorted(documented.items()):
            headers = {"Retry-After": {"schema": {"type": "integer"}}} if status == 429 else None
            view = blp.alt_response(status, schema=ERROR_SCHEMA, description=text, headers=headers)(view)
        return view

    return decorator


API_KEY = [{"apiKey": []}]
API_KEY_AND_BEARER = [{"apiKey": [], "bearerAuth": []}]
API_KEY_OR_MASTER = [{"apiKey": []}, {"masterTrainerKey": []}]
