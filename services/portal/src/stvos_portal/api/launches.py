"""Launching the video session of a booking or a group class (LiveKit)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import LaunchSession
from .deps import TRAINER_ONLY, container, principal
from .schemas import LaunchResponse

blp = Blueprint("portal_launches", __name__, url_prefix="/trainer-portal",
                description="Open the LiveKit room of a booking or class; launching again answers the same room.")

ENDED = (409, "SESSION_NOT_LAUNCHABLE: cancelled, completed, a no-show, or ended over an hour ago "
              "(details.reason)")
UNAVAILABLE = (503, "SERVICE_UNAVAILABLE: booking, catalog or LiveKit is down; nothing was changed")


@blp.route("/bookings/<int(max=2147483647):booking_id>/launch")
class BookingLaunch(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, 403, TRAINER_ONLY, (404, "BOOKING_NOT_FOUND: no such booking of this trainer"), ENDED,
            UNAVAILABLE)
    @blp.response(200, LaunchResponse)
    def post(self, booking_id):
        """Launch a 1-on-1 session's video room: {room, url, token, meetingLink} (the token is the trainer's)."""
        return container().launches.launch(principal(), LaunchSession("booking", booking_id))


@blp.route("/group-classes/<int(max=2147483647):class_id>/launch")
class ClassLaunch(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, 403, TRAINER_ONLY, (404, "CLASS_NOT_FOUND: no such group class of this trainer"), ENDED,
            UNAVAILABLE)
    @blp.response(200, LaunchResponse)
    def post(self, class_id):
        """Launch a group class's video room (capacity + 1 participants): {room, url, token, meetingLink}."""
        return container().launches.launch(principal(), LaunchSession("class", class_id))
