"""Request and response bodies of the partner admin API: trainers, vouchers, overview."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import fields, post_load, validate
from stvos_shared.api import Email, Schema
from stvos_shared.pagination import PageArgs, PaginationSchema

from ..domain.rules import is_timezone, is_voucher_code, normalise_code
from .schemas import not_blank

_NAME = [validate.Length(max=120), not_blank]


def _specialisations(**kwargs: Any) -> fields.List:
    item = fields.String(validate=[validate.Length(max=50), not_blank])
    return fields.List(item, validate=validate.Length(max=20), **kwargs)


def iana_timezone(value: str) -> None:
    if not is_timezone(value):
        raise validate.ValidationError("Not a known IANA timezone (e.g. Europe/London).")


def voucher_code(value: str) -> None:
    if not is_voucher_code(normalise_code(value)):
        raise validate.ValidationError("3 to 40 letters, digits, '-' or '_', starting with a letter or digit.")


def in_future(value: datetime) -> None:
    if value <= datetime.now(UTC):
        raise validate.ValidationError("Must be in the future.")


class _TrainerFields(Schema):
    @post_load
    def _tidy(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "name" in data:
            data["name"] = data["name"].strip()
        if "specialisations" in data:
            data["specialisations"] = list(dict.fromkeys(item.strip() for item in data["specialisations"]))
        return data


class TrainerCreateSchema(_TrainerFields):
    name = fields.String(required=True, validate=_NAME)
    email = Email(required=True)
    bio = fields.String(allow_none=True, validate=validate.Length(max=2000))
    image = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=500))
    specialisations = _specialisations(load_default=list)
    timezone = fields.String(load_default="UTC", validate=iana_timezone, metadata={"example": "Europe/London"})


class TrainerUpdateSchema(_TrainerFields):
    """Only the fields sent are changed."""

    name = fields.String(validate=_NAME)
    email = Email()
    bio = fields.String(allow_none=True, validate=validate.Length(max=2000))
    image = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=500))
    specialisations = _specialisations()
    timezone = fields.String(validate=iana_timezone, metadata={"example": "Europe/London"})


class TrainerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    bio = fields.String(allow_none=True)
    image = fields.String(allow_none=True)
    specialisations = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True)
    active = fields.Boolean(required=True)


class TrainerResponseSchema(Schema):
    trainer = fields.Nested(TrainerSchema, required=True)


class TrainerListArgs(PageArgs):
    active = fields.Boolean()
    search = fields.String(validate=validate.Length(max=100))


class TrainerListSchema(Schema):
    trainers = fields.List(fields.Nested(TrainerSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class VoucherCreateSchema(Schema):
    code = fields.String(validate=voucher_code, metadata={"description": "Generated when absent; case-insensitive"})
    max_redemptions = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000_000),
                                     metadata={"description": "Absent or null: unlimited"})
    expires_at = fields.AwareDateTime(allow_none=True, default_timezone=UTC, validate=in_future,
                                      metadata={"description": "ISO-8601; without an offset it is UTC"})


class VoucherSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    max_redemptions = fields.Integer(allow_none=True)
    redemptions = fields.Integer(required=True)
    expires_at = fields.DateTime(allow_none=True)


class VoucherResponseSchema(Schema):
    voucher = fields.Nested(VoucherSchema, required=True)


class VoucherListSchema(Schema):
    vouchers = fields.List(fields.Nested(VoucherSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class RedemptionSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    user_id = fields.Integer(allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["reserved", "confirmed", "released"]})
    created_at = fields.DateTime(required=True)
    confirmed_at = fields.DateTime(allow_none=True)


class RedemptionListSchema(Schema):
    redemptions = fields.List(fields.Nested(RedemptionSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class OverviewSchema(Schema):
    users_registered_with_vouchers = fields.Integer(required=True)
    trainers = fields.Integer(required=True)
    active_trainers = fields.Integer(required=True)
    registered_trainer_accounts = fields.Integer(required=True)
