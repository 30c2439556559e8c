"""The partner service's voucher API, as the registration use case needs it."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from stvos_shared.errors import ApiError, ServiceUnavailable
from stvos_shared.security import CLIENT_ID_HEADER
from stvos_shared.service_client import ServiceClient

from ..domain.errors import VoucherInvalid

log = logging.getLogger("stvos.auth.partner")


@dataclass(frozen=True)
class Redemption:
    id: int
    code: str


class Vouchers(Protocol):
    def redeem(self, client_id: int, code: str, email: str) -> Redemption:
        """Reserve one use of `code`; VoucherInvalid (422) or ServiceUnavailable (503) otherwise."""

    def release(self, client_id: int, redemption_id: int) -> None:
        """Give a reservation back (idempotent, best effort)."""


class PartnerVouchers:
    """POST /internal/vouchers/redeem and .../release on the partner service, for one tenant."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def redeem(self, client_id: int, code: str, email: str) -> Redemption:
        response = self._client.post("/internal/vouchers/redeem", {"code": code, "email": email},
                                     headers={CLIENT_ID_HEADER: str(client_id)}, forward_caller=False)
        if response.status == 201:
            redemption = response.data.get("redemption") or {}
            try:
                return Redemption(int(redemption["id"]), str(redemption.get("code") or code))
            except (KeyError, TypeError, ValueError) as error:
                raise ServiceUnavailable("The partner service gave an unexpected answer.") from error
        error = (response.body or {}).get("error") or {}
        if response.status == 422 and error.get("code") == "VOUCHER_INVALID":
            raise VoucherInvalid(error.get("message"), details=error.get("details"))
        log.warning("voucher redeem answered %s", response.status)
        raise ServiceUnavailable("The partner service could not redeem the voucher; nothing was changed.")

    def release(self, client_id: int, redemption_id: int) -> None:
        try:
            self._client.post(f"/internal/vouchers/redemptions/{redemption_id}/release",
                              headers={CLIENT_ID_HEADER: str(client_id)}, forward_caller=False)
        except ApiError:
            log.warning("could not release voucher redemption %s", redemption_id)
