"""Idempotency-Key records: the first successful response to a write, replayed to a retry of it.

`remember` runs in the same transaction as the write it answers, so a response is stored exactly
when its effect is committed. Failures are not stored: a retry of a request that failed runs again.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.orm import IdempotencyKey
from .errors import IdempotencyKeyReused


@dataclass(frozen=True)
class IdempotentRequest:
    """Who sent which key with which request (`request_hash`: see `fingerprint`)."""

    client_id: int
    user_id: int
    key: str
    request_hash: str


@dataclass(frozen=True)
class StoredResponse:
    """A write's response: its HTTP status and JSON body; `replayed` when it answers a retry."""

    status: int
    body: dict[str, Any]
    replayed: bool = field(default=False, compare=False)


def fingerprint(method: str, path: str, body: Any) -> str:
    """A stable hash of a request: the same for equal JSON bodies whatever their key order."""
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(session: Session, request: IdempotentRequest) -> StoredResponse | None:
    """The response stored for this key, None if there is none; the key with another request is a 409."""
    record = session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.client_id == request.client_id, IdempotencyKey.user_id == request.user_id,
        IdempotencyKey.key == request.key))
    if record is None:
        return None
    if record.request_hash != request.request_hash:
        raise IdempotencyKeyReused()
    return StoredResponse(record.response_status, record.response_body, replayed=True)


def remember(session: Session, request: IdempotentRequest, status: int, body: dict[str, Any]) -> None:
    """Store the response in the current transaction (a concurrent twin fails on the primary key)."""
    session.add(IdempotencyKey(client_id=request.client_id, user_id=request.user_id, key=request.key,
                               request_hash=request.request_hash, response_status=status, response_body=body))
    session.flush()
