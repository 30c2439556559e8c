"""The one marshmallow Schema (camelCase on the wire, unknown fields rejected, text that is Unicode) and
the fields every service shares. No web framework here: event contracts use it too."""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from .domain import camelcase
from .emails import MAX_LENGTH as EMAIL_MAX_LENGTH
from .emails import normalise_email

# A lone UTF-16 surrogate can be written in JSON ("\ud800") but is not text: no encoder, database or
# hash function accepts it. Any string that holds one is refused before a field ever sees it.
_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_TEXT = "Not valid Unicode text."


def _invalid_text(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, Mapping):
        return any(_invalid_text(key) or _invalid_text(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_invalid_text(item) for item in value)
    return False


def _printable(name: str) -> str:
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _wrong_json_type(field: ma.fields.Field, value: Any) -> str | None:
    """Why a JSON value cannot stand for a boolean or a number field (marshmallow would coerce 0, "12", true)."""
    if value is None:
        return None
    if isinstance(field, fields.Boolean) and not isinstance(value, bool):
        return "Not a valid boolean."
    if isinstance(field, fields.Integer) and (isinstance(value, bool) or not isinstance(value, int | float)
                                              or (isinstance(value, float) and not value.is_integer())):
        return "Not a valid integer."  # marshmallow would cut 2.7 down to 2
    if isinstance(field, fields.Number) and (isinstance(value, bool) or not isinstance(value, int | float)):
        return "Not a valid number."
    return None


class Schema(ma.Schema):
    """snake_case attributes, camelCase keys; unknown input fields are rejected; strings must be Unicode text;
    a request body (a schema named …Body) takes booleans and numbers only as JSON booleans and numbers."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.data_key = camelcase(field_obj.data_key or field_name)

    @ma.pre_load
    def _reject_invalid_text(self, data: Any, **_: Any) -> Any:
        if isinstance(data, Mapping):
            bad = {_printable(str(key)): [NOT_TEXT] for key, value in data.items()
                   if _invalid_text(key) or _invalid_text(value)}
            if bad:
                raise ma.ValidationError(bad)
            if type(self).__name__.endswith("Body"):
                self._reject_wrong_json_types(data)
        return data

    def _reject_wrong_json_types(self, data: Mapping) -> None:
        wrong = {}
        for field in self.fields.values():
            key = field.data_key or field.name
            if not field.dump_only and key in data and (problem := _wrong_json_type(field, data[key])):
                wrong[key] = [problem]
        if wrong:
            raise ma.ValidationError(wrong)


def all_optional(body: type[ma.Schema], name: str, doc: str | None = None) -> type[ma.Schema]:
    """A change body derived from a body: its own name (so its own OpenAPI component), no field required or
    filled in by default, each field's validators, data key and metadata kept, the body's hooks inherited."""
    optional = {}
    for field_name, field in body._declared_fields.items():
        field = copy.deepcopy(field)
        field.required = False
        field.load_default = ma.missing
        optional[field_name] = field
    return type(name, (body,), {"__doc__": doc, "__module__": body.__module__, "__qualname__": name, **optional})


MAX_ID = 2**31 - 1  # ids are 32-bit integers in every database


class Id(fields.Integer):
    """A row id: a positive 32-bit integer, so a huge number is a 422 rather than a database error."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class Email(fields.Email):
    """An email address, normalised (whitespace trimmed, case folded) before it is validated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {"example": "user@example.com"})
        super().__init__(validate=validate.Length(max=EMAIL_MAX_LENGTH), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = normalise_email(value)
        return super()._deserialize(value, attr, data, **kwargs)
