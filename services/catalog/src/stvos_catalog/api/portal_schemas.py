"""Bodies of the trainer's own offerings under /trainer-portal/ (…Body, …Query, …Response)."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema
from stvos_shared.api import Schema, all_optional
from stvos_shared.pagination import PageQuery, PaginationSchema

from ..domain import model
from .schemas import (
    PublicGroupClassSchema,
    PublicProgrammeSchema,
    PublicRecordedClassSchema,
    PublicServiceSchema,
    TimeOfDay,
    Trimmed,
    currency,
    cutoff,
    description,
    in_future,
    minutes,
    price,
    url,
)


class PortalListQuery(PageQuery):
    active = fields.Boolean(metadata={"description": "Only active (true) or only inactive (false); all when absent"})


def _capacity(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(1, model.MAX_CAPACITY), **kwargs)


def _weeks(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(1, model.MAX_WEEKS), **kwargs)


def _intensity(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(model.INTENSITIES), **kwargs)


# -- services ---------------------------------------------------------------------------------------

class ServiceBody(Schema):
    name = Trimmed(required=True)
    description = description()
    duration = minutes(required=True)
    price = price(required=True)
    currency = currency()
    cancellation_cutoff_hours = cutoff()
    active = fields.Boolean()


ServiceChangeBody = all_optional(ServiceBody, "ServiceChangeBody", "Only the fields sent are changed.")


class ServiceSchema(PublicServiceSchema):
    cancellation_cutoff_hours = fields.Integer(allow_none=True)
    active = fields.Boolean(required=True)


class ServiceResponse(Schema):
    service = fields.Nested(ServiceSchema, required=True)


class ServiceListResponse(Schema):
    services = fields.List(fields.Nested(ServiceSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


# -- recorded classes -------------------------------------------------------------------------------

class RecordedClassBody(Schema):
    name = Trimmed(required=True)
    duration = minutes(required=True)
    intensity = _intensity(required=True)
    video_url = url()
    active = fields.Boolean()


RecordedClassChangeBody = all_optional(RecordedClassBody, "RecordedClassChangeBody",
                                       "Only the fields sent are changed.")


class RecordedClassSchema(PublicRecordedClassSchema):
    active = fields.Boolean(required=True)


class RecordedClassResponse(Schema):
    recorded_class = fields.Nested(RecordedClassSchema, required=True)


class RecordedClassListResponse(Schema):
    recorded_classes = fields.List(fields.Nested(RecordedClassSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


# -- group classes ----------------------------------------------------------------------------------

class GroupClassBody(Schema):
    name = Trimmed(required=True)
    description = description()
    scheduled_date = fields.Date(required=True, metadata={"description": "In the trainer's timezone"})
    scheduled_time = TimeOfDay(required=True)
    duration = minutes(required=True)
    capacity = _capacity(required=True)
    price = price(required=True)
    currency = currency()
    cancellation_cutoff_hours = cutoff()


GroupClassChangeBody = all_optional(GroupClassBody, "GroupClassChangeBody", "Only the fields sent are changed; a new "
                                    "date or time moves the class (it must stay in the future).")


class GroupClassSchema(PublicGroupClassSchema):
    participants = fields.Integer(required=True)
    cancellation_cutoff_hours = fields.Integer(allow_none=True)
    active = fields.Boolean(required=True, metadata={"description": "false once cancelled"})


class GroupClassResponse(Schema):
    group_class = fields.Nested(GroupClassSchema, required=True)


class GroupClassListResponse(Schema):
    group_classes = fields.List(fields.Nested(GroupClassSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


# -- programmes -------------------------------------------------------------------------------------

class ProgrammeBody(Schema):
    name = Trimmed(required=True)
    description = description()
    weeks = _weeks(required=True)
    price = price(required=True)
    currency = currency()
    active = fields.Boolean()


ProgrammeChangeBody = all_optional(ProgrammeBody, "ProgrammeChangeBody", "Only the fields sent are changed.")


class ProgrammeSchema(PublicProgrammeSchema):
    active = fields.Boolean(required=True)
    subscriber_count = fields.Integer(required=True, metadata={"description": "Active and paused subscriptions"})


class ProgrammeResponse(Schema):
    programme = fields.Nested(ProgrammeSchema, required=True)


class ProgrammeListResponse(Schema):
    programmes = fields.List(fields.Nested(ProgrammeSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


# -- invite codes -----------------------------------------------------------------------------------

def _max_uses() -> fields.Integer:
    return fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, model.MAX_USES),
                          metadata={"description": "null: unlimited"})


class InviteCodeBody(Schema):
    code = fields.String(validate=validate.Length(max=100), metadata={
        "description": "3 to 40 letters, digits, '-' or '_' (case-insensitive); generated when absent",
        "example": "COACH-MIKE-2026"})
    expires_at = in_future()
    max_uses = _max_uses()

    @validates_schema
    def _code(self, data: dict[str, Any], **_: Any) -> None:
        code = data.get("code")
        if code is not None and not model.is_invite_code(model.normalise_code(code)):
            raise ValidationError("3 to 40 letters, digits, '-' or '_', starting with a letter or digit.", "code")


class InviteCodeChangeBody(Schema):
    """Only the fields sent are changed; the code itself stays."""

    expires_at = in_future()
    max_uses = _max_uses()
    active = fields.Boolean()


class InviteCodeSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    expires_at = fields.DateTime(allow_none=True)
    max_uses = fields.Integer(allow_none=True)
    uses = fields.Integer(required=True)
    active = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)


class InviteCodeResponse(Schema):
    invite_code = fields.Nested(InviteCodeSchema, required=True)


class InviteCodeListResponse(Schema):
    invite_codes = fields.List(fields.Nested(InviteCodeSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)
