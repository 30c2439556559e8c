"""/trainers/:id/availability, /book, /my-bookings, /programmes/subscribe and /trainers/classes/:id/join."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import BookSession, JoinClass, SubscribeProgramme
from . import deps
from .responses import (
    AvailabilityResponse,
    BookingResponse,
    ParticipationResponse,
    SubscriptionResponse,
    WithTrainerResponse,
)
from .schemas import AvailabilityQuery, BookBody, JoinBody, SubscribeBody

blp = Blueprint("trainer_bookings", __name__, url_prefix="/trainers",
                description="A trainer's free slots; booking sessions, joining classes, subscribing to programmes.")
ID = "<int(max=2147483647):{}>"
TRAINER = (404, "TRAINER_NOT_FOUND: no such active trainer in this tenant (or not known to bookings yet)")
PAYMENT = (422, "PAYMENT_MISMATCH: paymentAmount does not equal the price")
KEY_REUSED = (409, "IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another request")


@blp.route(f"/{ID.format('trainer_id')}/availability")
class Availability(MethodView):
    @require_auth("user", "trainer")
    @errors(blp, 401, 403, 422, TRAINER, (404, "SERVICE_NOT_FOUND: serviceId is not an active service of the trainer"))
    @blp.arguments(AvailabilityQuery, location="query")
    @blp.response(200, AvailabilityResponse)
    def get(self, query, trainer_id):
        """The trainer's time zone, weekly hours and free slots (stable ids) of up to 90 days."""
        return deps.container().availability.of_trainer(deps.principal(), trainer_id, query["start_date"],
                                                        query.get("end_date"), query.get("service_id"))


@blp.route(f"/{ID.format('trainer_id')}/book")
class Book(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, 400, 401, 403, 422, TRAINER, (404, "SERVICE_NOT_FOUND: no such active service of the trainer"),
            (409, "SLOT_UNAVAILABLE: the slot is gone, past or inside the trainer's notice"),
            (409, "SLOT_TAKEN: someone booked that time first"), KEY_REUSED)
    @blp.arguments(BookBody)
    @blp.response(201, BookingResponse)
    def post(self, body, trainer_id):
        """Book a 1-on-1 session in one of the trainer's slots."""
        caller = deps.principal()
        command = BookSession(caller, trainer_id, body["service_id"], body["slot_id"], body.get("notes"))
        return deps.answer(deps.container().sessions.book(command, deps.idempotency(caller)))


@blp.route(f"/classes/{ID.format('class_id')}/join")
class Join(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, 400, 401, 403, 422, PAYMENT, (404, "CLASS_NOT_FOUND: no such class in this tenant"),
            (409, "CLASS_FULL: no place left"), (409, "ALREADY_JOINED: you hold a place in it"),
            (409, "CLASS_CANCELLED: the class was cancelled"), (409, "CLASS_STARTED: the class has started"),
            KEY_REUSED)
    @blp.arguments(JoinBody)
    @blp.response(201, ParticipationResponse)
    def post(self, body, class_id):
        """Join a group class, paying its price."""
        caller = deps.principal()
        command = JoinClass(caller, class_id, body["payment_amount"])
        return deps.answer(deps.container().classes.join(command, deps.idempotency(caller)))


@blp.route(f"/{ID.format('trainer_id')}/programmes/subscribe")
class Subscribe(MethodView):
    @require_auth("user")
    @blp.doc(**deps.IDEMPOTENCY_DOC)
    @errors(blp, 400, 401, 403, 422, PAYMENT, (404, "PROGRAMME_NOT_FOUND: no such active programme of the trainer"),
            (409, "ALREADY_SUBSCRIBED: you hold an active or paused subscription to it"), KEY_REUSED)
    @blp.arguments(SubscribeBody)
    @blp.response(201, SubscriptionResponse)
    def post(self, body, trainer_id):
        """Subscribe to one of the trainer's programmes from startDate."""
        caller = deps.principal()
        command = SubscribeProgramme(caller, trainer_id, body["programme_id"], body["start_date"],
                                     body["payment_amount"])
        return deps.answer(deps.container().programmes.subscribe(command, deps.idempotency(caller)))


@blp.route(f"/{ID.format('trainer_id')}/my-bookings")
class WithTrainer(MethodView):
    @require_auth("user")
    @errors(blp, 401, 403, TRAINER)
    @blp.response(200, WithTrainerResponse)
    def get(self, trainer_id):
        """Your sessions, class places and subscriptions with this trainer."""
        return deps.container().my_bookings.with_trainer(deps.principal(), trainer_id)
