"""The identity service's rules, as plain functions and constants."""
from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from .credentials import digest
from .errors import InvitationInvalid, TenantMismatch, TrainerInactive

ROLES = ("user", "trainer")
USER_FIELDS = ("name", "profile", "settings", "coach_id", "session_id")  # what a user sets at registration
# How a tenant's trainers claim their accounts: anyone holding the tenant's key who knows the trainer's
# email (the spec's flow), or only with the one-time invitation code the partner admin was shown.
OPEN_REGISTRATION, INVITATION_REQUIRED = "open", "invitation"
REGISTRATION_MODES = (OPEN_REGISTRATION, INVITATION_REQUIRED)


def resolve_tenant(key_client_id: int | None, body_client_id: int | None) -> int | None:
    """The API key's client (the body may only repeat it), else the body's clientId, else None (master key)."""
    if key_client_id is None:
        return body_client_id
    if body_client_id is not None and body_client_id != key_client_id:
        raise TenantMismatch()
    return key_client_id


def token_claims(user: Any, record: Any | None) -> dict[str, Any]:
    """What an access token says of its holder; a trainer whose record is gone or deactivated gets none."""
    if user.role == "trainer" and (record is None or not record.active):
        raise TrainerInactive()
    return {"role": user.role, "tid": user.trainer_id}


def check_invitation(mode: str, record: Any, code: str | None, now: datetime) -> None:
    """In invitation mode a trainer registers only with the record's current, unexpired invitation code."""
    if mode != INVITATION_REQUIRED:
        return
    stored, expires = record.invitation_sha256, record.invitation_expires_at
    if not code or stored is None or (expires is not None and expires <= now) or \
            not hmac.compare_digest(stored, digest(code.strip().upper())):
        raise InvitationInvalid()


def newer(current_at: datetime | None, incoming_at: datetime) -> bool:
    """Whether news from `incoming_at` may overwrite what we learned at `current_at` (late news never does)."""
    return current_at is None or incoming_at >= current_at
