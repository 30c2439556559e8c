"""Request bodies (…Body) and responses (…Response) of the identity API; camelCase on the wire via the shared Schema."""
from __future__ import annotations

from marshmallow import fields, validate
from stvos_shared.api import Email, Id, Schema
from stvos_shared.fast_dump import FastDump
from stvos_shared.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


def new_password() -> fields.String:
    return fields.String(required=True, validate=validate.Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH),
                         metadata={"description": f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters"})


def login_password() -> fields.String:
    return fields.String(required=True, validate=validate.Length(1, PASSWORD_MAX_LENGTH))


# Requests

class RegisterBody(Schema):
    email = Email(required=True)
    password = new_password()
    name = fields.String(validate=validate.Length(1, 120))
    voucher_code = fields.String(validate=validate.Length(1, 64))
    invite_code = fields.String(validate=validate.Length(1, 100), metadata={
        "description": "A trainer's invite code (POST /invite/check): one use is counted, and its trainer becomes "
                       "the user's coach (coachId, if sent, must be that trainer)"})
    session_id = fields.String(validate=validate.Length(1, 200))
    coach_id = Id(strict=True, metadata={"description": "A trainer of the same client"})
    profile = fields.Dict(keys=fields.String())
    settings = fields.Dict(keys=fields.String())


class LoginBody(Schema):
    email = Email(required=True)
    password = login_password()


class RefreshBody(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(1, 4096))


class LogoutBody(Schema):
    refresh_token = fields.String(validate=validate.Length(1, 4096),
                                  metadata={"description": "Ends this token's session on the server too"})


class TrainerEmailBody(Schema):
    email = Email(required=True)
    client_id = Id(strict=True, metadata={"description": "With the master trainer key: which client"})


class TrainerRegisterBody(TrainerEmailBody):
    password = new_password()
    invitation_code = fields.String(validate=validate.Length(1, 64), metadata={
        "description": "The one-time code the partner admin was given; required where the client asks for it"})


class TrainerLoginBody(TrainerEmailBody):
    password = login_password()


# Responses

class User(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(allow_none=True)
    role = fields.String(required=True, metadata={"enum": ["user", "trainer"]})


class TokensResponse(Schema):
    user = fields.Nested(User, required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)


class Client(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    branding = fields.Dict(required=True)


class LoginResponse(TokensResponse):
    client = fields.Nested(Client, required=True)


class RefreshResponse(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True, metadata={"description": "The successor; the one sent is used up"})


class MeUser(User):
    profile = fields.Dict(required=True)
    settings = fields.Dict(required=True)
    coach_id = fields.Integer(allow_none=True)
    session_id = fields.String(allow_none=True)


class ClientRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class MeResponse(FastDump, Schema):  # the hottest read of auth: a lighter dump, same output
    user = fields.Nested(MeUser, required=True)
    client = fields.Nested(ClientRef, required=True)


class TrainerRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class CheckEmailResponse(Schema):
    exists = fields.Boolean(required=True, metadata={"description": "An account exists for this trainer"})
    can_register = fields.Boolean(required=True)
    trainer = fields.Nested(TrainerRef, allow_none=True,
                            metadata={"description": "null when no trainer record has this email"})


class Trainer(TrainerRef):
    specialisations = fields.List(fields.String(), required=True)


class TrainerLoginResponse(Schema):
    user = fields.Nested(User, required=True)
    trainer = fields.Nested(Trainer, required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)


class AccountResetResponse(Schema):
    reset = fields.Boolean(required=True)
    user_id = fields.Integer(required=True, metadata={"description": "The account that was removed"})
