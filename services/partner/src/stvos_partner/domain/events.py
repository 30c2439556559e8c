"""What the partner service tells the others (payload contracts: stvos_shared.contracts.partner)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stvos_shared.domain import DomainEvent


@dataclass(frozen=True)
class TrainerRecordChanged(DomainEvent):
    """The whole record after the change; TYPE says which change (see the three subclasses)."""

    trainer_id: int
    name: str
    email: str
    bio: str | None
    image: str | None
    specialisations: tuple[str, ...]
    timezone: str
    active: bool


class TrainerCreated(TrainerRecordChanged):
    TYPE = "partner.trainer.created"


class TrainerUpdated(TrainerRecordChanged):
    TYPE = "partner.trainer.updated"


class TrainerDeactivated(TrainerRecordChanged):
    TYPE = "partner.trainer.deactivated"


@dataclass(frozen=True)
class VoucherRedeemed(DomainEvent):
    TYPE = "partner.voucher.redeemed"
    voucher_id: int
    code: str
    redemption_id: int
    user_id: int


@dataclass(frozen=True)
class InvitationIssued(DomainEvent):
    TYPE = "partner.trainer.invitation_issued"
    trainer_id: int
    code_sha256: str
    expires_at: datetime


@dataclass(frozen=True)
class RegistrationPolicyUpdated(DomainEvent):
    TYPE = "partner.registration_policy.updated"
    trainer_registration: str
