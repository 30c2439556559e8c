"""What views take from the request: the use cases (from the container) and the verified caller."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from stvos_shared.principal import Principal
from stvos_shared.security import current_principal

if TYPE_CHECKING:
    from ..bootstrap import PortalContainer

# Every portal endpoint is the trainer's own, with the trainer role.
TRAINER_ONLY = (403, "TRAINER_ROLE_REQUIRED: the token is not a trainer's")


def container() -> PortalContainer:
    return current_app.extensions["stvos.container"]


def principal() -> Principal:
    """The trainer calling (token verified with auth's keys, tenant equal to the API key's)."""
    return current_principal()
