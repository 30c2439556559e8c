"""/trainer-portal/services: the calling trainer's 1-on-1 services; changes are published as catalog.service.*."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import AddService, Change, ListPage
from .deps import owner, use_cases
from .docs import ID, NO_TRAINER, TRAINER_ONLY
from .portal_schemas import PortalListQuery, ServiceBody, ServiceChangeBody, ServiceListResponse, ServiceResponse

blp = Blueprint("portal_services", __name__, url_prefix="/trainer-portal/services",
                description="The calling trainer's 1-on-1 services.")
MISSING = (404, "SERVICE_NOT_FOUND: not a service of the calling trainer")


@blp.route("")
class Services(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, 422)
    @blp.arguments(PortalListQuery, location="query")
    @blp.response(200, ServiceListResponse)
    def get(self, query):
        """List the calling trainer's services by name."""
        items, block = use_cases().services.page(owner(), ListPage(**query))
        return {"services": items, "pagination": block}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, NO_TRAINER, 422)
    @blp.arguments(ServiceBody)
    @blp.response(201, ServiceResponse)
    def post(self, body):
        """Offer a new service; published as catalog.service.created."""
        return {"service": use_cases().services.create(owner(), AddService(**body))}


@blp.route(f"/{ID}")
class ServiceById(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, ServiceResponse)
    def get(self, item_id):
        """One of the calling trainer's services."""
        return {"service": use_cases().services.get(owner(), item_id)}

    @require_auth("trainer")
    @errors(blp, 400, 401, TRAINER_ONLY, MISSING, 422)
    @blp.arguments(ServiceChangeBody)
    @blp.response(200, ServiceResponse)
    def put(self, body, item_id):
        """Change a service (only the fields sent); published as catalog.service.updated."""
        return {"service": use_cases().services.change(owner(), Change(item_id, body))}

    @require_auth("trainer")
    @errors(blp, 401, TRAINER_ONLY, MISSING)
    @blp.response(200, ServiceResponse)
    def delete(self, item_id):
        """Deactivate a service (idempotent); published as catalog.service.deactivated."""
        return {"service": use_cases().services.deactivate(owner(), item_id)}
