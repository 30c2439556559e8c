"""/trainer-portal/profile: the trainer's profile (catalog's) with statistics (the portal's read models)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import UpdateProfile
from .deps import TRAINER_ONLY, container, principal
from .schemas import ProfileBody, ProfileResponse, ProfileUpdateResponse

blp = Blueprint("portal_profile", __name__, url_prefix="/trainer-portal/profile",
                description="The trainer's own profile, kept by catalog, with the portal's statistics.")

MISSING = (404, "TRAINER_NOT_FOUND: the catalog has no profile for this trainer yet")


@blp.route("")
class Profile(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, 403, TRAINER_ONLY, MISSING, 503)
    @blp.response(200, ProfileResponse)
    def get(self):
        """The trainer's profile with statistics (sessions, clients, classes, subscribers, revenue this month)."""
        return container().profiles.show(principal())

    @require_auth("trainer")
    @errors(blp, 400, 401, 403, TRAINER_ONLY, MISSING, 422, 503)
    @blp.arguments(ProfileBody)
    @blp.response(200, ProfileUpdateResponse)
    def put(self, body):
        """Change the trainer's profile (only the fields sent); it shows in GET /trainers/{id}."""
        return container().profiles.update(principal(), UpdateProfile(body))
