"""A lighter `dump` for the hottest responses: marshmallow's own field formatting, without its per-field layers.

`class TrainerListResponse(FastDump, Schema)` serialises exactly as marshmallow would (each field's own
`_serialize`, data keys, skipped missing values, nested schemas and lists of them), but walks a plan made once
per schema instance instead of going through `Field.serialize`, the accessor and `Nested`'s `dump` for every
value; a value marshmallow would return as it is (a str for a String, an int for an Integer, anything for a Raw
or a Boolean) is not passed through the field at all. A schema the plan cannot cover (dotted attributes, dump
defaults, fields with their own `serialize`, nested schemas with dump hooks) keeps marshmallow's path whole.
Hooks of the schema itself still run: only `_serialize` is replaced.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import marshmallow as ma
from marshmallow import fields, missing

Step = tuple[str, str, Callable[[Any, str, Any], Any]]


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


def _as_is(value: Any, _attr: str, _obj: Any) -> Any:
    """marshmallow's Field._serialize (Raw, Boolean): the value itself. `run` skips the call."""
    return value


def _unless(kind: type, serialize: Callable[[Any, str, Any], Any]) -> Callable[[Any, str, Any], Any]:
    """The value itself when it is None or exactly `kind` (what the field's own formatting returns), else that."""
    return lambda value, attr, obj: value if value is None or type(value) is kind else serialize(value, attr, obj)


def _step(field: fields.Field) -> Callable[[Any, str, Any], Any] | None:
    kind = type(field)
    if kind is fields.Nested:  # exactly: a subclass (Pluck) formats its own way
        return _nested(field.schema, bool(field.schema.many or field.many)) or field._serialize
    if kind is fields.List and type(field.inner) is fields.Nested:
        inner = field.inner
        return (None if inner.many or inner.schema.many else _nested(inner.schema, True)) or field._serialize
    if kind.serialize is not fields.Field.serialize or not field._CHECK_ATTRIBUTE:
        return None
    if kind._serialize is fields.Field._serialize:
        return _as_is
    if kind is fields.String:  # ensure_text_type: a str as it is
        return _unless(str, field._serialize)
    if kind is fields.Integer and not field.as_string:  # int(value): an int as it is
        return _unless(int, field._serialize)
    return field._serialize


def plan(schema: ma.Schema) -> list[Step] | None:
    """(attribute, key, format) per dumped field, or None when marshmallow's own path must be kept."""
    cached = schema.__dict__.get("_stvos_plan", False)
    if cached is not False:
        return cached
    steps: list[Step] | None = []
    for name, field in schema.dump_fields.items():
        attr = field.attribute or name
        formatter = None if "." in attr or field.dump_default is not missing else _step(field)
        if formatter is None:
            steps = None
            break
        steps.append((attr, field.data_key if field.data_key is not None else name, formatter))
    schema.__dict__["_stvos_plan"] = steps
    return steps


def run(steps: list[Step], obj: Any) -> dict[str, Any]:
    out = {}
    read = obj.get if type(obj) is dict else partial(_value, obj)
    for attr, key, formatter in steps:
        value = read(attr, missing)
        if value is not missing:
            out[key] = value if formatter is _as_is else formatter(value, attr, obj)
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
