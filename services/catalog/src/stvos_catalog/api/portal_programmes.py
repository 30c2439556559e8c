"""/trainer-portal/programmes: the calling trainer's programmes; changes are published as catalog.programme.*."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import AddProgramme, Change, ListPage
from .deps import owner, use_cases
from .docs import ID, NO_TRAINER, TRAINER_ONLY
from .portal_schemas import (
    PortalListQuery,
    ProgrammeBody,
    ProgrammeChangeBody,
    ProgrammeListResponse,
    ProgrammeResponse,
)

blp = Blueprint("portal_programmes", __name__, url_prefix="/trainer-portal/programmes",
                description="The calling trainer's programmes.")
MISSING = (404, "PROGRAMME_NOT_FOUND: not a programme of the calling trainer")


@blp.route("")
class Programmes(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, 422)
    @blp.arguments(PortalListQuery, location="query")
    @blp.response(200, ProgrammeListResponse)
    def get(self, query):
        """List the calling trainer's programmes by name, with their subscriber counts."""
        items, block = use_cases().programmes.page(owner(), ListPage(**query))
        return {"programmes": items, "pagination": block}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, NO_TRAINER, 422)
    @blp.arguments(ProgrammeBody)
    @blp.response(201, ProgrammeResponse)
    def post(self, body):
        """Offer a new programme; published as catalog.programme.created."""
        return {"programme": use_cases().programmes.create(owner(), AddProgramme(**body))}


@blp.route(f"/{ID}")
class ProgrammeById(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, ProgrammeResponse)
    def get(self, item_id):
        """One of the calling trainer's programmes."""
        return {"programme": use_cases().programmes.get(owner(), item_id)}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, MISSING, 422)
    @blp.arguments(ProgrammeChangeBody)
    @blp.response(200, ProgrammeResponse)
    def put(self, body, item_id):
        """Change a programme (only the fields sent); published as catalog.programme.updated."""
        return {"programme": use_cases().programmes.change(owner(), Change(item_id, body))}

    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, ProgrammeResponse)
    def delete(self, item_id):
        """Deactivate a programme (idempotent); published as catalog.programme.deactivated."""
        return {"programme": use_cases().programmes.deactivate(owner(), item_id)}
