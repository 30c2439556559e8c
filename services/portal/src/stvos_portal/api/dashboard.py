"""/trainer-portal/dashboard: today, this week and this month, from the portal's read models."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from .deps import TRAINER_ONLY, container, principal
from .schemas import DashboardResponse

blp = Blueprint("portal_dashboard", __name__, url_prefix="/trainer-portal/dashboard",
                description="The trainer's day, week and month, in the trainer's timezone.")


@blp.route("")
class Dashboard(MethodView):
    @require_auth("trainer")
    @errors(blp, 401, 403, TRAINER_ONLY)
    @blp.response(200, DashboardResponse)
    def get(self):
        """Today's bookings, this week's summary, revenue today/this week/this month, the next sessions."""
        return container().dashboard.show(principal())
