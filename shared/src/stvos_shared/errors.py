"""The errors a client can act on, and the error envelope (plain Python: domain code raises these)."""
from __future__ import annotations

from typing import Any


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


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error envelope as a dict."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"success": False, "error": error}
