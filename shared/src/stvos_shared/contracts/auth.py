"""Events the identity service publishes."""
from __future__ import annotations

from marshmallow import fields

from ..schema import Schema
from .base import contract, id_field, optional_id, optional_text, text


@contract("auth.client.created")
class ClientCreated(Schema):
    client_id = id_field()
    name = text()
    branding = fields.Dict(required=True)


class VoucherUse(Schema):
    code = text()
    redemption_id = id_field()


class InviteUse(Schema):
    """The invite code use (reserved in the catalog) a registration took; the catalog confirms it."""

    code = text()
    redemption_id = id_field()


@contract("auth.user.registered")
class UserRegistered(Schema):
    """A user account was created; `coach_id` links it to a trainer (who counts it as a client).

    `invite` (optional: events written before it existed have none) is the invite code use it took.
    """

    user_id = id_field()
    email = text()
    name = optional_text()
    role = text()
    coach_id = optional_id()
    session_id = optional_text()
    voucher = fields.Nested(VoucherUse, required=True, allow_none=True)
    invite = fields.Nested(InviteUse, allow_none=True, load_default=None)


@contract("auth.trainer_account.registered")
class TrainerAccountRegistered(Schema):
    """A trainer claimed the account of their trainer record, from `claimed_from` (the client address)."""

    user_id = id_field()
    trainer_id = id_field()
    email = text()
    claimed_from = optional_text()
