"""What views take from the request: the use cases, the principal, the Idempotency-Key."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import current_app, request
from stvos_shared.errors import Forbidden, invalid_fields
from stvos_shared.principal import Principal
from stvos_shared.security import current_principal

from ..domain.commands import IdempotentRequest, StoredResponse, fingerprint

if TYPE_CHECKING:
    from ..bootstrap import BookingContainer

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_DOC = {"parameters": [{
    "in": "header", "name": IDEMPOTENCY_HEADER, "schema": {"type": "string", "maxLength": 255},
    "description": "A retry with the same key and body answers the first response; another body: 409"}]}


def container() -> BookingContainer:
    return current_app.extensions["stvos.container"]


def principal() -> Principal:
    """The verified caller (require_auth has checked the role and the tenant)."""
    return current_principal()


def trainer() -> Principal:
    """The calling trainer; a trainer token always names its trainer record."""
    caller = current_principal()
    if caller.trainer_id is None:
        raise Forbidden("This token names no trainer.", code="TRAINER_ROLE_REQUIRED")
    return caller


def idempotency(caller: Principal) -> IdempotentRequest | None:
    """The request's Idempotency-Key with the fingerprint of its method, path and body (None without one)."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise invalid_fields(**{IDEMPOTENCY_HEADER: "Must be 1 to 255 printable characters."})
    body = request.get_json(silent=True)
    return IdempotentRequest(caller.client_id, caller.user_id, key, fingerprint(request.method, request.path, body))


def answer(response: StoredResponse) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A stored or fresh response, marked when it replays the first answer to its key."""
    return response.body, response.status, {"Idempotency-Replayed": "true"} if response.replayed else {}
