"""/auth: client user accounts and their tokens (X-API-Key through the gateway)."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from stvos_shared.api import Blueprint, MessageSchema
from stvos_shared.security import client_ip, current_principal, gateway_client_id, require_auth

from ..service import accounts
from . import docs
from .context import container
from .schemas import (
    LoginArgs,
    LoginSchema,
    LogoutArgs,
    MeSchema,
    RefreshArgs,
    RefreshSchema,
    RegisterArgs,
    TokensSchema,
)

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Client user accounts and their tokens.")

TOKEN_401 = "TOKEN_INVALID or TOKEN_EXPIRED: the bearer token is missing, forged, expired or of another kind."
TENANT_403 = "TENANT_MISMATCH: the token belongs to another client than the API key."
INACTIVE_403 = "TRAINER_INACTIVE: the account is a trainer's whose record was deactivated; no tokens are issued."


@blp.route("/register")
class Register(MethodView):
    @blp.doc(security=docs.API_KEY)
    @blp.arguments(RegisterArgs)
    @blp.response(201, TokensSchema)
    @docs.errors(blp, 400, 401, 422, 429, 503,
                 s409="EMAIL_TAKEN: an account with this email exists for this client.",
                 s422="VOUCHER_INVALID: the voucher is unknown, expired or used up (details.reason).")
    def post(self, args: dict[str, Any]):
        """Create a user account in the API key's client and sign it in."""
        return accounts.register_user(container(), gateway_client_id(), args, client_ip())


@blp.route("/login")
class Login(MethodView):
    @blp.doc(security=docs.API_KEY)
    @blp.arguments(LoginArgs)
    @blp.response(200, LoginSchema)
    @docs.errors(blp, 400, 422, 429, s401="INVALID_CREDENTIALS: unknown email, wrong password or locked account "
                 "(one answer for all three). Or API_KEY_INVALID.", s403=INACTIVE_403)
    def post(self, args: dict[str, Any]):
        """Sign in with email and password."""
        return accounts.login_user(container(), gateway_client_id(), args["email"], args["password"], client_ip())


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.doc(security=docs.API_KEY)
    @blp.arguments(RefreshArgs)
    @blp.response(200, RefreshSchema)
    @docs.errors(blp, 400, 401, 422, s401="TOKEN_INVALID or TOKEN_EXPIRED: the refresh token is forged, expired, "
                 "of another client, or already used (a reuse ends the whole session).", s403=INACTIVE_403)
    def post(self, args: dict[str, Any]):
        """Exchange a refresh token for a new access token and its successor refresh token."""
        pair = container().sessions.refresh(args["refresh_token"], gateway_client_id())
        return {"access_token": pair.access_token, "refresh_token": pair.refresh_token}


@blp.route("/logout")
class Logout(MethodView):
    @blp.doc(security=docs.API_KEY_AND_BEARER)
    @require_auth()
    @blp.arguments(LogoutArgs, required=False)
    @blp.response(200, MessageSchema)
    @docs.errors(blp, 400, 422, s401=TOKEN_401, s403=TENANT_403)
    def post(self, args: dict[str, Any]):
        """Log out; with refreshToken in the body its session is revoked on the server as well."""
        principal = current_principal()
        if args.get("refresh_token"):
            container().sessions.end(args["refresh_token"], principal.user_id, principal.client_id)
        return {"message": "Logged out successfully"}


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=docs.API_KEY_AND_BEARER)
    @require_auth()
    @blp.response(200, MeSchema)
    @docs.errors(blp, s401=TOKEN_401, s403=TENANT_403)
    def get(self):
        """The signed-in user with profile and settings, and their client."""
        return accounts.me(container(), current_principal())
