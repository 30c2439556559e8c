"""/trainer-portal/clients: the trainer's clients (a read model built from events), notes and tags."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import ListClients, UpdateClient
from .deps import TRAINER_ONLY, container, principal
from .schemas import ClientBody, ClientResponse, ClientsQuery, ClientsResponse

blp = Blueprint("portal_clients", __name__, url_prefix="/trainer-portal/clients",
                description="Users who booked, joined or subscribed with the trainer, or registered with them as "
                            "coach.")

MISSING = (404, "CLIENT_NOT_FOUND: the user is not this trainer's client")
ID = "<int(max=2147483647):user_id>"


@blp.route("")
class Clients(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, 403, TRAINER_ONLY, 422)
    @blp.arguments(ClientsQuery, location="query")
    @blp.response(200, ClientsResponse)
    def get(self, query):
        """The trainer's clients by name, with their bookings, notes and tags (filters: status, search)."""
        return container().clients.list(principal(), ListClients(**query))


@blp.route(f"/{ID}")
class ClientsById(MethodView):
    @require_auth("trainer")
    @errors(blp, 400, 401, 403, TRAINER_ONLY, MISSING, 422)
    @blp.arguments(ClientBody)
    @blp.response(200, ClientResponse)
    def put(self, body, user_id):
        """Replace a client's notes and/or tags."""
        tags = tuple(body["tags"]) if "tags" in body else None
        command = UpdateClient(user_id, body.get("notes"), tags, clear_notes="notes" in body and body["notes"] is None)
        return container().clients.update(principal(), command)
