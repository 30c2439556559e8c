"""Idempotency-Key records: the first successful response to a write, stored in the write's transaction."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...domain.commands import KEY_KEPT, IdempotentRequest
from ..orm import IdempotencyKey, utcnow


class IdempotencyRecords:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, request: IdempotentRequest) -> IdempotencyKey | None:
        """The key's stored response, unless it is older than KEY_KEPT."""
        return self.session.scalar(select(IdempotencyKey).where(
            IdempotencyKey.client_id == request.client_id, IdempotencyKey.user_id == request.user_id,
            IdempotencyKey.key == request.key, IdempotencyKey.created_at >= utcnow() - KEY_KEPT))

    def remember(self, request: IdempotentRequest, status: int, body: dict[str, Any]) -> None:
        """Store the response (as JSON: money as text), pruning the sender's expired keys (this one's too, if
        it expired); a concurrent twin fails on the primary key."""
        self.session.execute(delete(IdempotencyKey).where(
            IdempotencyKey.client_id == request.client_id, IdempotencyKey.user_id == request.user_id,
            IdempotencyKey.created_at < utcnow() - KEY_KEPT))
        stored = json.loads(json.dumps(body, default=str))
        self.session.add(IdempotencyKey(client_id=request.client_id, user_id=request.user_id, key=request.key,
                                        request_hash=request.request_hash, response_status=status,
                                        response_body=stored))
        self.session.flush()
