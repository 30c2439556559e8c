"""Trainer records: created and maintained by partner admins, announced to the other services; their accounts'
invitations, claims and resets; and how the tenant's trainers may claim accounts at all."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork, utcnow

from ..adapters.auth import TrainerAccounts
from ..adapters.orm import Trainer, TrainerAccount
from ..adapters.repository import Repositories
from ..domain.errors import EmailTaken, TrainerNotFound
from ..domain.events import (
    InvitationIssued,
    RegistrationPolicyUpdated,
    TrainerCreated,
    TrainerDeactivated,
    TrainerRecordChanged,
    TrainerUpdated,
)
from ..domain.model import new_invitation
from .tenants import ensure_partner


def trainer_view(trainer: Trainer, account: TrainerAccount | None = None) -> dict[str, Any]:
    claimed = {"user_id": account.user_id, "claimed_at": account.claimed_at,
               "claimed_from": account.claimed_from} if account is not None else None
    return {"id": trainer.id, "name": trainer.name, "email": trainer.email, "bio": trainer.bio,
            "image": trainer.image, "specialisations": list(trainer.specialisations or []),
            "timezone": trainer.timezone, "active": trainer.active, "account": claimed,
            "invitation_expires_at": trainer.invitation_expires_at}


def trainer_event(kind: type[TrainerRecordChanged], trainer: Trainer) -> TrainerRecordChanged:
    """partner.trainer.created/updated/deactivated: the whole record after the change."""
    return kind(trainer.id, trainer.name, trainer.email, trainer.bio, trainer.image,
                tuple(trainer.specialisations or ()), trainer.timezone, trainer.active)


class Trainers:
    def __init__(self, uow: UnitOfWork[Repositories], accounts: TrainerAccounts,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._uow, self._accounts, self._clock = uow, accounts, clock

    def create(self, client_id: int, fields: dict[str, Any]) -> dict[str, Any]:
        """A new, active trainer record and its first invitation (the code is shown here only)."""
        with self._uow() as repos:
            if repos.trainers.email_taken(client_id, fields["email"]):
                raise EmailTaken("A trainer with this email already exists.")
            trainer = repos.trainers.add(Trainer(client_id=client_id, active=True, **fields))
            repos.outbox.add(trainer_event(TrainerCreated, trainer), client_id)
            invitation = self._invite(repos, trainer)
            return {"trainer": trainer_view(trainer), "invitation": invitation}

    def list(self, client_id: int, page: int, limit: int, active: bool | None = None,
             search: str | None = None) -> dict[str, Any]:
        with self._uow(write=False) as repos:
            items, block = repos.trainers.page(client_id, page, limit, active, search)
            accounts = repos.trainers.accounts(client_id, [trainer.id for trainer in items])
            return {"trainers": [trainer_view(t, accounts.get(t.id)) for t in items], "pagination": block}

    def get(self, client_id: int, trainer_id: int) -> dict[str, Any]:
        with self._uow(write=False) as repos:
            trainer = _get(repos, client_id, trainer_id)
            return {"trainer": trainer_view(trainer, repos.trainers.account(client_id, trainer_id))}

    def update(self, client_id: int, trainer_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Change the given fields; partner.trainer.updated goes out when something changed."""
        with self._uow() as repos:
            trainer = _get(repos, client_id, trainer_id)
            if "email" in changes and repos.trainers.email_taken(client_id, changes["email"], trainer.id):
                raise EmailTaken("A trainer with this email already exists.")
            changed = {name: value for name, value in changes.items() if getattr(trainer, name) != value}
            for name, value in changed.items():
                setattr(trainer, name, value)
            if changed:
                repos.trainers.flush()
                repos.outbox.add(trainer_event(TrainerUpdated, trainer), client_id)
            return {"trainer": trainer_view(trainer, repos.trainers.account(client_id, trainer_id))}

    def deactivate(self, client_id: int, trainer_id: int) -> dict[str, Any]:
        """Mark the trainer inactive (idempotent); partner.trainer.deactivated goes out the first time."""
        with self._uow() as repos:
            trainer = _get(repos, client_id, trainer_id)
            if trainer.active:
                trainer.active = False
                repos.trainers.flush()
                repos.outbox.add(trainer_event(TrainerDeactivated, trainer), client_id)
            return {"trainer": trainer_view(trainer, repos.trainers.account(client_id, trainer_id))}

    def reissue_invitation(self, client_id: int, trainer_id: int) -> dict[str, Any]:
        """A new one-time invitation code for the trainer; the previous one stops working."""
        with self._uow() as repos:
            return {"invitation": self._invite(repos, _get(repos, client_id, trainer_id))}

    def reset_account(self, client_id: int, trainer_id: int) -> dict[str, Any]:
        """Remove the trainer's account at auth (every session ends); the record may be claimed again."""
        with self._uow(write=False) as repos:
            _get(repos, client_id, trainer_id)
        self._accounts.reset(client_id, trainer_id)
        with self._uow() as repos:
            account = repos.trainers.account(client_id, trainer_id)
            if account is not None:
                repos.trainers.forget_account(account)
            return {"trainer": trainer_view(_get(repos, client_id, trainer_id))}

    def registration_policy(self, client_id: int) -> dict[str, Any]:
        with self._uow(write=False) as repos:
            partner = repos.tenants.partner(client_id)
        return {"settings": {"trainer_registration": partner.trainer_registration if partner else "open"}}

    def set_registration_policy(self, client_id: int, mode: str) -> dict[str, Any]:
        """How the tenant's trainers claim their accounts; announced to auth, which enforces it."""
        with self._uow() as repos:
            partner = ensure_partner(repos, client_id)
            if partner.trainer_registration != mode:
                partner.trainer_registration = mode
                repos.outbox.add(RegistrationPolicyUpdated(mode), client_id)
        return {"settings": {"trainer_registration": mode}}

    def _invite(self, repos: Repositories, trainer: Trainer) -> dict[str, Any]:
        code, digest, expires_at = new_invitation(self._clock())
        trainer.invitation_expires_at = expires_at
        repos.outbox.add(InvitationIssued(trainer.id, digest, expires_at), trainer.client_id)
        return {"code": code, "expires_at": expires_at}


def _get(repos: Repositories, client_id: int, trainer_id: int) -> Trainer:
    trainer = repos.trainers.get(client_id, trainer_id)
    if trainer is None:
        raise TrainerNotFound()
    return trainer
