"""/partner-auth: partner staff login, token refresh, current staff, logout (no API key)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, MessageSchema
from stvos_shared.security import client_ip, require_auth

from ..service import sessions
from .deps import container, staff
from .docs import MALFORMED, errors
from .schemas import CurrentStaffSchema, LoginResponseSchema, LoginSchema, RefreshResponseSchema, RefreshSchema

blp = Blueprint("partner_auth", __name__, url_prefix="/partner-auth",
                description="Partner staff authentication: 8-hour partner tokens, not valid on user endpoints.")

TOKEN_ERRORS = (401, "TOKEN_INVALID / TOKEN_EXPIRED: no valid partner access token")


@blp.route("/login")
class Login(MethodView):
    @errors(blp, MALFORMED, (401, "INVALID_CREDENTIALS: wrong email or password, or the account is locked"),
            (429, "RATE_LIMITED: too many attempts from this address or for this account (Retry-After)"))
    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResponseSchema)
    def post(self, body):
        """Log a partner staff member in with email and password."""
        return sessions.login(container(), body["email"], body["password"], client_ip())


@blp.route("/refresh")
class Refresh(MethodView):
    @errors(blp, MALFORMED, (401, "TOKEN_INVALID / TOKEN_EXPIRED: not a live refresh token (reuse ends the session)"),
            (429, "RATE_LIMITED: too many attempts from this address (Retry-After)"))
    @blp.arguments(RefreshSchema)
    @blp.response(200, RefreshResponseSchema)
    def post(self, body):
        """Exchange a refresh token for a new access token and the next refresh token."""
        return sessions.refresh(container(), body["refresh_token"], client_ip())


@blp.route("/me")
class Me(MethodView):
    @require_auth()
    @errors(blp, TOKEN_ERRORS)
    @blp.response(200, CurrentStaffSchema)
    def get(self):
        """The current partner staff member and their tenant."""
        return sessions.me(container(), staff())


@blp.route("/logout")
class Logout(MethodView):
    @require_auth()
    @errors(blp, TOKEN_ERRORS)
    @blp.response(200, MessageSchema)
    def post(self):
        """End the session: its refresh and access tokens stop working."""
        sessions.logout(container(), staff())
        return {"message": "Logged out successfully"}
