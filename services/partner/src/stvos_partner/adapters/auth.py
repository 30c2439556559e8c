"""The identity service's internal API, as the partner service needs it (an admin resetting a trainer's account)."""
from __future__ import annotations

import logging
from typing import Protocol

from stvos_shared.errors import ServiceUnavailable
from stvos_shared.security import CLIENT_ID_HEADER
from stvos_shared.service_client import ServiceClient

from ..domain.errors import NoTrainerAccount

log = logging.getLogger("stvos.partner.auth")


class TrainerAccounts(Protocol):
    def reset(self, client_id: int, trainer_id: int) -> None:
        """Remove the trainer's account and end its sessions; NoTrainerAccount (404) or ServiceUnavailable (503)."""


class AuthTrainerAccounts:
    """POST /internal/trainer-accounts/{id}/reset on the auth service, for one tenant."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def reset(self, client_id: int, trainer_id: int) -> None:
        response = self._client.post(f"/internal/trainer-accounts/{trainer_id}/reset",
                                     headers={CLIENT_ID_HEADER: str(client_id)}, forward_caller=False)
        if response.status == 200:
            return
        if response.status == 404:
            raise NoTrainerAccount()
        log.warning("trainer account reset answered %s", response.status)
        raise ServiceUnavailable("The identity service could not reset the account; nothing was changed.")
