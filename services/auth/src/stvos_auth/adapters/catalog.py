"""The catalog service's invite code API, as the registration use case needs it."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from stvos_shared.errors import ApiError, ServiceUnavailable
from stvos_shared.security import CLIENT_ID_HEADER
from stvos_shared.service_client import ServiceClient

from ..domain.errors import InviteInvalid

log = logging.getLogger("stvos.auth.catalog")


@dataclass(frozen=True)
class InviteRedemption:
    id: int
    code: str
    trainer_id: int


class Invites(Protocol):
    def redeem(self, client_id: int, code: str, email: str) -> InviteRedemption:
        """Reserve one use of `code`; InviteInvalid (422) or ServiceUnavailable (503) otherwise."""

    def release(self, client_id: int, redemption_id: int) -> None:
        """Give a reserved use back (idempotent, best effort)."""


class CatalogInvites:
    """POST /internal/invite-codes/redeem and .../release on the catalog service, for one tenant."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def redeem(self, client_id: int, code: str, email: str) -> InviteRedemption:
        response = self._client.post("/internal/invite-codes/redeem", {"code": code, "email": email},
                                     headers={CLIENT_ID_HEADER: str(client_id)}, forward_caller=False)
        if response.status == 201:
            redemption = response.data.get("redemption") or {}
            try:
                return InviteRedemption(int(redemption["id"]), str(redemption.get("code") or code),
                                        int(redemption["trainerId"]))
            except (KeyError, TypeError, ValueError) as error:
                raise ServiceUnavailable("The catalog service gave an unexpected answer.") from error
        error = (response.body or {}).get("error") or {}
        if response.status == 422 and error.get("code") == "INVITE_INVALID":
            raise InviteInvalid(error.get("message"), details=error.get("details"))
        if response.status == 422:  # a code the catalog's schema refuses (too long) is no code of this client
            raise InviteInvalid(details={"reason": "NOT_FOUND"})
        log.warning("invite code redeem answered %s", response.status)
        raise ServiceUnavailable("The catalog service could not redeem the invite code; nothing was changed.")

    def release(self, client_id: int, redemption_id: int) -> None:
        try:
            self._client.post(f"/internal/invite-codes/redemptions/{redemption_id}/release",
                              headers={CLIENT_ID_HEADER: str(client_id)}, forward_caller=False)
        except ApiError:
            log.warning("could not release invite code redemption %s", redemption_id)
