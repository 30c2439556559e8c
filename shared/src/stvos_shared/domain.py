"""What every service's domain/ builds on: plain Python only (no framework, no database).

A domain event is a frozen dataclass naming what happened, with its routing key (`TYPE`,
`<service>.<aggregate>.<past_verb>`) and the `VERSION` of its payload contract
(stvos_shared.contracts). `payload()` is the wire form: camelCase keys, JSON values
(money as a decimal string, instants as ISO-8601 in UTC, dates as YYYY-MM-DD).
"""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar


def camelcase(name: str) -> str:
    """snake_case -> camelCase (the wire's spelling of every key)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def wire_value(value: Any) -> Any:
    """A Python value as JSON carries it: Decimal as "75.00", datetimes as ISO-8601, dataclasses as objects."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {camelcase(f.name): wire_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple | frozenset):
        return [wire_value(item) for item in value]
    if isinstance(value, dict):
        return {key: wire_value(item) for key, item in value.items()}
    return value


@dataclasses.dataclass(frozen=True)
class DomainEvent:
    """Something that happened in a service, to be told to the others through its outbox."""

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    def payload(self) -> dict[str, Any]:
        return wire_value(self)
