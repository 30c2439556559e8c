"""A lighter `dump` for the hottest responses: marshmallow's own field formatting, without its per-field layers.

`class TrainerListResponse(FastDump, Schema)` serialises exactly as marshmallow would (each field's own
`_serialize`, data keys, skipped missing values, nested schemas and lists of them), but walks a plan made once
per schema instance instead of going through `Field.serialize`, the accessor and `Nested`'s `dump` for every
value; a value marshmallow would return as it is, or as an equal copy (a str for a String, an int for an Integer, a
Decimal for a Decimal, anything for a Raw or a Boolean; so too the items of a List of them), is not passed through
the field at all. A schema the plan cannot cover (dotted attributes, dump defaults, fields with their own
`serialize`, nested schemas with dump hooks) keeps marshmallow's path whole.
Hooks of the schema itself still run: only `_serialize` is replaced.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import marshmallow as ma
from marshmallow import fields, missing

Format = Callable[[Any, str, Any], Any]
Step = tuple[str, str, type | None, Format | None]


class _Never:
    """The type of no value: a step with it always calls its field's formatting."""


def _value(obj: Any, attr: str, _default: Any = missing) -> Any:
    """What marshmallow's accessor reads: a key, else an attribute."""
    if isinstance(obj, dict):
        return obj.get(attr, missing)
    if hasattr(obj, "__getitem__"):
        try:
            return obj[attr]
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return getattr(obj, attr, missing)


def _nested(schema: ma.Schema, many: bool) -> Callable[[Any, str, Any], Any] | None:
    steps = plan(schema)
    if steps is None or schema._hooks["pre_dump"] or schema._hooks["post_dump"]:
        return None
    if many:
        return lambda value, _attr, _obj: None if value is None else [run(steps, item) for item in value]
    return lambda value, _attr, _obj: None if value is None else run(steps, value)


def _unless(kind: type, serialize: Callable[[Any, str, Any], Any]) -> Callable[[Any, str, Any], Any]:
    """The value itself when it is None or exactly `kind` (what the field's own formatting returns), else that."""
    return lambda value, attr, obj: value if value is None or type(value) is kind else serialize(value, attr, obj)


def _each(kind: type, serialize: Format) -> Format:
    """marshmallow's List._serialize, with the items of exactly `kind` taken as they are."""
    return lambda value, attr, obj: None if value is None else [
        each if type(each) is kind else serialize(each, attr, obj) for each in value]


def _exact(field: fields.Field) -> type | None:
    """The type whose values the field's formatting returns as they are (or an equal copy), if there is one."""
    kind = type(field)
    if kind is fields.String:  # ensure_text_type
        return str
    if kind is fields.Integer and not field.as_string:  # int(value)
        return int
    if kind is fields.Decimal and not (field.as_string or field.allow_nan) and field.places is None:
        return Decimal  # Decimal(str(value)): the same digits and exponent
    return None


def _step(field: fields.Field) -> tuple[type | None, Format | None] | None:
    """(exact type, format) of a field: values of the exact type are taken as they are, None as format takes
    every value as it is (Raw, Boolean); None when the plan cannot cover the field."""
    kind = type(field)
    if kind is fields.Nested:  # exactly: a subclass (Pluck) formats its own way
        return _Never, _nested(field.schema, bool(field.schema.many or field.many)) or field._serialize
    if kind is fields.List and type(field.inner) is fields.Nested:
        inner = field.inner
        return _Never, (None if inner.many or inner.schema.many else _nested(inner.schema, True)) or field._serialize
    if kind.serialize is not fields.Field.serialize or not field._CHECK_ATTRIBUTE:
        return None
    if kind._serialize is fields.Field._serialize:
        return None, None
    if kind is fields.List and _exact(field.inner) is not None:
        return _Never, _each(_exact(field.inner), field.inner._serialize)
    exact = _exact(field)
    return (exact, _unless(exact, field._serialize)) if exact is not None else (_Never, field._serialize)


def plan(schema: ma.Schema) -> list[Step] | None:
    """(attribute, key, exact type, format) per dumped field, or None when marshmallow's own path must be kept."""
    cached = schema.__dict__.get("_stvos_plan", False)
    if cached is not False:
        return cached
    steps: list[Step] | None = []
    for name, field in schema.dump_fields.items():
        attr = field.attribute or name
        step = None if "." in attr or field.dump_default is not missing else _step(field)
        if step is None:
            steps = None
            break
        steps.append((attr, field.data_key if field.data_key is not None else name, *step))
    schema.__dict__["_stvos_plan"] = steps
    return steps


def run(steps: list[Step], obj: Any) -> dict[str, Any]:
    out = {}
    read = obj.get if type(obj) is dict else partial(_value, obj)
    for attr, key, exact, formatter in steps:
        value = read(attr, missing)
        if value is not missing:
            out[key] = value if formatter is None or type(value) is exact else formatter(value, attr, obj)
    return out


class FastDump(ma.Schema):
    """Put first among a response schema's bases: the same output as marshmallow's, with less work per value."""

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        steps = plan(self)
        if steps is None:
            return super()._serialize(obj, many=many)
        if many and obj is not None:
            return [run(steps, item) for item in obj]
        return run(steps, obj)
