"""Response bodies (…Response) of the trainer's schedule, roster and the internal API."""
from __future__ import annotations

from marshmallow import fields
from stvos_shared.api import Schema

from .fields import hhmm, text_date, text_instant
from .responses import PersonSchema, WindowSchema


class WindowResponse(Schema):
    availability = fields.Nested(WindowSchema, required=True)


class WindowListResponse(Schema):
    timezone = fields.String(required=True)
    availability = fields.List(fields.Nested(WindowSchema), required=True)


class OverrideSchema(Schema):
    id = fields.Integer(required=True)
    date = text_date(required=True)
    available = fields.Boolean(required=True)
    start_time = hhmm(allow_none=True)
    end_time = hhmm(end=True, allow_none=True)


class OverrideResponse(Schema):
    override = fields.Nested(OverrideSchema, required=True)


class OverrideListResponse(Schema):
    overrides = fields.List(fields.Nested(OverrideSchema), required=True)


class TimeSlotSchema(Schema):
    id = fields.Integer(required=True)
    date = text_date(required=True)
    start_time = hhmm(required=True)
    end_time = hhmm(end=True, required=True)
    starts_at = text_instant(required=True)
    ends_at = text_instant(required=True)
    service_id = fields.Integer(allow_none=True)


class TimeSlotResponse(Schema):
    time_slot = fields.Nested(TimeSlotSchema, required=True)


class TimeSlotListResponse(Schema):
    time_slots = fields.List(fields.Nested(TimeSlotSchema), required=True)


class PolicySchema(Schema):
    buffer_minutes = fields.Integer(required=True)
    min_notice_hours = fields.Integer(required=True)
    max_advance_days = fields.Integer(required=True)
    slot_step_minutes = fields.Integer(required=True)
    cancellation_cutoff_hours = fields.Integer(required=True)


class PolicyResponse(Schema):
    policy = fields.Nested(PolicySchema, required=True)


class RosterClassSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    capacity = fields.Integer(required=True)
    participants = fields.Integer(required=True)
    spots_left = fields.Integer(required=True)
    active = fields.Boolean(required=True)
    scheduled_date = text_date(required=True)
    scheduled_time = hhmm(required=True)
    starts_at = text_instant(required=True)
    ends_at = text_instant(required=True)
    timezone = fields.String(required=True)


class RosterEntrySchema(Schema):
    participation_id = fields.Integer(required=True)
    user = fields.Nested(PersonSchema, required=True)
    joined_at = text_instant(required=True)


class RosterResponse(Schema):
    group_class = fields.Nested(RosterClassSchema, required=True)
    participants = fields.List(fields.Nested(RosterEntrySchema), required=True)


class InternalBookingSchema(Schema):
    id = fields.Integer(required=True)
    trainer_id = fields.Integer(required=True)
    user_id = fields.Integer(required=True)
    status = fields.String(required=True)
    starts_at = text_instant(required=True)
    ends_at = text_instant(required=True)
    timezone = fields.String(required=True)


class InternalBookingResponse(Schema):
    booking = fields.Nested(InternalBookingSchema, required=True)
