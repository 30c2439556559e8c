"""/trainer-portal/recorded-classes: the calling trainer's recorded classes (watched on demand)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import AddRecordedClass, Change, ListPage
from .deps import owner, use_cases
from .docs import ID, NO_TRAINER, TRAINER_ONLY
from .portal_schemas import (
    PortalListQuery,
    RecordedClassBody,
    RecordedClassChangeBody,
    RecordedClassListResponse,
    RecordedClassResponse,
)

blp = Blueprint("portal_recorded_classes", __name__, url_prefix="/trainer-portal/recorded-classes",
                description="The calling trainer's recorded classes.")
MISSING = (404, "RECORDED_CLASS_NOT_FOUND: not a recorded class of the calling trainer")


@blp.route("")
class RecordedClasses(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, 422)
    @blp.arguments(PortalListQuery, location="query")
    @blp.response(200, RecordedClassListResponse)
    def get(self, query):
        """List the calling trainer's recorded classes by name."""
        items, block = use_cases().recorded_classes.page(owner(), ListPage(**query))
        return {"recorded_classes": items, "pagination": block}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, NO_TRAINER, 422)
    @blp.arguments(RecordedClassBody)
    @blp.response(201, RecordedClassResponse)
    def post(self, body):
        """Add a recorded class."""
        return {"recorded_class": use_cases().recorded_classes.create(owner(), AddRecordedClass(**body))}


@blp.route(f"/{ID}")
class RecordedClassById(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, RecordedClassResponse)
    def get(self, item_id):
        """One of the calling trainer's recorded classes."""
        return {"recorded_class": use_cases().recorded_classes.get(owner(), item_id)}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, MISSING, 422)
    @blp.arguments(RecordedClassChangeBody)
    @blp.response(200, RecordedClassResponse)
    def put(self, body, item_id):
        """Change a recorded class (only the fields sent)."""
        return {"recorded_class": use_cases().recorded_classes.change(owner(), Change(item_id, body))}

    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, RecordedClassResponse)
    def delete(self, item_id):
        """Deactivate a recorded class (idempotent): users no longer see it."""
        return {"recorded_class": use_cases().recorded_classes.deactivate(owner(), item_id)}
