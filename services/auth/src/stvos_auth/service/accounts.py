"""Client user accounts: register (with an optional voucher), log in, who am I."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.errors import TokenInvalid, invalid_fields
from stvos_shared.security import Principal

from ..adapters import repository
from ..adapters.partner import Redemption
from ..domain.events import UserRegistered, VoucherUse
from .errors import ApiKeyInvalid, EmailTaken
from .sessions import Subject

if TYPE_CHECKING:
    from ..bootstrap import AuthContainer

USER_FIELDS = ("name", "profile", "settings", "coach_id", "session_id")


def user_view(user: Row) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role}


def require_client(session: Session, client_id: int) -> Row:
    client = repository.get_client(session, client_id)
    if client is None:
        raise ApiKeyInvalid()
    return client


def register_user(c: AuthContainer, client_id: int, args: dict[str, Any], ip: str) -> dict[str, Any]:
    """Validate, check the email is free, redeem the voucher, then create the user and its first session."""
    c.guard.throttle_ip(ip)
    email = args["email"]
    with c.db.unit_of_work(write=False) as session:
        require_client(session, client_id)
        if repository.email_taken(session, client_id, email):
            raise EmailTaken()
        if args.get("coach_id") is not None:
            _require_coach(session, client_id, args["coach_id"])
    password_hash = c.passwords.hash(args["password"])
    code = args.get("voucher_code")
    redemption = c.vouchers.redeem(client_id, code, email) if code else None
    with _released_on_failure(c, client_id, redemption), c.db.unit_of_work() as session:
        values = {key: args.get(key) for key in USER_FIELDS}
        values.update(profile=args.get("profile") or {}, settings=args.get("settings") or {})
        user_id = repository.insert_user(session, client_id, {
            "email": email, "password_hash": password_hash, "role": "user", "trainer_id": None, **values})
        c.outbox.add(session, UserRegistered(
            user_id, email, values["name"], "user", values["coach_id"], values["session_id"],
            VoucherUse(redemption.code, redemption.id) if redemption else None), client_id)
        grant = c.sessions.start(session, Subject(user_id, client_id, "user", None))
        user = repository.user_by_id(session, client_id, user_id)
    pair = c.sessions.sign(grant)
    return {"user": user_view(user), "access_token": pair.access_token, "refresh_token": pair.refresh_token}


def login_user(c: AuthContainer, client_id: int, email: str, password: str, ip: str) -> dict[str, Any]:
    """Email and password in, tokens and the client out; one 401 for every kind of failure."""
    c.guard.throttle_login(ip, client_id, email)
    with c.db.unit_of_work(write=False) as session:
        client = require_client(session, client_id)
        user = repository.user_by_email(session, client_id, email)
    c.guard.authenticate(user, password)
    result = signed_in(c, user, password)
    result["client"] = {"id": client.id, "name": client.name, "branding": client.branding or {}}
    return result


def signed_in(c: AuthContainer, user: Row, password: str) -> dict[str, Any]:
    """After a good password: reset the failure count, upgrade the hash if the cost rose, start a session."""
    new_hash = c.passwords.hash(password) if c.passwords.needs_rehash(user.password_hash) else None
    with c.db.unit_of_work() as session:
        repository.record_successful_login(session, user.id, new_hash)
        grant = c.sessions.start(session, Subject.of(user))
    pair = c.sessions.sign(grant)
    return {"user": user_view(user), "access_token": pair.access_token, "refresh_token": pair.refresh_token}


def me(c: AuthContainer, principal: Principal) -> dict[str, Any]:
    """The caller's account with profile and settings, and their client."""
    with c.db.unit_of_work(write=False) as session:
        user = repository.user_with_client_name(session, principal.client_id, principal.user_id)
    if user is None:
        raise TokenInvalid("The account of this token no longer exists.")
    view = user_view(user)
    view.update(profile=user.profile or {}, settings=user.settings or {}, coach_id=user.coach_id,
                session_id=user.session_id)
    return {"user": view, "client": {"id": user.client_id, "name": user.client_name}}


def _require_coach(session: Session, client_id: int, coach_id: int) -> None:
    record = repository.trainer_record(session, client_id, coach_id)
    if record is None or not record.active:
        raise invalid_fields(coachId="No active trainer with this id exists for this client.")


@contextmanager
def _released_on_failure(c: AuthContainer, client_id: int, redemption: Redemption | None) -> Iterator[None]:
    """If the user cannot be created after the voucher was redeemed, give the redemption back."""
    try:
        yield
    except BaseException as error:
        if redemption is not None:
            c.vouchers.release(client_id, redemption.id)
        if isinstance(error, IntegrityError):
            raise EmailTaken() from error
        raise
