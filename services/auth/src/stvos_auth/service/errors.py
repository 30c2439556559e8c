"""The identity service's errors: stable codes clients can switch on."""
from __future__ import annotations

from typing import Any

from stvos_shared.errors import ApiError, Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed


class InvalidCredentials(Unauthorized):
    """One answer for unknown email, wrong password and locked account."""

    code, message = "INVALID_CREDENTIALS", "The email or password is incorrect."


class ApiKeyInvalid(Unauthorized):
    code, message = "API_KEY_INVALID", "A valid X-API-Key is required."


class TokenInvalid(Unauthorized):
    code, message = "TOKEN_INVALID", "The token is invalid."


class EmailTaken(Conflict):
    code, message = "EMAIL_TAKEN", "An account with this email already exists."


class AmbiguousTenant(Conflict):
    code = "AMBIGUOUS_TENANT"
    message = "This email belongs to trainers of several clients; send clientId to choose one."


class TrainerNotFound(NotFound):
    code = "TRAINER_NOT_FOUND"
    message = "No trainer with this email exists for this client; an admin must create it first."


class TrainerInactive(Forbidden):
    code, message = "TRAINER_INACTIVE", "This trainer has been deactivated."


class TenantMismatch(Forbidden):
    code, message = "TENANT_MISMATCH", "clientId names another client than the API key."


class VoucherInvalid(ApiError):
    status, code, message = 422, "VOUCHER_INVALID", "The voucher code is not valid."


def field_error(field: str, message: str) -> ValidationFailed:
    """A 422 VALIDATION_FAILED naming one field, as schema validation would."""
    details: dict[str, Any] = {"fields": {field: [message]}}
    return ValidationFailed(details=details)
