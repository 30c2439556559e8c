"""Operator functions used by the `stvos` CLI and the demo seed."""
from __future__ import annotations

from typing import Any

from stvos_shared.api import MAX_ID
from stvos_shared.errors import invalid_fields

from .bootstrap import PartnerContainer


def create_partner_staff(container: PartnerContainer, client_id: int, email: str, password: str,
                         role: str = "admin", partner_name: str | None = None) -> dict[str, Any]:
    """Create a staff account of the tenant's partner (the partner too, on first use)."""
    if not 1 <= int(client_id) <= MAX_ID:  # ids are 32-bit: a 422 here, not a database error
        raise invalid_fields(clientId=f"Must be between 1 and {MAX_ID}.")
    staff = container.staff.create(int(client_id), email, password, role, partner_name=partner_name)
    return {"staff": {"id": staff["id"], "email": staff["email"], "name": staff["name"], "role": staff["role"],
                      "clientId": staff["client_id"]}}


def set_staff_password(container: PartnerContainer, email: str, password: str) -> int | None:
    """A staff member's new password (their sessions end): their client id, or None when no one has this email."""
    return container.staff.set_password(email, password)


def rotate_signing_key(container: PartnerContainer) -> dict[str, str]:
    """Sign new staff tokens with a fresh key; the old keys stay in the JWKS so their tokens still verify."""
    return {"kid": container.keys.rotate()}


def rewrap_signing_keys(container: PartnerContainer) -> dict[str, int]:
    """Seal every signing key with the first KEK of the settings (after a KEK rotation)."""
    return {"rewrapped": container.keys.rewrap()}


def retire_unreadable_signing_keys(container: PartnerContainer) -> dict[str, list[str]]:
    """A lost KEK: retire the keys no configured KEK opens (their tokens stop verifying; a new key signs)."""
    return {"retired": container.keys.retire_unreadable()}
