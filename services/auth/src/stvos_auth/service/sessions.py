"""Sessions: access tokens, rotating refresh tokens in families, reuse detection, logout.

A login starts a family that ends 30 days later whatever happens. Every refresh uses up the
presented token and issues its successor. Presenting a used token again revokes the whole family
(someone else holds a copy), except within a few seconds of its use while its successor has not
been used: then the caller lost our answer, and gets a new successor instead of the lost one
(which is revoked; presenting it later counts as reuse).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from stvos_shared.db import Database, utcnow
from stvos_shared.errors import ApiError, TokenInvalid, Unauthorized
from stvos_shared.signing_keys import SigningKeys
from stvos_shared.tokens import TokenVerifier

from ..adapters import repository
from ..adapters.orm import refresh_families, refresh_tokens
from .errors import TrainerInactive


@dataclass(frozen=True)
class Subject:
    """Whom a token speaks for."""

    user_id: int
    client_id: int
    role: str
    trainer_id: int | None

    @classmethod
    def of(cls, user: Any) -> Subject:
        return cls(user.id, user.client_id, user.role, user.trainer_id)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


@dataclass(frozen=True)
class Grant:
    """Tokens decided inside a unit of work, signed once it has committed (no lock held while signing)."""

    subject: Subject
    refresh_jti: str
    refresh_expires: datetime
    issued: datetime


class Sessions:
    def __init__(self, db: Database, keys: SigningKeys, verifier: TokenVerifier, access_ttl: int,
                 refresh_ttl: int, reuse_grace: int, clock: Callable[[], datetime] = utcnow) -> None:
        self._db, self._keys, self._verifier = db, keys, verifier
        self._access_ttl, self._refresh_ttl = access_ttl, timedelta(seconds=refresh_ttl)
        self._grace = timedelta(seconds=reuse_grace)
        self._clock = clock

    def start(self, session: Session, subject: Subject) -> Grant:
        """A new family and its first refresh token, inside the caller's unit of work."""
        now = self._clock()
        family_id, expires = uuid.uuid4().hex, now + self._refresh_ttl
        session.execute(insert(refresh_families).values(
            id=family_id, client_id=subject.client_id, user_id=subject.user_id, created_at=now, expires_at=expires))
        return self._grant(session, subject, family_id, expires, now)

    def sign(self, grant: Grant) -> TokenPair:
        """The access token (15 minutes) and the refresh token (until the family ends) of a grant."""
        subject, signer = grant.subject, self._keys.signer()
        issued = int(grant.issued.timestamp())
        claims = {"cid": subject.client_id, "role": subject.role, "tid": subject.trainer_id}
        access = signer.issue(str(subject.user_id), "access", self._access_ttl, claims, now=issued)
        refresh = signer.issue(str(subject.user_id), "refresh", int(grant.refresh_expires.timestamp()) - issued,
                               {"cid": subject.client_id}, jti=grant.refresh_jti, now=issued)
        return TokenPair(access, refresh)

    def refresh(self, refresh_token: str, client_id: int) -> TokenPair:
        """Rotate: the presented token is used up and its successor issued (401 if it cannot be)."""
        claims = self._verifier.verify(refresh_token, "refresh")
        with self._db.unit_of_work() as session:
            outcome = self._rotate(session, claims, client_id)
        if isinstance(outcome, ApiError):
            raise outcome  # after the commit: a detected reuse stays revoked
        return self.sign(outcome)

    def end(self, refresh_token: str, user_id: int, client_id: int) -> None:
        """Logout: revoke the family of the caller's own refresh token; anything else is ignored."""
        try:
            claims = self._verifier.verify(refresh_token, "refresh")
        except Unauthorized:
            return
        with self._db.unit_of_work() as session:
            row = self._token(session, claims["jti"])
            if row is not None and row.user_id == user_id and row.client_id == client_id:
                self._revoke_family(session, row.family_id, "logout")

    def _rotate(self, session: Session, claims: dict[str, Any], client_id: int) -> Grant | ApiError:
        row = self._token(session, claims["jti"])
        if row is None or row.client_id != client_id or str(row.user_id) != claims["sub"]:
            return TokenInvalid()
        family = session.execute(select(refresh_families).where(refresh_families.c.id == row.family_id)
                                 .with_for_update()).one()
        now = self._clock()
        if family.revoked_at is not None or family.expires_at <= now:
            return TokenInvalid("This session has ended; log in again.")
        # A used or superseded token presented again means two holders: end the session for both.
        if row.revoked_at is not None or (row.used_at is not None and not self._lost_answer(session, row, now)):
            self._revoke_family(session, family.id, "reuse")
            return TokenInvalid("This refresh token was already used; the session has been ended.")
        if row.used_at is not None:  # the caller lost our answer: its successor is replaced
            session.execute(update(refresh_tokens).where(refresh_tokens.c.jti == row.replaced_by)
                            .values(revoked_at=now))
        user = repository.user_by_id(session, client_id, row.user_id)
        if user is None:
            return TokenInvalid()
        grant = self._grant(session, Subject.of(user), family.id, family.expires_at, now)
        session.execute(update(refresh_tokens).where(refresh_tokens.c.jti == row.jti)
                        .values(used_at=row.used_at or now, replaced_by=grant.refresh_jti))
        return grant

    def _lost_answer(self, session: Session, row: Any, now: datetime) -> bool:
        """A retry within the grace period whose successor nobody has used yet."""
        if now - row.used_at > self._grace or row.replaced_by is None:
            return False
        successor = self._token(session, row.replaced_by)
        return successor is not None and successor.used_at is None and successor.revoked_at is None

    def _grant(self, session: Session, subject: Subject, family_id: str, expires: datetime, now: datetime) -> Grant:
        """Record the next refresh token of the family; a deactivated trainer gets none."""
        if subject.role == "trainer":
            record = repository.trainer_record(session, subject.client_id, subject.trainer_id or 0)
            if record is None or not record.active:
                raise TrainerInactive()
        jti = uuid.uuid4().hex
        session.execute(insert(refresh_tokens).values(
            jti=jti, family_id=family_id, client_id=subject.client_id, user_id=subject.user_id,
            issued_at=now, expires_at=expires))
        return Grant(subject, jti, expires, now)

    @staticmethod
    def _token(session: Session, jti: Any) -> Any:
        query = select(refresh_tokens).where(refresh_tokens.c.jti == str(jti)).with_for_update()
        return session.execute(query).first()

    @staticmethod
    def _revoke_family(session: Session, family_id: str, reason: str) -> None:
        session.execute(update(refresh_families).where(
            refresh_families.c.id == family_id, refresh_families.c.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason))
