"""The one Blueprint, Schema and Api every service uses: camelCase on the wire, the envelope around it."""
from __future__ import annotations

from typing import Any

import flask_smorest
import marshmallow as ma
from marshmallow import fields, validate
from webargs.flaskparser import FlaskParser

from .emails import MAX_LENGTH as EMAIL_MAX_LENGTH
from .emails import normalise_email


def camelcase(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class Schema(ma.Schema):
    """snake_case attributes, camelCase keys; unknown input fields are rejected."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.data_key = camelcase(field_obj.data_key or field_name)


class Email(fields.Email):
    """An email address, normalised (whitespace trimmed, case folded) before it is validated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {"example": "user@example.com"})
        super().__init__(validate=validate.Length(max=EMAIL_MAX_LENGTH), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = normalise_email(value)
        return super()._deserialize(value, attr, data, **kwargs)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable UPPER_SNAKE code"})
    message = fields.String(required=True)
    details = fields.Dict()


class ErrorSchema(Schema):
    """The error envelope."""

    success = fields.Boolean(required=True, metadata={"example": False})
    error = fields.Nested(ErrorDetailSchema, required=True)


class MessageSchema(Schema):
    message = fields.String(required=True)


_ENVELOPES: dict[type, type[ma.Schema]] = {}


def _envelope_schema(schema: ma.Schema) -> type[ma.Schema]:
    # One envelope class per schema class, so that a schema used by several views is documented once.
    plain = not (schema.many or schema.only or schema.exclude or schema.partial)
    if plain and type(schema) in _ENVELOPES:
        return _ENVELOPES[type(schema)]
    name = schema.__class__.__name__.removesuffix("Schema")
    envelope = type(
        f"{name}Envelope",
        (ma.Schema,),
        {"success": fields.Boolean(required=True), "data": fields.Nested(schema, required=True)},
    )
    if plain:
        _ENVELOPES[type(schema)] = envelope
    return envelope


MAX_ID = 2**31 - 1  # ids are 32-bit integers in every database


class Id(fields.Integer):
    """A row id: a positive 32-bit integer, so a huge number is a 422 rather than a database error."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class JsonParser(FlaskParser):
    """webargs' parser, with JSON too deeply nested to parse answered 400 like any malformed body."""

    def _raw_load_json(self, req: Any) -> Any:
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:
            return self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    """Wraps every documented and returned body in {"success": true, "data": ...}."""

    ARGUMENTS_PARSER = JsonParser()

    @staticmethod
    def _make_doc_response_schema(schema: Any) -> Any:
        if isinstance(schema, ma.Schema):
            return _envelope_schema(schema)
        return schema

    @staticmethod
    def _prepare_response_content(data: Any) -> Any:
        return {"success": True, "data": data if data is not None else {}}


class Api(flask_smorest.Api):
    """flask-smorest's Api with the platform's error envelope in the docs (handlers live in errors.py)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """errors.register_error_handlers owns error responses."""
