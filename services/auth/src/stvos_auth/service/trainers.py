"""Trainer accounts: who may claim one (records an admin created), registration, login, and an admin's reset.

`tenant` is the API key's client, or None with the master trainer key: then the trainer is found by email
across clients (narrowed by the body's clientId); an email known in several clients without clientId
answers 409 AMBIGUOUS_TENANT.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.credentials.login import LoginGuard
from stvos_shared.credentials.refresh import RefreshFamilies
from stvos_shared.db import UnitOfWork, utcnow
from stvos_shared.errors import InvalidCredentials
from stvos_shared.passwords import Passwords

from ..adapters.orm import TrainerRecord, User
from ..adapters.repository import Repositories
from ..domain.commands import LogIn, RegisterTrainer
from ..domain.errors import AmbiguousTenant, EmailTaken, TrainerInactive, TrainerNotFound
from ..domain.events import TrainerAccountRegistered
from ..domain.model import check_invitation
from .accounts import account_key
from .signin import SignIn, record_of, tokens_view, user_view


class TrainerAccounts:
    def __init__(self, uow: UnitOfWork[Repositories], guard: LoginGuard, passwords: Passwords, signin: SignIn,
                 families: RefreshFamilies, clock: Callable[[], datetime] = utcnow) -> None:
        self._uow, self._guard, self._passwords = uow, guard, passwords
        self._signin, self._families, self._clock = signin, families, clock

    def check_email(self, tenant: int | None, email: str, address: str) -> dict[str, Any]:
        """exists: an account exists; canRegister: an active record and no account yet."""
        self._guard.throttle_address(address)  # it tells whether an email is a trainer's: no bulk probing
        with self._uow(write=False) as repos:
            record = _record(repos, email, tenant)
            if record is None:
                return {"exists": False, "can_register": False, "trainer": None}
            exists = _account_exists(repos, record)
        return {"exists": exists, "can_register": bool(record.active) and not exists,
                "trainer": {"id": record.trainer_id, "name": record.name}}

    def register(self, c: RegisterTrainer) -> dict[str, Any]:
        """Create the account of a trainer record an admin created (with its invitation code where required)."""
        self._guard.throttle_address(c.address)
        with self._uow(write=False) as repos:
            record = _record(repos, c.email, c.tenant)
            if record is None:
                raise TrainerNotFound()
            if not record.active:
                raise TrainerInactive()
            if _account_exists(repos, record):
                raise EmailTaken()
            check_invitation(repos.policies.mode(record.client_id), record, c.invitation_code, self._clock())
        password_hash = self._passwords.hash(c.password)
        with self._uow() as repos:
            user = repos.users.add(record.client_id, email=c.email, password_hash=password_hash, name=record.name,
                                   role="trainer", trainer_id=record.trainer_id, profile={}, settings={})
            claimed = repos.trainers.get(record.client_id, record.trainer_id)
            claimed.invitation_sha256 = None  # the invitation is used up
            repos.outbox.add(TrainerAccountRegistered(user.id, record.trainer_id, c.email, c.address),
                             record.client_id)
            grant = repos.sessions.start(user, claimed)
            view = user_view(user)
        return {"user": view, **tokens_view(self._families.sign(grant))}

    def log_in(self, c: LogIn) -> dict[str, Any]:
        """Like a user login, for trainer accounts only, with the trainer's record in the answer."""
        with self._uow(write=False) as repos:
            user = _trainer_account(repos, c.email, c.tenant)
            record = record_of(repos, user)
        if not self._guard.verify(account_key(c.tenant, c.email), c.address,
                                  user.password_hash if user else None, c.password):
            raise InvalidCredentials()
        result = self._signin.tokens_for(user, c.password, record)
        return {**result, "trainer": {"id": record.trainer_id, "name": record.name,
                                      "specialisations": list(record.specialisations or [])}}

    def reset(self, client_id: int, trainer_id: int) -> dict[str, Any]:
        """A partner admin's reset: the trainer's account and every session of it are gone; the record may be
        claimed again (with a new invitation where the tenant requires one). 404 when no account exists."""
        with self._uow() as repos:
            user = repos.users.trainer_account(client_id, trainer_id)
            if user is None:
                raise TrainerNotFound("This trainer has no account to reset.")
            repos.sessions.end_all(user.id, "reset")
            repos.users.delete(user)
        return {"reset": True, "user_id": user.id}


def _record(repos: Repositories, email: str, tenant: int | None) -> TrainerRecord | None:
    """The trainer record for this email in one client (active ones first)."""
    records = repos.trainers.by_email(email, tenant)
    _require_one_client(repos, {record.client_id for record in records})
    return next(iter(sorted(records, key=lambda record: not record.active)), None)


def _trainer_account(repos: Repositories, email: str, tenant: int | None) -> User | None:
    if tenant is not None:
        user = repos.users.by_email(tenant, email)
        return user if user is not None and user.role == "trainer" else None
    accounts = repos.users.trainer_accounts_by_email(email)
    _require_one_client(repos, {account.client_id for account in accounts})
    return accounts[0] if accounts else None


def _require_one_client(repos: Repositories, client_ids: set[int]) -> None:
    if len(client_ids) > 1:
        clients = repos.clients.names(sorted(client_ids))
        raise AmbiguousTenant(details={"clients": [{"id": row.id, "name": row.name} for row in clients]})


def _account_exists(repos: Repositories, record: TrainerRecord) -> bool:
    return repos.users.email_taken(record.client_id, record.email) or \
        repos.users.trainer_account(record.client_id, record.trainer_id) is not None
