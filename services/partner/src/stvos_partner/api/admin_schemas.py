"""Request and response bodies of the partner admin API: trainers, vouchers, overview."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import fields, post_load, validate
from stvos_shared.api import Email, Schema, all_optional
from stvos_shared.pagination import PageQuery, PaginationSchema

from ..domain.model import REGISTRATION_MODES, is_timezone, is_voucher_code, normalise_code
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


class TrainerBody(_TrainerFields):
    name = fields.String(required=True, validate=_NAME)
    email = Email(required=True)
    bio = fields.String(allow_none=True, validate=validate.Length(max=2000))
    image = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=500))
    specialisations = _specialisations(load_default=list)
    timezone = fields.String(load_default="UTC", validate=iana_timezone, metadata={"example": "Europe/London"})


TrainerUpdateBody = all_optional(TrainerBody, "TrainerUpdateBody", "Only the fields sent are changed.")


class AccountClaim(Schema):
    user_id = fields.Integer(required=True)
    claimed_at = fields.DateTime(allow_none=True)
    claimed_from = fields.String(allow_none=True, metadata={"description": "The client address it was claimed from"})


class Trainer(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    bio = fields.String(allow_none=True)
    image = fields.String(allow_none=True)
    specialisations = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True)
    active = fields.Boolean(required=True)
    account = fields.Nested(AccountClaim, allow_none=True, metadata={"description": "null until claimed"})
    invitation_expires_at = fields.DateTime(allow_none=True, metadata={"description": "Of the latest invitation"})


class TrainerResponse(Schema):
    trainer = fields.Nested(Trainer, required=True)


class Invitation(Schema):
    code = fields.String(required=True, metadata={"description": "One-time; shown only in this answer"})
    expires_at = fields.DateTime(required=True)


class TrainerCreatedResponse(TrainerResponse):
    invitation = fields.Nested(Invitation, required=True)


class InvitationResponse(Schema):
    invitation = fields.Nested(Invitation, required=True)


class RegistrationSettings(Schema):
    trainer_registration = fields.String(required=True, validate=validate.OneOf(REGISTRATION_MODES), metadata={
        "description": "open: a trainer claims the account with the tenant's app key and their email (the "
                       "spec's flow); invitation: also with the one-time code the admin was given"})


class SettingsResponse(Schema):
    settings = fields.Nested(RegistrationSettings, required=True)


class TrainerListQuery(PageQuery):
    active = fields.Boolean()
    search = fields.String(validate=validate.Length(max=100))


class TrainerListResponse(Schema):
    trainers = fields.List(fields.Nested(Trainer), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class VoucherBody(Schema):
    code = fields.String(validate=voucher_code, metadata={"description": "Generated when absent; case-insensitive"})
    max_redemptions = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000_000),
                                     metadata={"description": "Absent or null: unlimited"})
    expires_at = fields.AwareDateTime(allow_none=True, default_timezone=UTC, validate=in_future,
                                      metadata={"description": "ISO-8601; without an offset it is UTC"})


class Voucher(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    max_redemptions = fields.Integer(allow_none=True)
    redemptions = fields.Integer(required=True)
    expires_at = fields.DateTime(allow_none=True)


class VoucherResponse(Schema):
    voucher = fields.Nested(Voucher, required=True)


class VoucherListResponse(Schema):
    vouchers = fields.List(fields.Nested(Voucher), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class Redemption(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    user_id = fields.Integer(allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["reserved", "confirmed", "released"]})
    created_at = fields.DateTime(required=True)
    confirmed_at = fields.DateTime(allow_none=True)


class RedemptionListResponse(Schema):
    redemptions = fields.List(fields.Nested(Redemption), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class OverviewResponse(Schema):
    users_registered_with_vouchers = fields.Integer(required=True)
    trainers = fields.Integer(required=True)
    active_trainers = fields.Integer(required=True)
    registered_trainer_accounts = fields.Integer(required=True)
