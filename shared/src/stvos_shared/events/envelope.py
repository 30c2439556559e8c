"""The event envelope: {id, type, occurredAt, version, clientId, data} and, when the event was written in a
trace, `traceparent` (W3C): the publishing request's trace, followed through the outbox, the broker and
every consumer. An envelope without it (older publishers) still parses."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    """Something that happened in one service, told to the others. `type` is the routing key."""

    type: str
    data: dict[str, Any]
    client_id: int | None = None
    version: int = 1
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    traceparent: str | None = None

    def to_json(self) -> bytes:
        envelope = {
            "id": self.id, "type": self.type, "occurredAt": self.occurred_at.isoformat(),
            "version": self.version, "clientId": self.client_id, "data": self.data,
        }
        if self.traceparent:
            envelope["traceparent"] = self.traceparent
        return json.dumps(envelope, separators=(",", ":"), default=str).encode()

    @classmethod
    def from_json(cls, body: bytes | str) -> Event:
        raw = json.loads(body)
        traceparent = raw.get("traceparent")
        return cls(type=raw["type"], data=raw["data"], client_id=raw.get("clientId"),
                   version=int(raw.get("version", 1)), id=str(raw["id"]),
                   occurred_at=datetime.fromisoformat(raw["occurredAt"]),
                   traceparent=traceparent if isinstance(traceparent, str) else None)


class UndeliverableEvent(Exception):
    """An event no retry can ever apply (no contract describes its version): dead-lettered at once."""


def matches(binding: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` is zero or more."""
    def walk(pattern: list[str], words: list[str]) -> bool:
        if not pattern:
            return not words
        head, rest = pattern[0], pattern[1:]
        if head == "#":
            return any(walk(rest, words[i:]) for i in range(len(words) + 1))
        return bool(words) and head in ("*", words[0]) and walk(rest, words[1:])
    return walk(binding.split("."), routing_key.split("."))
