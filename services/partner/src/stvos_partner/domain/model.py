"""The partner service's rules as plain functions: roles, codes, timezones, vouchers, trainer invitations."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from stvos_shared.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

ROLES = ("admin", "staff")
# How the tenant's trainers claim their accounts: "open" is the spec's flow (the tenant's app key and the
# trainer's email); "invitation" also needs the one-time code shown to the admin.
REGISTRATION_MODES = ("open", "invitation")
INVITATION_TTL = timedelta(days=7)
INVITATION_GROUPS = 4  # 4 groups of 4 from 32 characters: 80 bits, too many to guess
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I/1, O/0: codes are read aloud and typed
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,39}$")


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        return f"Must be between {PASSWORD_MIN_LENGTH} and {PASSWORD_MAX_LENGTH} characters."
    return None


def normalise_code(code: str) -> str:
    """Voucher codes compare case-insensitively."""
    return code.strip().upper()


def is_voucher_code(code: str) -> bool:
    return CODE_PATTERN.match(code) is not None


def generate_code(groups: int = 2, size: int = 4) -> str:
    """A random code like K7QX-M2PD from an alphabet without look-alike characters."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(size)) for _ in range(groups))


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_timezone(name: str) -> bool:
    """An IANA timezone name this system knows (Europe/London, UTC, ...)."""
    return name in _timezones()


def voucher_problem(max_redemptions: int | None, redemptions: int, expires_at: datetime | None,
                    now: datetime) -> str | None:
    """Why a voucher cannot be redeemed now ("EXPIRED" or "EXHAUSTED"), or None."""
    if expires_at is not None and expires_at <= now:
        return "EXPIRED"
    if max_redemptions is not None and redemptions >= max_redemptions:
        return "EXHAUSTED"
    return None


def new_invitation(now: datetime) -> tuple[str, str, datetime]:
    """A one-time invitation code, the SHA-256 that travels in its place, and when it expires."""
    code = generate_code(groups=INVITATION_GROUPS)
    return code, hashlib.sha256(code.encode()).hexdigest(), now + INVITATION_TTL
