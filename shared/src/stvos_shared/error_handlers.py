"""One error mapping for every service app: exceptions in, the documented error envelope out."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from .errors import ApiError, error_body

log = logging.getLogger("stvos.errors")


# What Flask and werkzeug raise themselves, mapped to stable codes.
_HTTP_CODES = {
    400: ("MALFORMED_REQUEST", "The request body is not valid JSON."),
    401: ("UNAUTHORIZED", "Authentication is required."),
    403: ("FORBIDDEN", "You are not allowed to do this."),
    404: ("NOT_FOUND", "No such resource."),
    405: ("METHOD_NOT_ALLOWED", "This method is not allowed on this path."),
    406: ("NOT_ACCEPTABLE", "The requested representation is not available."),
    409: ("CONFLICT", "The request conflicts with the current state."),
    413: ("PAYLOAD_TOO_LARGE", "The request body is too large."),
    415: ("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json."),
    422: ("VALIDATION_FAILED", "Some fields are invalid."),
    429: ("RATE_LIMITED", "Too many requests; try again later."),
}


def _respond(status: int, code: str, message: str, details=None, headers=None):
    response = jsonify(error_body(code, message, details))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _validation_fields(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs keys errors by location (json, query, ...); clients want the fields."""
    fields: dict[str, Any] = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            fields.update(location_errors)
        else:
            fields.setdefault("_schema", []).extend(location_errors)
    return fields


def _from_http_exception(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        return _respond(500, "INTERNAL_ERROR", "Something went wrong on our side.")
    code, message = _HTTP_CODES.get(status, ("HTTP_ERROR", error.description or "Request failed."))
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    messages = data.get("messages")
    if status == 422 and messages:
        fields = _validation_fields(messages)
        if list(fields) == ["_schema"]:
            return _respond(400, "MALFORMED_REQUEST", "The request body must be a JSON object.")
        return _respond(422, code, message, {"fields": fields}, headers)
    if status == 400 and data.get("messages"):
        return _respond(400, code, message, headers=headers)
    return _respond(status, code, data.get("message", message), headers=headers)


def register_error_handlers(app: Flask) -> None:
    """Map ApiError, every HTTPException and any uncaught exception to the envelope."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return _respond(error.status, error.code, error.message, error.details, error.headers)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return _from_http_exception(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        return _respond(500, "INTERNAL_ERROR", "Something went wrong on our side.")
