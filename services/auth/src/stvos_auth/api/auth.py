"""/auth: client user accounts and their tokens (X-API-Key through the gateway)."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from stvos_shared.api import Blueprint, MessageSchema, errors, no_store
from stvos_shared.security import client_ip, current_principal, gateway_client_id, require_auth

from ..domain.commands import LogIn, RegisterUser
from .deps import API_KEY, API_KEY_AND_BEARER, container
from .schemas import (
    LoginBody,
    LoginResponse,
    LogoutBody,
    MeResponse,
    RefreshBody,
    RefreshResponse,
    RegisterBody,
    TokensResponse,
)

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Client user accounts and their tokens.")

KEY_401 = (401, "API_KEY_INVALID: the X-API-Key is missing or invalid.")
INACTIVE_403 = (403, "TRAINER_INACTIVE: the account is a trainer's whose record was deactivated; no tokens.")
THROTTLED_429 = (429, "RATE_LIMITED: too many attempts from this address, or this address keeps failing on this "
                      "account; see Retry-After.")


@blp.route("/register")
class Register(MethodView):
    @blp.doc(security=API_KEY)
    @no_store
    @blp.arguments(RegisterBody)
    @blp.response(201, TokensResponse)
    @errors(blp, 400, KEY_401, 422, THROTTLED_429, 503, (409, "EMAIL_TAKEN: an account with this email exists."),
            (422, "VOUCHER_INVALID: the voucher is unknown, expired or used up (details.reason). INVITE_INVALID: "
                  "the invite code is unknown in this client, deactivated, expired or used up (details.reason "
                  "NOT_FOUND | EXPIRED | EXHAUSTED). VALIDATION_FAILED naming inviteCode: coachId is another "
                  "trainer than the code's."))
    def post(self, args: dict[str, Any]):
        """Create a user account in the API key's client and sign it in."""
        return container().accounts.register(RegisterUser(gateway_client_id(), client_ip(), **args))


@blp.route("/login")
class Login(MethodView):
    @blp.doc(security=API_KEY)
    @no_store
    @blp.arguments(LoginBody)
    @blp.response(200, LoginResponse)
    @errors(blp, 400, 422, THROTTLED_429, INACTIVE_403, (401, "INVALID_CREDENTIALS: unknown email or wrong password "
            "(one answer for both). Or API_KEY_INVALID."))
    def post(self, args: dict[str, Any]):
        """Sign in with email and password."""
        return container().accounts.log_in(LogIn(gateway_client_id(), client_ip(), args["email"], args["password"]))


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.doc(security=API_KEY)
    @no_store
    @blp.arguments(RefreshBody)
    @blp.response(200, RefreshResponse)
    @errors(blp, 400, 422, INACTIVE_403, KEY_401, (401, "TOKEN_INVALID or TOKEN_EXPIRED: the refresh token is forged, "
            "expired, of another client, or already used (a reuse after the grace ends the whole session)."))
    def post(self, args: dict[str, Any]):
        """Exchange a refresh token for a new access token and its successor refresh token."""
        return container().accounts.refresh(args["refresh_token"], gateway_client_id())


@blp.route("/logout")
class Logout(MethodView):
    @blp.doc(security=API_KEY_AND_BEARER)
    @require_auth()
    @blp.arguments(LogoutBody, required=False)
    @blp.response(200, MessageSchema)
    @errors(blp, 400, 401, 403, 422)
    def post(self, args: dict[str, Any]):
        """Log out; with refreshToken in the body its session is revoked on the server as well."""
        container().accounts.log_out(current_principal(), args.get("refresh_token"))
        return {"message": "Logged out successfully"}


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=API_KEY_AND_BEARER)
    @require_auth()
    @blp.response(200, MeResponse)
    @errors(blp, 401, 403)
    def get(self):
        """The signed-in user with profile and settings, and their client."""
        return container().accounts.me(current_principal())
