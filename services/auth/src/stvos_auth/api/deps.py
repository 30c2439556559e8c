"""What the views take from the request: the service's container (its use cases) and the trainer tenant."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, request
from stvos_shared.security import CLIENT_ID_HEADER

from ..domain.errors import ApiKeyInvalid

if TYPE_CHECKING:
    from ..bootstrap import AuthContainer

MASTER_KEY_HEADER = "X-Master-Trainer-Key"
API_KEY = [{"apiKey": []}]
API_KEY_AND_BEARER = [{"apiKey": [], "bearerAuth": []}]
API_KEY_OR_MASTER = [{"apiKey": []}, {"masterTrainerKey": []}]


def container() -> AuthContainer:
    return current_app.extensions["stvos.container"]


def key_or_master_tenant() -> int | None:
    """The API key's client (X-Client-Id from the gateway); None when the master trainer key was used.

    The gateway lets the master key through without X-Client-Id; the key is checked again here.
    """
    raw = request.headers.get(CLIENT_ID_HEADER, "")
    if raw.isdigit():
        return int(raw)
    if container().keys.master_key_valid(request.headers.get(MASTER_KEY_HEADER, "")):
        return None
    raise ApiKeyInvalid("A valid X-API-Key or X-Master-Trainer-Key is required.")
