"""The registry of contracts and the field types payloads use."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from marshmallow import fields, validate

from ..schema import Schema

TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d$"


@dataclass(frozen=True)
class Contract:
    type: str
    version: int
    schema: type[Schema]


REGISTRY: dict[tuple[str, int], Contract] = {}


def contract(*event_types: str, version: int = 1) -> Callable[[type[Schema]], type[Schema]]:
    """Register `schema` as the payload of each of `event_types` at `version`."""

    def register(schema: type[Schema]) -> type[Schema]:
        for event_type in event_types:
            REGISTRY[(event_type, version)] = Contract(event_type, version, schema)
        return schema

    return register


def id_field(**kwargs) -> fields.Integer:
    return fields.Integer(strict=True, required=True, **kwargs)


def optional_id() -> fields.Integer:
    return fields.Integer(strict=True, required=True, allow_none=True)


def text(**kwargs) -> fields.String:
    return fields.String(required=True, **kwargs)


def optional_text() -> fields.String:
    return fields.String(required=True, allow_none=True)


def money() -> fields.Decimal:
    """A decimal string with two places ("75.00"); loads as Decimal."""
    return fields.Decimal(required=True, as_string=True, places=2)


def currency() -> fields.String:
    return fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))


def instant() -> fields.AwareDateTime:
    """ISO-8601 with an offset (publishers write UTC)."""
    return fields.AwareDateTime(required=True, format="iso")


def day() -> fields.Date:
    return fields.Date(required=True)


def time_of_day() -> fields.String:
    return fields.String(required=True, validate=validate.Regexp(TIME_OF_DAY))


def flag() -> fields.Boolean:
    return fields.Boolean(required=True, truthy={True}, falsy={False})


def count() -> fields.Integer:
    return fields.Integer(strict=True, required=True, validate=validate.Range(min=0))
