"""The one Blueprint, Schema and Api every service uses: camelCase on the wire, the envelope around it."""
from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any

import flask_smorest
import marshmallow as ma
from flask import current_app, g, make_response
from marshmallow import fields
from webargs.flaskparser import FlaskParser

from .remembered import Remembered
from .schema import MAX_ID, Email, Id, Schema, all_optional, camelcase

__all__ = ["MAX_ID", "Api", "Blueprint", "Email", "ErrorSchema", "Id", "MessageSchema", "Schema", "all_optional",
           "camelcase", "errors", "no_store"]


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


class JsonParser(FlaskParser):
    """webargs' parser, with JSON too deeply nested to parse answered 400 like any malformed body, and a lighter
    query string."""

    def _raw_load_json(self, req: Any) -> Any:
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:
            return self._handle_invalid_json_error(error, req)

    def load_querystring(self, req: Any, schema: ma.Schema) -> Any:
        """The query as a dict of each key's first value when no field of `schema` takes repeated values: what
        webargs' proxy would answer, without a lookup per key (a key not sent raised and caught an exception)."""
        proxy = super().load_querystring(req, schema)
        return proxy if proxy.multiple_keys else req.args.to_dict()


class Blueprint(flask_smorest.Blueprint):
    """Wraps every documented and returned body in {"success": true, "data": ...}."""

    ARGUMENTS_PARSER = JsonParser()

    def arguments(self, schema: Any, *, location: str = "json", **kwargs: Any) -> Callable[[Any], Any]:
        """A JSON body whose fields are all optional may be left out (it reads as {}), and is documented so.

        A schema class is instantiated here, once: webargs would make an instance of it for every request."""
        schema = schema() if isinstance(schema, type) else schema
        if location == "json" and "required" not in kwargs:
            kwargs["required"] = any(field.required for field in schema.fields.values())
        return super().arguments(schema, location=location, **kwargs)

    def response(self, status_code: int, schema: Any = None, *, remembered: bool = False,
                 **kwargs: Any) -> Callable[[Any], Any]:
        """flask-smorest's response; with `remembered`, a `Remembered` answer the view returns (a cache's) is dumped
        and encoded by its first response only, and later requests are sent the same bytes."""
        document = super().response(status_code, schema, **kwargs)
        if not remembered:
            return document

        def decorator(view: Callable) -> Callable:
            @wraps(view)
            def answered(*args: Any, **kwargs: Any) -> Any:
                answer = view(*args, **kwargs)
                if isinstance(answer, Remembered):
                    if answer.body is not None:
                        return current_app.response_class(answer.body, status_code, mimetype=current_app.json.mimetype)
                    g.stvos_remembered = answer
                return answer

            documented = document(answered)

            @wraps(documented)
            def encoded_once(*args: Any, **kwargs: Any) -> Any:
                response = documented(*args, **kwargs)
                answer = g.pop("stvos_remembered", None)
                if answer is not None and response.status_code == status_code:
                    answer.body = response.get_data()
                return response

            return encoded_once

        return decorator

    @staticmethod
    def _make_doc_response_schema(schema: Any) -> Any:
        if isinstance(schema, ma.Schema):
            return _envelope_schema(schema)
        return schema

    @staticmethod
    def _prepare_response_content(data: Any) -> Any:
        return {"success": True, "data": data if data is not None else {}}


class Api(flask_smorest.Api):
    """flask-smorest's Api with the platform's error envelope in the docs (handlers: error_handlers.py)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """error_handlers.register_error_handlers owns error responses."""


# The error responses most operations share, documented the same way everywhere.
COMMON_ERRORS = {
    400: "MALFORMED_REQUEST: the body is not a JSON object.",
    401: "TOKEN_INVALID or TOKEN_EXPIRED: the bearer token is missing, forged, expired or of another kind.",
    403: "TENANT_MISMATCH: the token belongs to another client than the API key.",
    422: "VALIDATION_FAILED: missing, malformed or unknown fields (details.fields names them).",
    429: "RATE_LIMITED: too many requests; see Retry-After.",
    503: "SERVICE_UNAVAILABLE: a dependency is down; nothing was changed.",
}
Documented = int | tuple[int, str]


def errors(blp: Blueprint, *responses: Documented) -> Callable[[Any], Any]:
    """Document a view's error responses: a status alone takes COMMON_ERRORS' sentence, (status, "CODE: when")
    names a specific one; several for one status are joined with "Or"."""
    documented: dict[int, list[str]] = {}
    for response in responses:
        status, text = (response, COMMON_ERRORS[response]) if isinstance(response, int) else response
        documented.setdefault(status, []).append(text)

    def decorator(view: Any) -> Any:
        documented_view = view
        for status, texts in sorted(documented.items()):
            headers = {"Retry-After": {"schema": {"type": "integer"}}} if status == 429 else None
            documented_view = blp.alt_response(status, schema="Error", description=" Or ".join(texts),
                                               headers=headers)(documented_view)
        # Only the documentation is kept: each alt_response wrapper was a layer of calls on every request.
        view._apidoc = documented_view._apidoc
        return view

    return decorator


def no_store(view: Callable) -> Callable:
    """Put above @blp.response of a view whose answer carries tokens: it must never be cached (RFC 6749 5.1)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response

    wrapper._apidoc = deepcopy(getattr(view, "_apidoc", {}))  # type: ignore[attr-defined]
    return wrapper
