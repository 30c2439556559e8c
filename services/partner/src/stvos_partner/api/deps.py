"""What views need from the request: the service's container (its use cases) and the staff principal."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from stvos_shared.security import current_principal

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer
    from ..service.sessions import StaffPrincipal

MALFORMED = 400
TOKEN_401 = (401, "TOKEN_INVALID / TOKEN_EXPIRED: no valid partner access token")
ADMIN_403 = (403, "FORBIDDEN: the staff role may only read")


def container() -> PartnerContainer:
    return current_app.extensions["stvos.container"]


def staff() -> StaffPrincipal:
    """The verified partner staff member; the tenant comes from their token, never from a header."""
    return current_principal()
