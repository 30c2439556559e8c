"""/trainer-portal/group-classes: the calling trainer's group classes; published as catalog.group_class.*.

(`/{id}/launch` belongs to portal and `/{id}/roster` to booking: the gateway sends them there.)
"""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import Change, ListPage, ScheduleGroupClass
from .deps import owner, use_cases
from .docs import ID, NO_TRAINER, TRAINER_ONLY
from .portal_schemas import (
    GroupClassBody,
    GroupClassChangeBody,
    GroupClassListResponse,
    GroupClassResponse,
    PortalListQuery,
)

blp = Blueprint("portal_group_classes", __name__, url_prefix="/trainer-portal/group-classes",
                description="The calling trainer's group classes.")
MISSING = (404, "CLASS_NOT_FOUND: not a group class of the calling trainer")
FROZEN = (409, "CLASS_CANCELLED: the class was cancelled. Or CLASS_STARTED: the class has already started")
SHRINK = (409, "CAPACITY_BELOW_PARTICIPANTS: more users have joined than the new capacity")


@blp.route("")
class GroupClasses(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, 422)
    @blp.arguments(PortalListQuery, location="query")
    @blp.response(200, GroupClassListResponse)
    def get(self, query):
        """List the calling trainer's group classes by start (active: false lists the cancelled ones)."""
        items, block = use_cases().group_classes.page(owner(), ListPage(**query))
        return {"group_classes": items, "pagination": block}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, NO_TRAINER, 422)
    @blp.arguments(GroupClassBody)
    @blp.response(201, GroupClassResponse)
    def post(self, body):
        """Schedule a group class on the trainer's wall clock; published as catalog.group_class.created."""
        return {"group_class": use_cases().group_classes.schedule(owner(), ScheduleGroupClass(**body))}


@blp.route(f"/{ID}")
class GroupClassById(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, GroupClassResponse)
    def get(self, item_id):
        """One of the calling trainer's group classes, with its participants."""
        return {"group_class": use_cases().group_classes.get(owner(), item_id)}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, MISSING, FROZEN, SHRINK, 422)
    @blp.arguments(GroupClassChangeBody)
    @blp.response(200, GroupClassResponse)
    def put(self, body, item_id):
        """Change or move a class (only the fields sent); published as catalog.group_class.updated."""
        return {"group_class": use_cases().group_classes.change(owner(), Change(item_id, body))}

    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING, (409, "CLASS_STARTED: the class has already started"))
    @blp.response(200, GroupClassResponse)
    def delete(self, item_id):
        """Cancel a class (idempotent); published as catalog.group_class.cancelled with active false."""
        return {"group_class": use_cases().group_classes.cancel(owner(), item_id)}
