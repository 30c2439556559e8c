"""Event contracts: the payload schema of every published event, in one place both sides import.

Schemas only, no rules. A publisher's domain/events.py holds the event as a dataclass (its TYPE and
VERSION); this package says what its payload looks like on the wire. `validate` checks a payload
exactly (tests check every published one); `load` gives a consumer the payload typed and in
snake_case (Decimal, datetime, date), ignoring fields it does not know. A consumer given a version
its contract does not describe dead-letters the event (stvos_shared.events.consumer).
"""
from __future__ import annotations

from typing import Any

import marshmallow as ma

from . import auth, booking, catalog, partner, portal
from .base import REGISTRY, Contract

__all__ = ["Contract", "UnknownContract", "contract_for", "load", "validate"]
_MODULES = (auth, partner, catalog, booking, portal)  # importing them fills REGISTRY


class UnknownContract(LookupError):
    """No contract describes this event type at this version."""


def contract_for(event_type: str, version: int) -> Contract:
    found = REGISTRY.get((event_type, version))
    if found is None:
        known = sorted(v for (t, v) in REGISTRY if t == event_type)
        raise UnknownContract(f"{event_type} v{version} has no contract (known versions: {known or 'none'})")
    return found


def validate(event_type: str, version: int, payload: Any) -> dict[str, Any]:
    """Field errors of `payload` against its contract ({} when it conforms exactly)."""
    return contract_for(event_type, version).schema().validate(payload)


def load(event: Any) -> dict[str, Any]:
    """The event's payload as its contract types it (snake_case keys); unknown fields are ignored."""
    schema = contract_for(event.type, event.version).schema(unknown=ma.EXCLUDE)
    return schema.load(event.data)
