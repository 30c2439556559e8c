"""/partner-auth: partner staff login, token refresh, current staff, logout (no API key)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, MessageSchema, errors, no_store
from stvos_shared.security import client_ip, require_auth

from .deps import MALFORMED, TOKEN_401, container, staff
from .schemas import CurrentStaffResponse, LoginBody, LoginResponse, RefreshBody, RefreshResponse

blp = Blueprint("partner_auth", __name__, url_prefix="/partner-auth",
                description="Partner staff authentication: 8-hour partner tokens, not valid on user endpoints.")


@blp.route("/login")
class Login(MethodView):
    @no_store
    @errors(blp, MALFORMED, 422, (401, "INVALID_CREDENTIALS: wrong email or password"),
            (429, "RATE_LIMITED: too many attempts from this address, or this address keeps failing on this "
                  "account (Retry-After)"))
    @blp.arguments(LoginBody)
    @blp.response(200, LoginResponse)
    def post(self, body):
        """Log a partner staff member in with email and password."""
        return container().sessions.log_in(body["email"], body["password"], client_ip())


@blp.route("/refresh")
class Refresh(MethodView):
    @no_store
    @errors(blp, MALFORMED, 422, (401, "TOKEN_INVALID / TOKEN_EXPIRED: not a live refresh token (a replay after "
                                      "the grace ends the session)"),
            (429, "RATE_LIMITED: too many attempts from this address (Retry-After)"))
    @blp.arguments(RefreshBody)
    @blp.response(200, RefreshResponse)
    def post(self, body):
        """Exchange a refresh token for a new access token and the next refresh token."""
        return container().sessions.refresh(body["refresh_token"], client_ip())


@blp.route("/me")
class Me(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401)
    @blp.response(200, CurrentStaffResponse)
    def get(self):
        """The current partner staff member and their tenant."""
        return container().sessions.me(staff())


@blp.route("/logout")
class Logout(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401)
    @blp.response(200, MessageSchema)
    def post(self):
        """End the session: its refresh and access tokens stop working."""
        container().sessions.log_out(staff())
        return {"message": "Logged out successfully"}
