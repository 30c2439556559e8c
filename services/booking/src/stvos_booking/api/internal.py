"""For the other services, with the trainer's own token (never routed by the gateway)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from . import deps
from .portal_responses import InternalBookingResponse

blp = Blueprint("internal", __name__, url_prefix="/internal", description="For the other services.")


@blp.route("/bookings/<int(max=2147483647):booking_id>")
class InternalBooking(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, 403, (404, "BOOKING_NOT_FOUND: no such booking of the calling trainer"))
    @blp.response(200, InternalBookingResponse)
    def get(self, booking_id):
        """One booking of the calling trainer (the portal checks it before launching its room)."""
        return deps.container().sessions.internal(deps.trainer(), booking_id)
