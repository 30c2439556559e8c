"""The partner service's own signing keys: created on first use, kept in its database, served as a JWKS."""
from __future__ import annotations

import threading
import uuid
from typing import Any

from sqlalchemy import select
from stvos_shared.db import Database
from stvos_shared.tokens import JwksKeys, TokenSigner, generate_private_key_pem, public_jwk

from .orm import SigningKey

ISSUER = AUDIENCE = "stvos-partner"


class SigningKeys:
    """Signs with the oldest key in the table (made lazily), verifies against all of them."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._signer: TokenSigner | None = None
        self._jwks_cache: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def signer(self) -> TokenSigner:
        with self._lock:
            if self._signer is None:
                kid, pem = self._current_key()
                self._signer = TokenSigner(pem, kid, ISSUER, AUDIENCE)
            return self._signer

    def _current_key(self) -> tuple[str, str]:
        found = self._oldest()
        if found:
            return found
        candidate = generate_private_key_pem()  # outside the write lock: it takes a moment
        with self._db.unit_of_work() as session:
            existing = session.execute(select(SigningKey.kid, SigningKey.private_key_pem)
                                       .order_by(SigningKey.created_at, SigningKey.kid).limit(1)).first()
            if existing:
                return existing.kid, existing.private_key_pem
            kid = uuid.uuid4().hex
            session.add(SigningKey(kid=kid, private_key_pem=candidate))
        return kid, candidate

    def _oldest(self) -> tuple[str, str] | None:
        with self._db.unit_of_work(write=False) as session:
            row = session.execute(select(SigningKey.kid, SigningKey.private_key_pem)
                                  .order_by(SigningKey.created_at, SigningKey.kid).limit(1)).first()
        return (row.kid, row.private_key_pem) if row else None

    def jwks(self) -> dict[str, Any]:
        """Every key's public half (a local read; the verifier asks only on an unknown kid)."""
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(select(SigningKey.kid, SigningKey.private_key_pem)).all()
        for row in rows:
            if row.kid not in self._jwks_cache:
                self._jwks_cache[row.kid] = public_jwk(row.private_key_pem, row.kid)
        return {"keys": [self._jwks_cache[row.kid] for row in rows]}

    def verification_keys(self) -> JwksKeys:
        # No refresh throttle: the source is our own table, and a key made after the last read must work at once.
        return JwksKeys(self.jwks, min_refresh_seconds=0)
