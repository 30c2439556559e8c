"""/trainer-portal/invite-codes: codes that bring users to the calling trainer (checked at /invite/check)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import AddInviteCode, Change, ListPage
from .deps import owner, use_cases
from .docs import ID, NO_TRAINER, TRAINER_ONLY
from .portal_schemas import (
    InviteCodeBody,
    InviteCodeChangeBody,
    InviteCodeListResponse,
    InviteCodeResponse,
    PortalListQuery,
)

blp = Blueprint("portal_invite_codes", __name__, url_prefix="/trainer-portal/invite-codes",
                description="The calling trainer's invite codes.")
MISSING = (404, "INVITE_CODE_NOT_FOUND: not an invite code of the calling trainer")


@blp.route("")
class InviteCodes(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, 422)
    @blp.arguments(PortalListQuery, location="query")
    @blp.response(200, InviteCodeListResponse)
    def get(self, query):
        """List the calling trainer's invite codes, newest first."""
        items, block = use_cases().invite_codes.page(owner(), ListPage(**query))
        return {"invite_codes": items, "pagination": block}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, NO_TRAINER,
            (409, "INVITE_CODE_TAKEN: the chosen code is in use (codes are unique across all tenants)"), 422)
    @blp.arguments(InviteCodeBody)
    @blp.response(201, InviteCodeResponse)
    def post(self, body):
        """Create an invite code, chosen or generated, with an optional expiry and maximum uses."""
        return {"invite_code": use_cases().invite_codes.create(owner(), AddInviteCode(**body))}


@blp.route(f"/{ID}")
class InviteCodeById(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, InviteCodeResponse)
    def get(self, item_id):
        """One of the calling trainer's invite codes."""
        return {"invite_code": use_cases().invite_codes.get(owner(), item_id)}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, MISSING, 422)
    @blp.arguments(InviteCodeChangeBody)
    @blp.response(200, InviteCodeResponse)
    def put(self, body, item_id):
        """Change an invite code's expiry, maximum uses or active flag (only the fields sent)."""
        return {"invite_code": use_cases().invite_codes.change(owner(), Change(item_id, body))}

    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, InviteCodeResponse)
    def delete(self, item_id):
        """Deactivate an invite code (idempotent): checking it then answers NOT_FOUND."""
        return {"invite_code": use_cases().invite_codes.deactivate(owner(), item_id)}
