"""Refresh tokens in families: rotated on every use, exchanged once, a replay ending the family.

A sign-in starts a family that ends `refresh_ttl_seconds` later whatever happens. Presenting a refresh
token uses it up and names its successor. Presenting it again within `refresh_reuse_grace_seconds`,
while that successor is unused, answers the same successor again (the caller lost our answer, or sent
the request twice at once): never a second member of the family. Presenting it at any other time means
two holders: the whole family is revoked for both.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.orm import Session

from ..db import Database, UtcDateTime, utcnow
from ..errors import ApiError, TokenInvalid, Unauthorized
from ..signing_keys import SigningKeys
from ..tokens import TokenVerifier
from .settings import CredentialSettings


@dataclass(frozen=True)
class RefreshTables:
    families: Table
    tokens: Table


def refresh_tables(metadata: MetaData, subjects: str) -> RefreshTables:
    """refresh_families (one per sign-in, of a row of `subjects`) and refresh_tokens (its members)."""
    families = Table(
        "refresh_families", metadata,
        Column("id", String(32), primary_key=True),
        Column("client_id", Integer, nullable=False),
        Column("subject_id", Integer, ForeignKey(f"{subjects}.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("created_at", UtcDateTime, nullable=False),
        Column("expires_at", UtcDateTime, nullable=False),
        Column("revoked_at", UtcDateTime, nullable=True),
        Column("revoked_reason", String(32), nullable=True),
    )
    tokens = Table(
        "refresh_tokens", metadata,
        Column("jti", String(32), primary_key=True),
        Column("family_id", String(32), ForeignKey("refresh_families.id", ondelete="CASCADE"), nullable=False),
        Column("issued_at", UtcDateTime, nullable=False),
        Column("used_at", UtcDateTime, nullable=True),
        Column("replaced_by", String(32), nullable=True),
        Index("ix_refresh_tokens_family_id", "family_id"),
    )
    return RefreshTables(families, tokens)


@dataclass(frozen=True)
class Subject:
    """Whom tokens speak for: `id` is the row the family belongs to; `claims` go into every access token."""

    id: int
    client_id: int
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Grant:
    """Tokens decided inside a unit of work, signed after it commits (no lock held while signing)."""

    subject: Subject
    family_id: str
    refresh_jti: str
    expires_at: datetime
    issued_at: datetime


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


# Loads the subject of a family inside the rotating transaction; may raise (a deactivated trainer gets no token).
SubjectLoader = Callable[[Session, int, int], Subject | None]


class RefreshFamilies:
    """Sessions of one issuer: start, sign, rotate, end."""

    def __init__(self, db: Database, tables: RefreshTables, keys: SigningKeys, verifier: TokenVerifier,
                 settings: CredentialSettings, family_claim: bool = False,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._db, self._t, self._keys, self._verifier, self._clock = db, tables, keys, verifier, clock
        self._access_ttl = settings.access_ttl_seconds
        self._ttl = timedelta(seconds=settings.refresh_ttl_seconds)
        self._grace = timedelta(seconds=settings.refresh_reuse_grace_seconds)
        self._family_claim = family_claim  # access tokens name their family ("fam"), to be revocable

    def start(self, session: Session, subject: Subject) -> Grant:
        """A new family and its first member, inside the caller's unit of work."""
        now = self._clock()
        family_id = uuid.uuid4().hex
        session.execute(insert(self._t.families).values(
            id=family_id, client_id=subject.client_id, subject_id=subject.id, created_at=now,
            expires_at=now + self._ttl))
        return self._member(session, subject, family_id, now + self._ttl, now)

    def sign(self, grant: Grant) -> TokenPair:
        """The access token and the refresh token (which lives until the family ends) of a grant."""
        subject, signer = grant.subject, self._keys.signer()
        issued = int(grant.issued_at.timestamp())
        claims = {"cid": subject.client_id, **subject.claims}
        if self._family_claim:
            claims["fam"] = grant.family_id
        access = signer.issue(str(subject.id), "access", self._access_ttl, claims, now=issued)
        refresh = signer.issue(str(subject.id), "refresh", int(grant.expires_at.timestamp()) - issued,
                               {"cid": subject.client_id}, jti=grant.refresh_jti, now=issued)
        return TokenPair(access, refresh)

    def rotate(self, refresh_token: str, client_id: int | None, load: SubjectLoader) -> TokenPair:
        """Exchange a refresh token for its successor (401 when it cannot be); `client_id` None: any tenant."""
        claims = self._verifier.verify(refresh_token, "refresh")
        with self._db.unit_of_work() as session:
            outcome = self._rotate(session, str(claims["jti"]), str(claims["sub"]), client_id, load)
        if isinstance(outcome, ApiError):
            raise outcome  # after the commit: a revocation for reuse stays
        return self.sign(outcome)

    def end(self, family_id: str, subject_id: int, reason: str = "logout") -> bool:
        """Revoke one family of the subject (logout); True if it was live."""
        families = self._t.families
        with self._db.unit_of_work() as session:
            return bool(self._revoke(session, reason, families.c.id == family_id, families.c.subject_id == subject_id))

    def end_by_token(self, refresh_token: str, subject_id: int, client_id: int) -> None:
        """Logout with a refresh token: its family ends if it is the caller's; anything else is ignored."""
        try:
            claims = self._verifier.verify(refresh_token, "refresh")
        except Unauthorized:
            return
        with self._db.unit_of_work(write=False) as session:
            family = self._family_of(session, str(claims["jti"]))
        if family is not None and family.client_id == client_id:
            self.end(family.id, subject_id)

    def end_all(self, session: Session, subject_id: int, reason: str) -> None:
        """Revoke every live family of the subject, inside the caller's unit of work."""
        self._revoke(session, reason, self._t.families.c.subject_id == subject_id)

    def _rotate(self, session: Session, jti: str, sub: str, client_id: int | None,
                load: SubjectLoader) -> Grant | ApiError:
        tokens = self._t.tokens
        row = session.execute(select(tokens).where(tokens.c.jti == jti).with_for_update()).first()
        family = self._family_of(session, jti, lock=True) if row is not None else None
        if family is None or str(family.subject_id) != sub or client_id not in (None, family.client_id):
            return TokenInvalid()
        now = self._clock()
        if family.revoked_at is not None:
            return TokenInvalid("This session has ended; log in again.")
        if family.expires_at <= now:
            return Unauthorized("This session has expired; log in again.", code="TOKEN_EXPIRED")
        if row.used_at is not None:
            return self._again(session, family, row, now, load)
        subject = load(session, family.subject_id, family.client_id)
        if subject is None:
            return TokenInvalid()
        grant = self._member(session, subject, family.id, family.expires_at, now)
        session.execute(update(tokens).where(tokens.c.jti == jti).values(used_at=now, replaced_by=grant.refresh_jti))
        return grant

    def _again(self, session: Session, family: Any, row: Any, now: datetime, load: SubjectLoader) -> Grant | ApiError:
        """A used token presented again: its unused successor within the grace, else the family ends."""
        tokens = self._t.tokens
        successor = session.execute(select(tokens).where(tokens.c.jti == row.replaced_by)).first()
        if successor is not None and successor.used_at is None and now - row.used_at <= self._grace:
            subject = load(session, family.subject_id, family.client_id)
            if subject is not None:
                return Grant(subject, family.id, successor.jti, family.expires_at, now)
        self._revoke(session, "reuse", self._t.families.c.id == family.id)
        return TokenInvalid("This refresh token was already used; the session has been ended.")

    def _revoke(self, session: Session, reason: str, *where: Any) -> int:
        families = self._t.families
        return session.execute(update(families).where(*where, families.c.revoked_at.is_(None))
                               .values(revoked_at=self._clock(), revoked_reason=reason)).rowcount

    def _member(self, session: Session, subject: Subject, family_id: str, expires: datetime, now: datetime) -> Grant:
        jti = uuid.uuid4().hex
        session.execute(insert(self._t.tokens).values(jti=jti, family_id=family_id, issued_at=now))
        return Grant(subject, family_id, jti, expires, now)

    def _family_of(self, session: Session, jti: str, lock: bool = False) -> Any:
        families, tokens = self._t.families, self._t.tokens
        query = select(families).join(tokens, tokens.c.family_id == families.c.id).where(tokens.c.jti == jti)
        return session.execute(query.with_for_update(of=families) if lock else query).first()
