"""Events of the shared tests: a number under any routing key the tests choose, with a contract."""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields
from stvos_shared.contracts.base import contract
from stvos_shared.domain import DomainEvent
from stvos_shared.schema import Schema

TYPES = ("producer.thing.created", "other.thing.created", "test.thing.happened", "test.broken.happened",
         "test.fine.happened", "test.nobody.listens")


@contract(*TYPES)
class NumberedPayload(Schema):
    n = fields.Integer(required=True)


@dataclass(frozen=True)
class Numbered(DomainEvent):
    TYPE = "producer.thing.created"
    n: int


_KINDS: dict[str, type[Numbered]] = {}


def numbered(event_type: str, n: int) -> Numbered:
    """A Numbered event published as `event_type` (one of TYPES)."""
    if event_type not in TYPES:
        raise ValueError(f"no test contract for {event_type}")
    kind = _KINDS.setdefault(event_type, type(f"Numbered_{len(_KINDS)}", (Numbered,), {"TYPE": event_type}))
    return kind(n)
