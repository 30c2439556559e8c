"""A lighter `dump` for the hottest responses: marshmallow's own field formatting, without its per-field layers.

`class TrainerListResponse(FastDump, Schema)` serialises exactly as marshmallow would (each field's own
`_serialize`, data keys, skipped missing values, nested schemas and lists of them), but walks a plan made once
per schema instance instead of going through `Field.serialize`, the accessor and `Nested`'s `dump` for every
value. A schema the plan cannot cover (dotted attributes, dump defaults, fields with their own `serialize`,
nested schemas with dump hooks) keeps marshmallow's path whole. Hooks of the schema itself still run: only
`_serialize` is replaced.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import fields, missing

Step = tuple[str, str, Callable[[Any, str, Any], Any]]


def _value(obj: Any, attr: str) -> Any:
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


def _step(field: fields.Field) -> Callable[[Any, str, Any], Any] | None:
    if type(field) is fields.Nested:  # exactly: a subclass (Pluck) formats its own way
        return _nested(field.schema, bool(field.schema.many or field.many)) or field._serialize
    if type(field) is fields.List and type(field.inner) is fields.Nested:
        inner = field.inner
        return (None if inner.many or inner.schema.many else _nested(inner.schema, True)) or field._serialize
    if type(field).serialize is not fields.Field.serialize or not field._CHECK_ATTRIBUTE:
        return None
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
    for attr, key, formatter in steps:
        value = _value(obj, attr)
        if value is not missing:
            out[key] = formatter(value, attr, obj)
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
