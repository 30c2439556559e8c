"""Request and response bodies of partner auth, staff and voucher validation (camelCase on the wire)."""
from __future__ import annotations

from marshmallow import fields, validate
from stvos_shared.api import Email, Schema
from stvos_shared.pagination import PaginationSchema
from stvos_shared.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

from ..domain.model import ROLES


def not_blank(value: str) -> None:
    if not value.strip():
        raise validate.ValidationError("Must not be blank.")


class LoginBody(Schema):
    email = Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class RefreshBody(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class ClientRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class Staff(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(allow_none=True)
    role = fields.String(required=True, metadata={"enum": list(ROLES)})
    client_id = fields.Integer(required=True)


class StaffWithClient(Staff):
    client = fields.Nested(ClientRef, required=True)


class LoginResponse(Schema):
    staff = fields.Nested(Staff, required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)


class RefreshResponse(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True, metadata={"description": "The next refresh token (rotation)"})


class CurrentStaffResponse(Schema):
    staff = fields.Nested(StaffWithClient, required=True)


class StaffBody(Schema):
    email = Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH))
    name = fields.String(allow_none=True, validate=[validate.Length(max=120), not_blank])
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class StaffResponse(Schema):
    staff = fields.Nested(Staff, required=True)


class StaffListResponse(Schema):
    staff = fields.List(fields.Nested(Staff), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


# A code of any shape is well-formed here: one that cannot exist is simply NOT_FOUND.
_LOOKUP_CODE = [validate.Length(min=1, max=200), not_blank]


class VoucherCodeBody(Schema):
    code = fields.String(required=True, validate=_LOOKUP_CODE)


class PartnerRef(Schema):
    name = fields.String(required=True)
    client_id = fields.Integer(required=True)


class VoucherValidationResponse(Schema):
    valid = fields.Boolean(required=True)
    partner = fields.Nested(PartnerRef, metadata={"description": "Present when valid"})
    reason = fields.String(metadata={"enum": ["NOT_FOUND", "EXPIRED", "EXHAUSTED"],
                                     "description": "Present when not valid"})


class RedeemBody(Schema):
    code = fields.String(required=True, validate=_LOOKUP_CODE)
    email = Email(required=True, metadata={"description": "The registering user's email"})


class RedemptionReserved(Schema):
    id = fields.Integer(required=True)
    voucher_id = fields.Integer(required=True)
    code = fields.String(required=True)
    partner = fields.Nested(PartnerRef, required=True)


class RedeemResponse(Schema):
    redemption = fields.Nested(RedemptionReserved, required=True)


