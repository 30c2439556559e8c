"""The request principal: bearer token verified by the service, tenant taken from the gateway."""
from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any

from flask import current_app, g, request

from .errors import Forbidden, Unauthorized
from .principal import Principal
from .tokens import TokenVerifier

__all__ = ["CLIENT_ID_HEADER", "BearerAuth", "Principal", "client_ip", "current_principal", "gateway_client_id",
           "require_auth"]

CLIENT_ID_HEADER = "X-Client-Id"
EXTENSION = "stvos.bearer"


def gateway_client_id() -> int:
    """The tenant the gateway resolved from the API key; never taken from the caller."""
    raw = request.headers.get(CLIENT_ID_HEADER, "")
    if not raw.isdigit():
        raise Unauthorized("A valid X-API-Key is required.", code="API_KEY_INVALID")
    return int(raw)


def client_ip() -> str:
    """The caller's address as the gateway saw it (X-Real-IP, which the gateway always overwrites)."""
    return request.headers.get("X-Real-IP") or request.remote_addr or "unknown"


class BearerAuth:
    """Verifies `Authorization: Bearer` tokens for one app."""

    def __init__(self, verifier: TokenVerifier, principal_from_claims: Callable[[dict], Any] = Principal.from_claims,
                 tenant_from_gateway: bool = True) -> None:
        self.verifier = verifier
        self.principal_from_claims = principal_from_claims
        self.tenant_from_gateway = tenant_from_gateway

    def init_app(self, app) -> None:
        app.extensions[EXTENSION] = self

    def authenticate(self) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("A bearer token is required.", code="TOKEN_INVALID")
        principal = self.principal_from_claims(self.verifier.verify(token.strip(), "access"))
        if self.tenant_from_gateway and principal.client_id != gateway_client_id():
            raise Forbidden("The token belongs to another tenant than the API key.", code="TENANT_MISMATCH")
        return principal


def current_principal() -> Any:
    """The verified principal of this request (verified once, then cached on g)."""
    if "principal" not in g:
        g.principal = current_app.extensions[EXTENSION].authenticate()
    return g.principal


_ROLE_CODES = {"trainer": "TRAINER_ROLE_REQUIRED"}


def require_auth(*roles: str) -> Callable:
    """Require a valid bearer token, and one of `roles` when given."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if roles and principal.role not in roles:
                code = _ROLE_CODES.get(roles[0], "FORBIDDEN") if len(roles) == 1 else "FORBIDDEN"
                raise Forbidden(f"This requires the {' or '.join(roles)} role.", code=code)
            return view(*args, **kwargs)

        wrapper._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        manual = wrapper._apidoc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}]
        return wrapper

    return decorator
