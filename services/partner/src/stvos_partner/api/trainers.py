"""/partner/trainers: the tenant's trainer records and their accounts (admins write, staff read)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from .admin_schemas import (
    InvitationResponse,
    TrainerBody,
    TrainerCreatedResponse,
    TrainerListQuery,
    TrainerListResponse,
    TrainerResponse,
    TrainerUpdateBody,
)
from .deps import ADMIN_403, MALFORMED, TOKEN_401, container, staff

blp = Blueprint("partner_trainers", __name__, url_prefix="/partner/trainers",
                description="Trainer records of the partner's tenant; changes are published as partner.trainer.*.")

MISSING = (404, "TRAINER_NOT_FOUND: no such trainer in this tenant")
TAKEN = (409, "EMAIL_TAKEN: another trainer of this tenant has this email")
ID = "<int(max=2147483647):trainer_id>"


@blp.route("")
class Trainers(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401, 422)
    @blp.arguments(TrainerListQuery, location="query")
    @blp.response(200, TrainerListResponse)
    def get(self, args):
        """List the tenant's trainers (filters: active, search in name and email)."""
        return container().trainers.list(staff().client_id, args["page"], args["limit"], args.get("active"),
                                         args.get("search"))

    @require_auth("admin")
    @errors(blp, MALFORMED, TOKEN_401, ADMIN_403, TAKEN, 422)
    @blp.arguments(TrainerBody)
    @blp.response(201, TrainerCreatedResponse)
    def post(self, body):
        """Create a trainer record and its one-time invitation code (shown only in this answer)."""
        return container().trainers.create(staff().client_id, body)


@blp.route(f"/{ID}")
class TrainersById(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401, MISSING)
    @blp.response(200, TrainerResponse)
    def get(self, trainer_id):
        """One trainer of the tenant, with when and from where its account was claimed."""
        return container().trainers.get(staff().client_id, trainer_id)

    @require_auth("admin")
    @errors(blp, MALFORMED, TOKEN_401, ADMIN_403, MISSING, TAKEN, 422)
    @blp.arguments(TrainerUpdateBody)
    @blp.response(200, TrainerResponse)
    def put(self, body, trainer_id):
        """Change a trainer's details (only the fields sent)."""
        return container().trainers.update(staff().client_id, trainer_id, body)


@blp.route(f"/{ID}/deactivate")
class TrainerDeactivation(MethodView):
    @require_auth("admin")
    @errors(blp, TOKEN_401, ADMIN_403, MISSING)
    @blp.response(200, TrainerResponse)
    def post(self, trainer_id):
        """Deactivate a trainer: no longer listed or bookable (idempotent)."""
        return container().trainers.deactivate(staff().client_id, trainer_id)


@blp.route(f"/{ID}/invitation")
class TrainerInvitation(MethodView):
    @require_auth("admin")
    @errors(blp, TOKEN_401, ADMIN_403, MISSING)
    @blp.response(201, InvitationResponse)
    def post(self, trainer_id):
        """Issue a new one-time invitation code for the trainer (the previous one stops working)."""
        return container().trainers.reissue_invitation(staff().client_id, trainer_id)


@blp.route(f"/{ID}/reset-account")
class TrainerAccountReset(MethodView):
    @require_auth("admin")
    @errors(blp, TOKEN_401, ADMIN_403, MISSING, 503,
            (404, "TRAINER_ACCOUNT_NOT_FOUND: the trainer has not claimed an account"))
    @blp.response(200, TrainerResponse)
    def post(self, trainer_id):
        """Remove the trainer's account and end all its sessions, so that it can be claimed again."""
        return container().trainers.reset_account(staff().client_id, trainer_id)
