"""Request and response bodies of the identity API (camelCase on the wire via the shared Schema)."""
from __future__ import annotations

from marshmallow import fields, validate
from stvos_shared.api import Email, Id, Schema
from stvos_shared.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


def new_password() -> fields.String:
    return fields.String(required=True, validate=validate.Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH),
                         metadata={"description": f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters"})


def login_password() -> fields.String:
    return fields.String(required=True, validate=validate.Length(1, PASSWORD_MAX_LENGTH))


# Requests

class RegisterArgs(Schema):
    email = Email(required=True)
    password = new_password()
    name = fields.String(validate=validate.Length(1, 120))
    voucher_code = fields.String(validate=validate.Length(1, 64))
    session_id = fields.String(validate=validate.Length(1, 200))
    coach_id = Id(strict=True, metadata={"description": "A trainer of the same client"})
    profile = fields.Dict(keys=fields.String())
    settings = fields.Dict(keys=fields.String())


class LoginArgs(Schema):
    email = Email(required=True)
    password = login_password()


class RefreshArgs(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(1, 4096))


class LogoutArgs(Schema):
    refresh_token = fields.String(validate=validate.Length(1, 4096),
                                  metadata={"description": "Ends this token's session on the server too"})


class TrainerEmailArgs(Schema):
    email = Email(required=True)
    client_id = Id(strict=True, metadata={"description": "With the master trainer key: which client"})


class TrainerRegisterArgs(TrainerEmailArgs):
    password = new_password()


class TrainerLoginArgs(TrainerEmailArgs):
    password = login_password()


# Responses

class UserSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(allow_none=True)
    role = fields.String(required=True, metadata={"enum": ["user", "trainer"]})


class TokensSchema(Schema):
    user = fields.Nested(UserSchema, required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)


class ClientSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    branding = fields.Dict(required=True)


class LoginSchema(TokensSchema):
    client = fields.Nested(ClientSchema, required=True)


class RefreshSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True, metadata={"description": "The successor; the one sent is used up"})


class MeUserSchema(UserSchema):
    profile = fields.Dict(required=True)
    settings = fields.Dict(required=True)
    coach_id = fields.Integer(allow_none=True)
    session_id = fields.String(allow_none=True)


class ClientRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class MeSchema(Schema):
    user = fields.Nested(MeUserSchema, required=True)
    client = fields.Nested(ClientRefSchema, required=True)


class TrainerRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class CheckEmailSchema(Schema):
    exists = fields.Boolean(required=True, metadata={"description": "An account exists for this trainer"})
    can_register = fields.Boolean(required=True)
    trainer = fields.Nested(TrainerRefSchema, allow_none=True,
                            metadata={"description": "null when no trainer record has this email"})


class TrainerSchema(TrainerRefSchema):
    specialisations = fields.List(fields.String(), required=True)


class TrainerLoginSchema(Schema):
    user = fields.Nested(UserSchema, required=True)
    trainer = fields.Nested(TrainerSchema, required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
