"""One error mapping for every service: exceptions in, the documented error envelope out."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("stvos.errors")


class ApiError(Exception):
    """An error a client can act on: a status, a stable code and a sentence for a person."""

    status = 400
    code = "BAD_REQUEST"
    message = "The request could not be handled."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details
        self.headers = headers or {}
        super().__init__(self.message)


class ValidationFailed(ApiError):
    status, code, message = 422, "VALIDATION_FAILED", "Some fields are invalid."


def invalid_fields(**problems: str) -> ValidationFailed:
    """A 422 VALIDATION_FAILED naming the fields that are wrong, as schema validation would."""
    return ValidationFailed(details={"fields": {name: [message] for name, message in problems.items()}})


class Unauthorized(ApiError):
    status, code, message = 401, "TOKEN_INVALID", "Authentication is required."


class TokenInvalid(Unauthorized):
    code, message = "TOKEN_INVALID", "The token is invalid."


class InvalidCredentials(Unauthorized):
    """One answer for an unknown account, a wrong password and a locked account."""

    code, message = "INVALID_CREDENTIALS", "The email or password is incorrect."


class Forbidden(ApiError):
    status, code, message = 403, "FORBIDDEN", "You are not allowed to do this."


class NotFound(ApiError):
    status, code, message = 404, "NOT_FOUND", "No such resource."


class Conflict(ApiError):
    status, code, message = 409, "CONFLICT", "The request conflicts with the current state."


class RateLimited(ApiError):
    status, code, message = 429, "RATE_LIMITED", "Too many requests; try again later."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, int(retry_after)))})


class ServiceUnavailable(ApiError):
    status, code, message = 503, "SERVICE_UNAVAILABLE", "A dependency is unavailable; nothing was changed."


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


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error envelope as a dict."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"success": False, "error": error}


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
