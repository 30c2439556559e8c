"""/internal/*: what other services ask on behalf of the calling trainer (never routed by the gateway)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from .deps import owner, use_cases
from .schemas import InternalGroupClassResponse, ProfileChangeBody, ProfileResponse

blp = Blueprint("internal", __name__, url_prefix="/internal",
                description="Service-to-service: the calling trainer's profile and classes.")

TRAINER_ONLY = (403, "TRAINER_ROLE_REQUIRED: the token is not a trainer's. Or TENANT_MISMATCH")
NO_PROFILE = (404, "TRAINER_NOT_FOUND: the catalog does not know this trainer (yet)")


@blp.route("/trainer-profile")
class TrainerProfile(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, NO_PROFILE)
    @blp.response(200, ProfileResponse)
    def get(self):
        """The calling trainer's public profile."""
        return {"trainer": use_cases().profiles.get(owner())}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, NO_PROFILE, 422)
    @blp.arguments(ProfileChangeBody)
    @blp.response(200, ProfileResponse)
    def put(self, body):
        """Change the calling trainer's profile (only the fields sent); published as catalog.trainer.updated."""
        return {"trainer": use_cases().profiles.change(owner(), body)}


@blp.route("/group-classes/<int(max=2147483647):class_id>")
class GroupClass(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, (404, "CLASS_NOT_FOUND: not a class of the calling trainer"))
    @blp.response(200, InternalGroupClassResponse)
    def get(self, class_id):
        """One of the calling trainer's group classes, as another service checks it."""
        return {"group_class": use_cases().group_classes.internal(owner(), class_id)}
