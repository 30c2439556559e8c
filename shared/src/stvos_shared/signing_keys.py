"""A token issuer's own RS256 keys, kept in its database: the active key signs, every key not retired verifies.

The first key is made on first use (never at import or build time). A rotation makes a new key the
active one; older keys stay published in the JWKS, so the tokens they signed still verify, until retired.
At most one key is active: a partial unique index makes two processes racing to create the first key
end up with one.

Private keys are stored sealed with the key-encryption keys of the configuration (`keywrap.KeyWrap`): a dump
of the table alone cannot sign. A key stored in plaintext by an older version (the migration that renamed the
column could not seal it: it has no KEK) is sealed the first time this class reads it, and by `rewrap()`.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Index, MetaData, String, Table, Text, insert, select, text, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from .db import Database
from .keywrap import KeyWrap, SealedKeyError, is_plaintext
from .tokens import JwksKeys, TokenSigner, TokenVerifier, generate_private_key_pem, public_jwk

log = logging.getLogger("stvos.signing_keys")


def _now() -> datetime:
    return datetime.now(UTC)


def signing_keys_table(metadata: MetaData) -> Table:
    """The keys table; add it to the service's metadata."""
    table = Table(
        "signing_keys", metadata,
        Column("kid", String(32), primary_key=True),
        Column("private_key_sealed", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, default=_now),
        Column("active", Boolean, nullable=False, default=True),
        Column("retired_at", DateTime(timezone=True), nullable=True),
    )
    only_active = text("active")  # text, so that Alembic renders it as sa.text(...) in migrations
    Index("uq_signing_keys_active", table.c.active, unique=True, sqlite_where=only_active,
          postgresql_where=only_active)
    return table


class SigningKeys:
    """The issuer's keys: a signer for the active one, the JWKS, and cached keys for verifying its own tokens."""

    def __init__(self, db: Database, table: Table, wrap: KeyWrap, issuer: str, audience: str,
                 refresh_seconds: float = 60.0) -> None:
        self._db, self._table, self._wrap = db, table, wrap
        self.issuer, self.audience = issuer, audience
        self._refresh = refresh_seconds  # how soon a rotation made by another process signs here
        self._signer: TokenSigner | None = None
        self._signer_loaded = float("-inf")
        self._public: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        # Known kids cost no query. An unknown kid re-reads the table at most once a second (forged kids must
        # not turn into a query each); a key this process signs with is known to it at once (signer()).
        self._keys = JwksKeys(self.jwks, min_refresh_seconds=1.0)

    def signer(self) -> TokenSigner:
        """The signer of the active key (making the first key if there is none)."""
        signer = self._signer
        if signer is None or time.monotonic() - self._signer_loaded > self._refresh:
            with self._lock:
                if self._signer is None or self._signer is signer:  # else another thread has just loaded it
                    self._signer = self._load_signer()
                    self._signer_loaded = time.monotonic()
                signer = self._signer
        return signer

    def jwks(self) -> dict[str, Any]:
        """{"keys": [...]}: the public JWK of every key not retired, newest first (a read; makes no key)."""
        table = self._table
        query = (select(table.c.kid, table.c.private_key_sealed).where(table.c.retired_at.is_(None))
                 .order_by(table.c.created_at.desc(), table.c.kid))
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(query).all()
        self._seal_plaintext(rows)
        return {"keys": [self._public_jwk(row.kid, row.private_key_sealed) for row in rows]}

    def verifier(self, leeway: int = 5) -> TokenVerifier:
        """A verifier of this issuer's tokens (its issuer and audience, its keys)."""
        return TokenVerifier(self._keys, self.issuer, self.audience, leeway)

    def rotate(self) -> str:
        """Make a new key the active one; the older keys stay published until retired. Returns the new kid."""
        pem, kid = generate_private_key_pem(), uuid.uuid4().hex  # RSA keygen is slow: outside the transaction
        table = self._table
        with self._db.unit_of_work() as session:
            session.execute(update(table).where(table.c.active.is_(True)).values(active=False))
            session.execute(insert(table).values(kid=kid, private_key_sealed=self._wrap.seal(kid, pem), active=True,
                                                 created_at=_now()))
        with self._lock:
            self._signer = None
        return kid

    def retire(self, kid: str) -> bool:
        """Stop publishing an inactive key (verifiers drop it when they next refetch). True if it was published."""
        table = self._table
        with self._db.unit_of_work() as session:
            result = session.execute(update(table).where(
                table.c.kid == kid, table.c.active.is_(False), table.c.retired_at.is_(None)).values(retired_at=_now()))
        return bool(result.rowcount)

    def rewrap(self) -> int:
        """Seal every stored key (retired ones too) with the first KEK: after a KEK rotation, before the old KEK is
        dropped. Raises SealedKeyError, changing nothing, if a key opens with none of the KEKs. Returns the count."""
        table = self._table
        with self._db.unit_of_work() as session:
            rows = session.execute(select(table.c.kid, table.c.private_key_sealed).with_for_update()).all()
            for row in rows:
                session.execute(update(table).where(table.c.kid == row.kid).values(
                    private_key_sealed=self._wrap.rewrap(row.kid, row.private_key_sealed)))
        return len(rows)

    def retire_unreadable(self) -> list[str]:
        """Retire (and deactivate) every key no configured KEK opens, so that a new key is made on first use: for
        a KEK that is lost. Every token those keys signed stops verifying. Returns their kids."""
        table = self._table
        with self._db.unit_of_work() as session:
            rows = session.execute(select(table.c.kid, table.c.private_key_sealed)
                                   .where(table.c.retired_at.is_(None)).with_for_update()).all()
            lost = [row.kid for row in rows if not self._opens(row.kid, row.private_key_sealed)]
            if lost:
                session.execute(update(table).where(table.c.kid.in_(lost)).values(active=False, retired_at=_now()))
        with self._lock:
            self._signer = None
        return lost

    def _opens(self, kid: str, stored: str) -> bool:
        try:
            self._private_pem(kid, stored)
        except SealedKeyError:
            return False
        return True

    def _private_pem(self, kid: str, stored: str) -> str:
        return stored if is_plaintext(stored) else self._wrap.open(kid, stored)

    def _seal_plaintext(self, rows: Iterable[Row]) -> None:
        """Seal the keys among `rows` that an older version stored in plaintext (each once, whoever gets there)."""
        table = self._table
        plain = [row for row in rows if is_plaintext(row.private_key_sealed)]
        if plain:
            with self._db.unit_of_work() as session:
                for row in plain:
                    session.execute(update(table).where(
                        table.c.kid == row.kid, table.c.private_key_sealed == row.private_key_sealed,
                    ).values(private_key_sealed=self._wrap.seal(row.kid, row.private_key_sealed)))
            log.warning("sealed %d signing key(s) stored in plaintext", len(plain))

    def _load_signer(self) -> TokenSigner:
        row = self._active_key() or self._create_first_key()
        self._seal_plaintext([row])
        pem = self._private_pem(row.kid, row.private_key_sealed)
        self._keys.remember(row.kid, self._public_jwk(row.kid, row.private_key_sealed))  # ours verify at once
        return TokenSigner(pem, row.kid, self.issuer, self.audience)

    def _active_key(self) -> Row | None:
        table = self._table
        with self._db.unit_of_work(write=False) as session:
            return session.execute(select(table.c.kid, table.c.private_key_sealed)
                                   .where(table.c.active.is_(True))).first()

    def _create_first_key(self) -> Row | None:
        kid = uuid.uuid4().hex
        sealed = self._wrap.seal(kid, generate_private_key_pem())
        table = self._table
        try:
            with self._db.unit_of_work() as session:
                if session.execute(select(table.c.kid).where(table.c.active.is_(True))).first() is None:
                    session.execute(insert(table).values(kid=kid, private_key_sealed=sealed, active=True,
                                                         created_at=_now()))
        except IntegrityError:
            pass  # another process made the first key at the same moment: theirs is the one
        return self._active_key()

    def _public_jwk(self, kid: str, stored: str) -> dict[str, Any]:
        if kid not in self._public:
            self._public[kid] = public_jwk(self._private_pem(kid, stored), kid)
        return self._public[kid]
