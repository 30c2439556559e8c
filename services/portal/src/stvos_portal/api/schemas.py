"""Request bodies (…Body), query strings (…Query) and responses (…Response) of the trainer portal."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, post_load, validate
from stvos_shared.api import Schema
from stvos_shared.pagination import PageQuery, PaginationSchema

from ..domain.model import MAX_NOTES_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, is_timezone


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


def _timezone(value: str) -> None:
    if not is_timezone(value):
        raise ValidationError("Not a known IANA timezone (e.g. Europe/London).")


class Money(Schema):
    amount = fields.Float(required=True, metadata={"description": "Two decimals", "example": 75.0})
    currency = fields.String(required=True, metadata={"description": "ISO 4217", "example": "GBP"})


# -- profile -----------------------------------------------------------------------------------------

class ProfileBody(Schema):
    """Only the fields sent are changed (catalog owns the profile and announces the change)."""

    name = fields.String(validate=[validate.Length(max=120), _not_blank])
    bio = fields.String(allow_none=True, validate=validate.Length(max=2000))
    image = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=500))
    specialisations = fields.List(fields.String(validate=[validate.Length(max=50), _not_blank]),
                                  validate=validate.Length(max=20))
    timezone = fields.String(validate=_timezone, metadata={"example": "Europe/London"})

    @post_load
    def _tidy(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "name" in data:
            data["name"] = data["name"].strip()
        if "specialisations" in data:
            data["specialisations"] = list(dict.fromkeys(item.strip() for item in data["specialisations"]))
        return data


class Profile(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    bio = fields.String(required=True, allow_none=True)
    image = fields.String(required=True, allow_none=True)
    specialisations = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True)
    active = fields.Boolean(required=True)


class Statistics(Schema):
    sessions_completed = fields.Integer(required=True, metadata={
        "description": "Sessions completed, or confirmed and already ended"})
    sessions_upcoming = fields.Integer(required=True, metadata={"description": "Confirmed sessions still ahead"})
    active_clients = fields.Integer(required=True, metadata={"description": "As status=active of the clients list"})
    classes_taught = fields.Integer(required=True, metadata={
        "description": "Group classes that ended with at least one participant"})
    active_programme_subscribers = fields.Integer(required=True, metadata={
        "description": "Users with an active programme subscription"})
    revenue_this_month = fields.List(fields.Nested(Money), required=True, metadata={
        "description": "Per currency; empty when nothing was earned (see the dashboard's revenue)"})


class ProfileResponse(Schema):
    profile = fields.Nested(Profile, required=True)
    statistics = fields.Nested(Statistics, required=True)


class ProfileUpdateResponse(Schema):
    profile = fields.Nested(Profile, required=True)


# -- clients -----------------------------------------------------------------------------------------

class ClientsQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(["active", "inactive"]), metadata={
        "description": "active: a session or class in the last 60 days or ahead, or a programme running then"})
    search = fields.String(validate=validate.Length(max=100), metadata={"description": "In name and email"})


class ClientBody(Schema):
    """Replaces the notes and/or the tags sent (nothing else changes); notes null clears them."""

    notes = fields.String(allow_none=True, validate=validate.Length(max=MAX_NOTES_LENGTH))
    tags = fields.List(fields.String(validate=[validate.Length(min=1, max=MAX_TAG_LENGTH), _not_blank]),
                       validate=validate.Length(max=MAX_TAGS),
                       metadata={"description": f"At most {MAX_TAGS}, each 1 to {MAX_TAG_LENGTH} characters"})


class BookingRef(Schema):
    type = fields.String(required=True, metadata={"description": "session or class"})
    id = fields.Integer(required=True, metadata={"description": "The booking's id, or the class's id"})
    name = fields.String(required=True, allow_none=True, metadata={"description": "The service or class name"})
    date = fields.String(required=True, metadata={"description": "YYYY-MM-DD in the trainer's timezone"})
    time = fields.String(required=True, metadata={"description": "HH:MM in the trainer's timezone"})
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class Client(Schema):
    user_id = fields.Integer(required=True)
    name = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, metadata={"description": "active or inactive"})
    client_since = fields.AwareDateTime(required=True)
    sessions = fields.Integer(required=True, metadata={"description": "Sessions booked, not cancelled"})
    classes = fields.Integer(required=True, metadata={"description": "Class places taken, not cancelled"})
    programmes = fields.Integer(required=True, metadata={"description": "Programme subscriptions, not cancelled"})
    last_booking = fields.Nested(BookingRef, required=True, allow_none=True)
    next_booking = fields.Nested(BookingRef, required=True, allow_none=True)
    notes = fields.String(required=True, allow_none=True)
    tags = fields.List(fields.String(), required=True)


class ClientsResponse(Schema):
    clients = fields.List(fields.Nested(Client), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class ClientResponse(Schema):
    client = fields.Nested(Client, required=True)


# -- dashboard ---------------------------------------------------------------------------------------

class ClientRef(Schema):
    user_id = fields.Integer(required=True)
    name = fields.String(required=True, allow_none=True)


class DayBooking(BookingRef):
    status = fields.String(required=True, allow_none=True, metadata={"description": "A session's status; null for "
                                                                                    "a class"})
    client = fields.Nested(ClientRef, required=True, allow_none=True, metadata={"description": "null for a class"})
    participants = fields.Integer(required=True, metadata={"description": "Joined users (1 for a session)"})


class Today(Schema):
    date = fields.String(required=True)
    bookings = fields.List(fields.Nested(DayBooking), required=True)


class WeekSummary(Schema):
    start_date = fields.String(required=True, metadata={"description": "Monday, in the trainer's timezone"})
    end_date = fields.String(required=True, metadata={"description": "Sunday"})
    sessions = fields.Integer(required=True, metadata={"description": "Sessions this week, not cancelled"})
    classes = fields.Integer(required=True, metadata={"description": "Classes this week with a participant"})
    new_clients = fields.Integer(required=True, metadata={"description": "Users who became clients this week"})
    cancellations = fields.Integer(required=True, metadata={
        "description": "Sessions and class places of this week that were cancelled"})


class Revenue(Schema):
    today = fields.List(fields.Nested(Money), required=True)
    this_week = fields.List(fields.Nested(Money), required=True)
    this_month = fields.List(fields.Nested(Money), required=True)


class UpcomingSession(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True, allow_none=True)
    date = fields.String(required=True)
    time = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    status = fields.String(required=True)
    client = fields.Nested(ClientRef, required=True)


class DashboardResponse(Schema):
    timezone = fields.String(required=True)
    today = fields.Nested(Today, required=True)
    this_week = fields.Nested(WeekSummary, required=True)
    revenue = fields.Nested(Revenue, required=True, metadata={
        "description": "Per currency, sorted; every currency earned this week or month appears in all three "
                       "(amount 0.0 where nothing was earned); empty when nothing was"})
    upcoming_sessions = fields.List(fields.Nested(UpcomingSession), required=True)


# -- video -------------------------------------------------------------------------------------------

class LaunchResponse(Schema):
    room = fields.String(required=True, metadata={"example": "c3-booking-17"})
    url = fields.String(required=True, metadata={"description": "The LiveKit server to connect to"})
    token = fields.String(required=True, metadata={
        "description": "The trainer's LiveKit token: this room only, room admin, expires within 2 hours"})
    meeting_link = fields.String(required=True, allow_none=True)
