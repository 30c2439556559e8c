"""Partner staff sessions: login with lockout and rate limits, refresh rotation with reuse detection, logout."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, literal, select, update
from sqlalchemy.orm import Session
from stvos_shared.errors import InvalidCredentials, TokenInvalid, Unauthorized
from stvos_shared.ratelimit import Rule
from stvos_shared.tokens import TokenSigner

from ..adapters.orm import RefreshFamily, RefreshToken, Staff, utcnow
from ..domain.rules import is_locked
from .errors import SessionEnded
from .staff import client_name, staff_view

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer


@dataclass(frozen=True)
class StaffPrincipal:
    """The partner staff member behind a request, as the database has them (role and tenant included)."""

    staff_id: int
    role: str
    client_id: int
    family_id: str
    email: str
    name: str | None


def _check_rate(c: PartnerContainer, action: str, ip: str, account: str | None = None) -> None:
    """Attempts at `action` (login, refresh) count per client address and, given one, per account (429)."""
    settings = c.settings
    c.limiter.enforce(Rule(f"{action}-ip", settings.login_ip_limit, settings.login_window_seconds), ip)
    if account is not None:
        c.limiter.enforce(Rule(f"{action}-account", settings.login_account_limit, settings.login_window_seconds),
                          account)


def login(c: PartnerContainer, email: str, password: str, ip: str) -> dict[str, Any]:
    """Tokens for the right password (email normalised by the schema); one 401 for unknown, wrong or locked."""
    _check_rate(c, "login", ip, email)
    with c.db.unit_of_work(write=False) as session:
        staff = session.scalar(select(Staff).where(Staff.email == email))
    if staff is None:
        c.passwords.verify_dummy(password)
        raise InvalidCredentials()
    correct = c.passwords.verify(staff.password_hash, password)
    now = utcnow()
    if is_locked(staff.locked_until, now):
        raise InvalidCredentials()
    if not correct:
        _record_failure(c, staff.id, now)
        raise InvalidCredentials()
    new_hash = c.passwords.hash(password) if c.passwords.needs_rehash(staff.password_hash) else None
    signer = c.keys.signer()
    with c.db.unit_of_work() as session:
        staff = session.get(Staff, staff.id)
        staff.failed_logins, staff.locked_until = 0, None
        if new_hash:
            staff.password_hash = new_hash
        family = RefreshFamily(id=uuid.uuid4().hex, staff_id=staff.id, client_id=staff.client_id,
                               expires_at=now + timedelta(seconds=c.settings.refresh_token_ttl))
        session.add(family)
        tokens = _issue_pair(c, session, signer, staff, family, now)
        return {"staff": staff_view(staff), **tokens}


def _record_failure(c: PartnerContainer, staff_id: int, now: datetime) -> None:
    """Count one failure in a single UPDATE (concurrent failures all count); the threshold-th locks and resets."""
    reached = Staff.failed_logins + 1 >= c.settings.lockout_threshold
    lock_end = literal(now + timedelta(seconds=c.settings.lockout_seconds), Staff.locked_until.type)
    with c.db.unit_of_work() as session:
        session.execute(update(Staff).where(Staff.id == staff_id)
                        .values(failed_logins=case((reached, 0), else_=Staff.failed_logins + 1),
                                locked_until=case((reached, lock_end), else_=Staff.locked_until))
                        .execution_options(synchronize_session=False))


def _issue_pair(c: PartnerContainer, session: Session, signer: TokenSigner, staff: Staff,
                family: RefreshFamily, now: datetime) -> dict[str, str]:
    claims = {"cid": staff.client_id, "role": staff.role, "fam": family.id}
    issued_at = now.timestamp()
    access = signer.issue(str(staff.id), "access", c.settings.access_token_ttl, claims, now=issued_at)
    jti = uuid.uuid4().hex
    remaining = max(1, int((family.expires_at - now).total_seconds()))
    refresh = signer.issue(str(staff.id), "refresh", remaining, claims, jti=jti, now=issued_at)
    session.add(RefreshToken(jti=jti, family_id=family.id))
    return {"access_token": access, "refresh_token": refresh}


def refresh(c: PartnerContainer, token: str, ip: str) -> dict[str, str]:
    """A new access token and the next refresh token; a refresh token used twice ends its whole session."""
    _check_rate(c, "refresh", ip)
    claims = c.verifier.verify(token, "refresh")
    signer = c.keys.signer()
    now = utcnow()
    with c.db.unit_of_work() as session:
        outcome = _rotate(c, session, signer, str(claims["jti"]), now)
    if isinstance(outcome, Unauthorized):
        raise outcome  # raised after the commit, so that a revocation sticks
    return outcome


def _rotate(c: PartnerContainer, session: Session, signer: TokenSigner, jti: str,
            now: datetime) -> dict[str, str] | Unauthorized:
    row = session.get(RefreshToken, jti)
    family = session.get(RefreshFamily, row.family_id) if row else None
    if row is None or family is None or family.revoked_at is not None:
        return SessionEnded()
    if family.expires_at <= now:
        return Unauthorized("The session has expired; log in again.", code="TOKEN_EXPIRED")
    claimed = session.execute(update(RefreshToken).where(RefreshToken.jti == jti, RefreshToken.used_at.is_(None))
                              .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        used_at = session.scalar(select(RefreshToken.used_at).where(RefreshToken.jti == jti))
        if used_at is None or now - used_at > timedelta(seconds=c.settings.refresh_reuse_grace):
            family.revoked_at = now  # a stolen token replayed: end the session for thief and owner alike
        return TokenInvalid("This refresh token has already been used.")
    staff = session.get(Staff, family.staff_id)
    if staff is None:
        return SessionEnded()
    return _issue_pair(c, session, signer, staff, family, now)


def logout(c: PartnerContainer, principal: StaffPrincipal) -> None:
    """End the session: its refresh tokens and its access tokens stop working."""
    with c.db.unit_of_work() as session:
        family = session.get(RefreshFamily, principal.family_id)
        if family is not None and family.revoked_at is None:
            family.revoked_at = utcnow()


def principal_loader(c: PartnerContainer):
    """BearerAuth's principal_from_claims: the staff member, if their session is still open (one query)."""

    def load(claims: dict[str, Any]) -> StaffPrincipal:
        try:
            staff_id, family_id = int(claims["sub"]), str(claims["fam"])
        except (KeyError, TypeError, ValueError) as error:
            raise TokenInvalid("The token is missing required claims.") from error
        query = (select(Staff.id, Staff.role, Staff.client_id, Staff.email, Staff.name)
                 .join(RefreshFamily, RefreshFamily.staff_id == Staff.id)
                 .where(Staff.id == staff_id, RefreshFamily.id == family_id, RefreshFamily.revoked_at.is_(None)))
        with c.db.unit_of_work(write=False) as session:
            row = session.execute(query).first()
        if row is None:
            raise SessionEnded()
        return StaffPrincipal(row.id, row.role, row.client_id, family_id, row.email, row.name)

    return load


def me(c: PartnerContainer, principal: StaffPrincipal) -> dict[str, Any]:
    """The staff member as loaded with the request, and their tenant's name (one query)."""
    with c.db.unit_of_work(write=False) as session:
        name = client_name(session, principal.client_id)
    staff = {"id": principal.staff_id, "email": principal.email, "name": principal.name, "role": principal.role,
             "client_id": principal.client_id}
    return {"staff": {**staff, "client": {"id": principal.client_id, "name": name}}}
