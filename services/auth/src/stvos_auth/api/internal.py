"""Endpoints for the platform itself: the gateway's key check and the JWKS (never routed by the gateway)."""
from __future__ import annotations

from flask import Response, jsonify, request
from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import CLIENT_ID_HEADER, gateway_client_id

from ..domain.errors import ApiKeyInvalid
from .deps import MASTER_KEY_HEADER, container
from .schemas import AccountResetResponse

blp = Blueprint("internal", __name__, description="For the gateway and the other services.")

_JWKS_DOC = {"200": {"description": "The public keys that verify this service's tokens (RFC 7517 JWK Set).",
                     "content": {"application/json": {"schema": {"type": "object", "properties": {
                         "keys": {"type": "array", "items": {"type": "object"}}}}}}}}
TENANT_RATE_HEADER = "X-Tenant-Rate"
_CHECK_DOC = {"204": {"description": "Valid. X-Client-Id names the API key's client; absent when the master "
                                     "trainer key was accepted (master=1). X-Tenant-Rate: the requests per second "
                                     "the gateways allow that client, when an operator set one.",
                      "headers": {"X-Client-Id": {"schema": {"type": "integer"}},
                                  TENANT_RATE_HEADER: {"schema": {"type": "integer"}}}}}


@blp.route("/internal/gateway/check-key")
class KeyCheck(MethodView):
    @blp.doc(responses=_CHECK_DOC, parameters=[
        {"in": "header", "name": "X-API-Key", "schema": {"type": "string"}},
        {"in": "header", "name": MASTER_KEY_HEADER, "schema": {"type": "string"}},
        {"in": "query", "name": "master", "schema": {"type": "string", "enum": ["1"]},
         "description": "The route also accepts the master trainer key"}])
    @errors(blp, (401, "API_KEY_INVALID: the key is unknown or revoked."))
    def get(self):
        """Check an API key (or, with master=1, the master trainer key) for the gateway."""
        keys = container().keys
        tenant = keys.client_for(request.headers.get("X-API-Key", ""))
        if tenant is not None:
            rate = {TENANT_RATE_HEADER: str(tenant.rate_limit)} if tenant.rate_limit else {}
            return Response(status=204, headers={CLIENT_ID_HEADER: str(tenant.client_id), **rate})
        if request.args.get("master") == "1" and keys.master_key_valid(request.headers.get(MASTER_KEY_HEADER, "")):
            return Response(status=204)
        raise ApiKeyInvalid()


@blp.route("/.well-known/jwks.json")
class Jwks(MethodView):
    @blp.doc(responses=_JWKS_DOC)
    def get(self):
        """The JSON Web Key Set of the token signing keys (not retired)."""
        signing = container().signing
        signing.signer()  # the first key is made on first use
        response = jsonify(signing.jwks())
        response.headers["Cache-Control"] = "public, max-age=60"
        return response


@blp.route("/internal/trainer-accounts/<int(max=2147483647):trainer_id>/reset")
class TrainerAccountReset(MethodView):
    @blp.response(200, AccountResetResponse)
    @errors(blp, (404, "TRAINER_NOT_FOUND: this trainer of the client (X-Client-Id) has no account."))
    def post(self, trainer_id: int):
        """For the partner service: remove a trainer's account and end all its sessions (the admin's reset)."""
        return container().trainers.reset(gateway_client_id(), trainer_id)
