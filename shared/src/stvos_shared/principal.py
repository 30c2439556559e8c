"""Who is calling (plain Python: use cases take it; security.py makes it from a verified token)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import Unauthorized


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, their role and tenant, and for trainers their trainer record."""

    user_id: int
    role: str
    client_id: int
    trainer_id: int | None = None

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        try:
            return cls(int(claims["sub"]), str(claims["role"]), int(claims["cid"]),
                       int(claims["tid"]) if claims.get("tid") is not None else None)
        except (KeyError, TypeError, ValueError) as error:
            raise Unauthorized("The token is missing required claims.", code="TOKEN_INVALID") from error
