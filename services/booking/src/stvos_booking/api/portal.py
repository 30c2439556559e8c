"""/trainer-portal: the trainer's hours, time slots, booking policy, bookings and class rosters."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, MessageSchema, errors
from stvos_shared.security import require_auth

from ..domain.commands import AddTimeSlot, SessionFilter, SetOverride, SetWindow, UpdateBooking
from ..domain.model import DAYS
from . import deps
from .portal_responses import (
    OverrideListResponse,
    OverrideResponse,
    PolicyResponse,
    RosterResponse,
    TimeSlotListResponse,
    TimeSlotResponse,
    WindowListResponse,
    WindowResponse,
)
from .responses import BookingListResponse, BookingResponse
from .schemas import (
    DateRangeQuery,
    OverrideBody,
    PolicyBody,
    TimeSlotBody,
    TrainerBookingsQuery,
    UpdateBookingBody,
    WindowBody,
)

blp = Blueprint("trainer_portal_schedule", __name__, url_prefix="/trainer-portal",
                description="The trainer's own schedule and bookings (trainer role, own data only).")
ID = "<int(max=2147483647):{}>"
TRAINER = (401, 403, (403, "TRAINER_ROLE_REQUIRED: a trainer's token is required"))
UNKNOWN = (404, "TRAINER_NOT_FOUND: bookings does not know your trainer profile yet (try again shortly)")
DELETED = {"message": "Deleted."}


@blp.route("/availability")
class Windows(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, UNKNOWN)
    @blp.response(200, WindowListResponse)
    def get(self):
        """Your weekly hours and time zone."""
        return deps.container().schedule.windows(deps.trainer())

    @require_auth("trainer")
    @errors(blp, 400, *TRAINER, 422, UNKNOWN, (409, "AVAILABILITY_OVERLAP: it overlaps your hours that day"))
    @blp.arguments(WindowBody)
    @blp.response(201, WindowResponse)
    def post(self, body):
        """Add weekly hours on one day, in your time zone."""
        command = SetWindow(deps.trainer(), DAYS.index(body["day_of_week"]), body["start_time"], body["end_time"])
        return deps.container().schedule.add_window(command)


@blp.route(f"/availability/{ID.format('window_id')}")
class WindowById(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, (404, "AVAILABILITY_NOT_FOUND: no such window of yours"))
    @blp.response(200, MessageSchema)
    def delete(self, window_id):
        """Delete weekly hours."""
        deps.container().schedule.delete_window(deps.trainer(), window_id)
        return DELETED


@blp.route("/availability/overrides")
class Overrides(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, 422)
    @blp.arguments(DateRangeQuery, location="query")
    @blp.response(200, OverrideListResponse)
    def get(self, query):
        """Your date overrides (from, to)."""
        return deps.container().schedule.overrides(deps.trainer(), query.get("first"), query.get("last"))

    @require_auth("trainer")
    @errors(blp, 400, *TRAINER, 422, UNKNOWN,
            (409, "AVAILABILITY_OVERLAP: the date has overlapping hours or is a day off already"))
    @blp.arguments(OverrideBody)
    @blp.response(201, OverrideResponse)
    def post(self, body):
        """A day off, or other hours on one date (instead of your weekly hours)."""
        command = SetOverride(deps.trainer(), body["date"], body.get("start_time"), body.get("end_time"))
        return deps.container().schedule.add_override(command)


@blp.route(f"/availability/overrides/{ID.format('override_id')}")
class OverrideById(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, (404, "OVERRIDE_NOT_FOUND: no such override of yours"))
    @blp.response(200, MessageSchema)
    def delete(self, override_id):
        """Delete a date override."""
        deps.container().schedule.delete_override(deps.trainer(), override_id)
        return DELETED


@blp.route("/time-slots")
class TimeSlots(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, 422, UNKNOWN)
    @blp.arguments(DateRangeQuery, location="query")
    @blp.response(200, TimeSlotListResponse)
    def get(self, query):
        """Your one-off time slots (from, to)."""
        return deps.container().schedule.time_slots(deps.trainer(), query.get("first"), query.get("last"))

    @require_auth("trainer")
    @errors(blp, 400, *TRAINER, 422, UNKNOWN, (409, "TIME_SLOT_OVERLAP: it overlaps another time slot of yours"))
    @blp.arguments(TimeSlotBody)
    @blp.response(201, TimeSlotResponse)
    def post(self, body):
        """Create a one-off bookable time slot, in your time zone."""
        command = AddTimeSlot(deps.trainer(), body["date"], body["start_time"], body["end_time"],
                              body.get("service_id"))
        return deps.container().schedule.add_time_slot(command)


@blp.route(f"/time-slots/{ID.format('slot_id')}")
class TimeSlotById(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, (404, "TIME_SLOT_NOT_FOUND: no such time slot of yours"))
    @blp.response(200, MessageSchema)
    def delete(self, slot_id):
        """Delete a time slot (a booking made in it stays)."""
        deps.container().schedule.delete_time_slot(deps.trainer(), slot_id)
        return DELETED


@blp.route("/booking-policy")
class Policy(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER)
    @blp.response(200, PolicyResponse)
    def get(self):
        """Your booking policy: buffer, notice, advance window, slot step, cancellation cut-off."""
        return deps.container().schedule.policy(deps.trainer())

    @require_auth("trainer")
    @errors(blp, 400, *TRAINER, 422)
    @blp.arguments(PolicyBody)
    @blp.response(200, PolicyResponse)
    def put(self, body):
        """Change any fields of your booking policy."""
        return deps.container().schedule.update_policy(deps.trainer(), body)


@blp.route("/bookings")
class Bookings(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, 422)
    @blp.arguments(TrainerBookingsQuery, location="query")
    @blp.response(200, BookingListResponse)
    def get(self, query):
        """Your bookings with each client's name (status, startDate, endDate), soonest first."""
        filters = SessionFilter(query.get("status"), None, query.get("start_date"), query.get("end_date"),
                                query["page"], query["limit"])
        return deps.container().trainer_bookings.list(deps.trainer(), filters)


@blp.route(f"/bookings/{ID.format('booking_id')}")
class BookingById(MethodView):
    @require_auth("trainer")
    @errors(blp, 400, *TRAINER, 422, (404, "BOOKING_NOT_FOUND: no such booking of yours"),
            (409, "INVALID_TRANSITION: that status cannot follow the current one"),
            (409, "SLOT_TAKEN: confirming a cancelled booking whose time was booked since"))
    @blp.arguments(UpdateBookingBody)
    @blp.response(200, BookingResponse)
    def put(self, body, booking_id):
        """Change a booking's status (allowed transitions only), notes or meeting link."""
        command = UpdateBooking(deps.trainer(), booking_id, body.get("status"), body.get("notes"),
                                body.get("meeting_link"))
        return deps.container().sessions.update(command)


@blp.route(f"/group-classes/{ID.format('class_id')}/roster")
class Roster(MethodView):
    @require_auth("trainer")
    @errors(blp, *TRAINER, (404, "CLASS_NOT_FOUND: no such class of yours"))
    @blp.response(200, RosterResponse)
    def get(self, class_id):
        """Who holds a place in one of your classes."""
        return deps.container().classes.roster(deps.trainer(), class_id)
