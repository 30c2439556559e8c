"""Trainer accounts: who may register (records an admin created), registration and login.

`tenant` is the API key's client, or None with the master trainer key: then the trainer is found
by email across clients (narrowed by the body's clientId), and an email known in several
clients without clientId answers 409 AMBIGUOUS_TENANT.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..adapters import repository
from ..domain.events import TrainerAccountRegistered
from .accounts import signed_in, user_view
from .errors import AmbiguousTenant, EmailTaken, TenantMismatch, TrainerInactive, TrainerNotFound
from .sessions import Subject

if TYPE_CHECKING:
    from ..bootstrap import AuthContainer


def resolve_tenant(key_client_id: int | None, body_client_id: int | None) -> int | None:
    """The API key's client (the body may only repeat it), else the body's clientId, else None."""
    if key_client_id is None:
        return body_client_id
    if body_client_id is not None and body_client_id != key_client_id:
        raise TenantMismatch()
    return key_client_id


def check_email(c: AuthContainer, email: str, tenant: int | None, ip: str) -> dict[str, Any]:
    """exists: an account exists; canRegister: an active record and no account yet."""
    c.guard.throttle_ip(ip)  # it tells whether an email is a trainer's: no bulk probing
    with c.db.unit_of_work(write=False) as session:
        record = _record(session, email, tenant)
        if record is None:
            return {"exists": False, "can_register": False, "trainer": None}
        exists = _account_exists(session, record)
    return {"exists": exists, "can_register": bool(record.active) and not exists,
            "trainer": {"id": record.trainer_id, "name": record.name}}


def register_trainer(c: AuthContainer, email: str, password: str, tenant: int | None, ip: str) -> dict[str, Any]:
    """Create the account of a trainer record an admin created; 409 if one exists already."""
    c.guard.throttle_ip(ip)
    with c.db.unit_of_work(write=False) as session:
        record = _record(session, email, tenant)
        if record is None:
            raise TrainerNotFound()
        if not record.active:
            raise TrainerInactive()
        if _account_exists(session, record):
            raise EmailTaken()
    password_hash = c.passwords.hash(password)
    try:
        with c.db.unit_of_work() as session:
            user_id = repository.insert_user(session, record.client_id, {
                "email": email, "password_hash": password_hash, "name": record.name, "role": "trainer",
                "trainer_id": record.trainer_id, "profile": {}, "settings": {}})
            c.outbox.add(session, TrainerAccountRegistered(user_id, record.trainer_id, email, ip), record.client_id)
            grant = c.sessions.start(session, Subject(user_id, record.client_id, "trainer", record.trainer_id))
            user = repository.user_by_id(session, record.client_id, user_id)
    except IntegrityError as error:
        raise EmailTaken() from error
    pair = c.sessions.sign(grant)
    return {"user": user_view(user), "access_token": pair.access_token, "refresh_token": pair.refresh_token}


def login_trainer(c: AuthContainer, email: str, password: str, tenant: int | None, ip: str) -> dict[str, Any]:
    """Like a user login, for trainer accounts only, with the trainer's record in the answer."""
    c.guard.throttle_login(ip, tenant, email)
    with c.db.unit_of_work(write=False) as session:
        user = _trainer_account(session, email, tenant)
    c.guard.authenticate(user, password)
    result = signed_in(c, user, password)
    with c.db.unit_of_work(write=False) as session:
        record = repository.trainer_record(session, user.client_id, user.trainer_id)
    trainer = {"id": record.trainer_id, "name": record.name, "specialisations": list(record.specialisations or [])}
    return {"user": result["user"], "trainer": trainer, "access_token": result["access_token"],
            "refresh_token": result["refresh_token"]}


def _record(session: Session, email: str, tenant: int | None) -> Row | None:
    """The trainer record for this email in one client (active ones first)."""
    records = repository.trainer_records_by_email(session, email, tenant)
    _require_one_client(session, {record.client_id for record in records})
    return next(iter(sorted(records, key=lambda record: not record.active)), None)


def _trainer_account(session: Session, email: str, tenant: int | None) -> Row | None:
    if tenant is not None:
        user = repository.user_by_email(session, tenant, email)
        return user if user is not None and user.role == "trainer" else None
    accounts = repository.trainer_accounts_by_email(session, email)
    _require_one_client(session, {account.client_id for account in accounts})
    return accounts[0] if accounts else None


def _require_one_client(session: Session, client_ids: set[int]) -> None:
    if len(client_ids) > 1:
        clients = repository.clients_by_ids(session, sorted(client_ids))
        raise AmbiguousTenant(details={"clients": [{"id": row.id, "name": row.name} for row in clients]})


def _account_exists(session: Session, record: Row) -> bool:
    return repository.email_taken(session, record.client_id, record.email) or \
        repository.trainer_account(session, record.client_id, record.trainer_id) is not None
