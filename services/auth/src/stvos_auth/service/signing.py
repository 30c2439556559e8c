"""Signing keys: the active key signs, every key not yet retired is published in the JWKS.

The first key is generated on first use (never at import or build time).
"""
from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from sqlalchemy import insert, select, update
from stvos_shared.db import Database
from stvos_shared.tokens import JwksKeys, TokenSigner, generate_private_key_pem, public_jwk

from ..adapters.orm import now_utc, signing_keys

ISSUER = "stvos-auth"
AUDIENCE = "stvos-api"


class SigningKeys:
    """The service's RSA keys, cached per process; a rotation elsewhere is seen within `refresh_seconds`."""

    def __init__(self, db: Database, refresh_seconds: float = 60.0) -> None:
        self._db = db
        self._refresh = refresh_seconds
        self._signer: TokenSigner | None = None
        self._signer_loaded = float("-inf")
        self._public: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def signer(self) -> TokenSigner:
        """The signer of the newest active key (creating the first key if there is none)."""
        if self._signer is None or time.monotonic() - self._signer_loaded > self._refresh:
            with self._lock:
                self._signer = self._load_signer()
                self._signer_loaded = time.monotonic()
        return self._signer

    def jwks(self) -> dict[str, Any]:
        """{"keys": [...]}: the public JWK of every key not retired, newest first."""
        query = (select(signing_keys.c.kid, signing_keys.c.private_pem)
                 .where(signing_keys.c.retired_at.is_(None)).order_by(signing_keys.c.created_at.desc()))
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(query).all()
        return {"keys": [self._public_jwk(row.kid, row.private_pem) for row in rows]}

    def verification_keys(self) -> JwksKeys:
        """Keys for verifying this service's own tokens, read from the database (no HTTP)."""
        return JwksKeys(self.jwks)

    def rotate(self) -> str:
        """Make a new key the signer; older keys stay published until retired. Returns the new kid."""
        pem, kid = generate_private_key_pem(), uuid.uuid4().hex
        with self._db.unit_of_work() as session:
            session.execute(update(signing_keys).where(signing_keys.c.active.is_(True)).values(active=False))
            session.execute(insert(signing_keys).values(kid=kid, private_pem=pem, active=True))
        with self._lock:
            self._signer = None
        return kid

    def _load_signer(self) -> TokenSigner:
        row = self._active_key()
        if row is None:
            row = self._create_first_key()
        return TokenSigner(row.private_pem, row.kid, ISSUER, AUDIENCE)

    def _active_key(self) -> Any:
        query = (select(signing_keys.c.kid, signing_keys.c.private_pem)
                 .where(signing_keys.c.active.is_(True), signing_keys.c.retired_at.is_(None))
                 .order_by(signing_keys.c.created_at.desc(), signing_keys.c.kid).limit(1))
        with self._db.unit_of_work(write=False) as session:
            return session.execute(query).first()

    def _create_first_key(self) -> Any:
        pem = generate_private_key_pem()  # slow (RSA keygen): outside the write transaction
        with self._db.unit_of_work() as session:
            active = signing_keys.c.active.is_(True) & signing_keys.c.retired_at.is_(None)
            if session.execute(select(signing_keys.c.kid).where(active).limit(1)).first() is None:
                session.execute(insert(signing_keys).values(kid=uuid.uuid4().hex, private_pem=pem, active=True,
                                                            created_at=now_utc()))
        return self._active_key()

    def _public_jwk(self, kid: str, pem: str) -> dict[str, Any]:
        if kid not in self._public:
            self._public[kid] = public_jwk(pem, kid)
        return self._public[kid]
