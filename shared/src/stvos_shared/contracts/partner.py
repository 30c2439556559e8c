"""Events the partner service publishes."""
from __future__ import annotations

from marshmallow import fields

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
