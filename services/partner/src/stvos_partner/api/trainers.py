"""/partner/trainers: the tenant's trainer records (admins write, staff read)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint
from stvos_shared.security import require_auth

from ..service import trainers
from .admin_schemas import (
    TrainerCreateSchema,
    TrainerListArgs,
    TrainerListSchema,
    TrainerResponseSchema,
    TrainerUpdateSchema,
)
from .deps import container, staff
from .docs import MALFORMED, errors

blp = Blueprint("partner_trainers", __name__, url_prefix="/partner/trainers",
                description="Trainer records of the partner's tenant; changes are published as partner.trainer.*.")

READ = (401, "TOKEN_INVALID / TOKEN_EXPIRED: no valid partner access token")
WRITE = (403, "FORBIDDEN: the staff role may only read")
MISSING = (404, "TRAINER_NOT_FOUND: no such trainer in this tenant")
TAKEN = (409, "EMAIL_TAKEN: another trainer of this tenant has this email")
ID = "<int(max=2147483647):trainer_id>"


@blp.route("")
class Trainers(MethodView):
    @require_auth()
    @errors(blp, READ)
    @blp.arguments(TrainerListArgs, location="query")
    @blp.response(200, TrainerListSchema)
    def get(self, args):
        """List the tenant's trainers (filters: active, search in name and email)."""
        return trainers.list_trainers(container(), staff().client_id, args["page"], args["limit"],
                                      args.get("active"), args.get("search"))

    @require_auth("admin")
    @errors(blp, MALFORMED, READ, WRITE, TAKEN)
    @blp.arguments(TrainerCreateSchema)
    @blp.response(201, TrainerResponseSchema)
    def post(self, body):
        """Create a trainer record; the trainer can then register via /trainer-auth."""
        return {"trainer": trainers.create_trainer(container(), staff().client_id, body)}


@blp.route(f"/{ID}")
class TrainersById(MethodView):
    @require_auth()
    @errors(blp, READ, MISSING)
    @blp.response(200, TrainerResponseSchema)
    def get(self, trainer_id):
        """One trainer of the tenant."""
        return {"trainer": trainers.get_trainer(container(), staff().client_id, trainer_id)}

    @require_auth("admin")
    @errors(blp, MALFORMED, READ, WRITE, MISSING, TAKEN)
    @blp.arguments(TrainerUpdateSchema)
    @blp.response(200, TrainerResponseSchema)
    def put(self, body, trainer_id):
        """Change a trainer's details (only the fields sent)."""
        return {"trainer": trainers.update_trainer(container(), staff().client_id, trainer_id, body)}


@blp.route(f"/{ID}/deactivate")
class TrainerDeactivation(MethodView):
    @require_auth("admin")
    @errors(blp, READ, WRITE, MISSING)
    @blp.response(200, TrainerResponseSchema)
    def post(self, trainer_id):
        """Deactivate a trainer: no longer listed or bookable (idempotent)."""
        return {"trainer": trainers.deactivate_trainer(container(), staff().client_id, trainer_id)}
