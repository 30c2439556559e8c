"""What the identity service tells the others (payload contracts: stvos_shared.contracts.auth)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stvos_shared.domain import DomainEvent


@dataclass(frozen=True)
class ClientCreated(DomainEvent):
    TYPE = "auth.client.created"
    client_id: int
    name: str
    branding: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VoucherUse:
    code: str
    redemption_id: int


@dataclass(frozen=True)
class InviteUse:
    code: str
    redemption_id: int


@dataclass(frozen=True)
class UserRegistered(DomainEvent):
    TYPE = "auth.user.registered"
    user_id: int
    email: str
    name: str | None
    role: str
    coach_id: int | None
    session_id: str | None
    voucher: VoucherUse | None
    invite: InviteUse | None = None


@dataclass(frozen=True)
class TrainerAccountRegistered(DomainEvent):
    TYPE = "auth.trainer_account.registered"
    user_id: int
    trainer_id: int
    email: str
    claimed_from: str | None
