"""/partner/settings: how the tenant's trainers claim their accounts (admins write, staff read)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from .admin_schemas import RegistrationSettings, SettingsResponse
from .deps import ADMIN_403, MALFORMED, TOKEN_401, container, staff

blp = Blueprint("partner_settings", __name__, url_prefix="/partner/settings",
                description="Tenant settings: whether a trainer needs their invitation code to claim an account.")


@blp.route("")
class Settings(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401)
    @blp.response(200, SettingsResponse)
    def get(self):
        """The tenant's settings."""
        return container().trainers.registration_policy(staff().client_id)

    @require_auth("admin")
    @errors(blp, MALFORMED, TOKEN_401, ADMIN_403, 422)
    @blp.arguments(RegistrationSettings)
    @blp.response(200, SettingsResponse)
    def put(self, body):
        """Change the settings; the identity service enforces them."""
        return container().trainers.set_registration_policy(staff().client_id, body["trainer_registration"])
