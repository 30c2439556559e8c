"""Request bodies (…Body) and query strings (…Query) of the booking API; responses are in responses.py."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema
from stvos_shared.api import MAX_ID, Id, Schema
from stvos_shared.pagination import PageQuery

from ..domain.model import DAYS, POLICY_BOUNDS, SESSION_STATUSES, SUBSCRIPTION_STATUSES
from .fields import Money, TimeOfDay, day

_NOTES = validate.Length(max=2000)


def _ends_after_start(data: dict[str, Any]) -> None:
    if data.get("start_time") is not None and data.get("end_time") is not None \
            and data["end_time"] <= data["start_time"]:
        raise ValidationError("Must be after startTime.", "endTime")


class AvailabilityQuery(Schema):
    start_date = day(required=True, metadata={"description": "First day (YYYY-MM-DD), trainer's zone"})
    end_date = day(metadata={"description": "Last day; startDate + 6 days when left out; at most 90 days"})
    service_id = Id(metadata={"description": "Slots as long as this service; without it, one slot step long"})


class BookBody(Schema):
    service_id = Id(required=True)
    slot_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID),
                             metadata={"description": "A slot's id from GET /trainers/:id/availability"})
    notes = fields.String(allow_none=True, validate=_NOTES)


class JoinBody(Schema):
    payment_amount = Money(required=True, metadata={"description": "Must equal the class price"})


class SubscribeBody(Schema):
    programme_id = Id(required=True)
    start_date = day(required=True)
    payment_amount = Money(required=True, metadata={"description": "Must equal the programme price"})


class SessionsQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(SESSION_STATUSES))
    trainer_id = Id()
    start_date = day(metadata={"description": "Sessions on or after this date (trainer's zone)"})
    end_date = day(metadata={"description": "Sessions on or before this date (trainer's zone)"})


class TrainerBookingsQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(SESSION_STATUSES))
    start_date = day()
    end_date = day()


class ProgrammesQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(SUBSCRIPTION_STATUSES))


class DateRangeQuery(Schema):
    first = day(data_key="from", metadata={"description": "From this date (inclusive)"})
    last = day(data_key="to", metadata={"description": "To this date (inclusive)"})


class WindowBody(Schema):
    day_of_week = fields.String(required=True, validate=validate.OneOf(DAYS))
    start_time = TimeOfDay(required=True)
    end_time = TimeOfDay(end=True, required=True)

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        _ends_after_start(data)


class OverrideBody(Schema):
    """{date, available: false} for a day off, or {date, startTime, endTime} for other hours that day."""

    date = day(required=True)
    available = fields.Boolean(metadata={"description": "false: a day off (no times)"})
    start_time = TimeOfDay()
    end_time = TimeOfDay(end=True)

    @validates_schema
    def _shape(self, data: dict[str, Any], **_: Any) -> None:
        timed = "start_time" in data or "end_time" in data
        if data.get("available") is False and timed:
            raise ValidationError("A day off has no hours; leave startTime and endTime out.", "available")
        if not timed and data.get("available") is not False:
            raise ValidationError("Give startTime and endTime, or available: false.", "startTime")
        if timed and ("start_time" not in data or "end_time" not in data):
            missing = "endTime" if "start_time" in data else "startTime"
            raise ValidationError("Give both startTime and endTime.", missing)
        _ends_after_start(data)


class TimeSlotBody(Schema):
    date = day(required=True)
    start_time = TimeOfDay(required=True)
    end_time = TimeOfDay(end=True, required=True)
    service_id = Id(allow_none=True, metadata={"description": "Only this service may be booked in it"})

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        _ends_after_start(data)


class PolicyBody(Schema):
    buffer_minutes = fields.Integer(strict=True, validate=validate.Range(*POLICY_BOUNDS["buffer_minutes"]))
    min_notice_hours = fields.Integer(strict=True, validate=validate.Range(*POLICY_BOUNDS["min_notice_hours"]))
    max_advance_days = fields.Integer(strict=True, validate=validate.Range(*POLICY_BOUNDS["max_advance_days"]))
    slot_step_minutes = fields.Integer(strict=True, validate=validate.Range(*POLICY_BOUNDS["slot_step_minutes"]))
    cancellation_cutoff_hours = fields.Integer(
        strict=True, validate=validate.Range(*POLICY_BOUNDS["cancellation_cutoff_hours"]))


class UpdateBookingBody(Schema):
    status = fields.String(validate=validate.OneOf(SESSION_STATUSES))
    notes = fields.String(validate=_NOTES)
    meeting_link = fields.Url(validate=validate.Length(max=500), schemes={"https", "http"})
