"""What views take from the request: the use cases, the caller's tenant, the calling trainer."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from stvos_shared.security import current_principal

from ..domain.commands import Owner
from ..domain.errors import TrainerNotFound

if TYPE_CHECKING:
    from ..bootstrap import CatalogContainer


def use_cases() -> CatalogContainer:
    return current_app.extensions["stvos.container"]


def tenant() -> int:
    """The caller's tenant: the token's, which BearerAuth checked equals the gateway's X-Client-Id."""
    return current_principal().client_id


def owner() -> Owner:
    """The calling trainer (their token's `tid`) in their tenant."""
    principal = current_principal()
    if principal.trainer_id is None:
        raise TrainerNotFound()
    return Owner(principal.client_id, principal.trainer_id)
