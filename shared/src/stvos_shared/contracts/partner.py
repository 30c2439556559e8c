"""Events the partner service publishes."""
from __future__ import annotations

from marshmallow import fields, validate

from ..schema import Schema
from .base import contract, flag, id_field, optional_text, text


@contract("partner.trainer.created", "partner.trainer.updated", "partner.trainer.deactivated")
class TrainerRecord(Schema):
    """The whole trainer record as a partner admin keeps it, after the change."""

    trainer_id = id_field()
    name = text()
    email = text()
    bio = optional_text()
    image = optional_text()
    specialisations = fields.List(fields.String(), required=True)
    timezone = text()
    active = flag()


@contract("partner.voucher.redeemed")
class VoucherRedeemed(Schema):
    voucher_id = id_field()
    code = text()
    redemption_id = id_field()
    user_id = id_field()


@contract("partner.trainer.invitation_issued")
class InvitationIssued(Schema):
    """A one-time code that claims the trainer's account, shown once to the admin; only its SHA-256 travels."""

    trainer_id = id_field()
    code_sha256 = text()
    expires_at = fields.AwareDateTime(required=True, format="iso")


@contract("partner.registration_policy.updated")
class RegistrationPolicy(Schema):
    """How the tenant's trainers may claim their accounts: "open" (the spec's flow) or "invitation"."""

    trainer_registration = fields.String(required=True, validate=validate.OneOf(["open", "invitation"]))
