"""The fields every catalog body shares, and the bodies of discovery, invite check and the internal API.

Request bodies are …Body, query strings …Query, responses …Response (camelCase on the wire).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate
from stvos_shared.api import Email, Schema
from stvos_shared.fast_dump import FastDump
from stvos_shared.pagination import PageQuery, PaginationSchema

from ..domain import model

# -- fields of request bodies ------------------------------------------------------------------------

HH_MM = r"^([01]\d|2[0-3]):[0-5]\d$"


def not_blank(value: str) -> None:
    if not value.strip():
        raise validate.ValidationError("Must not be blank.")


def _price(value: Decimal) -> None:
    problem = model.price_problem(value)
    if problem:
        raise validate.ValidationError(problem)


def _currency(value: str) -> None:
    if not model.is_currency(value):
        raise validate.ValidationError("Not a known ISO 4217 currency code (e.g. GBP, EUR, USD).")


def _timezone(value: str) -> None:
    if not model.is_timezone(value):
        raise validate.ValidationError("Not a known IANA timezone (e.g. Europe/London).")


def _in_future(value: datetime) -> None:
    if value <= datetime.now(UTC):
        raise validate.ValidationError("Must be in the future.")


class Trimmed(fields.String):
    """A name: trimmed, not blank, bounded."""

    def __init__(self, max_length: int = model.NAME_MAX, **kwargs: Any) -> None:
        super().__init__(validate=[validate.Length(min=1, max=max_length), not_blank], **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class TimeOfDay(fields.String):
    """"HH:MM" on the trainer's wall clock; loads as a time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(metadata={"example": "10:00", "pattern": HH_MM}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> time:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.match(HH_MM, text):
            raise ValidationError("Must be a time as HH:MM.")
        return time.fromisoformat(text)


def description() -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=model.DESCRIPTION_MAX))


def minutes(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(1, model.MAX_DURATION_MINUTES),
                          metadata={"description": "Minutes", "example": 60}, **kwargs)


def price(**kwargs: Any) -> fields.Decimal:
    return fields.Decimal(validate=_price, metadata={"description": "At least 0, two decimals", "example": 75.0},
                          **kwargs)


def currency() -> fields.String:
    return fields.String(validate=_currency, metadata={"example": "GBP"})


def cutoff() -> fields.Integer:
    return fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, model.MAX_CUTOFF_HOURS),
                          metadata={"description": "Hours before the start inside which a user's cancellation is "
                                                   "late; null: the trainer's booking policy"})


def url() -> fields.Url:
    return fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=model.URL_MAX))


def in_future() -> fields.AwareDateTime:
    return fields.AwareDateTime(allow_none=True, validate=_in_future, metadata={"example": "2027-01-01T00:00:00Z"})


# -- discovery --------------------------------------------------------------------------------------

class TrainersQuery(PageQuery):
    search = fields.String(validate=validate.Length(max=100), metadata={"description": "In names and specialisations"})
    active = fields.Boolean(load_default=True, metadata={"description": "false: the inactive trainers"})


class TrainerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    bio = fields.String(allow_none=True)
    image = fields.String(allow_none=True)
    specialisations = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True)
    active = fields.Boolean(required=True)


class TrainerListResponse(FastDump, Schema):  # the hottest reads: a lighter dump, the same output
    trainers = fields.List(fields.Nested(TrainerSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class PublicServiceSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    duration = fields.Integer(required=True, metadata={"description": "Minutes"})
    price = fields.Decimal(required=True, metadata={"example": 75.0})
    currency = fields.String(required=True)


class PublicGroupClassSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    scheduled_date = fields.Date(required=True, metadata={"description": "In the trainer's timezone"})
    scheduled_time = fields.String(required=True, metadata={"example": "10:00"})
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    timezone = fields.String(required=True)
    duration = fields.Integer(required=True)
    capacity = fields.Integer(required=True)
    spots_left = fields.Integer(required=True)
    price = fields.Decimal(required=True, metadata={"example": 15.0})
    currency = fields.String(required=True)


class PublicProgrammeSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    weeks = fields.Integer(required=True)
    price = fields.Decimal(required=True, metadata={"example": 299.0})
    currency = fields.String(required=True)


class PublicRecordedClassSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    duration = fields.Integer(required=True)
    intensity = fields.String(required=True, metadata={"enum": list(model.INTENSITIES)})
    video_url = fields.String(allow_none=True)


class TrainerDetailSchema(TrainerSchema):
    services = fields.List(fields.Nested(PublicServiceSchema), required=True)
    classes = fields.List(fields.Nested(PublicGroupClassSchema), required=True,
                          metadata={"description": "Upcoming group classes"})
    programmes = fields.List(fields.Nested(PublicProgrammeSchema), required=True)


class TrainerDetailResponse(FastDump, Schema):
    trainer = fields.Nested(TrainerDetailSchema, required=True)


class TrainerServicesResponse(Schema):
    services = fields.List(fields.Nested(PublicServiceSchema), required=True)


class TrainerClassesResponse(Schema):
    recorded_classes = fields.List(fields.Nested(PublicRecordedClassSchema), required=True)
    upcoming_group_classes = fields.List(fields.Nested(PublicGroupClassSchema), required=True)


# -- invite check -----------------------------------------------------------------------------------

class InviteCheckBody(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         metadata={"example": "COACH-MIKE-2026"})


class InviteTrainerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class InviteCheckResponse(Schema):
    valid = fields.Boolean(required=True)
    trainer = fields.Nested(InviteTrainerSchema, metadata={"description": "When valid"})
    client_id = fields.Integer(metadata={"description": "When valid: the tenant the code belongs to"})
    reason = fields.String(metadata={"enum": ["NOT_FOUND", "EXPIRED", "EXHAUSTED"], "description": "When not valid"})


# -- internal API -----------------------------------------------------------------------------------

class ProfileChangeBody(Schema):
    """Only the fields sent are changed."""

    name = Trimmed()
    bio = fields.String(allow_none=True, validate=validate.Length(max=model.DESCRIPTION_MAX))
    image = url()
    specialisations = fields.List(Trimmed(max_length=50), validate=validate.Length(max=20))
    timezone = fields.String(validate=_timezone, metadata={"example": "Europe/London"})

    @post_load
    def _unique(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "specialisations" in data:
            data["specialisations"] = list(dict.fromkeys(data["specialisations"]))
        return data


class ProfileResponse(Schema):
    trainer = fields.Nested(TrainerSchema, required=True)


class InternalGroupClassSchema(Schema):
    id = fields.Integer(required=True)
    trainer_id = fields.Integer(required=True)
    name = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    timezone = fields.String(required=True)
    capacity = fields.Integer(required=True)
    active = fields.Boolean(required=True)


class InternalGroupClassResponse(Schema):
    group_class = fields.Nested(InternalGroupClassSchema, required=True)


class InviteRedeemBody(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         metadata={"example": "COACH-MIKE-2026"})
    email = Email(required=True, metadata={"description": "The registering user's email"})


class InviteRedemptionReserved(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    trainer_id = fields.Integer(required=True, metadata={"description": "The code's trainer: the user's coach"})


class InviteRedeemResponse(Schema):
    redemption = fields.Nested(InviteRedemptionReserved, required=True)
