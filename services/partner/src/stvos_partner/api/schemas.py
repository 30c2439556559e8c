"""Request and response bodies of partner auth, staff and voucher validation (camelCase on the wire)."""
from __future__ import annotations

from marshmallow import fields, validate
from stvos_shared.api import Email, Schema
from stvos_shared.pagination import PaginationSchema
from stvos_shared.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

from ..domain.rules import ROLES


def not_blank(value: str) -> None:
    if not value.strip():
        raise validate.ValidationError("Must not be blank.")


class LoginSchema(Schema):
    email = Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class RefreshSchema(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class ClientRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class StaffSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(allow_none=True)
    role = fields.String(required=True, metadata={"enum": list(ROLES)})
    client_id = fields.Integer(required=True)


class StaffWithClientSchema(StaffSchema):
    client = fields.Nested(ClientRefSchema, required=True)


class LoginResponseSchema(Schema):
    staff = fields.Nested(StaffSchema, required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)


class RefreshResponseSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True, metadata={"description": "The next refresh token (rotation)"})


class CurrentStaffSchema(Schema):
    staff = fields.Nested(StaffWithClientSchema, required=True)


class StaffCreateSchema(Schema):
    email = Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH))
    name = fields.String(allow_none=True, validate=[validate.Length(max=120), not_blank])
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class StaffResponseSchema(Schema):
    staff = fields.Nested(StaffSchema, required=True)


class StaffListSchema(Schema):
    staff = fields.List(fields.Nested(StaffSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


# A code of any shape is well-formed here: one that cannot exist is simply NOT_FOUND.
_LOOKUP_CODE = [validate.Length(min=1, max=200), not_blank]


class VoucherCodeSchema(Schema):
    code = fields.String(required=True, validate=_LOOKUP_CODE)


class PartnerRefSchema(Schema):
    name = fields.String(required=True)
    client_id = fields.Integer(required=True)


class VoucherValidationSchema(Schema):
    valid = fields.Boolean(required=True)
    partner = fields.Nested(PartnerRefSchema, metadata={"description": "Present when valid"})
    reason = fields.String(metadata={"enum": ["NOT_FOUND", "EXPIRED", "EXHAUSTED"],
                                     "description": "Present when not valid"})


class RedeemSchema(Schema):
    code = fields.String(required=True, validate=_LOOKUP_CODE)
    email = Email(required=True, metadata={"description": "The registering user's email"})


class RedemptionReservedSchema(Schema):
    id = fields.Integer(required=True)
    voucher_id = fields.Integer(required=True)
    code = fields.String(required=True)
    partner = fields.Nested(PartnerRefSchema, required=True)


class RedeemResponseSchema(Schema):
    redemption = fields.Nested(RedemptionReservedSchema, required=True)


