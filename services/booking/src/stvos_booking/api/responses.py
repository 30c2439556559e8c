"""Response bodies (…Response) of the booking API and the items they hold."""
from __future__ import annotations

from marshmallow import fields, validate
from stvos_shared.api import Schema
from stvos_shared.fast_dump import FastDump
from stvos_shared.pagination import PaginationSchema

from ..domain.model import DAYS, PARTICIPATION_STATUSES, SESSION_STATUSES, SUBSCRIPTION_STATUSES
from .fields import Money, SlotList, hhmm, text_date, text_instant


def _nested(schema: type[Schema], **kwargs) -> fields.Nested:
    return fields.Nested(schema, required=True, **kwargs)


def _listed(schema: type[Schema]) -> fields.List:
    return fields.List(fields.Nested(schema), required=True)


class SlotSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "Stable: the same slot has the same id"})
    date = text_date(required=True)
    time = hhmm(required=True)
    end_time = hhmm(end=True, required=True)
    starts_at = text_instant(required=True)
    ends_at = text_instant(required=True)
    service_id = fields.Integer(allow_none=True)


class WindowSchema(Schema):
    id = fields.Integer(required=True)
    day_of_week = fields.String(required=True, metadata={"enum": list(DAYS)})
    start_time = hhmm(required=True)
    end_time = hhmm(end=True, required=True)


class AvailabilityResponse(FastDump, Schema):  # a lighter dump of the weekly windows, same output
    timezone = fields.String(required=True, metadata={"example": "Europe/London"})
    weekly_availability = _listed(WindowSchema)
    slots = SlotList(SlotSchema, required=True)


class MeetingSchema(Schema):
    url = fields.String(required=True, metadata={"description": "The LiveKit server to connect to"})
    room = fields.String(required=True)
    token = fields.String(required=True, metadata={"description": "This user's token for this room (≤ 2 h)"})


class NamedSchema(Schema):
    id = fields.Integer(allow_none=True)
    name = fields.String(allow_none=True)


class PersonSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


def _scheduled() -> dict[str, fields.Field]:
    """When, in the trainer's zone and as instants."""
    return {"scheduled_date": text_date(required=True), "scheduled_time": hhmm(required=True),
            "starts_at": text_instant(required=True), "ends_at": text_instant(required=True),
            "timezone": fields.String(required=True)}


class BookingSchema(Schema.from_dict({
        "id": fields.Integer(required=True), "trainer_id": fields.Integer(required=True),
        "trainer_name": fields.String(allow_none=True), "user_id": fields.Integer(required=True),
        "status": fields.String(required=True, metadata={"enum": list(SESSION_STATUSES)}), **_scheduled()})):
    service = _nested(NamedSchema)
    price = Money(required=True)
    currency = fields.String(required=True)
    notes = fields.String(allow_none=True)
    meeting_link = fields.String(allow_none=True)
    late_cancellation = fields.Boolean(required=True)
    cancelled_by = fields.String(allow_none=True, metadata={"enum": ["user", "trainer"]})
    meeting = fields.Nested(MeetingSchema, allow_none=True, metadata={"description": "Once the trainer launched it"})
    client = fields.Nested(PersonSchema, metadata={"description": "The trainer's lists only"})


class BookingResponse(Schema):
    booking = _nested(BookingSchema)


class SessionListResponse(FastDump, Schema):  # lists of the user's and trainer's reads: a lighter dump, same output
    sessions = _listed(BookingSchema)
    pagination = _nested(PaginationSchema)


class BookingListResponse(FastDump, Schema):
    bookings = _listed(BookingSchema)
    pagination = _nested(PaginationSchema)


class ParticipationSchema(Schema.from_dict({
        "id": fields.Integer(required=True), "class_id": fields.Integer(required=True),
        "name": fields.String(required=True), "trainer_id": fields.Integer(required=True),
        "trainer_name": fields.String(allow_none=True),
        "status": fields.String(required=True, metadata={"enum": list(PARTICIPATION_STATUSES)}), **_scheduled()})):
    payment_amount = Money(required=True)
    currency = fields.String(required=True)
    late_cancellation = fields.Boolean(required=True)
    cancelled_by = fields.String(allow_none=True)
    joined_at = text_instant(required=True)
    meeting = fields.Nested(MeetingSchema, allow_none=True)


class ParticipationResponse(Schema):
    participation = _nested(ParticipationSchema)


class GroupClassListResponse(FastDump, Schema):
    group_classes = _listed(ParticipationSchema)
    pagination = _nested(PaginationSchema)


class SubscriptionSchema(Schema):
    id = fields.Integer(required=True)
    programme_id = fields.Integer(required=True)
    programme = _nested(NamedSchema)
    trainer_id = fields.Integer(required=True)
    trainer_name = fields.String(allow_none=True)
    user_id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={
        "enum": list(SUBSCRIPTION_STATUSES),
        "description": "completed: the programme's weeks have run (active days, paused ones not counted)"})
    start_date = text_date(required=True)
    end_date = text_date(required=True, metadata={
        "description": "startDate + weeks, moved on by time paused; an active subscription completes on it"})
    payment_amount = Money(required=True)
    currency = fields.String(required=True)


class SubscriptionResponse(Schema):
    subscription = _nested(SubscriptionSchema)


class ProgrammeListResponse(FastDump, Schema):
    programmes = _listed(SubscriptionSchema)
    pagination = _nested(PaginationSchema)


class NextBookingSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(["session", "groupClass"]))
    trainer_name = fields.String(allow_none=True)
    date = text_date(required=True)
    time = hhmm(required=True)
    starts_at = text_instant(required=True)
    timezone = fields.String(required=True)


class SummaryResponse(Schema):
    upcoming_sessions = fields.Integer(required=True)
    upcoming_group_classes = fields.Integer(required=True)
    active_programmes = fields.Integer(required=True)
    next_booking = fields.Nested(NextBookingSchema, required=True, allow_none=True)


class WithTrainerResponse(Schema):
    sessions = _listed(BookingSchema)
    group_classes = _listed(ParticipationSchema)
    programmes = _listed(SubscriptionSchema)
