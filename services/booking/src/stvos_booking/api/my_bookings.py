"""/my-bookings: the user's sessions, class places and programme subscriptions."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.pagination import PageQuery
from stvos_shared.security import require_auth

from ..domain.commands import SessionFilter
from . import deps
from .responses import (
    BookingResponse,
    GroupClassListResponse,
    ParticipationResponse,
    ProgrammeListResponse,
    SessionListResponse,
    SubscriptionResponse,
    SummaryResponse,
)
from .schemas import ProgrammesQuery, SessionsQuery

blp = Blueprint("my_bookings", __name__, url_prefix="/my-bookings",
                description="Everything the user booked: sessions, group classes and programmes.")
ID = "<int(max=2147483647):{}>"
READ = (401, 403)
BOOKING = (404, "BOOKING_NOT_FOUND: no such booking of yours")
SUBSCRIPTION = (404, "SUBSCRIPTION_NOT_FOUND: no such subscription of yours")
KEY_REUSED = (409, "IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another request")


@blp.route("/summary")
class Summary(MethodView):
    @require_auth("user")
    @errors(blp, *READ)
    @blp.response(200, SummaryResponse)
    def get(self):
        """Counts of what is ahead and the next booking, in its trainer's time."""
        return deps.container().my_bookings.summary(deps.principal())


def _filters(query: dict) -> SessionFilter:
    return SessionFilter(query.get("status"), query.get("trainer_id"), query.get("start_date"),
                         query.get("end_date"), query["page"], query["limit"])


@blp.route("/sessions")
class Sessions(MethodView):
    @require_auth("user")
    @errors(blp, *READ, 422)
    @blp.arguments(SessionsQuery, location="query")
    @blp.response(200, SessionListResponse)
    def get(self, query):
        """Your 1-on-1 sessions (status, trainerId, startDate, endDate), soonest first."""
        return deps.container().my_bookings.sessions(deps.principal(), _filters(query))


@blp.route("/sessions/upcoming")
class UpcomingSessions(MethodView):
    @require_auth("user")
    @errors(blp, *READ, 422)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, SessionListResponse)
    def get(self, query):
        """Your confirmed sessions still ahead, soonest first."""
        filters = SessionFilter(page=query["page"], limit=query["limit"])
        return deps.container().my_bookings.sessions(deps.principal(), filters, upcoming=True)


@blp.route(f"/sessions/{ID.format('booking_id')}")
class SessionById(MethodView):
    @require_auth("user")
    @errors(blp, *READ, BOOKING)
    @blp.response(200, BookingResponse)
    def get(self, booking_id):
        """One of your sessions, with its video room (and your token) once the trainer launched it."""
        return deps.container().sessions.details(deps.principal(), booking_id)


@blp.route(f"/sessions/{ID.format('booking_id')}/cancel")
class CancelSession(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, *READ, 422, BOOKING, (409, "ALREADY_CANCELLED: the booking is cancelled already"),
            (409, "BOOKING_NOT_CANCELLABLE: the session has started, or is completed or a no-show"), KEY_REUSED)
    @blp.response(200, BookingResponse)
    def post(self, booking_id):
        """Cancel one of your sessions (inside the cut-off it is marked lateCancellation)."""
        caller = deps.principal()
        return deps.answer(deps.container().sessions.cancel(caller, booking_id, deps.idempotency(caller)))


@blp.route("/group-classes")
class GroupClasses(MethodView):
    @require_auth("user")
    @errors(blp, *READ, 422)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, GroupClassListResponse)
    def get(self, query):
        """Your class places, joined or cancelled, by class time."""
        return deps.container().my_bookings.group_classes(deps.principal(), query["page"], query["limit"])


@blp.route("/group-classes/upcoming")
class UpcomingGroupClasses(MethodView):
    @require_auth("user")
    @errors(blp, *READ, 422)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, GroupClassListResponse)
    def get(self, query):
        """Classes you joined that are still ahead, with their video room once launched."""
        return deps.container().my_bookings.group_classes(deps.principal(), query["page"], query["limit"],
                                                          upcoming=True)


@blp.route(f"/group-classes/{ID.format('class_id')}/cancel")
class CancelPlace(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, *READ, 422, (404, "CLASS_NOT_FOUND / PARTICIPATION_NOT_FOUND: no such class, or you never joined"),
            (409, "ALREADY_CANCELLED: your place is cancelled already"),
            (409, "CLASS_STARTED: the class has started"), KEY_REUSED)
    @blp.response(200, ParticipationResponse)
    def post(self, class_id):
        """Give your place in a class back (inside the cut-off it is marked lateCancellation)."""
        caller = deps.principal()
        return deps.answer(deps.container().classes.leave(caller, class_id, deps.idempotency(caller)))


@blp.route("/programmes")
class Programmes(MethodView):
    @require_auth("user")
    @errors(blp, *READ, 422)
    @blp.arguments(ProgrammesQuery, location="query")
    @blp.response(200, ProgrammeListResponse)
    def get(self, query):
        """Your programme subscriptions (status filter), newest first."""
        return deps.container().my_bookings.programmes(deps.principal(), query.get("status"), query["page"],
                                                       query["limit"])


@blp.route(f"/programmes/{ID.format('subscription_id')}")
class ProgrammeById(MethodView):
    @require_auth("user")
    @errors(blp, *READ, SUBSCRIPTION)
    @blp.response(200, SubscriptionResponse)
    def get(self, subscription_id):
        """One of your subscriptions."""
        return deps.container().programmes.details(deps.principal(), subscription_id)


CHANGE_ERRORS = (*READ, 422, SUBSCRIPTION,
                 (409, "INVALID_TRANSITION: not possible from the subscription's status (a cancelled or completed "
                       "one changes no more)"), KEY_REUSED)


def _change(subscription_id: int, action: str):
    caller = deps.principal()
    return deps.answer(deps.container().programmes.change(caller, subscription_id, action, deps.idempotency(caller)))


@blp.route(f"/programmes/{ID.format('subscription_id')}/pause")
class PauseSubscription(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, *CHANGE_ERRORS)
    @blp.response(200, SubscriptionResponse)
    def post(self, subscription_id):
        """Pause an active subscription (resuming moves its end on by the days paused)."""
        return _change(subscription_id, "pause")


@blp.route(f"/programmes/{ID.format('subscription_id')}/resume")
class ResumeSubscription(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, *CHANGE_ERRORS)
    @blp.response(200, SubscriptionResponse)
    def post(self, subscription_id):
        """Resume a paused subscription."""
        return _change(subscription_id, "resume")


@blp.route(f"/programmes/{ID.format('subscription_id')}/cancel")
class CancelSubscription(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, *CHANGE_ERRORS)
    @blp.response(200, SubscriptionResponse)
    def post(self, subscription_id):
        """Cancel an active or paused subscription."""
        return _change(subscription_id, "cancel")
