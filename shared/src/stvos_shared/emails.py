"""Email addresses: one spelling per address, and one notion of a valid one, for every service."""
from __future__ import annotations

from marshmallow import ValidationError, validate

MAX_LENGTH = 254  # RFC 5321's limit on a forward path
_VALID = validate.Email()


def normalise_email(email: str) -> str:
    """Surrounding whitespace removed and case folded: addresses compare in this form."""
    return email.strip().lower()


def is_email(email: str) -> bool:
    """Whether a (normalised) address is well-formed, by the same rule as the API's Email field."""
    if not isinstance(email, str) or len(email) > MAX_LENGTH:
        return False
    try:
        _VALID(email)
    except ValidationError:
        return False
    return True
