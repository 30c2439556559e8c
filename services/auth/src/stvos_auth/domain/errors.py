"""The identity service's errors: stable codes clients can switch on."""
from __future__ import annotations

from stvos_shared.errors import ApiError, Conflict, Forbidden, NotFound, Unauthorized


class ApiKeyInvalid(Unauthorized):
    code, message = "API_KEY_INVALID", "A valid X-API-Key is required."


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


class InviteInvalid(ApiError):
    """A user's invite code (a trainer's, kept by the catalog) cannot be used; details.reason says why."""

    status, code, message = 422, "INVITE_INVALID", "The invite code is not valid."


class InvitationInvalid(Forbidden):
    code = "INVITATION_INVALID"
    message = "This client requires the trainer's invitation code; it is missing, wrong, used or expired."
